"""The goals pages on the demo data, used as a manager uses them: add a goal with its SMART
check, revise it with a reason, bad input refused with nothing written; a rep sees only
their own goals; goals behind pace on Home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Goal, GoalRevision, Rep, Team, User
from models.enums import OwnerKind, PeriodKind
from services import data_version
from services.goals import listing as goal_list
from services.i18n import translate
from tests.factories import make_goal
from tests.pages.conftest import by_label, errors, office_today, user_named
from ui.tables import ID_COLUMN
from ui.text import plain

GOALS = "pages/goals_page.py"
GOAL = "pages/goal_page.py"
NEW = "goals__new_"


def _open(logged_in: Callable[..., AppTest], username: str, page: str, **query: str) -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params.update(query)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _written(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Goal, GoalRevision, AuditEvent)
        )


def _manager_rep(engine: Engine) -> Rep:
    """An active rep of the demo manager's team."""
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "rep")).one()
        rep = session.get(Rep, user.rep_id)
        assert rep is not None
        return rep


def _fill_new_goal(at: AppTest, rep: Rep, metric: str, day: date, target: str) -> AppTest:
    at.selectbox(key=f"{NEW}kind").select("rep").run()
    at.selectbox(key=f"{NEW}owner").select(rep.id).run()
    at.selectbox(key=f"{NEW}metric").select(metric).run()
    at.selectbox(key=f"{NEW}period_kind").select("month").run()
    at.date_input(key=f"{NEW}day").set_value(day).run()
    at.text_input(key=f"{NEW}target").input(target).run()
    assert not at.exception, at.exception
    return at


def test_a_manager_adds_a_goal_and_sees_its_smart_check(demo_app: Engine, logged_in: Any) -> None:
    rep = _manager_rep(demo_app)
    at = _open(logged_in, "manager", GOALS)
    next_month = (office_today(demo_app).replace(day=28) + timedelta(days=4)).replace(day=1)
    _fill_new_goal(at, rep, "new_customers", next_month, "12")
    marks = [block.value for block in at.markdown if "**Achievable**" in block.value]
    assert marks and "**Relevant** — Not linked to a team or company goal." in "".join(
        block.value for block in at.markdown
    )
    at.button(key=f"{NEW}save").click().run()
    assert not at.exception and errors(at) == [], errors(at)
    with Session(demo_app) as session:
        goal = session.exec(select(Goal).where(col(Goal.metric_key) == "new_customers")).one()
    assert (goal.owner_kind, goal.owner_id, goal.target) == (OwnerKind.REP, rep.id, 12)
    assert (goal.period_start, goal.period_end.month) == (next_month, next_month.month)
    assert at.query_params["id"] == str(goal.id)
    assert [s.value for s in at.success] == ["Goal saved."]


def test_bad_targets_and_a_duplicate_are_refused_with_nothing_written(
    demo_app: Engine, logged_in: Any
) -> None:
    rep = _manager_rep(demo_app)
    at = _open(logged_in, "manager", GOALS)
    before = _written(demo_app)
    today = office_today(demo_app)
    cases = [
        ("new_customers", "0", "The target must be above zero."),
        ("new_customers", "12.5", "Enter a whole number."),
        ("win_rate", "120", "Enter a percentage between 0 and 100."),
        ("csat", "7", "Enter a score between 1 and 5."),
        ("revenue", "1e15", "The amount is too large."),
        ("revenue", "100000", "There is already a goal for this owner, metric and period."),
    ]
    for metric, target, message in cases:
        _fill_new_goal(at, rep, metric, today, target)
        at.button(key=f"{NEW}save").click().run()
        assert errors(at) == [message], (metric, target, errors(at))
    assert _written(demo_app) == before


def _rep_goal(engine: Engine, username: str) -> Goal:
    """The user's running monthly revenue goal."""
    today = office_today(engine)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return session.exec(
            select(Goal).where(
                col(Goal.owner_kind) == OwnerKind.REP,
                col(Goal.owner_id) == user.rep_id,
                col(Goal.metric_key) == "revenue",
                # A quarter or a year may start on the same day.
                col(Goal.period_kind) == PeriodKind.MONTH,
                col(Goal.period_start) == today.replace(day=1),
            )
        ).one()


