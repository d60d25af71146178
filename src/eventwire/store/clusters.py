"""The clusters table: what clustering reads and writes, and cluster queries.

Clustering itself (which reports belong together) is :mod:`eventwire.cluster`;
this module only moves rows. An event whose ``cluster_key`` is NULL waits to be
clustered: new events start that way, and :func:`release_clusters` puts the
members of a cluster back in that state when one of its reports changes or goes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)

from eventwire.model import Cluster
from eventwire.store.bulk import bulk_insert, bulk_update
from eventwire.store.reading import chunks
from eventwire.store.schema import (
    article_signatures,
    articles,
    clusters,
    event_actors,
    event_links,
    events,
    meta,
)

REJECTED_KEY = "-"  # cluster_key of events that are never clustered (rejected by an analyst)

_REPORT_COLUMNS = (
    events.c.id,
    events.c.article_id,
    events.c.type,
    events.c.reciprocal,
    events.c.status,
    events.c.date_value,
    events.c.date_precision,
    events.c.place_country,
    events.c.geonameid,
    events.c.place_precision,
    events.c.cluster_id,
    events.c.correction,
)


@dataclass(frozen=True, slots=True)
class ClusterFilter:
    actor: str | None = None
    recipient: str | None = None
    dyad: tuple[str, str] | None = None  # either direction
    type: str | None = None
    status: str | None = None  # the combined status
    country: str | None = None
    since: str | None = None  # first report's event date, inclusive
    until: str | None = None
    min_sources: int = 0
    limit: int | None = 100


# --- what clustering reads ----------------------------------------------------------------


def pending_rows(connection: Connection) -> list[Mapping[Any, Any]]:
    """Events waiting to be clustered."""
    query = select(*_REPORT_COLUMNS).where(events.c.cluster_key.is_(None))
    return list(connection.execute(query).mappings())


def all_rows(connection: Connection) -> list[Mapping[Any, Any]]:
    """Every event: for rebuilding all clusters at once (bulk loads, a new window)."""
    return list(connection.execute(select(*_REPORT_COLUMNS)).mappings())


def actor_codes(
    connection: Connection, event_ids: Sequence[str] | None
) -> dict[str, tuple[list[str], list[str]]]:
    """(actor codes, recipient codes) of each event; of every event when ids is None."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    base = select(event_actors.c.event_id, event_actors.c.role, event_actors.c.code).where(
        event_actors.c.role.in_(("actor", "recipient")), event_actors.c.code.is_not(None)
    )
    queries = (
        [base]
        if event_ids is None
        else [base.where(event_actors.c.event_id.in_(chunk)) for chunk in chunks(event_ids)]
    )
    for query in queries:
        for event_id, role, code in connection.execute(query):
            pair = found.setdefault(event_id, ([], []))
            pair[0 if role == "actor" else 1].append(code)
    return found


def block_rows(
    connection: Connection, since_by_key: Mapping[str, str | None]
) -> dict[str, list[Mapping[Any, Any]]]:
    """Clustered events of each block key dated its ``since`` or later (all of the
    block when None), with their cluster's first date; by key.

    One query per couple of hundred blocks, not one per block: a pass of ingest
    touches hundreds of blocks, and the round trips cost more than the rows. Each
    term of the OR is answered from ``ix_events_cluster_key_date``."""
    found: dict[str, list[Mapping[Any, Any]]] = {key: [] for key in since_by_key}
    for chunk in chunks(sorted(since_by_key), _BLOCK_QUERY_SIZES[-1]):
        size = next(n for n in _BLOCK_QUERY_SIZES if n >= len(chunk))
        padded = [*chunk, *[chunk[-1]] * (size - len(chunk))]  # a repeated term adds no row
        values: dict[str, str] = {}
        for n, key in enumerate(padded):
            # A real block's events are all dated (undated ones are blocks of their
            # own), and every date is at or after "".
            values[f"k{n}"], values[f"s{n}"] = key, since_by_key[key] or ""
        for row in connection.execute(_block_query(size), values).mappings():
            found[row["cluster_key"]].append(row)
    return found


