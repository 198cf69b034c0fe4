"""ui/goals/view.py: the goals table, the cascade tree and a goal's history and SMART marks
show the rows the services built, in the user's language, and say so when there are none."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.enums import PeriodKind
from models.goals import Goal
from services import settings
from services.goals import cascade
from services.goals import listing as goal_list
from services.goals import records as goals
from services.goals.listing import GoalPage, ReviewPage
from services.goals.records import GoalFilters
from services.goals.smart import Mark
from services.i18n import translate
from services.periods import containing
from tests.factories import Org, make_goal
from tests.ui.conftest import piece
from ui.tables import ID_COLUMN

ZH = "zh_CN"


def _show(name: str, args: tuple, kwargs: dict) -> None:  # runs as a script: builtins only
    from ui.goals import view

    getattr(view, name)(*args, **kwargs)


def _shown(name: str, *args: Any, locale: str = "en", **kwargs: Any) -> AppTest:
    at = piece(_show, name, args, kwargs, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _running(session: Session, owner: Any, target: int, **fields: Any) -> Goal:
    """A revenue goal over the 30 days around the office's today: a third of them gone."""
    today = settings.office_today(session)
    start, end = today - timedelta(days=9), today + timedelta(days=20)
    return make_goal(session, owner, start, end, target, **fields)


