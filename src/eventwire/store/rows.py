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


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "content_hash": article.content_hash,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "summary": article.summary,
        "section": article.section,
        "author": article.author,
        "published": article.published,
        "dateline": json.dumps(list(article.dateline)),
        "agency": article.agency,
        "language": article.language,
        "comment_count": article.comment_count,
        "site_name": article.site_name,
        "extractor": article.extractor,
        "text": article.text,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _actor_fields(actor: Actor) -> dict[str, Any]:
    return {
        "text": actor.text,
        "start": actor.start,
        "end": actor.end,
        "name": actor.name,
        "code": actor.code,
        "sector": actor.sector,
        "kb_id": actor.kb_id,
        "rule": actor.rule,
        "antecedent": actor.antecedent,
    }


def event_row(event: Event) -> dict[str, Any]:
    place, day = event.location, event.date
    return {
        "id": event.id,
        "article_id": event.article_id,
        "sentence_idx": event.sentence.index,
        "type": event.type,
        "mode": event.mode,
        "context": json.dumps(list(event.context)),
        "status": event.status,
        "reciprocal": event.reciprocal,
        "about": event.about,
        "trigger_text": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "date_value": day.value,
        "date_precision": day.precision,
        "date_text": day.text,
        "date_basis": day.basis,
        "place_text": place.text,
        "place_start": place.start,
        "place_end": place.end,
        "place_name": place.name,
        "place_country": place.country,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "place_precision": place.precision,
        "place_basis": place.basis,
        "confidence": event.confidence,
        "rule": event.rule,
        "extractor": event.extractor,
        "cluster_id": event.cluster_id,
        "correction": event.correction,
    }


def link_rows(event: Event) -> list[dict[str, Any]]:
    """The event_links rows of one event (see schema.event_links)."""
    if event.correction == "rejected":
        return []
    actors: list[str | None] = list(dict.fromkeys(a.code for a in event.actor if a.code))
    recipients: list[str | None] = list(dict.fromkeys(a.code for a in event.recipient if a.code))
    common = {
        "event_id": event.id,
        "date_value": event.date.value,
        "type": event.type,
        "mode": event.mode,
        "cluster_id": event.cluster_id,
        "anchor": 0,  # set by clustering
    }
    rows = []
    if event.reciprocal:
        # "Russia and Belarus held talks": every party acts, each with the others.
        parties = list(dict.fromkeys(actors + recipients))
        for code in parties:
            others = [p for p in parties if p != code] or [None]
            for n, other in enumerate(others):
                rows.append(
                    {**common, "code": code, "role": "actor", "other": other, "first": int(n == 0)}
                )
        return rows
    for role, codes, others in (("actor", actors, recipients), ("recipient", recipients, actors)):
        for code in codes:
            for n, other in enumerate(others or [None]):
                rows.append(
                    {**common, "code": code, "role": role, "other": other, "first": int(n == 0)}
                )
    return rows


def rows_of(result: Result) -> dict[str, list[dict[str, Any]]]:
    """Every row one result writes, by table name."""
    article = result.article
    event_actor_rows = []
    for event in result.events:
        for role in ROLES:
            for position, actor in enumerate(getattr(event, role)):
                event_actor_rows.append(
                    {
                        "event_id": event.id,
                        "role": role,
                        "position": position,
                        **_actor_fields(actor),
                    }
                )
    return {
        "articles": [article_row(article)],
        "sentences": [
            {
                "article_id": article.id,
                "idx": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for s in result.sentences
        ],
        "events": [event_row(e) for e in result.events],
        "event_actors": event_actor_rows,
        "event_links": [row for e in result.events for row in link_rows(e)],
        "mentions": [
            {"article_id": article.id, "position": i, **_actor_fields(a)}
            for i, a in enumerate(result.mentions)
        ],
        "places": [
            {
                "article_id": article.id,
                "position": i,
                "text": p.text,
                "start": p.start,
                "end": p.end,
                "name": p.name,
                "country": p.country,
                "geonameid": p.geonameid,
                "lat": p.lat,
                "lon": p.lon,
                "precision": p.precision,
                "basis": p.basis,
            }
            for i, p in enumerate(result.places)
        ],
    }


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
