"""export: stored events → files users' tools open unchanged.

Entry point: :func:`export`. Every format streams from the database (a page of
events at a time), so exports of any size run in bounded memory; the actor
networks are built from a grouped query whose size depends on the number of
actor pairs, not events. Events an analyst rejected are left out unless asked;
corrected events carry the analyst's values and a ``correction`` flag.

| format  | output | read back with |
|---------|--------|----------------|
| plover  | JSONL, PLOVER fields and conventions | json |
| jsonl   | JSONL, the eventwire record (``eventwire.output.event_dict``) | json |
| csv     | one flat row per event, codes as strings, ``schema_version`` | pandas, R |
| parquet | the same columns, typed | pyarrow, pandas |
| gdelt   | DIR/eventwire.export.CSV + DIR/eventwire.mentions.CSV (GDELT 2.0) | pandas |
| gexf    | actor network | networkx, Gephi |
| graphml | actor network | networkx, Gephi, igraph |
| geojson | FeatureCollection of located events | json, QGIS |
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from eventwire.errors import ConfigError

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when an export runs
    from eventwire.store import EventFilter, Store

__all__ = ["ExportFormat", "export"]


class ExportFormat(StrEnum):
    plover = "plover"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    gdelt = "gdelt"
    gexf = "gexf"
    graphml = "graphml"
    geojson = "geojson"


TextWriter = Callable[["Store", "EventFilter", IO[str]], int]


def _text_writers() -> dict[ExportFormat, TextWriter]:
    # Imported here: pyarrow and networkx take a while to load, and most commands
    # that import this module never export.
    from eventwire.export.flat import write_csv
    from eventwire.export.geojson import write_geojson
    from eventwire.export.plover import write_eventwire_jsonl, write_plover

    return {
        ExportFormat.plover: write_plover,
        ExportFormat.jsonl: write_eventwire_jsonl,
        ExportFormat.csv: write_csv,
        ExportFormat.geojson: write_geojson,
    }


def export(
    store: Store,
    fmt: ExportFormat,
    out: Path | None = None,
    since: str | None = None,
    include_rejected: bool = False,
) -> int:
    """Write the stored events in ``fmt`` to ``out`` (stdout for text formats when None).

    ``since`` (ISO date or time) keeps events stored or corrected since then, for
    incremental pulls. Returns the number of records written (edges for networks).
    """
    from eventwire.store import EventFilter

    where = EventFilter(limit=None, changed_since=since, include_rejected=include_rejected)
    text = _text_writers()
    if fmt in text:
        if out is None:
            return text[fmt](store, where, sys.stdout)
        with out.open("w", encoding="utf-8", newline="") as stream:
            return text[fmt](store, where, stream)
    if out is None:
        raise ConfigError(f"--format {fmt.value} writes files: give --out PATH")
    if fmt is ExportFormat.parquet:
        from eventwire.export.flat import write_parquet

        return write_parquet(store, where, out)
    if fmt is ExportFormat.gdelt:
        from eventwire.export.gdelt import write_gdelt

        return write_gdelt(store, where, out)
    from eventwire.export.network import write_network

    return write_network(store, where, out, graphml=fmt is ExportFormat.graphml)
