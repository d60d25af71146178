"""Throughput of every stage, of the whole ingest, and of bare ``nlp.pipe``, side by side.

The corpus is split into chunks (directories). For each chunk, in one process:

1. ingest: ``read_sources`` reads and decodes the files (timed);
2. extract: ``extract_article`` on every document (timed per document kind);
3. three passes over the same chunk, in an order that rotates from chunk to chunk
   so that no pass always runs first or last on a machine whose load changes:

   - **bare**: ``nlp.pipe`` over the extracted texts with the pipeline from
     ``eventwire.nlp.load_pipeline`` and the same batch size: spaCy's own cost;
   - **staged**: the stages of ``pipeline.process``/``pipeline.analyse``/``ingest``
     called one by one and timed separately (nlp, events, resolve, claims/finalize,
     store into a fresh SQLite file, cluster), one batch of Docs alive at a time;
   - **end to end**: ``eventwire.pipeline.ingest`` from the files to another fresh
     SQLite file, exactly as ``eventwire ingest DIR`` runs it.

Throughput is words (of the extracted article text, the text spaCy parses) and
articles per second; every figure has its wall and CPU time.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus import GeneratedArticle
from benchmarks.measure import Clock, Load, peak_rss_mb, per_second, reset_peak_rss, rss_mb
from eventwire.cluster import DuplicateIndex, update_clusters
from eventwire.events import find_events
from eventwire.events.claims import link_claims
from eventwire.events.finalize import finalize_events
from eventwire.extract import extract_article
from eventwire.ingest import read_sources
from eventwire.model import Article, InputError, RawDocument, Result
from eventwire.nlp import parse_articles
from eventwire.pipeline import CLUSTER_EVERY, Pipeline, ingest
from eventwire.resolve import resolve_article
from eventwire.store import Store, open_store

# Stage names as printed, in pipeline order.
READ = "ingest (read + decode)"
EXTRACT = "extract"
NLP = "nlp (parse_articles)"
EVENTS = "events (find_events)"
RESOLVE = "resolve (resolve_article)"
FINALIZE = "claims + finalize"
STORE = "store (SQLite, Store.add)"
CLUSTER = "cluster (update_clusters)"
STAGED = "sum of the stages above"
END_TO_END = "end to end (pipeline.ingest)"
BARE = "bare nlp.pipe (same pipeline)"
STAGES = (READ, EXTRACT, NLP, EVENTS, RESOLVE, FINALIZE, STORE, CLUSTER)
PASSES = ("bare", "staged", "end_to_end")


@dataclass(slots=True)
class Tally:
    articles: int = 0
    words: int = 0
    tokens: int = 0
    sentences: int = 0
    events: int = 0
    failed: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    lengths: list[int] = field(default_factory=list)
    # extracted words / generated words, per document kind
    fidelity: dict[str, list[float]] = field(default_factory=dict)


@dataclass(slots=True)
class SideBySide:
    clocks: dict[str, Clock] = field(default_factory=lambda: {name: Clock() for name in STAGES})
    extract_by_kind: dict[str, Clock] = field(default_factory=dict)
    bare: Clock = field(default_factory=Clock)
    end_to_end: Clock = field(default_factory=Clock)
    tally: Tally = field(default_factory=Tally)
    e2e_events: int = 0
    e2e_stored: int = 0
    e2e_failed: int = 0
    copies_staged: int = 0
    copies_end_to_end: int = 0
    chunk_ratios: list[float] = field(default_factory=list)  # bare time / e2e time per chunk
    load: Load = field(default_factory=Load)
    peak_rss_mb: float = 0.0
    rss_after_mb: float = 0.0
    peak_reset: bool = False
    db_bytes: dict[str, int] = field(default_factory=dict)


def _generated_id(article: Article) -> str:
    return article.id if article.id.startswith("bench-") else Path(article.source).stem


def _batches(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read(chunk: Path, pipeline: Pipeline, run: SideBySide) -> list[RawDocument]:
    with run.clocks[READ].running():
        items = list(read_sources([str(chunk)], max_bytes=pipeline.settings.max_bytes))
    documents = [item for item in items if isinstance(item, RawDocument)]
    run.tally.failed += len(items) - len(documents)
    return documents


def _extract(
    documents: Sequence[RawDocument],
    pipeline: Pipeline,
    run: SideBySide,
    generated: dict[str, GeneratedArticle],
) -> list[Article]:
    articles = []
    for document in documents:
        kind = document.kind
        clock = run.extract_by_kind.setdefault(kind, Clock())
        try:
            with run.clocks[EXTRACT].running(), clock.running():
                article = extract_article(document, max_chars=pipeline.settings.max_chars)
        except Exception:
            run.tally.failed += 1
            continue
        articles.append(article)
        words = len(article.text.split())
        run.tally.articles += 1
        run.tally.words += words
        run.tally.kinds[kind] += 1
        run.tally.lengths.append(words)
        source = generated.get(_generated_id(article))
        if source is not None:
            run.tally.fidelity.setdefault(kind, []).append(words / max(1, source.words))
    return articles


def _bare(articles: Sequence[Article], pipeline: Pipeline, run: SideBySide) -> Clock:
    clock = Clock()
    texts = [article.text_for_parsing for article in articles]
    tokens = 0
    with clock.running():
        for doc in pipeline.nlp.pipe(texts, batch_size=pipeline.settings.batch_size):
            tokens += len(doc)
    run.tally.tokens += tokens
    run.bare.add(clock)
    return clock


def _staged(articles: Sequence[Article], pipeline: Pipeline, store: Store, run: SideBySide) -> None:
    """``pipeline.process`` + ``pipeline.analyse`` + what ``pipeline.ingest`` does with
    each result (``Store.add``, then clustering), one stage at a time."""
    clocks, size = run.clocks, pipeline.settings.batch_size
    window = pipeline.settings.cluster_window_days
    duplicates = DuplicateIndex()  # one per ingest call, as pipeline.ingest keeps it
    pending: list[Result] = []
    stored_ids: list[str] = []

    def store_pending() -> None:
        # As pipeline.ingest: a parse batch in one transaction, clustered every
        # CLUSTER_EVERY stored articles.
        with clocks[STORE].running():
            added = store.add_batch(pending)
        stored_ids.extend(r.article.id for r, ok in zip(pending, added, strict=True) if ok)
        pending.clear()
        if len(stored_ids) >= CLUSTER_EVERY:
            with clocks[CLUSTER].running():
                update = update_clusters(store, window, duplicates, stored_ids)
            run.copies_staged += update.copies
            stored_ids.clear()

    for batch in _batches(articles, size):
        with clocks[NLP].running():
            parsed = list(parse_articles(pipeline.nlp, batch, size))
        for article, doc in parsed:
            with clocks[EVENTS].running():
                sentences, candidates = find_events(doc, article, pipeline.lexicon)
            with clocks[RESOLVE].running():
                resolved = resolve_article(
                    doc, article, sentences, candidates, pipeline.kb, pipeline.gazetteer
                )
            with clocks[FINALIZE].running():
                events = finalize_events(link_claims(resolved.events), pipeline.lexicon)
                result = Result(article, sentences, events, resolved.mentions, resolved.places)
            pending.append(result)
            if len(pending) >= size:
                store_pending()
            run.tally.sentences += len(sentences)
            run.tally.events += len(events)
        del parsed
    store_pending()
    with clocks[CLUSTER].running():
        run.copies_staged += update_clusters(store, window, duplicates).copies


def _end_to_end(chunk: Path, pipeline: Pipeline, store: Store, run: SideBySide) -> Clock:
    clock = Clock()
    failures: list[InputError] = []
    documents = read_sources([str(chunk)], max_bytes=pipeline.settings.max_bytes)
    with clock.running():
        summary = ingest(documents, pipeline, store, on_error=failures.append)
    run.e2e_events += summary.events
    run.e2e_stored += summary.stored
    run.e2e_failed += summary.failed
    run.copies_end_to_end += getattr(summary, "copies", 0)
    run.end_to_end.add(clock)
    return clock


def warm_up(directory: Path, pipeline: Pipeline, workdir: Path) -> None:
    """One pass of every code path, untimed: lazy loads, caches, SQL statement compilation."""
    store = open_store(f"sqlite:///{workdir / 'warmup.db'}")
    with store:
        scratch = SideBySide()
        documents = _read(directory, pipeline, scratch)
        articles = _extract(documents, pipeline, scratch, {})
        _bare(articles, pipeline, scratch)
        _staged(articles, pipeline, store, scratch)
    with open_store(f"sqlite:///{workdir / 'warmup-e2e.db'}") as store:
        _end_to_end(directory, pipeline, store, scratch)


def run_side_by_side(
    chunks: Sequence[Path],
    pipeline: Pipeline,
    workdir: Path,
    generated: dict[str, GeneratedArticle],
    progress: Any = print,
) -> SideBySide:
    run = SideBySide()
    run.peak_reset = reset_peak_rss()
    staged_db, e2e_db = workdir / "staged.db", workdir / "end-to-end.db"
    with open_store(f"sqlite:///{staged_db}") as staged, open_store(f"sqlite:///{e2e_db}") as e2e:
        for number, chunk in enumerate(chunks):
            run.load.sample()
            articles = _extract(_read(chunk, pipeline, run), pipeline, run, generated)
            order = PASSES[number % 3 :] + PASSES[: number % 3]
            bare = e2e_clock = Clock()
            for name in order:
                if name == "bare":
                    bare = _bare(articles, pipeline, run)
                elif name == "staged":
                    _staged(articles, pipeline, staged, run)
                else:
                    e2e_clock = _end_to_end(chunk, pipeline, e2e, run)
            if e2e_clock.wall > 0:
                run.chunk_ratios.append(round(bare.wall / e2e_clock.wall, 3))
            progress(
                f"  chunk {number + 1}/{len(chunks)}: {len(articles)} articles, "
                f"bare {bare.wall:.1f}s, end to end {e2e_clock.wall:.1f}s, "
                f"load {run.load.samples[-1] if run.load.samples else '?'}"
            )
        run.load.sample()
    run.peak_rss_mb = peak_rss_mb()
    run.rss_after_mb = rss_mb()
    for path in (staged_db, e2e_db):
        run.db_bytes[path.name] = path.stat().st_size + sum(
            p.stat().st_size for p in path.parent.glob(path.name + "-*")
        )
    return run


def _row(name: str, clock: Clock, tally: Tally, reference: Clock) -> dict[str, Any]:
    return {
        "stage": name,
        "wall_s": round(clock.wall, 2),
        "cpu_s": round(clock.cpu, 2),
        "words_per_s": per_second(tally.words, clock.wall),
        "articles_per_s": per_second(tally.articles, clock.wall),
        "words_per_cpu_s": per_second(tally.words, clock.cpu),
        "share_of_bare_nlp": round(clock.wall / reference.wall, 3) if reference.wall else None,
        "cpu_over_wall": round(clock.cpu / clock.wall, 2) if clock.wall else None,
    }


def summarise(run: SideBySide) -> dict[str, Any]:
    """The JSON record of one side-by-side run: stages, ratios and the corpus."""
    tally, clocks = run.tally, run.clocks
    staged = Clock()
    for name in STAGES:
        staged.add(clocks[name])
    rows = [_row(name, clocks[name], tally, run.bare) for name in STAGES]
    rows.append(_row(STAGED, staged, tally, run.bare))
    rows.append(_row(END_TO_END, run.end_to_end, tally, run.bare))
    rows.append(_row(BARE, run.bare, tally, run.bare))

    def ratio(top: float, bottom: float) -> float | None:
        return round(top / bottom, 3) if bottom else None

    lengths = sorted(tally.lengths) or [0]
    return {
        "corpus": {
            "articles": tally.articles,
            "failed": tally.failed,
            "words": tally.words,
            "tokens": tally.tokens,
            "sentences": tally.sentences,
            "events": tally.events,
            "by_kind": dict(sorted(tally.kinds.items())),
            "words_per_article": {
                "min": lengths[0],
                "median": statistics.median(lengths),
                "mean": round(statistics.fmean(lengths), 1),
                "max": lengths[-1],
            },
            "extract_fidelity": {
                kind: {
                    "mean_ratio": round(statistics.fmean(values), 4),
                    "exact_share": round(sum(abs(v - 1) < 1e-9 for v in values) / len(values), 3),
                }
                for kind, values in sorted(tally.fidelity.items())
            },
        },
        "stages": rows,
        "extract_by_kind": {
            kind: {
                "articles": tally.kinds[kind],
                "wall_s": round(clock.wall, 2),
                "ms_per_article": round(1000 * clock.wall / max(1, tally.kinds[kind]), 2),
            }
            for kind, clock in sorted(run.extract_by_kind.items())
        },
        "ratios": {
            "end_to_end_throughput_vs_bare_nlp": ratio(run.bare.wall, run.end_to_end.wall),
            "end_to_end_throughput_vs_bare_nlp_cpu": ratio(run.bare.cpu, run.end_to_end.cpu),
            "per_chunk_end_to_end_vs_bare": run.chunk_ratios,
            "events_overhead_vs_bare_nlp": ratio(clocks[EVENTS].wall, run.bare.wall),
            "events_overhead_vs_bare_nlp_cpu": ratio(clocks[EVENTS].cpu, run.bare.cpu),
            "our_layers_overhead_vs_bare_nlp": ratio(
                run.end_to_end.wall - run.bare.wall, run.bare.wall
            ),
            "staged_nlp_vs_bare_nlp": ratio(clocks[NLP].wall, run.bare.wall),
            "staged_sum_vs_end_to_end": ratio(staged.wall, run.end_to_end.wall),
        },
        "checks": {
            "events_staged": tally.events,
            "events_end_to_end": run.e2e_events,
            "stored_end_to_end": run.e2e_stored,
            "failed_end_to_end": run.e2e_failed,
            "near_duplicates_staged": run.copies_staged,
            "near_duplicates_end_to_end": run.copies_end_to_end,
        },
        "memory": {
            "peak_rss_mb": run.peak_rss_mb,
            "peak_is_this_phase_only": run.peak_reset,
            "rss_after_mb": run.rss_after_mb,
            "sqlite_bytes": run.db_bytes,
        },
        "load_average": {"samples": run.load.samples, "mean": run.load.mean},
    }
