"""The load command: Parquet shards of ``eventwire ingest --engine ray`` → the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eventwire.cli.app import DbOption, app, err, fail, settings_or_exit
from eventwire.cli.options import opened_store
from eventwire.errors import EventwireError


@app.command("load")
def load_command(
    directory: Annotated[
        Path, typer.Argument(help="Directory of Parquet shards written by --engine ray.")
    ],
    db: DbOption = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Articles per bulk-insert transaction.")
    ] = 2000,
) -> None:
    """Bulk-import shards (SQLite, or PostgreSQL with COPY), then find near-duplicates
    and cluster events over the whole database."""
    from eventwire.runner.load import load_shards

    window = settings_or_exit(db_url=db).cluster_window_days
    with opened_store(db) as store:
        try:
            summary = load_shards(store, directory, window, batch)
        except EventwireError as exc:
            raise fail(str(exc)) from None
    unchanged = summary.articles - summary.stored
    err.print(
        f"loaded {summary.stored} articles ({summary.events} events) from {summary.shards} "
        f"shards, {unchanged} unchanged, {len(summary.failed)} inputs had failed in the run, "
        f"{summary.copies} near-duplicates, {summary.clusters} clusters written",
        highlight=False,
        markup=False,
    )
    raise typer.Exit(0)
