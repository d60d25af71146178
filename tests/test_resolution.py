"""Actor and place resolution, one short case per mention (``cases/resolution.toml``).

Each case runs a short text through the whole pipeline and checks how ONE mention in
it was resolved: its code, and its sector and canonical name when the case gives
them (``category = "place"``: the place's country and gazetteer name). A case with
``code = ""`` is a hard negative: the mention must stay unresolved.

Cases the resolver does not pass yet are listed in
``cases/resolution_known_failures.txt`` and run as strict expected failures, so the
list only shrinks. On top of that, overall and per-category accuracy may never drop
below the floors pinned in ``resolution_floors.json``.

``python tests/test_resolution.py`` prints today's accuracy and the failing cases.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Actor, InputError, RawDocument, Result
from eventwire.pipeline import Pipeline, process

CASES_DIR = Path(__file__).parent / "cases"
CASES: list[dict[str, Any]] = tomllib.loads((CASES_DIR / "resolution.toml").read_text("utf-8"))[
    "case"
]
KNOWN_FAILURES = {
    line.split("#")[0].strip()
    for line in (CASES_DIR / "resolution_known_failures.txt").read_text("utf-8").splitlines()
    if line.split("#")[0].strip()
}
FLOORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "resolution_floors.json").read_text("utf-8")
)
CATEGORIES = (
    "people-dates",
    "metonym",
    "state",
    "organisation",
    "group",
    "role",
    "apposition",
    "coreference",
    "place",
    "negative",
)
_KEYS = {"id", "category", "text", "published", "mention", "code", "sector", "name"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")

# Results of the pipeline by case id: every case is processed once per session, by
# its own test or, in one batch, by the accuracy gate.
_RESULTS: dict[str, Result | InputError] = {}


def _norm(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no leading article."""
    text = " ".join(text.replace("\u2019", "'").lower().split())
    return _LEADING_ARTICLE.sub("", text)


