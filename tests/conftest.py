"""Fixtures: a migrated database on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

Each backend is migrated once per test session (PostgreSQL in a schema of its own, dropped
at the end); every test starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from seed.loader import empty_all_tables as empty_tables
from services.db import make_engine
from services.schema import upgrade_to_head

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgres_schema_url(base_url: str, schema: str) -> str:
    url = sa.make_url(base_url)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@contextmanager
def fresh_postgres_schema(base: str, prefix: str) -> Iterator[str]:
    """A URL for a new, empty schema on the server at `base`, dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield postgres_schema_url(base, schema)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with fresh_postgres_schema(os.environ["TEST_DATABASE_URL"], "repboard_test") as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'repboard.db'}"


@pytest.fixture(scope="session")
def migrated_engine(backend_url: str) -> Iterator[Engine]:
    engine = make_engine(backend_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        empty_tables(connection)


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    empty_all_tables(migrated_engine)
    yield migrated_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path
