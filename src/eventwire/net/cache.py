"""An on-disk cache for conditional GET: re-polling an unchanged feed costs one 304.

A response that carries an ETag or Last-Modified is kept as two files named after
the hash of its URL: the body, and a small JSON record of its validators and
type. The next request for the URL sends If-None-Match / If-Modified-Since; a 304
answer is served from the files. Files are replaced atomically, so a killed run
or a concurrent reader never sees half an entry. A cache that cannot be read or
written is skipped, never an error: it only saves traffic.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("eventwire.net")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    url: str
    etag: str | None
    last_modified: str | None
    media_type: str | None
    charset: str | None
    body: bytes


class HttpCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.directory / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def load(self, url: str) -> CachedResponse | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if (
            not isinstance(meta, dict)
            or meta.get("url") != url
            or meta.get("sha256") != _digest(body)
        ):
            return None  # another URL with the same hash prefix, or a torn pair of files
        return CachedResponse(
            url=url,
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            media_type=meta.get("media_type"),
            charset=meta.get("charset"),
            body=body,
        )

    @staticmethod
    def validators(entry: CachedResponse) -> dict[str, str]:
        headers = {}
        if entry.etag:
            headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            headers["If-Modified-Since"] = entry.last_modified
        return headers

    def store(self, entry: CachedResponse) -> None:
        if not (entry.etag or entry.last_modified):
            return  # nothing to revalidate with
        meta_path, body_path = self._paths(entry.url)
        meta = {
            "url": entry.url,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "media_type": entry.media_type,
            "charset": entry.charset,
            "sha256": _digest(entry.body),
        }
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(body_path, entry.body)
            _write_atomically(meta_path, json.dumps(meta).encode("utf-8"))
        except OSError as exc:
            log.warning("HTTP cache %s not written: %s", self.directory, exc)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
