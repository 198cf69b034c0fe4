"""Migrations: an empty database upgrades to exactly the models, and downgrades to nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.db import make_engine
from services.schema import downgrade_to_base, schema_differences, upgrade_to_head
from tests.conftest import postgres_schema_url


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = f"repboard_migrate_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield postgres_schema_url(base, schema)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_matches_the_models_and_downgrade_removes_everything(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    upgrade_to_head(engine)
    assert schema_differences(engine) == []
    assert "users" in _tables(engine)
    downgrade_to_base(engine)
    assert _tables(engine) == {"alembic_version"}
    upgrade_to_head(engine)
    assert schema_differences(engine) == []
    engine.dispose()
