"""Query parameters shared by every list: filters, paging and sorting, declared once.

Lists take ``limit`` and ``offset`` and answer with one envelope::

    {"items": [...], "limit": 50, "offset": 0, "sort": "-date", "next": "/api/…&offset=50"}

``next`` is null on the last page. Sorting is by date, ``-date`` (newest first,
the default) or ``date``: the orders the indexes answer fast on millions of events.
Malformed values (a code with spaces, a date like 2024-13-45x) are refused with 422
before any query runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import AfterValidator

from eventwire.model import Status
from eventwire.store import ClusterFilter, EventFilter
from eventwire.web.templating import query_with

CODE = r"^[A-Za-z][A-Za-z0-9]{1,11}$"
DYAD = r"^[A-Za-z][A-Za-z0-9]{1,11},[A-Za-z][A-Za-z0-9]{1,11}$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
WORD = r"^[A-Za-z_]{1,40}$"
MAX_OFFSET = 100_000  # deeper pages: narrow the dates instead

Sort = Literal["-date", "date"]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int
    sort: Sort

    @property
    def ascending(self) -> bool:
        return self.sort == "date"


def paging(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (see `next`).")
    ] = 0,
    sort: Annotated[Sort, Query(description="-date: newest first; date: oldest first.")] = "-date",
) -> Paging:
    return Paging(limit, offset, sort)


PagingParams = Annotated[Paging, Depends(paging)]


def envelope(request: Request, items: Sequence[Any], page: Paging, **extra: Any) -> dict[str, Any]:
    """A page of ``items`` (fetched with one extra to know whether more follow)."""
    more = len(items) > page.limit
    return {
        "items": list(items[: page.limit]),
        "limit": page.limit,
        "offset": page.offset,
        "sort": page.sort,
        "next": query_with(request, offset=page.offset + page.limit) if more else None,
        "previous": (
            query_with(request, offset=max(0, page.offset - page.limit)) if page.offset else None
        ),
        **extra,
    }


def _upper(code: str | None) -> str | None:
    return code.upper() if code else None


def _dyad(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    a, b = value.upper().split(",")
    return a, b


def real_date(value: str | None) -> str | None:
    """``value`` when it names a day, month or year that exists (not 2024-13 or year 0)."""
    if value is not None:
        missing = 2 - value.count("-")
        try:
            date.fromisoformat(value + "-01" * missing)
        except ValueError:
            raise ValueError(f"{value} is not a real date") from None
    return value


Code = Annotated[str | None, Query(pattern=CODE, description="Actor code, e.g. RUS.")]
Day = Annotated[
    str | None,
    Query(pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    AfterValidator(real_date),
]
ExactDay = Annotated[
    str | None, Query(pattern=ISO_DAY, description="YYYY-MM-DD."), AfterValidator(real_date)
]
Dyad = Annotated[
    str | None, Query(pattern=DYAD, description="Two codes, either direction: RUS,UKR.")
]
Kind = Annotated[str | None, Query(pattern=WORD, description="PLOVER type, e.g. ASSAULT.")]
StatusParam = Annotated[Status | None, Query(description="Claim status.")]
Country = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO alpha-3 of the place.")
]


def event_filter(
    actor: Code = None,
    recipient: Code = None,
    dyad: Dyad = None,
    type: Kind = None,
    mode: Annotated[str | None, Query(pattern=WORD, description="PLOVER mode.")] = None,
    context: Annotated[str | None, Query(pattern=WORD, description="PLOVER context.")] = None,
    status: StatusParam = None,
    since: Day = None,
    until: Day = None,
    country: Country = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words that must all be in the sentence.")
    ] = None,
    article: Annotated[str | None, Query(max_length=200, description="Article id.")] = None,
    cluster: Annotated[str | None, Query(max_length=40, description="Cluster id.")] = None,
    include_rejected: Annotated[
        bool, Query(description="Also events an analyst rejected.")
    ] = False,
) -> EventFilter:
    return EventFilter(
        actor=_upper(actor),
        recipient=_upper(recipient),
        dyad=_dyad(dyad),
        type=type,
        mode=mode,
        context=context,
        status=status,
        since=since,
        until=until,
        country=country,
        place=place or None,
        text=q or None,
        article_id=article or None,
        cluster_id=cluster or None,
        include_rejected=include_rejected,
    )


EventFilterParams = Annotated[EventFilter, Depends(event_filter)]


def cluster_filter(
    actor: Code = None,
    recipient: Code = None,
    dyad: Dyad = None,
    type: Kind = None,
    status: StatusParam = None,
    since: Day = None,
    until: Day = None,
    country: Country = None,
    min_sources: Annotated[int, Query(ge=0, le=10_000, description="At least this many.")] = 0,
) -> ClusterFilter:
    return ClusterFilter(
        actor=_upper(actor),
        recipient=_upper(recipient),
        dyad=_dyad(dyad),
        type=type,
        status=status,
        country=country,
        since=since,
        until=until,
        min_sources=min_sources,
    )


ClusterFilterParams = Annotated[ClusterFilter, Depends(cluster_filter)]


def filter_values(where: EventFilter | ClusterFilter) -> dict[str, Any]:
    """The filters in force, as the query parameters that set them (for forms and JSON)."""
    names = {"text": "q", "article_id": "article", "cluster_id": "cluster"}
    values: dict[str, Any] = {}
    for field in where.__dataclass_fields__:
        value = getattr(where, field)
        if field == "limit" or value in (None, False, 0):
            continue
        values[names.get(field, field)] = ",".join(value) if field == "dyad" else value
    return values
