"""The login gate: our form and lockout, streamlit-authenticator's cookie, a server-side session.

The authenticator's cookie alone cannot be revoked, so every rerun checks the session record
it belongs to; logout, password changes and deactivation end that record.
"""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from services import auth
from services.access import Actor
from services.errors import RepboardError, SessionEnded
from ui import runtime
from ui.errors import message
from ui.i18n import set_locale, t
from ui.language import language_picker

COOKIE_NAME = "repboard_auth"
COOKIE_DAYS = 0.5  # 12 hours, the session lifetime
TOKEN_KEY = "auth__token"  # noqa: S105 - a session-state key, not a secret
MUST_CHANGE_KEY = "auth__must_change_password"
NOTICE_KEY = "auth__notice"
AUTHENTICATOR_KEY = "auth__authenticator"
JUST_AUTHENTICATED_KEY = "auth__just_authenticated"


def _authenticator() -> stauth.Authenticate:
    credentials = runtime.call_anonymous(auth.credentials)
    return stauth.Authenticate(
        credentials,
        cookie_name=COOKIE_NAME,
        cookie_key=runtime.config().cookie_key,
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
        login_sleep_time=0,
    )


def _cookie_token(authenticator: stauth.Authenticate) -> str | None:
    """What identifies the browser's cookie: its user and its signed expiry time."""
    cookie = authenticator.cookie_controller.get_cookie()
    if not cookie:
        return None
    return f"{cookie['username']}|{cookie['exp_date']}"


def _enter(actor: Actor, must_change_password: bool, token: str) -> Actor:
    st.session_state[TOKEN_KEY] = token
    st.session_state[runtime.ACTOR_KEY] = actor
    st.session_state[MUST_CHANGE_KEY] = must_change_password
    set_locale(actor.locale)
    return actor


def _leave(authenticator: stauth.Authenticate, notice: str | None = None) -> None:
    for key in (TOKEN_KEY, runtime.ACTOR_KEY, MUST_CHANGE_KEY):
        st.session_state.pop(key, None)
    if st.session_state.get("authentication_status"):
        authenticator.logout(location="unrendered")
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _resume(authenticator: stauth.Authenticate) -> Actor | None:
    """The actor of this browser tab's session, or of a valid cookie from an earlier tab."""
    token = st.session_state.get(TOKEN_KEY)
    if token is None and not st.session_state.get("logout"):
        try:
            authenticator.login(location="unrendered")
        except stauth.LoginError:  # the cookie's user is no longer active
            _leave(authenticator)
            return None
        if st.session_state.get("authentication_status"):
            token = _cookie_token(authenticator)
    if token is None:
        return None
    try:
        actor, user = runtime.call_anonymous(auth.check_session, token)
    except SessionEnded as ended:
        _leave(authenticator, message(ended))
        return None
    return _enter(actor, user.must_change_password, token)


def login_screen() -> None:
    """The login page: language, form, and the lockout or error message in that language."""
    language_picker(key="auth__language")
    st.title(t("Repboard"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    # Cleared on submit: a failed attempt never leaves the password in the page.
    with st.form("auth__login", clear_on_submit=True):
        st.subheader(t("Log in"))
        username = st.text_input(t("Username"), max_chars=64, autocomplete="username")
        password = st.text_input(t("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if not submitted:
        return
    try:
        user = runtime.call_anonymous(auth.authenticate, username, password)
    except RepboardError as error:
        st.error(message(error), icon="🔒")
        return
    # The cookie is set on the next run, the first one that renders the app.
    st.session_state[JUST_AUTHENTICATED_KEY] = user
    st.rerun()


def _open_session(authenticator: stauth.Authenticate) -> Actor | None:
    """After a successful login: let the authenticator set its cookie, open our session."""
    user = st.session_state.pop(JUST_AUTHENTICATED_KEY, None)
    if user is None:
        return None
    st.session_state.update(
        authentication_status=True, username=user.username, name=user.display_name, logout=None
    )
    authenticator.cookie_controller.set_cookie()
    token = f"{user.username}|{authenticator.cookie_controller.cookie_model.exp_date}"
    runtime.call_anonymous(auth.start_session, user, token)
    actor, fresh_user = runtime.call_anonymous(auth.check_session, token)
    return _enter(actor, fresh_user.must_change_password, token)


def current_actor() -> Actor | None:
    """The logged-in actor, checked against the server-side session; None to show the login."""
    signed_in = TOKEN_KEY in st.session_state or JUST_AUTHENTICATED_KEY in st.session_state
    if not signed_in and COOKIE_NAME not in st.context.cookies:
        # The authenticator renders a cookie component whose first answer reruns the script;
        # on a plain login page that rerun could swallow the user's login click.
        st.session_state.pop(AUTHENTICATOR_KEY, None)
        return None
    authenticator = _authenticator()
    st.session_state[AUTHENTICATOR_KEY] = authenticator
    return _open_session(authenticator) or _resume(authenticator)


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY, False))


def current_token() -> str | None:
    return st.session_state.get(TOKEN_KEY)


def logout() -> None:
    """End the server-side session, then drop the cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        runtime.call_anonymous(auth.end_session, token, reason="logout")
    _leave(st.session_state[AUTHENTICATOR_KEY], t("You have logged out."))
