"""Actors: the most active, and one actor's counterparts, timeline and status mix."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from eventwire.web.params import CODE, Day
from eventwire.web.records import actor_detail
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api/actors", tags=["actors"])
State = Annotated[WebState, Depends(web_state)]
ActorCode = Annotated[str, Path(pattern=CODE, description="Actor code, e.g. RUS.")]


@router.get("", summary="The most active actors")
def list_actors(
    state: State,
    since: Day = None,
    until: Day = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> dict[str, Any]:
    """Actors in most events (either side): ``clusters`` counts real events, ``events``
    reports."""
    top = state.cache.get(
        ("top", since, until, limit), lambda: state.store.top_actors(since, until, limit)
    )
    return {"items": [asdict(a) for a in top], "limit": limit}


@router.get("/{code}", summary="One actor")
def get_actor(code: ActorCode, state: State) -> dict[str, Any]:
    """Counterparts (with their cooperation–conflict score), events by type and score
    per month, and the reports by status."""
    return actor_detail(state, code)


@router.get("/{code}/counterparts", summary="An actor's counterparts")
def get_counterparts(code: ActorCode, state: State) -> dict[str, Any]:
    """The actors it deals with most, each with real events, reports and the mean
    cooperation–conflict score (−10 … +10) of their events."""
    found = actor_detail(state, code)
    return {"code": found["code"], "items": found["counterparts"]}


@router.get("/{code}/timeline", summary="An actor's timeline")
def get_timeline(code: ActorCode, state: State) -> dict[str, Any]:
    """Events by type per month, the cooperation–conflict score per month, and the
    status mix of its reports."""
    found = actor_detail(state, code)
    return {k: found[k] for k in ("code", "by_type", "scores", "statuses")}
