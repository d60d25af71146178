"""Raise the evaluation floors in tests/quality_floors.json to today's scores.

Floors only move up: a score below its floor is reported and the floor is kept.
Run after an improvement:  .venv/bin/python tools/raise_floors.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from eventwire.config import load_settings
from eventwire.evaluate import evaluate
from eventwire.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parents[1]

# A little slack below today's score, so that harmless changes in the spaCy
# model's float arithmetic do not fail the gate.
SLACK = 0.005


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_quality_gate import FLOORS, _suites  # the gate defines the suites

    pipeline = build_pipeline(load_settings())
    path = ROOT / "tests" / "quality_floors.json"
    for suite, (paths, published) in _suites().items():
        scores = evaluate(paths, pipeline, published).total.scores()
        floors = FLOORS["suites"].setdefault(suite, {})
        for name in floors:
            score = scores[name]
            if score is None:
                continue
            candidate = math.floor((score - SLACK) * 1000) / 1000
            if candidate > floors[name]:
                print(f"{suite}.{name}: {floors[name]} -> {candidate}")
                floors[name] = candidate
            elif score < floors[name]:
                print(f"{suite}.{name}: score {score} is BELOW its floor {floors[name]}")
    path.write_text(json.dumps(FLOORS, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
