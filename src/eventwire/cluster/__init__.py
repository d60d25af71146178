"""cluster: stored reports → near-duplicate articles and event clusters.

Entry point: :func:`update_clusters`, run after articles are stored. It works on
what waits in the database (articles not yet checked for near-duplicates, events
whose ``cluster_key`` is NULL), so a run that was killed half-way is finished by
the next one, and corrections or replaced articles are picked up the same way.

Incremental and batch clustering give the same clusters: for a block whose
earliest new report is dated D, every group anchored before D − window is closed
before D and cannot change, so only the reports dated from D − window on are
swept again (see :mod:`eventwire.cluster.sweep`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select, text

from eventwire.cluster.duplicates import DuplicateIndex, mark_near_duplicates
from eventwire.cluster.reports import Report, report_of
from eventwire.cluster.sweep import cluster_row, sweep
from eventwire.store import Store
from eventwire.store.clusters import (
    REJECTED_KEY,
    actor_codes,
    all_rows,
    article_facts,
    block_rows,
    pending_rows,
    release_all,
    stored_window,
    write_clusters,
)
from eventwire.store.schema import events

__all__ = ["ClusterUpdate", "DuplicateIndex", "update_clusters"]

_ADVISORY_LOCK = 0x65766E74  # one clustering writer at a time on PostgreSQL
_MANY = 2000


@dataclass(frozen=True, slots=True)
class ClusterUpdate:
    copies: int  # articles found to be near-duplicates of an earlier one
    reports: int  # events (re)assigned to a cluster
    clusters: int  # clusters written


def update_clusters(
    store: Store,
    window_days: int,
    index: DuplicateIndex | None = None,
    articles: Sequence[str] | None = None,
) -> ClusterUpdate:
    """Mark near-duplicate articles, then cluster every event waiting for it.

    Pass the same ``index`` for every call of one run: it is loaded from the database
    once, on first use. ``articles`` limits the near-duplicate check to the articles
    just stored (cheap); without it every unchecked article is found, which a run
    does once at its end to finish what a killed run left.
    """
    with store.transaction("update clusters") as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))
        copies = mark_near_duplicates(connection, index or DuplicateIndex(), articles)
        if stored_window(connection) != window_days:
            release_all(connection, window_days)
        reports, written = _cluster_pending(connection, window_days)
    return ClusterUpdate(copies, reports, written)


def _cluster_pending(connection: Connection, window: int) -> tuple[int, int]:
    pending = pending_rows(connection)
    if not pending:
        return 0, 0
    # A first or bulk load (most events new): one pass over all events, not a query
    # per block. Counting costs a scan, so only when many events wait.
    everything = (
        len(pending) > _MANY
        and 2 * len(pending)
        >= connection.execute(select(func.count()).select_from(events)).scalar_one()
    )
    if everything:
        release_all(connection, window)
        pending = all_rows(connection)
    rejected = [r for r in pending if r["correction"] == "rejected"]
    kept = [r for r in pending if r["correction"] != "rejected"]
    codes = actor_codes(connection, None if everything else [r["id"] for r in kept])
    by_key: dict[str, list[Report]] = defaultdict(list)
    for row in kept:
        report = report_of(row, codes.get(row["id"]))
        by_key[report.key].append(report)
    groups: list[list[Report]] = []
    replaced: list[str | None] = [r["cluster_id"] for r in rejected]
    stored = {} if everything else _stored(connection, by_key, window)
    for key, new in by_key.items():
        block = new + stored.get(key, [])
        swept = sweep(block, window)
        same = _unchanged(block, swept, {r.event_id for r in new})
        replaced.extend(r.old_cluster for r in block if r.old_cluster not in same)
        groups.extend(g for g in swept if g[0].old_cluster not in same)
    facts = article_facts(connection, {r.article_id for g in groups for r in g})
    rows = [cluster_row(g, facts) for g in groups]
    assignments: list[tuple[str, str | None, str]] = [
        (r["id"], None, REJECTED_KEY) for r in rejected
    ]
    for group, row in zip(groups, rows, strict=True):
        assignments.extend((r.event_id, row["id"], r.key) for r in group)
    write_clusters(connection, rows, assignments, replaced)
    return len(assignments) - len(rejected), len(rows)


def _unchanged(
    block: Sequence[Report], groups: Sequence[Sequence[Report]], pending: set[str]
) -> set[str]:
    """Stored clusters that the sweep rebuilt with exactly the same members: nothing of
    them changes, so they are not written again. Without this, every pass rewrote every
    cluster of a busy block (one dyad's talks all week), and ingest slowed down as the
    database grew. A pending report (new, or released from a dropped cluster that it
    still names) always means a write."""
    before: dict[str, set[str]] = defaultdict(set)
    for report in block:
        if report.old_cluster:
            before[report.old_cluster].add(report.event_id)
    same = set()
    for group in groups:
        if any(r.event_id in pending for r in group):
            continue
        old = {r.old_cluster for r in group}
        if (
            len(old) == 1
            and (cluster := old.pop())
            and before[cluster] == {r.event_id for r in group}
        ):
            same.add(cluster)
    return same


def _stored(
    connection: Connection, by_key: Mapping[str, Sequence[Report]], window: int
) -> dict[str, list[Report]]:
    """The clustered reports of each block that its new ones may change (see the module
    doc), by block key; "~" blocks hold one report and have none."""
    since_by_key: dict[str, str | None] = {}
    for key, new in by_key.items():
        if not key.startswith("~"):
            first = min(r.day for r in new)
            since_by_key[key] = date.fromordinal(first - window).isoformat() if first else None
    stored: dict[str, list[Report]] = {}
    for key, rows in block_rows(connection, since_by_key).items():
        since, new = since_by_key[key], by_key[key]
        sides = (new[0].actors, new[0].recipients)
        stored[key] = [
            report_of(row, sides)
            for row in rows
            # a cluster anchored before the window closed before the new reports
            if since is None or row["date_first"] is None or row["date_first"] >= since
        ]
    return stored
