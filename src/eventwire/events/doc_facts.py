"""Facts of a whole Doc that the stages ask about again and again, built once per Doc.

``doc.ents`` (and ``Span.ents``, which filters it) walks the whole Doc and builds new
Span objects on every call, and every ``doc[i]`` builds a new Token object: reading
a word's attributes through Tokens cost more than the rules that use them. Facts are
read from ``Doc.to_array`` where they can be. A handful of Docs is kept, with strong
references, so that an id is never reused while cached.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TypeVar, cast

from spacy.tokens import Doc, Span, Token

_CACHE: dict[int, tuple[Doc, dict[str, object]]] = {}
_CACHE_SIZE = 8
T = TypeVar("T")


def doc_fact(doc: Doc, name: str, build: Callable[[Doc], T]) -> T:
    """``build(doc)``, computed once per Doc and ``name``."""
    cached = _CACHE.get(id(doc))
    if cached is None or cached[0] is not doc:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        cached = _CACHE[id(doc)] = (doc, {})
    facts = cached[1]
    if name not in facts:
        facts[name] = build(doc)
    return cast(T, facts[name])


def _ents(doc: Doc) -> tuple[Span, ...]:
    return tuple(doc.ents)


def _entity_by_token(doc: Doc) -> tuple[Span | None, ...]:
    by_token: list[Span | None] = [None] * len(doc)
    for ent in entities(doc):
        for i in range(ent.start, ent.end):
            by_token[i] = ent
    return tuple(by_token)


def _lower(doc: Doc) -> tuple[str, ...]:
    strings = doc.vocab.strings
    return tuple(strings[int(key)] for key in doc.to_array("LOWER"))


def _sentences(doc: Doc) -> tuple[tuple[Span, ...], tuple[int, ...]]:
    sentences = tuple(doc.sents)
    by_token = [0] * len(doc)
    for number, sentence in enumerate(sentences):
        by_token[sentence.start : sentence.end] = [number] * (sentence.end - sentence.start)
    return sentences, tuple(by_token)


def sentence_of(token: Token) -> Span:
    """``token.sent``, which walks the Doc to the sentence's edges on every call."""
    sentences, by_token = doc_fact(token.doc, "sentences", _sentences)
    return sentences[by_token[token.i]]


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``."""
    return doc_fact(doc, "ents", _ents)


def entities_in(span: Span) -> list[Span]:
    """The entities wholly inside ``span`` (as ``span.ents``), in order."""
    ents = entities(span.doc)
    first = bisect_left(ents, span.start, key=lambda ent: ent.start)
    inside = []
    for ent in ents[first:]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            inside.append(ent)
    return inside


def entity_of(token: Token) -> Span | None:
    """The named entity ``token`` is part of, if any."""
    return doc_fact(token.doc, "entity_by_token", _entity_by_token)[token.i]


def lower_words(doc: Doc) -> tuple[str, ...]:
    """``token.lower_`` of every token of ``doc``, by token index."""
    return doc_fact(doc, "lower", _lower)
