"""``eventwire ingest --engine ray``: Ray Data on a local Ray instance (2 CPUs), its
shards loaded with ``eventwire load``, equal to ``pipeline.ingest`` in one process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import RunCli, isolated_settings
from eventwire.cli import app
from eventwire.errors import RunnerError
from eventwire.runner.load import load_shards
from eventwire.runner.ray_data import run_ray
from eventwire.store import open_store
from test_workers import stored_rows, subset_corpus

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def test_ray_output_loaded_equals_one_process_ingest(
    local_ray: None, tmp_path: Path, run_cli: RunCli
) -> None:
    corpus = subset_corpus(tmp_path / "corpus")
    (corpus / "more.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Russia accused Ukraine of shelling the city."})
        + "\nnot json\n",
        encoding="utf-8",
    )
    # The reference is the real command in one process, run now: the same code as
    # the Ray actors (which import eventwire when they start), even mid-edit.
    reference = f"sqlite:///{tmp_path / 'one.db'}"
    code, _, stderr = run_cli("ingest", corpus, "--db", reference)
    assert code == 1, stderr
    shards = tmp_path / "shards"

    result = CliRunner().invoke(
        app,
        ["ingest", str(corpus), "--engine", "ray", "--output-dir", str(shards), "-w", "2"],
    )

    assert result.exit_code == 1, result.output  # the empty file and the bad line
    assert "more.jsonl:2" in result.output
    assert "wrote 10 articles" in result.output  # the exact copy is dropped by load
    loaded = f"sqlite:///{tmp_path / 'ray.db'}"
    with open_store(loaded) as store:
        summary = load_shards(store, shards, isolated_settings().cluster_window_days)
    assert summary.stored == 9
    assert [e.source for e in summary.failed] == [f"{corpus}/empty.txt", f"{corpus}/more.jsonl:2"]
    expected = stored_rows(reference)
    assert expected["events"]
    assert stored_rows(loaded) == expected


def test_a_non_empty_output_directory_is_refused(local_ray: None, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.parquet").write_bytes(b"")

    with pytest.raises(RunnerError, match="must be empty"):
        run_ray([str(tmp_path)], tmp_path / "out", isolated_settings())


def test_urls_are_refused_with_the_ray_engine(tmp_path: Path) -> None:
    with pytest.raises(RunnerError, match="reads files only"):
        run_ray(["https://example.org/feed.rss"], tmp_path / "out", isolated_settings())