# Fixed query sizes, so that each is built and compiled once per process: building a
# statement of a couple of hundred terms cost more than running it.
_BLOCK_QUERY_SIZES = (8, 40, 200)


@cache
def _block_query(size: int) -> Select[Any]:
    terms = [
        and_(events.c.cluster_key == bindparam(f"k{n}"), events.c.date_value >= bindparam(f"s{n}"))
        for n in range(size)
    ]
    return (
        select(*_REPORT_COLUMNS, events.c.cluster_key, clusters.c.date_first)
        .outerjoin(clusters, clusters.c.id == events.c.cluster_id)
        .where(or_(*terms))
    )


def outlet(row: Mapping[Any, Any]) -> str:
    if row["site_name"]:
        return str(row["site_name"])
    if row["url"]:
        host = urlsplit(row["url"]).hostname or ""
        return host.removeprefix("www.") or str(row["id"])
    return str(row["id"])


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    outlet: str  # site name, URL host or, failing both, the article id
    published: str | None
    ingested_at: str
    original: str  # the article itself, or the one it is a near-duplicate of


def article_facts(connection: Connection, article_ids: Iterable[str]) -> dict[str, ArticleFacts]:
    found = {}
    columns = (articles.c.id, articles.c.site_name, articles.c.url)
    for chunk in chunks(sorted(set(article_ids))):
        query = select(
            *columns, articles.c.published, articles.c.ingested_at, articles.c.duplicate_of
        ).where(articles.c.id.in_(chunk))
        for row in connection.execute(query).mappings():
            found[row["id"]] = ArticleFacts(
                outlet(row), row["published"], row["ingested_at"], row["duplicate_of"] or row["id"]
            )
    return found


def stored_window(connection: Connection) -> int | None:
    value = connection.execute(
        select(meta.c.value).where(meta.c.key == "cluster_window_days")
    ).scalar()
    return None if value is None else int(value)


# --- what clustering writes ---------------------------------------------------------------


def release_clusters(connection: Connection, cluster_ids: Iterable[str | None]) -> None:
    """Drop these clusters and mark their members for re-clustering."""
    ids = sorted({i for i in cluster_ids if i})
    for chunk in chunks(ids):
        connection.execute(
            update(events)
            .where(events.c.cluster_id.in_(chunk), events.c.cluster_key != REJECTED_KEY)
            .values(cluster_key=None)
        )
        connection.execute(delete(clusters).where(clusters.c.id.in_(chunk)))


def forget_copies(connection: Connection, article_id: str) -> None:
    """The text of ``article_id`` is about to change: its copies must be checked again."""
    copies = [
        row.id
        for row in connection.execute(
            select(articles.c.id).where(articles.c.duplicate_of == article_id)
        )
    ]
    for chunk in chunks(copies):
        connection.execute(
            update(articles).where(articles.c.id.in_(chunk)).values(duplicate_of=None)
        )
        connection.execute(
            delete(article_signatures).where(article_signatures.c.article_id.in_(chunk))
        )


def release_all(connection: Connection, window_days: int) -> None:
    """Forget every cluster (the window changed, or a bulk load rebuilds them all)."""
    connection.execute(delete(clusters))
    connection.execute(update(events).values(cluster_key=None))
    connection.execute(delete(meta).where(meta.c.key == "cluster_window_days"))
    connection.execute(meta.insert().values(key="cluster_window_days", value=str(window_days)))


