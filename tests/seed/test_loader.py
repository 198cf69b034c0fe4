"""The bulk loader: all or nothing, CHECKs still hold, the pooled connection left as found."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import seed
from models import Interaction
from seed.dataset import Dataset, TableRows
from seed.loader import Timeline
from tests.seed.conftest import quiet, totals


def _with_bad_deal(dataset: Dataset) -> Dataset:
    tables = []
    for rows in dataset.tables:
        if rows.name == "deals":
            stage = rows.columns.index("stage")
            first = list(rows.rows[0])
            first[stage] = "bogus"
            rows = TableRows(rows.name, rows.columns, [tuple(first), *rows.rows[1:]])
        tables.append(rows)
    return replace(dataset, tables=tables)


def test_a_row_breaking_a_check_loads_nothing(engine: Engine, demo_set: Dataset) -> None:
    before = totals(engine)
    # SQLite's load checks afterwards (ValueError); PostgreSQL's COPY refuses the row.
    refused = (ValueError, sa.exc.IntegrityError, engine.dialect.loaded_dbapi.IntegrityError)
    with pytest.raises(refused):
        seed.load(engine, _with_bad_deal(demo_set), progress=quiet)
    assert totals(engine) == before
    seed.load(engine, demo_set, progress=quiet)
    assert totals(engine)["deals"] == demo_set.counts()["deals"]


def test_sqlite_connections_go_back_to_the_pool_as_they_were(
    engine: Engine, demo_set: Dataset
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with pytest.raises(ValueError):
        seed.load(engine, _with_bad_deal(demo_set), progress=quiet)
    seed.load(engine, demo_set, progress=quiet)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        indexes = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions'"
        ).scalars()
        # The load drops the indexes for speed and must build every one back.
        assert set(indexes) == {index.name for index in Interaction.__table__.indexes}


def test_days_and_stamps_become_the_text_each_database_parses() -> None:
    sqlite, postgres = Timeline(date(2024, 2, 28), False), Timeline(date(2024, 2, 28), True)
    assert sqlite.day(1) == "2024-02-29" and sqlite.day(-365) == "2023-02-28"
    assert sqlite.day(5000) == "2037-11-06"
    assert sqlite.stamp(1440 + 61) == "2024-02-29 01:01:00.000000"
    assert postgres.stamp(1440 + 61) == "2024-02-29 01:01:00+00"


def test_postgresql_tables_are_vacuumed_after_the_load(demo_db: Engine) -> None:
    if demo_db.dialect.name != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    with demo_db.connect() as connection:
        # Without it, index-only scans read the heap until autovacuum comes by.
        vacuumed = connection.exec_driver_sql(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'interactions' AND schemaname = current_schema()"
        ).scalar()
        isolation = connection.get_isolation_level()
    assert vacuumed
    # The pooled connection is back in transactions.
    assert isolation == "READ COMMITTED"
