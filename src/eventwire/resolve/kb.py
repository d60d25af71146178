"""The actor knowledge base: packaged JSON files (``data/*.v1.json``) plus user overrides.

Everything is indexed once per process by *folded* alias (lower case, no accents,
straight apostrophes, no dots in abbreviations, no leading "the"), so a lookup is
one dictionary access.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from eventwire.errors import DataFileError

EntryKind = Literal[
    "country", "metonym", "adjective", "demonym", "organization", "institution", "group", "person"
]
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_DATA_FILES = ("countries", "organizations", "institutions", "groups", "people", "roles")


# Names recur within and across articles, and every lookup folds its text: remembered
# for the names seen most recently (bounded, so a long run does not grow with it).
@lru_cache(maxsize=1 << 13)
def fold(text: str) -> str:
    """Normalise a name for lookup: "The U.S. State Department" → "us state department"."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"(?:'s|s')$", lambda m: "" if m.group(0) == "'s" else "s", text.strip())
    text = " ".join(text.replace(".", " ").split()) if "." in text else " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


@dataclass(frozen=True, slots=True)
class Role:
    office: str
    title: str
    country: str
    sector: str
    start: str | None
    end: str | None

    def covers(self, day: date) -> bool:
        iso = day.isoformat()
        return (self.start is None or self.start[: len(iso)] <= iso) and (
            self.end is None or iso <= _end_of(self.end)
        )


def _end_of(partial: str) -> str:
    """ "2012" → "2012-12-31", "2012-05" → "2012-05-31": an end date written partially."""
    if len(partial) == 4:
        return partial + "-12-31"
    if len(partial) == 7:
        return partial + "-31"
    return partial


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    kb_id: str | None
    roles: tuple[Role, ...]

    def role_at(self, day: date | None) -> Role | None:
        """The role held on ``day``; else the last one before it; else the first after.

        Without a date, the most recent role: a 2023 article about "Kim Jong Il"
        still codes him as PRK GOV through his last office.
        """
        if not self.roles:
            return None
        ordered = sorted(self.roles, key=lambda r: (r.start or "", _end_of(r.end or "9999")))
        # Among roles held at once, the higher office speaks (head of state over party leader).
        if day is None:
            current = [r for r in ordered if r.end is None]
            if current:
                return min(current, key=lambda r: _OFFICE_RANK.get(r.office, 99))
            last_end = _end_of(ordered[-1].end or "")
            latest = [r for r in ordered if _end_of(r.end or "") == last_end]
            return min(latest, key=lambda r: _OFFICE_RANK.get(r.office, 99))
        covering = [r for r in ordered if r.covers(day)]
        if covering:
            return min(covering, key=lambda r: _OFFICE_RANK.get(r.office, 99))
        iso = day.isoformat()
        before = [r for r in ordered if r.end is not None and _end_of(r.end) < iso]
        if not before:
            return ordered[0]
        last_end = max(_end_of(r.end or "") for r in before)
        latest = [r for r in before if _end_of(r.end or "") == last_end]
        return min(latest, key=lambda r: _OFFICE_RANK.get(r.office, 99))


_OFFICE_RANK = {
    "head_of_state": 0,
    "president": 0,
    "prime_minister": 1,
    "chancellor": 1,
    "secretary_general": 1,
    "vice_president": 2,
    "foreign_minister": 3,
    "defence_minister": 3,
}


@dataclass(frozen=True, slots=True)
class Entry:
    """Something an alias names."""

    kind: EntryKind
    name: str
    code: str | None
    sector: str | None
    kb_id: str | None = None
    person: Person | None = None


@dataclass(frozen=True, slots=True)
class RoleWord:
    sector: str
    office: str | None


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    kb_id: str | None
    capital: str | None


@dataclass(slots=True)
class KnowledgeBase:
    aliases: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    roles: dict[str, RoleWord] = field(default_factory=dict)
    holders: dict[tuple[str, str], tuple[tuple[Person, Role], ...]] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    people: tuple[Person, ...] = ()
    sizes: dict[str, int] = field(default_factory=dict)

    def lookup(self, text: str) -> tuple[Entry, ...]:
        key = acronym_key(text)
        if key is not None and key in self.aliases:
            return self.aliases[key]
        return self.aliases.get(fold(text), ()) if key is None or len(key) >= 5 else ()

    def body_sector(self, code: str) -> str | None:
        """The sector of anyone acting for ``code`` when it is no state: IGO for the
        UN or the EU, NGO for Amnesty. None for states, whose people have many."""
        if code in self.countries:
            return None
        return next(
            (e.sector for e in self.lookup(code) if e.kind == "organization" and e.code == code),
            "IGO",
        )

    def role(self, text: str) -> RoleWord | None:
        return self.roles.get(fold(text))

    def holder(self, country: str, office: str, day: date | None) -> Person | None:
        """Who held ``office`` for ``country`` on ``day`` (the latest holder without a date)."""
        candidates = self.holders.get((country, office), ())
        if day is None:
            current = [p for p, r in candidates if r.end is None]
            return current[-1] if len(current) == 1 else None
        covering = [p for p, r in candidates if r.covers(day)]
        return covering[0] if len(covering) == 1 else None


