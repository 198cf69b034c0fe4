"""ui/goals/forms.py: each goal form writes through its service; bad input shows the translated
message and writes nothing; the unit a target is typed in, and a stored target as typed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Goal, GoalCheckin, GoalRevision
from models.enums import PeriodKind
from services import settings
from services.access import Actor
from services.goals import records as goals
from services.goals.records import GoalFile
from services.i18n import translate
from services.periods import containing
from tests.factories import Org, goal_data
from tests.services.goals.cases import goal_state
from tests.ui.conftest import piece
from ui.goals import forms
from ui.text import plain

ZH = "zh_CN"


def _form(name: str, goal: object) -> None:  # the body runs as a script: builtins only here
    from ui.goals import forms

    getattr(forms, name)(goal, key="g_")


def _goal(engine: Engine, **changes: Any) -> tuple[Actor, GoalFile]:
    """A revenue goal of 50,000 for this month of East Rep's, added by the admin."""
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        admin = org.actor(session, org.admin)
        month = containing(PeriodKind.MONTH, settings.office_today(session))
        data = goal_data(org.east_rep, month, title="March push") | changes
        return admin, goals.create(session, admin, data=data)


def _opened(name: str, actor: Actor, goal: GoalFile, locale: str = ZH) -> AppTest:
    at = piece(_form, name, goal, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest) -> AppTest:
    [button] = at.button
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_a_revision_without_a_reason_is_refused_and_one_with_it_is_kept(app_env: Engine) -> None:
    admin, goal = _goal(app_env)
    at = _opened("revise_form", admin, goal)
    [target] = at.text_input
    assert target.value == "50000"  # the stored 5,000,000 fen as typed
    assert target.label == translate(ZH, "Target ({unit})", unit="CNY")
    before = goal_state(app_env)

    target.input("60,000")
    _submit(at)
    assert [error.value for error in at.error] == [translate(ZH, "Say why the target changes.")]
    assert goal_state(app_env) == before

    at.text_area[0].input("A new account")
    _submit(at)
    assert not at.error
    with Session(app_env) as session:
        stored = session.get(Goal, goal.id)
        revisions = session.exec(select(GoalRevision.reason)).all()
    assert stored is not None and (stored.target, stored.version) == (6_000_000, 2)
    assert revisions == ["A new account"]


def test_editing_keeps_the_parent_and_refuses_an_empty_title(app_env: Engine) -> None:
    admin, goal = _goal(app_env, description="First words")
    at = _opened("edit_form", admin, goal, locale="en")
    title, [description] = at.text_input[0], at.text_area
    assert (title.value, description.value) == ("March push", "First words")
    before = goal_state(app_env)

    title.input("  ")
    _submit(at)
    assert len(at.error) == 1 and goal_state(app_env) == before

    at.text_input[0].input("April push")
    _submit(at)
    with Session(app_env) as session:
        stored = session.get(Goal, goal.id)
    assert stored is not None
    assert (stored.title, stored.description, stored.parent_id) == (
        "April push",
        "First words",
        None,
    )


def _share(engine: Engine) -> tuple[Actor, GoalFile, date]:
    """A market share goal (entered by hand) over the 60 days around the office's today."""
    with Session(engine) as session:
        today = settings.office_today(session)
    admin, goal = _goal(
        engine, metric_key="market_share", target="20", period_kind=PeriodKind.CUSTOM,
        period_start=today - timedelta(days=30), period_end=today + timedelta(days=30),
    )  # fmt: skip
    return admin, goal, today


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [("twelve", "Enter the target as a number."), ("101", "Enter a percentage between 0 and 100.")],
)
def test_a_bad_check_in_is_refused_in_the_users_language(
    app_env: Engine, typed: str, msgid: str
) -> None:
    admin, goal, _today = _share(app_env)
    at = _opened("checkin_form", admin, goal)
    value = at.text_input[0]
    assert value.label == translate(ZH, "Value ({unit})", unit=plain("%"))
    before = goal_state(app_env)
    value.input(typed)
    _submit(at)
    assert [error.value for error in at.error] == [translate(ZH, msgid)]
    assert goal_state(app_env) == before


