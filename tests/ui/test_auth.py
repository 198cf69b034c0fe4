"""ui.auth's gate: the signed cookie names its session and nothing forged or expired does; the
gate logs a user in, in their language, ends the session on logout, and says so once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import UserSession
from models.enums import Locale
from services.i18n import translate
from services.people import auth
from tests.factories import PASSWORD, make_user
from tests.pages.conftest import submit_login
from ui import auth as gate
from ui import runtime

ZH = "zh_CN"


def _gate() -> None:
    import streamlit as st

    from ui import auth
    from ui.i18n import t

    actor = auth.current_actor()
    if actor is None:
        auth.login_screen()
        st.stop()
    st.text(f"{actor.username} {t('Home')}")
    if auth.must_change_password():
        st.text("must change")
    if st.button("Log out"):
        auth.logout()
        st.rerun()


def _signed_in(engine: Engine, *, must_change: bool = False) -> tuple[AppTest, int]:
    """A Chinese-speaking user logged in through the gate; the app and their id."""
    with Session(engine, expire_on_commit=False) as session:
        made = make_user(session, username="lin", locale=Locale.ZH_CN)
        made.must_change_password = must_change
        session.add(made)
        session.commit()
    at = AppTest.from_function(_gate, default_timeout=30).run()
    submit_login(at, "lin", PASSWORD)
    # AppTest drops the events of the run after an st.rerun(); a plain run settles it.
    at.run()
    assert not at.exception, at.exception
    assert made.id is not None
    return at, made.id


def _open_sessions(engine: Engine, user_id: int) -> list[UserSession]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(UserSession).where(
                    UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
                )
            )
        )


def test_the_signed_cookie_names_the_session_it_was_made_for(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        user = make_user(session, username="lin")
        token = auth.start_session(session, user)
    cookie = gate._signed(token)
    assert gate._token_in(cookie) == token
    claims = jwt.decode(cookie, runtime.config().cookie_key, algorithms=["HS256"])
    expected = datetime.now(UTC) + auth.SESSION_LIFETIME
    assert abs(claims["exp"] - expected.timestamp()) < 60
    with Session(app_env) as session:
        assert auth.check_session(session, gate._token_in(cookie) or "").actor.username == "lin"


@pytest.mark.parametrize(
    "forge",
    [
        lambda key: jwt.encode({"sid": "x", "exp": _hours(1)}, "another key" * 4, "HS256"),
        lambda key: jwt.encode({"sid": "x", "exp": _hours(-1)}, key, "HS256"),
        lambda key: jwt.encode({"sid": 42, "exp": _hours(1)}, key, "HS256"),
        lambda key: jwt.encode({"exp": _hours(1)}, key, "HS256"),
        lambda key: jwt.encode({"sid": "x", "exp": _hours(1)}, None, "none"),
        lambda key: _swapped(jwt.encode({"sid": "x", "exp": _hours(1)}, key, "HS256")),
        lambda key: "not a token",
    ],
    ids=["other-key", "expired", "sid-not-text", "no-sid", "unsigned", "tampered", "garbage"],
)
def test_a_forged_or_expired_cookie_names_no_session(app_env: Engine, forge) -> None:  # type: ignore[no-untyped-def]
    assert gate._token_in(forge(runtime.config().cookie_key)) is None


def _hours(hours: int) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


def _swapped(cookie: str) -> str:
    """The cookie with another session's claims under its original signature."""
    header, _claims, signature = cookie.split(".")
    other = jwt.encode({"sid": "someone else", "exp": _hours(1)}, "k" * 32, "HS256")
    return ".".join([header, other.split(".")[1], signature])


def test_the_gate_logs_a_user_in_in_their_language_and_queues_their_cookie(
    app_env: Engine,
) -> None:
    at, user_id = _signed_in(app_env)
    # Not asked to change the password: the gate shows only the page.
    assert [text.value for text in at.text] == [f"lin {translate(ZH, 'Home')}"]
    [opened] = _open_sessions(app_env, user_id)
    token = at.session_state[gate.TOKEN_KEY]
    assert opened.token_id == auth.token_id(token)
    write = at.session_state[gate.COOKIE_WRITE_KEY]
    assert gate._token_in(write["value"]) == token
    assert (write["name"], write["max_age"], write["only_if"]) == (
        gate.COOKIE_NAME, int(auth.SESSION_LIFETIME.total_seconds()), None
    )  # fmt: skip


def test_a_wrong_password_opens_no_session_and_says_why(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        user = make_user(session, username="lin")
    at = submit_login(AppTest.from_function(_gate, default_timeout=30).run(), "lin", "wrong one")
    assert [error.value for error in at.error] == ["Username or password is incorrect."]
    assert gate.TOKEN_KEY not in at.session_state and gate.COOKIE_WRITE_KEY not in at.session_state
    assert user.id is not None and _open_sessions(app_env, user.id) == []


def test_logging_out_ends_the_session_and_says_so_once(app_env: Engine) -> None:
    at, user_id = _signed_in(app_env, must_change=True)
    assert at.text[-1].value == "must change"
    cookie = at.session_state[gate.COOKIE_WRITE_KEY]["value"]
    at.button[0].click().run()
    assert _open_sessions(app_env, user_id) == []
    assert gate.TOKEN_KEY not in at.session_state and runtime.ACTOR_KEY not in at.session_state
    # Still in the user's language, the notice and the login form; the cookie is deleted
    # unless another tab has written a newer one since.
    assert [info.value for info in at.info] == [translate(ZH, "You have logged out.")]
    deletion = at.session_state[gate.COOKIE_WRITE_KEY]
    assert (deletion["value"], deletion["max_age"], deletion["only_if"]) == ("", 0, cookie)
    at.run()
    assert list(at.info) == [] and at.button[0].label == translate(ZH, "Log in")
