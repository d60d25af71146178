"""JSONL records: ``{"id", "text", "title"?, "published"?, "url"?}`` one per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument

_OPTIONAL = ("title", "published", "url")


def record_to_document(line: str, source: str) -> RawDocument:
    """One JSONL line to a document; the text is taken as clean article text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputRejected(source, f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    return document_from_record(record, source)


def document_from_record(record: object, source: str) -> RawDocument:
    """One record (a JSONL line's object, a Parquet row, a caller's dict) to a document."""
    if not isinstance(record, dict):
        raise InputRejected(source, "a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputRejected(source, 'the record has no "text" string')
    record_id = record.get("id")
    if record_id is not None and not isinstance(record_id, (str, int)):
        raise InputRejected(source, '"id" must be a string or a number')
    extras: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputRejected(source, f'"{key}" must be a string')
        extras[key] = value
    return RawDocument(
        source=source,
        body=text,
        kind="record",
        content_hash=content_hash(text.encode("utf-8")),
        doc_id=None if record_id is None else str(record_id),
        url=extras["url"],
        title=extras["title"],
        published=extras["published"],
        encoding="utf_8",
    )


def read_records(
    lines: Iterable[str], name: str, *, max_line_chars: int = 20_000_000
) -> Iterator[RawDocument | InputError]:
    """Documents from JSONL lines; a bad line becomes an InputError and reading goes on.

    Blank lines are skipped; every other line yields exactly one item, so callers can
    answer line for line.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        if len(line) > max_line_chars:
            yield InputError(source, f"record longer than {max_line_chars:,} characters")
            continue
        try:
            yield record_to_document(line, source)
        except InputRejected as exc:
            yield InputError(exc.source, exc.reason)
