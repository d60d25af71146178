"""Read-only queries for browsing a store page by page (the web API and dashboard).

Everything here takes an open connection (``Store.reading``) and builds on the
shared filters of :mod:`eventwire.store.queries` and :mod:`eventwire.store.clusters`,
adding what a browser needs and the CLI does not: offsets, ascending order, the
sentences of one article, counts per period for charts, and located events.
Each query reads through an index, so pages stay fast on millions of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, or_, select

from eventwire.model import Cluster, Event, Sentence
from eventwire.store.clusters import ClusterFilter, cluster_query, load_clusters, outlet
from eventwire.store.queries import (
    DENSE,
    EventFilter,
    dense_roles,
    event_conditions,
    event_query,
)
from eventwire.store.reading import chunks, load_events
from eventwire.store.schema import articles, clusters, event_actors, events, sentences
from eventwire.store.schema import event_links as links
from eventwire.store.summaries import load_ontology


def events_page(
    connection: Connection, where: EventFilter, offset: int = 0, ascending: bool = False
) -> list[Event]:
    """``where.limit`` events after skipping ``offset``, by date (newest first unless
    ``ascending``), ties in text order."""
    query = event_query(where, connection.dialect.name, dense_roles(connection, where))
    if ascending:
        query = query.order_by(None).order_by(
            events.c.date_value.asc().nulls_last(),
            events.c.article_id,
            events.c.sentence_idx,
            events.c.trigger_start,
        )
    rows = connection.execute(query.offset(offset)).mappings().all()
    return load_events(connection, rows)


def clusters_page(
    connection: Connection, where: ClusterFilter, offset: int = 0, ascending: bool = False
) -> list[Cluster]:
    query = cluster_query(where)
    for code in (where.actor, where.recipient):
        if code:
            # Codes are matched in the clusters' code lists, which no index answers: for
            # an actor in few events, read first the clusters of its events (a cluster's
            # codes are those of its earliest report), then match only those.
            involved = select(event_actors.c.event_id).where(
                event_actors.c.code == code.upper(),
                event_actors.c.role.in_(("actor", "recipient")),
            )
            some = select(func.count()).select_from(involved.limit(DENSE).subquery())
            if connection.execute(some).scalar_one() < DENSE:
                query = query.where(
                    clusters.c.id.in_(select(events.c.cluster_id).where(events.c.id.in_(involved)))
                )
                break
    if ascending:
        query = query.order_by(None).order_by(
            clusters.c.date_first.asc().nulls_last(), clusters.c.n_sources.desc(), clusters.c.id
        )
    rows = connection.execute(query.offset(offset)).mappings().all()
    return load_clusters(connection, rows)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An article as lists show it: no text, with its outlet and number of events."""

    id: str
    title: str | None
    url: str | None
    source: str
    outlet: str
    published: str | None
    ingested_at: str
    duplicate_of: str | None
    events: int  # events not rejected by an analyst


_ARTICLE_COLUMNS = (
    articles.c.id,
    articles.c.title,
    articles.c.url,
    articles.c.source,
    articles.c.site_name,
    articles.c.published,
    articles.c.ingested_at,
    articles.c.duplicate_of,
)


def _not_rejected() -> Any:
    return or_(events.c.correction.is_(None), events.c.correction != "rejected")


def articles_page(
    connection: Connection,
    limit: int,
    offset: int = 0,
    ascending: bool = False,
    title: str | None = None,
) -> list[ArticleRow]:
    """Articles by publication date (newest first unless ``ascending``); ``title``
    keeps those whose title holds every word of it."""
    published = articles.c.published.asc() if ascending else articles.c.published.desc()
    query = select(*_ARTICLE_COLUMNS).order_by(published.nulls_last(), articles.c.id)
    for word in (title or "").lower().split():
        query = query.where(func.lower(articles.c.title).like(f"%{word}%"))
    rows = connection.execute(query.limit(limit).offset(offset)).mappings().all()
    counts = event_counts(connection, [r["id"] for r in rows])
    return [_article_row(r, counts.get(r["id"], 0)) for r in rows]


def _article_row(row: Mapping[Any, Any], n_events: int) -> ArticleRow:
    return ArticleRow(
        row["id"],
        row["title"],
        row["url"],
        row["source"],
        outlet(row),
        row["published"],
        row["ingested_at"],
        row["duplicate_of"],
        n_events,
    )


