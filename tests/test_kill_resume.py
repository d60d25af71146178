"""A real ``eventwire ingest`` killed with SIGKILL mid-run, then run again: no article
is lost, none is stored twice, and every event ends up clustered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from eventwire.ingest import read_sources
from eventwire.model import Result
from eventwire.pipeline import Pipeline, process
from eventwire.store import ClusterFilter, open_store
from eventwire.store.schema import articles

FILES = 40
KILL_AFTER = 6  # articles stored before the kill
PAIRS = [("Russia", "Ukraine"), ("China", "Japan"), ("India", "Pakistan"), ("Israel", "Iran")]


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(FILES):
        a, b = PAIRS[i % len(PAIRS)]
        text = (
            f"{a} and {b} held talks in Geneva on {i % 28 + 1} March 2024, officials said. "
            f"{a} accused {b} of violating the ceasefire (report {i}). "
            f"The ministers agreed to meet again next month."
        )
        (folder / f"story-{i:03}.txt").write_text(text, encoding="utf-8")


def eventwire(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("eventwire")), *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    env["EVENTWIRE_BATCH_SIZE"] = "2"  # store articles one small batch at a time
    return env


def stored(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(articles)).scalar_one())
    except Exception:
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_killed_ingest_resumes_without_duplicates_or_losses(
    db_url: str, tmp_path: Path, pipeline: Pipeline
) -> None:
    corpus = tmp_path / "news"
    write_corpus(corpus)
    child = subprocess.Popen(
        eventwire("ingest", str(corpus), "--db", db_url),
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while stored(db_url) < KILL_AFTER and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    at_kill = stored(db_url)
    assert KILL_AFTER <= at_kill < FILES, "the kill must land mid-run"

    again = subprocess.run(
        eventwire("ingest", str(corpus), "--db", db_url),
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert again.returncode == 0, again.stderr
    expected = [r for r in process(read_sources([str(corpus)]), pipeline) if isinstance(r, Result)]
    assert len(expected) == FILES
    with open_store(db_url) as store:
        rows = list(store.iter_articles())
        assert sorted(r["id"] for r in rows) == sorted(r.article.id for r in expected)
        assert len({r["content_hash"] for r in rows}) == FILES
        events = store.events()
        assert sorted(e.id for e in events) == sorted(e.id for r in expected for e in r.events)
        assert store.counts()["sentences"] == sum(len(r.sentences) for r in expected)
        assert store.unclustered() == []
        clusters = {c.id for c in store.clusters(ClusterFilter(limit=None))}
        assert {e.cluster_id for e in events} <= clusters
