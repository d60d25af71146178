"""RSS and Atom files: one document per entry, from the entry's own content."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import defusedxml.ElementTree
import feedparser

from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument

_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
# What may come before the root element: a byte-order mark, whitespace, the XML
# declaration, processing instructions, comments and a doctype.
_PROLOG = re.compile(rb"^(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.I | re.S)


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


def read_feed(data: bytes, name: str) -> Iterator[RawDocument | InputError]:
    """Entries of a feed file. XML with entity declarations is refused (billion laughs)."""
    try:
        defusedxml.ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise InputRejected(name, f"unsafe XML refused ({type(exc).__name__})") from None
    except defusedxml.ElementTree.ParseError as exc:
        raise InputRejected(name, f"malformed feed XML ({exc})") from None
    parsed = feedparser.parse(data)
    if not parsed.entries:
        raise InputRejected(name, "feed has no entries")
    for number, entry in enumerate(parsed.entries, start=1):
        source = f"{name}#{number}"
        body = _entry_body(entry)
        if not body.strip():
            yield InputError(source, "feed entry has no content or summary")
            continue
        yield RawDocument(
            source=source,
            body=body,
            kind="html",
            content_hash=content_hash(body.encode("utf-8")),
            url=entry.get("link"),
            title=entry.get("title"),
            published=_iso_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            encoding="utf_8",
        )
