"""The Python API: ``eventwire.extract`` and ``eventwire.open``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventwire.config import load_settings
from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument, Result

if TYPE_CHECKING:
    from eventwire.store import Store


def extract(
    text: str, published: str | None = None, *, title: str | None = None, doc_id: str | None = None
) -> Result:
    """Events in one clean article text, without touching a database.

    Raises ``InputRejected`` when the text cannot be processed (empty, not English,
    too long).
    """
    from eventwire.pipeline import build_pipeline, process

    pipeline = build_pipeline(load_settings())
    document = RawDocument(
        source=doc_id or "<text>",
        body=text,
        kind="record",
        content_hash=content_hash(text.encode("utf-8")),
        doc_id=doc_id,
        title=title,
        published=published,
    )
    (result,) = process([document], pipeline)
    if isinstance(result, InputError):
        raise InputRejected(result.source, result.reason)
    return result


def open(db_url: str | None = None) -> Store:
    """The store at ``db_url`` (default: setting ``db_url``), migrated to the current schema."""
    from eventwire.store import open_store

    return open_store(db_url or load_settings().db_url)
