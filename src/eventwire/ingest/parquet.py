"""Parquet files of records: the JSONL record format as a table, one document per row.

Columns ``text`` (required), ``id``, ``title``, ``published`` and ``url``; other
columns are ignored. Rows are read a batch at a time, so a file may be larger than
memory, and named ``FILE:N`` (N counts rows from 1), as JSONL lines are. A row that
is not a valid record is one InputError and the next row is read; a file that
cannot be read is one InputError.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from eventwire.errors import InputRejected
from eventwire.ingest.records import document_from_record
from eventwire.model import InputError, RawDocument

__all__ = ["read_parquet_records"]

RECORD_COLUMNS = ("id", "text", "title", "published", "url")
_ROWS_PER_BATCH = 256


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record(row: dict[str, Any]) -> dict[str, Any]:
    published = row.get("published")
    if isinstance(published, date):  # a date (or timestamp) column: the day it names
        row["published"] = published.isoformat()[:10]
    return row


def read_parquet_records(path: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """Documents from the rows of the Parquet file at ``path``; see the module doc."""
    # Imported here: pyarrow costs start-up time that commands without Parquet need not pay.
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputRejected(path, f"not a readable Parquet file ({_reason(exc)})") from None
    names = parquet.schema_arrow.names
    if "text" not in names:
        raise InputRejected(path, 'no "text" column (a record needs "text", and "id" names it)')
    columns = [name for name in RECORD_COLUMNS if name in names]
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=_ROWS_PER_BATCH, columns=columns):
            for row in batch.to_pylist():
                number += 1
                source = f"{path}:{number}"
                text = row.get("text")
                if isinstance(text, str) and len(text) > max_bytes:
                    yield InputError(source, f"record longer than {max_bytes:,} characters")
                    continue
                try:
                    yield document_from_record(_record(row), source)
                except InputRejected as exc:
                    yield InputError(exc.source, exc.reason)
    except (OSError, pa.ArrowException) as exc:
        yield InputError(f"{path}:{number + 1}", f"cannot read the rest ({_reason(exc)})")
