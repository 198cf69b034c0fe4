"""Code that runs without app.py's login check — the sidebar's language callback, the board's
refreshing fragment — checks the session first and uses the actor as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import User
from models.enums import Locale, Role
from services.people import auth
from services.unit_of_work import unit_of_work
from tests.factories import PASSWORD, make_team, make_user
from tests.pages.conftest import by_label, new_app, point_app_at, submit_login
from ui import runtime
from ui.auth import TOKEN_KEY


@pytest.fixture
def app_env(
    engine: Engine, backend_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Engine:
    """app.py pointed at the test database, which the test fills itself."""
    point_app_at(backend_url, monkeypatch, tmp_path)
    return engine


def _recheck_script() -> None:
    import streamlit as st

    from ui.auth import rechecked_actor

    actor = rechecked_actor()
    st.text("ended" if actor is None else f"teams {sorted(actor.team_ids)}")


def _end_sessions(engine: Engine, user_id: int) -> None:
    with Session(engine) as session, unit_of_work(session, None) as uow:
        auth.end_user_sessions(uow, user_id, "logout")


def test_the_actor_is_rebuilt_from_the_session_each_time(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        manager = make_user(session, Role.MANAGER, username="boss")
        east = make_team(session, manager_user_id=manager.id)
        token = auth.start_session(session, manager)
        stale = auth.check_session(session, token).actor
    at = AppTest.from_function(_recheck_script)
    at.session_state[TOKEN_KEY] = token
    at.session_state[runtime.ACTOR_KEY] = stale
    at.run()
    assert [text.value for text in at.text] == [f"teams {[east.id]}"]

    # The manager is given a second team between two refreshes: the next one sees it.
    with Session(app_env, expire_on_commit=False) as session:
        west = make_team(session, manager_user_id=manager.id)
    at.run()
    assert [text.value for text in at.text] == [f"teams {sorted([east.id, west.id])}"]
    assert at.session_state[runtime.ACTOR_KEY].team_ids == {east.id, west.id}

    _end_sessions(app_env, manager.id)
    at.run()
    assert [text.value for text in at.text] == ["ended"]


def test_an_ended_session_stores_no_language(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        user = make_user(session, username="traveller", locale=Locale.EN)
    at = new_app().run()
    submit_login(at, "traveller", PASSWORD)
    at.run()
    assert not at.exception, at.exception
    _end_sessions(app_env, user.id)
    by_label(at.selectbox, "Language / 语言").select("zh_CN").run()
    assert not at.exception, at.exception
    with Session(app_env) as session:
        stored = session.exec(select(User).where(User.id == user.id)).one()
    assert stored.locale == Locale.EN
    # And the login form is what the tab shows now.
    assert any(button.label in ("Log in", "登录") for button in at.button)
