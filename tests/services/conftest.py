"""Fixtures the service tests share: the two-team organisation and the office's today."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from services import settings
from tests.factories import Org


@pytest.fixture
def org(session: Session) -> Org:
    return Org(session)


@pytest.fixture
def today(session: Session) -> date:
    return settings.office_today(session)
