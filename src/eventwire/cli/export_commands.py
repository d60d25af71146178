"""The export command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eventwire.cli.app import DbOption, app, err, fail
from eventwire.cli.options import opened_store
from eventwire.errors import EventwireError
from eventwire.export import ExportFormat


@app.command("export")
def export_command(
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="What to write.")
    ] = ExportFormat.jsonl,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="File (a directory for gdelt); text formats default to stdout."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only events stored or corrected since this ISO date or time."),
    ] = None,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also write events an analyst rejected.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Write stored events as PLOVER, JSONL, CSV, Parquet, GDELT, GEXF, GraphML or GeoJSON."""
    from eventwire.export import export

    with opened_store(db) as store:
        try:
            written = export(store, output_format, out_path, since, include_rejected)
        except (EventwireError, OSError) as exc:
            raise fail(str(exc)) from None
    unit = "edges" if output_format in (ExportFormat.gexf, ExportFormat.graphml) else "records"
    where = f" to {out_path}" if out_path else ""
    err.print(f"wrote {written} {unit}{where}", highlight=False)
