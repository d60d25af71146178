"""``--workers N``: the per-document pipeline in N worker processes, results in input order.

The calling process reads the inputs, cuts them into chunks of ``batch_size``
documents and sends each chunk to a worker, which extracts, parses and codes it
with its own pipeline (the spaCy model loaded once per worker, when it starts)
and sends the results back. Results come back in input order, so the one writer
(the caller: ``pipeline.ingest`` storing, ``extract`` printing) sees exactly what
one process would have produced: spaCy parses every document on its own, so the
chunks do not change a single row.

Workers are started with ``spawn``: a fresh interpreter does not inherit the
caller's threads (progress bar, fetcher), open database connections or locks,
which ``fork`` would copy in whatever state they were. It costs each worker the
imports and the model load once, about as long as one process takes to start.
At most two chunks per worker are in flight, so memory does not grow with the
input (a WARC archive may hold millions of pages).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Literal

from eventwire.config import Settings
from eventwire.errors import EventwireError, RunnerError
from eventwire.model import InputError, RawDocument, Result
from eventwire.runner.batch import pipeline_for

__all__ = ["START_METHOD", "WorkerPool"]

StartMethod = Literal["spawn", "forkserver", "fork"]
START_METHOD: StartMethod = "spawn"
_IN_FLIGHT_PER_WORKER = 2

Item = RawDocument | InputError


_start_error: EventwireError | None = None  # why this worker could not build its pipeline


def _start_worker(settings: Settings) -> None:
    global _start_error
    # Ctrl-C reaches every process of the terminal's group: the caller handles it
    # (and stops the pool); a worker printing its own traceback would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pipeline_for(settings)  # load the model now, in every worker at once
    except EventwireError as exc:
        # An exception here would break the pool with a useless message; the first
        # chunk sent to this worker reports it instead (e.g. a model not installed).
        _start_error = exc


def _process_chunk(settings: Settings, chunk: list[Item]) -> list[Result | InputError]:
    if _start_error is not None:
        raise RunnerError(f"a worker could not start: {_start_error}")
    return list(pipeline_for(settings).process(chunk))


class WorkerPool:
    """A :class:`~eventwire.pipeline.Processor` that runs ``process`` in worker processes.

    Use it as a context manager (``with WorkerPool(settings, 2) as pool``), or call
    :meth:`close`.
    """

    def __init__(
        self, settings: Settings, workers: int, start_method: StartMethod = START_METHOD
    ) -> None:
        if workers < 1:
            raise RunnerError(f"--workers must be at least 1, got {workers}")
        self._settings = settings
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(start_method),
            initializer=_start_worker,
            initargs=(settings,),
        )

    @property
    def settings(self) -> Settings:
        return self._settings

    def process(self, documents: Iterable[Item]) -> Iterator[Result | InputError]:
        """Results for every document, in input order; failures as ``InputError``."""
        size = self._settings.batch_size
        in_flight: deque[Future[list[Result | InputError]]] = deque()
        items = iter(documents)
        try:
            while chunk := list(islice(items, size)):
                in_flight.append(self._executor.submit(_process_chunk, self._settings, chunk))
                if len(in_flight) >= _IN_FLIGHT_PER_WORKER * self.workers:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        except BrokenProcessPool:
            raise RunnerError(
                "a worker process died (out of memory?); run again with fewer --workers"
            ) from None
        finally:
            for future in in_flight:
                future.cancel()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
