"""ui/goals/filters.py: the goals list's filters start from the sidebar's period (goals of
its length), turn each choice into the GoalFilters the service reads, and speak both languages."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.enums import OwnerKind, PeriodKind
from services.access import Actor
from services.goals.records import GoalFilters
from services.i18n import translate
from services.periods import Period, containing
from tests.factories import Org
from tests.ui.conftest import piece

ZH = "zh_CN"
MARCH = containing(PeriodKind.MONTH, date(2026, 3, 1))
KEY = "f_"


def _filters(period: object) -> None:  # the body runs as a script: builtins only here
    import streamlit as st

    from ui import runtime
    from ui.goals.filters import goal_filters

    st.session_state["chosen"] = goal_filters(runtime.current_actor(), period, key="f_")


def _actors(engine: Engine) -> tuple[Org, Actor, Actor]:
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        return org, org.actor(session, org.admin), org.actor(session, org.east_rep_user)


def _run(actor: Actor, period: Period, locale: str = "en") -> AppTest:
    at = piece(_filters, period, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def test_a_month_lists_monthly_goals_until_the_choices_narrow_it(fresh_app_env: Engine) -> None:
    org, admin, _rep = _actors(fresh_app_env)
    at = _run(admin, MARCH)
    assert at.session_state["chosen"] == GoalFilters(period=MARCH, period_kind=PeriodKind.MONTH)

    at.selectbox(key=f"{KEY}kind__en").select("all")
    at.selectbox(key=f"{KEY}owner__en").select("team")
    at.selectbox(key=f"{KEY}team__en").select(org.east.id)
    at.selectbox(key=f"{KEY}metric__en").select("win_rate").run()
    assert not at.exception, at.exception
    assert at.session_state["chosen"] == GoalFilters(
        period=MARCH, owner_kind=OwnerKind.TEAM, team_id=org.east.id, metric_key="win_rate"
    )
    # The choices are remembered over a rerun.
    assert at.run().session_state["chosen"].team_id == org.east.id


def test_a_custom_period_lists_goals_of_every_length_in_chinese(fresh_app_env: Engine) -> None:
    _org, _admin, rep = _actors(fresh_app_env)
    days = Period(PeriodKind.CUSTOM, date(2026, 3, 5), date(2026, 4, 20))
    at = _run(rep, days, ZH)
    assert at.session_state["chosen"] == GoalFilters(period=days)
    # A rep has no team to choose: their own goals are all they see.
    kind, owner, metric = at.selectbox
    every = translate(ZH, "All")
    assert (kind.label, kind.value) == (translate(ZH, "Goal period"), "all")
    assert kind.options == [every, *(translate(ZH, word) for word in
                                     ("Month", "Quarter", "Year", "Custom"))]  # fmt: skip
    assert owner.options == [every, *(translate(ZH, word) for word in ("Company", "Team", "Rep"))]
    assert metric.label == translate(ZH, "Metric")
    assert metric.options[0] == every and translate(ZH, "Win rate") in metric.options
