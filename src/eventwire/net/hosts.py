"""Politeness per host: at most N requests in flight, a minimum gap between starts,
and a pause the server asked for (Retry-After)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class _Host:
    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.next_start = 0.0  # time.monotonic() before which no request may start


class HostGates:
    """Thread-safe gates, one per host name."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self._concurrency = max(1, concurrency)
        self._interval = max(0.0, interval)
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(host, _Host(self._concurrency))

    @contextmanager
    def slot(self, host: str, interval: float | None = None) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its gap allows.

        ``interval`` (a robots.txt Crawl-delay) replaces the default gap when longer.
        """
        state = self._host(host)
        gap = max(self._interval, interval or 0.0)
        with state.slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, state.next_start)
                state.next_start = start + gap
            if start > now:
                time.sleep(start - now)
            yield

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts in the next ``seconds`` (the server asked so)."""
        state = self._host(host)
        with self._lock:
            state.next_start = max(state.next_start, time.monotonic() + seconds)
