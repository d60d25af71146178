"""An analyst's corrections: kept in their own table, applied over what was extracted.

``eventwire correct`` appends a row (confirm, reject, or set some fields) and then
applies every correction of that event, in order, to its stored row. ``Store.add``
does the same for the events of each article it writes, so a correction wins over
any later re-extraction of the same event and survives re-ingest. The event's
``correction`` column says what the analyst did: confirmed, edited or rejected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from eventwire.errors import ConfigError, StoreError
from eventwire.model import STATUSES
from eventwire.store.bulk import insert_values
from eventwire.store.clusters import release_clusters
from eventwire.store.reading import chunks, load_events
from eventwire.store.rows import COLUMNS, link_values
from eventwire.store.schema import corrections, event_actors, event_links, events
from eventwire.store.summaries import load_ontology

FIELDS = ("type", "mode", "status", "actor", "recipient", "context", "date", "country")
ACTIONS = ("confirm", "reject", "set")
RULE = "correction.v1"  # the rule id of actors an analyst set
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    """One line of an event's correction history."""

    id: int
    event_id: str
    action: str
    changes: Mapping[str, Any]
    note: str | None
    created_at: str


def _codes(field: str, raw: str) -> list[str]:
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise ConfigError(f"--set {field}: {', '.join(bad)} is not an actor code like RUS or NATO")
    return codes


