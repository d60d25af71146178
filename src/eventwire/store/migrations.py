"""Named, ordered migrations, recorded in ``schema_migrations``.

A new database is created from the current schema and stamped with every name
below. An existing one gets the migrations it lacks, in order, each in its own
transaction. A database that records a migration this version does not know was
written by a newer eventwire and is refused rather than damaged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select

from eventwire.errors import StoreError
from eventwire.store.schema import metadata, schema_migrations


def _initial(connection: Connection) -> None:
    metadata.create_all(connection)


# Append only; never rename or reorder. Each function brings the previous schema
# to the next one with portable DDL.
MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (("0001_initial", _initial),)


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
    return now_applied
