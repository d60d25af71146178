"""Fast row loading for bulk imports: the driver's own bulk path, not per-row SQL.

SQLAlchemy's executemany converts every parameter of every row in Python, which
costs more than SQLite's own insert; PostgreSQL is fastest with COPY. Both paths
take plain rows in the table's column order and run inside the caller's
transaction, so a failed batch still leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError


@contextmanager
def _as_sqlalchemy_errors(connection: Connection, statement: str) -> Iterator[None]:
    """The driver's own errors (a full disk, a broken constraint) as SQLAlchemy raises
    them everywhere else, so that the store reports them the same way."""
    base = connection.dialect.loaded_dbapi.Error
    try:
        yield
    except base as exc:
        raise DBAPIError.instance(statement, None, exc, base) from exc


def bulk_insert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``table``."""
    if not rows:
        return
    names = [c.name for c in table.columns if c.name in rows[0]]
    pick = itemgetter(*names)  # every row of one table has the same keys
    values = [pick(row) for row in rows] if len(names) > 1 else [(pick(row),) for row in rows]
    insert_values(connection, table, names, values)


def insert_values(
    connection: Connection, table: Table, names: Sequence[str], values: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given as values in the order of the columns ``names`` into ``table``."""
    if not values:
        return
    quoted = ", ".join(f'"{name}"' for name in names)
    driver = connection.connection.driver_connection
    assert driver is not None  # inside a transaction the DBAPI connection is open
    if connection.dialect.name == "postgresql":
        statement = f'COPY "{table.name}" ({quoted}) FROM STDIN'
        with (
            _as_sqlalchemy_errors(connection, statement),
            driver.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            for value in values:
                copy.write_row(value)
        return
    marks = ", ".join("?" for _ in names)
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    cursor = driver.cursor()
    try:
        with _as_sqlalchemy_errors(connection, statement):
            cursor.executemany(statement, values)
    finally:
        cursor.close()


def bulk_update(
    connection: Connection, table: Table, key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Set the other columns of ``rows`` on the rows of ``table`` whose ``key`` matches."""
    if not rows:
        return
    names = [name for name in rows[0] if name != key]
    pick = itemgetter(*names, key)
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    assignments = ", ".join(f'"{name}" = {mark}' for name in names)
    statement = f'UPDATE "{table.name}" SET {assignments} WHERE "{key}" = {mark}'
    driver = connection.connection.driver_connection
    assert driver is not None  # inside a transaction the DBAPI connection is open
    cursor = driver.cursor()
    try:
        with _as_sqlalchemy_errors(connection, statement):
            cursor.executemany(statement, [pick(row) for row in rows])
    finally:
        cursor.close()
