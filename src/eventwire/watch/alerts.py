"""Alerts: once per event cluster and rule, stored with the state of their delivery.

:func:`check_clusters` runs rules over clusters. A cluster is recognised by its
reports (``alert_events``), not by its id, because the id follows the cluster's
earliest report and may change when an earlier report arrives. So:

1. a cluster none of whose reports a rule has alerted on, and that the rule
   matches, gets one alert of kind ``new``;
2. a cluster that already alerted gets no new alert when reports join it; the new
   reports are added to its alert's reports;
3. when that cluster's combined status changes (alleged → reported), one alert of
   kind ``update`` is recorded, with ``previous_status`` (whether or not the new
   status is one the rule asks for: the rule asked to follow that event).

Every alert gets a ``pending`` delivery row per output of its rule; delivering
them is :mod:`eventwire.watch.delivery`'s job. :func:`check_new_reports` checks
the clusters of the articles stored since a time, which is how ``eventwire watch``
finds the clusters a cycle touched, also after a restart.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, delete, func, insert, select, text

from eventwire.model import Cluster
from eventwire.store import Store
from eventwire.store.clusters import load_clusters
from eventwire.store.reading import chunks
from eventwire.store.schema import (
    alert_deliveries,
    alert_events,
    alerts,
    articles,
    clusters,
    events,
    meta,
    sentences,
)
from eventwire.watch.rules import Rule, rule_matches

AlertKind = Literal["new", "update"]
DeliveryState = Literal["pending", "delivered", "failed"]

_ADVISORY_LOCK = 0x77617463  # one rule checker at a time on PostgreSQL
_CHECKED_KEY = "watch_checked_at"  # in the meta table: articles stored before it are checked
_NEW_ALERTS = threading.Condition()  # wakes wait_for_alerts in this process at once


@dataclass(frozen=True, slots=True)
class Delivery:
    """One output of one alert and how its delivery went."""

    output: str  # "stdout", "jsonl:PATH" or "webhook:URL"
    state: DeliveryState
    attempts: int
    last_error: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored alert. ``payload`` is the alert JSON exactly as it is delivered."""

    id: int
    rule: str
    kind: AlertKind
    cluster_id: str
    first_alert: int | None  # on an update: the id of the cluster's first alert
    status: str
    n_sources: int
    created_at: str
    payload: Mapping[str, Any]
    deliveries: tuple[Delivery, ...] = ()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- checking ------------------------------------------------------------------------------


def _evidence(connection: Connection, event_id: str) -> dict[str, Any]:
    """The earliest report of a cluster: its sentence and article, for the alert's reader."""
    query = (
        select(
            events.c.id,
            events.c.article_id,
            events.c.trigger_text,
            events.c.mode,
            articles.c.url,
            articles.c.title,
            articles.c.published,
            sentences.c.text,
        )
        .join(articles, articles.c.id == events.c.article_id)
        .outerjoin(
            sentences,
            (sentences.c.article_id == events.c.article_id)
            & (sentences.c.idx == events.c.sentence_idx),
        )
        .where(events.c.id == event_id)
    )
    row = connection.execute(query).mappings().first()
    if row is None:
        return {}
    return {
        "event_id": row["id"],
        "article_id": row["article_id"],
        "url": row["url"],
        "title": row["title"],
        "published": row["published"],
        "sentence": row["text"],
        "trigger": row["trigger_text"],
        "mode": row["mode"],
    }


def _summary(cluster: Cluster) -> str:
    actors = " ".join(cluster.actor_codes) or "?"
    recipients = " ".join(cluster.recipient_codes)
    who = f"{actors} → {recipients}" if recipients else actors
    where = f" in {cluster.country}" if cluster.country else ""
    n = len(cluster.sources)
    return (
        f"{cluster.type} {who}, {cluster.date or 'undated'}{where}: {cluster.status} "
        f"({n} source{'s' if n != 1 else ''})"
    )


