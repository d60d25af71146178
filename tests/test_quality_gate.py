"""Evaluation gate: scores on the reference page and the sample corpus never drop.

The floors live in ``quality_floors.json``. Raise them when the extractor gets
better (``tools/raise_floors.py`` writes the current scores, rounded down); never
lower them to make a change pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEED_DIR
from eventwire.evaluate import evaluate
from eventwire.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text("utf-8"))
SEED = SEED_DIR / "putin-north-korea.gold.json"
CORPUS = sorted((ROOT / "src" / "eventwire" / "sample" / "corpus").glob("*.gold.json"))


def _suites() -> dict[str, tuple[list[Path], str | None]]:
    return {
        "seed": ([SEED], None),
        "seed_published": ([SEED], "2023-09-14"),
        "sample_corpus": (CORPUS, None),
    }


@pytest.mark.slow
@pytest.mark.parametrize("suite", sorted(FLOORS["suites"]))
def test_scores_stay_above_floors(suite: str, pipeline: Pipeline) -> None:
    paths, published = _suites()[suite]
    if not all(p.exists() for p in paths):
        pytest.skip(f"gold files for {suite} are not present")
    scores = evaluate(paths, pipeline, published).total.scores()
    below = {
        name: (scores[name], floor)
        for name, floor in FLOORS["suites"][suite].items()
        if scores[name] is None or scores[name] < floor
    }
    assert not below, f"{suite}: scores below their floors (score, floor): {below}"


def test_floors_are_known_scores() -> None:
    from eventwire.evaluate.scoring import Counts

    known = set(Counts().scores())
    for suite, floors in FLOORS["suites"].items():
        assert set(floors) <= known, f"{suite}: unknown score names {set(floors) - known}"
        assert all(0.0 <= value <= 1.0 for value in floors.values())
