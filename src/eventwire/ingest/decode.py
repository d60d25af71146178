"""Bytes to text: encoding detection, mojibake repair and a guard against binary files."""

from __future__ import annotations

import hashlib
import re

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


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text in any encoding (images, archives, executables)."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False  # a byte-order mark: UTF-16/32 text may hold NULs
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode ``data`` and repair mojibake; returns (text, encoding) or raises InputRejected."""
    if looks_binary(data):
        raise InputRejected(source, "binary content, not text or HTML")
    text: str | None = None
    encoding = ""
    for candidate in ("utf_8_sig", _declared_charset(data)):
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
