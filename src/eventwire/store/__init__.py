"""store: results → database. SQLite (embedded default) or PostgreSQL, one schema.

Entry point: :func:`open_store`. ``Store.add`` writes one article with all its
sentences, mentions and events in one transaction, keyed by content hash, so a
re-ingest changes nothing and a killed ingest loses at most the article in flight.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from eventwire.errors import StoreError
from eventwire.model import Event, Result, Sentence
from eventwire.store import schema
from eventwire.store.migrations import migrate
from eventwire.store.queries import EventFilter, event_query
from eventwire.store.rows import event_from_row, rows_of

__all__ = ["EventFilter", "Store", "open_store"]

_INSERT_ORDER = ("articles", "sentences", "events", "event_actors", "mentions", "places")


def _sqlite_pragmas(connection: Any, _record: ConnectionPoolEntry) -> None:
    # journal_mode=WAL is persistent, so it is set once the file is known to be ours
    # (open_store, after migration), never on someone else's database.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{url!r} is not a database URL (try sqlite:///eventwire.db)") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.exists():
            raise StoreError(f"{url}: directory {Path(database).parent} does not exist")
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"{url}: unsupported database (use sqlite:/// or postgresql+psycopg://)")


class Store:
    """An eventwire database, migrated to the current schema."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, result: Result) -> bool:
        """Store one result atomically; False when the same content is already stored."""
        article = result.article
        articles = schema.articles
        with self.engine.begin() as connection:
            same_content = connection.execute(
                select(articles.c.id).where(articles.c.content_hash == article.content_hash)
            ).first()
            if same_content is not None:
                return False  # already stored, under this id or another: a report, not news
            existing = connection.execute(
                select(articles.c.id).where(articles.c.id == article.id)
            ).first()
            if existing is not None:  # same id, new content: the new version replaces it
                connection.execute(
                    delete(schema.articles).where(schema.articles.c.id == existing.id)
                )
            rows = rows_of(result)
            if existing is not None:
                for table in ("event_actors", "events", "sentences", "mentions", "places"):
                    self._delete_for_article(connection, table, existing.id)
            for table in _INSERT_ORDER:
                if rows[table]:
                    connection.execute(schema.metadata.tables[table].insert(), rows[table])
        return True

    @staticmethod
    def _delete_for_article(connection: Any, table: str, article_id: str) -> None:
        if table == "event_actors":
            ids = select(schema.events.c.id).where(schema.events.c.article_id == article_id)
            connection.execute(
                delete(schema.event_actors).where(schema.event_actors.c.event_id.in_(ids))
            )
        else:
            target = schema.metadata.tables[table]
            connection.execute(delete(target).where(target.c.article_id == article_id))

    def has_content(self, content_hash: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(schema.articles.c.id).where(schema.articles.c.content_hash == content_hash)
            ).first()
        return found is not None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                name: connection.execute(
                    select(func.count()).select_from(schema.metadata.tables[name])
                ).scalar_one()
                for name in ("articles", "sentences", "events", "event_actors", "mentions")
            }

    def events(self, where: EventFilter = EventFilter()) -> list[Event]:  # noqa: B008  (frozen default)
        with self.engine.connect() as connection:
            rows = connection.execute(event_query(where)).mappings().all()
            if not rows:
                return []
            ids = [r["id"] for r in rows]
            actors: dict[str, list[Any]] = {i: [] for i in ids}
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for actor in connection.execute(
                    select(schema.event_actors).where(schema.event_actors.c.event_id.in_(chunk))
                ).mappings():
                    actors[actor["event_id"]].append(actor)
            keys = {(r["article_id"], r["sentence_idx"]) for r in rows}
            sentences = self._sentences(connection, keys)
        return [
            event_from_row(r, sentences[(r["article_id"], r["sentence_idx"])], actors[r["id"]])
            for r in rows
        ]

    @staticmethod
    def _sentences(connection: Any, keys: set[tuple[str, int]]) -> dict[tuple[str, int], Sentence]:
        found: dict[tuple[str, int], Sentence] = {}
        articles = sorted({a for a, _ in keys})
        for chunk in (articles[i : i + 500] for i in range(0, len(articles), 500)):
            query = select(schema.sentences).where(schema.sentences.c.article_id.in_(chunk))
            for row in connection.execute(query).mappings():
                key = (row["article_id"], row["idx"])
                if key in keys:
                    found[key] = Sentence(row["idx"], row["start"], row["end"], row["text"])
        return found

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as connection:
            for row in connection.execute(select(schema.articles)).mappings():
                yield dict(row)


def open_store(url: str) -> Store:
    """Open (and create or migrate) the database at ``url``; StoreError says what is wrong."""
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            migrate(connection)
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    except StoreError as exc:
        engine.dispose()
        raise StoreError(f"{url}: {exc}") from None
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise StoreError(
            f"{url}: cannot open the database ({reason.strip().splitlines()[0]})"
        ) from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"{url}: {exc}") from None
    return Store(engine, url)
