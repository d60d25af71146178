"""Response bodies with a hard cap on the bytes they decompress to.

httpx would decompress each network chunk in one go, and 64 KB of gzip can hold
64 MB of zeros. Here every ``decompress`` call is told how much it may produce
(``max_length``), so memory never exceeds the cap by more than one small chunk,
however the body was built. WARC reading uses the same decoder for the
Content-Encoding of archived responses.
"""

from __future__ import annotations

import zlib

# Content-Encoding values eventwire asks for and decodes (Accept-Encoding).
ACCEPT_ENCODING = "gzip, deflate"
_STEP = 1 << 16  # bytes of output per decompress call


class BodyTooLarge(Exception):
    """Internal: the body passed the cap; the caller words the error."""

    def __init__(self, decompressed: bool) -> None:
        super().__init__("decompressed" if decompressed else "raw")
        self.decompressed = decompressed


class BodyEncodingError(Exception):
    """Internal: the body is not valid for its Content-Encoding."""


class UnsupportedEncoding(BodyEncodingError):
    pass


def _decompressor(encoding: str, raw_deflate: bool = False) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        # RFC 9110 deflate is zlib-wrapped; some servers send raw deflate instead.
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)
    raise UnsupportedEncoding(f"unsupported Content-Encoding {encoding!r}")


class BoundedBody:
    """Collects a body chunk by chunk, decoding its Content-Encoding, up to ``limit`` bytes.

    ``feed`` raises :class:`BodyTooLarge` as soon as either the raw or the decoded
    size passes ``limit``; :meth:`finish` returns the decoded bytes.
    """

    def __init__(self, content_encoding: str | None, limit: int, *, lenient: bool = False) -> None:
        encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
        encodings = [e for e in encodings if e != "identity"]
        if len(encodings) > 1:
            raise UnsupportedEncoding(f"stacked Content-Encoding {content_encoding!r}")
        self._encoding = encodings[0] if encodings else ""
        self._decoder = _decompressor(self._encoding)
        self._limit = limit
        # lenient: a body that is not compressed at all despite its header is taken as is
        # (archives often store the decoded body and keep the original header).
        self._lenient = lenient
        self._raw = 0
        self._chunks: list[bytes] = []
        self._size = 0
        self._started = False  # the decoder has produced output: the encoding is right
        self._pending = b""
        self._raw_deflate = False

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self._size += len(data)
        if self._size > self._limit:
            raise BodyTooLarge(decompressed=self._decoder is not None)
        self._chunks.append(data)

    def _decode(self, data: bytes) -> None:
        decoder = self._decoder
        assert decoder is not None
        while data:
            if decoder.eof:
                # A second gzip member (concatenated gzip) starts after the first.
                rest = decoder.unused_data + data
                if not rest.strip(b"\0"):
                    return
                decoder = self._decoder = _decompressor(self._encoding)
                assert decoder is not None
                data = rest
            # Small steps: zlib allocates max_length for its output at once.
            out = decoder.decompress(data, min(_STEP, self._limit - self._size + 1))
            self._keep(out)
            data = decoder.unconsumed_tail
            if decoder.eof:
                data = decoder.unused_data + data

    def feed(self, data: bytes) -> None:
        self._raw += len(data)
        if self._raw > self._limit:
            raise BodyTooLarge(decompressed=False)
        if self._decoder is None:
            self._keep(data)
            return
        if not self._started:
            self._pending += data  # every raw byte so far, in case a fallback needs them
        try:
            self._decode(data)
        except zlib.error as exc:
            if self._started:
                raise BodyEncodingError(f"corrupt {self._encoding} data ({exc})") from None
            self._fall_back(exc)
            return
        if self._size:
            self._started, self._pending = True, b""

    def _fall_back(self, exc: zlib.error) -> None:
        """Nothing decoded yet and the data is not what the header says: try the alternatives."""
        raw, self._pending = self._pending, b""
        if self._encoding == "deflate" and not self._raw_deflate:
            self._raw_deflate = True
            self._decoder = _decompressor("deflate", raw_deflate=True)
            try:
                self._decode(raw)
            except zlib.error:
                pass
            else:
                self._started = self._size > 0
                self._pending = b"" if self._started else raw
                return
        if self._lenient:
            self._decoder = None
            self._keep(raw)
            return
        raise BodyEncodingError(f"corrupt {self._encoding} data ({exc})") from None

    def finish(self) -> bytes:
        """The decoded body; raises BodyEncodingError for a truncated compressed body."""
        decoder = self._decoder
        if decoder is not None:
            try:
                self._keep(decoder.flush(self._limit - self._size + 1))
            except zlib.error as exc:
                raise BodyEncodingError(f"corrupt {self._encoding} data ({exc})") from None
            if not decoder.eof and self._raw:
                if self._lenient and not self._started:
                    return self._pending
                raise BodyEncodingError(f"truncated {self._encoding} data")
        return b"".join(self._chunks)


def decode_body(data: bytes, content_encoding: str | None, limit: int, lenient: bool) -> bytes:
    """``data`` decoded from ``content_encoding``; raises BodyTooLarge / BodyEncodingError."""
    body = BoundedBody(content_encoding, limit, lenient=lenient)
    for start in range(0, len(data), _STEP):
        body.feed(data[start : start + _STEP])
    return body.finish()
