"""The login gate: our form and lockout, a session cookie we write, a server-side session.

The cookie carries a random session token, signed with the cookie key; every rerun checks
the session record the token names, so logout, password changes, deactivation and the idle
timeout end it at once. The cookie is written by a small script in the page (no iframe to
load), drawn on every run: a run that a click cuts short, or a switch to another page, draws
it again.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import jwt
import streamlit as st

from services.access import Actor
from services.errors import LoginFailed, RepboardError, SessionEnded
from services.people import auth
from ui import runtime
from ui.errors import message
from ui.i18n import set_locale, t
from ui.language import language_picker

COOKIE_NAME = "repboard_session"
COOKIE_ALGORITHM = "HS256"
TOKEN_KEY = "auth__token"  # noqa: S105 - a session-state key, not a secret
# The cookie value this tab's session came with or wrote, to delete only that one.
COOKIE_KEY = "auth__cookie"
# The cookie this tab was opened with, once its session ended: this tab still sends it.
IGNORED_COOKIE_KEY = "auth__ignored_cookie"
# The last cookie write this tab asked for.
COOKIE_WRITE_KEY = "auth__cookie_write"
MUST_CHANGE_KEY = "auth__must_change_password"
NOTICE_KEY = "auth__notice"

_COOKIE_SCRIPT = """
export default function ({ data }) {
  // Once per write and window: a page switch that mounts it again must not undo a newer
  // cookie another tab wrote since.
  const written = (window.repboardCookieWrites ??= new Set());
  if (written.has(data.write_id)) return;
  written.add(data.write_id);
  const prefix = `${data.name}=`;
  const current = document.cookie.split("; ").find((pair) => pair.startsWith(prefix));
  // A deletion spares a cookie that another tab has written since.
  if (data.only_if === null || current === prefix + data.only_if) {
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie =
      `${prefix}${data.value}; Path=/; Max-Age=${data.max_age}; SameSite=Strict${secure}`;
  }
}
"""
_cookie_writer = st.components.v2.component("repboard_session_cookie", js=_COOKIE_SCRIPT)


def _signed(token: str) -> str:
    expires = datetime.now(UTC) + auth.SESSION_LIFETIME
    claims = {"sid": token, "exp": expires}
    return jwt.encode(claims, runtime.config().cookie_key, algorithm=COOKIE_ALGORITHM)


def _token_in(cookie: str) -> str | None:
    try:
        claims = jwt.decode(cookie, runtime.config().cookie_key, algorithms=[COOKIE_ALGORITHM])
    except jwt.InvalidTokenError:  # tampered, expired, or signed with another key
        return None
    token = claims.get("sid")
    return token if isinstance(token, str) else None


def _queue_cookie(value: str, *, max_age: int, only_if: str | None = None) -> None:
    st.session_state[COOKIE_WRITE_KEY] = {
        "name": COOKIE_NAME,
        "value": value,
        "max_age": max_age,
        "only_if": only_if,
        "write_id": secrets.token_hex(8),
    }


def _write_cookie() -> None:
    write: dict[str, Any] | None = st.session_state.get(COOKIE_WRITE_KEY)
    if write is None:
        return
    # Drawn on every run and never answering: an answer would rerun the app and could undo
    # the page a user clicked straight after logging in.
    _cookie_writer(key=f"auth_cookie_writer_{write['write_id']}", data=write, height=0)


def _token_from_cookie() -> str | None:
    """The session token of the cookie this tab was opened with (a reload, a new tab)."""
    cookie = st.context.cookies.get(COOKIE_NAME)
    if not cookie or cookie == st.session_state.get(IGNORED_COOKIE_KEY):
        return None
    token = _token_in(cookie)
    if token is not None:
        st.session_state[COOKIE_KEY] = cookie
    return token


def _leave(notice: str) -> None:
    for key in (TOKEN_KEY, runtime.ACTOR_KEY, MUST_CHANGE_KEY):
        st.session_state.pop(key, None)
    st.session_state[IGNORED_COOKIE_KEY] = st.context.cookies.get(COOKIE_NAME)
    cookie = st.session_state.pop(COOKIE_KEY, None)
    if cookie is not None:
        _queue_cookie("", max_age=0, only_if=cookie)
    st.session_state[NOTICE_KEY] = notice


def _signed_in_actor() -> Actor | None:
    token = st.session_state.get(TOKEN_KEY) or _token_from_cookie()
    if token is None:
        return None
    try:
        signed_in = runtime.call_anonymous(auth.check_session, token)
    except SessionEnded as ended:
        _leave(message(ended))
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state[runtime.ACTOR_KEY] = signed_in.actor
    st.session_state[MUST_CHANGE_KEY] = signed_in.must_change_password
    set_locale(signed_in.actor.locale)
    return signed_in.actor


def current_actor() -> Actor | None:
    """The logged-in actor, checked against the server-side session; None to show the login."""
    actor = _signed_in_actor()
    _write_cookie()
    return actor


def _log_in(username: str, password: str) -> None:
    try:
        user = runtime.call_anonymous(auth.authenticate, username, password)
    except LoginFailed as error:
        st.error(message(error), icon="🔒")
        st.caption(
            t(
                "After {attempts} failed attempts in a row, an account is locked for "
                "{minutes} minutes.",
                attempts=auth.MAX_FAILED_LOGINS,
                minutes=int(auth.LOCKOUT.total_seconds() // 60),
            )
        )
        return
    except RepboardError as error:
        st.error(message(error), icon="🔒")
        return
    token = runtime.call_anonymous(auth.start_session, user)
    cookie = _signed(token)
    st.session_state.update({TOKEN_KEY: token, COOKIE_KEY: cookie})
    _queue_cookie(cookie, max_age=int(auth.SESSION_LIFETIME.total_seconds()))
    st.rerun()


def login_screen() -> None:
    """The login page: language, form, and the error message in that language."""
    language_picker(key="auth__language")
    st.title(t("Repboard"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    # Cleared on submit: a failed attempt never leaves the password in the page.
    with st.form("auth__login", clear_on_submit=True):
        st.subheader(t("Log in"))
        username = st.text_input(
            t("Username"), max_chars=auth.USERNAME_MAX_CHARS, autocomplete="username"
        )
        password = st.text_input(t("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        _log_in(username, password)


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY, False))


def current_token() -> str | None:
    return st.session_state.get(TOKEN_KEY)


def logout() -> None:
    """End the server-side session, then drop the cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        runtime.call_anonymous(auth.end_session, token, reason="logout")
    _leave(t("You have logged out."))


def rechecked_actor() -> Actor | None:
    """For code that runs without app.py's login check (a widget callback, a fragment's
    refresh): the session checked now and the actor it gives now, whose role and teams may
    have changed since the last full run; None once the session has ended."""
    return _signed_in_actor() if current_token() is not None else None
