"""The PLOVER ontology as eventwire ships it (``data/ontology.v1.json``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventwire.errors import DataFileError


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: int
    score: float
    cameo: str
    modes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ontology:
    types: Mapping[str, EventType]
    mode_scores: Mapping[str, float]
    state_acts: frozenset[str]
    contexts: frozenset[str]
    # Bodies whose members meet as one: talks with or among them are multilateral.
    multilateral_bodies: frozenset[str]

    def score(self, event_type: str, mode: str | None) -> float:
        """Cooperation–conflict score of a type, or of type:mode where one is given."""
        if mode is not None and f"{event_type}:{mode}" in self.mode_scores:
            return self.mode_scores[f"{event_type}:{mode}"]
        return self.types[event_type].score

    def is_state_act(self, event_type: str, mode: str | None) -> bool:
        """Acts only a state's authorities perform (arrests, deportations, convictions)."""
        return f"{event_type}:{mode}" in self.state_acts


@cache
def load_ontology() -> Ontology:
    text = resources.files("eventwire.events").joinpath("data/ontology.v1.json").read_text("utf-8")
    try:
        data = json.loads(text)
        types = {
            name: EventType(
                name, item["quad"], float(item["score"]), item["cameo"], tuple(item["modes"])
            )
            for name, item in data["types"].items()
        }
        return Ontology(
            types=types,
            mode_scores={k: float(v) for k, v in data["mode_scores"].items()},
            state_acts=frozenset(data["state_acts"]),
            contexts=frozenset(data["contexts"]),
            multilateral_bodies=frozenset(data["multilateral_bodies"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"ontology.v1.json is malformed: {exc}") from exc
