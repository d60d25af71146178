"""events: parsed ``Doc`` → ``Event`` candidates, sentence by sentence.

Entry point: :func:`find_events`. For each sentence of the article body:

1. find trigger words with the compiled lexicon (one dictionary lookup per token);
2. read actor and recipient from the parse (voice, control, coordination, frames);
3. climb to the root to decide status and attribution (``frames``);
4. drop what is not an event (request content, hypothetical conditions, words
   absorbed by another trigger, events with no party at all);
5. link framing events (accuse, threaten, deny) to the event they are about.

Cross-sentence work that needs resolved codes (denials of earlier claims, merging
duplicates) happens after resolution, in :mod:`eventwire.events.claims`.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from eventwire import __version__
from eventwire.events.lexicon import Lexicon, load_lexicon
from eventwire.events.sentence import event_id, link_about, sentence_candidates, to_event
from eventwire.model import Article, Event, Sentence

__all__ = ["EXTRACTOR", "find_events", "sentences_of"]

EXTRACTOR = f"eventwire {__version__}"


def _content_bounds(sent: Span) -> tuple[int, int] | None:
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def sentences_of(doc: Doc, article: Article) -> Iterator[tuple[Sentence, Span]]:
    """Numbered sentences of the body, without surrounding whitespace or the dateline."""
    index = 0
    for sent in doc.sents:
        bounds = _content_bounds(sent)
        if bounds is None:
            continue
        start, end = bounds
        yield Sentence(index, start, end, article.text[start:end]), sent
        index += 1


def find_events(
    doc: Doc, article: Article, lexicon: Lexicon | None = None
) -> tuple[tuple[Sentence, ...], tuple[Event, ...]]:
    """The sentences of ``article`` and the events they state (actors not yet resolved)."""
    lexicon = lexicon or load_lexicon()
    sentences: list[Sentence] = []
    events: list[Event] = []
    for sentence, span in sentences_of(doc, article):
        sentences.append(sentence)
        candidates = sentence_candidates(span, lexicon)
        for candidate in candidates:
            candidate.id = event_id(
                article.id, sentence.index, candidate.trigger, candidate.sense.type
            )
        link_about(candidates)
        events.extend(to_event(c, sentence, article.id, EXTRACTOR) for c in candidates)
    return tuple(sentences), tuple(events)
