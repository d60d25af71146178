"""resolve: mentions → codes. Actors, places and dates of every event of one article.

Entry point: :func:`resolve_article`. It reads the article once, in text order:
named entities and event arguments are resolved as they appear and remembered,
so later references ("Kim", "the Russian president", "both nations") find
their antecedents. Then each event gets its resolved actors, its date (against
the publication date) and its place (from the sentence, else the dateline).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span

from eventwire.model import Actor, Article, Event, Place, Sentence
from eventwire.resolve.actors import ActorResolver
from eventwire.resolve.dates import date_of
from eventwire.resolve.discourse import Discourse
from eventwire.resolve.kb import KnowledgeBase, load_knowledge_base
from eventwire.resolve.places import Gazetteer, load_gazetteer
from eventwire.resolve.speakers import resolve_speakers

__all__ = ["Resolved", "load_knowledge_base", "resolve_article"]

_MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class Resolved:
    events: tuple[Event, ...]
    mentions: tuple[Actor, ...]
    places: tuple[Place, ...]


def _published(article: Article) -> date | None:
    return date.fromisoformat(article.published) if article.published else None


def _span(doc: Doc, actor: Actor) -> Span | None:
    return doc.char_span(actor.start, actor.end, alignment_mode="expand")


def _argument_spans(events: tuple[Event, ...]) -> dict[int, list[Actor]]:
    by_sentence: dict[int, list[Actor]] = defaultdict(list)
    for event in events:
        by_sentence[event.sentence.index].extend(
            event.actor + event.recipient + event.attributed_to
        )
    return by_sentence


class _ArticleResolver:
    def __init__(self, doc: Doc, article: Article, kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.article = article
        self.gazetteer = gazetteer
        self.discourse = Discourse(kb, _published(article))
        self.actors = ActorResolver(kb, gazetteer, self.discourse)
        self.by_span: dict[tuple[int, int], tuple[Actor, ...]] = {}
        self.mentions: list[Actor] = []
        self.places: list[Place] = []

    def read(self, sentences: tuple[Sentence, ...], events: tuple[Event, ...]) -> None:
        """Resolve every mention in text order, remembering each for coreference."""
        arguments = _argument_spans(events)
        for sentence in sentences:
            spans: dict[tuple[int, int], Span] = {}
            for actor in arguments.get(sentence.index, []):
                span = _span(self.doc, actor)
                if span is not None:
                    spans[(actor.start, actor.end)] = span
            sentence_span = self.doc.char_span(
                sentence.start, sentence.end, alignment_mode="expand"
            )
            for ent in sentence_span.ents if sentence_span is not None else ():
                inside = any(s <= ent.start_char and ent.end_char <= e for s, e in spans)
                if ent.label_ in _MENTION_LABELS and not inside:
                    spans[(ent.start_char, ent.end_char)] = ent
            for key in sorted(spans):
                resolution = self.actors.resolve(spans[key], sentence.index)
                self.by_span[key] = resolution.actors
                self.mentions.extend(a for a in resolution.actors if a.code or a.sector)

    def actors_for(self, mentions: tuple[Actor, ...]) -> tuple[Actor, ...]:
        resolved: list[Actor] = []
        for mention in mentions:
            resolved.extend(self.by_span.get((mention.start, mention.end), (mention,)))
        return tuple(resolved)

    def place(self, place: Place) -> Place:
        if place.text:
            found = self.gazetteer.find(place.text, self.actors.countries_in_view())
            if found is not None:
                return replace(
                    found, text=place.text, start=place.start, end=place.end, basis=place.basis
                )
            return place
        if self.article.dateline:
            found = self.gazetteer.find(self.article.dateline[0], ())
            if found is not None:
                return replace(found, text=self.article.dateline[0], basis="dateline")
        return place


def resolve_article(
    doc: Doc,
    article: Article,
    sentences: tuple[Sentence, ...],
    events: tuple[Event, ...],
    kb: KnowledgeBase | None = None,
    gazetteer: Gazetteer | None = None,
) -> Resolved:
    """Codes for every event's actors, and its date and place."""
    resolver = _ArticleResolver(
        doc, article, kb or load_knowledge_base(), gazetteer or load_gazetteer()
    )
    resolver.read(sentences, events)
    published = _published(article)
    resolved = []
    for event in events:
        location = resolver.place(event.location)
        if location.text and location.start is not None:
            resolver.places.append(location)
        resolved.append(
            replace(
                event,
                actor=resolver.actors_for(event.actor),
                recipient=resolver.actors_for(event.recipient),
                attributed_to=resolve_speakers(event.attributed_to, resolver.actors_for),
                date=date_of(event, published),
                location=location,
            )
        )
    for ent in doc.ents:
        if ent.label_ in {"GPE", "LOC", "FAC"} and ent.start_char >= article.dateline_end:
            found = resolver.gazetteer.find(ent.text, resolver.actors.countries_in_view())
            if found is not None:
                resolver.places.append(
                    replace(found, start=ent.start_char, end=ent.end_char, basis="sentence")
                )
    for name in article.dateline:
        found = resolver.gazetteer.find(name)
        if found is not None:
            resolver.places.append(replace(found, text=name, basis="dateline"))
    unique_places = {(p.start, p.end, p.text): p for p in resolver.places}
    return Resolved(tuple(resolved), tuple(resolver.mentions), tuple(unique_places.values()))
