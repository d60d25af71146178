"""``eventwire ingest --workers N``: worker processes, the same rows as one process.

The reference is the in-process pipeline (``pipeline.ingest`` with a ``Pipeline``);
the pool runs the real ``eventwire`` command, or the real ``WorkerPool``, whose
workers load the real spaCy model.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select

from conftest import RunCli, isolated_settings
from eventwire.cli.core import sample_corpus
from eventwire.errors import RunnerError
from eventwire.ingest import read_sources
from eventwire.model import InputError, RawDocument, Result
from eventwire.pipeline import Pipeline, ingest
from eventwire.runner.pool import WorkerPool
from eventwire.store import open_store
from eventwire.store.schema import metadata

pytestmark = pytest.mark.slow

# A subset of the sample corpus: HTML, scraped text, a JSONL batch of four records.
SUBSET = (
    "conflict-01-kharkiv-strikes.html",
    "conflict-02-houthi-red-sea.txt",
    "diplomacy-03-un-sudan-veto.html",
    "diplomacy-batch.jsonl",
    "world-02-pakistan-imf-tranche.html",
)
# Tables whose rows the comparison ignores (schema bookkeeping) and columns that
# hold the time of the run, not its outcome.
_IGNORED_TABLES = frozenset({"schema_migrations", "meta"})
_TIME_COLUMNS = frozenset({"ingested_at", "added_at", "created_at", "updated_at", "applied_at"})


def subset_corpus(directory: Path) -> Path:
    """The subset, plus an exact copy of one page (stored once) and an empty file (an error)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in SUBSET:
        shutil.copy(sample_corpus() / name, directory / name)
    shutil.copy(sample_corpus() / SUBSET[0], directory / "zz-copy-of-kharkiv.html")
    (directory / "empty.txt").write_text("", encoding="utf-8")
    return directory


def stored_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every eventwire table, sorted, without the run's timestamps."""
    engine = create_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
        dump: dict[str, list[tuple[Any, ...]]] = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                if table.name in _IGNORED_TABLES or table.name not in present:
                    continue
                columns = [c for c in table.columns if c.name not in _TIME_COLUMNS]
                rows = connection.execute(select(*columns)).all()
                dump[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return dump
    finally:
        engine.dispose()


def ingest_in_process(sources: list[str], url: str, pipeline: Pipeline) -> int:
    """The reference: ``pipeline.ingest`` in this process; returns the failed inputs."""
    with open_store(url) as store:
        summary = ingest(
            read_sources(sources, max_bytes=pipeline.settings.max_bytes),
            pipeline,
            store,
            on_error=lambda _: None,
        )
    return summary.failed


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, str]:
    directory = subset_corpus(tmp_path_factory.mktemp("subset") / "corpus")
    url = f"sqlite:///{directory.parent / 'one.db'}"
    assert ingest_in_process([str(directory)], url, pipeline) == 1  # the empty file
    return directory, url


def test_two_workers_store_exactly_the_rows_of_one_process(
    reference: tuple[Path, str], run_cli: RunCli, tmp_path: Path
) -> None:
    directory, _ = reference
    # Both runs are the real command, one right after the other (the same code, even
    # while the rules are being edited), into fresh databases.
    one_url, two_url = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db"))

    one = run_cli("ingest", directory, "--db", one_url, "--workers", "1")
    code, _, stderr = run_cli("ingest", directory, "--db", two_url, "--workers", "2")

    assert code == one[0] == 1, stderr  # the empty file failed, in both
    assert "empty.txt" in stderr
    assert "stored 8 articles" in stderr, stderr  # 4 pages + 4 records; the copy unchanged
    assert stderr == one[2]
    expected = stored_rows(one_url)
    assert expected["events"], "the subset must give events"
    assert stored_rows(two_url) == expected


def test_results_come_back_in_input_order_whatever_the_chunks(
    reference: tuple[Path, str], pipeline: Pipeline
) -> None:
    directory, _ = reference
    documents = list(read_sources([str(directory)]))
    settings = isolated_settings(batch_size=2)  # several chunks in flight at once

    with WorkerPool(settings, 2) as pool:
        pooled = list(pool.process(documents))

    alone = list(pipeline.process(documents))
    assert [_key(item) for item in pooled] == [_key(item) for item in alone]
    assert len(pooled) == len(documents)


def _key(item: Result | InputError) -> tuple[str, ...]:
    if isinstance(item, InputError):
        return ("error", item.source, item.reason)
    return (item.article.source, item.article.id, *(e.id for e in item.events))


def _kill_a_worker_after_first(documents: list[RawDocument | InputError]) -> Iterator[Any]:
    yield documents[0]
    deadline = time.monotonic() + 60
    while not multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    for child in multiprocessing.active_children():
        os.kill(child.pid or 0, signal.SIGKILL)
    yield from documents[1:]


def test_a_worker_that_dies_is_a_clear_error_not_a_hang(reference: tuple[Path, str]) -> None:
    directory, _ = reference
    documents = list(read_sources([str(directory)]))
    started = time.monotonic()

    with (
        WorkerPool(isolated_settings(batch_size=1), 1) as pool,
        pytest.raises(RunnerError, match="worker process died"),
    ):
        list(pool.process(_kill_a_worker_after_first(documents)))

    assert time.monotonic() - started < 90


def test_a_worker_that_cannot_load_the_model_says_why() -> None:
    settings = isolated_settings(model="no_such_spacy_model")

    with WorkerPool(settings, 1) as pool, pytest.raises(RunnerError) as caught:
        list(pool.process(read_sources([str(sample_corpus() / SUBSET[1])])))

    assert "no_such_spacy_model" in str(caught.value)
    assert "is not installed" in str(caught.value)


def test_fewer_than_one_worker_is_refused(run_cli: RunCli) -> None:
    code, _, stderr = run_cli("ingest", sample_corpus() / SUBSET[1], "--workers", "0")

    assert code == 2
    assert "--workers" in stderr
