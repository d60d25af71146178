"""RSS and Atom files: one document per entry, from the entry's own content."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import defusedxml.ElementTree

from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument

if TYPE_CHECKING:
    import feedparser

_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
# What may come before the root element: a byte-order mark, whitespace, the XML
# declaration, processing instructions, comments and a doctype.
_PROLOG = re.compile(
    rb"^(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>\[]*(?:\[.*?\])?\s*>)*", re.I | re.S
)


def looks_like_feed(data: bytes) -> bool:
    """Whether the document's root element is an RSS, Atom or RDF feed."""
    head = data[:4096]
    root = head[_PROLOG.match(head).end() :].lower()  # type: ignore[union-attr]
    return root.startswith(_FEED_ROOTS)


def _iso_date(parsed: time.struct_time | None) -> str | None:
    if parsed is None:
        return None
    return time.strftime("%Y-%m-%d", parsed)


def _entry_body(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    bodies = [c.get("value", "") for c in contents if c.get("value")]
    if bodies:
        return str(max(bodies, key=len))
    return str(entry.get("summary", ""))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as the feed gives it."""

    number: int  # 1-based position in the feed
    guid: str | None
    link: str | None
    title: str | None
    published: str | None  # ISO date
    body: str  # the entry's own content, or its summary; may be empty


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_feed(data: bytes, name: str, allow_empty: bool = False) -> list[FeedEntry]:
    """The entries of RSS 0.9x/1.0/2.0 or Atom ``data``; raises InputRejected.

    XML with entity declarations is refused unexpanded (billion laughs, external
    entities) before feedparser sees it. A feed with no entries is an error for a
    file given to read, but ``allow_empty`` for a polled feed, which often has
    nothing at the moment.
    """
    try:
        defusedxml.ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise InputRejected(name, f"unsafe XML refused ({type(exc).__name__})") from None
    except defusedxml.ElementTree.ParseError as exc:
        raise InputRejected(name, f"malformed feed XML ({exc})") from None
    import feedparser  # here: most inputs are not feeds, and it loads the HTTP stack

    parsed = feedparser.parse(data)
    if not parsed.entries and not (allow_empty and parsed.version):
        raise InputRejected(name, "feed has no entries")
    return [
        FeedEntry(
            number=number,
            guid=_text(entry.get("id")),
            link=_text(entry.get("link")),
            title=_text(entry.get("title")),
            published=_iso_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            body=_entry_body(entry),
        )
        for number, entry in enumerate(parsed.entries, start=1)
    ]


def entry_document(entry: FeedEntry, source: str) -> RawDocument | InputError:
    """The entry's own content as a document (an HTML fragment)."""
    if not entry.body.strip():
        return InputError(source, "feed entry has no content or summary")
    return RawDocument(
        source=source,
        body=entry.body,
        kind="html",
        content_hash=content_hash(entry.body.encode("utf-8")),
        url=entry.link,
        title=entry.title,
        published=entry.published,
        encoding="utf_8",
    )


def read_feed(data: bytes, name: str) -> Iterator[RawDocument | InputError]:
    """One document per entry of a feed file, from the entry's own content."""
    for entry in parse_feed(data, name):
        yield entry_document(entry, f"{name}#{entry.number}")
