"""Named, ordered migrations, recorded in ``schema_migrations``.

A new database is created from the current schema and stamped with every name
below. An existing one gets the migrations it lacks, in order, each in its own
transaction. A database that records a migration this version does not know was
written by a newer eventwire and is refused rather than damaged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select, text

from eventwire.errors import StoreError
from eventwire.store import schema
from eventwire.store.bands import band_values
from eventwire.store.schema import metadata, schema_migrations
from eventwire.store.schema_0001 import initial


def _initial(connection: Connection) -> None:
    initial.create_all(connection)


# The tables below are created from their current definitions in schema.py, which no
# later migration has changed yet. Before a migration alters one of them, copy its
# definition here as it was, as schema_0001.py does (tests/test_migrations.py fails
# otherwise: an upgraded database must equal a new one).


def _near_duplicates(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR(200)"))
    connection.execute(text("CREATE INDEX ix_articles_duplicate_of ON articles (duplicate_of)"))
    schema.article_signatures.create(connection)


def _clusters(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE events ADD COLUMN cluster_key TEXT"))
    connection.execute(text("CREATE INDEX ix_events_cluster_id ON events (cluster_id)"))
    connection.execute(
        text("CREATE INDEX ix_events_cluster_key_date ON events (cluster_key, date_value)")
    )
    schema.clusters.create(connection)
    schema.meta.create(connection)


def _corrections(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE events ADD COLUMN correction VARCHAR(10)"))
    schema.corrections.create(connection)


def _query_tables(connection: Connection) -> None:
    connection.execute(text("DROP INDEX ix_event_actors_code_role"))
    connection.execute(
        text("CREATE INDEX ix_event_actors_code_role_event ON event_actors (code, role, event_id)")
    )
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE INDEX ix_sentences_fts ON sentences USING gin (to_tsvector('simple', text))"
            )
        )
    schema.event_links.create(connection)
    for side, other in (("actor", "recipient"), ("recipient", "actor")):
        # Links of the events already stored (see schema.event_links).
        connection.execute(
            text(
                "INSERT INTO event_links (event_id, code, role, other, date_value, type, "
                "mode, cluster_id, first, anchor) "
                f"SELECT e.id, a.code, '{side}', b.code, e.date_value, e.type, e.mode, "
                "e.cluster_id, CASE WHEN ROW_NUMBER() OVER "
                "(PARTITION BY e.id, a.code ORDER BY b.position) = 1 THEN 1 ELSE 0 END, 0 "
                "FROM events e "
                f"JOIN event_actors a ON a.event_id = e.id AND a.role = '{side}' "
                f"LEFT JOIN event_actors b ON b.event_id = e.id AND b.role = '{other}' "
                "AND b.code IS NOT NULL "
                "WHERE a.code IS NOT NULL AND (e.correction IS NULL OR e.correction != 'rejected')"
            )
        )
    # anchor is set by clustering, so every event is clustered again.
    connection.execute(text("UPDATE events SET cluster_key = NULL"))


def _watch(connection: Connection) -> None:
    connection.execute(text("CREATE INDEX ix_articles_ingested_at ON articles (ingested_at)"))
    for table in (
        schema.watch_rules,
        schema.alerts,
        schema.alert_events,
        schema.alert_deliveries,
        schema.feed_states,
    ):
        table.create(connection)


def _browsing_indexes(connection: Connection) -> None:
    # IF NOT EXISTS: 0005 creates event_links from its current definition, which has
    # this index, when it runs on the same database before this one.
    connection.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_event_links_code_date ON event_links "
            "(code, role, date_value, type, mode, first, anchor)"
        )
    )
    connection.execute(
        text("CREATE INDEX ix_events_located_date ON events (date_value) WHERE lat IS NOT NULL")
    )
    connection.execute(text("DROP INDEX ix_articles_published"))
    connection.execute(
        text("CREATE INDEX ix_articles_published_title ON articles (published, title)")
    )


def _near_duplicate_bands(connection: Connection) -> None:
    """The LSH bands of the originals' signatures, which an in-memory index held before."""
    schema.article_bands.create(connection)
    signatures = schema.article_signatures
    query = (
        select(signatures.c.article_id, signatures.c.signature)
        .join(schema.articles, schema.articles.c.id == signatures.c.article_id)
        .where(schema.articles.c.duplicate_of.is_(None), signatures.c.signature.is_not(None))
        .order_by(signatures.c.article_id)
    )
    rows: list[dict[str, object]] = []
    # Streamed: a large store has hundreds of megabytes of signatures.
    for article_id, signature in connection.execute(query, execution_options={"yield_per": 2000}):
        for band, value in enumerate(band_values(signature)):
            rows.append({"article_id": article_id, "band": band, "value": value})
        if len(rows) >= 50_000:
            connection.execute(schema.article_bands.insert(), rows)
            rows = []
    if rows:
        connection.execute(schema.article_bands.insert(), rows)


# Append only; never rename or reorder. Each function brings the previous schema
# to the next one with portable DDL.
MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", _initial),
    ("0002_near_duplicates", _near_duplicates),
    ("0003_clusters", _clusters),
    ("0004_corrections", _corrections),
    ("0005_query_tables", _query_tables),
    ("0006_watch", _watch),
    ("0007_browsing_indexes", _browsing_indexes),
    ("0008_near_duplicate_bands", _near_duplicate_bands),
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def applied(connection: Connection) -> list[str]:
    if not inspect(connection).has_table("schema_migrations"):
        return []
    return [row.name for row in connection.execute(select(schema_migrations.c.name))]


def migrate(connection: Connection) -> list[str]:
    """Bring the database to the current schema; returns the names applied now."""
    done = applied(connection)
    known = [name for name, _ in MIGRATIONS]
    unknown = sorted(set(done) - set(known))
    if unknown:
        raise StoreError(
            "the database has schema migrations this eventwire does not know "
            f"({', '.join(unknown)}): it was written by a newer version; upgrade eventwire"
        )
    if not done and inspect(connection).get_table_names():
        tables = inspect(connection).get_table_names()
        raise StoreError(
            f"the database holds other tables ({', '.join(sorted(tables)[:5])}) "
            "and no eventwire schema"
        )
    if not done:
        metadata.create_all(connection)
        connection.execute(
            schema_migrations.insert(), [{"name": n, "applied_at": _now()} for n in known]
        )
        return known
    now_applied = []
    for name, step in MIGRATIONS:
        if name not in done:
            step(connection)
            connection.execute(schema_migrations.insert().values(name=name, applied_at=_now()))
            now_applied.append(name)
    _rebuild_missing_indexes(connection)
    return now_applied


def _rebuild_missing_indexes(connection: Connection) -> None:
    # A bulk load drops indexes and builds them at its end; one that was killed
    # leaves them missing, and they are built here.
    inspector = inspect(connection)
    for table in metadata.sorted_tables:
        present = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present and (
                index.name != "ix_sentences_fts" or connection.dialect.name == "postgresql"
            ):
                index.create(connection)