def test_a_manager_revises_a_target_with_a_reason(demo_app: Engine, logged_in: Any) -> None:
    goal = _rep_goal(demo_app, "rep")
    at = _open(logged_in, "manager", GOAL, id=str(goal.id))
    assert [h.value for h in at.subheader] == [goal.title]
    before = _written(demo_app)
    by_label(at.text_input, "Target (CNY)").input("150000")
    by_label(at.button, "Save revision").click().run()
    assert errors(at) == ["Say why the target changes."]
    assert _written(demo_app) == before

    by_label(at.text_input, "Target (CNY)").input("150000")
    by_label(at.text_area, "Reason").input("Two big accounts moved to her")
    by_label(at.button, "Save revision").click().run()
    assert not at.exception and errors(at) == [], errors(at)
    at.run()
    with Session(demo_app) as session:
        revision = session.exec(select(GoalRevision).where(GoalRevision.goal_id == goal.id)).one()
        saved = session.get(Goal, goal.id)
    assert saved is not None and saved.target == 15_000_000 and saved.version == goal.version + 1
    assert (revision.old_target, revision.new_target) == (goal.target, 15_000_000)
    [history] = [frame.value for frame in at.dataframe if "Reason" in frame.value]
    assert list(history["Reason"]) == ["Two big accounts moved to her"]


def test_the_goal_page_fits_big_amounts_and_writes_dates_in_the_reader_s_language(
    demo_app: Engine, logged_in: Any
) -> None:
    """At 1400 px the target read "CN¥6,892,60…": the tile shows it short, its help in full;
    the SMART check's end date is written as every other date, never as ISO."""
    today = office_today(demo_app)
    with Session(demo_app, expire_on_commit=False) as session:
        end = today + timedelta(days=29)
        goal = make_goal(session, _manager_rep(demo_app), today, end, 689_260_037)
    at = _open(logged_in, "manager", GOAL, id=str(goal.id))
    for locale, short, full in [
        ("en", "CN¥6.89M", "CN¥6,892,600.37"), ("zh_CN", "¥689.26万", "¥6,892,600.37"),
    ]:  # fmt: skip
        by_label(at.selectbox, "Language / 语言").select(locale).run()
        assert not at.exception, at.exception
        [target] = [tile for tile in at.metric if tile.label == translate(locale, "Target")]
        assert (target.value, target.proto.help) == (short, full)
        ends = translate(locale, "Ends on {end}.", end=format_date(end, "medium", locale=locale))
        assert any(ends in line.value for line in at.markdown), ends
        assert not any(end.isoformat() in line.value for line in at.markdown)


def test_a_rep_reads_their_goal_but_not_a_colleagues(demo_app: Engine, logged_in: Any) -> None:
    own = _rep_goal(demo_app, "rep")
    at = _open(logged_in, "rep", GOAL, id=str(own.id))
    assert [h.value for h in at.subheader] == [own.title]
    assert not [b for b in at.button if b.label == "Save revision"]
    with Session(demo_app) as session:
        other = session.exec(
            select(Goal).where(
                col(Goal.owner_kind) == OwnerKind.REP, col(Goal.owner_id) != own.owner_id
            )
        ).first()
    assert other is not None
    at.query_params["id"] = str(other.id)
    at.run()
    assert errors(at) == ["You do not have access to this."]
    assert not [h for h in at.subheader if h.value == other.title]


def test_goals_list_and_home_show_goals_behind_pace(demo_app: Engine, logged_in: Any) -> None:
    # Far behind whatever the demo's day: ten days gone of thirty, a target nobody sells.
    today = office_today(demo_app)
    with Session(demo_app) as session:
        rep = session.get(Rep, _manager_rep(demo_app).id)
        make_goal(session, rep, today - timedelta(days=9), today + timedelta(days=20), 10**10)
        data_version.bump(session)
        session.commit()
    at = _open(logged_in, "manager", GOALS)
    [table] = [frame.value for frame in at.dataframe if "Forecast" in frame.value]
    assert len(table) > 0 and set(table["Pace"]) <= {
        "Not started", "On track", "At risk", "Off track", "Ended",
    }  # fmt: skip
    at.switch_page("pages/home_page.py").run()
    [tab] = [tab for tab in at.tabs if tab.label.startswith("Goals behind pace")]
    behind = int(tab.label.rsplit("(", 1)[1].rstrip(")"))
    rows = [frame.value for frame in tab.dataframe]
    assert behind > 0 and len(rows[0]) == min(behind, goal_list.PAGE_SIZE)
    assert set(rows[0]["Pace"]) <= {"At risk", "Off track"}


def _list_tab(at: AppTest) -> Any:
    [tab] = [tab for tab in at.tabs if tab.label == "Goals"]
    return tab


