"""ui/goals/targets_grid.py: the grid holds the rows the service built, a refused save names
each bad row in the user's language and keeps what was typed, Discard starts over, and a
team outside the scope or one without reps shows a message instead of a grid."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Goal
from models.enums import PeriodKind
from services.access import Actor
from services.errors import PermissionDenied
from services.i18n import translate
from services.periods import containing
from tests.factories import Org, make_goal, make_rep, make_team
from tests.pages.conftest import by_label
from tests.pages.test_targets_page import _type
from tests.services.goals.cases import goal_state
from tests.ui.conftest import piece

ZH = "zh_CN"
MARCH = containing(PeriodKind.MONTH, date(2026, 3, 10))
FEBRUARY = MARCH.previous()


def _grid(period: object, team_id: object) -> None:  # the body runs as a script: builtins only
    from ui.goals.targets_grid import targets_grid

    targets_grid("revenue", period, team_id)


def _org(engine: Engine) -> Org:
    """East Rep's March goal of 120,000 (100,000.50 in February), West Rep's February 90,000,
    and a rep without a team."""
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        make_goal(session, org.east_rep, MARCH.start, MARCH.end, 12_000_000, kind=PeriodKind.MONTH)
        for rep, target in [(org.east_rep, 10_000_050), (org.west_rep, 9_000_000)]:
            make_goal(session, rep, FEBRUARY.start, FEBRUARY.end, target, kind=PeriodKind.MONTH)
        make_rep(session, None, "Solo Rep")
        return org


def _actor(engine: Engine, org: Org, who: str = "admin") -> Actor:
    with Session(engine) as session:
        return org.actor(session, getattr(org, who))


def _opened(actor: Actor, team_id: int | None = None, locale: str = "en") -> AppTest:
    at = piece(_grid, MARCH, team_id, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _column(at: AppTest, name: str) -> list[object]:
    frame: pd.DataFrame = at.data_editor[0].value
    return [None if isinstance(v, float) and math.isnan(v) else v for v in frame[name]]


def test_the_grid_holds_each_rep_with_this_and_last_periods_targets(fresh_app_env: Engine) -> None:
    org = _org(fresh_app_env)
    at = _opened(_actor(fresh_app_env, org))
    assert _column(at, "rep") == ["East Rep", "East Sub Rep", "West Rep", "Solo Rep"]
    assert _column(at, "team") == ["East", "East Sub", "West", ""]
    assert _column(at, "target") == [120_000, None, None, None]
    assert _column(at, "previous") == [100_000.5, None, 90_000, None]


def test_a_refused_save_names_the_row_keeps_the_typing_and_writes_nothing(
    fresh_app_env: Engine,
) -> None:
    org = _org(fresh_app_env)
    at = _opened(_actor(fresh_app_env, org), locale=ZH)
    before = goal_state(fresh_app_env)
    typed_into, typed = at.data_editor[0].key, _type(at, {1: 5_000, 2: -5})
    at.text_input[0].input("Spring plan")
    by_label(at.button, translate(ZH, "Save targets")).click().run()
    assert not at.exception, at.exception

    assert [error.value for error in at.error] == [
        translate(ZH, "Nothing was saved. Rows to fix: {count}.", count="1"),
        translate(ZH, "{rep}: {problem}", rep="West Rep",
                  problem=translate(ZH, "The amount cannot be negative.")),
    ]  # fmt: skip
    assert goal_state(fresh_app_env) == before
    # The same editor, so the cells keep what was typed for the user to fix.
    [editor] = at.data_editor
    assert (editor.key, at.session_state[editor.key]) == (typed_into, typed)


def test_discard_starts_the_grid_over_from_the_saved_targets(fresh_app_env: Engine) -> None:
    org = _org(fresh_app_env)
    at = _opened(_actor(fresh_app_env, org))
    typed_into = at.data_editor[0].key
    _type(at, {0: 1, 3: 2})
    by_label(at.button, "Discard changes").click().run()
    assert not at.exception, at.exception
    # A new editor: the typed cells are gone, and saving now changes nothing.
    [editor] = at.data_editor
    assert editor.key != typed_into and typed_into not in at.session_state
    assert _column(at, "target") == [120_000, None, None, None]
    before = goal_state(fresh_app_env)
    by_label(at.button, "Save targets").click().run()
    assert not at.error and goal_state(fresh_app_env)[:4] == before[:4]


def test_copy_then_save_through_the_grid(fresh_app_env: Engine) -> None:
    org = _org(fresh_app_env)
    at = _opened(_actor(fresh_app_env, org, "east_manager"))
    assert _column(at, "rep") == ["East Rep", "East Sub Rep"]
    by_label(at.button, "Copy from previous period").click().run()
    assert _column(at, "target") == [100_000.5, None]
    at.text_input[0].input("Back to February")
    by_label(at.button, "Save targets").click().run()
    assert not at.exception and not at.error, at.error
    with Session(fresh_app_env) as session:
        march = session.exec(
            select(Goal.owner_id, Goal.target).where(col(Goal.period_start) == MARCH.start)
        ).all()
    assert [tuple(row) for row in march] == [(org.east_rep.id, 10_000_050)]


def test_a_team_outside_the_scope_or_without_reps_shows_a_message(fresh_app_env: Engine) -> None:
    org = _org(fresh_app_env)
    at = _opened(_actor(fresh_app_env, org, "east_manager"), org.west.id, locale=ZH)
    assert [error.value for error in at.error] == [translate(ZH, PermissionDenied.default_msgid)]
    assert not at.data_editor
    with Session(fresh_app_env) as session:
        empty = make_team(session, "Empty").id
    at = _opened(_actor(fresh_app_env, org), empty, locale=ZH)
    assert [info.value for info in at.info] == [translate(ZH, "No active rep here.")]
    assert not at.data_editor
