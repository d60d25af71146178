"""Aggregates over stored events: actor summaries, the most active actors, trending dyads.

Counts come in pairs: ``events`` counts reports (every coded sentence) and
``clusters`` counts real events (distinct clusters), which is what users usually
mean. Cooperation–conflict scores are the ontology's PLOVER scores, averaged over
real events. Events an analyst rejected are left out everywhere (they have no
links). Everything here reads ``event_links`` through its (code, …) index.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, case, func, select

from eventwire.store.schema import event_actors, events
from eventwire.store.schema import event_links as links

if TYPE_CHECKING:
    from eventwire.events.ontology import Ontology

Period = Literal["year", "month", "day"]
_PERIOD_CHARS = {"year": 4, "month": 7, "day": 10}
_SIDES = ("actor", "recipient")


def load_ontology() -> Ontology:
    # Imported when first needed: eventwire.events loads spaCy, which a query does not need.
    from eventwire.events.ontology import load_ontology as load

    return load()


@dataclass(frozen=True, slots=True)
class ActorCount:
    code: str
    name: str | None
    events: int
    clusters: int


@dataclass(frozen=True, slots=True)
class PeriodCount:
    period: str
    type: str
    events: int
    clusters: int


@dataclass(frozen=True, slots=True)
class PeriodScore:
    period: str
    score: float  # mean cooperation–conflict score of its real events, −10 … +10
    clusters: int


@dataclass(frozen=True, slots=True)
class ActorSummary:
    code: str
    name: str | None
    events: int
    clusters: int
    as_actor: int  # reports with the actor on the acting side
    as_recipient: int
    counterparts: tuple[ActorCount, ...]
    by_type: tuple[PeriodCount, ...]
    scores: tuple[PeriodScore, ...]


@dataclass(frozen=True, slots=True)
class DyadTrend:
    a: str  # the two codes, sorted: either direction counts
    b: str
    current: int  # real events in the period
    baseline: int  # real events in the baseline before it
    score: float  # (current + 1) / (baseline scaled to the period's length + 1)


def _dated(since: str | None, until: str | None) -> list[Any]:
    conditions = []
    if since:
        conditions.append(links.c.date_value >= since)
    if until:
        conditions.append(links.c.date_value <= until + "~")
    return conditions


def _name(connection: Connection, code: str) -> str | None:
    """The most frequent name among the first mentions of ``code``."""
    # Fifty mentions show the usual name; more (or a filter on name, which may have to
    # read every mention) costs a table lookup per mention.
    query = select(event_actors.c.name).where(event_actors.c.code == code).limit(50)
    names = Counter(name for name in connection.execute(query).scalars() if name)
    return min(names, key=lambda n: (-names[n], n)) if names else None


def actor_summary(
    connection: Connection,
    code: str,
    since: str | None = None,
    until: str | None = None,
    period: Period = "month",
    counterparts: int = 20,
) -> ActorSummary:
    """Who ``code`` deals with, what it does or suffers per period, and how it scores."""
    code = code.upper()
    involved = [links.c.code == code, *_dated(since, until)]
    # Grouped in the order of ix_event_links_code_date (code, role, date_value, type,
    # mode): the database streams the groups off the index instead of sorting every
    # link of the actor; days are folded into periods here.
    grouped = (
        select(
            links.c.role,
            links.c.date_value,
            links.c.type,
            links.c.mode,
            func.sum(links.c.first).label("events"),
            func.sum(links.c.first * links.c.anchor).label("clusters"),
        )
        .where(*involved)
        .group_by(links.c.role, links.c.date_value, links.c.type, links.c.mode)
    )
    chars = _PERIOD_CHARS[period]
    folded: dict[tuple[str, str, str | None, str], list[int]] = defaultdict(lambda: [0, 0])
    # .all() fetches in one driver call; iterating fetches row by row, a third slower.
    for role, day, kind, mode, n_events, n_clusters in connection.execute(grouped).all():
        counts = folded[((day or "")[:chars] or "undated", kind, mode, role)]
        counts[0] += n_events
        counts[1] += n_clusters
    ontology = load_ontology()
    by_type: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    scores: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    sides = {"actor": 0, "recipient": 0}
    # In the order a GROUP BY (period, type, mode, role) gives, so scores add up the same.
    for (label, kind, mode, role), (n_events, n_clusters) in sorted(
        folded.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "", item[0][3])
    ):
        counts = by_type[(label, kind)]
        counts[0] += n_events
        counts[1] += n_clusters
        sides[role] += n_events
        if kind in ontology.types:
            total = scores[label]
            total[0] += ontology.score(kind, mode) * n_clusters
            total[1] += n_clusters
    # Grouped by (role, other), the order of ix_event_links_code, then merged here.
    others = (
        select(links.c.role, links.c.other, func.count(), func.sum(links.c.anchor))
        .where(*involved, links.c.other.is_not(None), links.c.other != code)
        .group_by(links.c.role, links.c.other)
    )
    partners: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, other, n, anchors in connection.execute(others).all():
        partners[other][0] += n
        partners[other][1] += anchors
    top = sorted(partners.items(), key=lambda item: (-item[1][0], item[0]))[:counterparts]
    return ActorSummary(
        code=code,
        name=_name(connection, code),
        events=sum(n[0] for n in by_type.values()),
        clusters=sum(n[1] for n in by_type.values()),
        as_actor=sides["actor"],
        as_recipient=sides["recipient"],
        counterparts=tuple(
            ActorCount(other, _name(connection, other), n, c) for other, (n, c) in top
        ),
        by_type=tuple(PeriodCount(p, t, n[0], n[1]) for (p, t), n in sorted(by_type.items())),
        scores=tuple(
            PeriodScore(p, round(s / n, 2), int(n)) for p, (s, n) in sorted(scores.items()) if n
        ),
    )


def top_actors(
    connection: Connection, since: str | None = None, until: str | None = None, limit: int = 25
) -> list[ActorCount]:
    """The actors in most events (either side)."""
    events_ = func.sum(links.c.first)
    query = (
        select(links.c.code, events_, func.sum(links.c.first * links.c.anchor))
        .where(*_dated(since, until))
        .group_by(links.c.code)
        .order_by(events_.desc(), links.c.code)
        .limit(limit)
    )
    return [
        ActorCount(code, _name(connection, code), n, clusters)
        for code, n, clusters in connection.execute(query)
    ]


def latest_day(connection: Connection) -> str | None:
    return connection.execute(
        select(func.max(events.c.date_value)).where(events.c.date_precision == "day")
    ).scalar()


def trending_dyads(
    connection: Connection,
    end: str | None = None,
    days: int = 7,
    baseline_days: int = 28,
    limit: int = 20,
) -> list[DyadTrend]:
    """Dyads with more real events in the ``days`` up to ``end`` than their baseline
    (the ``baseline_days`` before) predicts. ``end`` defaults to the latest event date,
    so an archive corpus trends as of its own last day."""
    last = end or latest_day(connection)
    if last is None:
        return []
    stop = date.fromisoformat(last[:10])
    start = (stop - timedelta(days=days - 1)).isoformat()
    base_start = (stop - timedelta(days=days + baseline_days - 1)).isoformat()
    now = links.c.date_value >= start
    query = (
        select(
            links.c.code,
            links.c.other,
            func.sum(case((now, links.c.anchor), else_=0)),
            func.sum(case((~now, links.c.anchor), else_=0)),
        )
        .where(links.c.role == "actor", links.c.other.is_not(None), links.c.other != links.c.code)
        .where(links.c.anchor == 1)
        .where(links.c.date_value >= base_start, links.c.date_value <= stop.isoformat() + "~")
        .group_by(links.c.code, links.c.other)
    )
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a, b, current, baseline in connection.execute(query):
        counts = pairs[(min(a, b), max(a, b))]
        counts[0] += current
        counts[1] += baseline
    scale = days / baseline_days
    trends = [
        DyadTrend(a, b, c, n, round((c + 1) / (n * scale + 1), 2))
        for (a, b), (c, n) in pairs.items()
        if c
    ]
    trends.sort(key=lambda t: (-t.score, -t.current, t.a, t.b))
    return trends[:limit]
