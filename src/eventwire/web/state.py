"""What every request handler reaches: the store, the settings, the token, a cache.

One :class:`WebState` per app, kept in ``app.state.web`` and handed to handlers
through the :func:`web_state` dependency, so tests build apps with their own
store and token and nothing is global.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import Request

from eventwire.config import Settings
from eventwire.store import Store

if TYPE_CHECKING:
    from eventwire.web.ingesting import Ingester

T = TypeVar("T")


class Cache:
    """Computed values kept for ``seconds``; ``clear`` after every write made here.

    The aggregates on the overview read every real event; on millions of them that
    takes longer than a page may, and they change only when data arrives. So:

    - a value is computed once however many requests want it at the same time (the
      others wait for it instead of computing it again, which under load multiplies
      the work by the number of clients);
    - once older than ``seconds`` it is still answered while a background thread
      computes it again, so only the first request for it waits;
    - ``clear`` (after a write) forgets every value, and a value whose computing began
      before the clear is not kept: what a write changed shows at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._pending: dict[tuple[Any, ...], threading.Event] = {}
        self._generation = 0  # counts clears
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        while True:
            with self._lock:
                found = self._values.get(key)
                if found is not None:
                    if time.monotonic() - found[0] >= self.seconds and key not in self._pending:
                        self._start(key, compute, background=True)
                    value: T = found[1]
                    return value
                waiting = self._pending.get(key)
                if waiting is None:
                    done = self._start(key, compute, background=False)
            if waiting is None:
                return self._compute(key, compute, *done)
            waiting.wait()  # computed by another request: read it (or compute, if it failed)

    def _start(
        self, key: tuple[Any, ...], compute: Callable[[], T], background: bool
    ) -> tuple[threading.Event, int]:
        """Mark ``key`` as being computed (under the lock); in a thread if ``background``."""
        done = threading.Event()
        self._pending[key] = done
        if background:
            thread = threading.Thread(
                target=self._compute,
                args=(key, compute, done, self._generation),
                name="eventwire-cache-refresh",
                daemon=True,
            )
            thread.start()
        return done, self._generation

    def _compute(
        self, key: tuple[Any, ...], compute: Callable[[], T], done: threading.Event, generation: int
    ) -> T:
        try:
            value = compute()
            with self._lock:
                if generation == self._generation:
                    if len(self._values) > 1000:  # many actors looked at: start again
                        self._values.clear()
                    self._values[key] = (time.monotonic(), value)
            return value
        finally:
            with self._lock:
                if self._pending.get(key) is done:
                    del self._pending[key]
            done.set()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._pending.clear()
            self._generation += 1


@dataclass
class WebState:
    store: Store
    settings: Settings
    token: str
    cache: Cache
    ingester: Ingester
    # Writes go one at a time: the store serialises them anyway, and clustering after
    # a correction must see the correction.
    write_lock: threading.Lock = field(default_factory=threading.Lock)


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
