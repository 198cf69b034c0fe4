"""Bulk loading: the whole data set in one transaction, with the driver's fastest path.

SQLite gets `executemany` of plain rows, PostgreSQL gets COPY; dates and timestamps go as
text. Either way nothing is half-loaded: it all commits or none of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import models  # noqa: F401 - every table on SQLModel.metadata
from seed.calendar import MINUTES_PER_DAY
from seed.dataset import Dataset, Link, TableRows

CHUNK_ROWS = 50_000
# Days from the origin with their text made up front: the origin to beyond the horizon.
DAYS_CACHED = 2_000
# Belongs to the schema, like the migration that inserts its one row.
SCHEMA_TABLES = frozenset({"data_version"})
# A log, not data: a failed login on an empty database must not block the demo data.
NOT_DATA_TABLES = SCHEMA_TABLES | {"audit_events"}
# Enough page cache that a million-row load does not spill to disk midway (KiB).
SQLITE_LOAD_CACHE_KIB = 512 * 1024
SQLITE_DEFAULT_CACHE = -2000

Progress = Callable[[str], None]
Converter = Callable[[Any], Any]


def tables_with_rows(connection: Connection) -> list[str]:
    """Names of the data tables that hold any row."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_DATA_TABLES:
            continue
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            found.append(table.name)
    return found


def empty_all_tables(connection: Connection) -> None:
    """Delete every row of every table but the schema's own."""
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name not in SCHEMA_TABLES]
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    # Break the users -> reps -> teams -> users cycle before deleting.
    connection.exec_driver_sql("UPDATE users SET rep_id = NULL")
    connection.exec_driver_sql("UPDATE teams SET manager_user_id = NULL")
    for table in tables:
        connection.execute(table.delete())


def load_dataset(connection: Connection, dataset: Dataset, progress: Progress) -> None:
    """Insert every table of `dataset`, then the links that close key cycles.

    On SQLite, call `restore` on the connection afterwards, whatever happened.
    """
    postgres = connection.dialect.name == "postgresql"
    if not postgres:
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
        # SQLite re-evaluates `x IN (...)` CHECKs expensively on every executemany row;
        # `_verify_checks` tests each table in one pass instead.
        connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    timeline = Timeline(dataset.origin, postgres)
    for rows in dataset.tables:
        started = time.perf_counter()
        insert(connection, rows, timeline)
        seconds = time.perf_counter() - started
        progress(f"  {rows.name:<18} {len(rows.rows):>10,} rows {seconds:7.1f} s")
    for link in dataset.links:
        _apply(connection, link)
    if postgres:
        _advance_sequences(connection, dataset)


def restore(connection: Connection) -> None:
    """Put the pooled SQLite connection back as the app expects it (outside a transaction)."""
    if connection.dialect.name == "postgresql":
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA ignore_check_constraints = OFF")  # type: ignore[union-attr]
    driver.execute(f"PRAGMA cache_size = {SQLITE_DEFAULT_CACHE}")  # type: ignore[union-attr]


