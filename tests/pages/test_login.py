"""The login gate through the real app.py: messages, lockout, forced password change, sessions,
and a page's link kept through a new login (never to a page the role may not see)."""

from __future__ import annotations

import json
from typing import Any

import jwt
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Rep, User, UserSession
from seed import DEMO_PASSWORD
from services.access import build_actor
from services.config import load_config
from services.i18n import translate
from services.people import auth, users
from tests.factories import make_goal
from tests.pages.conftest import (
    by_label,
    errors,
    new_app,
    office_today,
    submit_login,
    titles,
    user_named,
)  # fmt: skip
from ui import auth as gate

WRONG = "Username or password is incorrect."
LOCK_RULE = "After 5 failed attempts in a row, an account is locked for 15 minutes."


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_login_form_shows_first(demo_app) -> None:
    at = new_app().run()
    assert not at.exception
    assert titles(at) == ["Repboard"]
    assert [box.label for box in at.text_input] == ["Username", "Password"]


def test_unknown_user_and_wrong_password_get_the_same_message(demo_app) -> None:
    unknown = submit_login(new_app().run(), "nobody", "whatever1")
    wrong = submit_login(new_app().run(), "admin", "wrong-password")
    assert errors(unknown) == errors(wrong) == [WRONG]
    assert titles(wrong) == ["Repboard"]


def test_chinese_login_form(demo_app) -> None:
    at = new_app().run()
    by_label(at.selectbox, "Language / 语言").select("zh_CN").run()
    at = submit_login(at, "admin", "bad-password", locale="zh_CN")
    assert errors(at) == [translate("zh_CN", WRONG)]


def test_a_73_byte_password_gets_a_message_and_writes_nothing(demo_app) -> None:
    events_before = _count(demo_app, AuditEvent)
    at = submit_login(new_app().run(), "admin", "密" * 30)
    assert errors(at) == [
        "The password is too long: at most 72 bytes (about 24 Chinese characters)."
    ]
    assert _count(demo_app, AuditEvent) == events_before
    assert user_named(demo_app, "admin").failed_logins == 0


def test_five_wrong_passwords_lock_the_account_with_the_same_message(demo_app) -> None:
    for _ in range(5):
        failed = submit_login(new_app().run(), "rep", "wrong-password")
        assert errors(failed) == [WRONG]
    assert user_named(demo_app, "rep").locked_until is not None
    # The right password does not get through while locked, in a fresh browser session too,
    # and says nothing an unknown username would not: the rule is shown to everyone.
    again = submit_login(new_app().run(), "rep", DEMO_PASSWORD)
    unknown = submit_login(new_app().run(), "nobody-at-all", DEMO_PASSWORD)
    assert errors(again) == errors(unknown) == [WRONG]
    assert [caption.value for caption in again.caption] == [LOCK_RULE]
    assert titles(again) == ["Repboard"]


def test_a_reset_password_must_be_changed_before_anything_else(demo_app) -> None:
    with Session(demo_app) as session:
        admin = build_actor(session, user_named(demo_app, "admin"))
        rep = user_named(demo_app, "rep")
        users.reset_password(
            session, admin, user_id=rep.id, version=rep.version, new_password="temporary-1"
        )
    at = submit_login(new_app().run(), "rep", "temporary-1")
    # The rep's language is Chinese: only My account, with the reason shown.
    assert titles(at) == [translate("zh_CN", "My account")]
    assert at.warning[0].value == translate(
        "zh_CN", "An administrator reset your password. Choose a new one to continue."
    )
    by_label(at.text_input, translate("zh_CN", "Current password")).input("temporary-1")
    by_label(at.text_input, translate("zh_CN", "New password")).input("brand-new-pass")
    by_label(at.text_input, translate("zh_CN", "Repeat the new password")).input("brand-new-pass")
    at = by_label(at.button, translate("zh_CN", "Change password")).click().run()
    assert not at.exception
    assert not user_named(demo_app, "rep").must_change_password
    at.switch_page("pages/home_page.py").run()
    assert titles(at) == [translate("zh_CN", "Home")]


def test_deactivating_a_user_ends_their_open_session(demo_app, logged_in) -> None:
    at = logged_in("manager")
    assert titles(at) == [translate("zh_CN", "Home")]
    with Session(demo_app) as session:
        admin = build_actor(session, user_named(demo_app, "admin"))
        manager = user_named(demo_app, "manager")
        users.set_active(session, admin, user_id=manager.id, version=manager.version, active=False)
    at.run()
    # Back at the login form, still in the manager's language.
    assert titles(at) == [translate("zh_CN", "Repboard")]
    assert at.info[0].value == translate("zh_CN", "Your session has ended. Please log in again.")


def test_logout_ends_the_session(demo_app, logged_in) -> None:
    at = logged_in("admin")
    at = by_label(at.button, "Log out").click().run()
    assert titles(at) == ["Repboard"]
    assert at.info[0].value == "You have logged out."
    with Session(demo_app) as session:
        ended = session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "session.end")
        ).one()
    assert ended == 1


