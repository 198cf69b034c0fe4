"""The bulk targets page on the demo data, used the way admins and managers use it: edit cells
of the grid, copy from the previous period, scale by a percentage, save; a bad row is named
and nothing is written; the page in both languages, and not for reps.

AppTest cannot type into a data editor's cells; it sets the editor's edit state (the
`edited_rows` the browser would send) on `at.session_state` before a run, which the script
then receives exactly as from a browser."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Goal, GoalRevision, Rep, Team, User
from models.enums import OwnerKind, PeriodKind
from services import settings
from services.i18n import translate
from services.periods import Period, containing
from tests.pages.conftest import by_label, errors, titles

PAGE = "pages/targets_page.py"


def _month(engine: Engine) -> Period:
    """The sidebar's period on a first visit: this month at the office."""
    with Session(engine) as session:
        return containing(PeriodKind.MONTH, settings.office_today(session))


def _open(logged_in: Callable[..., AppTest], username: str, locale: str = "en") -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select(locale).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _choose(at: AppTest, name: str, value: Any) -> AppTest:
    at.selectbox(key=f"targets__{name}__en").select(value).run()
    assert not at.exception, at.exception
    return at


def _grid(at: AppTest) -> pd.DataFrame:
    [editor] = at.data_editor
    return editor.value


def _type(at: AppTest, targets: dict[int, float | None]) -> dict[str, Any]:
    """Type targets into rows of the grid (by position), as the browser sends them."""
    state = {
        "edited_rows": {row: {"target": value} for row, value in targets.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state[at.data_editor[0].key] = state
    return state


def _click(at: AppTest, label: str) -> AppTest:
    by_label(at.button, label).click().run()
    assert not at.exception, at.exception
    return at


def _saved(at: AppTest) -> list[str]:
    """Save; returns the success shown after the rerun. One more run settles AppTest, which
    drops widget events in the run right after a rerun."""
    _click(at, "Save targets")
    assert not errors(at), errors(at)
    shown = [success.value for success in at.success]
    at.run()
    return shown


def _rep_ids(engine: Engine, names: list[str]) -> list[int]:
    with Session(engine) as session:
        ids = dict(session.exec(select(Rep.name, Rep.id).where(col(Rep.name).in_(names))).all())
    return [ids[name] for name in names]


def _goals(engine: Engine, key: str, period: Period, rep_ids: list[int]) -> dict[int, Goal]:
    with Session(engine) as session:
        found = session.exec(
            select(Goal).where(
                Goal.owner_kind == OwnerKind.REP, col(Goal.owner_id).in_(rep_ids),
                Goal.metric_key == key, Goal.period_start == period.start,
                Goal.period_end == period.end, col(Goal.archived_at).is_(None),
            )
        ).all()  # fmt: skip
    return {goal.owner_id: goal for goal in found if goal.owner_id is not None}


def _written(engine: Engine) -> tuple[int, int, int, int]:
    """Goals, their versions summed, revisions, audit events."""
    with Session(engine) as session:
        goals, versions = session.exec(select(func.count(), func.sum(Goal.version))).one()
        revisions = session.exec(select(func.count()).select_from(GoalRevision)).one()
        audits = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return goals, versions, revisions, audits


def _team_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Team.id).where(Team.name == name)).one()  # type: ignore[return-value]


def _yuan(stored: int | None) -> float | None:
    return None if stored is None else stored / 100


def test_an_admin_revises_a_target_in_the_grid(demo_app: Engine, logged_in: Any) -> None:
    at = _choose(_open(logged_in, "admin"), "team", _team_id(demo_app, "Team East"))
    month = _month(demo_app)
    grid = _grid(at)
    reps = _rep_ids(demo_app, list(grid["rep"]))
    current = _goals(demo_app, "revenue", month, reps)
    previous = _goals(demo_app, "revenue", month.previous(), reps)
    assert set(grid["team"]) == {"Team East"}
    assert [None if pd.isna(v) else v for v in grid["target"]] == [
        _yuan(current[rep].target if rep in current else None) for rep in reps
    ]
    assert [None if pd.isna(v) else v for v in grid["previous"]] == [
        _yuan(previous[rep].target if rep in previous else None) for rep in reps
    ]
    goal = current[reps[0]]
    new_target = goal.target / 100 + 1000

    _type(at, {0: new_target})
    at.text_input(key="targets__reason").input("Spring push")
    # Blank rows of reps without a goal count as unchanged.
    assert _saved(at) == [f"Targets saved: 0 added, 1 revised, {len(reps) - 1} unchanged."]

    with Session(demo_app) as session:
        saved = session.get(Goal, goal.id)
        [revision] = session.exec(select(GoalRevision).where(GoalRevision.goal_id == goal.id))
        admin = session.exec(select(User.id).where(User.username == "admin")).one()
    assert saved is not None and (saved.target, saved.version) == (goal.target + 100_000, 2)
    assert (revision.old_target, revision.new_target, revision.reason, revision.by_user_id) == (
        goal.target, goal.target + 100_000, "Spring push", admin,
    )  # fmt: skip
    # The grid reads the saved target back, and the reason box is empty again.
    assert _grid(at)["target"][0] == new_target
    assert at.text_input(key="targets__reason").value == ""