def _payload(
    alert_id: int,
    rule: Rule,
    kind: AlertKind,
    cluster: Cluster,
    created: str,
    evidence: Mapping[str, Any],
    previous_status: str | None,
) -> dict[str, Any]:
    return {
        "id": alert_id,
        "kind": kind,
        "rule": rule.name,
        "created_at": created,
        "summary": _summary(cluster),
        "previous_status": previous_status,
        "cluster": {
            "id": cluster.id,
            "type": cluster.type,
            "actors": list(cluster.actor_codes),
            "recipients": list(cluster.recipient_codes),
            "date": cluster.date,
            "date_last": cluster.date_last,
            "country": cluster.country,
            "status": cluster.status,
            "status_counts": dict(cluster.status_counts),
            "sources": list(cluster.sources),
            "n_sources": len(cluster.sources),
            "n_independent": cluster.independent,  # articles that are not copies of another
            "n_reports": len(cluster.event_ids),
            "n_articles": len(cluster.article_ids),
            "first_seen": cluster.first_seen,
        },
        "evidence": dict(evidence),
    }


def _record(
    connection: Connection,
    rule: Rule,
    kind: AlertKind,
    cluster: Cluster,
    anchor: str,
    first_alert: int | None,
    previous_status: str | None,
) -> int:
    created = now()
    alert_id = connection.execute(
        insert(alerts)
        .values(
            rule=rule.name,
            kind=kind,
            cluster_id=cluster.id,
            first_alert=first_alert,
            status=cluster.status,
            n_sources=len(cluster.sources),
            payload="{}",
            created_at=created,
        )
        .returning(alerts.c.id)
    ).scalar_one()
    payload = _payload(
        alert_id, rule, kind, cluster, created, _evidence(connection, anchor), previous_status
    )
    connection.execute(
        alerts.update()
        .where(alerts.c.id == alert_id)
        .values(payload=json.dumps(payload, ensure_ascii=False))
    )
    if rule.outputs:
        connection.execute(
            alert_deliveries.insert(),
            [
                {
                    "alert_id": alert_id,
                    "output": str(output),
                    "state": "pending",
                    "attempts": 0,
                    "last_error": None,
                    "updated_at": created,
                }
                for output in rule.outputs
            ],
        )
    return int(alert_id)


def _latest_status(connection: Connection, first_alert: int) -> str:
    query = (
        select(alerts.c.status)
        .where((alerts.c.id == first_alert) | (alerts.c.first_alert == first_alert))
        .order_by(alerts.c.id.desc())
        .limit(1)
    )
    return str(connection.execute(query).scalar_one())


def _alerted(connection: Connection, event_ids: Sequence[str]) -> dict[tuple[str, str], int]:
    """(rule, event id) → the first alert of its cluster, for these events."""
    found: dict[tuple[str, str], int] = {}
    for chunk in chunks(list(event_ids)):
        query = select(alert_events).where(alert_events.c.event_id.in_(chunk))
        for row in connection.execute(query):
            found[(row.rule, row.event_id)] = row.alert_id
    return found