def event_counts(connection: Connection, article_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(article_ids):
        query = (
            select(events.c.article_id, func.count())
            .where(events.c.article_id.in_(chunk), _not_rejected())
            .group_by(events.c.article_id)
        )
        found.update({a: int(n) for a, n in connection.execute(query)})
    return found


def article_rows(connection: Connection, article_ids: Sequence[str]) -> dict[str, ArticleRow]:
    found = {}
    for chunk in chunks(sorted(set(article_ids))):
        query = select(*_ARTICLE_COLUMNS).where(articles.c.id.in_(chunk))
        rows = connection.execute(query).mappings().all()
        counts = event_counts(connection, [r["id"] for r in rows])
        found.update({r["id"]: _article_row(r, counts.get(r["id"], 0)) for r in rows})
    return found


def article_sentences(connection: Connection, article_id: str) -> list[Sentence]:
    query = select(sentences).where(sentences.c.article_id == article_id).order_by(sentences.c.idx)
    return [
        Sentence(r["idx"], r["start"], r["end"], r["text"])
        for r in connection.execute(query).mappings()
    ]


def article_with_content(connection: Connection, content_hash: str) -> str | None:
    """The id of the article stored with this content hash."""
    query = select(articles.c.id).where(articles.c.content_hash == content_hash)
    found: str | None = connection.execute(query).scalar()
    return found


@dataclass(frozen=True, slots=True)
class PeriodTypeCount:
    period: str  # "2024-05" for months; "undated" when the event has no date
    type: str
    clusters: int  # real events


def clusters_by_period(
    connection: Connection, chars: int = 7, since: str | None = None
) -> list[PeriodTypeCount]:
    """Real events (clusters) per period and type, by the first report's date; ``chars``
    of the ISO date make the period (4 years, 7 months, 10 days)."""
    period = func.substr(clusters.c.date_first, 1, chars).label("period")
    query = select(period, clusters.c.type, func.count()).group_by(period, clusters.c.type)
    if since:
        query = query.where(clusters.c.date_first >= since)
    return [
        PeriodTypeCount(p or "undated", t, int(n))
        for p, t, n in connection.execute(query.order_by(period, clusters.c.type))
    ]


def status_mix(connection: Connection, code: str) -> dict[str, int]:
    """Reports involving ``code`` (either side) by status, rejected ones left out."""
    involved = select(event_actors.c.event_id).where(
        event_actors.c.code == code.upper(), event_actors.c.role.in_(("actor", "recipient"))
    )
    query = (
        select(events.c.status, func.count())
        .where(events.c.id.in_(involved), _not_rejected())
        .group_by(events.c.status)
    )
    return {status: int(n) for status, n in connection.execute(query)}


@dataclass(frozen=True, slots=True)
class Counterpart:
    code: str
    events: int  # reports with both
    clusters: int  # real events with both
    score: float | None  # mean cooperation–conflict score, −10 … +10 (None: unknown types)


def counterpart_scores(connection: Connection, code: str) -> dict[str, Counterpart]:
    """Each counterpart of ``code`` with its mean cooperation–conflict score, weighted by
    real events (by reports while the events are not clustered yet)."""
    code = code.upper()
    query = (
        select(
            links.c.other,
            links.c.type,
            links.c.mode,
            func.count(),
            func.sum(links.c.anchor),
        )
        .where(links.c.code == code, links.c.other.is_not(None), links.c.other != code)
        .group_by(links.c.other, links.c.type, links.c.mode)
    )
    ontology = load_ontology()
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for other, kind, mode, n, anchors in connection.execute(query):
        total = totals[other]
        total[0] += n
        total[1] += anchors or 0
        if kind in ontology.types:
            weight = anchors or n
            total[2] += ontology.score(kind, mode) * weight
            total[3] += weight
    return {
        other: Counterpart(other, int(n), int(c), round(s / w, 2) if w else None)
        for other, (n, c, s, w) in totals.items()
    }


@dataclass(frozen=True, slots=True)
class LocatedPlace:
    """Events at one located place (the same coordinates and precision)."""

    lat: float
    lon: float
    precision: str | None  # city | region | country
    name: str | None
    country: str | None
    events: int
    statuses: dict[str, int]
    latest: str | None  # the latest event date there


def located_places(connection: Connection, where: EventFilter) -> list[LocatedPlace]:
    """Places of the located events ``where`` selects (at most ``where.limit`` events,
    newest first), grouped by coordinates."""
    query = select(
        events.c.lat,
        events.c.lon,
        events.c.place_precision,
        events.c.place_name,
        events.c.place_country,
        events.c.status,
        events.c.date_value,
    ).where(*event_conditions(where, connection.dialect.name), events.c.lat.is_not(None))
    query = query.order_by(events.c.date_value.desc().nulls_last())
    if where.limit:
        query = query.limit(where.limit)
    grouped: dict[tuple[Any, ...], list[Any]] = {}
    for lat, lon, precision, name, country, status, day in connection.execute(query):
        if lon is None:
            continue
        key = (round(lat, 4), round(lon, 4), precision, name, country)
        entry = grouped.setdefault(key, [0, defaultdict(int), None])
        entry[0] += 1
        entry[1][status] += 1
        entry[2] = max(filter(None, (entry[2], day)), default=None)
    return [
        LocatedPlace(lat, lon, precision, name, country, n, dict(statuses), latest)
        for (lat, lon, precision, name, country), (n, statuses, latest) in grouped.items()
    ]


def latest_event_date(connection: Connection) -> str | None:
    found: str | None = connection.execute(select(func.max(events.c.date_value))).scalar()
    return found
