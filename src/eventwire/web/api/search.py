"""Search across actors, articles and event sentences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from eventwire.web.records import search
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api/search", tags=["search"])
State = Annotated[WebState, Depends(web_state)]


@router.get("", summary="Search")
def search_all(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words or a code.")],
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> dict[str, Any]:
    """Actors whose code is ``q`` or whose name holds it (among the most active),
    articles whose title holds every word, events whose sentence holds every word."""
    return search(state, q, limit)
