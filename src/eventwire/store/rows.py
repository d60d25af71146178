"""Records ↔ table rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from eventwire.model import Actor, Article, Event, EventDate, Place, Result, Sentence, Span

ROLES = ("actor", "recipient", "attributed_to", "denied_by")


# The tables whose rows one article writes (Store.add), in insertion order.
ROW_TABLES = (
    "articles",
    "sentences",
    "events",
    "event_actors",
    "event_links",
    "mentions",
    "places",
)


# The columns each table's rows give, in the order of their values (``row_values``).
_ACTOR_COLUMNS = ("text", "start", "end", "name", "code", "sector", "kb_id", "rule", "antecedent")
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id", "content_hash", "source", "url", "title", "summary", "section", "author",
        "published", "dateline", "agency", "language", "comment_count", "site_name",
        "extractor", "text", "ingested_at",
    ),
    "sentences": ("article_id", "idx", "start", "end", "text"),
    "events": (
        "id", "article_id", "sentence_idx", "type", "mode", "context", "status", "reciprocal",
        "about", "trigger_text", "trigger_start", "trigger_end", "date_value",
        "date_precision", "date_text", "date_basis", "place_text", "place_start", "place_end",
        "place_name", "place_country", "geonameid", "lat", "lon", "place_precision",
        "place_basis", "confidence", "rule", "extractor", "cluster_id", "correction",
    ),
    "event_actors": ("event_id", "role", "position", *_ACTOR_COLUMNS),
    "event_links": (
        "event_id", "code", "role", "other", "date_value", "type", "mode", "cluster_id",
        "first", "anchor",
    ),
    "mentions": ("article_id", "position", *_ACTOR_COLUMNS),
    "places": (
        "article_id", "position", "text", "start", "end", "name", "country", "geonameid",
        "lat", "lon", "precision", "basis",
    ),
}  # fmt: skip

Values = tuple[Any, ...]


def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items)) if items else "[]"  # most are empty: skip the encoder


def _article_values(article: Article) -> Values:
    return (
        article.id, article.content_hash, article.source, article.url, article.title,
        article.summary, article.section, article.author, article.published,
        _json_list(article.dateline), article.agency, article.language, article.comment_count,
        article.site_name, article.extractor, article.text,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )  # fmt: skip


def _actor_values(actor: Actor) -> Values:
    return (
        actor.text, actor.start, actor.end, actor.name, actor.code, actor.sector,
        actor.kb_id, actor.rule, actor.antecedent,
    )  # fmt: skip


def _event_values(event: Event) -> Values:
    place, day, trigger = event.location, event.date, event.trigger
    return (
        event.id, event.article_id, event.sentence.index, event.type, event.mode,
        _json_list(event.context), event.status, event.reciprocal, event.about,
        trigger.text, trigger.start, trigger.end,
        day.value, day.precision, day.text, day.basis,
        place.text, place.start, place.end, place.name, place.country, place.geonameid,
        place.lat, place.lon, place.precision, place.basis,
        event.confidence, event.rule, event.extractor, event.cluster_id, event.correction,
    )  # fmt: skip


def link_values(event: Event) -> list[Values]:
    """The event_links rows of one event (see schema.event_links), columns as in
    ``COLUMNS["event_links"]``."""
    if event.correction == "rejected":
        return []
    actors: list[str | None] = list(dict.fromkeys(a.code for a in event.actor if a.code))
    recipients: list[str | None] = list(dict.fromkeys(a.code for a in event.recipient if a.code))
    common = (event.date.value, event.type, event.mode, event.cluster_id)
    event_id = event.id
    rows = []
    if event.reciprocal:
        # "Russia and Belarus held talks": every party acts, each with the others.
        parties = list(dict.fromkeys(actors + recipients))
        for code in parties:
            others = [p for p in parties if p != code] or [None]
            for n, other in enumerate(others):
                rows.append((event_id, code, "actor", other, *common, int(n == 0), 0))
        return rows
    for role, codes, others in (("actor", actors, recipients), ("recipient", recipients, actors)):
        for code in codes:
            for n, other in enumerate(others or [None]):
                # anchor (the last value) is set by clustering
                rows.append((event_id, code, role, other, *common, int(n == 0), 0))
    return rows


def row_values(result: Result) -> dict[str, list[Values]]:
    """Every row one result writes, by table name, as values in ``COLUMNS`` order."""
    article = result.article
    article_id = article.id
    event_actors = []
    for event in result.events:
        for role in ROLES:
            for position, actor in enumerate(getattr(event, role)):
                event_actors.append((event.id, role, position, *_actor_values(actor)))
    return {
        "articles": [_article_values(article)],
        "sentences": [(article_id, s.index, s.start, s.end, s.text) for s in result.sentences],
        "events": [_event_values(e) for e in result.events],
        "event_actors": event_actors,
        "event_links": [row for e in result.events for row in link_values(e)],
        "mentions": [(article_id, i, *_actor_values(a)) for i, a in enumerate(result.mentions)],
        "places": [
            (
                article_id,
                i,
                p.text,
                p.start,
                p.end,
                p.name,
                p.country,
                p.geonameid,
                p.lat,
                p.lon,
                p.precision,
                p.basis,
            )
            for i, p in enumerate(result.places)
        ],
    }


def as_dicts(table: str, values: list[Values]) -> list[dict[str, Any]]:
    """Rows of ``table`` keyed by column name (for JSON shards and readers)."""
    columns = COLUMNS[table]
    return [dict(zip(columns, row, strict=True)) for row in values]


def as_values(table: str, rows: list[dict[str, Any]]) -> list[Values]:
    """Rows keyed by column name, as values in ``COLUMNS`` order (a column the rows
    lack, as in shards written before it existed, is NULL)."""
    columns = COLUMNS[table]
    return [tuple(row.get(name) for name in columns) for row in rows]


def rows_of(result: Result) -> dict[str, list[dict[str, Any]]]:
    """Every row one result writes, by table name, keyed by column name."""
    return {table: as_dicts(table, values) for table, values in row_values(result).items()}


def actor_from_row(row: Mapping[Any, Any]) -> Actor:
    return Actor(
        text=row["text"],
        start=row["start"],
        end=row["end"],
        name=row["name"],
        code=row["code"],
        sector=row["sector"],
        kb_id=row["kb_id"],
        rule=row["rule"],
        antecedent=row["antecedent"],
    )


def event_from_row(
    row: Mapping[Any, Any], sentence: Sentence, actors: Iterable[Mapping[Any, Any]]
) -> Event:
    by_role: dict[str, list[Actor]] = {role: [] for role in ROLES}
    for actor in sorted(actors, key=lambda a: (a["role"], a["position"])):
        by_role[actor["role"]].append(actor_from_row(actor))
    return Event(
        id=row["id"],
        article_id=row["article_id"],
        type=row["type"],
        mode=row["mode"],
        context=tuple(json.loads(row["context"])),
        status=row["status"],
        actor=tuple(by_role["actor"]),
        recipient=tuple(by_role["recipient"]),
        attributed_to=tuple(by_role["attributed_to"]),
        denied_by=tuple(by_role["denied_by"]),
        about=row["about"],
        trigger=Span(row["trigger_text"], row["trigger_start"], row["trigger_end"]),
        sentence=sentence,
        date=EventDate(
            row["date_value"], row["date_precision"], row["date_text"], row["date_basis"]
        ),
        location=Place(
            text=row["place_text"],
            start=row["place_start"],
            end=row["place_end"],
            name=row["place_name"],
            country=row["place_country"],
            geonameid=row["geonameid"],
            lat=row["lat"],
            lon=row["lon"],
            precision=row["place_precision"],
            basis=row["place_basis"],
        ),
        confidence=row["confidence"],
        rule=row["rule"],
        extractor=row["extractor"],
        cluster_id=row["cluster_id"],
        reciprocal=bool(row["reciprocal"]),
        correction=row["correction"],
    )
