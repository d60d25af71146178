"""``process_batch(records) -> rows``: the whole per-document pipeline as one function.

Records are JSON-able dicts, so any engine can carry them between processes and
machines (Ray Data, a process pool, a queue):

- a caller's record ``{"id", "text", "title"?, "published"?, "url"?, "source"?}``,
  the format of ``extract --input-jsonl``;
- a raw document as the ingest readers produce it: :func:`document_record`
  (``{"source", "body", "kind", "content_hash", …}``), so HTML pages, scraped text
  and WARC records keep their kind and the hash of their original bytes;
- an input that could not be read: ``{"source", "error"}``.

The answer has one dict per record, in order: ``source``, ``content_hash``,
``article_id`` and ``error`` (None, or why the record was not stored), and under
each table name the rows ``Store.add`` would write for it (:func:`rows_of`).
The same records always give the same rows, whatever the batch (spaCy parses each
document on its own), except ``articles.ingested_at``, the time it was processed.
The pipeline is built once per process and settings, on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from functools import cache
from typing import Any

from eventwire.config import Settings, load_settings
from eventwire.errors import InputRejected
from eventwire.ingest.records import document_from_record
from eventwire.model import InputError, RawDocument, Result
from eventwire.pipeline import Pipeline, build_pipeline, process
from eventwire.store.rows import ROW_TABLES, rows_of

__all__ = [
    "ROW_TABLES",
    "document_record",
    "pipeline_for",
    "process_batch",
    "record_document",
    "result_rows",
]

_DOCUMENT_FIELDS = tuple(f.name for f in fields(RawDocument))
_KINDS = frozenset({"html", "text", "record"})


@cache
def pipeline_for(settings: Settings) -> Pipeline:
    """The pipeline for ``settings``, built once per process (the spaCy model is heavy)."""
    return build_pipeline(settings)


def document_record(item: RawDocument | InputError) -> dict[str, Any]:
    """A reader's output as a JSON-able record for :func:`process_batch`."""
    if isinstance(item, InputError):
        return {"source": item.source, "error": item.reason}
    return asdict(item)


def record_document(record: Mapping[str, Any]) -> RawDocument | InputError:
    """The document (or input error) a record stands for; see the module doc."""
    source = record.get("source")
    if record.get("error") is not None:
        return InputError(str(source or "<record>"), str(record["error"]))
    if record.get("body") is not None:
        kind = record.get("kind")
        if kind not in _KINDS or not isinstance(record.get("content_hash"), str):
            return InputError(str(source or "<record>"), "a raw document needs kind and hash")
        values: dict[str, Any] = {name: record.get(name) for name in _DOCUMENT_FIELDS}
        return RawDocument(**values)
    if not isinstance(source, str) or not source:
        record_id = record.get("id")
        source = "<record>" if record_id is None else f"<record {record_id}>"
    try:
        return document_from_record({k: v for k, v in record.items() if k != "source"}, str(source))
    except InputRejected as exc:
        return InputError(exc.source, exc.reason)


def result_rows(item: Result | InputError, content_hash: str | None = None) -> dict[str, Any]:
    """The answer for one record: its rows by table, or its error."""
    if isinstance(item, InputError):
        answer: dict[str, Any] = {
            "source": item.source,
            "content_hash": content_hash,
            "article_id": None,
            "error": item.reason,
        }
        return answer | {table: [] for table in ROW_TABLES}
    article = item.article
    return {
        "source": article.source,
        "content_hash": article.content_hash,
        "article_id": article.id,
        "error": None,
        **rows_of(item),
    }


def process_batch(
    records: Sequence[Mapping[str, Any]], settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Rows for each record, in order (see the module doc); ``settings`` default to
    the environment's (``EVENTWIRE_*``)."""
    pipeline = pipeline_for(settings if settings is not None else load_settings())
    documents = [record_document(record) for record in records]
    hashes = [d.content_hash if isinstance(d, RawDocument) else None for d in documents]
    results = process(documents, pipeline)
    return [result_rows(item, content) for item, content in zip(results, hashes, strict=True)]
