"""The stages in order, on one screen.

    ingest ──► extract ──► nlp ──► events ──► resolve ──► claims/finalize ──► (store, cluster)

Each stage is one package with one entry function; this module only wires them.
Errors in one input become an ``InputError`` and the run goes on. ``ingest`` takes
any :class:`Processor`: a :class:`Pipeline` in this process, or a pool of worker
processes (:mod:`eventwire.runner`) that runs the same ``process`` in each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.config import Settings
from eventwire.errors import InputRejected
from eventwire.events import find_events
from eventwire.events.claims import link_claims
from eventwire.events.finalize import finalize_events
from eventwire.events.lexicon import Lexicon, load_lexicon
from eventwire.extract import extract_article
from eventwire.model import Article, InputError, RawDocument, Result
from eventwire.nlp import load_pipeline, parse_articles
from eventwire.resolve import resolve_article
from eventwire.resolve.kb import KnowledgeBase, load_knowledge_base
from eventwire.resolve.places import Gazetteer, load_gazetteer

if TYPE_CHECKING:  # storing is imported by ingest: extracting alone needs no database
    from eventwire.store import Store

_log = logging.getLogger(__name__)

# Stored articles clustered together. Each clustering pass has a fixed cost (a
# transaction, the pending events, their stored neighbours); one pass per article
# cost more than storing it. Passes every 128 articles cost 11% less than every 32
# (2,000 generated articles), and keep watchlist alerts of a long ingest within
# about 20 seconds on one worker. Each parse batch is stored in one transaction.
CLUSTER_EVERY = 128


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Everything loaded once per process: the spaCy model, lexicon, knowledge base, gazetteer."""

    settings: Settings
    nlp: Language
    lexicon: Lexicon
    kb: KnowledgeBase
    gazetteer: Gazetteer

    def process(
        self, documents: Iterable[RawDocument | InputError]
    ) -> Iterator[Result | InputError]:
        return process(documents, self)


class Processor(Protocol):
    """Documents → results in input order: a Pipeline, or a pool of worker processes."""

    @property
    def settings(self) -> Settings: ...

    def process(
        self, documents: Iterable[RawDocument | InputError]
    ) -> Iterator[Result | InputError]: ...


def build_pipeline(settings: Settings) -> Pipeline:
    return Pipeline(
        settings=settings,
        nlp=load_pipeline(settings.model),
        lexicon=load_lexicon(),
        kb=load_knowledge_base(settings.kb_overrides),
        gazetteer=load_gazetteer(),
    )


def analyse(article: Article, doc: Doc, pipeline: Pipeline) -> Result:
    """events → resolve → claims across sentences → final tidy, for one parsed article."""
    sentences, candidates = find_events(doc, article, pipeline.lexicon)
    resolved = resolve_article(doc, article, sentences, candidates, pipeline.kb, pipeline.gazetteer)
    events = finalize_events(link_claims(resolved.events), pipeline.lexicon)
    return Result(article, sentences, events, resolved.mentions, resolved.places)


def extract_all(
    documents: Iterable[RawDocument | InputError], settings: Settings
) -> Iterator[Article | InputError]:
    for document in documents:
        if isinstance(document, InputError):
            yield document
            continue
        try:
            yield extract_article(document, max_chars=settings.max_chars)
        except InputRejected as exc:
            yield InputError(exc.source, exc.reason)


def _analysed(article: Article, doc: Doc, pipeline: Pipeline) -> Result | InputError:
    """``analyse``, with a failure of ours on one article reported as that article's
    error: the run (an ingest, a watch cycle) goes on with the next one."""
    try:
        return analyse(article, doc, pipeline)
    except Exception as exc:  # any bug in a rule must not stop a run
        _log.debug("event extraction failed on %s", article.source, exc_info=True)
        return InputError(
            article.source, f"internal error in event extraction ({type(exc).__name__}: {exc})"
        )


def process(
    documents: Iterable[RawDocument | InputError], pipeline: Pipeline
) -> Iterator[Result | InputError]:
    """Results for every document, in input order; failures as ``InputError``."""
    pending: list[Article | InputError] = []

    def flush() -> Iterator[Result | InputError]:
        articles = [item for item in pending if isinstance(item, Article)]
        parsed = parse_articles(pipeline.nlp, articles, pipeline.settings.batch_size)
        for item in pending:
            if isinstance(item, InputError):
                yield item
                continue
            article, doc = next(parsed)
            yield _analysed(article, doc, pipeline)
        pending.clear()

    for item in extract_all(documents, pipeline.settings):
        pending.append(item)
        if len(pending) >= pipeline.settings.batch_size:
            yield from flush()
    yield from flush()


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    unchanged: int = 0
    failed: int = 0
    events: int = 0
    copies: int = 0  # stored articles that are near-duplicates of an earlier one


def ingest(
    documents: Iterable[RawDocument | InputError],
    pipeline: Processor,
    store: Store,
    on_error: Callable[[InputError], None],
    on_article: Callable[[Result | None], None] = lambda _: None,
) -> IngestSummary:
    """Process and store every document; content already stored is skipped before parsing.

    The results of each parse batch are stored in one transaction (each article all
    or nothing), and stored articles are clustered every ``CLUSTER_EVERY`` and at the
    end. A killed run loses at most one batch of parsed articles, which the next run
    parses again, and the final update of the next run clusters whatever a killed one
    left unclustered.
    """
    from eventwire.cluster import DuplicateIndex, update_clusters

    summary = IngestSummary()
    window = pipeline.settings.cluster_window_days
    duplicates = DuplicateIndex()

    def new_only() -> Iterator[RawDocument | InputError]:
        # Looked up a parse batch at a time: one query per document cost more than the
        # lookup itself.
        pending = iter(documents)
        while group := list(islice(pending, pipeline.settings.batch_size)):
            hashes = [d.content_hash for d in group if isinstance(d, RawDocument)]
            stored = store.stored_contents(hashes) if hashes else set()
            for document in group:
                if isinstance(document, RawDocument) and document.content_hash in stored:
                    summary.unchanged += 1
                    on_article(None)
                    continue
                yield document

    batch: list[Result] = []  # parsed, not stored yet
    stored: list[str] = []  # stored, not clustered yet

    def store_batch() -> None:
        for result, added in zip(batch, store.add_batch(batch), strict=True):
            if added:
                summary.stored += 1
                summary.events += len(result.events)
                stored.append(result.article.id)
            else:
                summary.unchanged += 1
            on_article(result)
        batch.clear()
        if len(stored) >= CLUSTER_EVERY:
            summary.copies += update_clusters(store, window, duplicates, stored).copies
            stored.clear()

    for item in pipeline.process(new_only()):
        if isinstance(item, InputError):
            summary.failed += 1
            on_error(item)
            continue
        batch.append(item)
        if len(batch) >= pipeline.settings.batch_size:
            store_batch()
    store_batch()
    summary.copies += update_clusters(store, window, duplicates).copies
    return summary
