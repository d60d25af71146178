"""Pages and feeds read from the network, through :mod:`eventwire.net`.

:class:`WebReader` turns URLs into documents: a page becomes one document; a feed
becomes one document per entry not seen before, from the page the entry links to
or, when that page cannot be fetched or decoded, from the entry's own content or
summary. Entries are recognised by their guid and by their normalised URL, within
a feed, across the feeds of one run and, through :class:`FeedStates`, across
polls. Each feed keeps an error state (failures in a row, the last error, pages
that fell back to summaries). :class:`MemoryFeedStates` keeps it in memory; a
watch loop can persist it by passing its own :class:`FeedStates` and calling
:meth:`WebReader.poll_feed` on a schedule.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urljoin

from eventwire.errors import FetchError, InputRejected
from eventwire.ingest.decode import content_hash, decode_bytes, looks_like_html
from eventwire.ingest.feeds import FeedEntry, entry_document, looks_like_feed, parse_feed
from eventwire.ingest.urls import normalize_url
from eventwire.model import DocKind, InputError, RawDocument
from eventwire.net import FetchedResponse, Fetcher

log = logging.getLogger("eventwire.ingest")

MAX_SEEN_ENTRIES = 5_000  # per feed: far more than any feed lists at once
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


@dataclass(frozen=True, slots=True)
class FeedState:
    """What eventwire knows about one feed between polls."""

    url: str
    polls: int = 0
    consecutive_failures: int = 0
    last_error: str | None = None
    last_polled: str | None = None  # ISO 8601, UTC
    last_success: str | None = None
    page_failures: int = 0  # entries of the last poll read from their summary instead
    seen: tuple[str, ...] = ()  # guids and normalised URLs of entries read, oldest first
    # The validators of the last feed read, sent with the next poll: a 304 answer to
    # them means nothing new, even without the on-disk HTTP cache.
    etag: str | None = None
    last_modified: str | None = None

    def validators(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class FeedStates(Protocol):
    """Where feed states live: :class:`MemoryFeedStates`, or the database for
    ``eventwire watch`` (:class:`eventwire.watch.DatabaseFeedStates`)."""

    def get(self, url: str) -> FeedState: ...

    def put(self, state: FeedState) -> None: ...


class MemoryFeedStates:
    def __init__(self) -> None:
        self._states: dict[str, FeedState] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> FeedState:
        with self._lock:
            return self._states.get(url) or FeedState(url)

    def put(self, state: FeedState) -> None:
        with self._lock:
            self._states[state.url] = state

    def all(self) -> list[FeedState]:
        with self._lock:
            return list(self._states.values())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_feed(response: FetchedResponse) -> bool:
    return response.media_type in _FEED_TYPES or looks_like_feed(response.body)


def _kind(response: FetchedResponse) -> DocKind:
    if response.media_type in _HTML_TYPES:
        return "html"
    if response.media_type == "text/plain":
        return "text"
    return "html" if looks_like_html(response.body) else "text"


def page_document(
    source: str,
    response: FetchedResponse,
    *,
    title: str | None = None,
    published: str | None = None,
) -> RawDocument:
    """A fetched page as a document; raises InputRejected for binary or empty bodies."""
    text, encoding = decode_bytes(response.body, source, declared=response.charset)
    if not text.strip():
        raise InputRejected(source, "the page is empty")
    return RawDocument(
        source=source,
        body=text,
        kind=_kind(response),
        content_hash=content_hash(response.body),
        url=normalize_url(response.final_url),
        title=title,
        published=published,
        encoding=encoding,
    )


def _entry_keys(entry: FeedEntry, link: str | None) -> set[str]:
    keys = set()
    if entry.guid:
        keys.add("guid:" + entry.guid)
    if link:
        keys.add(normalize_url(link))
    return keys


class WebReader:
    """Documents from URLs, fetched through one :class:`~eventwire.net.Fetcher`."""

    def __init__(self, fetcher: Fetcher, states: FeedStates | None = None) -> None:
        self.fetcher = fetcher
        self.states: FeedStates = states if states is not None else MemoryFeedStates()
        self._seen_links: set[str] = set()  # entry pages read in this run, across feeds

    def read(self, urls: Iterable[str]) -> Iterator[RawDocument | InputError]:
        """Pages and feeds, in the order given; a URL given twice is read once."""
        given: set[str] = set()
        unique = []
        for url in urls:
            key = normalize_url(url)
            if key not in given:
                given.add(key)
                unique.append(url)
        for url, result in self.fetcher.fetch_many(unique):
            if isinstance(result, FetchError):
                yield InputError(url, result.reason)
            elif _is_feed(result):
                yield from self._feed_documents(url, result)
            else:
                try:
                    yield page_document(url, result)
                except InputRejected as exc:
                    yield InputError(exc.source, exc.reason)

    def poll_feed(self, url: str) -> Iterator[RawDocument | InputError]:
        """The entries of one feed not read before; updates the feed's state.

        An unchanged feed costs one conditional request (304) and yields nothing new
        when its state holds the entries from the last poll: the validators come from
        the on-disk HTTP cache or, without it, from the feed's state.
        """
        state = self.states.get(url)
        try:
            response = self.fetcher.fetch(url, validators=state.validators())
        except FetchError as exc:
            yield self._failed(url, exc.reason)
            return
        if response.not_modified:
            self.states.put(
                replace(
                    state,
                    polls=state.polls + 1,
                    consecutive_failures=0,
                    last_error=None,
                    last_polled=_now(),
                    last_success=_now(),
                    page_failures=0,
                )
            )
            return
        if not _is_feed(response):
            yield self._failed(url, "not an RSS or Atom feed")
            return
        yield from self._feed_documents(url, response)

    def _failed(self, url: str, reason: str) -> InputError:
        state = self.states.get(url)
        self.states.put(
            replace(
                state,
                polls=state.polls + 1,
                consecutive_failures=state.consecutive_failures + 1,
                last_error=reason,
                last_polled=_now(),
            )
        )
        return InputError(url, reason)

    def _feed_documents(
        self, url: str, response: FetchedResponse
    ) -> Iterator[RawDocument | InputError]:
        try:
            entries = parse_feed(response.body, url, allow_empty=True)
        except InputRejected as exc:
            yield self._failed(url, exc.reason)
            return
        state = self.states.get(url)
        seen = set(state.seen)
        fresh: list[tuple[FeedEntry, str | None]] = []
        new_keys: list[str] = []
        for entry in entries:
            link = urljoin(response.final_url, entry.link) if entry.link else None
            keys = _entry_keys(entry, link)
            if keys & seen or (link and normalize_url(link) in self._seen_links):
                continue  # a duplicate in this feed, or read in an earlier poll or feed
            seen |= keys
            new_keys.extend(sorted(keys))
            fresh.append((entry, link))
        # Links are unique by now; pages arrive in entry order, a few fetched at a time.
        pages = self.fetcher.fetch_many([link for _, link in fresh if link])
        fallbacks = 0
        for entry, link in fresh:
            source = link or f"{url}#{entry.number}"
            page = self._entry_page(source, entry, next(pages)[1] if link else None)
            if link:
                self._seen_links.add(normalize_url(link))
            if page is not None:
                yield page
                continue
            fallbacks += 1 if link else 0
            summary = entry_document(entry, source)
            if link and isinstance(summary, RawDocument):
                summary = replace(summary, url=normalize_url(link))
            yield summary
        self.states.put(
            replace(
                state,
                polls=state.polls + 1,
                consecutive_failures=0,
                last_error=None,
                last_polled=_now(),
                last_success=_now(),
                page_failures=fallbacks,
                seen=(*state.seen, *new_keys)[-MAX_SEEN_ENTRIES:],
                etag=response.etag,
                last_modified=response.last_modified,
            )
        )

    def _entry_page(
        self, source: str, entry: FeedEntry, page: FetchedResponse | FetchError | None
    ) -> RawDocument | None:
        """The page an entry links to, or None when the entry's summary must serve."""
        if page is None:
            return None
        if isinstance(page, FetchError):
            log.info("%s: %s; using the feed entry's summary", source, page.reason)
            return None
        try:
            return page_document(source, page, title=entry.title, published=entry.published)
        except InputRejected as exc:
            log.info("%s: %s; using the feed entry's summary", source, exc.reason)
            return None
