"""services/goals/listing.py: goals with their live progress, the goals behind pace for Home's
attention list, and the weekly review list.

Periods are laid around the office's today: a 30-day period that started nine days ago has
ten days gone, so a sum is expected at a third of its target.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Customer, Deal, Goal, GoalRevision
from models.enums import DealStage, OwnerKind
from services.errors import PermissionDenied
from services.goals import listing as goal_list
from services.goals import records as goals
from services.goals.progress import Pace
from services.goals.records import GoalFilters, GoalRow
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions

OFFICE = ZoneInfo("Asia/Shanghai")


def _deal(session: Session, customer: Customer, day: date, amount: int, stage: DealStage) -> None:
    session.add(
        Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="d", stage=stage,
             amount=amount, closed_on=day, lost_reason="Price" if stage == DealStage.LOST else None)
    )  # fmt: skip
    session.commit()


class Running:
    """Goals over the 30 days from `today` - 9, and others around them.

    Won 5 days ago: East Rep 95,000, East Sub Rep 80,000, West Rep 50,000.
    Revenue 300,000 each: East Rep 5 % behind (on track), East Sub Rep 20 % (at risk), West
    Rep 50 % (off track). East's 30 deals: 2 won, 80 % behind. The company's 750,000: 10 %
    behind. West's 60,000 is ahead. West Rep's 10 deals end today with 1 won: 90 % behind.
    A missed goal of last year, one of next year and an archived one are not running.
    """

    def __init__(self, session: Session, today: date) -> None:
        self.org = org = Org(session)
        self.start, self.end = today - timedelta(days=9), today + timedelta(days=20)
        won = today - timedelta(days=5)
        for rep, amount in [(org.east_rep, 95_000), (org.east_sub_rep, 80_000),
                            (org.west_rep, 50_000)]:  # fmt: skip
            _deal(session, make_customer(session, rep.id, f"Customer of {rep.name}"), won, amount,
                  DealStage.WON)  # fmt: skip
        self.ids = {
            "east_rep": self.goal(session, org.east_rep, 300_000),
            "east_sub_rep": self.goal(session, org.east_sub_rep, 300_000),
            "west_rep": self.goal(session, org.west_rep, 300_000),
            "east": self.goal(session, org.east, 30, "deals_won"),
            "company": self.goal(session, None, 750_000),
            "west": self.goal(session, org.west, 60_000),
            "west_rep_ends_today": make_goal(
                session, org.west_rep, today - timedelta(days=29), today, 10,
                metric_key="deals_won",
            ).id,
        }  # fmt: skip
        # Whole years before and after the 30 days, also when they span a New Year.
        last_year, next_year = self.start.year - 1, self.end.year + 1
        make_goal(session, org.east_rep, date(last_year, 1, 1), date(last_year, 12, 31), 10**9)
        make_goal(session, org.east_rep, date(next_year, 1, 1), date(next_year, 3, 31), 10**9)
        gone = self.goal(session, org.east_sub_rep, 300, "deals_won")
        goals.archive(session, org.actor(session, org.admin), goal_id=gone, version=1)

    def goal(self, session: Session, owner: Any, target: int, metric_key: str = "revenue") -> int:
        goal = make_goal(session, owner, self.start, self.end, target, metric_key=metric_key)
        assert goal.id is not None
        return goal.id

    def names(self, rows: Sequence[GoalRow]) -> list[str]:
        by_id = {goal_id: name for name, goal_id in self.ids.items()}
        return [by_id[row.id] for row in rows]


@pytest.fixture
def running(session: Session, today: date) -> Running:
    return Running(session, today)


def _behind(session: Session, running: Running, user: Any, **options: Any) -> tuple[int, list]:
    found = goal_list.behind_pace(session, running.org.actor(session, user), **options)
    return found.total, running.names(found.rows)


# ---- list_page and goal_progress ----


def test_the_list_carries_each_goals_progress(session: Session, running: Running) -> None:
    admin = running.org.actor(session, running.org.admin)
    found = goal_list.list_page(session, admin, filters=GoalFilters(), page_size=100)
    rows = found.rows
    # Every live goal, running or not; the archived one is not listed.
    assert len(rows) == found.total == len(running.ids) + 2
    by_id = {row.id: row for row in rows}
    rep = by_id[running.ids["east_rep"]]
    assert (rep.days, rep.elapsed_days, rep.actual) == (30, 10, 95_000)
    assert (rep.expected, rep.forecast, rep.pace) == (100_000, 285_000, Pace.ON_TRACK)
    assert rep.behind == pytest.approx(0.05)
    assert (rep.target, rep.owner_name) == (300_000, "East Rep")
    assert by_id[running.ids["east"]].actual == 2
    ended = [row for row in rows if row.period_end < running.start]
    assert [(row.pace, row.status) for row in ended] == [(Pace.ENDED, "missed")]


def test_one_goals_progress_keeps_its_stored_target(
    session: Session, running: Running, today: date
) -> None:
    org = running.org
    customer = make_customer(session, org.east_rep.id, "Lost Co")
    _deal(session, customer, today - timedelta(days=3), 0, DealStage.LOST)
    goal_id = running.goal(session, org.east_rep, 5_000, "win_rate")  # 50 %
    found = goal_list.goal_progress(session, org.actor(session, org.east_rep_user), goal_id)
    # 1 won of 2: exactly on target. The target stays in basis points for the pages.
    assert (found.target, found.actual, found.expected) == (5_000, 0.5, 0.5)
    assert (found.attainment, found.behind, found.pace) == (1.0, 0.0, Pace.ON_TRACK)
    assert found.revisions == ()


def test_progress_outside_the_scope_is_denied(
    session: Session, engine: Engine, running: Running
) -> None:
    org = running.org
    rep = org.actor(session, org.east_rep_user)
    with pytest.raises(PermissionDenied):
        goal_list.goal_progress(session, rep, running.ids["west_rep"])
    with pytest.raises(PermissionDenied):
        goal_list.list_page(session, rep, filters=GoalFilters(rep_id=org.west_rep.id))
    manager = org.actor(session, org.east_manager)
    with pytest.raises(PermissionDenied):
        goal_list.list_page(session, manager, filters=GoalFilters(team_id=org.west.id))
    with pytest.raises(PermissionDenied):
        goals.count_goals(session, manager, filters=GoalFilters(team_id=org.west.id))
    assert audit_actions(engine)[-4:] == ["access.denied"] * 4
    assert audit_actions(engine).count("access.denied") == 4


def test_the_list_pages_in_order_without_repeats(session: Session, running: Running) -> None:
    admin = running.org.actor(session, running.org.admin)
    whole = goals.list_goals(session, admin, filters=GoalFilters())
    pages = [
        goal_list.list_page(session, admin, filters=GoalFilters(), page=page, page_size=4)
        for page in (1, 2, 3)
    ]
    assert [(found.page, found.pages, found.total) for found in pages] == [
        (1, 3, 9), (2, 3, 9), (3, 3, 9),
    ]  # fmt: skip
    assert [row.id for found in pages for row in found.rows] == [row.id for row in whole]
    # Each page's rows carry their progress; a page past the end is the last one.
    assert all(isinstance(row.pace, Pace) for row in pages[2].rows)
    last = goal_list.list_page(session, admin, filters=GoalFilters(), page=7, page_size=4)
    assert (last.page, [row.id for row in last.rows]) == (3, [whole[-1].id])
    empty = goal_list.list_page(session, admin, filters=GoalFilters(metric_key="csat"))
    assert (empty.total, empty.page, empty.pages, empty.rows) == (0, 1, 1, [])


# ---- behind_pace ----


def test_goals_behind_pace_furthest_first_in_scope(session: Session, running: Running) -> None:
    org = running.org
    assert _behind(session, running, org.admin) == (5, [
        "west_rep_ends_today", "east", "west_rep", "east_sub_rep", "company",
    ])  # fmt: skip
    assert _behind(session, running, org.east_manager) == (3, ["east", "east_sub_rep", "company"])
    assert _behind(session, running, org.west_manager) == (3, [
        "west_rep_ends_today", "west_rep", "company",
    ])  # fmt: skip
    assert _behind(session, running, org.west_rep_user) == (2, [
        "west_rep_ends_today", "west_rep",
    ])  # fmt: skip
    assert _behind(session, running, org.east_rep_user) == (0, [])


def test_behind_pace_rows_have_their_numbers(session: Session, running: Running) -> None:
    rows = goal_list.behind_pace(session, running.org.actor(session, running.org.admin)).rows
    behind = {name: row for name, row in zip(running.names(rows), rows, strict=True)}
    assert behind["east"].behind == pytest.approx(0.8)
    assert behind["company"].behind == pytest.approx(0.1)
    assert [behind[name].pace for name in ("east_sub_rep", "company", "west_rep")] == [
        Pace.AT_RISK, Pace.AT_RISK, Pace.OFF_TRACK,
    ]  # fmt: skip
    # Its last day is still running: not yet missed, and 9 of 10 deals short.
    today = behind["west_rep_ends_today"]
    assert (today.pace, today.status, today.behind) == (
        Pace.OFF_TRACK, "active", pytest.approx(0.9),
    )  # fmt: skip


def test_behind_pace_narrowed_to_reps_and_paged(session: Session, running: Running) -> None:
    org = running.org
    assert _behind(session, running, org.admin, rep_ids=frozenset({org.east_sub_rep.id})) == (
        1, ["east_sub_rep"],
    )  # fmt: skip
    assert _behind(session, running, org.admin, page_size=2) == (5, ["west_rep_ends_today", "east"])
    assert _behind(session, running, org.admin, page=3, page_size=2) == (5, ["company"])
    third = goal_list.behind_pace(session, org.actor(session, org.admin), page=3, page_size=2)
    assert (third.page, third.pages) == (3, 3)


# ---- review_list ----


def _revision(session: Session, goal_id: int, at: datetime, by: int, reason: str) -> None:
    goal = session.get(Goal, goal_id)
    assert goal is not None
    session.add(
        GoalRevision(goal_id=goal_id, old_target=goal.target, new_target=goal.target,
                     reason=reason, by_user_id=by, at=at)
    )  # fmt: skip
    session.commit()


def _office_time(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OFFICE).astimezone(UTC)


class Reviews:
    """Running goals with their reviews, by name."""

    def __init__(self, session: Session, running: Running, today: date) -> None:
        org, ids = running.org, running.ids
        admin = org.actor(session, org.admin)
        # Reviewed just now through the service: due again in a week.
        goals.revise(session, admin, goal_id=ids["east_rep"], version=1, target="3000",
                     reason="On plan.")  # fmt: skip
        # Reviewed 20 and 10 days ago: the newer one counts, and is over a week old.
        manager = org.east_manager.id
        _revision(session, ids["east_sub_rep"], datetime.now(UTC) - timedelta(days=20),
                  org.admin.id, "Old")  # fmt: skip
        _revision(session, ids["east_sub_rep"], datetime.now(UTC) - timedelta(days=10), manager,
                  "Newer")  # fmt: skip
        # Reviewed six office days ago just after midnight, still the day before in UTC.
        _revision(session, ids["east"], _office_time(today - timedelta(days=6), 0, 30), manager,
                  "Early")  # fmt: skip
        # Never reviewed, added a month ago: due a week after the period's start.
        for name in ("west", "company", "west_rep_ends_today"):
            goal = session.get(Goal, ids[name])
            assert goal is not None
            goal.created_at = datetime.now(UTC) - timedelta(days=30)
            session.add(goal)
        session.commit()
        # Never reviewed, added now (west_rep): due a week from today.


def _review(session: Session, running: Running, user: Any) -> list[tuple[Any, ...]]:
    rows = goal_list.review_list(session, running.org.actor(session, user)).rows
    return [
        (name, row.team_name, row.review_due, row.review_due_on, row.last_reviewed_by)
        for name, row in zip(running.names(rows), rows, strict=True)
    ]


def test_the_review_list_puts_due_goals_first(
    session: Session, running: Running, today: date
) -> None:
    Reviews(session, running, today)

    def days(n: int) -> date:
        return today + timedelta(days=n)

    west_rep_start = today - timedelta(days=29)
    assert _review(session, running, running.org.admin) == [
        # Due, by team (the company has none) then owner.
        ("company", None, True, days(-2), None),
        ("east_sub_rep", "East Sub", True, days(-3), "Eastboss"),
        ("west", "West", True, days(-2), None),
        ("west_rep_ends_today", "West", True, west_rep_start + timedelta(days=7), None),
        # Not due yet.
        ("east", "East", False, days(1), "Eastboss"),
        ("east_rep", "East", False, days(7), "Admin"),
        ("west_rep", "West", False, days(7), None),
    ]


def test_the_review_list_pages_and_counts_the_due_ones_of_all(
    session: Session, running: Running, today: date
) -> None:
    Reviews(session, running, today)
    admin = running.org.actor(session, running.org.admin)
    second = goal_list.review_list(session, admin, page=2, page_size=3)
    assert (second.page, second.pages, second.total, second.due) == (2, 3, 7, 4)
    assert running.names(second.rows) == ["west_rep_ends_today", "east", "east_rep"]
    assert [row.pace for row in second.rows] == [Pace.OFF_TRACK, Pace.OFF_TRACK, Pace.ON_TRACK]


def test_the_review_list_holds_the_scope(session: Session, running: Running, today: date) -> None:
    Reviews(session, running, today)
    org = running.org
    assert [row[0] for row in _review(session, running, org.east_manager)] == [
        "company", "east_sub_rep", "east", "east_rep",
    ]  # fmt: skip
    assert [row[0] for row in _review(session, running, org.east_rep_user)] == ["east_rep"]
    last = goal_list.review_list(session, org.actor(session, org.east_rep_user)).rows[0]
    assert last.last_reviewed_at.date() in {today, today - timedelta(days=1)}
    assert (last.owner_kind, last.target) == (OwnerKind.REP, 300_000)


def test_a_goal_s_page_says_what_its_reader_may_do(session: Session) -> None:
    org = Org(session)
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    company = make_goal(session, None, *q1, 1_000)
    team = make_goal(session, org.east, *q1, 1_000, parent=company)
    own = make_goal(session, org.east_rep, *q1, 100, metric_key="market_share", parent=team)

    def may(user: Any, goal: Goal) -> tuple[bool, bool]:
        report = goal_list.goal_progress(session, org.actor(session, user), goal.id)
        return report.may_change, report.may_check_in

    assert may(org.admin, company) == (True, False)  # revenue is computed, not checked in
    assert may(org.east_manager, company) == (False, False)  # read, never changed
    assert may(org.east_manager, team) == (True, False)
    assert may(org.east_manager, own) == (True, True)
    assert may(org.east_rep_user, team) == (False, False)
    assert may(org.east_rep_user, own) == (False, True)  # their own figure, typed in
