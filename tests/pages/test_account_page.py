"""My account through the real page: password change and its bad input; language switch."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, User
from seed import DEMO_PASSWORD
from services.i18n import translate
from services.people.passwords import matches
from tests.pages.conftest import by_label, errors, titles

PAGE = "pages/account_page.py"


def _change(at: AppTest, current: str, new: str, repeat: str) -> AppTest:
    by_label(at.text_input, "Current password").input(current)
    by_label(at.text_input, "New password").input(new)
    by_label(at.text_input, "Repeat the new password").input(repeat)
    return by_label(at.button, "Change password").click().run()


def _admin(engine: Engine) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == "admin")).one()


def _audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def test_wrong_current_password_and_mismatch_write_nothing(demo_app, logged_in) -> None:
    at = logged_in("admin").switch_page(PAGE).run()
    before = _audit_count(demo_app)
    at = _change(at, "not-my-password", "new-password-1", "new-password-1")
    assert errors(at) == ["The current password is not correct."]
    at = _change(at, DEMO_PASSWORD, "new-password-1", "new-password-2")
    assert errors(at) == ["The two new passwords do not match."]
    at = _change(at, DEMO_PASSWORD, "密" * 30, "密" * 30)
    assert errors(at) == [
        "The password is too long: at most 72 bytes (about 24 Chinese characters)."
    ]
    assert _audit_count(demo_app) == before
    assert matches(DEMO_PASSWORD, _admin(demo_app).password_hash)


def test_password_change_succeeds_and_keeps_this_session(demo_app, logged_in) -> None:
    at = logged_in("admin").switch_page(PAGE).run()
    at = _change(at, DEMO_PASSWORD, "new-password-1", "new-password-1")
    assert not at.exception
    assert at.success[0].value.startswith("Your password was changed.")
    assert matches("new-password-1", _admin(demo_app).password_hash)
    at.switch_page("pages/home_page.py").run()
    assert titles(at) == ["Home"]


def test_language_switch_is_stored_on_the_user(demo_app, logged_in) -> None:
    at = logged_in("admin")
    by_label(at.selectbox, "Language / 语言").select("zh_CN").run()
    assert titles(at) == [translate("zh_CN", "Home")]
    assert _admin(demo_app).locale == "zh_CN"


def test_rep_home_greets_the_rep_in_their_language(demo_app, logged_in) -> None:
    at = logged_in("rep")
    assert at.subheader[0].value == translate("zh_CN", "Welcome, {name}", name="Li Wei 李伟")
