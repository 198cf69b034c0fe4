"""Fixtures the service tests share: the two-team organisation, the office's today, and an
empty database on each backend."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from services import settings
from tests.conftest import fresh_postgres_schema
from tests.factories import Org


@pytest.fixture
def org(session: Session) -> Org:
    return Org(session)


@pytest.fixture
def today(session: Session) -> date:
    return settings.office_today(session)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    with fresh_postgres_schema(base, "repboard_migrate") as url:
        yield url
