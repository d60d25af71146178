"""URLs as sources: recognising them, normalising them, reading lists of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag

from eventwire.model import InputError

# "scheme://": a URL, whatever the scheme; the fetcher refuses all but http and https
# with a message that says so, rather than "no such file".
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def normalize_url(url: str) -> str:
    """The form of ``url`` used to recognise one article under several URLs.

    courlan lower-cases scheme and host, drops default ports, sorts the query and
    removes tracking parameters (utm_*, fbclid…); the fragment is dropped too. A URL
    courlan cannot parse is returned unchanged.
    """
    import courlan  # here: it loads urllib3 and a TLD list, which reading files never needs

    try:
        normalized = courlan.normalize_url(url.strip(), strict=False)
    except ValueError:
        return url.strip()
    return urldefrag(normalized)[0]


def read_url_list(path: str) -> Iterator[str | InputError]:
    """The URLs in a file, one per line; blank lines and lines starting with ``#`` are skipped.

    A line that is not a URL is an InputError naming ``path:line``.
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                url = line.strip()
                if not url or url.startswith("#"):  # a URL may hold "#": whole-line comments only
                    continue
                if is_url(url):
                    yield url
                else:
                    yield InputError(f"{path}:{number}", f"not a URL: {url[:80]!r}")
    except OSError as exc:
        yield InputError(path, f"cannot read the URL list ({exc.strerror or exc})")
