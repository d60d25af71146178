"""Watchlist rules: made and checked, read from TOML files and from the database,
matched against clusters, and alerts once per cluster (SQLite and PostgreSQL).

The clusters come from hand-built results (tests/records.py), so each test says
exactly which reports exist; the feed-to-alert path with the real pipeline is in
test_watch.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.cluster import update_clusters
from eventwire.errors import ConfigError
from eventwire.model import Cluster, Result
from eventwire.store import Store, open_store
from eventwire.watch import (
    Output,
    Rule,
    active_rules,
    add_rule,
    alerts_since,
    check_clusters,
    get_rule,
    last_alert_id,
    latest_alerts,
    list_rules,
    load_rules_file,
    make_rule,
    remove_rule,
    rule_matches,
    wait_for_alerts,
)
from records import Spec, result

SHELL = "Russia shelled Ukraine near Kharkiv on Monday."


def cluster(**changes: object) -> Cluster:
    values: dict[str, object] = {
        "id": "cl_1",
        "type": "ASSAULT",
        "actor_codes": ("RUS",),
        "recipient_codes": ("UKR",),
        "date": "2024-03-04",
        "country": "UKR",
        "status": "reported",
        "event_ids": ("ev_1", "ev_2"),
        "article_ids": ("a1", "a2"),
        "sources": ("Paper B", "Wire A"),
    }
    values.update(changes)
    return Cluster(**values)  # type: ignore[arg-type]


# --- making rules ------------------------------------------------------------------------------


def test_a_rule_is_normalised() -> None:
    rule = make_rule(
        "ru-ua",
        actors=["rus"],
        dyads="rus,ukr",
        types=["assault"],
        modes=["Aerial"],
        statuses=["Alleged"],
        countries=["ukr"],
        min_sources=2,
        outputs=["stdout", "jsonl:/tmp/a.jsonl", "webhook:https://hooks.example/x"],
    )

    assert rule == Rule(
        name="ru-ua",
        actors=("RUS",),
        dyads=(("RUS", "UKR"),),
        types=("ASSAULT",),
        modes=("aerial",),
        statuses=("alleged",),
        countries=("UKR",),
        min_sources=2,
        outputs=(
            Output("stdout"),
            Output("jsonl", "/tmp/a.jsonl"),
            Output("webhook", "https://hooks.example/x"),
        ),
    )
    assert rule.describe() == (
        "actor RUS, dyad RUS-UKR, type ASSAULT, mode aerial, status alleged, country UKR, "
        "2+ sources"
    )


@pytest.mark.parametrize(
    ("written", "pairs"),
    [
        pytest.param("RUS,UKR", (("RUS", "UKR"),), id="comma"),
        pytest.param("RUS-UKR", (("RUS", "UKR"),), id="dash"),
        pytest.param(["RUS", "UKR"], (("RUS", "UKR"),), id="pair"),
        pytest.param([["RUS", "UKR"], "USA,CHN"], (("RUS", "UKR"), ("USA", "CHN")), id="list"),
    ],
)
def test_dyads_can_be_written_several_ways(written: object, pairs: object) -> None:
    assert make_rule("r", dyads=written).dyads == pairs


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"name": " "}, "rule name", id="empty-name"),
        pytest.param({"types": ["ASSAULTT"]}, "unknown event type 'ASSAULTT'", id="type"),
        pytest.param({"statuses": ["rumoured"]}, "unknown status 'rumoured'", id="status"),
        pytest.param({"modes": ["catapult"]}, "unknown mode 'catapult'", id="mode"),
        pytest.param({"actors": ["R U S"]}, "actor 'R U S' is not a code", id="actor"),
        pytest.param({"dyads": "RUS"}, "dyad 'RUS' is not two codes", id="dyad"),
        pytest.param({"min_sources": -1}, "min_sources", id="min-sources"),
        pytest.param({"outputs": ["email:x@y"]}, "not stdout, jsonl:PATH", id="output"),
        pytest.param({"outputs": ["webhook:ftp://x"]}, "not an http or https URL", id="webhook"),
    ],
)
def test_bad_rules_say_what_is_wrong(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"name": "r", **changes}
    name = arguments.pop("name")

    with pytest.raises(ConfigError, match=message):
        make_rule(name, **arguments)  # type: ignore[arg-type]


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "matches"),
    [
        pytest.param({}, True, id="no-filter"),
        pytest.param({"actors": ["RUS"]}, True, id="actor"),
        pytest.param({"actors": ["UKR"]}, False, id="actor-is-recipient"),
        pytest.param({"recipients": ["UKR", "POL"]}, True, id="any-recipient"),
        pytest.param({"dyads": "UKR,RUS"}, True, id="dyad-either-direction"),
        pytest.param({"dyads": "RUS,POL"}, False, id="other-dyad"),
        pytest.param({"types": ["ASSAULT", "COERCE"]}, True, id="type"),
        pytest.param({"types": ["AID"]}, False, id="other-type"),
        pytest.param({"modes": ["aerial"]}, True, id="mode-of-a-report"),
        pytest.param({"modes": ["firearms"]}, False, id="other-mode"),
        pytest.param({"statuses": ["reported"]}, True, id="status"),
        pytest.param({"statuses": ["alleged"]}, False, id="other-status"),
        pytest.param({"countries": ["UKR"]}, True, id="country"),
        pytest.param({"min_sources": 2}, True, id="enough-sources"),
        pytest.param({"min_sources": 3}, False, id="too-few-sources"),
        pytest.param({"actors": ["RUS"], "types": ["AID"]}, False, id="all-filters-must-hold"),
    ],
)
def test_a_rule_matches_a_cluster(filters: dict[str, object], matches: bool) -> None:
    rule = make_rule("r", **filters)  # type: ignore[arg-type]

    assert rule_matches(rule, cluster(), {"aerial"}) is matches


# --- rules files -------------------------------------------------------------------------------


def test_a_rules_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        """
[[rule]]
name = "ru-ua-attacks"
dyads = [["RUS", "UKR"]]
types = ["ASSAULT"]
min_sources = 2
jsonl = "alerts.jsonl"
webhook = "https://hooks.example/eventwire"

