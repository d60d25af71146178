"""Watchlist rules: which event clusters a rule wants, and where its alerts go.

A rule is data: a name, filters over a cluster (every filter given must hold; a
filter listing several values holds when any of them does) and outputs. Rules are
made with :func:`make_rule` (which checks and normalises every value), read from a
TOML file with :func:`load_rules_file` or from their JSON form in the database with
:func:`rule_from_spec`. The file format is documented in ``docs/watch.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from eventwire.errors import ConfigError
from eventwire.model import STATUSES, Cluster

OutputKind = Literal["stdout", "jsonl", "webhook"]
_NAME = re.compile(r"^[\w.-][\w .:-]{0,99}$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")
_FILTERS = ("actors", "recipients", "dyads", "types", "modes", "statuses", "countries")
_KEYS = frozenset({"name", *_FILTERS, "min_sources", "stdout", "jsonl", "webhook"})


@dataclass(frozen=True, slots=True)
class Output:
    """Where an alert goes: ``stdout``, a JSONL file (``target`` a path) or a webhook
    (``target`` an http or https URL)."""

    kind: OutputKind
    target: str | None = None

    def __str__(self) -> str:
        return self.kind if self.target is None else f"{self.kind}:{self.target}"

    @classmethod
    def parse(cls, text: str) -> Output:
        """The output written as ``stdout``, ``jsonl:PATH`` or ``webhook:URL``."""
        kind, _, target = text.partition(":")
        if kind == "stdout" and not target:
            return cls("stdout")
        if kind == "jsonl" and target:
            return jsonl_output(target)
        if kind == "webhook" and target:
            return webhook_output(target)
        raise ConfigError(f"output {text!r} is not stdout, jsonl:PATH or webhook:URL")


def jsonl_output(path: str) -> Output:
    if not path.strip():
        raise ConfigError("a jsonl output needs a file path")
    return Output("jsonl", path.strip())


def webhook_output(url: str) -> Output:
    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url, re.I):
        raise ConfigError(f"webhook {url!r} is not an http or https URL")
    return Output("webhook", url)


@dataclass(frozen=True, slots=True)
class Rule:
    """One watchlist rule; build it with :func:`make_rule`, which checks the values."""

    name: str
    actors: tuple[str, ...] = ()  # actor codes, any of them among the cluster's actors
    recipients: tuple[str, ...] = ()
    dyads: tuple[tuple[str, str], ...] = ()  # either direction
    types: tuple[str, ...] = ()  # PLOVER types
    modes: tuple[str, ...] = ()  # PLOVER modes, any report of the cluster
    statuses: tuple[str, ...] = ()  # the cluster's combined status
    countries: tuple[str, ...] = ()  # ISO alpha-3 of the event's place
    min_sources: int = 0  # outlets reporting it
    outputs: tuple[Output, ...] = ()  # none: the alert is only stored
    origin: str = field(default="database", compare=False)  # or the rules file it came from

    def spec(self) -> dict[str, Any]:
        """The rule as JSON-able data, as stored in the database and listed by the API."""
        return {
            "actors": list(self.actors),
            "recipients": list(self.recipients),
            "dyads": [list(d) for d in self.dyads],
            "types": list(self.types),
            "modes": list(self.modes),
            "statuses": list(self.statuses),
            "countries": list(self.countries),
            "min_sources": self.min_sources,
            "outputs": [str(o) for o in self.outputs],
        }

    def describe(self) -> str:
        """The filters in one line, e.g. ``dyad RUS-UKR, type ASSAULT, 2+ sources``."""
        parts = [
            *(f"{label} {'|'.join(values)}" for label, values in self._labelled()),
            *([f"{self.min_sources}+ sources"] if self.min_sources else []),
        ]
        return ", ".join(parts) or "every event"

    def _labelled(self) -> Iterable[tuple[str, tuple[str, ...]]]:
        labelled = (
            ("actor", self.actors),
            ("recipient", self.recipients),
            ("dyad", tuple(f"{a}-{b}" for a, b in self.dyads)),
            ("type", self.types),
            ("mode", self.modes),
            ("status", self.statuses),
            ("country", self.countries),
        )
        return [(label, values) for label, values in labelled if values]


def _strings(name: str, value: object, rule: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"rule {rule!r}: {name} must be a string or a list of strings")
    return [v.strip() for v in items if v.strip()]


def _code(name: str, value: str, rule: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ConfigError(f"rule {rule!r}: {name} {value!r} is not a code like RUS or NATO")
    return code


def _codes(name: str, values: Iterable[str], rule: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_code(name, value, rule) for value in values))


def _is_pair(value: object) -> bool:
    """["RUS", "UKR"]: one dyad written as a list of two codes."""
    return (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, str) and _CODE.match(v.strip().upper()) for v in value)
    )


def _dyads(value: object, rule: str) -> tuple[tuple[str, str], ...]:
    """Dyads written as "RUS,UKR" (or RUS-UKR), ["RUS", "UKR"], or a list of those."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) or _is_pair(value) else value
    if not isinstance(items, list | tuple):
        raise ConfigError(f"rule {rule!r}: dyads must be a list like [['RUS', 'UKR']]")
    pairs = []
    for item in items:
        parts = re.split(r"[,\-\s]+", item.strip()) if isinstance(item, str) else item
        if not isinstance(parts, list | tuple) or len(parts) != 2 or not _is_pair(parts):
            raise ConfigError(f"rule {rule!r}: dyad {item!r} is not two codes, e.g. RUS,UKR")
        pairs.append((_code("dyad code", parts[0], rule), _code("dyad code", parts[1], rule)))
    return tuple(dict.fromkeys(pairs))


