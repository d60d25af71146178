"""``eventwire ingest --engine ray``: :func:`process_batch` on Ray Data, Parquet shards out.

The dataset is built in three steps, all streamed:

1. the input files (:func:`eventwire.ingest.input_paths`: files, directories,
   globs) become one row each, numbered in input order;
2. ``map_batches(read_files)`` reads each file with eventwire's own readers (JSONL,
   Parquet, WARC/ARC, HTML, text, feeds: exactly what ``eventwire ingest`` reads),
   one row per document as a :func:`~eventwire.runner.batch.document_record`,
   numbered within its file;
3. ``map_batches(ProcessRecords)`` runs :func:`process_batch` in a pool of actors,
   each of which builds the pipeline (loads spaCy) once, when it starts.

Each output row is one input: its numbers, ``source``, ``content_hash``,
``article_id``, ``error``, the count of ``events``, and ``rows``, the JSON of the
rows ``Store.add`` would write for it (``rows_of``). ``write_parquet`` writes them
as shards into the output directory; ``eventwire load`` imports them. The order of
the input is kept (``preserve_order``), and the numbers let the loader restore it.

Ray itself is imported only here, inside the functions, so the rest of eventwire
never pays for it and works without the ``ray`` extra. ``ray.init()`` connects to
the cluster named by ``RAY_ADDRESS`` (or ``ray start``'s), else starts a local one;
a caller that has already called ``ray.init`` keeps its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from eventwire.config import Settings
from eventwire.errors import RunnerError
from eventwire.model import InputError
from eventwire.runner.batch import document_record, pipeline_for, process_batch

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SHARD_COLUMNS", "ProcessRecords", "RayRun", "read_files", "run_ray"]

# The columns of an output shard, in order.
SHARD_COLUMNS = (
    "file_no",
    "record_no",
    "source",
    "content_hash",
    "article_id",
    "error",
    "events",
    "rows",
)
_RECORDS_PER_READ_BATCH = 256


@dataclass(frozen=True, slots=True)
class RayRun:
    """What one ``--engine ray`` run wrote."""

    output_dir: Path
    shards: int
    articles: int
    events: int
    errors: list[InputError]


def _record_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [("file_no", pa.int64()), ("record_no", pa.int64()), ("record", pa.large_string())]
    )


def _shard_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("file_no", pa.int64()),
            ("record_no", pa.int64()),
            ("source", pa.string()),
            ("content_hash", pa.string()),
            ("article_id", pa.string()),
            ("error", pa.string()),
            ("events", pa.int64()),
            ("rows", pa.large_string()),
        ]
    )


def _documents_of(
    path: str, name: str, error: str | None, settings: Settings
) -> Iterator[dict[str, Any]]:
    """The records of the file at ``path``, named after ``name`` (the path as the user
    gave it, which is what ``eventwire ingest`` calls each document)."""
    from eventwire.ingest import read_sources

    if error is not None:
        yield {"source": name, "error": error}
        return
    for item in read_sources([path], max_bytes=settings.max_bytes):
        record = document_record(item)
        source = record.get("source")
        if isinstance(source, str) and source.startswith(path):
            record["source"] = name + source[len(path) :]
        yield record


def read_files(
    batch: pa.Table, settings: Settings, published: str | None = None
) -> Iterator[pa.Table]:
    """Ray ``map_batches`` function: a batch of input files → their documents as records.

    Yields tables of at most a few hundred records, so one large archive never sits
    in memory whole.
    """
    import pyarrow as pa

    schema = _record_schema()
    columns = batch.to_pydict()
    for file_no, path, name, error in zip(
        columns["file_no"], columns["path"], columns["name"], columns["error"], strict=True
    ):
        numbers: list[int] = []
        records: list[str] = []
        documents = _documents_of(str(path), str(name), error or None, settings)
        for record_no, record in enumerate(documents):
            if published and record.get("body") is not None:
                record["published"] = published
            numbers.append(record_no)
            records.append(json.dumps(record, ensure_ascii=False))
            if len(records) >= _RECORDS_PER_READ_BATCH:
                yield pa.table([[int(file_no)] * len(numbers), numbers, records], schema=schema)
                numbers, records = [], []
        if records:
            yield pa.table([[int(file_no)] * len(numbers), numbers, records], schema=schema)


class ProcessRecords:
    """Ray ``map_batches`` callable class: one per actor, the pipeline built once in
    ``__init__``; each call runs :func:`process_batch` on a batch of records."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        pipeline_for(settings)  # load spaCy now, once per actor

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        columns = batch.to_pydict()
        records = [json.loads(text) for text in columns["record"]]
        answers = process_batch(records, self.settings)
        return pa.table(
            [
                columns["file_no"],
                columns["record_no"],
                [a["source"] for a in answers],
                [a["content_hash"] for a in answers],
                [a["article_id"] for a in answers],
                [a["error"] for a in answers],
                [len(a["events"]) for a in answers],
                [
                    None
                    if a["error"] is not None
                    else json.dumps(
                        {t: a[t] for t in a if t not in _ANSWER_KEYS}, ensure_ascii=False
                    )
                    for a in answers
                ],
            ],
            schema=_shard_schema(),
        )


