"""store: results → database. SQLite (embedded default) or PostgreSQL, one schema.

Entry point: :func:`open_store`. ``Store.add`` writes one article with all its
sentences, mentions and events in one transaction, keyed by content hash, so a
re-ingest changes nothing and a killed ingest loses at most the article in flight.
Every database failure surfaces as one-line :class:`StoreError` naming the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Index,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from eventwire.errors import StoreError
from eventwire.model import Cluster, Event, Result
from eventwire.store import schema
from eventwire.store.bulk import insert_values
from eventwire.store.clusters import (
    ClusterFilter,
    cluster_query,
    forget_copies,
    load_clusters,
    release_clusters,
)
from eventwire.store.corrections import CorrectionEntry, apply_corrections, history, record
from eventwire.store.exporting import (
    ClusterRef,
    Record,
    Tie,
    actor_names,
    stream_cluster_records,
    stream_records,
    ties,
)
from eventwire.store.migrations import migrate
from eventwire.store.queries import EventFilter, event_query
from eventwire.store.reading import chunks, load_events, stream_events
from eventwire.store.rows import COLUMNS, ROW_TABLES, Values, row_values
from eventwire.store.summaries import (
    ActorCount,
    ActorSummary,
    DyadTrend,
    Period,
    actor_summary,
    top_actors,
    trending_dyads,
)

__all__ = ["ArticleRows", "ClusterFilter", "EventFilter", "Store", "open_store"]


def _sqlite_connect(connection: Any, _record: ConnectionPoolEntry) -> None:
    # pysqlite opens transactions only before INSERT/UPDATE/DELETE, which leaves reads
    # and DDL (migrations) outside them; eventwire emits BEGIN itself (_sqlite_begin).
    connection.isolation_level = None
    # journal_mode=WAL is persistent, so it is set once the file is known to be ours
    # (open_store, after migration), never on someone else's database.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 32 MB of page cache instead of SQLite's 2 MB: ingest updates a dozen indexes per
    # article, and re-reading their pages cost storing and clustering 12% of their time
    # (16 MB did as well on 2,000 articles; the database grows, so some room is kept).
    cursor.execute("PRAGMA cache_size=-32768")
    # Checkpoint the write-ahead log at 40 MB instead of 4 MB: each checkpoint syncs
    # the database file, and ingest waited on those syncs for a sixth of its storing
    # time. Commits stay durable in the log either way.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front, so two writers wait for each other
    # (busy_timeout) instead of failing when a read turns into a write.
    options = connection.get_execution_options()
    writing = options.get("eventwire_write", False)
    # A bulk load writes rows that are consistent by construction (parents first, in
    # the same transaction); checking each child's parent costs a lookup per row. The
    # pragma is a no-op inside a transaction, so it is set before BEGIN, every time.
    checks = "OFF" if options.get("eventwire_bulk", False) else "ON"
    connection.exec_driver_sql(f"PRAGMA foreign_keys={checks}")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


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
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    raise StoreError(f"{url}: unsupported database (use sqlite:/// or postgresql+psycopg://)")


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_BULK_TABLES = ("articles", "sentences", "events", "event_actors", "event_links", "mentions")


def _drop_indexes(connection: Connection) -> list[Index]:
    """Drop the secondary indexes of the tables a bulk load fills; returns them."""
    dropped = []
    inspector = inspect(connection)
    for name in _BULK_TABLES:
        present = {i["name"] for i in inspector.get_indexes(name)}
        for index in schema.metadata.tables[name].indexes:
            if index.name in present:
                index.drop(connection)
                dropped.append(index)
    return dropped


# One article's rows by table (row_values: values in rows.COLUMNS order), with its
# content hash: what a bulk load writes.
ArticleRows = tuple[str, dict[str, list[Values]]]


def _load(connection: Connection, results: Sequence[ArticleRows]) -> int:
    """Insert the rows of articles whose content is not stored yet; returns how many.

    The outcome is that of ``Store.add`` called on each article in turn: content
    already stored (before, or earlier in ``results``) is skipped, and an article
    whose id is stored with other content replaces it.
    """
    if not results:
        return 0
    articles = schema.articles
    hashes = sorted({content for content, _ in results})
    ids = sorted({rows["articles"][0][0] for _, rows in results})  # id is the first value
    by_content: dict[str, str] = {}  # content hash → id, of what is (to be) stored
    by_id: dict[str, str] = {}  # id → content hash
    for column, keys in ((articles.c.content_hash, hashes), (articles.c.id, ids)):
        # One expanding parameter: building a bound literal per key costs more than
        # the lookup itself when a load passes a million keys.
        query = select(articles.c.id, articles.c.content_hash).where(
            column.in_(bindparam("keys", expanding=True))
        )
        for chunk in chunks(keys):
            for article_id, content in connection.execute(query, {"keys": list(chunk)}):
                by_content[content] = article_id
                by_id[article_id] = content
    stored_before = set(by_id)
    fresh: dict[str, dict[str, list[Values]]] = {}  # id → rows, in storing order
    for content, rows in results:
        article_id = rows["articles"][0][0]
        if content in by_content:
            continue
        if article_id in by_id:  # same id, new content: the new version replaces the old
            del by_content[by_id[article_id]]
            fresh.pop(article_id, None)
        fresh[article_id] = rows
        by_content[content], by_id[article_id] = article_id, content
    for article_id in sorted(stored_before & set(fresh)):
        Store._remove_article(connection, article_id)
    tables: dict[str, list[Values]] = {t: [] for t in ROW_TABLES}
    for rows in fresh.values():
        for table, items in rows.items():
            tables[table].extend(items)
    for table in ROW_TABLES:
        insert_values(connection, schema.metadata.tables[table], COLUMNS[table], tables[table])
    apply_corrections(connection, [row[0] for row in tables["events"]])  # id is the first value
    return len(fresh)


class Store:
    """An eventwire database, migrated to the current schema."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.name = make_url(url).render_as_string(hide_password=True)
        self._writer = engine.execution_options(eventwire_write=True)
        self._bulk_writer = engine.execution_options(eventwire_write=True, eventwire_bulk=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _failing(self, action: str) -> Iterator[None]:
        try:
            yield
        except StoreError as exc:
            if str(exc).startswith(self.name):
                raise
            raise StoreError(f"{self.name}: {exc}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.name}: cannot {action} ({_reason(exc)})") from None

    @contextmanager
    def transaction(self, action: str) -> Iterator[Connection]:
        """One write transaction: all of it is stored, or (on any error) none of it."""
        with self._failing(action), self._writer.begin() as connection:
            yield connection

    @contextmanager
    def reading(self, action: str) -> Iterator[Connection]:
        with self._failing(action), self.engine.connect() as connection:
            yield connection

    # --- writing -----------------------------------------------------------------------

    def add(self, result: Result) -> bool:
        """Store one result atomically; False when the same content is already stored."""
        try:
            with self.transaction(f"store article {result.article.id}") as connection:
                return self._add(connection, result)
        except StoreError:
            # Another writer stored the same content between our check and our insert.
            if self._raced(result):
                return False
            raise

    def add_batch(self, results: Sequence[Result]) -> list[bool]:
        """Store several results in one transaction: :meth:`add` of each in turn.

        Each article is still all or nothing, and one commit serves them all (a
        commit writes every page the article touched, and costs more than its rows).
        When the batch fails as a whole (another writer stored the same content
        meanwhile, say), each result is stored again on its own, so that one bad
        article costs only itself."""
        if len(results) <= 1:
            return [self.add(result) for result in results]
        try:
            with self.transaction(f"store {len(results)} articles") as connection:
                return [self._add(connection, result) for result in results]
        except StoreError:
            return [self.add(result) for result in results]

    def _raced(self, result: Result) -> bool:
        try:
            return self.has_content(result.article.content_hash)
        except StoreError:
            return False

    def _add(self, connection: Connection, result: Result) -> bool:
        article = result.article
        articles = schema.articles
        same_content = connection.execute(
            select(articles.c.id).where(articles.c.content_hash == article.content_hash)
        ).first()
        if same_content is not None:
            return False  # already stored, under this id or another: a report, not news
        existing = connection.execute(
            select(articles.c.id).where(articles.c.id == article.id)
        ).first()
        if existing is not None:  # same id, new content: the new version replaces it
            self._remove_article(connection, existing.id)
        rows = row_values(result)
        for table in ROW_TABLES:
            # The driver's own bulk path: SQLAlchemy's executemany converts each value.
            insert_values(connection, schema.metadata.tables[table], COLUMNS[table], rows[table])
        apply_corrections(connection, [e.id for e in result.events])
        return True

    @staticmethod
    def _remove_article(connection: Connection, article_id: str) -> None:
        events = schema.events
        old = connection.execute(
            select(events.c.cluster_id).where(events.c.article_id == article_id)
        ).scalars()
        release_clusters(connection, list(old))
        forget_copies(connection, article_id)
        ids = select(events.c.id).where(events.c.article_id == article_id)
        for child in (schema.event_actors, schema.event_links):
            connection.execute(delete(child).where(child.c.event_id.in_(ids)))
        for name in (
            "events",
            "sentences",
            "mentions",
            "places",
            "article_signatures",
            "article_bands",
        ):
            target = schema.metadata.tables[name]
            connection.execute(delete(target).where(target.c.article_id == article_id))
        connection.execute(delete(schema.articles).where(schema.articles.c.id == article_id))

    def add_many(self, results: Iterable[Result], batch: int = 5000) -> int:
        """Bulk load: :meth:`load_rows` of each result's rows."""
        return self.load_rows(((r.article.content_hash, row_values(r)) for r in results), batch)

    def load_rows(self, articles: Iterable[ArticleRows], batch: int = 5000) -> int:
        """Bulk load articles given as their rows: one transaction per ``batch`` articles,
        with the outcome of :meth:`add` on each in turn (content already stored is
        skipped; an article stored under the same id with other content is replaced).
        Returns how many articles were stored.

        Secondary indexes are dropped for the load and built again at the end, which
        is much faster than updating them row by row; if the load is killed, the next
        ``open_store`` builds them. Run :func:`eventwire.cluster.update_clusters` after.
        """
        with self.transaction("drop indexes for a bulk load") as connection:
            dropped = _drop_indexes(connection)
        stored = 0
        pending: list[ArticleRows] = []
        for item in articles:
            pending.append(item)
            if len(pending) >= batch:
                stored += self._load(pending)
                pending = []
        stored += self._load(pending)
        with self.transaction("build indexes after a bulk load") as connection:
            for index in dropped:
                index.create(connection)
        return stored

    def _load(self, results: Sequence[ArticleRows]) -> int:
        with self._failing("bulk-load articles"), self._bulk_writer.begin() as connection:
            if connection.dialect.name == "sqlite":
                # A larger page cache for this connection: index pages stay in memory.
                connection.exec_driver_sql("PRAGMA cache_size=-262144")
            return _load(connection, results)

    def correct(
        self,
        event_id: str,
        action: str,
        changes: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> Event:
        """Record an analyst's correction (confirm, reject or set) and apply it."""
        with self.transaction(f"correct event {event_id}") as connection:
            record(connection, self._event_id(connection, event_id), action, changes or {}, note)
        found = self.event(event_id, include_rejected=True)
        if found is None:  # deleted by another writer in between
            raise StoreError(f"{self.name}: no event {event_id}")
        return found

    # --- reading -----------------------------------------------------------------------

    def has_content(self, content_hash: str) -> bool:
        with self.reading("read articles") as connection:
            found = connection.execute(
                select(schema.articles.c.id).where(schema.articles.c.content_hash == content_hash)
            ).first()
        return found is not None

    def stored_contents(self, content_hashes: Sequence[str]) -> set[str]:
        """Those of ``content_hashes`` whose content is stored (one query per chunk)."""
        found: set[str] = set()
        column = schema.articles.c.content_hash
        query = select(column).where(column.in_(bindparam("keys", expanding=True)))
        with self.reading("read articles") as connection:
            for chunk in chunks(sorted(set(content_hashes))):
                found.update(connection.execute(query, {"keys": list(chunk)}).scalars())
        return found

    def counts(self) -> dict[str, int]:
        names = ("articles", "sentences", "events", "event_actors", "mentions")
        with self.reading("count rows") as connection:
            return {
                name: connection.execute(
                    select(func.count()).select_from(schema.metadata.tables[name])
                ).scalar_one()
                for name in names
            }

    def events(self, where: EventFilter = EventFilter()) -> list[Event]:  # noqa: B008  (frozen default)
        with self.reading("query events") as connection:
            rows = connection.execute(event_query(where, connection.dialect.name)).mappings().all()
            return load_events(connection, rows)

    def iter_events(self, where: EventFilter = EventFilter(limit=None)) -> Iterator[Event]:  # noqa: B008
        """Every matching event, streamed a page at a time in id order (for exports)."""
        with self.reading("read events") as connection:
            query = event_query(where, connection.dialect.name)
            for page in stream_events(connection, query):
                yield from page

    @staticmethod
    def _event_id(connection: Connection, event_id: str) -> str:
        """An event id, or a unique prefix of one (ids are long to type)."""
        events = schema.events
        found = (
            connection.execute(select(events.c.id).where(events.c.id.like(f"{event_id}%")).limit(2))
            .scalars()
            .all()
        )
        if event_id in found or len(found) == 1:
            return event_id if event_id in found else found[0]
        if not found:
            raise StoreError(f"no event {event_id}")
        raise StoreError(f"{event_id} is the start of several event ids; give more of it")

    def event(self, event_id: str, include_rejected: bool = True) -> Event | None:
        with self.reading("read an event") as connection:
            try:
                full = self._event_id(connection, event_id)
            except StoreError:
                return None
            where = EventFilter(limit=1, include_rejected=include_rejected)
            query = event_query(where).where(schema.events.c.id == full)
            return next(
                iter(load_events(connection, connection.execute(query).mappings().all())), None
            )

    def article(self, article_id: str) -> dict[str, Any] | None:
        with self.reading("read an article") as connection:
            row = (
                connection.execute(
                    select(schema.articles).where(schema.articles.c.id == article_id)
                )
                .mappings()
                .first()
            )
        return None if row is None else dict(row)

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        with self.reading("read articles") as connection:
            for row in connection.execute(select(schema.articles)).mappings():
                yield dict(row)

    def clusters(self, where: ClusterFilter = ClusterFilter()) -> list[Cluster]:  # noqa: B008
        with self.reading("query clusters") as connection:
            rows = connection.execute(cluster_query(where)).mappings().all()
            return load_clusters(connection, rows)

    def cluster(self, cluster_id: str) -> Cluster | None:
        with self.reading("read a cluster") as connection:
            rows = (
                connection.execute(
                    select(schema.clusters).where(schema.clusters.c.id == cluster_id)
                )
                .mappings()
                .all()
            )
            found = load_clusters(connection, rows)
        return found[0] if found else None

    def corrections(self, event_id: str) -> list[CorrectionEntry]:
        with self.reading("read corrections") as connection:
            return history(connection, event_id)

    def actor_summary(
        self,
        code: str,
        since: str | None = None,
        until: str | None = None,
        period: Period = "month",
    ) -> ActorSummary:
        with self.reading("summarise an actor") as connection:
            return actor_summary(connection, code, since, until, period)

    def top_actors(
        self, since: str | None = None, until: str | None = None, limit: int = 25
    ) -> list[ActorCount]:
        with self.reading("count actors") as connection:
            return top_actors(connection, since, until, limit)

    def trending_dyads(
        self, end: str | None = None, days: int = 7, baseline_days: int = 28, limit: int = 20
    ) -> list[DyadTrend]:
        with self.reading("find trending dyads") as connection:
            return trending_dyads(connection, end, days, baseline_days, limit)

    def records(self, where: EventFilter = EventFilter(limit=None)) -> Iterator[Record]:  # noqa: B008
        """Events with their article and cluster, streamed (for exports)."""
        with self.reading("read events") as connection:
            for page in stream_records(connection, where):
                yield from page

    def cluster_records(
        self,
        where: EventFilter = EventFilter(limit=None),  # noqa: B008
    ) -> Iterator[tuple[ClusterRef, Record]]:
        """Clusters with an event ``where`` selects, each with its earliest report, streamed."""
        with self.reading("read clusters") as connection:
            for page in stream_cluster_records(connection, where):
                yield from page

    def ties(self, where: EventFilter = EventFilter(limit=None)) -> list[Tie]:  # noqa: B008
        with self.reading("count ties") as connection:
            return list(ties(connection, where))

    def actor_names(self) -> dict[str, str]:
        with self.reading("read actor names") as connection:
            return actor_names(connection)

    def unclustered(self) -> Sequence[str]:
        """Events still waiting for clustering (none once an ingest has finished)."""
        with self.reading("read events") as connection:
            query = select(schema.events.c.id).where(schema.events.c.cluster_key.is_(None))
            return list(connection.execute(query).scalars())


def open_store(url: str) -> Store:
    """Open (and create or migrate) the database at ``url``; StoreError says what is wrong."""
    engine = _engine(url)
    name = make_url(url).render_as_string(hide_password=True)
    try:
        with engine.begin() as connection:
            migrate(connection)
        if engine.dialect.name == "sqlite":
            raw = engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()
    except StoreError as exc:
        engine.dispose()
        raise StoreError(f"{name}: {exc}") from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"{name}: cannot open the database ({_reason(exc)})") from None
    return Store(engine, url)