def make_rule(
    name: str,
    *,
    actors: Iterable[str] = (),
    recipients: Iterable[str] = (),
    dyads: object = None,
    types: Iterable[str] = (),
    modes: Iterable[str] = (),
    statuses: Iterable[str] = (),
    countries: Iterable[str] = (),
    min_sources: int = 0,
    outputs: Iterable[Output | str] = (),
    origin: str = "database",
) -> Rule:
    """A checked rule; raises ConfigError naming the rule and the value at fault.

    Codes are upper-cased, types checked against the PLOVER ontology, statuses
    against eventwire's, outputs given as text parsed with :meth:`Output.parse`.
    """
    name = name.strip() if isinstance(name, str) else ""
    if not _NAME.match(name):
        raise ConfigError(
            f"rule name {name!r} must be 1-100 letters, digits, spaces or . _ - : "
            "(not starting with a space)"
        )
    # The ontology's package loads spaCy: only code that builds rules pays for it.
    from eventwire.events.ontology import load_ontology

    ontology = load_ontology()
    kinds = tuple(dict.fromkeys(t.strip().upper() for t in types if t.strip()))
    for kind in kinds:
        if kind not in ontology.types:
            raise ConfigError(
                f"rule {name!r}: unknown event type {kind!r}; known: {', '.join(ontology.types)}"
            )
    known_modes = {m for t in ontology.types.values() for m in t.modes}
    chosen_modes = tuple(dict.fromkeys(m.strip().lower() for m in modes if m.strip()))
    for mode in chosen_modes:
        if mode not in known_modes:
            raise ConfigError(f"rule {name!r}: unknown mode {mode!r}")
    chosen_statuses = tuple(dict.fromkeys(s.strip().lower() for s in statuses if s.strip()))
    for status in chosen_statuses:
        if status not in STATUSES:
            raise ConfigError(
                f"rule {name!r}: unknown status {status!r}; known: {', '.join(STATUSES)}"
            )
    if isinstance(min_sources, bool) or not isinstance(min_sources, int) or min_sources < 0:
        raise ConfigError(f"rule {name!r}: min_sources must be a whole number ≥ 0")
    parsed = []
    for output in outputs:
        try:
            parsed.append(output if isinstance(output, Output) else Output.parse(output))
        except ConfigError as exc:
            raise ConfigError(f"rule {name!r}: {exc}") from None
    return Rule(
        name=name,
        actors=_codes("actor", actors, name),
        recipients=_codes("recipient", recipients, name),
        dyads=_dyads(dyads, name),
        types=kinds,
        modes=chosen_modes,
        statuses=chosen_statuses,
        countries=_codes("country", countries, name),
        min_sources=min_sources,
        outputs=tuple(dict.fromkeys(parsed)),
        origin=origin,
    )


