"""Search: actors, articles and event sentences at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from eventwire.web.pages import State
from eventwire.web.records import search
from eventwire.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/search")
def search_page(
    request: Request, state: State, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    data = (
        search(state, q, 50) if q.strip() else {"q": q, "actors": [], "articles": [], "events": []}
    )
    return render(request, "search.html", data)
