"""Ingest from the web app: pasted text, an uploaded file, a URL — through the library.

Pasted text becomes a document like standard input does; an uploaded file is
written to a private temporary folder under its own (cleaned) name and read by
:func:`eventwire.ingest.read_sources`, so every format ``eventwire ingest`` reads
works here too; a URL goes through the guarded fetcher (:mod:`eventwire.net`),
which refuses non-public addresses unless ``allow_hosts`` names them. The spaCy
pipeline is loaded on the first ingest, not at start, so ``serve`` starts fast.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from eventwire.config import Settings
from eventwire.errors import ConfigError
from eventwire.ingest.decode import content_hash
from eventwire.ingest.urls import is_url
from eventwire.model import InputError, RawDocument
from eventwire.store import Store
from eventwire.store.browsing import article_with_content

if TYPE_CHECKING:
    from eventwire.pipeline import Pipeline


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    article_ids: tuple[str, ...]  # every article the inputs gave, newly stored or not
    stored: int
    unchanged: int
    events: int  # events in the newly stored articles
    errors: tuple[str, ...]  # one line per input that could not be processed


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """An uploaded file's name, reduced to a harmless base name that keeps its suffix."""
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._")
    return base[-100:] or "upload.txt"


class Ingester:
    """Runs the pipeline for the web app; one ingest at a time."""

    def __init__(self, store: Store, settings: Settings, pipeline: Pipeline | None = None):
        self.store = store
        self.settings = settings
        self._pipeline = pipeline
        self._loading = threading.Lock()

    def pipeline(self) -> Pipeline:
        with self._loading:
            if self._pipeline is None:
                from eventwire.pipeline import build_pipeline

                self._pipeline = build_pipeline(self.settings)
            return self._pipeline

    def text(
        self,
        text: str,
        title: str | None = None,
        published: str | None = None,
        url: str | None = None,
    ) -> IngestOutcome:
        if not text.strip():
            raise ConfigError("the text is empty: paste an article")
        data = text.encode("utf-8")
        document = RawDocument(
            source="pasted text",
            body=text,
            kind="text",
            content_hash=content_hash(data),
            url=url,
            title=title,
            published=published,
        )
        return self._run([document])

    def file(self, name: str, data: bytes, published: str | None = None) -> IngestOutcome:
        from eventwire.ingest import read_sources

        filename = safe_filename(name)
        with tempfile.TemporaryDirectory(prefix="eventwire-upload-") as folder:
            path = Path(folder) / filename
            path.write_bytes(data)

            def named() -> Iterator[RawDocument | InputError]:
                # Messages and stored sources name the upload, not the temporary path.
                for item in read_sources([str(path)], max_bytes=self.settings.max_bytes):
                    source = item.source.replace(str(path), f"upload:{filename}")
                    if isinstance(item, InputError):
                        yield InputError(source, item.reason)
                    else:
                        yield replace(item, source=source, published=published or item.published)

            return self._run(named())

    def url(self, url: str, published: str | None = None) -> IngestOutcome:
        from eventwire.ingest import read_sources
        from eventwire.net import Fetcher, FetchPolicy

        url = url.strip()
        if not is_url(url):
            raise ConfigError(f"{url!r} is not an http or https URL")
        with Fetcher(FetchPolicy.from_settings(self.settings)) as fetcher:
            documents = read_sources([url], max_bytes=self.settings.max_bytes, fetcher=fetcher)
            return self._run(
                replace(d, published=published) if published and isinstance(d, RawDocument) else d
                for d in documents
            )

    def _run(self, documents: Iterable[RawDocument | InputError]) -> IngestOutcome:
        from eventwire.pipeline import ingest

        hashes: list[str] = []
        errors: list[str] = []

        def seen(items: Iterable[RawDocument | InputError]) -> Iterator[RawDocument | InputError]:
            for item in items:
                if isinstance(item, RawDocument):
                    hashes.append(item.content_hash)
                yield item

        summary = ingest(
            seen(documents),
            self.pipeline(),
            self.store,
            on_error=lambda error: errors.append(str(error)),
        )
        with self.store.reading("find ingested articles") as connection:
            found = [article_with_content(connection, h) for h in dict.fromkeys(hashes)]
        return IngestOutcome(
            article_ids=tuple(a for a in found if a is not None),
            stored=summary.stored,
            unchanged=summary.unchanged,
            events=summary.events,
            errors=tuple(errors),
        )
