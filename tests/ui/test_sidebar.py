"""ui/sidebar.py: who is logged in and their role in their language, the period picker, a
language switch stored for the user, and a logout that ends the server-side session."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import User, UserSession
from models.enums import Locale, Role
from services.i18n import translate
from services.people import auth
from tests.factories import make_user
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui.auth import TOKEN_KEY
from ui.runtime import ACTOR_KEY
from ui.text import plain

ROLE_NAMES = {Role.ADMIN: "Administrator", Role.MANAGER: "Manager", Role.REP: "Sales rep"}


def _page_with_sidebar() -> None:
    import streamlit as st

    from ui import auth, sidebar

    # As app.py does: the session is checked (and the user's language set) before the sidebar.
    actor = auth.current_actor()
    if actor is None:
        st.stop()
    sidebar.render(actor)
    st.text("the page")


def _signed_in(engine: Engine, role: Role = Role.REP, locale: Locale = Locale.EN) -> AppTest:
    with Session(engine, expire_on_commit=False) as session:
        user = make_user(session, role, username="sam.lee", locale=locale)
        token = auth.start_session(session, user)
    at = piece(_page_with_sidebar)
    at.session_state[TOKEN_KEY] = token
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("locale", [Locale.EN, Locale.ZH_CN])
@pytest.mark.parametrize("role", list(ROLE_NAMES))
def test_the_user_and_their_role_are_shown_in_their_language(
    app_env: Engine, role: Role, locale: Locale
) -> None:
    at = _signed_in(app_env, role, locale)
    # The name is the user's text: shown with its markdown escaped.
    assert [block.value for block in at.sidebar.markdown] == [f"**{plain('Sam.Lee')}**"]
    assert at.sidebar.caption[0].value == translate(locale, ROLE_NAMES[role])
    labels = [box.label for box in at.sidebar.selectbox]
    assert labels == ["Language / 语言", translate(locale, "Period"), translate(locale, "Showing")]


def test_a_language_switch_is_stored_for_the_user(app_env: Engine) -> None:
    at = _signed_in(app_env)
    by_label(at.sidebar.selectbox, "Language / 语言").select("zh_CN").run()
    assert not at.exception, at.exception
    with Session(app_env) as session:
        stored = session.exec(select(User.locale).where(User.username == "sam.lee")).one()
    assert stored == Locale.ZH_CN
    assert [button.label for button in at.sidebar.button] == [translate("zh_CN", "Log out")]


def test_logging_out_ends_the_session(app_env: Engine) -> None:
    at = _signed_in(app_env)
    by_label(at.sidebar.button, "Log out").click().run()
    assert not at.exception, at.exception
    with Session(app_env) as session:
        ended = session.exec(select(UserSession.ended_at, UserSession.end_reason)).one()
    assert ended[0] is not None and ended[1] == "logout"
    assert TOKEN_KEY not in at.session_state and ACTOR_KEY not in at.session_state
    assert "the page" not in [text.value for text in at.text]
