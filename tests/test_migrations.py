"""Migrations: a database made by the first release (0001) upgrades to the current
schema, keeps its data, and ends with the same tables, columns and indexes as a new one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from eventwire.cluster import update_clusters
from eventwire.errors import StoreError
from eventwire.store import EventFilter, open_store
from eventwire.store.migrations import MIGRATIONS
from eventwire.store.rows import rows_of
from eventwire.store.schema import metadata, schema_migrations
from eventwire.store.schema_0001 import initial
from records import Spec, result

OLD = result("old-1", [Spec("Russia shelled Ukraine on Monday.", "shelled", "ASSAULT",
                            ("RUS",), ("UKR",))])  # fmt: skip


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = create_engine(db_url)
    yield made
    made.dispose()


def _make_0001_database(engine: Engine) -> None:
    """What eventwire 0001 wrote: its tables, its stamp and one stored article."""
    with engine.begin() as connection:
        initial.create_all(connection)
        connection.execute(
            initial.tables["schema_migrations"].insert().values(name="0001_initial", applied_at="x")
        )
        rows = rows_of(OLD)
        for table in ("articles", "sentences", "events", "event_actors"):
            columns = set(initial.tables[table].c.keys())
            connection.execute(
                initial.tables[table].insert(),
                [{k: v for k, v in row.items() if k in columns} for row in rows[table]],
            )


def _shape(engine: Engine) -> dict[str, object]:
    inspector = inspect(engine)
    return {
        table: (
            sorted((c["name"], bool(c["nullable"])) for c in inspector.get_columns(table)),
            sorted(
                str(i["name"])
                for i in inspector.get_indexes(table)
                if not i.get("duplicates_constraint")  # PostgreSQL's index of a UNIQUE
            ),
        )
        for table in sorted(inspector.get_table_names())
    }


def test_a_0001_database_is_upgraded_to_the_current_schema(db_url: str, engine: Engine) -> None:
    _make_0001_database(engine)

    open_store(db_url).close()

    with engine.connect() as connection:
        names = [row.name for row in connection.execute(select(schema_migrations.c.name))]
    assert sorted(names) == [name for name, _ in MIGRATIONS]
    expected = {
        table.name: (
            sorted((c.name, bool(c.nullable)) for c in table.columns),
            sorted(
                i.name
                for i in table.indexes
                if engine.dialect.name == "postgresql" or i.name != "ix_sentences_fts"
            ),
        )
        for table in metadata.sorted_tables
    }
    assert _shape(engine) == expected


def test_an_upgraded_database_keeps_its_events_and_clusters_them(
    db_url: str, engine: Engine
) -> None:
    _make_0001_database(engine)

    with open_store(db_url) as store:
        update_clusters(store, 3)
        found = store.events(EventFilter(limit=None))
        clusters = store.clusters()

    assert [e.id for e in found] == [e.id for e in OLD.events]
    assert [c.article_ids for c in clusters] == [("old-1",)]


def test_a_database_of_a_newer_schema_is_refused_unchanged(db_url: str, engine: Engine) -> None:
    open_store(db_url).close()
    with engine.begin() as connection:
        connection.execute(schema_migrations.insert().values(name="0999_future", applied_at="x"))
    before = _shape(engine)

    with pytest.raises(StoreError, match=r"0999_future.*upgrade eventwire") as caught:
        open_store(db_url)

    assert "\n" not in str(caught.value)
    assert _shape(engine) == before


def test_a_database_with_foreign_tables_is_refused_unchanged(db_url: str, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
    before = _shape(engine)

    with pytest.raises(StoreError, match="customers") as caught:
        open_store(db_url)

    assert "\n" not in str(caught.value)
    assert _shape(engine) == before
    assert list(before) == ["customers"]
