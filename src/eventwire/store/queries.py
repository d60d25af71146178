"""Event queries shared by the CLI, the API and the web pages.

Actor, recipient and dyad filters read event ids from the (code, role, event_id)
index instead of testing every event, so they stay fast on millions of events.
For an actor in a large share of the events (the USA in news) sorting every one
of its events to show the newest fifty costs more than walking the events newest
first and checking each: :func:`dense_roles` tells which, and :func:`event_query`
then asks the same question the other way round (the answer is the same).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    union,
)

from eventwire.store.schema import (
    articles,
    corrections,
    event_actors,
    event_links,
    events,
    sentences,
)


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor: str | None = None  # code of any actor
    recipient: str | None = None
    dyad: tuple[str, str] | None = None  # either direction
    type: str | None = None
    mode: str | None = None
    context: str | None = None
    status: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3 of the event's place
    place: str | None = None  # place name, any case
    text: str | None = None  # words that must all occur in the sentence
    article_id: str | None = None
    cluster_id: str | None = None
    include_rejected: bool = False  # events an analyst rejected are left out unless asked
    # Incremental pulls: events whose article was stored, or that were corrected, at or
    # after this ISO date or time.
    changed_since: str | None = None
    limit: int | None = 1000


def _ids_with(code: str, role: str) -> Select[tuple[str]]:
    return select(event_actors.c.event_id).where(
        event_actors.c.code == code, event_actors.c.role == role
    )


# From this many matching events on, the newest events are found faster by walking the
# date index and checking each event than by sorting every match (about the square
# root of page size × a million events).
DENSE = 10_000


def _has_code(code: str, role: str) -> ColumnElement[bool]:
    """The same condition as ``id IN _ids_with(code, role)``, checked event by event."""
    return exists().where(
        event_actors.c.event_id == events.c.id,
        event_actors.c.role == role,
        event_actors.c.code == code,
    )


def dense_roles(
    connection: Connection, where: EventFilter, at_least: int = DENSE
) -> frozenset[str]:
    """The roles (actor, recipient) whose code ``where`` filters on and that code has
    at least ``at_least`` events in (counted from the index, stopping there)."""
    found = set()
    for role, code in (("actor", where.actor), ("recipient", where.recipient)):
        if code:
            some = _ids_with(code, role).limit(at_least).subquery()
            if connection.execute(select(func.count()).select_from(some)).scalar_one() >= at_least:
                found.add(role)
    return frozenset(found)


def _dyad_ids(a: str, b: str, since: str | None, until: str | None) -> Select[tuple[str]]:
    """Events from a to b or b to a, dated in range: one index range scan per direction."""

    def one_way(first: str, second: str) -> Select[tuple[str]]:
        query = select(event_links.c.event_id).where(
            event_links.c.code == first,
            event_links.c.role == "actor",
            event_links.c.other == second,
        )
        if since:
            query = query.where(event_links.c.date_value >= since)
        if until:
            query = query.where(event_links.c.date_value <= until + "~")
        return query

    both = union(one_way(a, b), one_way(b, a)).subquery()
    return select(both.c.event_id)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split() if w]


def text_match(text: str, dialect: str) -> ColumnElement[bool]:
    """Sentences holding every word of ``text``: full-text prefix search on PostgreSQL
    (answered by ix_sentences_fts), case-insensitive substring LIKE on SQLite."""
    words = _words(text)
    if not words:
        return literal_column("1") == literal_column("1")
    if dialect == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        vector = func.to_tsvector(literal_column("'simple'"), sentences.c.text)
        return vector.op("@@")(func.to_tsquery(literal_column("'simple'"), query))
    return and_(*(func.lower(sentences.c.text).like(f"%{w}%") for w in words))


def event_conditions(
    where: EventFilter, dialect: str, dense: frozenset[str] = frozenset()
) -> list[ColumnElement[bool]]:
    """The WHERE clauses for ``where`` over the events table; codes of the roles in
    ``dense`` (see :func:`dense_roles`) are checked event by event."""
    conditions: list[ColumnElement[bool]] = []
    for role, code in (("actor", where.actor), ("recipient", where.recipient)):
        if code and role in dense:
            conditions.append(_has_code(code, role))
        elif code:
            conditions.append(events.c.id.in_(_ids_with(code, role)))
    if where.dyad:
        conditions.append(events.c.id.in_(_dyad_ids(*where.dyad, where.since, where.until)))
    if where.type:
        conditions.append(events.c.type == where.type.upper())
    if where.mode:
        conditions.append(events.c.mode == where.mode)
    if where.context:
        # context is a JSON list of plain words: the quoted word cannot match a longer one
        conditions.append(events.c.context.like(f'%"{where.context}"%'))
    if where.status:
        conditions.append(events.c.status == where.status)
    if where.since:
        conditions.append(events.c.date_value >= where.since)
    if where.until:
        conditions.append(events.c.date_value <= where.until + "~")  # "~" sorts after any suffix
    if where.country:
        conditions.append(events.c.place_country == where.country.upper())
    if where.place:
        conditions.append(func.lower(events.c.place_name) == where.place.lower())
    if where.text:
        conditions.append(
            exists().where(
                sentences.c.article_id == events.c.article_id,
                sentences.c.idx == events.c.sentence_idx,
                text_match(where.text, dialect),
            )
        )
    if where.article_id:
        conditions.append(events.c.article_id == where.article_id)
    if where.cluster_id:
        conditions.append(events.c.cluster_id == where.cluster_id)
    if where.changed_since:
        conditions.append(
            or_(
                events.c.article_id.in_(
                    select(articles.c.id).where(articles.c.ingested_at >= where.changed_since)
                ),
                events.c.id.in_(
                    select(corrections.c.event_id).where(
                        corrections.c.created_at >= where.changed_since
                    )
                ),
            )
        )
    if not where.include_rejected:
        conditions.append(or_(events.c.correction.is_(None), events.c.correction != "rejected"))
    return conditions


def event_query(
    where: EventFilter, dialect: str = "sqlite", dense: frozenset[str] = frozenset()
) -> Select[tuple[object, ...]]:
    """Events matching ``where``, newest date first (``dense``: see :func:`dense_roles`)."""
    query = select(events).where(*event_conditions(where, dialect, dense))
    query = query.order_by(
        events.c.date_value.desc().nulls_last(),
        events.c.article_id,
        events.c.sentence_idx,
        events.c.trigger_start,
    )
    if where.limit:
        query = query.limit(where.limit)
    return query
