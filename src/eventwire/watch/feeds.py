"""The feeds a watch polls, and what it knows about each one, kept in the database.

A feeds file is plain text (one URL per line, ``#`` comments) or, when its name
ends in ``.toml``, ``feeds = ["https://…", …]``. :class:`DatabaseFeedStates` is the
:class:`~eventwire.ingest.web.FeedStates` of ``eventwire watch``: states read by a
poll are written to the ``feed_states`` table only by :meth:`~DatabaseFeedStates.flush`,
which the watch calls once the documents of the poll are stored, so an entry is
never marked as read before its article is in the database.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, select

from eventwire.errors import ConfigError
from eventwire.ingest.urls import is_url, normalize_url, read_url_list
from eventwire.ingest.web import FeedState
from eventwire.model import InputError
from eventwire.store import Store
from eventwire.store.schema import feed_states
from eventwire.watch.rules import read_toml

MAX_BACKOFF = 3600.0  # a failing feed is polled at least once an hour


def read_feeds_file(path: str | Path) -> list[str]:
    """The feed URLs of a feeds file, each once; ConfigError names the file and line."""
    name = str(path)
    if name.endswith(".toml"):
        data = read_toml(path, "feeds file")
        urls = data.get("feeds")
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise ConfigError(f'{name}: expected feeds = ["https://…", …]')
        for url in urls:
            if not is_url(url.strip()):
                raise ConfigError(f"{name}: not a URL: {url[:80]!r}")
        found = [u.strip() for u in urls]
    else:
        found = []
        for item in read_url_list(name):
            if isinstance(item, InputError):
                raise ConfigError(f"{item.source}: {item.reason.replace('URL list', 'feeds file')}")
            found.append(item)
    unique: dict[str, str] = {}
    for url in found:
        unique.setdefault(normalize_url(url), url)
    if not unique:
        raise ConfigError(f"{name}: lists no feed")
    return list(unique.values())


def is_due(state: FeedState, now: datetime, interval: float) -> bool:
    """Whether a feed is polled in a cycle starting at ``now``.

    A feed that failed once is tried again in the next cycle; one that failed n times
    in a row waits interval × 2ⁿ⁻¹ (at most an hour) after its last poll. The poll
    happened some time into its cycle, so the wait is counted from that cycle's
    start, give or take a second: in whole cycles, 2ⁿ⁻¹ − 1 cycles are skipped.
    """
    if state.consecutive_failures <= 1 or state.last_polled is None:
        return True
    wait = min(interval * 2.0 ** min(state.consecutive_failures - 1, 20), MAX_BACKOFF)
    try:
        last = datetime.fromisoformat(state.last_polled)
    except ValueError:
        return True
    return (now - last).total_seconds() >= wait - interval + min(1.0, interval / 2)


def _row(state: FeedState) -> dict[str, object]:
    return {
        "url": state.url,
        "polls": state.polls,
        "consecutive_failures": state.consecutive_failures,
        "last_error": state.last_error,
        "last_polled": state.last_polled,
        "last_success": state.last_success,
        "page_failures": state.page_failures,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "seen": json.dumps(list(state.seen), ensure_ascii=False),
    }


def _state(row: Row[Any]) -> FeedState:
    return FeedState(
        url=row.url,
        polls=row.polls,
        consecutive_failures=row.consecutive_failures,
        last_error=row.last_error,
        last_polled=row.last_polled,
        last_success=row.last_success,
        page_failures=row.page_failures,
        seen=tuple(json.loads(row.seen)),
        etag=row.etag,
        last_modified=row.last_modified,
    )


class DatabaseFeedStates:
    """Feed states in the ``feed_states`` table; a poll's states wait for :meth:`flush`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[str, FeedState] = {}
        self._read: dict[str, tuple[str, ...]] = {}  # the seen entries each stored row holds
        self._lock = threading.Lock()

    def get(self, url: str) -> FeedState:
        with self._lock:
            if url in self._pending:
                return self._pending[url]
        with self.store.reading("read feed state") as connection:
            row = connection.execute(select(feed_states).where(feed_states.c.url == url)).first()
        if row is None:
            return FeedState(url)
        state = _state(row)
        with self._lock:
            self._read[url] = state.seen
        return state

    def put(self, state: FeedState) -> None:
        with self._lock:
            self._pending[state.url] = state

    def flush(self) -> int:
        """Write the states put since the last flush in one transaction; returns how many.

        A feed polled without news (a 304) keeps its list of seen entries, which is
        then not written again: only its counters and times are.
        """
        with self._lock:
            states, self._pending = list(self._pending.values()), {}
            read = dict(self._read)
        if not states:
            return 0
        with self.store.transaction("store feed states") as connection:
            for state in states:
                row = _row(state)
                if read.get(state.url) == state.seen:
                    del row["seen"]
                done = connection.execute(
                    feed_states.update().where(feed_states.c.url == state.url).values(row)
                )
                if not done.rowcount:
                    connection.execute(feed_states.insert().values(_row(state)))
        with self._lock:
            self._read.update({s.url: s.seen for s in states})
        return len(states)

    def discard(self) -> None:
        """Forget the states put since the last flush (their documents were not stored)."""
        with self._lock:
            self._pending.clear()

    def all(self) -> list[FeedState]:
        """Every stored feed state, by URL (for a status page)."""
        with self.store.reading("read feed states") as connection:
            rows = connection.execute(select(feed_states).order_by(feed_states.c.url)).all()
        return [_state(row) for row in rows]


def list_feed_states(store: Store) -> list[FeedState]:
    """What ``eventwire watch`` knows about each feed it polled (polls, failures in a row,
    last error, last success), by URL: for a status page."""
    return DatabaseFeedStates(store).all()
