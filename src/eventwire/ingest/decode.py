"""Bytes to text: encoding detection, mojibake repair and a guard against binary files."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import charset_normalizer
import ftfy

from eventwire.errors import InputRejected

# When several encodings decode a page equally well, news in English is far more
# often in one of these; charset-normalizer alone tends to pick Central European
# code pages for cp1252 text ("naïve" → "naďve").
_PREFERRED = ("utf_8", "cp1252", "iso8859_15", "latin_1", "utf_16", "utf_32")

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I
)

# Quotes and dashes are kept exactly as written: offsets and quotes must match the page.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_HTML_MARKERS = (b"<html", b"<!doctype html", b"<body", b"<head", b"<article", b"<div", b"<p>")


def looks_like_html(data: bytes) -> bool:
    """Whether the start of ``data`` has the tags of a page (for inputs with no type)."""
    head = data[:4096].lower().lstrip()
    return any(marker in head for marker in _HTML_MARKERS)


# Every byte but the control characters that never occur in text.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text in any encoding (images, archives, executables)."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False  # a byte-order mark: UTF-16/32 text may hold NULs
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # in C: pages run to megabytes
    return controls / len(sample) > 0.05


# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do
# the pages that declare them: their bytes 0x80–0x9F are curly quotes and dashes.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"})


def _usable_charset(name: str | None) -> str | None:
    """``name`` as a Python codec name, or None when Python does not know it."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _AS_CP1252:
        return "cp1252"
    try:
        "".encode(name)
    except (LookupError, ValueError):
        return None
    return name


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return _usable_charset(match.group(1).decode("ascii", "replace"))


def _candidates(data: bytes, declared: str | None) -> Iterator[str | None]:
    """Encodings to try, in order; the page's meta charset is searched only if needed."""
    yield "utf_8_sig"
    yield _usable_charset(declared)
    yield _declared_charset(data)


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and repair mojibake; returns (text, encoding) or raises InputRejected.

    UTF-8 is tried first (bytes that decode as UTF-8 almost always are), then the
    charset ``declared`` by the server (HTTP Content-Type), then the page's own meta
    charset, then detection: servers and pages often declare the wrong charset.
    """
    if looks_binary(data):
        raise InputRejected(source, "binary content, not text or HTML")
    text: str | None = None
    encoding = ""
    for candidate in _candidates(data, declared):
        if candidate is None:
            continue
        try:
            text, encoding = data.decode(candidate), candidate
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        matches = list(charset_normalizer.from_bytes(data[:200_000]))
        if not matches:
            raise InputRejected(source, "cannot detect the text encoding")
        best = min(
            matches,
            key=lambda m: (
                round(m.chaos, 2),
                _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else len(_PREFERRED),
                -m.coherence,
            ),
        )
        encoding = best.encoding
        text = data.decode(encoding, errors="replace")
    return ftfy.fix_text(text, _FTFY), encoding.replace("utf_8_sig", "utf_8")
