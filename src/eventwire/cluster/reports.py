"""An event as clustering sees it: its block key, its day and its place.

Two reports can describe the same real event only when they share a block key:
the same PLOVER type and the same actor and recipient codes (either direction for
reciprocal events). Modes may differ (one outlet writes "struck", another "shelled
by drones"). Dates at month precision or coarser are part of the key, because
"in September" cannot be compared by days. Events with no coded participant or no
date are never merged: each is a cluster of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventwire.model import Status

_BY_DAY = frozenset({"day", "week"})


@dataclass(frozen=True, slots=True)
class Report:
    event_id: str
    article_id: str
    type: str
    actors: tuple[str, ...]  # codes, sorted; for reciprocal events every party
    recipients: tuple[str, ...]
    key: str
    day: int  # proleptic ordinal of the event date; 0 when the key holds the date
    date: str | None
    status: Status
    country: str | None
    city: int | None  # geonameid when the place is a city: two cities are two events
    old_cluster: str | None  # the cluster it was in before this run

    @property
    def order(self) -> tuple[int, str]:
        return (self.day, self.event_id)


def _day(value: str | None, precision: str | None) -> int | None:
    if value is None or precision not in _BY_DAY:
        return None
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        return None


def report_of(row: Mapping[Any, Any], codes: tuple[Iterable[str], Iterable[str]] | None) -> Report:
    """The report of one events row with its (actor codes, recipient codes).

    Its key starts with "~" when it can only be a cluster of its own.
    """
    actors, recipients = codes or ((), ())
    sides = [tuple(sorted(set(actors))), tuple(sorted(set(recipients)))]
    if row["reciprocal"]:
        # "Russia met Belarus" and "Belarus and Russia met" are one event whose
        # parties all act: Russia and Belarus as actors, no recipient.
        sides = [tuple(sorted(set(actors) | set(recipients))), ()]
    day = _day(row["date_value"], row["date_precision"])
    key = f"{row['type']}|{' '.join(sides[0])}|{' '.join(sides[1])}"
    if (not sides[0] and not sides[1]) or row["date_value"] is None:
        key, day = "~" + row["id"], 0
    elif day is None:
        key, day = f"{key}|{row['date_value']}", 0
    city = row["geonameid"] if row["place_precision"] == "city" else None
    return Report(
        event_id=row["id"],
        article_id=row["article_id"],
        type=row["type"],
        actors=sides[0],
        recipients=sides[1],
        key=key,
        day=day,
        date=row["date_value"],
        status=row["status"],
        country=row["place_country"],
        city=city,
        old_cluster=row["cluster_id"],
    )