def _fails_with_sql() -> None:
    import sqlite3

    raise sqlite3.OperationalError("database is locked [SQL: UPDATE user_sessions SET ...]")


def test_an_uncaught_error_shows_no_sql_and_no_traceback() -> None:
    # AppTest reads the project's .streamlit/config.toml, as `streamlit run` does.
    shown = AppTest.from_function(_fails_with_sql).run().exception[0].proto
    assert "SQL" not in shown.message and "locked" not in shown.message
    assert (list(shown.stack_trace), shown.type) == ([], "")


def _cookie_writes(at: AppTest) -> list[dict[str, Any]]:
    """The session cookie writes the run draws (the browser runs their script)."""
    return [
        json.loads(element.proto.json)
        for element in at.main
        if getattr(element, "type", None) == "bidi_component"
        and element.proto.component_name == "repboard_session_cookie"
    ]


def test_the_session_cookie_is_drawn_on_every_run_and_names_the_open_session(
    demo_app, logged_in
) -> None:
    at = logged_in("admin")
    written = _cookie_writes(at)
    # A click that cuts a run short, or another page, still draws the same write.
    for page in ["pages/follow_ups_page.py", "pages/home_page.py"]:
        at.switch_page(page).run()
        assert _cookie_writes(at) == written
    [cookie] = written
    assert (cookie["name"], cookie["max_age"]) == ("repboard_session", 12 * 3600)
    claims = jwt.decode(cookie["value"], load_config().cookie_key, algorithms=["HS256"])
    with Session(demo_app) as session:
        opened = session.exec(
            select(User.username)
            .join(UserSession, col(UserSession.user_id) == User.id)
            .where(UserSession.token_id == auth.token_id(claims["sid"]))
            .where(col(UserSession.ended_at).is_(None))
        ).one()
    assert opened == "admin"

    at = by_label(at.button, "Log out").click().run()
    [deletion] = _cookie_writes(at)
    assert (deletion["value"], deletion["max_age"], deletion["only_if"]) == ("", 0, cookie["value"])


def _end_session(engine: Engine, at: AppTest) -> None:
    """The session ends on the server (an idle timeout); the next run shows the login form."""
    with Session(engine) as session:
        auth.end_session(session, at.session_state[gate.TOKEN_KEY], reason="idle")
    at.run()


def _link_after_logging_in_again(at: AppTest, username: str, locale: str) -> AppTest:
    """Log in again on the login form the ended session left on the same page."""
    assert titles(at) == [translate(locale, "Repboard")]
    at = submit_login(at, username, DEMO_PASSWORD, locale=locale)
    assert not at.exception, at.exception
    return at.run()  # AppTest drops the events of the run after an st.rerun()


def test_the_board_and_its_link_survive_a_new_login(demo_app, logged_in) -> None:
    at = logged_in("admin")
    link = {"metrics": "revenue,deals_won", "every": "30"}
    at.query_params.update(link)
    at.switch_page("pages/board_page.py").run()
    _end_session(demo_app, at)
    # The login form, in place of the board and with its link.
    assert [box.label for box in at.text_input] == ["Username", "Password"]
    assert {key: at.query_params[key] for key in link} == link
    at = _link_after_logging_in_again(at, "manager", "en")
    # The board itself (its Leave button), for the manager, in Chinese, on the same link.
    assert translate("zh_CN", "Leave board mode") in [button.label for button in at.button]
    # One of the link's metrics: the rotation has moved on since the admin's first slide.
    assert titles(at)[0] in [translate("zh_CN", label) for label in ("Revenue", "Deals won")]
    assert {key: at.query_params[key] for key in link} == link


def test_a_goal_link_opens_after_the_session_ended_and_a_new_login(demo_app, logged_in) -> None:
    with Session(demo_app) as session:
        rep = session.get(Rep, user_named(demo_app, "rep").rep_id)
        today = office_today(demo_app)
        goal_id = str(make_goal(session, rep, today, today, 1000, title="A goal behind a link").id)
    at = logged_in("manager")
    at.query_params["id"] = goal_id
    at.switch_page("pages/goal_page.py").run()
    _end_session(demo_app, at)
    assert at.info[0].value == translate("zh_CN", "Your session has ended. Please log in again.")
    at = _link_after_logging_in_again(at, "manager", "zh_CN")
    assert [header.value for header in at.subheader][:1] == ["A goal behind a link"]
    assert at.query_params["id"] == goal_id


def test_a_link_to_a_page_the_role_may_not_see_says_so_after_login(demo_app, logged_in) -> None:
    at = logged_in("manager")
    at.switch_page("pages/targets_page.py").run()
    assert titles(at) == [translate("zh_CN", "Bulk targets")]
    _end_session(demo_app, at)
    at = _link_after_logging_in_again(at, "rep", "zh_CN")
    # The permission message in the rep's language and a way home, not the page nor Home.
    assert errors(at) == [translate("zh_CN", "You do not have access to this.")]
    assert titles(at) == []
    assert [link.label for link in at.page_link] == [translate("zh_CN", "Home")]
