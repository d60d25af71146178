"""resolve: mentions → codes. Actors, places and dates of every event of one article.

Entry point: :func:`resolve_article`. It reads the article once, in text order:
named entities and event arguments are resolved as they appear and remembered,
so later references ("Kim", "the Russian president", "both nations") find
their antecedents. Then each event gets its resolved actors, its date (against
the publication date) and its place (from the sentence, else the dateline).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span

from eventwire.events.doc_facts import entities_in
from eventwire.events.ontology import load_ontology
from eventwire.model import Actor, Article, Event, Place, Sentence
from eventwire.resolve.actors import ActorResolver
from eventwire.resolve.dates import date_of
from eventwire.resolve.discourse import Discourse, Referent
from eventwire.resolve.kb import KnowledgeBase, load_knowledge_base
from eventwire.resolve.local import aided_state, local_parties, localised
from eventwire.resolve.place_mentions import find_place_mentions
from eventwire.resolve.places import Gazetteer, load_gazetteer
from eventwire.resolve.speakers import resolve_speakers

__all__ = ["Resolved", "load_knowledge_base", "resolve_article"]

# Where a story is filed from says more about its local actors than one more mention.
_DATELINE_WEIGHT = 2
# The headline says what the story is about more surely than anything else.
_TITLE_WEIGHT = 3
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


def _argument_groups(events: tuple[Event, ...]) -> dict[int, list[tuple[Actor, ...]]]:
    """Coordinated parties of one role ("Pashinyan and Aliyev"), by sentence."""
    groups: dict[int, list[tuple[Actor, ...]]] = defaultdict(list)
    for event in events:
        for role in (event.actor, event.recipient):
            if len({(m.start, m.end) for m in role}) >= 2:
                groups[event.sentence.index].append(role)
    return groups


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
        roles = _argument_groups(events)
        for sentence in sentences:
            spans: dict[tuple[int, int], Span] = {}
            for actor in arguments.get(sentence.index, []):
                span = _span(self.doc, actor)
                if span is not None:
                    spans[(actor.start, actor.end)] = span
            sentence_span = self.doc.char_span(
                sentence.start, sentence.end, alignment_mode="expand"
            )
            for ent in entities_in(sentence_span) if sentence_span is not None else ():
                inside = any(s <= ent.start_char and ent.end_char <= e for s, e in spans)
                if ent.label_ in _MENTION_LABELS and not inside:
                    spans[(ent.start_char, ent.end_char)] = ent
            for key in sorted(spans):
                resolution = self.actors.resolve(spans[key], sentence.index)
                self.by_span[key] = resolution.actors
                self.mentions.extend(a for a in resolution.actors if a.code or a.sector)
            for group in roles.get(sentence.index, []):
                self._remember_group(group, sentence.index)

    def _remember_group(self, mentions: tuple[Actor, ...], sentence: int) -> None:
        """ "Pashinyan and Aliyev met": the pair "the two leaders" will point back to."""
        actors = tuple(
            a for m in mentions for a in self.by_span.get((m.start, m.end), ()) if a.code
        )
        if len({a.code for a in actors}) < 2:
            return
        people = all(a.rule and "person" in a.rule for a in actors)
        position = max(m.end for m in mentions)
        self.discourse.remember(
            Referent(actors, sentence, position, "person" if people else "state")
        )

    def main_country(self) -> str | None:
        """The state named most often (the headline's, then the dateline's state breaks ties)."""
        counts = Counter(
            a.code
            for r in self.discourse.referents
            if r.kind in {"state", "place", "body", "person"}
            for a in r.actors
            if a.code and a.code in self.actors.kb.countries
        )
        dateline = self.place(Place())
        if dateline.country:
            counts[dateline.country] += _DATELINE_WEIGHT
        titled = self._title_countries()
        for code in titled:
            counts[code] += _TITLE_WEIGHT
        if not counts:
            return None
        best = max(counts.values())
        leaders = [code for code, n in counts.items() if n == best]
        # On a tie the headline says what the story is about; the dateline only where
        # it was filed ("BANGKOK — A Myanmar military air strike …").
        in_title = [code for code in leaders if code in titled]
        if len(in_title) == 1:
            return in_title[0]
        return dateline.country if dateline.country in leaders else leaders[0]

    def _title_countries(self) -> set[str]:
        """States the headline names ("Myanmar military air strike kills …")."""
        title = self.article.title or ""
        words = title.replace("’s", "").replace("'s", "").split()
        found = set()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size]).strip(',.:;"“”‘’')
                for entry in self.actors.kb.lookup(phrase):
                    if entry.kind in {"country", "adjective", "metonym"} and entry.code:
                        found.add(entry.code)
        return found

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


def _target_place(recipients: tuple[Actor, ...], resolver: _ArticleResolver) -> Place | None:
    for actor in recipients:
        if actor.rule == "gazetteer.place.v1":
            found = resolver.gazetteer.find(actor.text, resolver.actors.countries_in_view())
            if found is not None:
                return replace(found, start=actor.start, end=actor.end, basis="sentence")
    return None


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
    ontology = load_ontology()
    # The state the story is about: the default for local actors ("police",
    # "protesters") when the sentence names no place.
    home = Place(country=resolver.main_country(), basis="dateline")
    resolved = []
    for event in events:
        actors = resolver.actors_for(event.actor)
        recipients = resolver.actors_for(event.recipient)
        location = resolver.place(event.location)
        if location.basis != "sentence":
            # "struck Kharkiv": a town that is the target is where it happened.
            location = _target_place(recipients, resolver) or location
        if location.text and location.start is not None:
            resolver.places.append(location)
        local = location if location.basis == "sentence" and location.country else home
        if local.country:
            actors, recipients = local_parties(event, actors, recipients, local, ontology)
        recipients = aided_state(event, actors, recipients, home)
        resolved.append(
            replace(
                event,
                actor=actors,
                recipient=recipients,
                attributed_to=localised(
                    resolve_speakers(event.attributed_to, resolver.actors_for), local.country
                ),
                date=date_of(event, published),
                location=location,
            )
        )
    resolver.places.extend(
        find_place_mentions(
            doc, article.dateline_end, resolver.actors.kb, resolver.gazetteer,
            resolver.actors.countries_in_view,
        )
    )  # fmt: skip
    for name in article.dateline:
        found = resolver.gazetteer.find(name)
        if found is not None:
            resolver.places.append(replace(found, text=name, basis="dateline"))
    unique_places = {(p.start, p.end, p.text): p for p in resolver.places}
    return Resolved(tuple(resolved), tuple(resolver.mentions), tuple(unique_places.values()))
