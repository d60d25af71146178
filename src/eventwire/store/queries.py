"""Queries shared by the CLI, the API and the web pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select

from eventwire.store.schema import event_actors, events


@dataclass(frozen=True, slots=True)
class EventFilter:
    actor: str | None = None  # code of any actor
    recipient: str | None = None
    dyad: tuple[str, str] | None = None  # either direction
    type: str | None = None
    status: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    article_id: str | None = None
    limit: int | None = 1000


def _has_actor(code: str, role: str) -> ColumnElement[bool]:
    return exists().where(
        and_(
            event_actors.c.event_id == events.c.id,
            event_actors.c.role == role,
            event_actors.c.code == code,
        )
    )


def event_query(where: EventFilter) -> Select[tuple[object, ...]]:
    """Events matching ``where``, newest date first."""
    query = select(events)
    if where.actor:
        query = query.where(_has_actor(where.actor, "actor"))
    if where.recipient:
        query = query.where(_has_actor(where.recipient, "recipient"))
    if where.dyad:
        a, b = where.dyad
        query = query.where(
            or_(
                and_(_has_actor(a, "actor"), _has_actor(b, "recipient")),
                and_(_has_actor(b, "actor"), _has_actor(a, "recipient")),
            )
        )
    if where.type:
        query = query.where(events.c.type == where.type.upper())
    if where.status:
        query = query.where(events.c.status == where.status)
    if where.since:
        query = query.where(events.c.date_value >= where.since)
    if where.until:
        query = query.where(
            events.c.date_value <= where.until + "~"
        )  # "~" sorts after any date suffix
    if where.article_id:
        query = query.where(events.c.article_id == where.article_id)
    query = query.order_by(
        events.c.date_value.desc().nulls_last(),
        events.c.article_id,
        events.c.sentence_idx,
        events.c.trigger_start,
    )
    if where.limit:
        query = query.limit(where.limit)
    return query
