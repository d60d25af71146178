"""Delivering alerts: stdout and JSONL files at once, webhooks from a background thread.

A webhook delivery is a POST of the alert JSON through :meth:`eventwire.net.Fetcher.post`
(so a webhook on a non-public address is refused unless allow-listed, like any
fetch). A 5xx or 429 answer, a timeout or a lost connection is tried again after
``backoff`` seconds, then twice as long each time, up to ``retries`` times; any
other failure (a 4xx answer, a refused address) is final. Every attempt is recorded
in ``alert_deliveries`` (state, attempts, last error), so a watch that restarts
resumes the deliveries still pending (:meth:`Dispatcher.resume`), and the thread
that ingests never waits for a webhook.

:meth:`Dispatcher.resume` is also what a running watch calls after each cycle: it
delivers every pending delivery, also those of alerts another process made (the
web app checks rules after its own ingests, and the first to check makes the
alert), skipping what this dispatcher is already trying. Run one watch per
database: two would both deliver what is pending.
"""

from __future__ import annotations

import heapq
import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from eventwire.errors import (
    ConnectionFailed,
    EventwireError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
)
from eventwire.net import Fetcher
from eventwire.store import Store
from eventwire.watch.alerts import Alert, DeliveryState, mark_delivery, pending_deliveries

log = logging.getLogger("eventwire.watch")

_RETRY_STATUSES = frozenset({408, 425, 429})


def alert_line(alert: Alert) -> str:
    """The alert JSON on one line, as stdout and JSONL files get it."""
    return json.dumps(alert.payload, ensure_ascii=False)


def retryable(error: FetchError) -> bool:
    """Whether a failed webhook POST is worth trying again later."""
    if isinstance(error, HTTPStatusError):
        return error.status >= 500 or error.status in _RETRY_STATUSES
    return isinstance(error, ConnectionFailed | FetchTimeout)


@dataclass(order=True)
class _Attempt:
    due: float  # time.monotonic()
    seq: int
    alert: Alert = field(compare=False)
    url: str = field(compare=False)
    attempt: int = field(compare=False, default=1)


