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
    takes longer than a page may, and they change only when data arrives.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            found = self._values.get(key)
        if found is not None and now - found[0] < self.seconds:
            value: T = found[1]
            return value
        value = compute()
        with self._lock:
            if len(self._values) > 1000:  # many actors looked at: start again
                self._values.clear()
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


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
