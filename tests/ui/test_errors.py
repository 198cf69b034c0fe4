"""ui.errors: a service's error becomes one message in the user's language, with typed values
escaped and times formatted; attempt() shows it instead of failing and reports what happened."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.enums import Role
from services import settings
from services.errors import PermissionDenied
from services.i18n import translate
from tests.factories import Org
from ui import runtime
from ui.i18n import LOCALE_KEY
from ui.text import plain

KEY = "leaderboard_visibility"
TYPED = "**all** [here](https://evil.example)"


def _explain() -> None:
    from datetime import UTC, date, datetime

    import streamlit as st

    from models.base import FieldProblem
    from services.errors import RepboardError
    from ui.errors import message, show

    st.markdown(message(FieldProblem("Use at most {limit} characters.", limit=40)))
    show(RepboardError("Unknown setting: {key}.", key="**all** [here](https://evil.example)"))
    show(RepboardError("Unknown setting: {key}.", key=datetime(2026, 3, 9, 1, 30, tzinfo=UTC)))
    show(RepboardError("Ends on {end}.", end=date(2026, 12, 31)))


def test_a_message_escapes_typed_text_and_formats_dates_times_and_numbers() -> None:
    at = AppTest.from_function(_explain, default_timeout=30)
    at.session_state[LOCALE_KEY] = "zh_CN"
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == translate("zh_CN", "Use at most {limit} characters.", limit=40)
    typed, moment, day = (error.value for error in at.error)
    # Markdown escapes: the typed text shows as typed, never as bold or a link.
    assert typed == translate("zh_CN", "Unknown setting: {key}.", key=plain(TYPED))
    assert "**" not in typed and "](" not in typed
    assert moment == translate("zh_CN", "Unknown setting: {key}.", key="2026年3月9日 09:30:00")
    # A date is written as every date is, never as ISO.
    assert day == translate("zh_CN", "Ends on {end}.", end="2026年12月31日")
    assert [error.icon for error in at.error] == ["⚠️"] * 3


def _set_visibility() -> None:
    import streamlit as st

    from services import settings
    from ui.errors import attempt

    done, stored = attempt(settings.set_value, key="leaderboard_visibility",
                           value=st.session_state["value"])  # fmt: skip
    st.text(f"{done} {None if stored is None else stored.value}")


def _attempted(engine: Engine, role: Role, value: str) -> AppTest:
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        user = {Role.ADMIN: org.admin, Role.REP: org.east_rep_user}[role]
        actor = org.actor(session, user)
    at = AppTest.from_function(_set_visibility, default_timeout=30)
    for key, state in {runtime.ACTOR_KEY: actor, LOCALE_KEY: "zh_CN", "value": value}.items():
        at.session_state[key] = state
    at.run()
    assert not at.exception, at.exception
    return at


def _stored(engine: Engine) -> settings.StoredSetting:
    with Session(engine) as session:
        return settings.stored(session, KEY)


def test_a_service_that_succeeds_returns_its_result_and_shows_nothing(app_env: Engine) -> None:
    at = _attempted(app_env, Role.ADMIN, "everyone")
    assert (at.text[0].value, list(at.error)) == ("True everyone", [])
    assert _stored(app_env).value == "everyone"


@pytest.mark.parametrize(
    ("role", "value", "msgid"),
    [
        (Role.REP, "everyone", PermissionDenied.default_msgid),
        (Role.ADMIN, "sideways", "Choose one of the offered values."),
    ],
)
def test_a_refused_call_shows_why_in_the_user_s_language_and_writes_nothing(
    app_env: Engine, role: Role, value: str, msgid: str
) -> None:
    at = _attempted(app_env, role, value)
    assert at.text[0].value == "False None"
    assert [error.value for error in at.error] == [translate("zh_CN", msgid)]
    assert _stored(app_env).version is None
