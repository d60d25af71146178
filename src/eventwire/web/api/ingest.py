"""Ingest: pasted text, an uploaded file or a URL, through the library's pipeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, Field

from eventwire.web.ingesting import IngestOutcome
from eventwire.web.records import ingest_result
from eventwire.web.state import WebState, web_state
from eventwire.web.writes import ingest_with, require_writer

router = APIRouter(prefix="/api/ingest", tags=["ingest"], dependencies=[Depends(require_writer)])
State = Annotated[WebState, Depends(web_state)]
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
PUBLISHED = "Publication date (YYYY-MM-DD) when the input has none."


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000, description="The article, as text.")
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, pattern=ISO_DAY, description=PUBLISHED)
    url: str | None = Field(None, max_length=2000, description="Where it was published.")


class UrlIn(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="An http(s) page or feed.")
    published: str | None = Field(None, pattern=ISO_DAY, description=PUBLISHED)


def _answer(state: WebState, outcome: IngestOutcome) -> dict[str, Any]:
    if not outcome.article_ids and outcome.errors:
        raise HTTPException(422, "; ".join(outcome.errors))
    return ingest_result(state, outcome)


@router.post("/text", summary="Ingest pasted text")
def ingest_text(given: TextIn, state: State) -> dict[str, Any]:
    """Needs the token. Extracts and stores the events; answers with each article and
    its events (an article already stored is not processed again)."""
    outcome = ingest_with(
        state, lambda: state.ingester.text(given.text, given.title, given.published, given.url)
    )
    return _answer(state, outcome)


@router.post("/file", summary="Ingest an uploaded file")
def ingest_file(
    state: State,
    file: Annotated[UploadFile, File(description="HTML, text, JSONL, RSS/Atom or WARC.")],
    published: Annotated[str | None, Form(pattern=ISO_DAY, description=PUBLISHED)] = None,
) -> dict[str, Any]:
    """Needs the token. Reads the file as ``eventwire ingest`` reads files."""
    limit = state.settings.max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"the file is larger than max_bytes ({limit:,} bytes)")
    name = file.filename or "upload.txt"
    outcome = ingest_with(state, lambda: state.ingester.file(name, data, published))
    return _answer(state, outcome)


@router.post("/url", summary="Fetch and ingest a URL")
def ingest_url(given: UrlIn, state: State) -> dict[str, Any]:
    """Needs the token. Fetched through the guarded fetcher: public addresses only
    (unless the allow_hosts setting names one), size and time limits, robots.txt."""
    outcome = ingest_with(state, lambda: state.ingester.url(given.url, given.published))
    return _answer(state, outcome)
