"""The login gate through the real app.py: messages, lockout, forced password change, sessions."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import AuditEvent, User
from seed import DEMO_PASSWORD
from services import users
from services.access import build_actor
from services.i18n import translate
from tests.pages.conftest import by_label, errors, new_app, submit_login, titles

WRONG = "Username or password is incorrect."


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _user(engine: Engine, username: str) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


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
    assert _user(demo_app, "admin").failed_logins == 0


def test_five_wrong_passwords_lock_the_account_until_a_time(demo_app) -> None:
    for _ in range(4):
        assert errors(submit_login(new_app().run(), "rep", "wrong-password")) == [WRONG]
    locked = submit_login(new_app().run(), "rep", "wrong-password")
    assert errors(locked)[0].startswith("Too many failed attempts. This account is locked until")
    # The right password does not get through while locked, in a fresh browser session too.
    again = submit_login(new_app().run(), "rep", DEMO_PASSWORD)
    assert errors(again)[0].startswith("Too many failed attempts.")
    assert titles(again) == ["Repboard"]
    assert _user(demo_app, "rep").locked_until is not None


def test_a_reset_password_must_be_changed_before_anything_else(demo_app) -> None:
    with Session(demo_app) as session:
        admin = build_actor(session, _user(demo_app, "admin"))
        rep = _user(demo_app, "rep")
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
    assert not _user(demo_app, "rep").must_change_password
    at.switch_page("pages/home_page.py").run()
    assert titles(at) == [translate("zh_CN", "Home")]


def test_deactivating_a_user_ends_their_open_session(demo_app, logged_in) -> None:
    at = logged_in("manager")
    assert titles(at) == [translate("zh_CN", "Home")]
    with Session(demo_app) as session:
        admin = build_actor(session, _user(demo_app, "admin"))
        manager = _user(demo_app, "manager")
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