def _date(raw: str) -> str:
    if not _DATE.match(raw):
        raise ConfigError(f"--set date={raw!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        date.fromisoformat((raw + "-01-01")[:10])
    except ValueError:
        raise ConfigError(f"--set date={raw!r} is not a calendar date") from None
    return raw


def _value(field: str, raw: str) -> Any:
    ontology = load_ontology()
    raw = raw.strip()
    if field == "type":
        if raw.upper() not in ontology.types:
            raise ConfigError(f"--set type={raw}: not a PLOVER type ({', '.join(ontology.types)})")
        return raw.upper()
    if field == "status":
        if raw not in STATUSES:
            raise ConfigError(f"--set status={raw}: use one of {', '.join(STATUSES)}")
        return raw
    if field in ("actor", "recipient"):
        return _codes(field, raw)
    if field == "context":
        contexts = [c.strip() for c in raw.split(",") if c.strip()]
        unknown = [c for c in contexts if c not in ontology.contexts]
        if unknown:
            raise ConfigError(f"--set context: {', '.join(unknown)} is not a PLOVER context")
        return contexts
    if field == "date":
        return _date(raw)
    if field == "country":
        if raw and not re.match(r"^[A-Za-z]{3}$", raw):
            raise ConfigError(f"--set country={raw}: use an ISO 3166 alpha-3 code like UKR")
        return raw.upper() or None
    return raw or None  # mode: checked against the type once both are known


def parse_changes(pairs: Sequence[str]) -> dict[str, Any]:
    """``["type=AID", "actor=RUS,UKR"]`` → changes; ConfigError names a bad one."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        field, sep, raw = pair.partition("=")
        field = field.strip().lower()
        if not sep or field not in FIELDS:
            raise ConfigError(
                f"--set {pair!r}: use FIELD=VALUE with FIELD one of {', '.join(FIELDS)}"
            )
        changes[field] = _value(field, raw)
    return changes


def _fold(entries: Iterable[Mapping[Any, Any]]) -> tuple[str | None, dict[str, Any]]:
    """(the correction flag, the field values) after every entry, in order."""
    verdict: str | None = None
    changes: dict[str, Any] = {}
    for entry in entries:
        if entry["action"] == "confirm":
            verdict = "confirmed"
        elif entry["action"] == "reject":
            verdict = "rejected"
        else:
            changes.update(json.loads(entry["changes"]))
    return verdict or ("edited" if changes else None), changes


def check_mode(event_type: str, mode: str | None) -> None:
    if mode is not None and mode not in load_ontology().types[event_type].modes:
        modes = ", ".join(load_ontology().types[event_type].modes) or "none"
        raise ConfigError(f"mode {mode!r} does not go with {event_type} (its modes: {modes})")


def record(
    connection: Connection, event_id: str, action: str, changes: Mapping[Any, Any], note: str | None
) -> None:
    """Append one correction and apply the event's corrections; the event must exist."""
    current = connection.execute(
        select(events.c.type, events.c.mode).where(events.c.id == event_id)
    ).first()
    if current is None:
        raise StoreError(f"no event {event_id}")
    if "mode" in changes:  # a type change alone drops a mode the new type lacks (_apply)
        check_mode(changes.get("type", current.type), changes["mode"])
    connection.execute(
        corrections.insert().values(
            event_id=event_id,
            action=action,
            changes=json.dumps(dict(changes), ensure_ascii=False),
            note=note,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    apply_corrections(connection, [event_id])


def _actor_rows(
    connection: Connection, event: Mapping[Any, Any], role: str, codes: Sequence[str]
) -> list[dict[str, Any]]:
    old = (
        connection.execute(
            select(event_actors)
            .where(event_actors.c.event_id == event["id"], event_actors.c.role == role)
            .order_by(event_actors.c.position)
        )
        .mappings()
        .all()
    )
    rows = []
    for position, code in enumerate(codes):
        if position < len(old) and old[position]["code"] == code:
            rows.append(dict(old[position]))  # the analyst kept this one
            continue
        mention = old[position] if position < len(old) else None
        rows.append(
            {
                "event_id": event["id"],
                "role": role,
                "position": position,
                # Recoding a mention keeps its text and offsets; an added actor has no
                # mention in the text, so an empty span at the trigger.
                "text": mention["text"] if mention else code,
                "start": mention["start"] if mention else event["trigger_start"],
                "end": mention["end"] if mention else event["trigger_start"],
                "name": None,
                "code": code,
                "sector": None,
                "kb_id": None,
                "rule": RULE,
                "antecedent": None,
            }
        )
    return rows


def _apply(
    connection: Connection, event: Mapping[Any, Any], flag: str | None, changes: Mapping[str, Any]
) -> None:
    values: dict[str, Any] = {"correction": flag, "cluster_key": None}
    for field in ("type", "mode", "status"):
        if field in changes:
            values[field] = changes[field]
    if "type" in changes and "mode" not in changes:
        modes = load_ontology().types[changes["type"]].modes
        if event["mode"] not in modes:
            values["mode"] = None
    if "context" in changes:
        values["context"] = json.dumps(changes["context"])
    if "date" in changes:
        precision = {4: "year", 7: "month", 10: "day"}[len(changes["date"])]
        values.update(date_value=changes["date"], date_precision=precision, date_text=None)
    if "country" in changes:
        values["place_country"] = changes["country"]
    connection.execute(update(events).where(events.c.id == event["id"]).values(**values))
    for role in ("actor", "recipient"):
        if role in changes:
            rows = _actor_rows(connection, event, role, changes[role])
            connection.execute(
                delete(event_actors).where(
                    event_actors.c.event_id == event["id"], event_actors.c.role == role
                )
            )
            if rows:
                connection.execute(event_actors.insert(), rows)


def apply_corrections(connection: Connection, event_ids: Sequence[str]) -> int:
    """Apply every stored correction of these events; returns how many events had some."""
    entries: dict[str, list[Mapping[Any, Any]]] = {}
    if connection.execute(select(corrections.c.id).limit(1)).first() is None:
        return 0  # the usual case, and a bulk load passes a million ids
    for chunk in chunks(event_ids):
        query = (
            select(corrections).where(corrections.c.event_id.in_(chunk)).order_by(corrections.c.id)
        )
        for row in connection.execute(query).mappings():
            entries.setdefault(row["event_id"], []).append(row)
    if not entries:
        return 0
    rows: list[Mapping[Any, Any]] = []
    for chunk in chunks(sorted(entries)):
        rows.extend(connection.execute(select(events).where(events.c.id.in_(chunk))).mappings())
    # The event's cluster must be rebuilt: its type, actors, date or verdict may differ now.
    release_clusters(connection, [r["cluster_id"] for r in rows])
    for event in rows:
        flag, changes = _fold(entries[event["id"]])
        _apply(connection, event, flag, changes)
    _relink(connection, sorted(entries))
    return len(rows)


def _relink(connection: Connection, event_ids: Sequence[str]) -> None:
    """Derive the event_links of corrected events again from their corrected rows."""
    for chunk in chunks(event_ids):
        connection.execute(delete(event_links).where(event_links.c.event_id.in_(chunk)))
        rows = connection.execute(select(events).where(events.c.id.in_(chunk))).mappings().all()
        links = [link for event in load_events(connection, rows) for link in link_values(event)]
        insert_values(connection, event_links, COLUMNS["event_links"], links)


def history(connection: Connection, event_id: str) -> list[CorrectionEntry]:
    query = select(corrections).where(corrections.c.event_id == event_id).order_by(corrections.c.id)
    return [
        CorrectionEntry(
            r["id"],
            r["event_id"],
            r["action"],
            json.loads(r["changes"]),
            r["note"],
            r["created_at"],
        )
        for r in connection.execute(query).mappings()
    ]
