"""WARC and ARC archives, gzipped or plain: one document per archived HTML page.

warcio parses each record (WARC/ARC headers, HTTP headers, chunked bodies); the
file is cut into records here, because warcio's own iterator cannot go on after a
corrupt record and writes its complaints to stderr. Records are streamed: memory
holds one record at a time, at most ``max_bytes`` of it.

1. cut the file into records: a gzipped archive into gzip members (each normally
   one record; a member is decompressed under the cap), each member or a plain
   file into records by their Content-Length (ARC: the length field);
2. a record that cannot be cut or parsed (corrupt gzip, garbled header, wrong
   length, truncated file) is one InputError naming the file and the record's byte
   offset; reading resumes at the next record found after it;
3. keep ``response`` records of http(s) URLs with status 200 and an HTML type;
   other records (requests, metadata, redirects, images…) are skipped silently;
4. decode the body (Content-Encoding under the cap, then the charset) and keep the
   target URL and the capture date (a hint for the publication date).

Documents are named ``FILE@OFFSET``, the offset a CDX index would give.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

# warcio ships no type information (and pyproject's list of such modules predates it).
from warcio.bufferedreaders import (  # type: ignore[import-untyped]
    BufferedReader,
    ChunkedDataReader,
)
from warcio.recordloader import (  # type: ignore[import-untyped]
    ArcWarcRecord,
    ArcWarcRecordLoader,
)

from eventwire.errors import InputRejected
from eventwire.ingest.decode import content_hash, decode_bytes, looks_like_html
from eventwire.ingest.urls import normalize_url
from eventwire.model import InputError, RawDocument
from eventwire.net.body import BodyEncodingError, BodyTooLarge, decode_body
from eventwire.net.fetcher import parse_content_type

__all__ = ["read_archive"]

_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 18
_STEP = 1 << 16
_HEADER_LIMIT = 1 << 16  # a WARC header block, or HTTP headers, longer than this is garbage
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ARC_LINE = re.compile(rb"^(?:https?|dns|ftp|filedesc):\S* \S+ \d{14} \S* \d+\r?\n$")
# Where a record may start when resynchronising after a bad one.
# A WARC version line anywhere (junk before it may lack a newline); an ARC header
# line only at the start of a line.
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n|\n((?:https?|dns|filedesc):\S* \S+ \d{14} )")


@dataclass(frozen=True, slots=True)
class _Record:
    offset: int
    data: bytes  # header and block, whole; or only the start when ``length`` > the cap
    complete: bool = True
    response: bool = True  # WARC-Type response (ARC records all are); others are not read


@dataclass(frozen=True, slots=True)
class _Bad:
    offset: int
    reason: str


# --- 1. cutting the file into records -------------------------------------------------------


class _Reader:
    """A binary stream read in large chunks, with bytes pushed back and a position."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = b""
        self.position = stream.tell()

    def take(self) -> bytes:
        data = self._buffer or self._stream.read(_CHUNK)
        self._buffer = b""
        self.position += len(data)
        return data

    def push_back(self, data: bytes) -> None:
        self._buffer = data + self._buffer
        self.position -= len(data)

    def peek(self, size: int) -> bytes:
        while len(self._buffer) < size:
            more = self._stream.read(_CHUNK)
            if not more:
                break
            self._buffer += more
        return self._buffer[:size]

    def seek(self, position: int) -> None:
        self._stream.seek(position)
        self._buffer = b""
        self.position = position


def _find(
    stream: BinaryIO,
    start: int,
    pattern: re.Pattern[bytes],
    check: Callable[[int], bool] | None = None,
) -> int:
    """Offset of the first match of ``pattern`` at or after ``start``; -1 when none."""
    overlap = 64
    position = start
    while True:
        stream.seek(position)
        window = stream.read(_CHUNK + overlap)
        if not window:
            return -1
        for match in pattern.finditer(window):
            found = position + match.start(match.lastindex or 0)
            if found >= start and (check is None or check(found)):
                return found
        if len(window) <= overlap:
            return -1
        position += len(window) - overlap


def _gzip_record_starts_at(stream: BinaryIO, offset: int) -> bool:
    """Whether a gzip member that decompresses to a record header starts at ``offset``."""
    stream.seek(offset)
    try:
        head = zlib.decompressobj(31).decompress(stream.read(4096), 32)
    except zlib.error:
        return False
    return head.startswith(b"WARC/") or bool(re.match(rb"(?:https?|dns|filedesc):", head))