def _fold(text: str) -> str:
    """Case and accents ignored: names are compared as "Antonio Guterres"."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _is_mention_of(found: str, wanted: str) -> bool:
    """The extracted text is the wanted one, or ends with it at a word boundary:
    "Russia's ambassador to the US, Anatoly Antonov" is a mention of "Anatoly Antonov"."""
    found, wanted = _norm(found), _norm(wanted)
    if found == wanted:
        return True
    return found.endswith(wanted) and not found[-len(wanted) - 1].isalnum()


def _expected_codes(case: dict[str, Any]) -> set[str]:
    code = case["code"]
    return set(code) if isinstance(code, list) else ({code} if code else set())


def _spans(result: Result, wanted: str) -> list[list[Actor]]:
    """The actors of every extracted mention of ``wanted``, one list per text span."""
    spans: dict[tuple[int, int], list[Actor]] = {}
    for actor in result.mentions:
        if _is_mention_of(actor.text, wanted):
            spans.setdefault((actor.start, actor.end), []).append(actor)
    return list(spans.values())


def _describe_actors(actors: Iterable[Actor]) -> str:
    return "; ".join(
        f"{a.text!r} → {a.code}/{a.sector} {a.name!r} ({a.rule}"
        + (f" ← {a.antecedent!r})" if a.antecedent else ")")
        for a in actors
    )


def _check_place(case: dict[str, Any], result: Result) -> tuple[bool, str]:
    places = [p for p in result.places if p.text and _is_mention_of(p.text, case["mention"])]
    ok = any(
        p.country == case["code"]
        and ("name" not in case or _fold(p.name or "") == _fold(case["name"]))
        for p in places
    )
    found = "; ".join(
        f"{p.text!r} → {p.name} {p.country} {p.precision} ({p.basis})" for p in result.places
    )
    return ok, f"places: {found or 'none'}"


def _agrees(case: dict[str, Any], wanted: set[str], span: list[Actor]) -> bool:
    """Exactly the wanted codes; the sector on every actor; the name on one of them."""
    return (
        {a.code for a in span} == wanted
        and ("sector" not in case or all(a.sector == case["sector"] for a in span))
        and ("name" not in case or any(_fold(a.name or "") == _fold(case["name"]) for a in span))
    )


def _check_actor(case: dict[str, Any], result: Result) -> tuple[bool, str]:
    spans = _spans(result, case["mention"])
    wanted = _expected_codes(case)
    if not wanted:
        ok = not any(a.code for span in spans for a in span)
    else:
        ok = any(_agrees(case, wanted, span) for span in spans)
    return ok, f"mentions: {_describe_actors(result.mentions) or 'none'}"


def check(case: dict[str, Any], result: Result | InputError) -> tuple[bool, str]:
    """Whether the case holds on ``result``, and what was extracted (for messages)."""
    if isinstance(result, InputError):
        return False, f"the text was rejected: {result.reason}"
    if case["category"] == "place":
        return _check_place(case, result)
    return _check_actor(case, result)


def _document(case: dict[str, Any]) -> RawDocument:
    return RawDocument(
        source=case["id"],
        body=case["text"],
        kind="record",
        content_hash=case["id"],
        published=case.get("published"),
    )


def results_for(cases: list[dict[str, Any]], pipeline: Pipeline) -> dict[str, Result | InputError]:
    """Pipeline results for ``cases``, processing in one batch those not seen yet."""
    missing = [case for case in cases if case["id"] not in _RESULTS]
    for case, result in zip(
        missing, process([_document(c) for c in missing], pipeline), strict=True
    ):
        _RESULTS[case["id"]] = result
    return {case["id"]: _RESULTS[case["id"]] for case in cases}


def accuracy(outcomes: dict[str, bool]) -> dict[str, float]:
    """Share of cases that hold: overall and per category."""
    by_category: dict[str, list[bool]] = {}
    for case in CASES:
        by_category.setdefault(case["category"], []).append(outcomes[case["id"]])
    scores = {"overall": sum(outcomes.values()) / len(outcomes)}
    scores.update({name: sum(oks) / len(oks) for name, oks in sorted(by_category.items())})
    return scores


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case["id"] in KNOWN_FAILURES:
            marks.append(
                pytest.mark.xfail(
                    strict=True, reason="known failure (cases/resolution_known_failures.txt)"
                )
            )
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


# Fast checks on the case file itself ------------------------------------------------------


def test_cases_are_well_formed() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for case in CASES:
        where = case.get("id", case)
        assert _ID.match(case["id"]), f"{where}: ids are kebab-case"
        assert set(case) <= _KEYS, f"{where}: unknown keys {set(case) - _KEYS}"
        assert {"text", "mention", "code", "category"} <= set(case), f"{where}: missing keys"
        assert case["category"] in CATEGORIES, f"{where}: unknown category"
        assert _norm(case["mention"]) in _norm(case["text"]), f"{where}: mention not in text"
        if "published" in case:
            date.fromisoformat(case["published"])
        codes = case["code"] if isinstance(case["code"], list) else [case["code"]]
        assert all(isinstance(c, str) for c in codes), f"{where}: codes are strings"
        if case["category"] == "negative":
            assert case["code"] == "", f'{where}: negatives expect code = ""'


def test_known_failures_name_real_cases() -> None:
    assert {case["id"] for case in CASES} >= KNOWN_FAILURES


def test_floors_cover_every_category() -> None:
    floors = FLOORS["floors"]
    assert set(floors) == {"overall", *CATEGORIES}
    assert all(0.0 <= value <= 1.0 for value in floors.values())


# The cases ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", _params())
def test_case(case: dict[str, Any], pipeline: Pipeline) -> None:
    result = results_for([case], pipeline)[case["id"]]
    ok, found = check(case, result)
    wanted = {k: case[k] for k in ("mention", "code", "sector", "name") if k in case}
    assert ok, f"expected {wanted}; {found}"


@pytest.mark.slow
def test_accuracy_stays_above_floors(pipeline: Pipeline) -> None:
    results = results_for(CASES, pipeline)
    outcomes = {case["id"]: check(case, results[case["id"]])[0] for case in CASES}
    scores = accuracy(outcomes)
    below = {
        name: (round(scores[name], 4), floor)
        for name, floor in FLOORS["floors"].items()
        if scores[name] < floor
    }
    assert not below, f"resolution accuracy below its floors (score, floor): {below}"


if __name__ == "__main__":
    from eventwire.config import load_settings
    from eventwire.pipeline import build_pipeline

    results = results_for(CASES, build_pipeline(load_settings({}, environ={})))
    outcomes = {}
    for case in CASES:
        ok, found = check(case, results[case["id"]])
        outcomes[case["id"]] = ok
        if not ok:
            print(f"FAIL {case['id']}: {found}")
    for name, score in accuracy(outcomes).items():
        print(f"{name:>14}  {score:.4f}")
