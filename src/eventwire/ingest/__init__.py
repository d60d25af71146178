"""ingest: sources (files, directories, globs, stdin, JSONL, Parquet, feeds, WARC/ARC
archives, URLs) → ``RawDocument``.

Entry point: :func:`read_sources`. It yields documents and, for inputs that cannot
be read, :class:`~eventwire.model.InputError` values, so one bad input never stops
a run and the caller decides how to report it. URLs (pages and feeds) are fetched
through :mod:`eventwire.net` by a :class:`~eventwire.ingest.web.WebReader`.
"""

from __future__ import annotations

import glob
import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from eventwire.errors import InputRejected
from eventwire.ingest.archives import ARCHIVE_SUFFIXES, is_archive
from eventwire.ingest.decode import content_hash, decode_bytes, looks_like_html
from eventwire.ingest.feeds import looks_like_feed, read_feed
from eventwire.ingest.parquet import read_parquet_records
from eventwire.ingest.records import read_records
from eventwire.ingest.urls import is_url, read_url_list
from eventwire.model import DocKind, InputError, RawDocument

if TYPE_CHECKING:
    from eventwire.net import Fetcher

__all__ = ["INPUT_SUFFIXES", "input_paths", "read_sources"]

# Files picked up when a directory is given; anything else there is skipped silently.
INPUT_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".txt", ".text", ".jsonl", ".parquet", ".rss", ".atom", ".xml"}
)


def _is_input_file(name: str) -> bool:
    return Path(name).suffix.lower() in INPUT_SUFFIXES or name.lower().endswith(ARCHIVE_SUFFIXES)


_PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ".text"})


def _kind_of(path: str, data: bytes) -> DocKind:
    suffix = Path(path).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".txt", ".text"}:
        return "text"
    return "html" if looks_like_html(data) else "text"


def _documents_from_bytes(data: bytes, name: str) -> Iterator[RawDocument | InputError]:
    suffix = Path(name).suffix.lower()
    if suffix in {".rss", ".atom", ".xml"} or (
        suffix not in _PAGE_SUFFIXES and looks_like_feed(data)
    ):
        yield from read_feed(data, name)
        return
    text, encoding = decode_bytes(data, name)
    if not text.strip():
        raise InputRejected(name, "empty input")
    yield RawDocument(
        source=name,
        body=text,
        kind=_kind_of(name, data),
        content_hash=content_hash(data),
        encoding=encoding,
    )


def _read_limited(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputRejected(name, f"larger than the {max_bytes:,}-byte limit (max_bytes)")
    return data


def _read_jsonl(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    # Streamed line by line: a JSONL corpus may be far larger than memory.
    lines = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
    yield from read_records(lines, name, max_line_chars=max_bytes)


def _read_file(path: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    if is_archive(path):  # streamed record by record; max_bytes caps each record
        # Imported here: warcio and the HTTP stack it reads headers with load slowly.
        from eventwire.ingest.warc import read_archive

        try:
            yield from read_archive(path, max_bytes)
        except OSError as exc:
            raise InputRejected(path, f"cannot read ({exc.strerror or exc})") from None
        return
    if Path(path).suffix.lower() == ".parquet":
        yield from read_parquet_records(path, max_bytes)
        return
    if Path(path).suffix.lower() == ".jsonl":
        try:
            with open(path, "rb") as stream:
                yield from _read_jsonl(stream, path, max_bytes)
        except OSError as exc:
            raise InputRejected(path, f"cannot read ({exc.strerror or exc})") from None
        return
    try:
        with open(path, "rb") as stream:
            data = _read_limited(stream, path, max_bytes)
    except OSError as exc:
        raise InputRejected(path, f"cannot read ({exc.strerror or exc})") from None
    yield from _documents_from_bytes(data, path)


def _expand(source: str) -> Iterator[str | InputError]:
    """Paths named by one source argument: a file, a directory (recursive) or a glob."""
    if os.path.isdir(source):
        found = False
        for root, dirs, files in os.walk(source):
            dirs.sort()
            for filename in sorted(files):
                if _is_input_file(filename):
                    found = True
                    yield os.path.join(root, filename)
        if not found:
            yield InputError(source, "directory holds no readable input files")
        return
    if glob.has_magic(source):
        matches = sorted(p for p in glob.glob(source, recursive=True) if os.path.isfile(p))
        if not matches:
            yield InputError(source, "pattern matches no file")
        yield from matches
        return
    if not os.path.exists(source):
        yield InputError(source, "no such file or directory")
        return
    yield source


def input_paths(sources: Iterable[str]) -> Iterator[str | InputError]:
    """The files that :func:`read_sources` reads for local ``sources``, in the same order
    (for runners that hand whole files to other processes or machines)."""
    for source in sources:
        yield from _expand(source)


def _read_paths(source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    for path in _expand(source):
        if isinstance(path, InputError):
            yield path
            continue
        try:
            yield from _read_file(path, max_bytes)
        except InputRejected as exc:
            yield InputError(exc.source, exc.reason)


def _with_url_lists(sources: Iterable[str], url_lists: Iterable[str]) -> Iterator[str | InputError]:
    yield from sources
    for path in url_lists:
        yield from read_url_list(path)


def _kind_of_source(item: str | InputError) -> str:
    if isinstance(item, InputError):
        return "error"
    return "url" if is_url(item) and not os.path.exists(item) else "path"


def read_sources(
    sources: Iterable[str],
    *,
    max_bytes: int = 20_000_000,
    jsonl_stdin: bool = False,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
    url_lists: Iterable[str] = (),
) -> Iterator[RawDocument | InputError]:
    """Documents from every source, in order; then from the URLs listed in ``url_lists``.

    "-" reads standard input (JSONL when ``jsonl_stdin``). URLs are fetched through
    ``fetcher``; without one, a :class:`~eventwire.net.Fetcher` with the default
    policy is made (and closed) for the run. Consecutive URLs are fetched a few at
    a time.
    """
    from eventwire.ingest.web import WebReader
    from eventwire.net import Fetcher

    own_fetcher: Fetcher | None = None
    web: WebReader | None = None
    try:
        items = _with_url_lists(sources, url_lists)
        for kind, group in itertools.groupby(items, key=_kind_of_source):
            if kind == "error":
                yield from (item for item in group if isinstance(item, InputError))
            elif kind == "url":
                if web is None:
                    if fetcher is None:
                        fetcher = own_fetcher = Fetcher()
                    web = WebReader(fetcher)
                yield from web.read(item for item in group if isinstance(item, str))
            else:
                for source in group:
                    assert isinstance(source, str)
                    yield from _read_one(source, max_bytes, jsonl_stdin, stdin)
    finally:
        if own_fetcher is not None:
            own_fetcher.close()


def _read_one(
    source: str, max_bytes: int, jsonl_stdin: bool, stdin: BinaryIO | None
) -> Iterator[RawDocument | InputError]:
    if source != "-":
        yield from _read_paths(source, max_bytes)
        return
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        if jsonl_stdin:
            yield from _read_jsonl(stream, "<stdin>", max_bytes)
            return
        data = _read_limited(stream, "<stdin>", max_bytes)
        yield from _documents_from_bytes(data, "<stdin>")
    except InputRejected as exc:
        yield InputError(exc.source, exc.reason)
