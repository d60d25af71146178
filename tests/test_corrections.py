"""Corrections: stored apart, applied over extraction, surviving re-ingest, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from eventwire.cluster import update_clusters
from eventwire.errors import ConfigError, StoreError
from eventwire.store import ClusterFilter, EventFilter, Store, open_store
from eventwire.store.corrections import parse_changes
from records import Spec, result

ATTACK = Spec("Russia shelled Ukraine on Monday.", "shelled", "ASSAULT", ("RUS",), ("UKR",))
AID = Spec("China sent aid to Poland on Monday.", "sent", "AID", ("CHN",), ("POL",))
STORY = result("story", [ATTACK, AID])


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        opened.add(STORY)
        update_clusters(opened, 3)
        yield opened


def attack_id() -> str:
    return STORY.events[0].id


@pytest.mark.parametrize(
    ("action", "changes", "check"),
    [
        pytest.param("confirm", {}, lambda e: e.correction == "confirmed", id="confirm"),
        pytest.param("reject", {}, lambda e: e.correction == "rejected", id="reject"),
        pytest.param(
            "set",
            {"type": "COERCE", "status": "alleged"},
            lambda e: (e.type, e.status, e.correction) == ("COERCE", "alleged", "edited"),
            id="set-type-status",
        ),
        pytest.param(
            "set",
            {"actor": ["USA", "RUS"]},
            lambda e: (
                [a.code for a in e.actor] == ["USA", "RUS"] and e.actor[1].rule == "correction.v1"
            ),
            id="set-actors",
        ),
        pytest.param(
            "set",
            {"date": "2024-02", "country": "UKR", "context": ["military"]},
            lambda e: (
                (e.date.value, e.date.precision, e.location.country, e.context)
                == ("2024-02", "month", "UKR", ("military",))
            ),
            id="set-date-place-context",
        ),
    ],
)
def test_a_correction_changes_the_stored_event(
    store: Store, action: str, changes: dict[str, object], check: object
) -> None:
    corrected = store.correct(attack_id(), action, changes, note="checked the source")

    assert check(corrected)  # type: ignore[operator]
    (entry,) = store.corrections(attack_id())
    assert (entry.action, dict(entry.changes), entry.note) == (
        action,
        changes,
        "checked the source",
    )


def test_corrections_are_visible_to_queries_and_clusters(store: Store) -> None:
    store.correct(attack_id(), "set", {"type": "COERCE", "recipient": ["POL"]})
    update_clusters(store, 3)

    (found,) = store.events(EventFilter(type="COERCE"))
    assert found.id == attack_id()
    assert store.events(EventFilter(dyad=("RUS", "UKR"))) == []
    (cluster,) = store.clusters(ClusterFilter(type="COERCE"))
    assert cluster.event_ids == (attack_id(),)
    assert store.clusters(ClusterFilter(type="ASSAULT")) == []


def test_rejected_events_leave_queries_clusters_and_summaries(store: Store) -> None:
    store.correct(attack_id(), "reject")
    update_clusters(store, 3)

    assert [e.id for e in store.events()] == [STORY.events[1].id]
    assert [e.id for e in store.events(EventFilter(include_rejected=True, type="ASSAULT"))] == [
        attack_id()
    ]
    assert store.clusters(ClusterFilter(type="ASSAULT")) == []
    assert store.actor_summary("RUS").events == 0
    assert store.unclustered() == []


def test_a_later_correction_wins_over_an_earlier_one(store: Store) -> None:
    store.correct(attack_id(), "reject")
    store.correct(attack_id(), "set", {"status": "denied"})
    corrected = store.correct(attack_id(), "confirm")

    assert (corrected.correction, corrected.status) == ("confirmed", "denied")


def test_corrections_survive_re_ingest_of_new_content(store: Store) -> None:
    store.correct(attack_id(), "set", {"type": "COERCE"})
    # The same article id with a changed second sentence: the attack is extracted again.
    revised = result("story", [ATTACK, replace(AID, sentence="China sent aid to Poland today.")])
    assert revised.events[0].id == attack_id()
    assert store.add(STORY) is False  # the same content changes nothing

    assert store.add(revised) is True
    update_clusters(store, 3)

    (again,) = store.events(EventFilter(article_id="story", type="COERCE"))
    assert (again.id, again.correction) == (attack_id(), "edited")
    assert store.unclustered() == []


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        pytest.param(["type=BOMB"], "not a PLOVER type", id="unknown-type"),
        pytest.param(["status=maybe"], "use one of", id="unknown-status"),
        pytest.param(["actor=ru ssia"], "not an actor code", id="bad-code"),
        pytest.param(["context=weather"], "not a PLOVER context", id="unknown-context"),
        pytest.param(["date=2024-13-01"], "not a calendar date", id="bad-date"),
        pytest.param(["colour=red"], "FIELD=VALUE", id="unknown-field"),
        pytest.param(["type"], "FIELD=VALUE", id="no-value"),
    ],
)
def test_bad_changes_are_refused(pairs: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_changes(pairs)


def test_a_mode_must_fit_the_type(store: Store) -> None:
    with pytest.raises(ConfigError, match="does not go with ASSAULT"):
        store.correct(attack_id(), "set", {"mode": "visit"})

    assert store.corrections(attack_id()) == []


def test_correcting_an_unknown_event_names_it(store: Store) -> None:
    with pytest.raises(StoreError, match="no event ev_nothing"):
        store.correct("ev_nothing", "confirm")


@pytest.mark.slow
def test_the_correct_command_then_export_shows_the_flag(run_cli: object, sqlite_url: str) -> None:
    with open_store(sqlite_url) as opened:
        opened.add(STORY)
        update_clusters(opened, 3)
    db = ["--db", sqlite_url]

    code, stdout, stderr = run_cli("correct", attack_id()[:10], "--set", "type=COERCE",  # type: ignore[operator]
                                   "--set", "actor=RUS,BLR", *db)  # fmt: skip
    assert code == 0, stderr
    assert json.loads(stdout)["correction"] == "edited"
    code, stdout, stderr = run_cli("export", "--format", "jsonl", *db)  # type: ignore[operator]
    assert code == 0, stderr
    exported = {r["id"]: r for r in map(json.loads, stdout.splitlines())}
    assert exported[attack_id()]["type"] == "COERCE"
    assert [a["code"] for a in exported[attack_id()]["actor"]] == ["RUS", "BLR"]
    assert exported[attack_id()]["correction"] == "edited"
    code, _, stderr = run_cli("correct", attack_id(), "--confirm", "--reject", *db)  # type: ignore[operator]
    assert code == 2
    assert "exactly one" in stderr
