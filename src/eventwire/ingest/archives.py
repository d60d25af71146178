"""Which inputs are web archives: known without loading the archive reader (warcio)."""

from __future__ import annotations

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)
