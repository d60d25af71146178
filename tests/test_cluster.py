"""cluster: near-duplicate articles and event clusters, on both backends.

The sweep is tested on hand-made reports; the stage on hand-built results stored
in real databases; syndication end to end through the real pipeline.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from datasketch import MinHashLSH
from sqlalchemy import delete, select, text

from eventwire.cluster import DuplicateIndex, update_clusters
from eventwire.cluster.duplicates import LSH_THRESHOLD, NUM_PERM
from eventwire.cluster.reports import Report
from eventwire.cluster.sweep import sweep
from eventwire.ingest.decode import content_hash
from eventwire.model import RawDocument, Result
from eventwire.pipeline import Pipeline, ingest
from eventwire.store import ClusterFilter, EventFilter, Store, open_store
from eventwire.store.bands import BANDS, ROWS
from eventwire.store.schema import article_bands, schema_migrations
from records import Spec, result

WINDOW = 3

# --- the sweep -----------------------------------------------------------------------------


def report(event_id: str, day: int, country: str | None = None, city: int | None = None) -> Report:
    return Report(event_id, "a1", "ASSAULT", ("RUS",), ("UKR",), "k", day, None, "reported",
                  country, city, None)  # fmt: skip


def groups_of(reports: list[Report]) -> list[list[str]]:
    return [[r.event_id for r in g] for g in sweep(reports, WINDOW)]


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        pytest.param([report("a", 10), report("b", 12)], [["a", "b"]], id="within-window"),
        pytest.param([report("a", 10), report("b", 13)], [["a", "b"]], id="window-inclusive"),
        pytest.param([report("a", 10), report("b", 14)], [["a"], ["b"]], id="beyond-window"),
        pytest.param(
            [report(x, d) for x, d in zip("abcdef", range(10, 16), strict=True)],
            [["a", "b", "c", "d"], ["e", "f"]],
            id="daily-reports-do-not-chain",
        ),
        pytest.param(
            [report("a", 10, "UKR"), report("b", 10, "POL")], [["a"], ["b"]], id="two-countries"
        ),
        pytest.param(
            [report("a", 10, "UKR"), report("b", 11, None), report("c", 11, "UKR")],
            [["a", "b", "c"]],
            id="unknown-place-fits",
        ),
        pytest.param(
            [report("a", 10, "UKR", 1), report("b", 10, "UKR", 2)], [["a"], ["b"]], id="two-cities"
        ),
    ],
)
def test_sweep_groups(reports: list[Report], expected: list[list[str]]) -> None:
    assert groups_of(reports) == expected


@pytest.mark.parametrize("seed", range(5), ids=lambda s: f"shuffle-{s}")
def test_sweep_does_not_depend_on_input_order(seed: int) -> None:
    days = [10, 11, 11, 13, 14, 15, 19, 20, 24]
    reports = [
        report(f"e{i}", d, random.Random(i).choice(["UKR", None])) for i, d in enumerate(days)
    ]
    shuffled = reports[:]
    random.Random(seed).shuffle(shuffled)

    assert groups_of(shuffled) == groups_of(reports)


# --- the stage over a database ------------------------------------------------------------

ATTACK = "Russia shelled Ukraine on Monday."
VISIT = "China hosted North Korea in Beijing."


def story(article_id: str, date: str, outlet: str, spec_sentence: str = ATTACK) -> Result:
    kind = ("ASSAULT", "shelled", ("RUS",), ("UKR",))
    if spec_sentence == VISIT:
        kind = ("CONSULT", "hosted", ("CHN",), ("PRK",))
    spec = Spec(spec_sentence, kind[1], kind[0], kind[2], kind[3], date=date)
    return result(article_id, [spec], site=outlet, filler=f"Reported by {outlet} ({article_id}).")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def clustered(store: Store) -> set[tuple[str, frozenset[str]]]:
    return {(c.id, frozenset(c.event_ids)) for c in store.clusters(ClusterFilter(limit=None))}


def add_all(store: Store, results: list[Result], each: bool) -> None:
    index = DuplicateIndex()
    for item in results:
        store.add(item)
        if each:
            update_clusters(store, WINDOW, index)
    update_clusters(store, WINDOW, index)


REPORTS = [
    story("a1", "2024-03-04", "Wire A"),
    story("a2", "2024-03-05", "Paper B"),
    story("a3", "2024-03-06", "Paper C"),
    story("a4", "2024-03-10", "Paper D"),  # more than 3 days after the first: a new event
    story("a5", "2024-03-05", "Paper E", VISIT),
    story("a6", "2024-03-03", "Paper F"),  # older than all: becomes the first report
]


def test_reports_of_one_event_form_one_cluster_listing_every_source(store: Store) -> None:
    add_all(store, REPORTS, each=True)

    by_type = {c.type: c for c in store.clusters(ClusterFilter(type="CONSULT"))}
    assert by_type["CONSULT"].sources == ("Paper E",)
    attacks = sorted(store.clusters(ClusterFilter(type="ASSAULT")), key=lambda c: c.date or "")
    assert [c.date for c in attacks] == ["2024-03-03", "2024-03-10"]
    first = attacks[0]
    assert first.sources == ("Paper B", "Paper C", "Paper F", "Wire A")
    assert first.article_ids == ("a1", "a2", "a3", "a6")
    assert (first.first_seen, first.date_last) == ("2024-03-05", "2024-03-06")
    assert first.status == "reported"
    assert store.unclustered() == []
    every_event = store.events(EventFilter(limit=None))
    assert all(e.cluster_id for e in every_event)
    assert {e.cluster_id for e in every_event if e.article_id in {"a1", "a2", "a3", "a6"}} == {
        first.id
    }


def test_reciprocal_reports_written_either_way_are_one_event_of_two_actors(store: Store) -> None:
    met = "Russia met Ukraine on Monday."
    both = "Russia and Ukraine met on Monday."
    specs = [
        Spec(met, "met", "CONSULT", ("RUS",), ("UKR",), reciprocal=True),
        Spec(both, "met", "CONSULT", ("RUS", "UKR"), (), reciprocal=True),
    ]
    add_all(store, [result(f"m{n}", [spec], site=f"Outlet {n}") for n, spec in enumerate(specs)],
            each=True)  # fmt: skip

    (cluster,) = store.clusters(ClusterFilter(type="CONSULT"))
    assert (cluster.actor_codes, cluster.recipient_codes) == (("RUS", "UKR"), ())
    assert len(cluster.event_ids) == 2
    for dyad in (("RUS", "UKR"), ("UKR", "RUS")):
        assert [c.id for c in store.clusters(ClusterFilter(dyad=dyad))] == [cluster.id]
        assert len(store.events(EventFilter(dyad=dyad))) == 2


def test_incremental_and_batch_clustering_agree(db_url: str, tmp_path: object) -> None:
    with open_store(db_url) as store:
        add_all(store, REPORTS, each=True)
        incremental = clustered(store)
    other = db_url
    if db_url.startswith("sqlite"):
        other = db_url.replace("eventwire.db", "batch.db")
    else:
        with open_store(db_url) as store, store.transaction("empty") as connection:
            for table in ("clusters", "event_actors", "events", "sentences", "article_signatures",
                          "articles", "meta"):  # fmt: skip
                connection.exec_driver_sql(f"DELETE FROM {table}")
    with open_store(other) as store:
        add_all(store, REPORTS, each=False)
        batch = clustered(store)

    assert incremental == batch


@pytest.mark.parametrize(
    "order",
    [pytest.param(p, id="-".join(str(i) for i in p)) for p in itertools.islice(
        itertools.permutations(range(len(REPORTS))), 0, 720, 240)],
)  # fmt: skip
def test_cluster_ids_do_not_depend_on_ingest_order(sqlite_url: str, order: tuple[int, ...]) -> None:
    with open_store(sqlite_url) as store:
        add_all(store, REPORTS, each=True)
        reference = clustered(store)
    with open_store(sqlite_url.replace("eventwire.db", "reordered.db")) as store:
        add_all(store, [REPORTS[i] for i in reversed(order)], each=True)

        assert clustered(store) == reference


def test_combined_status_counts_sources_per_status(store: Store) -> None:
    claims = [
        result(
            f"s{i}",
            [Spec(ATTACK, "shelled", "ASSAULT", ("RUS",), ("UKR",), status=status)],
            site=f"Outlet {i}",
            filler=f"Story {i}.",
        )
        for i, status in enumerate(["alleged", "reported", "reported", "reported"])
    ]
    add_all(store, claims, each=True)

    (cluster,) = store.clusters()
    assert cluster.status == "reported"
    assert dict(cluster.status_counts) == {"reported": 3, "alleged": 1}


def test_replacing_an_article_reclusters_its_events(store: Store) -> None:
    add_all(store, REPORTS[:3], each=True)
    moved = story("a2", "2024-03-20", "Paper B2")  # same id, new content: a later date

    add_all(store, [replace(moved)], each=True)

    dates = sorted((c.date, c.article_ids) for c in store.clusters(ClusterFilter(type="ASSAULT")))
    assert dates == [("2024-03-04", ("a1", "a3")), ("2024-03-20", ("a2",))]


def test_a_new_window_rebuilds_the_clusters(store: Store) -> None:
    add_all(store, REPORTS, each=False)
    assert len(store.clusters(ClusterFilter(type="ASSAULT"))) == 2

    update_clusters(store, 10)

    assert len(store.clusters(ClusterFilter(type="ASSAULT"))) == 1


# --- near-duplicates -------------------------------------------------------------------------

BODY = (
    "Russian forces shelled the Ukrainian city of Kharkiv overnight, regional officials "
    "said on Tuesday, damaging apartment blocks and a school near the city centre. "
    "Rescue teams searched the rubble for survivors as air raid sirens sounded again. "
    "The governor said at least four people were wounded and dozens of homes lost power. "
    "Moscow did not comment on the strikes, which came a day after talks in Geneva ended "
    "without agreement on a ceasefire."
)


def copy(number: int) -> str:
    """A lightly edited copy: another dateline, a changed word, a closing line."""
    edited = BODY.replace("overnight", "early on Tuesday" if number % 2 else "overnight")
    return f"KHARKIV (Outlet {number}) — {edited} Outlet {number} contributed to this report."


def raw(doc_id: str, text: str) -> RawDocument:
    return RawDocument(
        source=doc_id,
        body=text,
        kind="record",
        content_hash=content_hash(text.encode("utf-8")),
        doc_id=doc_id,
        published="2024-03-05",
    )


@pytest.mark.slow
def test_syndicated_copies_point_to_their_original_and_form_one_cluster(
    store: Store, pipeline: Pipeline
) -> None:
    outlets = 6
    documents = [raw(f"copy-{i}", copy(i)) for i in range(outlets)]
    documents.append(
        raw("other", "Poland and Ukraine signed a grain agreement in Warsaw on Monday.")
    )

    summary = ingest(documents, pipeline, store, on_error=lambda e: pytest.fail(str(e)))

    originals = {a["id"]: a["duplicate_of"] for a in store.iter_articles()}
    assert summary.copies == outlets - 1
    assert originals["other"] is None
    assert originals["copy-0"] is None  # the smallest id among equally dated copies
    assert {originals[f"copy-{i}"] for i in range(1, outlets)} == {"copy-0"}
    attack = [c for c in store.clusters() if "RUS" in c.actor_codes and c.type == "ASSAULT"]
    assert len(attack) == 1
    assert len(attack[0].article_ids) == outlets
    assert attack[0].independent == 1  # six reports, one original story


@pytest.mark.slow
def test_a_later_ingest_finds_copies_of_articles_stored_before(
    db_url: str, pipeline: Pipeline
) -> None:
    with open_store(db_url) as store:
        ingest([raw("first", copy(0))], pipeline, store, on_error=lambda e: pytest.fail(str(e)))
    with open_store(db_url) as store:  # a new run: the index is rebuilt from the database
        ingest([raw("second", copy(1))], pipeline, store, on_error=lambda e: pytest.fail(str(e)))

        originals = {a["id"]: a["duplicate_of"] for a in store.iter_articles()}
    assert originals == {"first": None, "second": "first"}


def test_an_older_copy_takes_the_place_of_the_original(store: Store) -> None:
    add_all(store, _older_copy_pair(), each=True)

    originals = {a["id"]: a["duplicate_of"] for a in store.iter_articles()}
    assert originals == {"early": None, "late": "early"}


def _older_copy_pair() -> list[Result]:
    late = result("late", [Spec(ATTACK, "shelled", "ASSAULT", ("RUS",), ("UKR",))],
                  published="2024-03-06", filler=BODY)  # fmt: skip
    early = result("early", [Spec(ATTACK, "shelled", "ASSAULT", ("RUS",), ("UKR",))],
                   published="2024-03-04", filler=BODY + " Updated.")  # fmt: skip
    return [late, early]


def _bands(store: Store) -> set[tuple[str, int, int]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(article_bands.c.article_id, article_bands.c.band, article_bands.c.value)
        )
        return {(a, b, v) for a, b, v in rows}


def test_the_band_split_is_the_one_datasketch_chooses_for_the_lsh_threshold() -> None:
    chosen = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (chosen.b, chosen.r) == (BANDS, ROWS)


def test_only_originals_are_indexed_by_band(store: Store) -> None:
    add_all(store, _older_copy_pair(), each=True)

    assert {article for article, _, _ in _bands(store)} == {"early"}
    assert len(_bands(store)) == BANDS


def test_upgrading_a_store_indexes_the_originals_it_holds(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        add_all(store, _older_copy_pair(), each=True)
        before = _bands(store)
        with store.engine.begin() as connection:  # the database as 0007 left it
            connection.execute(text("DROP TABLE article_bands"))
            connection.execute(
                delete(schema_migrations).where(
                    schema_migrations.c.name == "0008_near_duplicate_bands"
                )
            )

    with open_store(sqlite_url) as store:
        assert _bands(store) == before