def test_a_manager_sets_targets_for_their_reps(demo_app: Engine, logged_in: Any) -> None:
    at = _choose(_open(logged_in, "manager"), "metric", "new_customers")
    month = _month(demo_app)
    grid = _grid(at)
    reps = _rep_ids(demo_app, list(grid["rep"]))
    with Session(demo_app) as session:
        manager = session.exec(select(User).where(User.username == "manager")).one()
        teams = session.exec(select(Team.name).where(Team.manager_user_id == manager.id)).all()
    assert set(grid["team"]) == set(teams)
    assert _goals(demo_app, "new_customers", month, reps) == {}
    audits = _written(demo_app)[3]

    _type(at, {0: 12, 1: 8})
    assert _saved(at) == [f"Targets saved: 2 added, 0 revised, {len(reps) - 2} unchanged."]

    made = _goals(demo_app, "new_customers", month, reps)
    assert {rep: goal.target for rep, goal in made.items()} == {reps[0]: 12, reps[1]: 8}
    goal = made[reps[0]]
    assert (goal.period_kind, goal.period_start, goal.period_end) == (
        PeriodKind.MONTH, month.start, month.end,
    )  # fmt: skip
    assert goal.title.startswith("New customers ")
    with Session(demo_app) as session:
        events = session.exec(
            select(AuditEvent.action, AuditEvent.user_id).order_by(col(AuditEvent.id))
        ).all()
    assert events[audits:] == [("goals.create", manager.id)] * 2


def _scaled(stored: int, percent: int) -> float:
    """A count target raised by `percent` %, rounded half up to a whole number, by hand."""
    return float((Decimal(stored) * (100 + percent) / 100).quantize(1, rounding=ROUND_HALF_UP))


def test_copy_from_the_previous_period_then_scale_and_save(
    demo_app: Engine, logged_in: Any
) -> None:
    at = _choose(_open(logged_in, "manager"), "metric", "deals_won")
    month = _month(demo_app)
    reps = _rep_ids(demo_app, list(_grid(at)["rep"]))
    current = _goals(demo_app, "deals_won", month, reps)
    previous = _goals(demo_app, "deals_won", month.previous(), reps)
    assert previous, "the demo data sets last month's deals won"

    _click(at, "Copy from previous period").run()
    copied = [previous[rep].target if rep in previous else None for rep in reps]
    kept = [current[rep].target if rep in current else None for rep in reps]
    expected = [float(p) if p is not None else k for p, k in zip(copied, kept, strict=True)]
    assert [None if pd.isna(v) else v for v in _grid(at)["target"]] == expected

    at.number_input(key="targets__percent").set_value(10)
    _click(at, "Scale by %").run()
    scaled = [None if value is None else _scaled(int(value), 10) for value in expected]
    assert [None if pd.isna(v) else v for v in _grid(at)["target"]] == scaled

    at.text_input(key="targets__reason").input("Last month plus ten percent")
    changed = sum(
        rep in current and target != current[rep].target
        for rep, target in zip(reps, scaled, strict=True)
    )
    new = sum(
        rep not in current and target is not None for rep, target in zip(reps, scaled, strict=True)
    )
    [shown] = _saved(at)
    assert shown == (
        f"Targets saved: {new} added, {changed} revised, {len(reps) - new - changed} unchanged."
    )
    after = _goals(demo_app, "deals_won", month, reps)
    assert [after[rep].target if rep in after else None for rep in reps] == [
        None if value is None else int(value) for value in scaled
    ]


def test_a_bad_row_is_named_and_nothing_is_saved(demo_app: Engine, logged_in: Any) -> None:
    at = _choose(_open(logged_in, "admin"), "team", _team_id(demo_app, "Team East"))
    grid = _grid(at)
    before = _written(demo_app)
    typed = _type(at, {0: float(grid["target"][0]) + 500, 1: -5})
    at.text_input(key="targets__reason").input("Spring push")

    _click(at, "Save targets")

    assert errors(at) == [
        "Nothing was saved. Rows to fix: 1.",
        f"{grid['rep'][1]}: The amount cannot be negative.",
    ]
    assert _written(demo_app) == before
    # The grid keeps what was typed, for the user to correct.
    at.run()
    assert at.session_state[at.data_editor[0].key] == typed
    assert at.text_input(key="targets__reason").value == "Spring push"

    _type(at, {0: float(grid["target"][0]) + 500, 1: float(grid["target"][1])})
    [shown] = _saved(at)
    assert shown.startswith("Targets saved: 0 added, 1 revised")
    assert _written(demo_app)[2] == before[2] + 1


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
@pytest.mark.parametrize("username", ["admin", "manager"])
def test_the_page_renders_in_both_languages(
    demo_app: Engine, logged_in: Any, username: str, locale: str
) -> None:
    at = _open(logged_in, username, locale)
    assert translate(locale, "Bulk targets") in titles(at)
    assert len(_grid(at)) > 0
    assert [button.label for button in at.button][:3] == [
        translate(locale, "Copy from previous period"),
        translate(locale, "Scale by %"),
        translate(locale, "Save targets"),
    ]


def test_reps_have_no_bulk_targets_page(logged_in: Any) -> None:
    at = logged_in("rep")
    with pytest.raises(ValueError, match="targets_page"):
        at.switch_page(PAGE)
