"""Trends: events over time, dyads busier than their baseline, the overview, the map."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from eventwire.web.params import EventFilterParams, ExactDay, filter_values
from eventwire.web.records import map_places, overview, timeline
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api", tags=["trends"])
State = Annotated[WebState, Depends(web_state)]


@router.get("/trends/dyads", summary="Trending dyads")
def trending_dyads(
    state: State,
    end: ExactDay = None,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    baseline: Annotated[int, Query(ge=1, le=3660)] = 28,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Pairs of actors with more real events in the ``days`` up to ``end`` (default:
    the latest event date) than the ``baseline`` days before predict."""
    found = state.cache.get(
        ("trending", end, days, baseline, limit),
        lambda: state.store.trending_dyads(end, days, baseline, limit),
    )
    return {"items": [asdict(t) for t in found], "end": end, "days": days, "baseline": baseline}


@router.get("/trends/timeline", summary="Real events over time")
def events_over_time(state: State) -> dict[str, Any]:
    """Real events (clusters) per month (per year beyond three years) and type, with
    the type's quad class (1 verbal / 2 material cooperation, 3 verbal / 4 material
    conflict)."""
    return timeline(state)


@router.get("/overview", summary="The overview page's data")
def get_overview(state: State) -> dict[str, Any]:
    """Counts, events over time, most active actors, trending dyads, latest clusters."""
    return overview(state)


@router.get("/map", summary="Located events by place")
def located(
    state: State,
    where: EventFilterParams,
    limit: Annotated[int, Query(ge=1, le=20_000, description="Newest events to place.")] = 5000,
) -> dict[str, Any]:
    """The newest ``limit`` located events matching the filters, grouped by place, with
    the place's precision (city, region, country) and the events per status."""
    chosen = replace(where, limit=limit)
    return {"items": map_places(state, chosen), "limit": limit, "filters": filter_values(where)}
