"""Gold files (``eventwire-gold/1``, see ``../shared/docs/GOLD.md``): reading and checking."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.errors import GoldFileError

FORMAT = "eventwire-gold/1"


@dataclass(frozen=True, slots=True)
class GoldEvent:
    id: str
    quote: str
    type: str
    alt_types: tuple[str, ...]
    mode: str | None
    alt_modes: tuple[str, ...]
    actor: frozenset[str]
    recipient: frozenset[str]
    reciprocal: bool
    status: str | None
    attributed_to: frozenset[str]
    denied_by: frozenset[str]
    date: str | None
    date_if_published: str | None
    place_country: str | None
    optional: bool


@dataclass(frozen=True, slots=True)
class GoldMention:
    mention: str
    code: str | None
    sector: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Gold:
    id: str
    path: Path
    input: Path
    record: str | None
    article: dict[str, Any]
    actors: tuple[GoldMention, ...]
    places: tuple[GoldMention, ...]
    events: tuple[GoldEvent, ...]
    no_event_quotes: tuple[str, ...] = field(default=())


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldFileError(f"{where} must be a list of strings")
    return tuple(value)


def _event(item: dict[str, Any], where: str) -> GoldEvent:
    try:
        return GoldEvent(
            id=str(item.get("id", "")),
            quote=item["quote"],
            type=item["type"],
            alt_types=_strings(item.get("alt_types"), f"{where}.alt_types"),
            mode=item.get("mode"),
            alt_modes=_strings(item.get("alt_modes"), f"{where}.alt_modes"),
            actor=frozenset(_strings(item.get("actor", []), f"{where}.actor")),
            recipient=frozenset(_strings(item.get("recipient", []), f"{where}.recipient")),
            reciprocal=bool(item.get("reciprocal", False)),
            status=item.get("status"),
            attributed_to=frozenset(_strings(item.get("attributed_to"), f"{where}.attributed_to")),
            denied_by=frozenset(_strings(item.get("denied_by"), f"{where}.denied_by")),
            date=item.get("date"),
            date_if_published=item.get("date_if_published"),
            place_country=item.get("place_country"),
            optional=bool(item.get("optional", False)),
        )
    except KeyError as exc:
        raise GoldFileError(f"{where} lacks {exc}") from None


def read_gold(path: str | Path) -> Gold:
    """Read and check one gold file; raises GoldFileError naming the file and the fault."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise GoldFileError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise GoldFileError(f"{path}: a gold file is a JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise GoldFileError(f"{path}: format {data.get('format')!r} is not {FORMAT}")
    if "file" not in data:
        raise GoldFileError(f'{path}: no "file" naming the input')
    try:
        actors = tuple(
            GoldMention(a["mention"], a.get("code"), a.get("sector"), a.get("name"))
            for a in data.get("actors", [])
        )
        places = tuple(GoldMention(p["mention"], p.get("country")) for p in data.get("places", []))
    except (KeyError, TypeError) as exc:
        raise GoldFileError(f"{path}: actors/places entries need a mention ({exc})") from None
    record = data.get("record")
    return Gold(
        id=str(data.get("id", path.stem)),
        path=path,
        input=path.parent / data["file"],
        record=None if record is None else str(record),
        article=dict(data.get("article") or {}),
        actors=actors,
        places=places,
        events=tuple(
            _event(e, f"{path}: events[{i}]") for i, e in enumerate(data.get("events", []))
        ),
        no_event_quotes=_strings(data.get("no_event_quotes"), f"{path}: no_event_quotes"),
    )
