"""Scaling: ``eventwire ingest --workers 1`` vs ``--workers 2`` vs ``--engine ray`` on 2 CPUs.

Each engine runs the real command in a new process, on the same generated corpus,
twice: on the corpus, and on a start-up corpus of two articles. The difference is
the processing time without start-up (imports, spaCy model in every worker or
actor, Ray's own processes), so the ratios compare throughput, and the totals
show what a user waits for. Rounds rotate the order of the engines so that none
always runs first on a machine whose load changes.

- ``workers 1`` / ``workers 2``: ``eventwire ingest DIR --db sqlite:///… --workers N``
  (extract, parse, code in N processes; the parent stores and clusters);
- ``ray (2 CPUs)``: ``ray.init(num_cpus=2)`` then ``eventwire ingest DIR --engine ray
  --output-dir D --workers 2`` (two actors; Parquet shards), and separately
  ``eventwire load D`` into SQLite (bulk insert, near-duplicates, clustering):
  ``ray + load`` adds the two, for a like-for-like comparison with ``--workers 2``,
  which stores as it goes.

Peak RSS is the largest process of the command's tree that ended (``RUSAGE_CHILDREN``
of a wrapper process): for ``--workers N``, the larger of the parent and a worker.

Run alone: ``python -m benchmarks.scale_bench --articles 400``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_SEED, generate, write_corpus

ENGINES = ("workers 1", "workers 2", "ray (2 CPUs)")
_STARTUP_ARTICLES = 2

# Runs a command, then prints its wall time and the peak RSS of its process tree.
_WRAPPER = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "rc": done.returncode,
    "wall_s": time.perf_counter() - began,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "stderr": done.stderr[-2000:],
}))
"""
# The Ray command: a local Ray instance with 2 CPUs, then the eventwire CLI. Ray
# starts its workers at niceness 15 by default: on a shared machine they would lose
# the CPU to everything else, and the comparison with --workers (niceness 0) would
# measure the neighbours, not the engines.
_RAY_DRIVER = """
import os, sys
os.environ.setdefault("RAY_worker_niceness", "0")
import ray
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
from eventwire.cli import main
sys.argv = ["eventwire", *sys.argv[1:]]
main()
"""


def _eventwire() -> list[str]:
    return [sys.executable, "-c", "from eventwire.cli import main; main()"]


