"""Start-up costs, each measured in a fresh Python process.

- ``eventwire extract FILE`` on one short text, as a user runs it (issue 8: ≤ 3 s);
- what that start-up is made of: imports, the spaCy model, lexicon, knowledge base,
  gazetteer, the first article;
- loading the knowledge base and the gazetteer, time and resident memory added,
  each alone and both together (issue 4: < 1 s and < 100 MB).

The operating system's file cache is left alone (dropping it would slow down
everyone else on the machine), so "cold" means a new process, not a cold disk.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SHORT_TEXT = (
    "Russia and Belarus held joint military drills near the Polish border on Monday, "
    "the Belarusian defence ministry said. Poland said it would send more troops to the border.\n"
)
_REPO = Path(__file__).resolve().parent.parent
_TIMEOUT = 300

_BREAKDOWN = """
import json, time
marks = {}
start = time.perf_counter()
def mark(name):
    global start
    now = time.perf_counter()
    marks[name] = round(now - start, 3)
    start = now
import eventwire.cli
mark("import eventwire.cli (typer, rich, eventwire)")
import eventwire.pipeline
mark("import eventwire.pipeline (spaCy)")
from eventwire.config import load_settings
from eventwire.nlp import load_pipeline
settings = load_settings()
load_pipeline(settings.model)
mark("load spaCy model")
from eventwire.events.lexicon import load_lexicon
load_lexicon()
mark("load trigger lexicon")
from eventwire.resolve.kb import load_knowledge_base
load_knowledge_base(settings.kb_overrides)
mark("load knowledge base")
from eventwire.resolve.places import load_gazetteer
load_gazetteer()
mark("load gazetteer")
import eventwire
eventwire.extract(TEXT)
mark("first eventwire.extract (one short text)")
eventwire.extract(TEXT + " ")
mark("second eventwire.extract (same size)")
print(json.dumps(marks))
"""

_LOAD = """
import json, sys, time
sys.path.insert(0, REPO)
from benchmarks.measure import rss_mb
what = WHAT
traced = TRACED
began = time.perf_counter()
import eventwire.resolve.kb, eventwire.resolve.places
imported = time.perf_counter() - began
before = rss_mb()
if traced:
    import tracemalloc
    tracemalloc.start()
began = time.perf_counter()
sizes = {}
if "kb" in what:
    kb = eventwire.resolve.kb.load_knowledge_base()
    sizes["aliases"] = len(kb.aliases)
    sizes["people"] = len(kb.people)
if "gazetteer" in what:
    gazetteer = eventwire.resolve.places.load_gazetteer()
    sizes["places"] = len(gazetteer)
loaded = time.perf_counter() - began
after = rss_mb()
python_mb = None
if traced:
    current, peak = tracemalloc.get_traced_memory()
    python_mb = {"retained": round(current / 2**20, 1), "peak": round(peak / 2**20, 1)}
first_lookup = None
if "gazetteer" in what:
    began = time.perf_counter()
    gazetteer.find("Komsomolsk-on-Amur")
    first_lookup = time.perf_counter() - began
print(json.dumps({"import_s": round(imported, 3), "load_s": round(loaded, 3),
                  "rss_before_mb": before, "rss_added_mb": round(after - before, 1),
                  "first_lookup_ms": first_lookup and round(1000 * first_lookup, 2),
                  "python_mb": python_mb,
                  **sizes}))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _python(code: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        cwd=_REPO,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"start-up probe failed: {completed.stderr.strip()[-400:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _eventwire_command() -> list[str]:
    script = Path(sys.executable).with_name("eventwire")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from eventwire.cli import main; main()"]


def cli_extract(workdir: Path, repeats: int = 3) -> dict[str, Any]:
    """Wall time of ``eventwire extract FILE`` on one short text, in new processes."""
    path = workdir / "short.txt"
    path.write_text(SHORT_TEXT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    times, cpu, events = [], [], None
    for _ in range(repeats):
        began, cpu_began = time.perf_counter(), _children_cpu()
        completed = subprocess.run(
            [*_eventwire_command(), "extract", str(path)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            env=env,
            check=False,
        )
        times.append(round(time.perf_counter() - began, 3))
        cpu.append(round(_children_cpu() - cpu_began, 3))
        if completed.returncode != 0:
            raise RuntimeError(f"eventwire extract failed: {completed.stderr.strip()[-400:]}")
        events = len(json.loads(completed.stdout.splitlines()[0])["events"])
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=_TIMEOUT)
    interpreter = round(time.perf_counter() - began, 3)
    return {
        "runs_s": times,
        "first_s": times[0],
        "median_s": statistics.median(times),
        "cpu_runs_s": cpu,
        "median_cpu_s": statistics.median(cpu),
        "events_found": events,
        "bare_interpreter_s": interpreter,
    }


def breakdown() -> dict[str, float]:
    """Seconds spent in each step of a cold start (one fresh process)."""
    return _python(f"TEXT = {SHORT_TEXT!r}\n" + _BREAKDOWN)


def data_load(what: tuple[str, ...], repeats: int = 3) -> dict[str, Any]:
    """Time and resident memory added by loading the knowledge base and/or gazetteer."""
    code = _LOAD.replace("REPO", repr(str(_REPO))).replace("WHAT", repr(what))
    runs = [_python(code.replace("TRACED", "False")) for _ in range(repeats)]
    # tracemalloc slows the load down: its own run, for the Python-level allocation only.
    traced = _python(code.replace("TRACED", "True"))
    summary: dict[str, Any] = {
        key: statistics.median(run[key] for run in runs)
        for key in ("import_s", "load_s", "rss_added_mb")
    }
    summary["load_s_runs"] = [run["load_s"] for run in runs]
    summary["rss_added_mb_runs"] = [run["rss_added_mb"] for run in runs]
    summary["python_allocated_mb"] = traced["python_mb"]
    for key in ("first_lookup_ms", "aliases", "people", "places"):
        if runs[0].get(key) is not None:
            summary[key] = runs[0][key]
    return summary


def measure_startup(workdir: Path, progress: Any = print) -> dict[str, Any]:
    progress("start-up: eventwire extract on one short text (3 new processes)")
    cli = cli_extract(workdir)
    progress("start-up: breakdown of one cold start")
    steps = breakdown()
    progress("start-up: knowledge base and gazetteer loads (3 new processes each)")
    return {
        "cli_extract": cli,
        "breakdown_s": steps,
        "knowledge_base": data_load(("kb",)),
        "gazetteer": data_load(("gazetteer",)),
        "knowledge_base_and_gazetteer": data_load(("kb", "gazetteer")),
    }
