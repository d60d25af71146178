"""evaluate: results scored against gold files (``eventwire eval``).

Entry point: :func:`evaluate`. It runs the pipeline on each gold file's input and
returns counts per file and their micro-averaged total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from eventwire.errors import GoldFileError
from eventwire.evaluate.gold import Gold, read_gold
from eventwire.evaluate.scoring import Counts, score
from eventwire.ingest import read_sources
from eventwire.model import InputError, RawDocument
from eventwire.pipeline import Pipeline, process

__all__ = ["Evaluation", "evaluate", "read_gold"]


@dataclass(frozen=True, slots=True)
class Evaluation:
    files: tuple[tuple[Gold, Counts], ...]
    total: Counts
    published: str | None


def _document(gold: Gold, published: str | None) -> RawDocument:
    found: RawDocument | None = None
    for item in read_sources([str(gold.input)]):
        if isinstance(item, InputError):
            if gold.record is None:
                raise GoldFileError(f"{gold.path}: its input {item}")
            continue
        if (
            gold.record is None
            or item.doc_id == gold.record
            or item.source.endswith(f"#{gold.record}")
        ):
            found = item
            break
    if found is None:
        raise GoldFileError(f"{gold.path}: record {gold.record!r} not found in {gold.input}")
    return replace(found, published=published) if published else found


def evaluate(
    paths: Iterable[str | Path], pipeline: Pipeline, published: str | None = None
) -> Evaluation:
    """Score the pipeline on every gold file; GoldFileError names an unreadable one."""
    golds = [read_gold(path) for path in paths]
    documents = [_document(gold, published) for gold in golds]
    files: list[tuple[Gold, Counts]] = []
    total = Counts()
    for gold, result in zip(golds, process(documents, pipeline), strict=True):
        if isinstance(result, InputError):
            raise GoldFileError(f"{gold.path}: its input could not be processed: {result}")
        counts = score(result, gold, published=published is not None)
        files.append((gold, counts))
        total = total + counts
    return Evaluation(tuple(files), total, published)
