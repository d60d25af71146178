"""Where the end-to-end time goes: ``cProfile`` over ``pipeline.ingest``.

Four views of one profile of a few hundred articles:

- time by package (self time; C built-ins counted with the package that called them);
- eventwire functions by self time, and by inclusive time;
- spaCy called from eventwire's own code after parsing (``doc.ents``, ``char_span``…),
  which is eventwire's cost even though the time is spent in spaCy's code.

cProfile slows down Python-level calls far more than spaCy's compiled code, so its
shares overstate eventwire's part; the unprofiled stage timings are the reference
for how much each stage costs, this is the guide to *which* functions to fix.
The raw profile is saved beside the JSON results (open it with ``pstats`` or
snakeviz).
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from eventwire.ingest import read_sources
from eventwire.model import InputError
from eventwire.pipeline import Pipeline, ingest
from eventwire.store import open_store

# (file, line, function) as pstats keys them
Key = tuple[str, int, str]

_PACKAGES = (
    ("/eventwire/", "eventwire"),
    # Cython modules are named relative to site-packages: "spacy/tokens/doc.pyx".
    ("spacy/", "spaCy + thinc"),
    ("thinc/", "spaCy + thinc"),
    ("spacy.", "spaCy + thinc"),
    ("thinc.", "spaCy + thinc"),
    ("/trafilatura/", "trafilatura + lxml + htmldate"),
    ("lxml/", "trafilatura + lxml + htmldate"),
    ("lxml.", "trafilatura + lxml + htmldate"),
    ("/htmldate/", "trafilatura + lxml + htmldate"),
    ("/justext/", "trafilatura + lxml + htmldate"),
    ("/courlan/", "trafilatura + lxml + htmldate"),
    ("/sqlalchemy/", "SQLAlchemy + sqlite3"),
    ("sqlite3", "SQLAlchemy + sqlite3"),
    ("/ftfy/", "ftfy + charset_normalizer"),
    ("/charset_normalizer/", "ftfy + charset_normalizer"),
    ("/rapidfuzz/", "rapidfuzz"),
    ("rapidfuzz", "rapidfuzz"),
)
_SPACY = "spaCy + thinc"
_SPACY_FROM_OWN = "spaCy called from eventwire code after parsing (doc.ents, char_span…)"
_NLP_STAGE = frozenset({"parse_articles", "paragraph_boundaries"})
# Entry points whose inclusive time is the whole run, not a finding.
_ENTRY_POINTS = frozenset({"ingest", "process", "flush", "new_only", "extract_all"})


def _package(key: Key) -> str | None:
    filename, _line, name = key
    where = filename if filename != "~" else name
    for marker, package in _PACKAGES:
        if marker in where:
            return package
    if filename == "~":
        return None  # a C built-in: counted with whoever called it
    return "Python standard library and other"


def _label(key: Key) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    marker = "/eventwire/"
    short = filename.split(marker, 1)[1] if marker in filename else Path(filename).name
    return f"{short}:{line}({name})"


def _own(key: Key) -> bool:
    return "/eventwire/" in key[0] and "/benchmarks/" not in key[0]


def _by_package(stats: dict[Key, Any]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for key, (_cc, _nc, tottime, _cumtime, callers) in stats.items():
        package = _package(key)
        if package is not None:
            totals[package] += tottime
            continue
        # A built-in: its self time split over its callers' packages.
        called_from = sum(edge[2] for edge in callers.values()) or 1.0
        for caller, edge in callers.items():
            share = tottime * edge[2] / called_from
            totals[_package(caller) or "C built-ins"] += share
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def _spacy_from_own_code(stats: dict[Key, Any]) -> list[dict[str, Any]]:
    """spaCy functions and properties called straight from eventwire code after parsing."""
    rows = []
    for key, (_cc, _nc, _tottime, _cumtime, callers) in stats.items():
        if _package(key) != _SPACY:
            continue
        calls, inclusive, sites = 0, 0.0, []
        for caller, (edge_calls, _edge_cc, _edge_tt, edge_ct) in callers.items():
            # The nlp stage itself (our pipeline component included) is not "after parsing".
            if _own(caller) and caller[2] not in _NLP_STAGE:
                calls += edge_calls
                inclusive += edge_ct
                sites.append((edge_ct, _label(caller)))
        if calls:
            rows.append(
                {
                    "function": _label(key),
                    "calls": calls,
                    "inclusive_s": round(inclusive, 3),
                    "called_from": [label for _, label in sorted(sites, reverse=True)[:3]],
                }
            )
    return sorted(rows, key=lambda row: -row["inclusive_s"])


def _function_rows(stats: dict[Key, Any], total: float, by: int, top: int) -> list[dict[str, Any]]:
    own = [
        (key, value)
        for key, value in stats.items()
        if _own(key) and not (by == 3 and key[2] in _ENTRY_POINTS)
    ]
    own.sort(key=lambda item: -item[1][by])
    return [
        {
            "function": _label(key),
            "calls": nc,
            "self_s": round(tottime, 3),
            "inclusive_s": round(cumtime, 3),
            "share_of_run": round((tottime if by == 2 else cumtime) / total, 3),
        }
        for key, (_cc, nc, tottime, cumtime, _callers) in own[:top]
    ]


def profile_ingest(
    directory: Path, pipeline: Pipeline, workdir: Path, save_to: Path | None, top: int = 15
) -> dict[str, Any]:
    """Profile ``pipeline.ingest`` of every file in ``directory`` into a fresh SQLite file."""
    failures: list[InputError] = []
    profiler = cProfile.Profile()
    with open_store(f"sqlite:///{workdir / 'profile.db'}") as store:
        documents = read_sources([str(directory)], max_bytes=pipeline.settings.max_bytes)
        began = time.perf_counter()
        profiler.enable()
        summary = ingest(documents, pipeline, store, on_error=failures.append)
        profiler.disable()
        elapsed = time.perf_counter() - began
    if save_to is not None:
        profiler.dump_stats(save_to)
    stats: dict[Key, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in stats.values()) or 1.0
    packages = _by_package(stats)
    from_own = _spacy_from_own_code(stats)
    # spaCy's time split: the pipeline itself, and eventwire code reading the Docs.
    reading = min(sum(row["inclusive_s"] for row in from_own), packages.get(_SPACY, 0.0))
    if reading:
        packages[_SPACY] -= reading
        packages[_SPACY_FROM_OWN] = reading
        packages = dict(sorted(packages.items(), key=lambda item: -item[1]))
    return {
        "articles": summary.stored,
        "failed": summary.failed,
        "profiled_wall_s": round(elapsed, 2),
        "profiled_total_s": round(total, 2),
        "by_package": {
            name: {"self_s": round(seconds, 2), "share": round(seconds / total, 3)}
            for name, seconds in packages.items()
        },
        "own_by_self_time": _function_rows(stats, total, by=2, top=top),
        "own_by_inclusive_time": _function_rows(stats, total, by=3, top=top),
        "spacy_called_from_own_code": from_own[:top],
        "profile_file": str(save_to) if save_to is not None else None,
    }