def _caption_page(at: AppTest) -> tuple[int, int, int]:
    """(page, pages, total) from the list's pager: "Page x of y · n goals"."""
    [caption] = [c.value for c in _list_tab(at).caption if c.value.startswith("Page ")]
    words = caption.replace(",", "").split()
    return int(words[1]), int(words[3]), int(words[5])


def _goal_links(at: AppTest) -> list[int]:
    [table] = [frame.value for frame in _list_tab(at).dataframe]
    return list(table[ID_COLUMN])


def test_the_goals_list_pages_through_every_goal_once(demo_app: Engine, logged_in: Any) -> None:
    # More goals than a page holds, whatever the demo has: thirty running ones of our own.
    today, rep = office_today(demo_app), _manager_rep(demo_app)
    with Session(demo_app) as session:
        made = [
            make_goal(session, rep, today - timedelta(days=n), today + timedelta(days=n), 10**6).id
            for n in range(1, 31)
        ]
        data_version.bump(session)
        session.commit()
    at = _open(logged_in, "manager", GOALS)
    by_label(at.selectbox, "Goal period").select("all").run()
    page, pages, total = _caption_page(at)
    assert page == 1 and pages == -(-total // goal_list.PAGE_SIZE) and total >= len(made)
    seen = _goal_links(at)
    assert len(seen) == goal_list.PAGE_SIZE
    assert at.button(key="goals__pageprevious").disabled
    for expected in range(2, pages + 1):
        at.button(key="goals__pagenext").click().run()
        assert not at.exception, at.exception
        assert _caption_page(at) == (expected, pages, total)
        seen += _goal_links(at)
    assert at.button(key="goals__pagenext").disabled
    # Every goal on exactly one page, ours among them.
    assert len(seen) == len(set(seen)) == total
    assert set(made) <= set(seen)


def test_a_chinese_reader_reruns_the_goals_page(demo_app: Engine, logged_in: Any) -> None:
    # The demo manager reads Chinese: every label of the new-goal form must be made in the
    # run, or a rerun formats the choices in English and cannot find the chosen one.
    at = logged_in("manager")
    at.switch_page(GOALS).run()
    at.run()
    assert not at.exception, at.exception
    assert "目标" in [title.value for title in at.title]


def test_home_pages_through_the_goals_behind_pace(demo_app: Engine, logged_in: Any) -> None:
    # Thirty goals far behind whatever the demo's day: ten days gone, a target nobody sells.
    today, rep = office_today(demo_app), _manager_rep(demo_app)
    with Session(demo_app) as session:
        for n in range(30):
            make_goal(
                session, rep, today - timedelta(days=9), today + timedelta(days=20 + n), 10**10
            )
        data_version.bump(session)
        session.commit()
    at = _open(logged_in, "manager", "pages/home_page.py")

    def behind_tab() -> Any:
        [tab] = [tab for tab in at.tabs if tab.label.startswith("Goals behind pace")]
        return tab

    total = int(behind_tab().label.rsplit("(", 1)[1].rstrip(")").replace(",", ""))
    first = list(behind_tab().dataframe[0].value[ID_COLUMN])
    assert total >= 30 and len(first) == goal_list.PAGE_SIZE
    at.button(key="home__behind_pagenext").click().run()
    assert not at.exception, at.exception
    second = list(behind_tab().dataframe[0].value[ID_COLUMN])
    assert len(second) == min(goal_list.PAGE_SIZE, total - goal_list.PAGE_SIZE)
    assert not set(first) & set(second)
    [caption] = [c.value for c in behind_tab().caption if c.value.startswith("Page ")]
    assert caption.startswith("Page 2 of ")


def test_a_rep_follows_part_of_to_their_team_s_goal_and_reads_it_only(
    demo_app: Engine, logged_in: Any
) -> None:
    today = office_today(demo_app)
    with Session(demo_app, expire_on_commit=False) as session:
        rep = session.get(Rep, user_named(demo_app, "rep").rep_id)
        team = session.get(Team, rep.team_id)
        above = make_goal(session, team, today, today, 5_000_000, title="The team's push")
        own = make_goal(session, rep, today, today, 1_000_000, title="My part", parent=above)
    at = _open(logged_in, "rep", GOAL, id=str(own.id))
    [part_of] = [link for link in at.get("page_link") if link.proto.label.startswith("Part of")]
    assert part_of.proto.query_string == f"id={above.id}"
    at.query_params["id"] = str(above.id)
    at.run()
    assert errors(at) == [] and not at.exception
    assert [h.value for h in at.subheader] == [plain("The team's push")]
    # Read only: no form to revise, edit or check in.
    assert not [b for b in at.button if b.label in {"Save revision", "Save", "Add check-in"}]
