"""Articles, with their sentences and the spans of their events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from eventwire.web.params import PagingParams, envelope
from eventwire.web.records import article_detail, article_items
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api/articles", tags=["articles"])
State = Annotated[WebState, Depends(web_state)]
Title = Annotated[
    str | None, Query(max_length=200, description="Words that must all be in the title.")
]


@router.get("", summary="List articles")
def list_articles(
    request: Request, state: State, page: PagingParams, q: Title = None
) -> dict[str, Any]:
    """Articles by publication date (``-date``: newest first), with their outlet and
    number of events."""
    items = article_items(state, page, q)
    return envelope(request, items, page, filters={"q": q} if q else {})


@router.get("/{article_id}", summary="One article, ready to highlight")
def get_article(
    article_id: str,
    state: State,
    include_rejected: Annotated[bool, Query(description="Also rejected events.")] = False,
) -> dict[str, Any]:
    """The cleaned text (all offsets refer to it), its sentences, its events, and
    ``spans``: every trigger, actor and recipient span with its event and status."""
    found = article_detail(state, article_id, include_rejected)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found[0]
