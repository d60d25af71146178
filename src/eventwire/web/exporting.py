"""Exports streamed over HTTP: the library's writers, fed through a bounded pipe.

The export writers (:mod:`eventwire.export`) write to a file object and page
through the database themselves. Here one runs in a thread and writes into a
small queue that the response drains, so a million-event export streams in
bounded memory, and a client that hangs up stops the writer at its next write.
File formats (Parquet, GEXF, GraphML) are written to a temporary file first.
"""

from __future__ import annotations

import contextlib
import io
import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, cast

from eventwire.store import EventFilter, Store

log = logging.getLogger("eventwire.web")

TextWriter = Callable[[Store, EventFilter, IO[str]], int]
FileWriter = Callable[[Store, EventFilter, Path], int]
_CHUNK = 64 * 1024
_DONE = object()


class _Cancelled(Exception):
    """The client went away: the writer stops."""


class _Pipe(io.TextIOBase):
    def __init__(self, chunks: queue.Queue[object], cancelled: threading.Event) -> None:
        self._chunks = chunks
        self._cancelled = cancelled
        self._buffer: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= _CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if not self._buffer:
            return
        data = "".join(self._buffer).encode("utf-8")
        self._buffer, self._size = [], 0
        while True:  # wait for room, but not for a client that has gone
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._chunks.put(data, timeout=0.5)
                return
            except queue.Full:
                continue


def stream_text(writer: TextWriter, store: Store, where: EventFilter) -> Iterator[bytes]:
    """The bytes ``writer`` writes, as they are written."""
    chunks: queue.Queue[object] = queue.Queue(maxsize=16)
    cancelled = threading.Event()
    pipe = _Pipe(chunks, cancelled)

    def run() -> None:
        try:
            # A TextIOBase is a text file to the writers; typeshed does not call it IO[str].
            writer(store, where, cast(IO[str], pipe))
            pipe.flush()
        except _Cancelled:
            pass
        except Exception:  # the response has started: all we can do is end it and say why
            log.exception("export failed")
        finally:
            chunks.put(_DONE)

    thread = threading.Thread(target=run, name="eventwire-export", daemon=True)
    thread.start()
    try:
        while (item := chunks.get()) is not _DONE:
            assert isinstance(item, bytes)
            yield item
    finally:
        cancelled.set()
        while thread.is_alive():  # unblock a writer waiting for room
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.1)


def stream_file(writer: FileWriter, store: Store, where: EventFilter, name: str) -> Iterator[bytes]:
    """Write the file in a temporary folder, then stream it and remove the folder."""
    folder = Path(tempfile.mkdtemp(prefix="eventwire-export-"))
    try:
        path = folder / name
        writer(store, where, path)
        with path.open("rb") as stream:
            while block := stream.read(_CHUNK):
                yield block
    finally:
        shutil.rmtree(folder, ignore_errors=True)
