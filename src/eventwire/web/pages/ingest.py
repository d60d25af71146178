"""The ingest box: paste text, give a URL or upload a file; see the events at once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from eventwire.errors import EventwireError
from eventwire.web.pages import State
from eventwire.web.records import ingest_result
from eventwire.web.templating import render
from eventwire.web.writes import ingest_with, require_writer

router = APIRouter(include_in_schema=False)
NAV = ("Ingest", "/ingest")
EMPTY: dict[str, Any] = {"articles": [], "stored": 0, "unchanged": 0, "events": 0, "errors": []}


@router.get("/ingest")
def ingest_page(request: Request) -> Response:
    return render(request, "ingest.html", {"result": None})


@router.post("/ingest", dependencies=[Depends(require_writer)])
def ingest_form(
    request: Request,
    state: State,
    text: Annotated[str, Form(max_length=1_000_000)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    published: Annotated[str, Form(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """One of: pasted text, a URL, a file (the first one given)."""
    day = published or None
    ingester = state.ingester
    try:
        if text.strip():
            outcome = ingest_with(state, lambda: ingester.text(text, title or None, day))
        elif url.strip():
            outcome = ingest_with(state, lambda: ingester.url(url, day))
        elif file is not None and file.filename:
            limit = state.settings.max_bytes
            data = file.file.read(limit + 1)
            if len(data) > limit:
                raise EventwireError(f"{file.filename}: larger than max_bytes ({limit:,} bytes)")
            name = file.filename
            outcome = ingest_with(state, lambda: ingester.file(name, data, day))
        else:
            raise EventwireError("paste an article, give a URL or choose a file")
    except EventwireError as exc:
        result = {**EMPTY, "errors": [str(exc)]}
        return render(request, "ingest.html", {"result": result}, status=422, text=text, url=url)
    result = ingest_result(state, outcome)
    status = 422 if result["errors"] and not result["articles"] else 200
    return render(request, "ingest.html", {"result": result}, status=status, text="", url="")
