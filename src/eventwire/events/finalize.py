"""Last pass over one article's events, once actors have codes.

1. mentions that resolved to nothing ("the offer", "their friendship") leave the
   actor and recipient lists; an event left with no party at all is dropped;
2. symmetric events keep no recipient that is already an actor;
3. a consultation among three or more parties is multilateral;
4. the same event stated twice in one sentence ("visit factories … and inspect the
   fleet") is one event, with the mentions of both.
"""

from __future__ import annotations

from dataclasses import replace

from eventwire.model import Actor, Event


def _known(actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
    return tuple(a for a in actors if a.code or a.sector)


def _codes(actors: tuple[Actor, ...]) -> frozenset[str]:
    return frozenset(a.code for a in actors if a.code)


def _tidy(event: Event) -> Event | None:
    actors, recipients = _known(event.actor), _known(event.recipient)
    if not actors and not recipients:
        return None
    if event.reciprocal:
        actor_codes = _codes(actors)
        recipients = tuple(r for r in recipients if not r.code or r.code not in actor_codes)
    mode = event.mode
    if event.type == "CONSULT" and mode is None and len(_codes(actors) | _codes(recipients)) >= 3:
        mode = "multilateral"
    return replace(event, actor=actors, recipient=recipients, mode=mode)


def _union(first: tuple[Actor, ...], second: tuple[Actor, ...]) -> tuple[Actor, ...]:
    seen = {(a.start, a.end, a.code) for a in first}
    return first + tuple(a for a in second if (a.start, a.end, a.code) not in seen)


def _merge(kept: Event, other: Event) -> Event:
    return replace(
        kept,
        actor=_union(kept.actor, other.actor),
        recipient=_union(kept.recipient, other.recipient),
        attributed_to=_union(kept.attributed_to, other.attributed_to),
        denied_by=_union(kept.denied_by, other.denied_by),
        about=kept.about or other.about,
        mode=kept.mode or other.mode,
        date=kept.date if kept.date.value else other.date,
        location=kept.location if kept.location.basis == "sentence" else other.location,
        confidence=max(kept.confidence, other.confidence),
    )


def finalize_events(events: tuple[Event, ...]) -> tuple[Event, ...]:
    tidy = [e for e in (_tidy(event) for event in events) if e is not None]
    merged: dict[tuple[object, ...], Event] = {}
    renamed: dict[str, str] = {}
    for event in tidy:
        actors, recipients = _codes(event.actor), _codes(event.recipient)
        key: tuple[object, ...] = (event.sentence.index, event.type, actors, recipients)
        if not actors and not recipients:
            key = (*key, event.id)  # nothing to say they are the same
        if key in merged:
            renamed[event.id] = merged[key].id
            merged[key] = _merge(merged[key], event)
        else:
            merged[key] = event
    return tuple(
        replace(e, about=renamed.get(e.about, e.about)) if e.about else e for e in merged.values()
    )
