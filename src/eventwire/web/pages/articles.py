"""Articles: the list, and the reader with every event highlighted inline."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from eventwire.store.summaries import load_ontology
from eventwire.web.highlight import marks_of, segments
from eventwire.web.pages import State
from eventwire.web.params import PagingParams, envelope
from eventwire.web.records import article_detail, article_items
from eventwire.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = ("Articles", "/articles")


@router.get("/articles")
def articles_page(
    request: Request,
    state: State,
    page: PagingParams,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    data = envelope(request, article_items(state, page, q), page, filters={"q": q} if q else {})
    return render(request, "articles.html", data)


@router.get("/articles/{article_id}")
def reader_page(
    article_id: str, request: Request, state: State, include_rejected: bool = False
) -> Response:
    found = article_detail(state, article_id, include_rejected)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    data, events = found
    text = data["article"]["text"]
    pieces = segments(text, marks_of(events, len(text)))
    return render(
        request,
        "article.html",
        data,
        segments=pieces,
        events=events,
        status_counts=Counter(e.status for e in events),
        types=sorted(load_ontology().types),
        include_rejected=include_rejected,
    )
