"""store: the database, against a real SQLite file and a real PostgreSQL database.

Results are made by the real pipeline, so the expected rows and filter answers are
computed from the ``Result`` itself rather than written down; the fixture texts are
chosen so that every filter has something to find.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from eventwire.errors import StoreError
from eventwire.ingest.decode import content_hash
from eventwire.model import Actor, Event, RawDocument, Result
from eventwire.pipeline import Pipeline, process
from eventwire.store import EventFilter, Store, open_store
from eventwire.store.migrations import MIGRATIONS, migrate
from eventwire.store.rows import COLUMNS, ROW_TABLES, as_values, row_values, rows_of
from eventwire.store.schema import metadata, schema_migrations

FIRST_TEXT = (
    "Russian forces shelled Kharkiv on Monday, Ukrainian officials said. "
    "Ukraine accused Russia of attacking civilians. "
    "China and Russia signed a trade agreement in Beijing on 3 March 2024. "
    "The United States imposed sanctions on Iran last week."
)
REVISED_TEXT = (
    "Russian forces shelled Kharkiv on Tuesday, Ukrainian officials said. "
    "Russia denied attacking civilians."
)
OTHER_TEXT = "Ukraine and Poland signed a grain agreement in Warsaw on 1 February 2024."
PUBLISHED = "2024-03-14"

TABLES = ("articles", "sentences", "events", "event_actors", "mentions")


def run(pipeline: Pipeline, doc_id: str, text: str) -> Result:
    document = RawDocument(
        source=doc_id,
        body=text,
        kind="record",
        content_hash=content_hash(text.encode("utf-8")),
        doc_id=doc_id,
        published=PUBLISHED,
    )
    (result,) = process([document], pipeline)
    assert isinstance(result, Result), result
    return result


@pytest.fixture(scope="module")
def first(pipeline: Pipeline) -> Result:
    return run(pipeline, "story-1", FIRST_TEXT)


@pytest.fixture(scope="module")
def revised(pipeline: Pipeline) -> Result:
    return run(pipeline, "story-1", REVISED_TEXT)


@pytest.fixture(scope="module")
def other(pipeline: Pipeline) -> Result:
    return run(pipeline, "story-2", OTHER_TEXT)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def expected_counts(*results: Result) -> dict[str, int]:
    return {
        "articles": len(results),
        "sentences": sum(len(r.sentences) for r in results),
        "events": sum(len(r.events) for r in results),
        "event_actors": sum(
            len(e.actor) + len(e.recipient) + len(e.attributed_to) + len(e.denied_by)
            for r in results
            for e in r.events
        ),
        "mentions": sum(len(r.mentions) for r in results),
    }


# --- opening and migrating ---------------------------------------------------------------


def test_open_store_creates_the_schema_and_records_every_migration(db_url: str) -> None:
    open_store(db_url).close()

    engine = create_engine(db_url)
    try:
        assert set(TABLES) | {"schema_migrations", "places"} <= set(
            inspect(engine).get_table_names()
        )
        with engine.connect() as connection:
            rows = connection.execute(select(schema_migrations)).all()
    finally:
        engine.dispose()
    assert sorted(row.name for row in rows) == sorted(name for name, _ in MIGRATIONS)
    assert all(row.applied_at for row in rows)


@pytest.mark.slow
def test_reopening_a_store_applies_nothing_and_keeps_the_data(db_url: str, first: Result) -> None:
    with open_store(db_url) as store:
        store.add(first)

    with open_store(db_url) as store:
        with store.engine.begin() as connection:
            assert migrate(connection) == []
        assert store.counts() == expected_counts(first)


# --- adding results ----------------------------------------------------------------------


@pytest.mark.slow
def test_add_stores_the_article_and_all_its_rows(store: Store, first: Result) -> None:
    assert first.events, "the fixture text must give events"

    assert store.add(first) is True

    assert store.counts() == expected_counts(first)
    assert store.has_content(first.article.content_hash)
    (row,) = store.iter_articles()
    article = first.article
    assert (row["id"], row["content_hash"], row["text"], row["published"]) == (
        article.id,
        article.content_hash,
        article.text,
        article.published,
    )


def test_the_values_of_each_row_name_columns_of_its_table() -> None:
    # Rows are written as bare values in rows.COLUMNS order: a column renamed or added
    # to the schema must show up here, not as values stored under the wrong name.
    filled_later = {
        "articles": {"duplicate_of"},  # near-duplicate detection
        "events": {"cluster_key"},  # clustering
        "event_links": {"id"},  # the database numbers them
    }
    for table, columns in COLUMNS.items():
        in_schema = [c.name for c in metadata.tables[table].columns]
        assert len(set(columns)) == len(columns), table
        assert set(columns) <= set(in_schema), table
        assert set(in_schema) - set(columns) == filled_later.get(table, set()), table
    assert set(COLUMNS) == set(ROW_TABLES)


def test_rows_keyed_by_name_and_rows_as_values_are_the_same_rows(first: Result) -> None:
    values = row_values(first)
    by_name = rows_of(first)
    for table in ROW_TABLES:
        assert as_values(table, by_name[table]) == values[table]
    (event_row,) = [r for r in by_name["events"] if r["id"] == first.events[0].id]
    assert event_row["type"] == first.events[0].type
    assert event_row["sentence_idx"] == first.events[0].sentence.index
    assert by_name["articles"][0]["text"] == first.article.text


def test_stored_contents_names_only_the_hashes_already_stored(
    store: Store, first: Result, other: Result
) -> None:
    store.add(first)
    stored = first.article.content_hash
    unknown = other.article.content_hash

    assert store.stored_contents([unknown, stored, stored]) == {stored}
    assert store.stored_contents([]) == set()
    assert store.stored_contents([unknown]) == set()


@pytest.mark.slow
def test_adding_the_same_result_again_changes_nothing(store: Store, first: Result) -> None:
    store.add(first)
    before = store.counts()
    (stored_before,) = store.iter_articles()

    assert store.add(first) is False

    assert store.counts() == before
    (stored_after,) = store.iter_articles()
    assert stored_after == stored_before  # not even ingested_at is rewritten


def test_a_batch_stores_each_result_as_add_would(
    store: Store, first: Result, revised: Result, other: Result
) -> None:
    store.add(other)

    # other: already stored; first twice: the second is the same content; revised:
    # new content under first's id, which replaces it within the same transaction.
    outcomes = store.add_batch([other, first, first, revised])

    assert outcomes == [False, True, False, True]
    assert store.counts() == expected_counts(revised, other)
    assert {row["id"]: row["text"] for row in store.iter_articles()} == {
        "story-1": REVISED_TEXT,
        "story-2": OTHER_TEXT,
    }


def test_a_batch_that_fails_stores_nothing_and_says_which_article(
    store: Store, first: Result, other: Result
) -> None:
    # Two events with one id cannot both be stored: the article is refused whole,
    # and so is its batch (the caller stops, as after a failed add).
    broken = replace(other, events=(other.events[0], other.events[0]))

    with pytest.raises(StoreError, match="story-2"):
        store.add_batch([first, broken])

    assert store.counts()["articles"] == 1  # first, stored again on its own before broken
    assert not store.has_content(other.article.content_hash)


@pytest.mark.slow
def test_new_content_under_the_same_article_id_replaces_the_old_rows(
    store: Store, first: Result, revised: Result, other: Result
) -> None:
    assert first.article.id == revised.article.id
    assert first.article.content_hash != revised.article.content_hash
    store.add(first)
    store.add(other)

    assert store.add(revised) is True

    assert store.counts() == expected_counts(revised, other)
    assert not store.has_content(first.article.content_hash)
    texts = {row["id"]: row["text"] for row in store.iter_articles()}
    assert texts == {"story-1": REVISED_TEXT, "story-2": OTHER_TEXT}
    stored = {e.id for e in store.events(EventFilter(article_id="story-1", limit=None))}
    assert stored == {e.id for e in revised.events}


@pytest.mark.slow
def test_new_content_already_stored_under_another_id_is_refused_cleanly(
    store: Store, first: Result, other: Result
) -> None:
    # The same id with the content of the other article: the content is already stored.
    conflicting = replace(
        other, article=replace(other.article, id=first.article.id, source=first.article.source)
    )
    store.add(first)
    store.add(other)
    before = store.counts()

    try:
        added = store.add(conflicting)
    except StoreError:
        added = False

    assert added is False
    assert store.counts() == before


# --- reading events back ----------------------------------------------------------------


@pytest.fixture
def filled(store: Store, first: Result, other: Result) -> Store:
    store.add(first)
    store.add(other)
    return store


@pytest.mark.slow
def test_events_round_trip_every_field(filled: Store, first: Result, other: Result) -> None:
    originals = {e.id: e for e in (*first.events, *other.events)}

    stored = {e.id: e for e in filled.events(EventFilter(limit=None))}

    assert stored.keys() == originals.keys()
    for event_id, event in stored.items():
        assert event == originals[event_id], event_id


@pytest.mark.slow
def test_events_keep_the_offsets_of_their_place(filled: Store, first: Result) -> None:
    located = [e for e in first.events if e.location.start is not None]
    assert located, "the fixture text must give an event with a place mention"

    stored = {e.id: e for e in filled.events(EventFilter(limit=None))}

    assert [stored[e.id].location for e in located] == [e.location for e in located]


def _codes(actors: tuple[Actor, ...]) -> set[str | None]:
    return {a.code for a in actors}


def _dated(test: Callable[[str], bool]) -> Callable[[Event], bool]:
    return lambda e: e.date.value is not None and test(e.date.value)


def _dyad(a: str, b: str) -> Callable[[Event], bool]:
    return lambda e: (
        (a in _codes(e.actor) and b in _codes(e.recipient))
        or (b in _codes(e.actor) and a in _codes(e.recipient))
    )


FILTERS = [
    pytest.param(EventFilter(actor="RUS"), lambda e: "RUS" in _codes(e.actor), id="actor"),
    pytest.param(EventFilter(actor="UKR"), lambda e: "UKR" in _codes(e.actor), id="actor-2"),
    pytest.param(
        EventFilter(recipient="IRN"), lambda e: "IRN" in _codes(e.recipient), id="recipient"
    ),
    pytest.param(EventFilter(dyad=("RUS", "UKR")), _dyad("RUS", "UKR"), id="dyad"),
    pytest.param(EventFilter(dyad=("UKR", "RUS")), _dyad("RUS", "UKR"), id="dyad-reversed"),
    pytest.param(EventFilter(dyad=("USA", "IRN")), _dyad("USA", "IRN"), id="dyad-one-way"),
    pytest.param(EventFilter(type="ASSAULT"), lambda e: e.type == "ASSAULT", id="type"),
    pytest.param(EventFilter(type="agree"), lambda e: e.type == "AGREE", id="type-lower-case"),
    pytest.param(EventFilter(status="reported"), lambda e: e.status == "reported", id="status"),
    pytest.param(EventFilter(status="alleged"), lambda e: e.status == "alleged", id="status-2"),
    pytest.param(
        EventFilter(since="2024-03-05"), _dated(lambda v: v >= "2024-03-05"), id="since-day"
    ),
    pytest.param(
        EventFilter(until="2024-03-04"), _dated(lambda v: v <= "2024-03-04"), id="until-day"
    ),
    pytest.param(
        EventFilter(until="2024-02"), _dated(lambda v: v[:7] <= "2024-02"), id="until-month"
    ),
    pytest.param(
        EventFilter(since="2024-03", until="2024-03"),
        _dated(lambda v: v.startswith("2024-03")),
        id="one-month",
    ),
    pytest.param(
        EventFilter(actor="RUS", type="ASSAULT"),
        lambda e: "RUS" in _codes(e.actor) and e.type == "ASSAULT",
        id="combined",
    ),
    pytest.param(
        EventFilter(article_id="story-2"), lambda e: e.article_id == "story-2", id="article"
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("where", "matches"), FILTERS)
def test_event_filters(
    filled: Store,
    first: Result,
    other: Result,
    where: EventFilter,
    matches: Callable[[Event], bool],
) -> None:
    everything = (*first.events, *other.events)
    expected = {e.id for e in everything if matches(e)}
    assert expected, "the fixture texts must give events for this filter"
    assert len(expected) < len(everything), "the filter must leave something out"

    found = filled.events(where)

    assert {e.id for e in found} == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "where",
    [
        pytest.param(EventFilter(actor="FRA"), id="absent-actor"),
        pytest.param(EventFilter(dyad=("RUS", "FRA")), id="absent-dyad"),
        pytest.param(EventFilter(type="MOBILIZE"), id="absent-type"),
        pytest.param(EventFilter(status="negated"), id="absent-status"),
        pytest.param(EventFilter(since="2030"), id="future"),
    ],
)
def test_event_filters_that_match_nothing(
    filled: Store, first: Result, other: Result, where: EventFilter
) -> None:
    everything = (*first.events, *other.events)
    assert where.status is None or all(e.status != where.status for e in everything)

    assert filled.events(where) == []


@pytest.mark.slow
def test_events_come_newest_first_then_in_text_order(
    filled: Store, first: Result, other: Result
) -> None:
    in_text_order = sorted(
        (*first.events, *other.events),
        key=lambda e: (e.article_id, e.sentence.index, e.trigger.start),
    )
    # Stable sort: equal dates keep text order; undated events go last.
    expected = sorted(in_text_order, key=lambda e: e.date.value or "", reverse=True)

    assert [e.id for e in filled.events(EventFilter(limit=None))] == [e.id for e in expected]


@pytest.mark.slow
@pytest.mark.parametrize("limit", [1, 2])
def test_limit_keeps_the_first_events_in_order(filled: Store, limit: int) -> None:
    everything = filled.events(EventFilter(limit=None))
    assert len(everything) > limit

    assert filled.events(EventFilter(limit=limit)) == everything[:limit]


# --- databases that cannot be opened ---------------------------------------------------


def _snapshot(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def _corrupt(path: Path) -> None:
    path.write_bytes(os.urandom(16_384))


def _unknown_migration(path: Path) -> None:
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ('0999_from_the_future', 'x')"
        )
    connection.close()  # the last connection to close folds the WAL into the file


def _foreign_tables(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.close()


SQLITE_BAD = [
    pytest.param(_corrupt, "cannot open the database", id="random-bytes"),
    pytest.param(_unknown_migration, "0999_from_the_future", id="unknown-migration"),
    pytest.param(
        _foreign_tables,
        "customers",
        id="foreign-tables",
    ),
]


@pytest.mark.parametrize(("damage", "reason"), SQLITE_BAD)
def test_a_bad_sqlite_file_is_refused_and_left_unchanged(
    tmp_path: Path, damage: Callable[[Path], None], reason: str
) -> None:
    path = tmp_path / "eventwire.db"
    damage(path)
    before = _snapshot(tmp_path)

    with pytest.raises(StoreError, match=reason) as caught:
        open_store(f"sqlite:///{path}")

    assert _snapshot(tmp_path) == before
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_corrupt, id="random-bytes"),
        pytest.param(
            _unknown_migration,
            id="unknown-migration",
        ),
        pytest.param(
            _foreign_tables,
            id="foreign-tables",
        ),
    ],
)
def test_the_error_for_a_bad_sqlite_file_names_the_database(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    path = tmp_path / "eventwire.db"
    damage(path)

    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")

    assert str(path) in str(caught.value)


def test_an_sqlite_file_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"

    with pytest.raises(StoreError, match="does not exist") as caught:
        open_store(f"sqlite:///{missing}/eventwire.db")

    assert str(missing) in str(caught.value)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param("eventwire.db", "is not a database URL", id="a-path"),
        pytest.param("mysql://user@localhost/events", "unsupported database", id="mysql"),
    ],
)
def test_a_url_that_is_no_supported_database_is_refused(url: str, reason: str) -> None:
    with pytest.raises(StoreError, match=reason):
        open_store(url)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there now


def test_a_postgresql_url_to_a_closed_port_fails_quickly() -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://eventwire@127.0.0.1:{_closed_port()}/eventwire"
    started = time.monotonic()

    with pytest.raises(StoreError, match="cannot open the database") as caught:
        open_store(url)

    assert time.monotonic() - started < 10
    assert url in str(caught.value)
    assert "\n" not in str(caught.value)
