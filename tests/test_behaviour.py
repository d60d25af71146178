"""Event-coding behaviour, one short case per behaviour (``cases/behaviour.toml``).

Each case runs as its own test, named by its id. Cases the extractor does not
pass yet are listed in ``cases/known_failures.txt`` and run as strict expected
failures: fixing one makes the suite fail until the list is updated, so the list
only shrinks.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Event, InputError, RawDocument
from eventwire.pipeline import Pipeline, process

CASES_DIR = Path(__file__).parent / "cases"
CASES: list[dict[str, Any]] = tomllib.loads((CASES_DIR / "behaviour.toml").read_text("utf-8"))[
    "case"
]
KNOWN_FAILURES = {
    line.split("#")[0].strip()
    for line in (CASES_DIR / "known_failures.txt").read_text("utf-8").splitlines()
    if line.split("#")[0].strip()
}


def _codes(actors: tuple[Any, ...]) -> set[str]:
    return {a.code for a in actors if a.code}


def _names(actors: tuple[Any, ...]) -> set[str]:
    return {a.code or (a.name or a.text) for a in actors}


def _agrees(event: Event, expected: dict[str, Any]) -> bool:
    """Type, parties and every other field the case states."""
    if event.type not in {expected["type"], *expected.get("alt_types", [])}:
        return False
    actors, recipients = _codes(event.actor), _codes(event.recipient)
    wanted_actors, wanted_recipients = set(expected["actor"]), set(expected["recipient"])
    if expected.get("reciprocal"):
        if actors | recipients != wanted_actors | wanted_recipients:
            return False
    elif actors != wanted_actors or recipients != wanted_recipients:
        return False
    checks = {
        "status": lambda v: event.status == v,
        "mode": lambda v: event.mode == v,
        "attributed_to": lambda v: _names(event.attributed_to) == set(v),
        "denied_by": lambda v: _codes(event.denied_by) == set(v),
        "date": lambda v: bool(event.date.value and event.date.value.startswith(v)),
        "place_country": lambda v: event.location.country == v,
    }
    return all(check(expected[key]) for key, check in checks.items() if key in expected)


def _describe(events: tuple[Event, ...]) -> str:
    return "; ".join(
        f"{e.type}/{e.mode} {e.status} {sorted(_codes(e.actor))}→{sorted(_codes(e.recipient))} "
        f"attr={sorted(_names(e.attributed_to))} denied={sorted(_codes(e.denied_by))} "
        f"date={e.date.value} place={e.location.country} ({e.rule})"
        for e in events
    )


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case["id"] in KNOWN_FAILURES:
            marks.append(
                pytest.mark.xfail(strict=True, reason="known failure (cases/known_failures.txt)")
            )
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


def test_known_failures_name_real_cases() -> None:
    assert {case["id"] for case in CASES} >= KNOWN_FAILURES


@pytest.mark.slow
@pytest.mark.parametrize("case", _params())
def test_case(case: dict[str, Any], pipeline: Pipeline) -> None:
    document = RawDocument(
        source=case["id"], body=case["text"], kind="record", content_hash=case["id"],
        published=case.get("published"),
    )  # fmt: skip
    (result,) = process([document], pipeline)
    assert not isinstance(result, InputError), result
    expected: list[dict[str, Any]] = case.get("events", [])
    remaining = list(result.events)
    for wanted in expected:
        match = next((e for e in remaining if _agrees(e, wanted)), None)
        assert match is not None, f"expected {wanted}; extracted: {_describe(result.events)}"
        remaining.remove(match)
    if case.get("exact", True):
        assert not remaining, f"unexpected events: {_describe(tuple(remaining))}"