def rule_from_spec(name: str, spec: Mapping[str, Any], origin: str = "database") -> Rule:
    """The rule stored as :meth:`Rule.spec` (outputs as ``stdout``/``jsonl:…``/``webhook:…``)."""
    unknown = set(spec) - {*_FILTERS, "min_sources", "outputs"}
    if unknown:
        raise ConfigError(f"rule {name!r}: unknown keys {', '.join(sorted(unknown))}")
    return make_rule(
        name,
        **{key: _strings(key, spec.get(key), name) for key in _FILTERS if key != "dyads"},
        dyads=spec.get("dyads"),
        min_sources=spec.get("min_sources", 0),
        outputs=_strings("outputs", spec.get("outputs"), name),
        origin=origin,
    )


def rule_from_table(table: Mapping[str, Any], origin: str) -> Rule:
    """One ``[[rule]]`` table of a rules file; without an output, alerts go to stdout."""
    name = table.get("name")
    if not isinstance(name, str):
        raise ConfigError(f"{origin}: every [[rule]] needs a name")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(
            f"{origin}: rule {name!r}: unknown keys {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    outputs: list[Output | str] = []
    stdout = table.get("stdout", False)
    if not isinstance(stdout, bool):
        raise ConfigError(f"{origin}: rule {name!r}: stdout must be true or false")
    try:
        outputs += [Output("stdout")] if stdout else []
        outputs += [jsonl_output(p) for p in _strings("jsonl", table.get("jsonl"), name)]
        outputs += [webhook_output(u) for u in _strings("webhook", table.get("webhook"), name)]
        if not outputs and "stdout" not in table:
            outputs.append(Output("stdout"))
        return make_rule(
            name,
            **{key: _strings(key, table.get(key), name) for key in _FILTERS if key != "dyads"},
            dyads=table.get("dyads"),
            min_sources=table.get("min_sources", 0),
            outputs=outputs,
            origin=origin,
        )
    except ConfigError as exc:
        message = str(exc) if str(exc).startswith("rule ") else f"rule {name!r}: {exc}"
        raise ConfigError(f"{origin}: {message}") from None


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """The TOML file at ``path``; ConfigError names it and says what is wrong."""
    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc})") from None


def load_rules_file(path: str | Path) -> list[Rule]:
    """The rules of a TOML file (``[[rule]]`` tables); raises ConfigError naming the file.

    A relative ``jsonl`` path is taken relative to the file's folder.
    """
    origin = str(path)
    data = read_toml(path, "rules file")
    tables = data.get("rule", [])
    if set(data) - {"rule"} or not isinstance(tables, list):
        raise ConfigError(f"{origin}: a rules file holds [[rule]] tables only")
    folder = Path(path).parent
    rules = []
    for table in tables:
        rule = rule_from_table(table, origin)
        outputs = tuple(
            Output("jsonl", str(folder / o.target))
            if o.kind == "jsonl" and o.target and not Path(o.target).is_absolute()
            else o
            for o in rule.outputs
        )
        rules.append(replace(rule, outputs=outputs))
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{origin}: rule names must be unique ({', '.join(twice)} repeated)")
    return rules


def rule_matches(rule: Rule, cluster: Cluster, modes: Collection[str | None] = ()) -> bool:
    """Whether ``cluster`` (with the modes of its reports) passes every filter of ``rule``."""
    actors, recipients = set(cluster.actor_codes), set(cluster.recipient_codes)
    checks = (
        not rule.actors or bool(actors.intersection(rule.actors)),
        not rule.recipients or bool(recipients.intersection(rule.recipients)),
        not rule.dyads
        or any(
            (a in actors and b in recipients) or (b in actors and a in recipients)
            for a, b in rule.dyads
        ),
        not rule.types or cluster.type in rule.types,
        not rule.modes or any(m in rule.modes for m in modes if m),
        not rule.statuses or cluster.status in rule.statuses,
        not rule.countries or cluster.country in rule.countries,
        len(cluster.sources) >= rule.min_sources,
    )
    return all(checks)


def merge_rules(file_rules: Iterable[Rule], stored_rules: Iterable[Rule]) -> list[Rule]:
    """File rules and database rules together; on a shared name the file's rule wins."""
    merged = {r.name: r for r in stored_rules}
    merged.update({r.name: r for r in file_rules})
    return sorted(merged.values(), key=lambda r: r.name)
