"""Memory growth over a long ingest in one process (issue 8: ≤ 10 % after warm-up).

Generates ``--articles`` articles into a temporary directory, then ingests them
with ``eventwire.pipeline.ingest`` into a fresh SQLite file, reading the files
lazily as ``eventwire ingest DIR`` does, and samples the resident set size after
every second batch (64 articles by default). A sample is always taken at the same
point of the batch cycle, after the last article of a batch, because a batch's
Docs (and their tensors) are alive until it is done: between two batches RSS
drops by tens of MB.

Warm-up is the first ``max(200, 10 %)`` articles: the model's first batches, lazy
loads and caches. RSS after warm-up is the median of the first five samples after
it, RSS at the end the median of the last five (one batch of long articles
weighs more than one of short ones). Growth is (end − after warm-up) / after
warm-up; the slope of a least-squares line through the samples after warm-up
says whether memory still climbs.

The suite runs it as a subprocess; the full check of the issue is::

    .venv/bin/python -m benchmarks.memory --articles 10000

(about 6 million words: count on well over half an hour on this machine).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_SEED, generate, write_corpus
from benchmarks.measure import peak_rss_mb, rss_mb

# The memory corpus starts past the side-by-side corpus, so its texts are new to the model.
MEMORY_CORPUS_START = 100_000
_WINDOW = 5


def _slope(points: list[tuple[int, float]]) -> float | None:
    """MiB per 1,000 articles of a least-squares line through (articles, RSS)."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return round(1000 * slope, 2)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def check_memory(articles: int, seed: int = DEFAULT_SEED, batches: int = 2) -> dict[str, Any]:
    from eventwire.config import load_settings
    from eventwire.ingest import read_sources
    from eventwire.model import InputError, Result
    from eventwire.pipeline import build_pipeline, ingest
    from eventwire.store import open_store

    warm_up = max(200, articles // 10)
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-memory-") as tmp:
        workdir = Path(tmp)
        began = time.perf_counter()
        (folder,) = write_corpus(
            generate(articles, seed, start=MEMORY_CORPUS_START), workdir / "corpus"
        )
        corpus_bytes = sum(p.stat().st_size for p in folder.iterdir())
        written = time.perf_counter() - began
        settings = load_settings({"db_url": f"sqlite:///{workdir / 'memory.db'}"})
        every = settings.batch_size * batches
        pipeline = build_pipeline(settings)
        rss_loaded = rss_mb()
        samples: list[tuple[int, float]] = []
        seen = 0
        words = 0
        strings_at_warm_up = 0

        def count(result: Result | InputError | None) -> None:
            nonlocal seen, words, strings_at_warm_up
            seen += 1
            if isinstance(result, Result):
                words += len(result.article.text.split())
            if seen % every == 0:
                samples.append((seen, rss_mb()))
                if not strings_at_warm_up and seen >= warm_up:
                    strings_at_warm_up = len(pipeline.nlp.vocab.strings)

        began = time.perf_counter()
        with open_store(settings.db_url) as store:
            documents = read_sources([str(folder)], max_bytes=settings.max_bytes)
            summary = ingest(documents, pipeline, store, on_error=count, on_article=count)
        elapsed = time.perf_counter() - began
        rss_idle = rss_mb()
        db_bytes = sum(p.stat().st_size for p in workdir.glob("memory.db*"))

    settled = [(n, rss) for n, rss in samples if n >= warm_up] or samples or [(seen, rss_idle)]
    after_warm_up = _median([rss for _, rss in settled[:_WINDOW]])
    end = _median([rss for _, rss in settled[-_WINDOW:]])
    growth = (end - after_warm_up) / after_warm_up if after_warm_up else None
    return {
        "articles": articles,
        "stored": summary.stored,
        "failed": summary.failed,
        "events": summary.events,
        "words": words,
        "warm_up_articles": warm_up,
        "rss_model_loaded_mb": rss_loaded,
        "rss_after_warm_up_mb": after_warm_up,
        "rss_end_mb": end,
        "rss_after_ingest_mb": rss_idle,
        "peak_rss_mb": peak_rss_mb(),
        "growth_after_warm_up": None if growth is None else round(growth, 4),
        "slope_mb_per_1000_articles": _slope(settled),
        "sample_every_articles": every,
        "spacy_strings_after_warm_up": strings_at_warm_up,
        "spacy_strings_end": len(pipeline.nlp.vocab.strings),
        "samples": samples,
        "ingest_s": round(elapsed, 1),
        "words_per_s": round(words / elapsed, 1) if elapsed else None,
        "corpus_write_s": round(written, 1),
        "corpus_bytes": corpus_bytes,
        "sqlite_bytes": db_bytes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Memory growth over a long ingest.")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=2, help="sample RSS every N batches")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--save", type=Path, default=None, help="also write the JSON to this file or directory"
    )
    options = parser.parse_args()
    result = check_memory(options.articles, options.seed, options.batches)
    text = json.dumps(result)
    if options.save is not None:
        target = options.save
        if target.is_dir():
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            target = target / f"{stamp}-memory-{options.articles}.json"
        target.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
