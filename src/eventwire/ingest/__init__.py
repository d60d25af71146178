"""ingest: sources (files, directories, globs, stdin, JSONL, feeds) → ``RawDocument``.

Entry point: :func:`read_sources`. It yields documents and, for inputs that cannot
be read, :class:`~eventwire.model.InputError` values, so one bad input never stops
a run and the caller decides how to report it.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash, decode_bytes
from eventwire.ingest.feeds import looks_like_feed, read_feed
from eventwire.ingest.records import read_records
from eventwire.model import DocKind, InputError, RawDocument

__all__ = ["INPUT_SUFFIXES", "read_sources"]

# Files picked up when a directory is given; anything else there is skipped silently.
INPUT_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".txt", ".text", ".jsonl", ".rss", ".atom", ".xml"}
)
_PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ".text"})
_HTML_MARKERS = (b"<html", b"<!doctype html", b"<body", b"<head", b"<article", b"<div", b"<p>")


def _kind_of(path: str, data: bytes) -> DocKind:
    suffix = Path(path).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".txt", ".text"}:
        return "text"
    head = data[:4096].lower().lstrip()
    return "html" if any(marker in head for marker in _HTML_MARKERS) else "text"


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
                if Path(filename).suffix.lower() in INPUT_SUFFIXES:
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


def read_sources(
    sources: Iterable[str],
    *,
    max_bytes: int = 20_000_000,
    jsonl_stdin: bool = False,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | InputError]:
    """Documents from every source; "-" reads standard input (JSONL when ``jsonl_stdin``)."""
    for source in sources:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                if jsonl_stdin:
                    yield from _read_jsonl(stream, "<stdin>", max_bytes)
                    continue
                data = _read_limited(stream, "<stdin>", max_bytes)
                yield from _documents_from_bytes(data, "<stdin>")
            except InputRejected as exc:
                yield InputError(exc.source, exc.reason)
            continue
        for path in _expand(source):
            if isinstance(path, InputError):
                yield path
                continue
            try:
                yield from _read_file(path, max_bytes)
            except InputRejected as exc:
                yield InputError(exc.source, exc.reason)
