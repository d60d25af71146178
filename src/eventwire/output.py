"""Records as JSON-ready dicts (the contract in DESIGN.md) and as terminal tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from rich.table import Table

from eventwire.model import Actor, Article, Event, Result

CSV_COLUMNS = (
    "id",
    "article_id",
    "type",
    "mode",
    "status",
    "actor_codes",
    "recipient_codes",
    "attributed_to",
    "denied_by",
    "date",
    "date_precision",
    "country",
    "place",
    "trigger",
    "sentence",
    "confidence",
    "rule",
)


def actor_dict(actor: Actor) -> dict[str, Any]:
    return asdict(actor)


def event_dict(event: Event) -> dict[str, Any]:
    """The event record as printed by ``eventwire extract`` and exported as JSONL."""
    return {
        "id": event.id,
        "article_id": event.article_id,
        "cluster_id": event.cluster_id,
        "type": event.type,
        "mode": event.mode,
        "context": list(event.context),
        "status": event.status,
        "reciprocal": event.reciprocal,
        "actor": [actor_dict(a) for a in event.actor],
        "recipient": [actor_dict(a) for a in event.recipient],
        "attributed_to": [actor_dict(a) for a in event.attributed_to],
        "denied_by": [actor_dict(a) for a in event.denied_by],
        "about": event.about,
        "trigger": asdict(event.trigger),
        "sentence": asdict(event.sentence),
        "date": asdict(event.date),
        "location": asdict(event.location),
        "confidence": event.confidence,
        "rule": event.rule,
        "extractor": event.extractor,
        "correction": event.correction,  # set when an analyst confirmed, edited or rejected it
    }


def article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "summary": article.summary,
        "section": article.section,
        "author": article.author,
        "published": article.published,
        "dateline": list(article.dateline),
        "agency": article.agency,
        "language": article.language,
        "comment_count": article.comment_count,
        "site_name": article.site_name,
        "categories": list(article.categories),
        "extractor": article.extractor,
        "content_hash": article.content_hash,
        "text": article.text,
    }


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "article": article_dict(result.article),
        "events": [event_dict(e) for e in result.events],
        "mentions": [actor_dict(a) for a in result.mentions],
        "places": [asdict(p) for p in result.places],
    }


def _codes(actors: Iterable[Actor]) -> str:
    return ",".join(dict.fromkeys(a.code or a.name or "?" for a in actors))


def event_table(events: Iterable[Event], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    for column in (
        "type",
        "mode",
        "status",
        "actor",
        "recipient",
        "date",
        "place",
        "trigger",
        "rule",
    ):
        table.add_column(column, overflow="fold")
    for e in events:
        table.add_row(
            e.type,
            e.mode or "",
            e.status,
            _codes(e.actor),
            _codes(e.recipient),
            e.date.value or "",
            e.location.country or "",
            e.trigger.text,
            e.rule,
        )
    return table


def csv_rows(events: Iterable[Event]) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for e in events:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                e.id,
                e.article_id,
                e.type,
                e.mode or "",
                e.status,
                _codes(e.actor),
                _codes(e.recipient),
                _codes(e.attributed_to),
                _codes(e.denied_by),
                e.date.value or "",
                e.date.precision or "",
                e.location.country or "",
                e.location.name or "",
                e.trigger.text,
                e.sentence.text,
                e.confidence,
                e.rule,
            ]
        )
        yield buffer.getvalue()