def write_clusters(
    connection: Connection,
    rows: Sequence[Mapping[Any, Any]],
    assignments: Sequence[tuple[str, str | None, str]],
    replaced: Iterable[str | None],
) -> None:
    """Replace clusters ``replaced`` by ``rows``; assignments are (event, cluster, key)."""
    stale = sorted({i for i in replaced if i})
    for chunk in chunks(stale):
        connection.execute(delete(clusters).where(clusters.c.id.in_(chunk)))
    bulk_insert(connection, clusters, rows)
    bulk_update(
        connection,
        events,
        "id",
        [{"cluster_id": c, "cluster_key": k, "id": e} for e, c, k in assignments],
    )
    anchors = {row["anchor_event"] for row in rows}
    bulk_update(
        connection,
        event_links,
        "event_id",
        [{"cluster_id": c, "anchor": int(e in anchors), "event_id": e} for e, c, _ in assignments],
    )


# --- cluster queries ------------------------------------------------------------------------


def _has_code(column: Any, code: str) -> ColumnElement[bool]:
    # codes are stored space-separated: pad both sides so RUS never matches RUSX
    padded = literal(" ") + column + literal(" ")
    matches: ColumnElement[bool] = padded.like(f"% {code.upper()} %")
    return matches


def cluster_query(where: ClusterFilter) -> Select[tuple[object, ...]]:
    """Clusters matching ``where``, newest first, then by number of sources."""
    query = select(clusters)
    if where.actor:
        query = query.where(_has_code(clusters.c.actor_codes, where.actor))
    if where.recipient:
        query = query.where(_has_code(clusters.c.recipient_codes, where.recipient))
    if where.dyad:
        a, b = where.dyad
        query = query.where(
            or_(
                _has_code(clusters.c.actor_codes, a) & _has_code(clusters.c.recipient_codes, b),
                _has_code(clusters.c.actor_codes, b) & _has_code(clusters.c.recipient_codes, a),
                # a reciprocal event: both sides act, no recipient
                (clusters.c.recipient_codes == "")
                & _has_code(clusters.c.actor_codes, a)
                & _has_code(clusters.c.actor_codes, b),
            )
        )
    if where.type:
        query = query.where(clusters.c.type == where.type.upper())
    if where.status:
        query = query.where(clusters.c.status == where.status)
    if where.country:
        query = query.where(clusters.c.country == where.country.upper())
    if where.since:
        query = query.where(clusters.c.date_first >= where.since)
    if where.until:
        query = query.where(clusters.c.date_first <= where.until + "~")
    if where.min_sources:
        query = query.where(clusters.c.n_sources >= where.min_sources)
    query = query.order_by(
        clusters.c.date_first.desc().nulls_last(), clusters.c.n_sources.desc(), clusters.c.id
    )
    if where.limit:
        query = query.limit(where.limit)
    return query


def load_clusters(connection: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[Cluster]:
    """Clusters for ``rows`` of the clusters table, with their member events and articles."""
    members: dict[str, list[tuple[str, str]]] = {r["id"]: [] for r in rows}
    for chunk in chunks(list(members)):
        query = select(events.c.cluster_id, events.c.id, events.c.article_id).where(
            events.c.cluster_id.in_(chunk)
        )
        for cluster_id, event_id, article_id in connection.execute(query):
            members[cluster_id].append((event_id, article_id))
    return [cluster_from_row(r, members[r["id"]]) for r in rows]


def cluster_from_row(row: Mapping[Any, Any], members: Iterable[tuple[str, str]]) -> Cluster:
    pairs = sorted(members)
    counts = json.loads(row["status_counts"])
    return Cluster(
        id=row["id"],
        type=row["type"],
        actor_codes=tuple(row["actor_codes"].split()),
        recipient_codes=tuple(row["recipient_codes"].split()),
        date=row["date_first"],
        country=row["country"],
        status=row["status"],
        event_ids=tuple(e for e, _ in pairs),
        article_ids=tuple(sorted({a for _, a in pairs})),
        first_seen=row["first_seen"],
        date_last=row["date_last"],
        status_counts=tuple((s, int(n)) for s, n in counts.items()),
        sources=tuple(json.loads(row["sources"])),
        independent=row["n_independent"],
    )


def count_clusters(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(clusters)).scalar_one())