def _timed(command: list[str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scale benchmark wrapper failed: {done.stderr[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["rc"] not in (0, 1):  # 1: some input failed, which the corpus does not have
        raise RuntimeError(f"{' '.join(command[-6:])} failed: {result['stderr']}")
    return result


def _run_engine(engine: str, corpus: Path, work: Path) -> dict[str, Any]:
    """One run of ``engine`` over ``corpus``: wall time, peak RSS (and load for Ray)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if engine.startswith("workers"):
        workers = engine.split()[1]
        db = f"sqlite:///{work / 'events.db'}"
        return _timed([*_eventwire(), "ingest", str(corpus), "--db", db, "--workers", workers])
    shards = work / "shards"
    ray = _timed(
        [
            sys.executable,
            "-c",
            _RAY_DRIVER,
            "ingest",
            str(corpus),
            "--engine",
            "ray",
            "--output-dir",
            str(shards),
            "--workers",
            "2",
        ]
    )
    db = f"sqlite:///{work / 'events.db'}"
    load = _timed([*_eventwire(), "load", str(shards), "--db", db])
    return {**ray, "load_wall_s": load["wall_s"], "load_peak_rss_mb": load["peak_rss_mb"]}


def measure_scaling(
    articles: int,
    seed: int = DEFAULT_SEED,
    rounds: int = 1,
    workdir: Path | None = None,
    progress: Any = print,
) -> dict[str, Any]:
    """Times of every engine on ``articles`` generated articles; see the module doc."""
    with tempfile.TemporaryDirectory(prefix="eventwire-scale-", dir=workdir) as tmp:
        base = Path(tmp)
        # Many files (one per page, a JSONL file per chunk), as a real corpus is.
        write_corpus(generate(articles, seed), base / "corpus", chunks=8)
        write_corpus(generate(_STARTUP_ARTICLES, seed, start=articles), base / "startup")
        runs: dict[str, list[dict[str, Any]]] = {e: [] for e in ENGINES}
        loads: list[float] = []
        for number in range(rounds):
            order = ENGINES[number % 3 :] + ENGINES[: number % 3]
            for engine in order:
                progress(f"  scale round {number + 1}/{rounds}: {engine}")
                if hasattr(os, "getloadavg"):
                    loads.append(round(os.getloadavg()[0], 2))
                startup = _run_engine(engine, base / "startup", base / "work")
                full = _run_engine(engine, base / "corpus", base / "work")
                runs[engine].append({"startup": startup, "full": full})
    return summarise(runs, articles, loads)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summarise(
    runs: dict[str, list[dict[str, Any]]], articles: int, loads: list[float]
) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    for engine, samples in runs.items():
        total = _median([s["full"]["wall_s"] for s in samples])
        startup = _median([s["startup"]["wall_s"] for s in samples])
        processing = max(total - startup, 1e-6)
        row: dict[str, Any] = {
            "total_s": round(total, 1),
            "startup_s": round(startup, 1),
            "processing_s": round(processing, 1),
            "articles_per_s": round(articles / processing, 2),
            "peak_rss_mb": round(max(s["full"]["peak_rss_mb"] for s in samples)),
        }
        if "load_wall_s" in samples[0]["full"]:
            load = _median([s["full"]["load_wall_s"] for s in samples])
            row["load_s"] = round(load, 1)
            row["with_load_processing_s"] = round(processing + load, 1)
            row["peak_rss_mb"] = None  # Ray's workers are not the driver's children
        rows[engine] = row
    one, two, ray = (rows[e] for e in ENGINES)
    return {
        "articles": articles,
        "rounds": len(next(iter(runs.values()))),
        "engines": rows,
        "ratios": {
            "workers2_over_workers1": round(one["processing_s"] / two["processing_s"], 3),
            "workers2_over_workers1_total": round(one["total_s"] / two["total_s"], 3),
            "ray_over_workers2": round(two["processing_s"] / ray["processing_s"], 3),
            "ray_with_load_over_workers2": round(
                two["processing_s"] / ray["with_load_processing_s"], 3
            ),
            "ray_over_workers2_total": round(two["total_s"] / ray["total_s"], 3),
        },
        "load_averages": loads,
    }


def render(scale: dict[str, Any]) -> str:
    lines = [
        f"scaling: {scale['articles']} articles, {scale['rounds']} round(s), fresh processes; "
        "processing = run − run on 2 articles (start-up)",
        "",
        f"{'engine':<14} {'total s':>8} {'start-up s':>10} {'processing s':>12} "
        f"{'art./s':>7} {'+ load s':>8} {'peak RSS MB':>11}",
    ]
    for engine, row in scale["engines"].items():
        lines.append(
            f"{engine:<14} {row['total_s']:>8} {row['startup_s']:>10} {row['processing_s']:>12} "
            f"{row['articles_per_s']:>7} {row.get('load_s', ''):>8} "
            f"{row['peak_rss_mb'] if row['peak_rss_mb'] is not None else '':>11}"
        )
    ratios = scale["ratios"]
    lines += [
        "",
        f"--workers 2 / --workers 1 throughput: {ratios['workers2_over_workers1']:.2f} "
        f"(total time incl. start-up: {ratios['workers2_over_workers1_total']:.2f})",
        f"ray (2 CPUs) / --workers 2 throughput: {ratios['ray_over_workers2']:.2f} shards only, "
        f"{ratios['ray_with_load_over_workers2']:.2f} with `eventwire load` "
        f"(total incl. start-up: {ratios['ray_over_workers2_total']:.2f})",
        f"load averages at the start of each run: {scale['load_averages']}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--save", type=Path, default=None, help="directory for a JSON file")
    options = parser.parse_args()
    began = time.perf_counter()
    scale = measure_scaling(
        options.articles,
        options.seed,
        options.rounds,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    scale["total_s"] = round(time.perf_counter() - began, 1)
    print(render(scale))
    if options.save:
        options.save.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = options.save / f"scale-{stamp}.json"
        path.write_text(json.dumps(scale, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