def test_a_check_in_is_kept_for_the_day_chosen(app_env: Engine) -> None:
    admin, goal, today = _share(app_env)
    at = _opened("checkin_form", admin, goal)
    at.date_input[0].set_value(today - timedelta(days=2))
    at.text_input[0].input("12.5")
    at.text_input[1].input("From the survey")
    _submit(at)
    assert not at.error
    with Session(app_env) as session:
        kept = session.exec(
            select(GoalCheckin.checked_on, GoalCheckin.value, GoalCheckin.note).order_by(
                col(GoalCheckin.id)
            )
        ).all()
    assert [tuple(row) for row in kept] == [(today - timedelta(days=2), 1_250, "From the survey")]


def test_archive_and_restore(app_env: Engine) -> None:
    admin, goal = _goal(app_env)
    at = _opened("archive_button", admin, goal)
    assert [button.label for button in at.button] == [translate(ZH, "Archive goal")]
    _submit(at)
    with Session(app_env, expire_on_commit=False) as session:
        archived = goals.get(session, admin, goal.id)
    assert (archived.archived_at is not None, archived.version) == (True, 2)

    at = _opened("archive_button", admin, archived)
    assert [button.label for button in at.button] == [translate(ZH, "Restore goal")]
    _submit(at)
    with Session(app_env) as session:
        restored = session.get(Goal, goal.id)
    assert restored is not None and (restored.archived_at, restored.version) == (None, 3)


def _new_goal() -> None:  # the body runs as a script: builtins only here
    from ui import runtime
    from ui.goals.forms import new_goal_form

    new_goal_form(runtime.current_actor(), key="n_")


def test_a_new_goal_without_a_target_is_refused_and_nothing_is_written(
    fresh_app_env: Engine,
) -> None:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        org = Org(session)
        admin = org.actor(session, org.admin)
    at = piece(_new_goal, actor=admin, locale=ZH).run()
    assert not at.exception, at.exception
    # An admin sets the company's goal first; its title is suggested from metric and period.
    assert at.selectbox[0].value == "company"
    assert at.text_input(key="n_title").value.startswith(translate(ZH, "Revenue"))
    before = goal_state(fresh_app_env)

    at.button(key="n_save").click().run()
    assert not at.exception, at.exception
    blank = translate(ZH, "Enter the amount as a number, like 12500.50.")
    assert [error.value for error in at.error] == [blank]
    assert goal_state(fresh_app_env) == before


def _units(keys: list) -> None:  # the body runs as a script: builtins only here
    import streamlit as st

    from ui.goals.forms import unit_hint

    for key in keys:
        st.text(unit_hint(key))


def test_each_metric_names_the_unit_its_target_is_typed_in(app_env: Engine) -> None:
    keys = ["revenue", "win_rate", "csat", "deals_won", "sales_cycle_days"]
    at = piece(_units, keys, locale=ZH).run()
    assert not at.exception, at.exception
    # Money in the currency of the settings; counts and days in words of the language.
    assert [text.value for text in at.text] == [
        "CNY", "%", "1 – 5", translate(ZH, "count"), translate(ZH, "days"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("metric_key", "stored", "typed"),
    [("revenue", 1_250_050, "12500.5"), ("win_rate", 4_550, "45.5"), ("deals_won", 12, "12"),
     ("csat", 450, "4.5")],
)  # fmt: skip
def test_a_stored_target_reads_as_it_is_typed(metric_key: str, stored: int, typed: str) -> None:
    assert forms.typed(metric_key, stored) == typed


def test_the_suggested_title_follows_metric_and_period_until_one_is_typed(
    fresh_app_env: Engine,
) -> None:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        org = Org(session)
        admin = org.actor(session, org.admin)
    at = piece(_new_goal, actor=admin).run()
    assert at.text_input(key="n_title").value.startswith("Revenue ")
    at.selectbox(key="n_metric").select("deals_won").run()
    assert not at.exception, at.exception
    assert at.text_input(key="n_title").value.startswith("Deals won ")
    at.text_input(key="n_title").input("Spring push").run()
    at.selectbox(key="n_metric").select("revenue").run()
    assert at.text_input(key="n_title").value == "Spring push"
    # Emptied, the box follows the form again.
    at.text_input(key="n_title").input("").run()
    at.selectbox(key="n_metric").select("deals_won").run()
    assert at.text_input(key="n_title").value.startswith("Deals won ")