def tidy(connection: Connection, dataset: Dataset) -> None:
    """After the commit: fresh planner statistics, or SQLite's big WAL folded into the file."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{rows.name}"' for rows in dataset.tables)
        # VACUUM also marks the new pages all-visible, so index-only scans work at once
        # (overdue follow-ups: 55 ms before, 3 ms after). It cannot run in a transaction.
        connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql(f"VACUUM ANALYZE {names}")
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]


def insert(connection: Connection, rows: TableRows, timeline: Timeline) -> None:
    table = SQLModel.metadata.tables[rows.name]
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows, timeline)
        return
    # Building an index once at the end is far cheaper than growing it row by row.
    indexes = _drop_indexes(connection, rows.name)
    _executemany(connection, table, rows, timeline)
    _verify_checks(connection, table)
    for create in indexes:
        connection.exec_driver_sql(create)


class Timeline:
    """Turns the generator's days and stamps into the text the database parses as such.

    SQLite gets the exact text SQLAlchemy stores (UTC, no offset, microseconds);
    PostgreSQL gets an explicit UTC offset.
    """

    def __init__(self, origin: date, postgres: bool) -> None:
        self.origin = origin
        self.days = [(origin + timedelta(days=day)).isoformat() for day in range(DAYS_CACHED)]
        suffix = "+00" if postgres else ".000000"
        self.minutes = [
            f" {minute // 60:02d}:{minute % 60:02d}:00{suffix}" for minute in range(MINUTES_PER_DAY)
        ]

    def day(self, day: int) -> str:
        if 0 <= day < DAYS_CACHED:
            return self.days[day]
        return (self.origin + timedelta(days=day)).isoformat()

    def stamp(self, stamp: int) -> str:
        day, minute = divmod(stamp, MINUTES_PER_DAY)
        return self.day(day) + self.minutes[minute]


def _converter(column: sa.Column[Any], timeline: Timeline, postgres: bool) -> Converter | None:
    kind = column.type
    kind = getattr(kind, "impl_instance", kind)
    if isinstance(kind, sa.DateTime):
        return timeline.stamp
    if isinstance(kind, sa.Date):
        return timeline.day
    if isinstance(kind, sa.Boolean) and not postgres:
        return int
    return None


def _converted(
    table: sa.Table, rows: TableRows, timeline: Timeline, postgres: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows in chunks, each value as the driver takes it."""
    converters = [
        (position, converter)
        for position, name in enumerate(rows.columns)
        if (converter := _converter(table.c[name], timeline, postgres)) is not None
    ]
    iterator = iter(rows.rows)
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        out = []
        for row in chunk:
            values = list(row)
            for position, converter in converters:
                value = values[position]
                if value is not None:
                    values[position] = converter(value)
            out.append(tuple(values))
        yield out


def _drop_indexes(connection: Connection, table: str) -> list[str]:
    """Drop `table`'s plain indexes (not those of its keys); return the SQL that remakes them."""
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        (table,),
    ).all()
    for name, _ in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [create for _, create in found]


def _verify_checks(connection: Connection, table: sa.Table) -> None:
    """Every CHECK constraint of `table` holds for every row, tested in one scan."""
    checks = [
        str(c.sqltext.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        for c in table.constraints
        if isinstance(c, sa.CheckConstraint)
    ]
    if not checks:
        return
    broken = " OR ".join(f"NOT ({check})" for check in checks)
    query = f'SELECT 1 FROM "{table.name}" WHERE {broken} LIMIT 1'  # noqa: S608 - our schema
    if connection.exec_driver_sql(query).first() is not None:
        raise ValueError(f"seed rows of {table.name} break one of its CHECK constraints")


def _executemany(
    connection: Connection, table: sa.Table, rows: TableRows, timeline: Timeline
) -> None:
    names = ", ".join(f'"{name}"' for name in rows.columns)
    marks = ", ".join("?" for _ in rows.columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608 - our names
    for chunk in _converted(table, rows, timeline, postgres=False):
        connection.exec_driver_sql(statement, chunk)


def _copy(connection: Connection, table: sa.Table, rows: TableRows, timeline: Timeline) -> None:
    names = ", ".join(f'"{name}"' for name in rows.columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for chunk in _converted(table, rows, timeline, postgres=True):
            for row in chunk:
                copy.write_row(row)
    cursor.close()


def _apply(connection: Connection, link: Link) -> None:
    statement = f'UPDATE "{link.table}" SET "{link.column}" = ? WHERE id = ?'  # noqa: S608
    if connection.dialect.name == "postgresql":
        statement = statement.replace("?", "%s")
    connection.exec_driver_sql(statement, link.pairs)


def _advance_sequences(connection: Connection, dataset: Dataset) -> None:
    """COPY with explicit ids leaves the sequences behind; the app's next insert needs them on."""
    for rows in dataset.tables:
        if "id" in rows.columns:
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{rows.name}\"', 'id'), "  # noqa: S608
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{rows.name}"), false)'
            )
