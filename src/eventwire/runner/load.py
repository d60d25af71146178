"""``eventwire load DIR``: Parquet shards (``--engine ray``) → the database, then the
corpus-wide near-duplicate and clustering pass.

Shards are read one at a time, their rows in input order (the file and record
numbers the runner wrote), and handed to :meth:`Store.load_rows` in batches:
secondary indexes dropped for the load, SQLite ``executemany`` or PostgreSQL
``COPY`` per table, the outcome of ``Store.add`` on each article in turn (stored
content is skipped, so loading the same shards twice stores nothing new). Then
:func:`eventwire.cluster.update_clusters` marks near-duplicates and clusters every
event, over the whole database, as ``eventwire ingest`` does at the end of a run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.errors import RunnerError
from eventwire.model import InputError
from eventwire.runner.ray_data import SHARD_COLUMNS, shard_paths
from eventwire.store import ArticleRows, Store
from eventwire.store.rows import as_values

__all__ = ["LoadSummary", "load_shards", "read_shards"]


@dataclass(slots=True)
class LoadSummary:
    shards: int = 0
    articles: int = 0  # articles in the shards
    stored: int = 0  # of which stored now (the others were stored already)
    events: int = 0  # events of the stored articles
    failed: list[InputError] = field(default_factory=list)  # inputs the run could not process
    copies: int = 0  # near-duplicates found by the clustering pass
    clusters: int = 0


def _rows_of_shard(path: Path) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise RunnerError(f"{path}: not a readable shard ({str(exc).strip()[:200]})") from None
    missing = [name for name in SHARD_COLUMNS if name not in table.column_names]
    if missing:
        raise RunnerError(f"{path}: not an eventwire shard (no {', '.join(missing)} column)")
    rows: list[dict[str, Any]] = table.select(list(SHARD_COLUMNS)).to_pylist()
    rows.sort(key=lambda row: (row["file_no"], row["record_no"]))
    return rows


def read_shards(directory: Path) -> Iterator[dict[str, Any]]:
    """Every row of the shards in ``directory``, shard by shard, each in input order."""
    if not directory.is_dir():
        raise RunnerError(f"{directory}: no such directory")
    shards = shard_paths(directory)
    if not shards:
        raise RunnerError(f"{directory}: no Parquet shards (*.parquet)")
    # Shards hold consecutive inputs (the runner keeps the order): the first row
    # of each says where it goes.
    ordered = sorted((_first_key(path), path) for path in shards)
    for _, path in ordered:
        yield from _rows_of_shard(path)


def _first_key(path: Path) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=["file_no", "record_no"])
    except (OSError, pa.ArrowException, KeyError) as exc:
        raise RunnerError(f"{path}: not an eventwire shard ({str(exc).strip()[:200]})") from None
    if table.num_rows == 0:
        return (-1, -1)
    first = pc.min_max(table["file_no"])["min"].as_py()
    records = table.filter(pc.equal(table["file_no"], first))["record_no"]
    return (first, pc.min(records).as_py())


def load_shards(
    store: Store,
    directory: Path,
    window_days: int,
    batch: int = 2000,
    on_error: Callable[[InputError], None] = lambda _: None,
) -> LoadSummary:
    """Import the shards in ``directory`` into ``store`` and cluster; see the module doc."""
    from eventwire.cluster import DuplicateIndex, update_clusters

    summary = LoadSummary(shards=len(shard_paths(directory)) if directory.is_dir() else 0)

    def articles() -> Iterator[ArticleRows]:
        for row in read_shards(directory):
            if row["error"] is not None:
                error = InputError(row["source"], row["error"])
                summary.failed.append(error)
                on_error(error)
                continue
            summary.articles += 1
            tables = json.loads(row["rows"])
            yield row["content_hash"], {name: as_values(name, tables[name]) for name in tables}

    before = store.counts()
    summary.stored = store.load_rows(articles(), batch)
    after = store.counts()
    summary.events = after.get("events", 0) - before.get("events", 0)
    update = update_clusters(store, window_days, DuplicateIndex())
    summary.copies, summary.clusters = update.copies, update.clusters
    return summary
