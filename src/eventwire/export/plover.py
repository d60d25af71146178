"""PLOVER JSONL and eventwire JSONL.

eventwire keeps the real event type and puts time and certainty in ``status``;
PLOVER has no status, so the PLOVER export applies PLOVER's own conventions:

- ``reported`` events are written as they are;
- ``planned`` and ``conditional`` events are intents: a cooperative one (quad 1-2)
  is written as AGREE, a conflictual one (quad 3-4) as THREATEN, without a mode;
- ``alleged``, ``denied``, ``negated`` and ``speculative`` events are not written:
  PLOVER codes the statement that carries them (the ACCUSE, REJECT… event).

``event_scale`` is the PLOVER cooperation–conflict score of the written type and
mode (−10 … +10, from ``events/data/ontology.v1.json``). eventwire's own values
(type, status, cluster, correction, trigger) travel in an ``eventwire`` object.
"""

from __future__ import annotations

import json
from typing import IO, Any

from eventwire.events.ontology import load_ontology
from eventwire.model import Actor
from eventwire.output import event_dict
from eventwire.store import EventFilter, Store
from eventwire.store.exporting import Record

_INTENTS = frozenset({"planned", "conditional"})
_WRITTEN = frozenset({"reported"}) | _INTENTS


def _codes(actors: tuple[Actor, ...]) -> list[str]:
    return list(dict.fromkeys(a.code for a in actors if a.code))


def plover_type(event_type: str, mode: str | None, status: str) -> tuple[str, str | None] | None:
    """(type, mode) as PLOVER codes it, or None when PLOVER does not code it."""
    if status not in _WRITTEN:
        return None
    if status in _INTENTS:
        return ("AGREE" if load_ontology().types[event_type].quad <= 2 else "THREATEN"), None
    return event_type, mode


def plover_dict(record: Record) -> dict[str, Any] | None:
    event, article = record.event, record.article
    coded = plover_type(event.type, event.mode, event.status)
    if coded is None or event.type not in load_ontology().types:
        return None
    event_type, mode = coded
    ontology = load_ontology()
    place = event.location
    return {
        "id": event.id,
        "date": event.date.value,
        "actor": _codes(event.actor),
        "recipient": _codes(event.recipient),
        "event": [event_type],
        "mode": [mode] if mode else [],
        "context": list(event.context),
        "event_text": event.sentence.text,
        "text_info": {
            "sequence": event.sentence.index,
            "start": event.sentence.start,
            "end": event.sentence.end,
        },
        "cite_info": {
            "url": article.url,
            "title": article.title,
            "publication": article.publication,
        },
        "event_loc": {
            "name": place.name,
            "text": place.text,
            "geonameid": place.geonameid,
            "lat": place.lat,
            "lon": place.lon,
            "country_code": place.country,
            "resolution": place.precision,
        },
        "quad_code": ontology.types[event_type].quad,
        "event_scale": ontology.score(event_type, mode),
        "eventwire": {
            "type": event.type,
            "mode": event.mode,
            "status": event.status,
            "article_id": event.article_id,
            "cluster_id": event.cluster_id,
            "correction": event.correction,
            "trigger": {
                "text": event.trigger.text,
                "start": event.trigger.start,
                "end": event.trigger.end,
            },
        },
    }


def write_plover(store: Store, where: EventFilter, out: IO[str]) -> int:
    written = 0
    for record in store.records(where):
        line = plover_dict(record)
        if line is not None:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            written += 1
    return written


def write_eventwire_jsonl(store: Store, where: EventFilter, out: IO[str]) -> int:
    written = 0
    for event in store.iter_events(where):
        out.write(json.dumps(event_dict(event), ensure_ascii=False) + "\n")
        written += 1
    return written
