"""Last pass over one article's events, once actors have codes.

1. mentions that resolved to nothing ("the offer", "their friendship") leave the
   actor and recipient lists, and so do recipients indistinguishable from an actor;
   an event left with no party, or without the party its trigger needs, is dropped;
2. symmetric events keep no recipient that is already an actor;
3. a consultation among three or more parties, or with a body whose members meet
   as one (ASEAN, the EU, the G20), is multilateral;
4. the same event stated twice in one sentence ("visit factories … and inspect the
   fleet") is one event, with the mentions of both;
5. a party announcing its own cooperative or diplomatic act ("Canada said it had
   asked India to waive immunity") is a source of record: reported, not alleged.
   Its claims of force stay claims ("Russia said it shot down 30 drones": alleged).
"""

from __future__ import annotations

from dataclasses import replace

from eventwire.events.lexicon import Lexicon, TriggerSense, load_lexicon
from eventwire.events.ontology import load_ontology
from eventwire.model import Actor, Event


def _known(actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
    return tuple(a for a in actors if a.code or a.sector)


def _codes(actors: tuple[Actor, ...]) -> frozenset[str]:
    return frozenset(a.code for a in actors if a.code)


def _parties(actors: tuple[Actor, ...]) -> frozenset[tuple[str | None, str | None]]:
    return frozenset((a.code, a.sector) for a in actors)


def _consult_mode(
    event: Event, actors: tuple[Actor, ...], recipients: tuple[Actor, ...]
) -> str | None:
    """Multilateral with three parties or more; a visit when it happens in the host's
    state; third-party when two sides meet in somebody else's."""
    parties = _codes(actors) | _codes(recipients)
    place = event.location.country if event.location.basis == "sentence" else None
    if len(parties) >= 3:
        return "multilateral"
    if place and recipients and place in _codes(recipients) and place not in _codes(actors):
        return "visit"
    if parties & load_ontology().multilateral_bodies:
        return "multilateral"  # "ASEAN foreign ministers met"
    if place and len(parties) == 2 and place not in parties:
        return "third-party"
    return None


def _tidy(event: Event, sense: TriggerSense | None) -> Event | None:
    actors, recipients = _known(event.actor), _known(event.recipient)
    if event.reciprocal:
        actor_codes = _codes(actors)
        recipients = tuple(r for r in recipients if not r.code or r.code not in actor_codes)
    else:
        # A recipient indistinguishable from an actor (same state, same sector) is a
        # misread ("the Moscow-Pyongyang alliance aiding Russia's efforts"), not a party.
        acting = _parties(actors)
        recipients = tuple(r for r in recipients if (r.code, r.sector) not in acting)
    if not actors and not recipients:
        return None
    if sense is not None and (
        (sense.has("needs_recipient") and not recipients)
        or (sense.has("needs_actor") and not actors)
    ):
        return None
    mode = event.mode
    if event.type == "CONSULT" and mode is None:
        mode = _consult_mode(event, actors, recipients)
    status = "reported" if _announces_own_act(event, actors) else event.status
    return replace(event, actor=actors, recipient=recipients, mode=mode, status=status)


def _announces_own_act(event: Event, actors: tuple[Actor, ...]) -> bool:
    speakers = _codes(event.attributed_to)
    if event.status != "alleged" or not speakers or not speakers <= _codes(actors):
        return False
    return event.type == "REQUEST" or load_ontology().types[event.type].quad <= 2


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


def finalize_events(events: tuple[Event, ...], lexicon: Lexicon | None = None) -> tuple[Event, ...]:
    senses = (lexicon or load_lexicon()).by_rule
    tidy = [
        e
        for e in (_tidy(event, senses.get(event.rule.split("+")[0])) for event in events)
        if e is not None
    ]
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
