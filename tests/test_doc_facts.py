"""Per-Doc facts give exactly what spaCy's own (slower) attributes give."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from eventwire.events.doc_facts import entities, entities_in, entity_of, lower_words, sentence_of
from eventwire.pipeline import Pipeline

TEXT = (
    "MOSCOW, Sept 13 (Reuters) - Russian President Vladimir Putin met North Korea's Kim "
    "Jong Un at the Vostochny Cosmodrome on Wednesday.   The two leaders held talks for "
    "more than four hours! Did Pyongyang agree to supply artillery shells to Russia? "
    "Washington said it would watch closely, and the European Union warned of sanctions."
)


@pytest.fixture(scope="module")
def doc(pipeline: Pipeline) -> Doc:
    return pipeline.nlp(TEXT)


def test_entities_are_the_docs(doc: Doc) -> None:
    assert [(e.start, e.end, e.label_) for e in entities(doc)] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]


def test_entities_in_a_span_are_the_spans(doc: Doc) -> None:
    for sentence in doc.sents:
        assert [(e.start, e.end) for e in entities_in(sentence)] == [
            (e.start, e.end) for e in sentence.ents
        ]
    assert len(list(doc.sents)) >= 3


def test_each_tokens_entity_sentence_and_lower_case_are_spacys(doc: Doc) -> None:
    lowered = lower_words(doc)
    for token in doc:
        ent = entity_of(token)
        expected = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        got_bounds = (ent.start, ent.end) if ent is not None else None
        expected_bounds = (expected.start, expected.end) if expected is not None else None
        assert got_bounds == expected_bounds
        assert (sentence_of(token).start, sentence_of(token).end) == (
            token.sent.start,
            token.sent.end,
        )
        assert lowered[token.i] == token.lower_