class Dispatcher:
    """Sends alerts to their outputs and records how that went.

    ``deliver`` writes stdout and JSONL outputs before it returns and hands
    webhooks to a background thread; ``drain`` waits (bounded) for that thread to
    finish, ``close`` stops it, leaving what is left pending in the database.
    """

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        *,
        stdout: TextIO | None = None,
        retries: int = 4,
        backoff: float = 2.0,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.stdout = stdout
        self.retries = retries
        self.backoff = backoff
        self._queue: list[_Attempt] = []
        self._busy = 0  # attempts taken from the queue and not yet recorded
        self._seq = 0
        self._closed = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._files = threading.Lock()
        self._inflight: set[tuple[int, str]] = set()  # webhook deliveries queued or sent

    # --- public ------------------------------------------------------------------------

    def deliver(self, alerts: Iterable[Alert]) -> None:
        """Deliver each alert to the outputs it has pending (see ``Alert.deliveries``)."""
        for alert in alerts:
            for delivery in alert.deliveries:
                if delivery.state == "pending":
                    self._deliver(alert, delivery.output)

    def resume(self) -> int:
        """Deliver every pending delivery in the database that this dispatcher is not
        already trying (left by an earlier run, or made by another process); returns
        how many were started."""
        with self._wake:
            busy = set(self._inflight)
        pending = [(a, o) for a, o in pending_deliveries(self.store) if (a.id, o) not in busy]
        for alert, output in pending:
            self._deliver(alert, output)
        return len(pending)

    def drain(self, timeout: float) -> bool:
        """Wait until no webhook delivery is queued or in flight; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(min(left, 0.1))
        return True

    def close(self) -> None:
        """Stop the webhook thread after the attempt in flight; the rest stays pending."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Dispatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- outputs -----------------------------------------------------------------------

    def _deliver(self, alert: Alert, output: str) -> None:
        kind, _, target = output.partition(":")
        if kind == "webhook":
            with self._wake:
                if (alert.id, output) in self._inflight:
                    return  # queued or being sent already
                self._inflight.add((alert.id, output))
            self._enqueue(_Attempt(time.monotonic(), 0, alert, target))
        elif kind == "jsonl":
            self._write_file(alert, output, Path(target))
        elif kind == "stdout" and self.stdout is not None:
            try:
                self.stdout.write(alert_line(alert) + "\n")
                self.stdout.flush()
            except (OSError, ValueError) as exc:  # a closed pipe: the watch goes on
                self._mark(alert, output, "failed", f"cannot print the alert ({exc})")
                return
            self._mark(alert, output, "delivered")
        elif kind == "stdout":
            self._mark(alert, output, "failed", "no standard output to print to")
        else:
            self._mark(alert, output, "failed", f"unknown output {output!r}")

    def _write_file(self, alert: Alert, output: str, path: Path) -> None:
        try:
            with self._files, path.open("a", encoding="utf-8") as stream:
                stream.write(alert_line(alert) + "\n")
        except OSError as exc:
            reason = f"cannot append to {path} ({exc.strerror or exc})"
            log.warning("alert %s: %s", alert.id, reason)
            self._mark(alert, output, "failed", reason)
            return
        self._mark(alert, output, "delivered")

    def _mark(
        self, alert: Alert, output: str, state: DeliveryState, error: str | None = None
    ) -> None:
        try:
            mark_delivery(self.store, alert.id, output, state, error)
        except EventwireError as exc:  # the alert went out; only its record is behind
            log.warning("alert %s: delivery to %s not recorded: %s", alert.id, output, exc)

    # --- the webhook thread ------------------------------------------------------------

    def _enqueue(self, attempt: _Attempt) -> None:
        with self._wake:
            if self._closed:
                self._inflight.discard((attempt.alert.id, f"webhook:{attempt.url}"))
                return  # stays pending in the database for the next run
            self._seq += 1
            attempt.seq = self._seq
            heapq.heappush(self._queue, attempt)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="eventwire-webhooks", daemon=True
                )
                self._thread.start()
            self._wake.notify_all()

    def _next(self) -> _Attempt | None:
        with self._wake:
            while not self._closed:
                if self._queue:
                    wait = self._queue[0].due - time.monotonic()
                    if wait <= 0:
                        self._busy += 1
                        return heapq.heappop(self._queue)
                    self._wake.wait(wait)
                else:
                    self._wake.wait()
            return None

    def _run(self) -> None:
        while (attempt := self._next()) is not None:
            done = True
            try:
                done = self._post(attempt)
            finally:
                with self._wake:
                    self._busy -= 1
                    if done:
                        self._inflight.discard((attempt.alert.id, f"webhook:{attempt.url}"))
                    self._wake.notify_all()

    def _post(self, attempt: _Attempt) -> bool:
        """One POST; True when the delivery is over (delivered or failed), False when
        it is queued to be tried again."""
        alert, output = attempt.alert, f"webhook:{attempt.url}"
        try:
            self.fetcher.post(attempt.url, alert_line(alert).encode("utf-8"))
        except FetchError as exc:
            if retryable(exc) and attempt.attempt <= self.retries:
                wait = self.backoff * 2 ** (attempt.attempt - 1)
                log.info(
                    "alert %s: webhook %s: %s; trying again in %.1f s",
                    alert.id, attempt.url, exc.reason, wait,
                )  # fmt: skip
                self._mark(alert, output, "pending", exc.reason)
                self._enqueue(
                    _Attempt(time.monotonic() + wait, 0, alert, attempt.url, attempt.attempt + 1)
                )
                return False
            log.warning("alert %s: webhook %s failed: %s", alert.id, attempt.url, exc.reason)
            self._mark(alert, output, "failed", exc.reason)
            return True
        except Exception as exc:  # a bug must not kill the thread and strand the queue
            log.warning("alert %s: webhook %s failed: %r", alert.id, attempt.url, exc)
            self._mark(alert, output, "failed", repr(exc))
            return True
        self._mark(alert, output, "delivered")
        return True