def _entries(data: Mapping[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list):
        raise DataFileError(f"{name}: expected a list under {key!r}")
    return value


def acronym_key(text: str) -> str | None:
    """ "U.S." → "=US": acronyms match only as written in capitals, so the pronoun "us"
    and the question word "who" never become the USA or the WHO."""
    bare = text.replace(".", "").replace(" ", "")
    if bare.startswith(("the", "The")):
        bare = bare[3:]
    if 2 <= len(bare) <= 12 and bare.isupper() and bare.isalpha():
        return "=" + bare
    return None


def _add(index: dict[str, list[Entry]], names: Iterable[str], entry: Entry) -> None:
    for alias in names:
        if not alias:
            continue
        keys = [acronym_key(alias) or fold(alias)]
        if keys[0].startswith("=") and len(keys[0]) >= 5:
            keys.append(fold(alias))  # "Nato" as British papers write it; short ones stay exact
        for key in keys:
            bucket = index[key]
            if entry not in bucket:
                bucket.append(entry)


def _load_countries(
    data: Mapping[str, Any], kb: KnowledgeBase, index: dict[str, list[Entry]]
) -> None:
    for item in _entries(data, "countries", "countries"):
        code, name = item["code"], item["name"]
        kb.countries[code] = Country(code, name, item.get("wikidata"), item.get("capital"))
        # A state named as a party acts through its government ("Russia vetoed the
        # resolution"), as its capital and seat-of-government metonyms do.
        country = Entry("country", name, code, "GOV", item.get("wikidata"))
        _add(index, [name, *item.get("names", []), *item.get("historical", [])], country)
        _add(
            index,
            item.get("adjectives", []),
            Entry("adjective", name, code, None, item.get("wikidata")),
        )
        _add(
            index,
            item.get("demonyms", []),
            Entry("demonym", name, code, "CVL", item.get("wikidata")),
        )
        government = f"Government of {name}"
        _add(index, item.get("metonyms", []), Entry("metonym", government, code, "GOV"))


def _load_named(
    data: Mapping[str, Any], key: str, kind: EntryKind, index: dict[str, list[Entry]]
) -> None:
    for item in _entries(data, key, key):
        code = item.get("code") or item.get("country")
        entry = Entry(kind, item["name"], code, item.get("sector"), item.get("wikidata"))
        _add(index, [item["name"], *item.get("aliases", [])], entry)
        if item.get("code"):
            _add(index, [item["code"]], entry)


def _load_people(data: Mapping[str, Any], kb: KnowledgeBase, index: dict[str, list[Entry]]) -> None:
    people = []
    holders: dict[tuple[str, str], list[tuple[Person, Role]]] = defaultdict(list)
    for key, value in kb.holders.items():
        holders[key].extend(value)
    for item in _entries(data, "people", "people"):
        roles = tuple(
            Role(
                r["office"],
                r.get("title", ""),
                r["country"],
                r["sector"],
                r.get("start"),
                r.get("end"),
            )
            for r in item.get("roles", [])
        )
        person = Person(item["name"], item.get("wikidata"), roles)
        people.append(person)
        for role in roles:
            holders[(role.country, role.office)].append((person, role))
        entry = Entry("person", person.name, None, None, person.kb_id, person)
        _add(index, [person.name, *item.get("aliases", [])], entry)
    kb.people = kb.people + tuple(people)
    kb.holders = {key: tuple(value) for key, value in holders.items()}


def _load_roles(data: Mapping[str, Any], kb: KnowledgeBase) -> None:
    for item in _entries(data, "roles", "roles"):
        kb.roles[fold(item["word"])] = RoleWord(item["sector"], item.get("office"))


def _read_packaged(name: str) -> Mapping[str, Any]:
    path = resources.files("eventwire.resolve").joinpath(f"data/{name}.v1.json")
    try:
        return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{name}.v1.json is not valid JSON: {exc}") from exc


def _read_overrides(path: str) -> Mapping[str, Any]:
    try:
        with Path(path).open("rb") as stream:
            return tomllib.load(stream)
    except OSError as exc:
        raise DataFileError(
            f"{path}: cannot read knowledge-base overrides ({exc.strerror})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: invalid TOML in knowledge-base overrides ({exc})") from exc


def build_knowledge_base(sources: Iterable[Mapping[str, Any]]) -> KnowledgeBase:
    """Index data in the packaged file layout. Later sources win on shared aliases."""
    kb = KnowledgeBase()
    layers: list[dict[str, list[Entry]]] = []
    for data in sources:
        index: dict[str, list[Entry]] = defaultdict(list)
        if "countries" in data:
            _load_countries(data, kb, index)
        for key, kind in (
            ("organizations", "organization"),
            ("institutions", "institution"),
            ("groups", "group"),
        ):
            if key in data:
                _load_named(data, key, kind, index)  # type: ignore[arg-type]
        if "people" in data:
            _load_people(data, kb, index)
        if "roles" in data:
            _load_roles(data, kb)
        layers.append(index)
    merged: dict[str, tuple[Entry, ...]] = {}
    for index in layers:
        for alias, entries in index.items():
            merged[alias] = tuple(entries) + merged.get(alias, ())
    kb.aliases = merged
    return kb


@cache
def load_knowledge_base(overrides: str = "") -> KnowledgeBase:
    """The packaged knowledge base, with a user's TOML overrides merged over it."""
    packaged = {name: _read_packaged(name) for name in _DATA_FILES}
    sources: list[Mapping[str, Any]] = list(packaged.values())
    if not overrides:
        kb = build_knowledge_base(sources)
    else:
        sources.append(_read_overrides(overrides))
        # The packaged files are checked by the tests: a failure here is the user's file.
        try:
            kb = build_knowledge_base(sources)
        except DataFileError as exc:
            raise DataFileError(f"{overrides}: knowledge-base overrides: {exc}") from exc
        except KeyError as exc:
            raise DataFileError(
                f"{overrides}: knowledge-base overrides: an entry lacks the required field {exc}"
            ) from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise DataFileError(
                f"{overrides}: knowledge-base overrides: an entry of the wrong shape ({exc})"
            ) from exc
    for name, data in packaged.items():
        kb.sizes[name] = next((len(v) for v in data.values() if isinstance(v, list)), 0)
    return kb