def test_the_goals_table_shows_the_page_of_goals_with_their_progress(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        company = _running(session, None, 900_000, title="Company push")
        _running(session, org.west_rep, 300_000, title="West push")
        found = goal_list.list_page(
            session, org.actor(session, org.admin), filters=GoalFilters(), page_size=1
        )
    at = _shown("goals_table", found, key="list_", locale=ZH)

    [table] = at.dataframe
    frame = table.value
    zh = {msgid: translate(ZH, msgid) for msgid in ("Goal", "Title", "Owner", "Pace", "Actual")}
    assert list(frame[ID_COLUMN]) == [company.id]
    assert list(frame[zh["Title"]]) == ["Company push"]
    assert list(frame[zh["Owner"]]) == [translate(ZH, "Company")]
    # Nothing won yet a third of the way in: off track.
    assert list(frame[zh["Pace"]]) == [translate(ZH, "Off track")]
    assert list(frame[translate(ZH, "Attainment")]) == [0.0]
    pages = translate(ZH, "Page {page} of {pages} · {total} goals", page="1", pages="2", total="2")
    assert [caption.value for caption in at.caption] == [
        pages, translate(ZH, "Click a title to open its goal."),
    ]  # fmt: skip
    assert [(button.label, button.disabled) for button in at.button] == [
        (translate(ZH, "Previous"), True), (translate(ZH, "Next"), False),
    ]  # fmt: skip


def test_empty_lists_say_so_and_draw_no_table(app_env: Engine) -> None:
    for name, page, msgid in [
        (
            "goals_table",
            GoalPage([], 0, 1, 1),
            "No goals match. Add one, or choose another period.",
        ),
        ("review_table", ReviewPage([], 0, 1, 1), "No running goals to review."),
    ]:
        at = _shown(name, page, key="empty_", locale=ZH)
        assert [info.value for info in at.info] == [translate(ZH, msgid)]
        assert not at.dataframe


def _tree(engine: Engine, who: str) -> tuple[Org, list[cascade.CascadeNode]]:
    """The company's 100,000 over East's 30,000 (with its rep's 30,000) and West's 50,000."""
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        year = containing(PeriodKind.YEAR, date(2026, 1, 1))
        top = make_goal(session, None, year.start, year.end, 10_000_000, kind=PeriodKind.YEAR)
        for team, rep, target in [(org.east, org.east_rep, 3_000_000), (org.west, None, 5_000_000)]:
            middle = make_goal(session, team, year.start, year.end, target, parent=top,
                               kind=PeriodKind.YEAR)  # fmt: skip
            if rep is not None:
                make_goal(session, rep, year.start, year.end, target, parent=middle,
                          kind=PeriodKind.YEAR)  # fmt: skip
        return org, cascade.tree(session, org.actor(session, getattr(org, who)), top.id)


def test_the_cascade_indents_the_tree_and_tells_how_the_children_cover_each_goal(
    app_env: Engine,
) -> None:
    _org, nodes = _tree(app_env, "admin")
    frame = _shown("cascade_table", nodes).dataframe[0].value
    assert list(frame["Owner"]) == ["Company", "　East", "　　East Rep", "　West"]
    covers = list(frame["Children's targets"])
    # 30,000 + 50,000 of 100,000: a fifth short, in the metric's money (whole yuan in a table).
    assert covers[0].startswith("Under-covered by ") and covers[0].endswith("¥20,000 (20.0%)")
    assert covers[1:] == ["Fully covered", "", ""]
    assert list(frame["Not shown"]) == ["", "", "", ""]


def test_a_cascade_with_hidden_children_tells_only_whether_they_cover_it(app_env: Engine) -> None:
    _org, nodes = _tree(app_env, "west_manager")
    frame = _shown("cascade_table", nodes, locale=ZH).dataframe[0].value
    owner, covers = translate(ZH, "Owner"), translate(ZH, "Children's targets")
    assert list(frame[owner]) == [translate(ZH, "Company"), "　West"]
    assert list(frame[covers]) == [translate(ZH, "Under-covered"), ""]
    assert list(frame[translate(ZH, "Not shown")]) == ["1", ""]


def test_the_history_lists_the_revisions_newest_first(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        admin = org.actor(session, org.admin)
        today = settings.office_today(session)
        month = containing(PeriodKind.MONTH, today)
        goal = goals.create(session, admin, data={
            "owner_kind": "rep", "owner_id": org.east_rep.id, "metric_key": "win_rate",
            "target": "40", "period_kind": PeriodKind.MONTH, "period_start": month.start,
            "period_end": month.end, "title": "Win more",
        })  # fmt: skip
        goals.revise(session, admin, goal_id=goal.id, version=1, target="45", reason="Up")
        goals.revise(session, admin, goal_id=goal.id, version=2, target="45", reason="Kept")
        report = goal_list.goal_progress(session, admin, goal.id)
    frame = _shown("history", report).dataframe[0].value
    assert list(frame["By"]) == ["Admin", "Admin"]
    assert list(frame["Old target"]) == ["45.0%", "40.0%"]
    assert list(frame["New target"]) == ["45.0%", "45.0%"]
    assert list(frame["Reason"]) == ["Kept", "Up"]

    unrevised = replace(report, revisions=())
    at = _shown("history", unrevised, locale=ZH)
    assert [caption.value for caption in at.caption] == [
        translate(ZH, "No revisions or reviews yet.")
    ]
    assert not at.dataframe


@pytest.mark.parametrize("locale", ["en", ZH])
def test_smart_marks_show_met_flagged_and_unknown_with_the_past_numbers(
    app_env: Engine, locale: str
) -> None:
    values = {"target": 900_000.0, "best": 300_000.0, "average": 200_000.0}
    marks = [
        Mark("S", True, "Title, metric and owner are set."),
        Mark("A", False, "Far beyond the best of the last {periods} periods.", {"periods": 6},
             values),
        Mark("T", None, "Choose the period it ends with."),
    ]  # fmt: skip
    lines = [
        markdown.value
        for markdown in _shown("smart_marks", marks, "revenue", locale=locale).markdown
    ]
    assert [line.split(" ", 1)[0] for line in lines] == [
        ":green[:material/check_circle:]", ":orange[:material/warning:]",
        ":gray[:material/help:]",
    ]  # fmt: skip
    specific = translate(locale, "Specific")
    assert lines[0].endswith(
        f"**{specific}** — {translate(locale, 'Title, metric and owner are set.')}"
    )
    far = translate(locale, "Far beyond the best of the last {periods} periods.", periods=6)
    assert far in lines[1] and "¥9,000" in lines[1] and "¥3,000" in lines[1]
    assert ".00" not in lines[1]  # whole yuan in a sentence


@pytest.mark.parametrize(
    ("locale", "short", "full"),
    [("en", "CN¥6.89M", "CN¥6,892,600.37"), (ZH, "¥689.26万", "¥6,892,600.37")],
)
def test_goal_tiles_show_money_short_with_the_full_amount_in_their_help(
    app_env: Engine, locale: str, short: str, full: str
) -> None:
    """A target of CN¥6,892,600.37 fits its tile as CN¥6.89M (it was cut to "CN¥6,892,60…")."""
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        goal = make_goal(session, org.east_rep, date(2026, 1, 1), date(2026, 12, 31),
                         689_260_037, title="Big year")  # fmt: skip
        report = goal_list.goal_progress(session, org.actor(session, org.admin), goal.id)
    # Nothing done yet, nothing to project (or, early, to compare with).
    report = replace(report, actual=None, forecast=None, expected=None)
    tiles = _shown("progress_tiles", report, locale=locale).metric
    labels = [translate(locale, msgid) for msgid in ("Actual", "Target", "Attainment")]
    assert [tile.label for tile in tiles[:3]] == labels
    target = tiles[1]
    assert target.value == short and target.proto.help == full
    # Nothing to show, or a percent, reads the same short and in full: no help.
    assert [(tile.value, tile.proto.help) for tile in (tiles[0], tiles[3])] == [("—", "")] * 2


EARLY_LINE = (
    "{pace} · {status} · day {elapsed} of {days} · the previous period by this day: {expected}"
)


@pytest.mark.parametrize("locale", ["en", ZH])
def test_early_in_a_period_the_goal_says_its_pace_is_against_the_period_before(
    app_env: Engine, locale: str
) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        goal = make_goal(session, org.east_rep, date(2026, 12, 1), date(2026, 12, 31), 18,
                         metric_key="deals_won", title="December deals")  # fmt: skip
        admin = org.actor(session, org.admin)
        report = goal_list.goal_progress(session, admin, goal.id)
        page = goal_list.list_page(session, admin, filters=GoalFilters())
    # Day 3 of 31, as the service gives it: one deal against four in 1–3 November.
    early = {"early": True, "actual": 1, "expected": 4, "forecast": None, "elapsed_days": 3}
    at = _shown("progress_tiles", replace(report, **early), locale=locale)
    fourth = at.metric[3]
    assert (fourth.label, fourth.value) == (translate(locale, "Previous period, same days"), "4")
    [line] = [block.value for block in at.markdown]
    said = translate(locale, EARLY_LINE).split("{days}")[1].format(expected="4")
    assert line.endswith(said)
    [caption] = at.caption
    assert caption.value == translate(
        locale,
        "Early in the period, pace is measured against the same days of the previous period "
        "instead of a run-rate forecast.",
    )
    # Later in the period: the run-rate forecast, and nothing said about the period before.
    later = _shown("progress_tiles", replace(report, early=False, forecast=7.75), locale=locale)
    assert later.metric[3].label == translate(locale, "Forecast at period end")
    assert not later.caption
    [row] = page.rows
    table = _shown("goals_table", replace(page, rows=[replace(row, **early)]), key="early_",
                   locale=locale).dataframe[0].value  # fmt: skip
    assert list(table[translate(locale, "Forecast")]) == [translate(locale, "Too early to project")]
