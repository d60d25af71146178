"""Exports, streamed: the formats of ``eventwire export`` that are one file."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from eventwire.store import EventFilter, Store
from eventwire.web.exporting import FileWriter, TextWriter, stream_file, stream_text
from eventwire.web.params import EventFilterParams
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api/export", tags=["exports"])
State = Annotated[WebState, Depends(web_state)]


class Format(StrEnum):
    jsonl = "jsonl"
    plover = "plover"
    csv = "csv"
    geojson = "geojson"
    parquet = "parquet"
    gexf = "gexf"
    graphml = "graphml"


MEDIA = {
    Format.jsonl: "application/x-ndjson",
    Format.plover: "application/x-ndjson",
    Format.csv: "text/csv; charset=utf-8",
    Format.geojson: "application/geo+json",
    Format.parquet: "application/vnd.apache.parquet",
    Format.gexf: "application/xml",
    Format.graphml: "application/xml",
}
SUFFIX = {Format.plover: "plover.jsonl", Format.geojson: "geojson"}


def _text_writer(fmt: Format) -> TextWriter | None:
    # Imported when asked for: pyarrow and networkx are slow to load.
    from eventwire.export.flat import write_csv
    from eventwire.export.geojson import write_geojson
    from eventwire.export.plover import write_eventwire_jsonl, write_plover

    writers: dict[Format, TextWriter] = {
        Format.jsonl: write_eventwire_jsonl,
        Format.plover: write_plover,
        Format.csv: write_csv,
        Format.geojson: write_geojson,
    }
    return writers.get(fmt)


def _file_writer(fmt: Format) -> FileWriter:
    if fmt is Format.parquet:
        from eventwire.export.flat import write_parquet

        return write_parquet
    from eventwire.export.network import write_network

    graphml = fmt is Format.graphml

    def network(store: Store, where: EventFilter, out: Path) -> int:
        return write_network(store, where, out, graphml=graphml)

    return network


@router.get(
    "",
    summary="Export events",
    response_class=StreamingResponse,
    responses={200: {"description": "The export, streamed.", "content": {"text/plain": {}}}},
)
def export_events(
    state: State,
    where: EventFilterParams,
    format: Annotated[Format, Query(description="As `eventwire export --format`.")] = Format.jsonl,
    changed_since: Annotated[
        str | None,
        Query(
            pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$",
            description="Only events stored or corrected since (incremental pulls).",
        ),
    ] = None,
) -> StreamingResponse:
    """Every event matching the filters (no paging), streamed from the database;
    networks (gexf, graphml) hold the actor ties of those events."""
    chosen = replace(where, limit=None, changed_since=changed_since)
    name = f"eventwire.{SUFFIX.get(format, format.value)}"
    text = _text_writer(format)
    body = (
        stream_text(text, state.store, chosen)
        if text is not None
        else stream_file(_file_writer(format), state.store, chosen, name)
    )
    return StreamingResponse(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
