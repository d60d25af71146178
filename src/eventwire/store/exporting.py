"""What exports read: events with their article and cluster, a page at a time.

Exports stream: every function here yields pages of bounded size in id order
(keyset pagination), so writing a million events never holds them all in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from eventwire.model import Event
from eventwire.store.clusters import outlet
from eventwire.store.queries import EventFilter, event_conditions, event_query
from eventwire.store.reading import chunks, load_events, stream_events
from eventwire.store.schema import articles, clusters, event_actors, event_links, events


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    url: str | None
    source: str  # the input it came from: a path, a URL, "batch.jsonl:3"
    title: str | None
    publication: str  # site name, URL host or article id
    published: str | None
    ingested_at: str
    length: int  # characters of the cleaned text (all offsets refer to it)
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class ClusterRef:
    id: str
    status: str
    n_events: int
    n_articles: int
    n_sources: int
    n_independent: int
    date_first: str | None
    first_seen: str | None
    added_at: str | None  # when its first report was stored
    anchor_event: str


@dataclass(frozen=True, slots=True)
class Record:
    """One event as exports see it."""

    event: Event
    article: ArticleRef
    cluster: ClusterRef | None


def _articles(connection: Connection, ids: Sequence[str]) -> dict[str, ArticleRef]:
    found = {}
    columns = (
        articles.c.id,
        articles.c.url,
        articles.c.source,
        articles.c.title,
        articles.c.site_name,
        articles.c.published,
        articles.c.ingested_at,
        func.length(articles.c.text).label("length"),
        articles.c.duplicate_of,
    )
    for chunk in chunks(sorted(set(ids))):
        for row in connection.execute(select(*columns).where(articles.c.id.in_(chunk))).mappings():
            found[row["id"]] = ArticleRef(
                row["id"],
                row["url"],
                row["source"],
                row["title"],
                outlet(row),
                row["published"],
                row["ingested_at"],
                row["length"],
                row["duplicate_of"],
            )
    return found


def _cluster_ref(row: Mapping[Any, Any]) -> ClusterRef:
    return ClusterRef(
        row["id"],
        row["status"],
        row["n_events"],
        row["n_articles"],
        row["n_sources"],
        row["n_independent"],
        row["date_first"],
        row["first_seen"],
        row["added_at"],
        row["anchor_event"],
    )


def _clusters(connection: Connection, ids: Sequence[str | None]) -> dict[str, ClusterRef]:
    found = {}
    for chunk in chunks(sorted({i for i in ids if i})):
        for row in connection.execute(select(clusters).where(clusters.c.id.in_(chunk))).mappings():
            found[row["id"]] = _cluster_ref(row)
    return found


def _records(connection: Connection, page: Sequence[Event]) -> list[Record]:
    refs = _articles(connection, [e.article_id for e in page])
    groups = _clusters(connection, [e.cluster_id for e in page])
    return [Record(e, refs[e.article_id], groups.get(e.cluster_id or "")) for e in page]


def stream_records(connection: Connection, where: EventFilter) -> Iterator[list[Record]]:
    """Pages of records for the events ``where`` selects."""
    for page in stream_events(connection, event_query(where, connection.dialect.name)):
        yield _records(connection, page)


def stream_cluster_records(
    connection: Connection, where: EventFilter, page: int = 1000
) -> Iterator[list[tuple[ClusterRef, Record]]]:
    """Pages of (cluster, its anchor report) for clusters with an event ``where`` selects."""
    member = exists().where(
        and_(
            events.c.cluster_id == clusters.c.id, *event_conditions(where, connection.dialect.name)
        )
    )
    last: str | None = None
    while True:
        query = select(clusters).where(member).order_by(clusters.c.id).limit(page)
        if last is not None:
            query = query.where(clusters.c.id > last)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        refs = [_cluster_ref(r) for r in rows]
        anchors = (
            connection.execute(
                select(events).where(events.c.id.in_([r.anchor_event for r in refs]))
            )
            .mappings()
            .all()
        )
        records = {r.event.id: r for r in _records(connection, load_events(connection, anchors))}
        yield [(ref, records[ref.anchor_event]) for ref in refs if ref.anchor_event in records]
        last = rows[-1]["id"]


@dataclass(frozen=True, slots=True)
class Tie:
    """Events of one type from one actor to one recipient, with their mode."""

    actor: str
    recipient: str
    type: str
    mode: str | None
    events: int  # reports
    clusters: int  # real events


def ties(connection: Connection, where: EventFilter) -> Iterator[Tie]:
    """Actor → recipient counts by type and mode (the edges of an actor network)."""
    query = (
        select(
            event_links.c.code,
            event_links.c.other,
            event_links.c.type,
            event_links.c.mode,
            func.count(),  # one row per event and counterpart
            func.sum(event_links.c.anchor),
        )
        .where(event_links.c.role == "actor", event_links.c.other.is_not(None))
        .group_by(event_links.c.code, event_links.c.other, event_links.c.type, event_links.c.mode)
    )
    if where != EventFilter(limit=None):  # a filtered network: only the selected events
        selected = select(events.c.id).where(*event_conditions(where, connection.dialect.name))
        query = query.where(event_links.c.event_id.in_(selected))
    for row in connection.execute(query):
        yield Tie(*row)


def actor_names(connection: Connection) -> dict[str, str]:
    """The most frequent name of each actor code."""
    query = (
        select(event_actors.c.code, event_actors.c.name, func.count())
        .where(event_actors.c.code.is_not(None), event_actors.c.name.is_not(None))
        .group_by(event_actors.c.code, event_actors.c.name)
    )
    best: dict[str, tuple[int, str]] = {}
    for code, name, count in connection.execute(query):
        if code not in best or (count, name) > best[code]:
            best[code] = (count, name)
    return {code: name for code, (_, name) in best.items()}