_ANSWER_KEYS = frozenset({"source", "content_hash", "article_id", "error"})


def _inputs(sources: Sequence[str]) -> list[dict[str, Any]]:
    from eventwire.ingest import input_paths
    from eventwire.ingest.urls import is_url

    inputs: list[dict[str, Any]] = []
    for source in sources:
        if source == "-" or (is_url(source) and not os.path.exists(source)):
            raise RunnerError(
                f"--engine ray reads files only, not {source!r}: fetch pages and feeds with "
                "`eventwire ingest` (or into a WARC archive) first"
            )
    for number, item in enumerate(input_paths(sources)):
        if isinstance(item, InputError):
            inputs.append(
                {"file_no": number, "path": "", "name": item.source, "error": item.reason}
            )
        else:
            # Read by absolute path (a Ray worker may run elsewhere), named as given.
            path = os.path.abspath(item)
            inputs.append({"file_no": number, "path": path, "name": item, "error": ""})
    return inputs


def _connect() -> None:
    import logging

    import ray

    # Ray Data logs every dataset's plan and progress at INFO; eventwire prints a summary.
    logging.getLogger("ray.data").setLevel(logging.WARNING)

    if not ray.is_initialized():
        ray.init(
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )


def _actors(workers: int | None) -> int:
    if workers is not None:
        return workers
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]


def run_ray(
    sources: Sequence[str],
    output_dir: Path,
    settings: Settings,
    *,
    workers: int | None = None,
    published: str | None = None,
) -> RayRun:
    """Process every input on Ray Data and write Parquet shards into ``output_dir``.

    ``workers`` actors (each one CPU and one loaded pipeline); by default one per
    CPU of the cluster. ``output_dir`` must be empty or absent: shards of two runs
    mixed in one directory would be loaded as one.
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise RunnerError("--engine ray needs Ray Data: pip install 'eventwire[ray]'") from None
    if workers is not None and workers < 1:
        raise RunnerError(f"--workers must be at least 1, got {workers}")
    if output_dir.exists() and (not output_dir.is_dir() or any(output_dir.iterdir())):
        raise RunnerError(f"{output_dir}: the output directory must be empty or absent")
    inputs = _inputs(sources)
    if not inputs:
        raise RunnerError("no input files")
    _connect()
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    actors = _actors(workers)
    dataset = (
        ray.data.from_items(inputs, override_num_blocks=min(len(inputs), 4 * actors))
        .map_batches(
            cast(Any, read_files),  # Ray's types know no keyword arguments
            batch_size=1,
            batch_format="pyarrow",
            fn_kwargs={"settings": settings, "published": published},
            # Reading is light: no CPU of its own, so it is not fused into the actors
            # and the documents of one large archive spread over all of them.
            num_cpus=0,
            # But bounded: with no CPU to wait for, Ray would start a worker process
            # per block at once, each importing eventwire and pyarrow while the actors
            # load spaCy (on 2 CPUs that delayed the first batch by 15 s). One reader
            # feeds about four actors (reading costs a tenth of processing).
            compute=ray.data.TaskPoolStrategy(size=max(1, actors // 4)),
        )
        .map_batches(
            ProcessRecords,
            batch_size=settings.batch_size,
            batch_format="pyarrow",
            fn_constructor_kwargs={"settings": settings},
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1,
        )
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    dataset.write_parquet(str(output_dir))
    return summarise(output_dir)


def shard_paths(directory: Path) -> list[Path]:
    """The Parquet shards under ``directory``, in name order."""
    return sorted(p for p in directory.rglob("*.parquet") if p.is_file())


def summarise(output_dir: Path) -> RayRun:
    """Counts and input errors of the shards in ``output_dir`` (reads three columns)."""
    import pyarrow.parquet as pq

    shards = shard_paths(output_dir)
    articles = events = 0
    errors: list[tuple[int, int, InputError]] = []
    for shard in shards:
        table = pq.read_table(
            shard, columns=["file_no", "record_no", "source", "error", "events"]
        ).to_pydict()
        for file_no, record_no, source, error, count in zip(
            table["file_no"],
            table["record_no"],
            table["source"],
            table["error"],
            table["events"],
            strict=True,
        ):
            if error is None:
                articles += 1
                events += count
            else:
                errors.append((file_no, record_no, InputError(source, error)))
    errors.sort(key=lambda e: (e[0], e[1]))
    return RayRun(output_dir, len(shards), articles, events, [e[2] for e in errors])