[[rule]]
name = "anything-iran"
actors = "IRN"
""",
        encoding="utf-8",
    )

    first, second = load_rules_file(path)

    assert first.outputs == (
        Output("jsonl", str(tmp_path / "alerts.jsonl")),
        Output("webhook", "https://hooks.example/eventwire"),
    )
    assert (first.dyads, first.types, first.min_sources) == ((("RUS", "UKR"),), ("ASSAULT",), 2)
    assert (second.actors, second.outputs) == (("IRN",), (Output("stdout"),))
    assert first.origin == str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("[[rule]]\nname = 'x'\nactor = 'RUS'\n", "unknown keys actor", id="typo"),
        pytest.param("[[rule]]\nactors = ['RUS']\n", "needs a name", id="no-name"),
        pytest.param("[[rule]]\nname = 'x'\n[[rule]]\nname = 'x'\n", "x repeated", id="twice"),
        pytest.param("rule = 3\n", "holds \\[\\[rule\\]\\] tables only", id="not-tables"),
        pytest.param("[[rule]\n", "not a valid TOML file", id="broken"),
        pytest.param("[[rule]]\nname = 'x'\ntypes = ['NOPE']\n", "rule 'x': unknown", id="type"),
    ],
)
def test_a_bad_rules_file_is_one_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError, match=message) as caught:
        load_rules_file(path)

    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


# --- rules in the database ---------------------------------------------------------------------


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def test_rules_are_kept_in_the_database(store: Store) -> None:
    rule = make_rule("ru", actors=["RUS"], outputs=["webhook:https://hooks.example/x"])

    add_rule(store, rule)

    assert list_rules(store) == [rule]
    assert get_rule(store, "ru") == rule
    with pytest.raises(ConfigError, match="exists"):
        add_rule(store, make_rule("ru"))
    add_rule(store, make_rule("ru", actors=["UKR"]), replace=True)
    assert list_rules(store)[0].actors == ("UKR",)
    assert remove_rule(store, "ru") is True
    assert remove_rule(store, "ru") is False
    assert list_rules(store) == []


def test_file_and_database_rules_are_merged_and_the_file_wins(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[[rule]]\nname = 'shared'\nactors = ['USA']\n", encoding="utf-8")
    add_rule(store, make_rule("shared", actors=["RUS"]))
    add_rule(store, make_rule("stored", actors=["CHN"]))

    rules = active_rules(store, path)

    assert [(r.name, r.actors, r.origin) for r in rules] == [
        ("shared", ("USA",), str(path)),
        ("stored", ("CHN",), "database"),
    ]


# --- alerts once per cluster -------------------------------------------------------------------


def report(article_id: str, status: str = "reported", date: str = "2024-03-04") -> Result:
    spec = Spec(SHELL, "shelled", "ASSAULT", ("RUS",), ("UKR",), status=status, date=date,
                country="UKR")  # fmt: skip
    return result(article_id, [spec], site=f"Outlet {article_id}", filler=f"By {article_id}.")


def ingest(store: Store, *results: Result) -> list[str]:
    """Store and cluster; the ids of the clusters the new reports are in."""
    for item in results:
        store.add(item)
    update_clusters(store, 3)
    ids = {e.id for item in results for e in item.events}
    return sorted({c.id for c in store.clusters() if ids & set(c.event_ids)})


RULE = make_rule("ru-ua", dyads="RUS,UKR", types=["ASSAULT"])


def test_a_cluster_alerts_once_however_many_reports_join_it(store: Store) -> None:
    first = check_clusters(store, [RULE], ingest(store, report("a1")))
    again = check_clusters(store, [RULE], ingest(store, report("a2"), report("a3")))

    assert [(a.kind, a.rule, a.n_sources) for a in first] == [("new", "ru-ua", 1)]
    assert again == []
    assert len(alerts_since(store)) == 1
    payload = first[0].payload
    assert payload["id"] == first[0].id
    assert payload["summary"] == "ASSAULT RUS → UKR, 2024-03-04 in UKR: reported (1 source)"
    assert payload["evidence"]["sentence"] == SHELL
    assert payload["evidence"]["trigger"] == "shelled"


def test_an_earlier_report_that_changes_the_cluster_id_makes_no_new_alert(store: Store) -> None:
    (before,) = check_clusters(store, [RULE], ingest(store, report("a2", date="2024-03-05")))

    (after_id,) = ingest(store, report("a1", date="2024-03-04"))

    assert after_id != before.cluster_id  # the earliest report anchors the cluster
    assert check_clusters(store, [RULE], [after_id]) == []


def test_a_status_change_is_one_update(store: Store) -> None:
    rule = make_rule("watch", dyads="RUS,UKR", statuses=["alleged"])
    (new,) = check_clusters(store, [rule], ingest(store, report("a1", "alleged")))
    # Two more outlets report it as fact: the combined status becomes "reported".
    (update,) = check_clusters(store, [rule], ingest(store, report("a2"), report("a3")))
    more = check_clusters(store, [rule], ingest(store, report("a4")))

    assert (new.kind, new.status) == ("new", "alleged")
    assert (update.kind, update.status, update.first_alert) == ("update", "reported", new.id)
    assert update.payload["previous_status"] == "alleged"
    assert more == []


def test_each_rule_alerts_on_its_own(store: Store) -> None:
    rules = [RULE, make_rule("russia", actors=["RUS"]), make_rule("aid", types=["AID"])]

    made = check_clusters(store, rules, ingest(store, report("a1")))

    assert sorted(a.rule for a in made) == ["ru-ua", "russia"]


def test_an_alert_has_a_pending_delivery_per_output(store: Store) -> None:
    rule = make_rule("r", actors=["RUS"], outputs=["stdout", "webhook:https://hooks.example/x"])

    (alert,) = check_clusters(store, [rule], ingest(store, report("a1")))

    assert [(d.output, d.state, d.attempts) for d in alert.deliveries] == [
        ("stdout", "pending", 0),
        ("webhook:https://hooks.example/x", "pending", 0),
    ]


def test_alerts_are_listed_since_an_id_and_newest_first(store: Store) -> None:
    rules = [make_rule(f"r{i}", actors=["RUS"]) for i in range(3)]
    made = check_clusters(store, rules, ingest(store, report("a1")))

    assert [a.id for a in alerts_since(store, made[0].id)] == [a.id for a in made[1:]]
    assert [a.id for a in latest_alerts(store, limit=2)] == [made[2].id, made[1].id]
    assert [a.rule for a in alerts_since(store, rule="r1")] == ["r1"]
    assert last_alert_id(store) == made[2].id
    assert json.loads(json.dumps(made[0].payload)) == made[0].payload


def test_waiting_for_alerts_returns_as_soon_as_one_is_made(store: Store) -> None:
    start = last_alert_id(store)
    clusters = ingest(store, report("a1"))
    timer = threading.Timer(0.3, check_clusters, (store, [RULE], clusters))
    began = time.monotonic()
    timer.start()

    found = wait_for_alerts(store, start, timeout=10, poll_interval=5)

    timer.join()
    assert [a.rule for a in found] == ["ru-ua"]
    assert time.monotonic() - began < 4  # woken by the alert, not by the poll interval
    assert wait_for_alerts(store, found[0].id, timeout=0.2) == []
