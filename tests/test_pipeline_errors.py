"""A failure of ours on one article is that article's error, never the end of a run.

The fault is injected into ``eventwire.pipeline.analyse`` for one article only: a
rule that raises on a sentence nobody foresaw must cost that article, with one line
naming it, and every other article is stored as usual.
"""

from __future__ import annotations

import pytest

import eventwire.pipeline as pipeline_module
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument
from eventwire.pipeline import Pipeline, ingest
from eventwire.store import open_store

pytestmark = pytest.mark.slow

TEXTS = {
    "first": "Russia and Belarus began joint military drills on Monday.",
    "broken": "Iran supplied drones to Russia, officials said on Tuesday.",
    "last": "Japan sent 50 tonnes of food aid to the Philippines on Wednesday.",
}


def documents() -> list[RawDocument]:
    return [
        RawDocument(
            source=name,
            body=text,
            kind="text",
            content_hash=content_hash(text.encode("utf-8")),
        )
        for name, text in TEXTS.items()
    ]


def test_an_internal_error_on_one_article_is_reported_and_the_run_goes_on(
    pipeline: Pipeline, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline_module.analyse

    def failing_on_one(article, doc, loaded):  # type: ignore[no-untyped-def]
        if article.source == "broken":
            raise IndexError("list index out of range")
        return real(article, doc, loaded)

    monkeypatch.setattr(pipeline_module, "analyse", failing_on_one)
    errors: list[InputError] = []
    with open_store(sqlite_url) as store:
        summary = ingest(documents(), pipeline, store, errors.append)
        stored = {
            name
            for name, doc in zip(TEXTS, documents(), strict=True)
            if store.has_content(doc.content_hash)
        }

    assert errors == [
        InputError(
            "broken", "internal error in event extraction (IndexError: list index out of range)"
        )
    ]
    assert (summary.stored, summary.failed) == (2, 1)
    assert stored == {"first", "last"}