def _gzip_members(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes, int] | _Bad]:
    """(offset, decompressed bytes, decompressed size) of each gzip member.

    Only the first ``limit`` bytes of a member are kept; the rest is decompressed
    and dropped, so a member of any size costs bounded memory.
    """
    reader = _Reader(stream)
    while True:
        offset = reader.position
        head = reader.peek(3)
        if not head:
            return
        member = _one_member(reader, limit) if head == _GZIP_MAGIC else "not a gzip member"
        if isinstance(member, tuple):
            yield (offset, *member)
            continue
        yield _Bad(offset, member)
        if member.startswith("truncated"):
            return  # the file ends inside this member
        following = _find(stream, offset + 1, re.compile(re.escape(_GZIP_MAGIC)),
                          lambda at: _gzip_record_starts_at(stream, at))  # fmt: skip
        if following < 0:
            return
        reader.seek(following)


def _one_member(reader: _Reader, limit: int) -> tuple[bytes, int] | str:
    """The member at the reader's position, or why it cannot be read."""
    decompressor = zlib.decompressobj(31)
    kept = bytearray()
    size = 0

    def keep(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        if len(kept) < limit:
            kept.extend(piece[: limit - len(kept)])

    try:
        while not decompressor.eof:
            data = reader.take()
            if not data:
                keep(decompressor.flush(_STEP))  # output zlib may still hold at the end
                if decompressor.eof:
                    break
                return "truncated gzip member at the end of the file"
            while data:
                keep(decompressor.decompress(data, _STEP))
                if decompressor.eof:
                    reader.push_back(decompressor.unused_data)
                    break
                data = decompressor.unconsumed_tail
    except zlib.error as exc:
        return f"corrupt gzip data ({exc})"
    return bytes(kept), size


def _records(stream: BinaryIO, limit: int) -> Iterator[_Record | _Bad]:
    """The records of an uncompressed stream, one after the other."""
    while True:
        start = stream.tell()
        line = stream.readline(_HEADER_LIMIT)
        while line in (b"\r\n", b"\n"):
            start = stream.tell()
            line = stream.readline(_HEADER_LIMIT)
        if not line:
            return
        record = _one_record(stream, start, line, limit)
        yield record
        if isinstance(record, _Bad):
            following = _find(stream, start + 1, _RECORD_START)
            if following < 0:
                return
            stream.seek(following)


def _one_record(stream: BinaryIO, start: int, first: bytes, limit: int) -> _Record | _Bad:
    if first.startswith(b"WARC/"):
        lines = [first]
        while True:
            line = stream.readline(_HEADER_LIMIT)
            if not line:
                return _Bad(start, "truncated WARC header at the end of the file")
            lines.append(line)
            if line in (b"\r\n", b"\n"):
                break
            if sum(map(len, lines)) > _HEADER_LIMIT:
                return _Bad(start, "WARC header longer than 64 KiB")
        header = b"".join(lines)
        match = re.search(rb"(?im)^content-length:[ \t]*(\d{1,15})[ \t]*\r?$", header)
        if match is None:
            return _Bad(start, "WARC header without a valid Content-Length")
        length, ending = int(match.group(1)), b"\r\n\r\n"
        response = re.search(rb"(?im)^warc-type:[ \t]*response[ \t]*\r?$", header) is not None
    elif _ARC_LINE.match(first):
        header, length, ending, response = first, int(first.split()[-1]), b"\n", True
    else:
        return _Bad(start, f"not a WARC or ARC record (starts {first[:40]!r})")
    if not response:  # requests, metadata, warcinfo…: skipped unread
        data, complete = b"", True
        stream.seek(start + len(header) + length)
    elif length > limit:
        data = header + stream.read(_HEADER_LIMIT)
        stream.seek(start + len(header) + length)
        complete = False
    else:
        block = stream.read(length)
        if len(block) < length:
            return _Bad(start, f"truncated record: {len(block):,} of {length:,} bytes")
        if not _digest_matches(header, block):
            return _Bad(start, "WARC-Block-Digest does not match the record: it is damaged")
        data, complete = header + block, True
    # A record ends with a blank line (WARC: CRLF CRLF; ARC: LF); its absence means
    # the length is wrong. Writers that use bare LFs are forgiven.
    after = stream.tell()
    trailer = stream.read(len(ending))
    newlines = len(trailer) - len(trailer.lstrip(b"\r\n"))
    if trailer and not newlines:
        return _Bad(start, f"Content-Length {length:,} does not end where the record does")
    stream.seek(after + newlines)
    return _Record(start, data, complete, response)


_BLOCK_DIGEST = re.compile(rb"(?im)^warc-block-digest:[ \t]*([a-z0-9-]+):([a-z0-9=]+)[ \t]*\r?$")


def _digest_matches(header: bytes, block: bytes) -> bool:
    """False only when the record carries a block digest it provably does not match."""
    match = _BLOCK_DIGEST.search(header)
    if match is None:
        return True
    algorithm = match.group(1).decode("ascii").lower().replace("-", "")
    if algorithm not in ("sha1", "sha256", "sha512", "md5"):
        return True  # a digest we cannot check says nothing
    digest = hashlib.new(algorithm, block).digest()
    given = match.group(2).decode("ascii")
    if len(given) == 2 * len(digest):
        return given.lower() == digest.hex()
    try:
        return base64.b32decode(given.upper() + "=" * (-len(given) % 8)) == digest
    except ValueError:
        return True


# --- 2.–4. records to documents --------------------------------------------------------------


def _parse(data: bytes) -> ArcWarcRecord:
    loader = ArcWarcRecordLoader(verify_http=False, arc2warc=True)
    return loader.parse_record_stream(BufferedReader(io.BytesIO(data)))


def _payload(record: ArcWarcRecord, limit: int) -> bytes:
    headers = record.http_headers
    stream = record.raw_stream
    if (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream)
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise BodyTooLarge(decompressed=False)
    return decode_body(raw, headers.get_header("Content-Encoding"), limit, lenient=True)


def _document(path: str, record: _Record, limit: int) -> RawDocument | InputError | None:
    if not record.response:
        return None
    source = f"{path}@{record.offset}"
    try:
        parsed = _parse(record.data)
    # warcio raises a dozen exception types on malformed records (its own, ValueError,
    # IndexError, EOFError…); whatever it is, it is this record's fault alone.
    except Exception as exc:
        return InputError(source, f"corrupt record at byte {record.offset} ({_describe(exc)})")
    if parsed.rec_type != "response" or parsed.http_headers is None:
        return None
    uri = parsed.rec_headers.get_header("WARC-Target-URI") or ""
    if not uri.lower().startswith(("http://", "https://")):
        return None
    if parsed.http_headers.get_statuscode() != "200":
        return None
    media_type, charset = parse_content_type(parsed.http_headers.get_header("Content-Type"))
    if media_type is not None and media_type not in _HTML_TYPES:
        return None
    if not record.complete:
        return InputError(source, f"HTML response of {uri} larger than max_bytes; skipped")
    try:
        body = _payload(parsed, limit)
        if media_type is None and not looks_like_html(body):
            return None
        text, encoding = decode_bytes(body, source, declared=charset)
    except BodyTooLarge:
        return InputError(source, f"HTML response of {uri} larger than max_bytes; skipped")
    except BodyEncodingError as exc:
        return InputError(source, f"response of {uri}: {exc}")
    except InputRejected as exc:
        return InputError(source, f"response of {uri}: {exc.reason}")
    except Exception as exc:  # warcio's chunked reader on a malformed body: see above
        return InputError(source, f"corrupt record at byte {record.offset} ({_describe(exc)})")
    if not text.strip():
        return InputError(source, f"response of {uri} is empty")
    date = parsed.rec_headers.get_header("WARC-Date") or ""
    return RawDocument(
        source=source,
        body=text,
        kind="html",
        content_hash=content_hash(body),
        url=normalize_url(uri),
        encoding=encoding,
        captured=date[:10] if _DATE.match(date) else None,
    )


def _describe(exc: Exception) -> str:
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _bad(path: str, bad: _Bad) -> InputError:
    return InputError(
        f"{path}@{bad.offset}",
        f"bad record at byte {bad.offset}: {bad.reason}; skipped, reading on",
    )


def read_archive(path: str, max_bytes: int = 20_000_000) -> Iterator[RawDocument | InputError]:
    """The HTML pages archived in a WARC or ARC file, gzipped or not; see the module doc."""
    with open(path, "rb") as stream:
        gzipped = stream.read(2) == _GZIP_MAGIC[:2]
        stream.seek(0)
        if not gzipped:
            items: Iterator[_Record | _Bad] = _records(stream, max_bytes)
        else:
            items = _member_records(stream, max_bytes)
        for item in items:
            if isinstance(item, _Bad):
                yield _bad(path, item)
                continue
            document = _document(path, item, max_bytes)
            if document is not None:
                yield document


def _member_records(stream: BinaryIO, limit: int) -> Iterator[_Record | _Bad]:
    """Records of every member of a gzipped archive, named by the member's offset."""
    for member in _gzip_members(stream, limit + _HEADER_LIMIT):
        if isinstance(member, _Bad):
            yield member
            continue
        offset, data, size = member
        for record in _records(io.BytesIO(data), limit):
            if size > len(data) and isinstance(record, _Bad) and record.offset > 0:
                # The member was cut at the cap: a record in it was cut, not corrupt.
                yield _Bad(
                    offset,
                    "gzip member larger than max_bytes (the file seems gzipped as a whole, not "
                    "record by record; `warcio recompress` fixes that); skipped the rest of it",
                )
                break
            yield (
                _Record(offset, record.data, record.complete, record.response)
                if isinstance(record, _Record)
                else _Bad(offset, record.reason)
            )
