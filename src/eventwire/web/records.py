"""The JSON the API answers and the pages render, built once from the library.

Each function reads through :class:`~eventwire.store.Store` (or the browsing
queries beside it) and returns plain JSON-ready dicts, so ``/api/articles/ID`` and
``/articles/ID?format=json`` are the same document. Events are always the record
of DESIGN.md (:func:`eventwire.output.event_dict`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, replace
from typing import Any

from eventwire.model import Cluster, Event
from eventwire.output import event_dict
from eventwire.store import ClusterFilter, EventFilter
from eventwire.store.browsing import (
    article_rows,
    article_sentences,
    articles_page,
    clusters_by_period,
    clusters_page,
    counterpart_scores,
    events_page,
    located_places,
    status_mix,
)
from eventwire.store.summaries import load_ontology
from eventwire.web.highlight import marks_of, span_dicts
from eventwire.web.ingesting import IngestOutcome
from eventwire.web.params import Paging
from eventwire.web.state import WebState


def cluster_json(cluster: Cluster) -> dict[str, Any]:
    found = asdict(cluster)
    found["n_sources"] = len(cluster.sources)
    return found


def event_items(state: WebState, where: EventFilter, page: Paging) -> list[dict[str, Any]]:
    """One page of events, plus one more to tell whether another page follows."""
    with state.store.reading("list events") as connection:
        found = events_page(
            connection, replace(where, limit=page.limit + 1), page.offset, page.ascending
        )
    return [event_dict(e) for e in found]


def cluster_items(state: WebState, where: ClusterFilter, page: Paging) -> list[dict[str, Any]]:
    with state.store.reading("list clusters") as connection:
        found = clusters_page(
            connection, replace(where, limit=page.limit + 1), page.offset, page.ascending
        )
    return [cluster_json(c) for c in found]


def article_items(state: WebState, page: Paging, title: str | None) -> list[dict[str, Any]]:
    with state.store.reading("list articles") as connection:
        found = articles_page(connection, page.limit + 1, page.offset, page.ascending, title)
    return [asdict(a) for a in found]


def event_detail(state: WebState, event_id: str) -> dict[str, Any] | None:
    """An event with its corrections, its cluster, the claim it is about and the
    statements about it."""
    store = state.store
    event = store.event(event_id)
    if event is None:
        return None
    about = store.event(event.about) if event.about else None
    claims = [e for e in store.events(EventFilter(article_id=event.article_id, limit=None))
              if e.about == event.id]  # fmt: skip
    cluster = store.cluster(event.cluster_id) if event.cluster_id else None
    return {
        "event": event_dict(event),
        "corrections": [asdict(c) for c in store.corrections(event.id)],
        "cluster": cluster_json(cluster) if cluster else None,
        "about": event_dict(about) if about else None,
        "statements": [event_dict(e) for e in claims],
    }


def article_detail(
    state: WebState, article_id: str, include_rejected: bool = False
) -> tuple[dict[str, Any], list[Event]] | None:
    """The article (its cleaned text, which all offsets refer to), its sentences, its
    events and their spans; and the events themselves for the reader."""
    store = state.store
    article = store.article(article_id)
    if article is None:
        return None
    # Every event once (rejected ones too, to count them), and no second connection
    # while one is held: under load, nested ones exhaust the pool.
    everything = store.events(EventFilter(article_id=article_id, limit=None, include_rejected=True))
    shown = [e for e in everything if include_rejected or e.correction != "rejected"]
    events = sorted(shown, key=lambda e: (e.trigger.start, e.id))
    rejected = len(everything) - len(shown)
    with store.reading("read sentences") as connection:
        sentences = article_sentences(connection, article_id)
    data = {
        "article": {k: v for k, v in article.items() if k != "content_hash"},
        "sentences": [asdict(s) for s in sentences],
        "events": [event_dict(e) for e in events],
        "spans": span_dicts(marks_of(events, len(article["text"]))),
        "rejected_hidden": rejected,
    }
    return data, events


def cluster_detail(state: WebState, cluster_id: str) -> dict[str, Any] | None:
    """A cluster and each of its reports beside the article it came from, earliest
    publication first."""
    store = state.store
    cluster = store.cluster(cluster_id)
    if cluster is None:
        return None
    reports = store.events(EventFilter(cluster_id=cluster_id, limit=None))
    with store.reading("read articles") as connection:
        rows = article_rows(connection, [e.article_id for e in reports])
    items = [
        {"event": event_dict(e), "article": asdict(rows[e.article_id])}
        for e in reports
        if e.article_id in rows
    ]
    items.sort(key=lambda r: (r["article"]["published"] or "9999", r["article"]["ingested_at"]))
    return {"cluster": cluster_json(cluster), "reports": items}


def actor_detail(state: WebState, code: str) -> dict[str, Any]:
    """Counterparts with their scores, events by type per month, score per month, and
    the status mix; cached, since the most active actors are in many events."""
    code = code.upper()

    def compute() -> dict[str, Any]:
        summary = state.store.actor_summary(code)
        with state.store.reading("summarise an actor") as connection:
            mix = status_mix(connection, code)
            scores = counterpart_scores(connection, code)
        counterparts = [
            {**asdict(c), "score": scores[c.code].score if c.code in scores else None}
            for c in summary.counterparts
        ]
        found = asdict(summary)
        found["counterparts"] = counterparts
        found["statuses"] = mix
        return found

    return state.cache.get(("actor", code), compute)


def _periods(first: str, last: str, chars: int) -> list[str]:
    """Every period from ``first`` to ``last``, so gaps show as gaps."""
    if chars == 4:
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    periods = []
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last[:7]:
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


def timeline(state: WebState) -> dict[str, Any]:
    """Real events per period and type, by months when they span three years or less,
    else by years."""

    def compute() -> dict[str, Any]:
        with state.store.reading("count events per month") as connection:
            counts = clusters_by_period(connection, 7)
        dated = [c for c in counts if c.period != "undated" and len(c.period) == 7]
        undated = sum(c.clusters for c in counts if c not in dated)
        if not dated:
            return {"period": "month", "periods": [], "rows": [], "undated": undated}
        first, last = min(c.period for c in dated), max(c.period for c in dated)
        chars = 7 if _periods(first, last, 7).__len__() <= 36 else 4
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for c in dated:
            totals[(c.period[:chars], c.type)] += c.clusters
        types = load_ontology().types
        rows = [
            {"period": p, "type": t, "quad": types[t].quad if t in types else None, "clusters": n}
            for (p, t), n in sorted(totals.items())
        ]
        return {
            "period": "month" if chars == 7 else "year",
            "periods": _periods(first, last, chars),
            "rows": rows,
            "undated": undated,
        }

    return state.cache.get(("timeline",), compute)


def overview(state: WebState) -> dict[str, Any]:
    store, cache = state.store, state.cache
    return {
        "counts": cache.get(("counts",), store.counts),
        "timeline": timeline(state),
        "top_actors": [asdict(a) for a in cache.get(("top",), lambda: store.top_actors(limit=15))],
        "trending": [asdict(t) for t in cache.get(("trending",), lambda: store.trending_dyads())],
        "latest_clusters": [cluster_json(c) for c in store.clusters(ClusterFilter(limit=12))],
    }


def map_places(state: WebState, where: EventFilter) -> list[dict[str, Any]]:
    """Located events by place; cached like the overview's aggregates (the newest
    thousands of events change only when data arrives)."""

    def compute() -> list[dict[str, Any]]:
        with state.store.reading("read located events") as connection:
            return [asdict(p) for p in located_places(connection, where)]

    return state.cache.get(("map", where), compute)


def search(state: WebState, q: str, limit: int) -> dict[str, Any]:
    """Actors by code or name (among the 200 most active), articles by title, events
    by sentence."""
    store, words = state.store, q.strip()
    top = state.cache.get(("top", None, None, 200), lambda: store.top_actors(limit=200))
    lowered = words.lower()
    actors = [
        asdict(a) for a in top if a.code == words.upper() or (a.name and lowered in a.name.lower())
    ]
    with store.reading("search") as connection:
        articles = articles_page(connection, limit, title=words)
        events = events_page(connection, EventFilter(text=words, limit=limit))
    return {
        "q": q,
        "actors": actors[:limit],
        "articles": [asdict(a) for a in articles],
        "events": [event_dict(e) for e in events],
    }


def ingest_result(state: WebState, outcome: IngestOutcome) -> dict[str, Any]:
    """What an ingest gave: each article with the events found in it."""
    articles = []
    for article_id in outcome.article_ids:
        article = state.store.article(article_id) or {}
        events = state.store.events(EventFilter(article_id=article_id, limit=None))
        articles.append(
            {
                "id": article_id,
                "title": article.get("title"),
                "events": [event_dict(e) for e in sorted(events, key=lambda e: e.trigger.start)],
            }
        )
    return {
        "articles": articles,
        "stored": outcome.stored,
        "unchanged": outcome.unchanged,
        "events": outcome.events,
        "errors": list(outcome.errors),
    }