def _modes(connection: Connection, cluster_ids: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks(list(cluster_ids)):
        query = select(events.c.cluster_id, events.c.mode).where(
            events.c.cluster_id.in_(chunk), events.c.mode.is_not(None)
        )
        for cluster_id, mode in connection.execute(query):
            found[cluster_id].add(mode)
    return found


def _check_one(
    connection: Connection,
    rule: Rule,
    cluster: Cluster,
    anchor: str,
    modes: set[str],
    alerted: dict[tuple[str, str], int],
) -> int | None:
    """The alert ``rule`` makes for ``cluster`` now, if any; keeps ``alerted`` current."""
    threads = {alerted[(rule.name, e)] for e in cluster.event_ids if (rule.name, e) in alerted}
    made = None
    if threads:
        first = min(threads)
        previous = _latest_status(connection, first)
        if previous != cluster.status:
            made = _record(connection, rule, "update", cluster, anchor, first, previous)
    elif rule_matches(rule, cluster, modes):
        first = made = _record(connection, rule, "new", cluster, anchor, None, None)
    else:
        return None
    fresh = [e for e in cluster.event_ids if (rule.name, e) not in alerted]
    if fresh:
        connection.execute(
            alert_events.insert(),
            [{"rule": rule.name, "event_id": e, "alert_id": first} for e in fresh],
        )
        alerted.update({(rule.name, e): first for e in fresh})
    return made


def _check(connection: Connection, rules: Sequence[Rule], cluster_ids: Sequence[str]) -> list[int]:
    """Steps 1-3 of the module doc over ``cluster_ids``; returns the new alerts' ids."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))
    rows: list[Mapping[Any, Any]] = []
    for chunk in chunks(sorted(set(cluster_ids))):
        query = select(clusters).where(clusters.c.id.in_(chunk)).order_by(clusters.c.id)
        rows.extend(connection.execute(query).mappings().all())
    found = load_clusters(connection, rows)
    anchors = {row["id"]: row["anchor_event"] for row in rows}
    modes = _modes(connection, [c.id for c in found])
    alerted = _alerted(connection, [e for c in found for e in c.event_ids])
    made = []
    for cluster in found:
        for rule in rules:
            alert = _check_one(
                connection, rule, cluster, anchors[cluster.id], modes[cluster.id], alerted
            )
            if alert is not None:
                made.append(alert)
    return made


def _notify() -> None:
    with _NEW_ALERTS:
        _NEW_ALERTS.notify_all()


def check_clusters(store: Store, rules: Sequence[Rule], cluster_ids: Iterable[str]) -> list[Alert]:
    """Run ``rules`` over these clusters; the alerts made now (see the module doc)."""
    ids = list(cluster_ids)
    if not rules or not ids:
        return []
    with store.transaction("check watchlist rules") as connection:
        made = _check(connection, rules, ids)
    return _made(store, made)


def _made(store: Store, made: Sequence[int]) -> list[Alert]:
    if not made:
        return []
    _notify()
    return get_alerts(store, made)


def touched_clusters(connection: Connection, since: str) -> list[str]:
    """Clusters with a report from an article stored at or after ``since`` (ISO time)."""
    query = (
        select(events.c.cluster_id)
        .join(articles, articles.c.id == events.c.article_id)
        .where(articles.c.ingested_at >= since, events.c.cluster_id.is_not(None))
        .distinct()
    )
    return sorted(connection.execute(query).scalars())


def checked_at(store: Store) -> str | None:
    """Until when ``eventwire watch`` has checked new reports (None: never)."""
    with store.reading("read the watch state") as connection:
        value = connection.execute(select(meta.c.value).where(meta.c.key == _CHECKED_KEY)).scalar()
    return None if value is None else str(value)


def check_new_reports(store: Store, rules: Sequence[Rule], since: str, until: str) -> list[Alert]:
    """Run ``rules`` over the clusters of the articles stored since ``since``, and note
    ``until`` (the time this check's reports were read from) as checked, in the same
    transaction: a check killed half-way is done again, whole, by the next one."""
    with store.transaction("check watchlist rules") as connection:
        made = _check(connection, rules, touched_clusters(connection, since)) if rules else []
        connection.execute(delete(meta).where(meta.c.key == _CHECKED_KEY))
        connection.execute(meta.insert().values(key=_CHECKED_KEY, value=until))
    return _made(store, made)


# --- reading -------------------------------------------------------------------------------


def _deliveries(connection: Connection, ids: Sequence[int]) -> dict[int, list[Delivery]]:
    found: dict[int, list[Delivery]] = defaultdict(list)
    for chunk in chunks(list(ids)):
        query = (
            select(alert_deliveries)
            .where(alert_deliveries.c.alert_id.in_(chunk))
            .order_by(alert_deliveries.c.alert_id, alert_deliveries.c.output)
        )
        for row in connection.execute(query):
            found[row.alert_id].append(
                Delivery(row.output, row.state, row.attempts, row.last_error, row.updated_at)
            )
    return found


def _alerts(connection: Connection, rows: Sequence[Any]) -> list[Alert]:
    deliveries = _deliveries(connection, [row.id for row in rows])
    return [
        Alert(
            id=row.id,
            rule=row.rule,
            kind=row.kind,
            cluster_id=row.cluster_id,
            first_alert=row.first_alert,
            status=row.status,
            n_sources=row.n_sources,
            created_at=row.created_at,
            payload=json.loads(row.payload),
            deliveries=tuple(deliveries.get(row.id, ())),
        )
        for row in rows
    ]


def get_alerts(store: Store, ids: Iterable[int]) -> list[Alert]:
    """The alerts with these ids, in id order."""
    wanted = sorted(set(ids))
    with store.reading("read alerts") as connection:
        rows: list[Any] = []
        for chunk in chunks(wanted):
            rows.extend(connection.execute(select(alerts).where(alerts.c.id.in_(chunk))).all())
        return _alerts(connection, sorted(rows, key=lambda r: r.id))


def alerts_since(
    store: Store, after_id: int = 0, *, rule: str | None = None, limit: int | None = 100
) -> list[Alert]:
    """Alerts with an id above ``after_id``, oldest first: what a live view has not shown."""
    query = select(alerts).where(alerts.c.id > after_id)
    if rule is not None:
        query = query.where(alerts.c.rule == rule)
    query = query.order_by(alerts.c.id)
    if limit:
        query = query.limit(limit)
    with store.reading("read alerts") as connection:
        return _alerts(connection, connection.execute(query).all())


def latest_alerts(store: Store, *, rule: str | None = None, limit: int = 50) -> list[Alert]:
    """The newest alerts first (for a page or ``eventwire alerts``)."""
    query = select(alerts)
    if rule is not None:
        query = query.where(alerts.c.rule == rule)
    query = query.order_by(alerts.c.id.desc()).limit(limit)
    with store.reading("read alerts") as connection:
        return _alerts(connection, connection.execute(query).all())


def last_alert_id(store: Store) -> int:
    """The id of the newest alert, 0 when there is none: where a live stream starts."""
    with store.reading("read alerts") as connection:
        return int(connection.execute(select(func.coalesce(func.max(alerts.c.id), 0))).scalar_one())


def wait_for_alerts(
    store: Store,
    after_id: int,
    timeout: float,
    *,
    rule: str | None = None,
    poll_interval: float = 1.0,
    stop: threading.Event | None = None,
) -> list[Alert]:
    """Alerts above ``after_id`` as soon as there are some, or [] after ``timeout`` seconds.

    Alerts made in this process wake the wait at once; those of another process (a
    ``watch`` beside a ``serve``) are seen within ``poll_interval``. ``stop`` ends
    the wait early.
    """
    deadline = time.monotonic() + timeout
    while True:
        found = alerts_since(store, after_id, rule=rule)
        left = deadline - time.monotonic()
        if found or left <= 0 or (stop is not None and stop.is_set()):
            return found
        with _NEW_ALERTS:
            _NEW_ALERTS.wait(min(poll_interval, left))


async def wait_for_alerts_async(
    store: Store,
    after_id: int,
    timeout: float,
    *,
    rule: str | None = None,
    poll_interval: float = 1.0,
) -> list[Alert]:
    """:func:`wait_for_alerts` for an event loop (an SSE endpoint): the database is read
    in a worker thread, and the loop is never blocked."""
    deadline = time.monotonic() + timeout
    while True:
        found = await asyncio.to_thread(alerts_since, store, after_id, rule=rule)
        left = deadline - time.monotonic()
        if found or left <= 0:
            return found
        await asyncio.sleep(min(poll_interval, left))


# --- delivery state ------------------------------------------------------------------------


def pending_deliveries(store: Store) -> list[tuple[Alert, str]]:
    """(alert, output) of every delivery not yet done: what a restarted watch resumes."""
    query = select(alert_deliveries.c.alert_id, alert_deliveries.c.output).where(
        alert_deliveries.c.state == "pending"
    )
    with store.reading("read alert deliveries") as connection:
        pairs = connection.execute(query.order_by(alert_deliveries.c.alert_id)).all()
    by_id = {a.id: a for a in get_alerts(store, {p.alert_id for p in pairs})}
    return [(by_id[p.alert_id], p.output) for p in pairs if p.alert_id in by_id]


def mark_delivery(
    store: Store,
    alert_id: int,
    output: str,
    state: DeliveryState,
    error: str | None = None,
) -> None:
    """Note one attempt to deliver ``alert_id`` to ``output`` and where that leaves it."""
    table = alert_deliveries
    with store.transaction(f"record the delivery of alert {alert_id}") as connection:
        connection.execute(
            table.update()
            .where(table.c.alert_id == alert_id, table.c.output == output)
            .values(state=state, attempts=table.c.attempts + 1, last_error=error, updated_at=now())
        )
