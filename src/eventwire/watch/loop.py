"""The watch loop: poll the feeds, ingest what is new, run the rules, deliver alerts.

One cycle (:meth:`Watcher.cycle`):

1. note the time T the cycle starts and read the rules (file and database);
2. poll each feed that is due (failing feeds back off) through
   :meth:`~eventwire.ingest.web.WebReader.poll_feed`, whose states wait in
   :class:`~eventwire.watch.feeds.DatabaseFeedStates`;
3. ingest the new entries' pages through :func:`eventwire.pipeline.ingest` (stored
   content is skipped, every stored article is clustered);
4. write the feed states: only now are the entries marked as read;
5. run the rules over the clusters of every article stored since the last checked
   time (less a two-minute overlap), and note T as checked (one transaction):
   alerts once per cluster, however often a cluster is checked;
6. hand every pending delivery to the :class:`~eventwire.watch.delivery.Dispatcher`:
   this cycle's alerts, and alerts other processes made (``eventwire serve``).

A cycle killed anywhere is redone by the next one: feeds are polled again from
their last written state, stored articles are skipped by content hash, and the
rules see every article stored since the last completed check.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from eventwire.errors import EventwireError
from eventwire.ingest.web import WebReader
from eventwire.model import InputError, RawDocument
from eventwire.net import Fetcher
from eventwire.store import Store
from eventwire.watch.alerts import check_new_reports, checked_at
from eventwire.watch.delivery import Dispatcher
from eventwire.watch.feeds import DatabaseFeedStates, is_due
from eventwire.watch.rules import Rule
from eventwire.watch.watchlist import active_rules

if TYPE_CHECKING:  # the pipeline loads spaCy: only a running watch needs it
    from eventwire.pipeline import Pipeline

log = logging.getLogger("eventwire.watch")

OVERLAP_SECONDS = 120.0  # how far before the last check a cycle looks for new reports


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class CycleReport:
    """What one cycle did, for its log line."""

    number: int
    feeds: int  # polled
    skipped: int  # failing feeds waiting for their next try
    articles: int  # new articles stored
    events: int
    alerts: int
    errors: int  # feeds and pages that failed
    seconds: float
    failure: str | None = None  # why the cycle stopped early (the database failed…)

    def line(self) -> str:
        skipped = f" ({self.skipped} backing off)" if self.skipped else ""
        text = (
            f"cycle {self.number}: {_plural(self.feeds, 'feed')} polled{skipped}, "
            f"{_plural(self.articles, 'new article')}, {_plural(self.events, 'event')}, "
            f"{_plural(self.alerts, 'alert')}, {_plural(self.errors, 'error')} "
            f"in {self.seconds:.1f} s"
        )
        return text + (f"; cycle failed: {self.failure}" if self.failure else "")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _earlier(moment: str, seconds: float) -> str:
    try:
        value = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return (value - timedelta(seconds=seconds)).isoformat(timespec="seconds")


class Watcher:
    """Polls ``feeds`` into ``store`` and alerts on the rules, cycle by cycle."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        fetcher: Fetcher,
        feeds: Sequence[str],
        dispatcher: Dispatcher,
        *,
        rules_file: str | Path | None = None,
        interval: float = 300.0,
        on_error: Callable[[InputError], None] = lambda _: None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.feeds = list(feeds)
        self.dispatcher = dispatcher
        self.rules_file = rules_file
        self.interval = interval
        self.on_error = on_error
        self.cycles = 0
        self._rules: list[Rule] = []

    def rules(self) -> list[Rule]:
        """The rules of this cycle; a rules file broken while the watch runs keeps the
        last good rules (and says so) instead of stopping the watch."""
        try:
            self._rules = active_rules(self.store, self.rules_file)
        except EventwireError as exc:
            if not self._rules:
                raise
            log.error("%s; keeping the %d rules read before", exc, len(self._rules))
        return self._rules

    def cycle(self, stop: threading.Event | None = None) -> CycleReport:
        """One cycle (see the module doc); ``stop`` ends the polling early."""
        from eventwire.pipeline import ingest

        self.cycles += 1
        started, clock = _now(), time.monotonic()
        checked = checked_at(self.store)
        # Never checked: from now on. Else a little before the last check too: an article
        # another process stored just before it may have been committed just after it
        # (checking a cluster again makes no second alert).
        since = _earlier(checked, OVERLAP_SECONDS) if checked else started
        rules = self.rules()
        states = DatabaseFeedStates(self.store)
        start = datetime.now(UTC)
        due = [url for url in self.feeds if is_due(states.get(url), start, self.interval)]
        errors = 0

        def failed(error: InputError) -> None:
            nonlocal errors
            errors += 1
            self.on_error(error)

        reader = WebReader(self.fetcher, states)
        try:
            summary = ingest(self._documents(reader, due, stop), self.pipeline, self.store, failed)
        except BaseException:
            states.discard()
            raise
        states.flush()
        alerts = check_new_reports(self.store, rules, since, started)
        # Every pending delivery: this cycle's alerts, and those of alerts another
        # process made first (the web app checks the rules after its own ingests).
        self.dispatcher.resume()
        return CycleReport(
            number=self.cycles,
            feeds=len(due),
            skipped=len(self.feeds) - len(due),
            articles=summary.stored,
            events=summary.events,
            alerts=len(alerts),
            errors=errors,
            seconds=time.monotonic() - clock,
        )

    @staticmethod
    def _documents(
        reader: WebReader, feeds: Sequence[str], stop: threading.Event | None
    ) -> Iterator[RawDocument | InputError]:
        for url in feeds:
            for document in reader.poll_feed(url):
                yield document
                if stop is not None and stop.is_set():
                    return  # this feed's state is not written: it is polled again
            if stop is not None and stop.is_set():
                return

    def run(
        self,
        *,
        once: bool = False,
        cycles: int | None = None,
        stop: threading.Event | None = None,
        on_cycle: Callable[[CycleReport], None] = lambda _: None,
    ) -> list[CycleReport]:
        """Cycles every ``interval`` seconds (start to start) until ``stop`` is set, or
        ``cycles`` cycles (one when ``once``) have run. A cycle that fails (the
        database is unreachable, a bug) is reported in one line and the next one tries
        again. Returns the reports of every cycle."""
        if once:
            cycles = 1
        stop = stop or threading.Event()
        reports: list[CycleReport] = []
        while not stop.is_set():
            clock = time.monotonic()
            try:
                report = self.cycle(stop)
            except EventwireError as exc:
                report = self._failed_cycle(clock, str(exc))
            except Exception as exc:  # a long-running watch outlives one bad cycle
                log.debug("cycle %d failed", self.cycles, exc_info=True)
                report = self._failed_cycle(clock, f"{type(exc).__name__}: {exc}")
            reports.append(report)
            on_cycle(report)
            if cycles is not None and len(reports) >= cycles:
                break
            stop.wait(max(0.0, self.interval - (time.monotonic() - clock)))
        return reports

    def _failed_cycle(self, clock: float, reason: str) -> CycleReport:
        reason = " ".join(reason.split())  # one line, whatever the error said
        return CycleReport(self.cycles, 0, 0, 0, 0, 0, 1, time.monotonic() - clock, reason)
