"""Fixtures the ui piece tests share: app.py's environment pointed at the empty test database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from services import data_version
from services.access import Actor
from tests.pages.conftest import point_app_at
from ui import runtime
from ui.i18n import LOCALE_KEY


@pytest.fixture
def app_env(
    engine: Engine, backend_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Engine:
    """The ui's runtime pointed at the test database, which the test fills itself."""
    point_app_at(backend_url, monkeypatch, tmp_path)
    return engine


@pytest.fixture
def fresh_app_env(app_env: Engine) -> Engine:
    """`app_env` under a data version no earlier test cached answers for: rows written
    straight to the tables move no version, and ids repeat from one test to the next."""
    bump_data_version(app_env)
    return app_env


def bump_data_version(engine: Engine) -> None:
    """What every write through a service does: cached reads are asked again."""
    with Session(engine) as session:
        data_version.bump(session)
        session.commit()


def piece(
    script: Callable[..., None], *args: Any, actor: Actor | None = None, locale: str = "en"
) -> AppTest:
    """An AppTest running `script`'s body with `args`, `actor` logged in, in `locale`."""
    at = AppTest.from_function(script, args=args, default_timeout=30)
    if actor is not None:
        at.session_state[runtime.ACTOR_KEY] = actor
    at.session_state[LOCALE_KEY] = locale
    return at
