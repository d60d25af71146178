"""``eventwire load DIR``: Parquet shards → SQLite or PostgreSQL, then clustering.

The shards are written here by the runner's own steps (``read_files`` and
``ProcessRecords``, the functions Ray runs) without Ray, and are loaded with the
real ``eventwire load`` command; the reference is ``pipeline.ingest`` in one process.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import RunCli, isolated_settings
from eventwire.pipeline import Pipeline
from eventwire.runner.ray_data import ProcessRecords, _inputs, read_files
from test_workers import ingest_in_process, stored_rows, subset_corpus

pytestmark = pytest.mark.slow


def write_shards(sources: list[str], directory: Path, per_shard: int = 3) -> int:
    """Shards as the Ray runner writes them, in an order other than the input's."""
    settings = isolated_settings()
    inputs = pa.Table.from_pylist(_inputs(sources))
    records = pa.concat_tables(list(read_files(inputs, settings)))
    answer = ProcessRecords(settings)(records)
    directory.mkdir(parents=True, exist_ok=True)
    pieces = [answer.slice(i, per_shard) for i in range(0, answer.num_rows, per_shard)]
    for number, piece in enumerate(reversed(pieces)):  # names not in input order
        pq.write_table(
            piece.take(list(reversed(range(piece.num_rows)))), directory / f"{number}.parquet"
        )
    return len(pieces)


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("load")
    corpus = subset_corpus(base / "corpus")
    reference = f"sqlite:///{base / 'one.db'}"
    ingest_in_process([str(corpus)], reference, pipeline)
    assert write_shards([str(corpus)], base / "shards") > 1
    return base / "shards", reference


def test_loaded_shards_equal_one_process_ingest(
    shards: tuple[Path, str], run_cli: RunCli, db_url: str
) -> None:
    directory, reference = shards

    code, _, stderr = run_cli("load", directory, "--db", db_url, "--batch", "2")

    assert code == 0, stderr
    assert "loaded 8 articles" in stderr, stderr
    assert "1 inputs had failed" in stderr
    expected = stored_rows(reference)
    assert expected["clusters"], "the subset must give clusters"
    assert stored_rows(db_url) == expected


def test_loading_the_same_shards_again_stores_nothing_new(
    shards: tuple[Path, str], run_cli: RunCli, sqlite_url: str
) -> None:
    directory, reference = shards
    assert run_cli("load", directory, "--db", sqlite_url)[0] == 0

    code, _, stderr = run_cli("load", directory, "--db", sqlite_url)

    assert code == 0, stderr
    assert "loaded 0 articles" in stderr
    assert "9 unchanged" in stderr  # 8 articles and the exact copy of one
    assert stored_rows(sqlite_url) == stored_rows(reference)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda d: None, "no such directory", id="missing"),
        pytest.param(lambda d: d.mkdir(), "no Parquet shards", id="empty"),
        pytest.param(
            lambda d: (d.mkdir(), (d / "x.parquet").write_bytes(b"not parquet")),
            "not an eventwire shard",
            id="not-parquet",
        ),
        pytest.param(
            lambda d: (d.mkdir(), pq.write_table(pa.table({"a": [1]}), d / "x.parquet")),
            "not an eventwire shard",
            id="other-columns",
        ),
    ],
)
def test_a_directory_that_holds_no_shards_is_one_clear_error(
    tmp_path: Path, run_cli: RunCli, make: object, message: str
) -> None:
    directory = tmp_path / "shards"
    make(directory)  # type: ignore[operator]

    code, stdout, stderr = run_cli("load", directory, "--db", f"sqlite:///{tmp_path / 'x.db'}")

    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr + stdout
