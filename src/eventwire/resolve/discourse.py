"""What an article has named so far, for conservative in-document coreference.

Each resolved mention is remembered as a ``Referent`` in text order. Later
references look back through them: a surname ("Kim") to the last person of
that name, a title ("the Russian president") to the last person holding it,
"the two leaders" / "they" to the last group of two or more people, "both
nations" to the last two states named. Nothing is guessed beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from eventwire.model import Actor
from eventwire.resolve.kb import KnowledgeBase

# How far back (in sentences) a pronoun or plural description may reach; "the two
# leaders" names a pair set up earlier and may reach further.
_PLURAL_REACH = 3
PAIR_REACH = 12


@dataclass(frozen=True, slots=True)
class Referent:
    actors: tuple[Actor, ...]
    sentence: int
    position: int  # character offset, for ordering
    kind: str  # person | state | body | group | place
    name_tokens: tuple[str, ...] = ()  # a person's name, split: ("Kim", "Jong", "Un")
    office: str | None = None

    @property
    def plural(self) -> bool:
        return len({(a.code, a.name) for a in self.actors}) >= 2


@dataclass(slots=True)
class Discourse:
    kb: KnowledgeBase
    day: date | None
    referents: list[Referent] = field(default_factory=list)
    # The codes of the referents' actors in first-mention order, kept as they come:
    # place names ask for them at every mention.
    _codes: dict[str, None] = field(default_factory=dict)
    _codes_seen: tuple[str, ...] = ()

    def remember(self, referent: Referent) -> None:
        if referent.actors:
            self.referents.append(referent)
            self._codes.update((a.code, None) for a in referent.actors if a.code)

    def codes(self) -> tuple[str, ...]:
        """The actor codes named so far, each once, in first-mention order."""
        if len(self._codes_seen) != len(self._codes):
            self._codes_seen = tuple(self._codes)
        return self._codes_seen

    def _before(self, position: int) -> list[Referent]:
        return [r for r in reversed(self.referents) if r.position < position]

    def person_named(self, token: str, position: int) -> Referent | None:
        """The last person whose name starts or ends with ``token`` ("Kim", "Putin")."""
        for referent in self._before(position):
            if (
                referent.kind == "person"
                and referent.name_tokens
                and token
                in (
                    referent.name_tokens[0],
                    referent.name_tokens[-1],
                )
            ):
                return referent
        return None

    def person_with_office(
        self, office: str, country: str | None, position: int
    ) -> Referent | None:
        for referent in self._before(position):
            if referent.kind != "person" or referent.office != office:
                continue
            if country is None or any(a.code == country for a in referent.actors):
                return referent
        return None

    def owner_of(
        self, kinds: frozenset[str], sentence: int, position: int, subjects: frozenset[int]
    ) -> Referent | None:
        """What "its" refers to: a subject earlier in the same sentence ("Russia launched
        its invasion of Ukraine, and its troops withdrew …" → Russia), else the last
        one named. ``subjects`` holds the character offsets where subjects start."""
        for referent in self._before(position):
            if referent.sentence != sentence:
                break
            starts = {a.start for a in referent.actors}
            if referent.kind in kinds and not referent.plural and starts & subjects:
                return referent
        return self.last_of(kinds, sentence, position)

    def last_group(
        self, sentence: int, position: int, kinds: frozenset[str], reach: int = _PLURAL_REACH
    ) -> Referent | None:
        """The last plural referent of these kinds within ``reach`` sentences."""
        for referent in self._before(position):
            if sentence - referent.sentence > reach:
                return None
            if referent.plural and referent.kind in kinds:
                return referent
        return None

    def last_distinct(
        self, count: int, sentence: int, position: int, kinds: frozenset[str]
    ) -> list[Actor]:
        """The last ``count`` parties of these kinds from distinct states, oldest first.

        "The two leaders", "the two ministers" in international news are the two
        sides, so two people of one state do not make a pair.
        """
        found: list[Actor] = []
        seen: set[str] = set()
        for referent in self._before(position):
            if sentence - referent.sentence > _PLURAL_REACH:
                break
            if referent.kind not in kinds or referent.plural:
                continue
            for actor in referent.actors:
                key = actor.code
                if key and key not in seen and actor.code:
                    seen.add(key)
                    found.append(actor)
            if len(found) >= count:
                break
        return list(reversed(found[:count])) if len(found) >= count else []

    def last_of(self, kinds: frozenset[str], sentence: int, position: int) -> Referent | None:
        for referent in self._before(position):
            if sentence - referent.sentence > _PLURAL_REACH:
                return None
            if referent.kind in kinds and not referent.plural:
                return referent
        return None
