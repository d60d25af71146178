"""The trigger lexicon (``data/triggers.v1.tsv``) and framing cues (``data/cues.v1.json``).

Both are loaded once and compiled into dictionaries keyed by (lemma, part of
speech), so finding triggers costs one lookup per token, whatever the size of
the lexicon.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventwire.errors import DataFileError

PLOVER_TYPES = frozenset(
    [
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "SANCTION",
        "PROTEST",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ]
)
_FLAGS = frozenset(
    {
        "reciprocal",
        "visit",
        "place",
        "needs_recipient",
        "needs_actor",
        "absorbs",
        "framing",
        "offers",
        "converse",
        "evaluative",
    }
)
_CONDITIONS = frozenset({"obj", "prt", "prep", "mod", "nomod", "pent"})
_SLOTS = frozenset({"dobj", "iobj", "ccsubj", "ccobj", "objposs", "poss", "none"})


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str  # obj | prt | prep | mod | nomod
    lemmas: frozenset[str]


@dataclass(frozen=True, slots=True)
class RecipientSlot:
    kind: str  # dobj | iobj | prep | ccsubj | objposs | poss | none
    preps: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TriggerSense:
    rule: str
    lemma: str
    pos: str
    when: tuple[Condition, ...]
    type: str
    mode: str | None
    context: tuple[str, ...]
    recipient: tuple[RecipientSlot, ...]
    flags: frozenset[str]

    def has(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def recipient_preps(self) -> frozenset[str]:
        preps: set[str] = set()
        for slot in self.recipient:
            preps |= slot.preps
        return frozenset(preps)


@dataclass(frozen=True, slots=True)
class Cues:
    version: str
    reporting: frozenset[str]
    confirming: frozenset[str]
    accusing: Mapping[str, frozenset[str]]
    weapon_modes: Mapping[str, str]
    denying: frozenset[str]
    denial_objects: frozenset[str]
    threatening: frozenset[str]
    planning: frozenset[str]
    planning_objects: frozenset[str]
    planning_nouns: frozenset[str]
    planning_keeps_reported: frozenset[str]
    requesting: frozenset[str]
    support_verbs: frozenset[str]
    hedge_modals: frozenset[str]
    future_modals: frozenset[str]
    conditional_modals: frozenset[str]
    speculative_words: frozenset[str]
    alleging_words: frozenset[str]
    planned_words: frozenset[str]
    speculative_heads: frozenset[str]
    yield_verbs: frozenset[str]
    topic_verbs: frozenset[str]
    topic_preps: frozenset[str]
    condition_marks: frozenset[str]
    negative_dets: frozenset[str]
    media: frozenset[str]
    media_nouns: frozenset[str]
    # What a state acts on at home: "released 135 prisoners", "lifted the curfew".
    domestic_objects: frozenset[str]
    # "allowed UN monitors to visit": what is permitted is not thereby done.
    permitting: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    version: str
    senses: Mapping[tuple[str, str], tuple[TriggerSense, ...]]
    cues: Cues
    by_rule: Mapping[str, TriggerSense]

    def __len__(self) -> int:
        return sum(len(v) for v in self.senses.values())


def _parse_conditions(text: str, where: str) -> tuple[Condition, ...]:
    if text == "-":
        return ()
    conditions = []
    for part in text.split("&"):
        kind, _, lemmas = part.partition(":")
        if kind not in _CONDITIONS or not lemmas:
            raise DataFileError(f"{where}: bad condition {part!r}")
        conditions.append(Condition(kind, frozenset(lemmas.split("|"))))
    return tuple(conditions)


def _parse_slots(text: str, where: str) -> tuple[RecipientSlot, ...]:
    slots = []
    for part in text.split(","):
        if part.startswith("prep:"):
            slots.append(RecipientSlot("prep", frozenset(part[5:].split("|"))))
        elif part in _SLOTS:
            slots.append(RecipientSlot(part))
        else:
            raise DataFileError(f"{where}: bad recipient slot {part!r}")
    return tuple(slots)


def _parse_row(row: dict[str, str], where: str) -> TriggerSense:
    flags = frozenset() if row["flags"] == "-" else frozenset(row["flags"].split(","))
    if not flags <= _FLAGS:
        raise DataFileError(f"{where}: unknown flags {sorted(flags - _FLAGS)}")
    if row["type"] not in PLOVER_TYPES:
        raise DataFileError(f"{where}: unknown PLOVER type {row['type']!r}")
    if row["pos"] not in {"VERB", "NOUN"}:
        raise DataFileError(f"{where}: pos must be VERB or NOUN")
    return TriggerSense(
        rule=row["rule"],
        lemma=row["lemma"],
        pos=row["pos"],
        when=_parse_conditions(row["when"], where),
        type=row["type"],
        mode=None if row["mode"] == "-" else row["mode"],
        context=() if row["context"] == "-" else tuple(row["context"].split("|")),
        recipient=_parse_slots(row["recipient"], where),
        flags=flags,
    )


def _read_text(name: str) -> str:
    return resources.files("eventwire.events").joinpath(f"data/{name}").read_text("utf-8")


def parse_triggers(
    text: str, name: str = "triggers"
) -> dict[tuple[str, str], tuple[TriggerSense, ...]]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    senses: dict[tuple[str, str], list[TriggerSense]] = defaultdict(list)
    rules: set[str] = set()
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        where = f"{name} row {number}"
        if None in row or any(v is None for v in row.values()):
            raise DataFileError(f"{where}: wrong number of columns")
        sense = _parse_row(row, where)
        if sense.rule in rules:
            raise DataFileError(f"{where}: duplicate rule id {sense.rule}")
        rules.add(sense.rule)
        senses[(sense.lemma, sense.pos)].append(sense)
    return {key: tuple(value) for key, value in senses.items()}


def _set(data: Mapping[str, object], key: str) -> frozenset[str]:
    values = data[key]
    if not isinstance(values, list):
        raise DataFileError(f"cues.{key} must be a list")
    return frozenset(str(v) for v in values)


def parse_cues(text: str) -> Cues:
    data = json.loads(text)
    try:
        accusing = {k: frozenset(v) for k, v in data["accusing"].items()}
        return Cues(
            version=data["version"],
            accusing=accusing,
            weapon_modes=dict(data["weapon_modes"]),
            **{
                name: _set(data, name)
                for name in Cues.__dataclass_fields__
                if name not in {"version", "accusing", "weapon_modes"}
            },
        )
    except KeyError as exc:
        raise DataFileError(f"cues file lacks {exc}") from exc


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, parsed and indexed once per process."""
    senses = parse_triggers(_read_text("triggers.v1.tsv"), "triggers.v1.tsv")
    by_rule = {sense.rule: sense for group in senses.values() for sense in group}
    cues = parse_cues(_read_text("cues.v1.json"))
    return Lexicon(version="triggers.v1", senses=senses, cues=cues, by_rule=by_rule)
