"""Rows → records: events with their actors and sentences, a page or a stream at a time.

Every reader goes through :func:`load_events`, so a list for the terminal and a
million-row export build events the same way; :func:`stream_events` pages by id
(keyset pagination) so an export never holds more than one page in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Select, select

from eventwire.model import Event, Sentence
from eventwire.store import schema
from eventwire.store.rows import event_from_row

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sentences(
    connection: Connection, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], Sentence]:
    found: dict[tuple[str, int], Sentence] = {}
    table = schema.sentences
    articles = sorted({a for a, _ in keys})
    for chunk in chunks(articles):
        wanted = sorted({i for a, i in keys if a in set(chunk)})
        query = select(table).where(table.c.article_id.in_(chunk), table.c.idx.in_(wanted))
        for row in connection.execute(query).mappings():
            key = (row["article_id"], row["idx"])
            if key in keys:
                found[key] = Sentence(row["idx"], row["start"], row["end"], row["text"])
    return found


def load_events(connection: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[Event]:
    """Events for ``rows`` of the events table, in the same order."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    actors: dict[str, list[Any]] = {i: [] for i in ids}
    table = schema.event_actors
    for chunk in chunks(ids):
        for actor in connection.execute(
            select(table).where(table.c.event_id.in_(chunk))
        ).mappings():
            actors[actor["event_id"]].append(actor)
    sentences = _sentences(connection, {(r["article_id"], r["sentence_idx"]) for r in rows})
    return [
        event_from_row(r, sentences[(r["article_id"], r["sentence_idx"])], actors[r["id"]])
        for r in rows
    ]


def stream_events(
    connection: Connection, query: Select[Any], page: int = 1000
) -> Iterator[list[Event]]:
    """Pages of the events ``query`` selects (it must select whole events rows), by id."""
    last: str | None = None
    events = schema.events
    while True:
        paged = query.order_by(None).order_by(events.c.id).limit(page)
        if last is not None:
            paged = paged.where(events.c.id > last)
        rows = connection.execute(paged).mappings().all()
        if not rows:
            return
        yield load_events(connection, rows)
        last = rows[-1]["id"]
