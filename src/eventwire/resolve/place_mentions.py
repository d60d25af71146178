"""Every place an article names, resolved against the gazetteer.

The small spaCy model tags many towns as people or organisations, or not at all,
and splits "Kharkiv region" from its suffix; so candidates are the model's place
entities, plus person, organisation and untagged proper-noun names that the
gazetteer knows as a town (and the knowledge base as nothing else), each widened
over a region suffix and over hyphens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Span

from eventwire.events.doc_facts import entities
from eventwire.events.syntax import hyphenated_bounds
from eventwire.model import Place
from eventwire.resolve.kb import KnowledgeBase
from eventwire.resolve.places import Gazetteer

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_OTHER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
_REGION_WORDS = frozenset(
    {"region", "province", "district", "oblast", "state", "governorate", "county", "prefecture",
     "territory", "department", "municipality", "city", "township"}
)  # fmt: skip
# A name the tagger did not call a place counts as one only for towns this large.
_TOWN_POPULATION = 100_000


def _widened(doc: Doc, start: int, end: int) -> Span:
    start, end = hyphenated_bounds(doc, start, end)
    if end < len(doc) and doc[end].lower_ in _REGION_WORDS:
        end += 1  # "Kharkiv region", "Sindh province"
    return doc[start:end]


def _candidates(doc: Doc, begin: int) -> Iterator[tuple[Span, bool]]:
    """(span, tagged as a place) for every possible place name from ``begin`` on."""
    seen: set[int] = set()
    for ent in entities(doc):
        if ent.start_char < begin:
            continue
        if ent.label_ in PLACE_LABELS | _OTHER_LABELS:
            seen.update(range(ent.start, ent.end))
            yield _widened(doc, ent.start, ent.end), ent.label_ in PLACE_LABELS
    run: list[int] = []
    for token in doc:
        if (
            token.idx >= begin
            and token.pos_ == "PROPN"
            and token.i not in seen
            and not token.ent_type_
        ):
            run.append(token.i)
            continue
        if run:
            yield _widened(doc, run[0], run[-1] + 1), False
            run = []
    if run:
        yield _widened(doc, run[0], run[-1] + 1), False


def find_place_mentions(
    doc: Doc,
    begin: int,
    kb: KnowledgeBase,
    gazetteer: Gazetteer,
    countries_in_view: Callable[[], tuple[str, ...]],
) -> list[Place]:
    """Places named in ``doc`` at or after character ``begin``, in text order."""
    found: list[Place] = []
    for span, tagged in _candidates(doc, begin):
        text = span.text
        entry = gazetteer.best(text, countries_in_view())
        if entry is None and span[-1].lower_ in _REGION_WORDS:
            text = span[:-1].text
            entry = gazetteer.best(text, countries_in_view())
        if entry is None:
            continue
        if not tagged:
            known_otherwise = any(e.kind not in {"country", "metonym"} for e in kb.lookup(text))
            named_region = entry.precision == "region" and span[-1].lower_ in _REGION_WORDS
            big_town = entry.precision == "city" and entry.population >= _TOWN_POPULATION
            if known_otherwise or not (named_region or big_town):
                continue
        found.append(
            Place(
                text=span.text, start=span.start_char, end=span.end_char, name=entry.name,
                country=entry.country, geonameid=entry.geonameid, lat=entry.lat, lon=entry.lon,
                precision=entry.precision, basis="sentence",
            )
        )  # fmt: skip
    found.sort(key=lambda p: p.start or 0)
    return found
