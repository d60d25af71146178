"""``python -m benchmarks``: the whole suite in one run, a table on stdout, JSON in results/.

Order: start-up probes (fresh processes, before this process loads anything),
corpus generation, the side-by-side stage run, the profile, then the memory
check in a fresh process. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_SEED, generate, write_corpus
from benchmarks.measure import Clock
from benchmarks.report import render, targets

RESULTS = Path(__file__).parent / "results"
_REPO = Path(__file__).resolve().parent.parent
_WARM_UP_ARTICLES = 16


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="eventwire benchmark suite: stage throughput side by side with bare "
        "nlp.pipe, start-up, knowledge-base and gazetteer loads, memory growth, profile.",
    )
    parser.add_argument("--articles", type=int, default=2000, help="side-by-side corpus size")
    parser.add_argument(
        "--chunks", type=int, default=5, help="rounds the side-by-side passes alternate over"
    )
    parser.add_argument(
        "--memory-articles",
        type=int,
        default=1000,
        help="articles for the memory-growth check (the issue's full check: 10000; 0 skips)",
    )
    parser.add_argument(
        "--profile-articles", type=int, default=300, help="articles to profile (0 skips)"
    )
    parser.add_argument(
        "--scale-articles",
        type=int,
        default=400,
        help="articles for --workers 1 vs 2 vs Ray on 2 CPUs, fresh processes (0 skips)",
    )
    parser.add_argument("--scale-rounds", type=int, default=1, help="rounds of the scaling runs")
    parser.add_argument("--skip-startup", action="store_true", help="skip the start-up probes")
    parser.add_argument("--batch-size", type=int, default=None, help="default: the setting")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 200 articles, 2 chunks, memory 300, profile 60, scaling 60",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write JSON")
    options = parser.parse_args(argv)
    if options.quick:
        options.articles, options.chunks = 200, 2
        options.memory_articles, options.profile_articles = 300, 60
        options.scale_articles = 60
    return options


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _meta(options: argparse.Namespace, batch_size: int, nlp_meta: dict[str, Any]) -> dict[str, Any]:
    import spacy

    import eventwire

    return {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "eventwire": eventwire.__version__,
        "spacy": spacy.about.__version__,
        "model": "{}_{} {}".format(
            nlp_meta.get("lang", "?"), nlp_meta.get("name", "?"), nlp_meta.get("version", "?")
        ),
        "batch_size": batch_size,
        "seed": options.seed,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def _memory_check(articles: int, seed: int) -> dict[str, Any]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.memory",
            "--articles",
            str(articles),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        cwd=_REPO,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory check failed: {completed.stderr.strip()[-600:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    began = time.perf_counter()
    results: dict[str, Any] = {}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    options.results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        workdir = Path(tmp)
        if not options.skip_startup:
            from benchmarks.startup import measure_startup

            results["startup"] = measure_startup(workdir, progress=_say)

        _say(f"corpus: generating {options.articles} articles in {options.chunks} chunks")
        generated = {a.id: a for a in generate(options.articles, options.seed)}
        chunks = write_corpus(iter(generated.values()), workdir / "corpus", options.chunks)
        warm = write_corpus(
            generate(_WARM_UP_ARTICLES, options.seed, start=options.articles), workdir / "warm"
        )[0]

        from benchmarks.stages import run_side_by_side, summarise, warm_up
        from eventwire.config import load_settings
        from eventwire.pipeline import build_pipeline

        overrides = {"batch_size": options.batch_size} if options.batch_size else {}
        settings = load_settings(overrides)
        load = Clock()
        with load.running():
            pipeline = build_pipeline(settings)
        results["meta"] = _meta(options, settings.batch_size, pipeline.nlp.meta)
        results["meta"]["build_pipeline_s"] = round(load.wall, 2)

        _say("side by side: warm-up")
        warm_up(warm, pipeline, workdir)
        _say("side by side: bare nlp.pipe, stage by stage, and end to end, chunk by chunk")
        results["side_by_side"] = summarise(
            run_side_by_side(chunks, pipeline, workdir, generated, progress=_say)
        )

        if options.profile_articles:
            from benchmarks.profiling import profile_ingest

            _say(f"profile: pipeline.ingest of {options.profile_articles} articles under cProfile")
            subset = write_corpus(
                iter(list(generated.values())[: options.profile_articles]), workdir / "profile"
            )[0]
            results["profile"] = profile_ingest(
                subset, pipeline, workdir, options.results / f"{stamp}.prof"
            )

    if options.scale_articles:
        from benchmarks.scale_bench import measure_scaling

        _say(f"scaling: {options.scale_articles} articles, --workers 1, --workers 2, Ray")
        results["scale"] = measure_scaling(
            options.scale_articles, options.seed, options.scale_rounds, progress=_say
        )

    if options.memory_articles:
        _say(f"memory: ingest of {options.memory_articles} articles in a fresh process")
        results["memory"] = _memory_check(options.memory_articles, options.seed)

    results["meta"]["load_average_at_end"] = (
        list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    )
    results["meta"]["total_s"] = round(time.perf_counter() - began, 1)
    results["targets"] = targets(results)
    path = options.results / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nresults: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0
