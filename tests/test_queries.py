"""Queries over a stored corpus of hand-built events, on both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from eventwire.cluster import update_clusters
from eventwire.model import Cluster, Event
from eventwire.store import ClusterFilter, EventFilter, Store, open_store
from records import CORPUS

EVERYTHING = [e for r in CORPUS for e in r.events]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        for item in CORPUS:
            opened.add(item)
        update_clusters(opened, 3)
        yield opened


def _codes(actors: object) -> set[str | None]:
    return {a.code for a in actors}  # type: ignore[attr-defined]


FILTERS = [
    pytest.param(EventFilter(mode="drone"), lambda e: e.mode == "drone", id="mode"),
    pytest.param(EventFilter(context="military"), lambda e: "military" in e.context, id="context"),
    pytest.param(EventFilter(country="ukr"), lambda e: e.location.country == "UKR", id="country"),
    pytest.param(EventFilter(place="kharkiv"), lambda e: e.location.name == "Kharkiv", id="place"),
    pytest.param(
        EventFilter(text="sanctions"), lambda e: "sanctions" in e.sentence.text, id="text"
    ),
    pytest.param(
        EventFilter(text="MISSILE Iran"),
        lambda e: "missile" in e.sentence.text,
        id="text-all-words-any-case",
    ),
    pytest.param(
        EventFilter(text="shell"), lambda e: "shelled" in e.sentence.text, id="text-word-start"
    ),
    pytest.param(
        EventFilter(dyad=("UKR", "RUS"), since="2024-03-10"),
        lambda e: e.type == "ASSAULT" and e.date.value >= "2024-03-10",
        id="dyad-and-dates",
    ),
    pytest.param(
        EventFilter(actor="USA", context="economic"), lambda e: e.type == "SANCTION", id="combined"
    ),
]


@pytest.mark.parametrize(("where", "matches"), FILTERS)
def test_event_filters(store: Store, where: EventFilter, matches: Callable[[Event], bool]) -> None:
    expected = {e.id for e in EVERYTHING if matches(e)}
    assert expected
    assert len(expected) < len(EVERYTHING)

    assert {e.id for e in store.events(where)} == expected


def test_events_of_one_cluster(store: Store) -> None:
    (kharkiv,) = store.clusters(ClusterFilter(country="UKR"))

    found = store.events(EventFilter(cluster_id=kharkiv.id))

    assert sorted(e.article_id for e in found) == ["k1", "k2"]


CLUSTER_FILTERS = [
    pytest.param(ClusterFilter(actor="RUS"), {"k1", "k3"}, id="actor"),
    pytest.param(ClusterFilter(recipient="IRN"), {"k5"}, id="recipient"),
    pytest.param(ClusterFilter(dyad=("UKR", "USA")), {"k1-aid"}, id="dyad-reversed"),
    pytest.param(ClusterFilter(dyad=("PRK", "CHN")), {"k4"}, id="dyad-reciprocal"),
    pytest.param(ClusterFilter(type="assault"), {"k1", "k3"}, id="type"),
    pytest.param(ClusterFilter(min_sources=2), {"k1"}, id="min-sources"),
    pytest.param(ClusterFilter(since="2024-03"), {"k1", "k1-aid", "k3"}, id="since"),
    pytest.param(ClusterFilter(until="2024-02"), {"k4", "k5"}, id="until"),
    pytest.param(ClusterFilter(status="reported", country="CHN"), {"k4"}, id="status-country"),
]


def _label(cluster: Cluster) -> str:
    return cluster.article_ids[0] + ("-aid" if cluster.type == "AID" else "")


@pytest.mark.parametrize(("where", "expected"), CLUSTER_FILTERS)
def test_cluster_filters(store: Store, where: ClusterFilter, expected: set[str]) -> None:
    assert {_label(c) for c in store.clusters(where)} == expected


def test_actor_summary(store: Store) -> None:
    summary = store.actor_summary("ukr")

    assert (summary.code, summary.name) == ("UKR", "Ukraine")
    assert (summary.events, summary.clusters, summary.as_recipient) == (4, 3, 4)
    assert [(c.code, c.events, c.clusters) for c in summary.counterparts] == [
        ("RUS", 3, 2),
        ("USA", 1, 1),
    ]
    assert [(p.period, p.type, p.clusters) for p in summary.by_type] == [
        ("2024-03", "AID", 1),
        ("2024-03", "ASSAULT", 2),
    ]
    # one aid (+10), two assaults (-9, drone -9 or its mode score): one month, mean score
    (march,) = summary.scores
    assert march.clusters == 3
    assert -10 <= march.score < 0


def test_top_actors_count_real_events(store: Store) -> None:
    top = {a.code: (a.events, a.clusters) for a in store.top_actors()}

    assert top["RUS"] == (3, 2)
    assert top["USA"] == (2, 2)


def test_trending_dyads_compare_the_period_with_its_baseline(store: Store) -> None:
    trends = store.trending_dyads(end="2024-03-31", days=7, baseline_days=28)

    assert [(t.a, t.b, t.current, t.baseline) for t in trends] == [("RUS", "UKR", 1, 1)]
    assert trends[0].score == round(2 / (1 * 7 / 28 + 1), 2)


def test_trends_default_to_the_latest_event_date(store: Store) -> None:
    assert store.trending_dyads() == store.trending_dyads(end="2024-03-28")
