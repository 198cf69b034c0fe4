"""services/goals/smart.py: the five SMART marks, with Achievable's comparison against the
owner's past periods worked by hand.

A July 2025 monthly goal compares with January to June. East Rep won 1,000 yuan in January,
2,000 in March (two deals) and 3,000 in May, nothing in the other months: three periods
with sales, best 3,000, average 2,000. East Sub Rep won 4,000 in April, so East (with its
sub-team) has four: best 4,000, average 2,500. A December 2024 deal and West Rep's deals are
outside both.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Complaint, Customer, Deal
from models.enums import DealStage, OwnerKind, PeriodKind, Severity
from services.errors import PermissionDenied
from services.goals import records as goals
from services.goals import smart as goal_smart
from services.goals.smart import Mark
from services.periods import containing
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions

JULY = containing(PeriodKind.MONTH, date(2025, 7, 1))
BEYOND = "Far beyond the best of the last {periods} periods."
EASIER = "Far easier than the average of the last {periods} periods."
IN_REACH = "In reach of the last {periods} periods."
NO_PAST = "No comparable past periods to compare with."


def _won(session: Session, customer: Customer, day: date, amount: int) -> None:
    session.add(
        Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="d",
             stage=DealStage.WON, amount=amount, closed_on=day)
    )  # fmt: skip


class History:
    def __init__(self, session: Session) -> None:
        self.org = org = Org(session)
        east = make_customer(session, org.east_rep.id, "East Co")
        sub = make_customer(session, org.east_sub_rep.id, "Sub Co")
        west = make_customer(session, org.west_rep.id, "West Co")
        for customer, day, amount in [
            (east, date(2025, 1, 20), 100_000),
            (east, date(2025, 3, 1), 150_000),
            (east, date(2025, 3, 31), 50_000),
            (east, date(2025, 5, 15), 300_000),
            (east, date(2024, 12, 31), 10_000_000),  # seven months back: not compared
            (east, date(2025, 7, 2), 7_000_000),  # the goal's own month: not the past
            (sub, date(2025, 4, 10), 400_000),
            (west, date(2025, 6, 10), 9_999_999),
        ]:
            _won(session, customer, day, amount)
        session.commit()
        self.customer = east


@pytest.fixture
def history(session: Session) -> History:
    return History(session)


def _draft(owner: Any, **changes: Any) -> dict[str, Any]:
    kind = (
        OwnerKind.COMPANY if owner is None else
        OwnerKind.TEAM if owner.__class__.__name__ == "Team" else OwnerKind.REP
    )  # fmt: skip
    return {
        "owner_kind": kind, "owner_id": owner.id if owner else None, "metric_key": "revenue",
        "target": "3000", "period_kind": PeriodKind.MONTH, "period_start": JULY.start,
        "period_end": JULY.end, "title": "July revenue", "parent_id": None,
    } | changes  # fmt: skip


def _marks(session: Session, history: History, draft: dict[str, Any]) -> dict[str, Mark]:
    admin = history.org.actor(session, history.org.admin)
    marks = goal_smart.check_draft(session, admin, draft=draft)
    assert [mark.letter for mark in marks] == ["S", "M", "A", "R", "T"]
    return {mark.letter: mark for mark in marks}


def _achievable(session: Session, history: History, owner: Any, target: str) -> Mark:
    return _marks(session, history, _draft(owner, target=target))["A"]


# ---- Achievable ----


@pytest.mark.parametrize(
    ("target", "ok", "msgid"),
    [
        ("6000", False, BEYOND),  # twice the best
        ("4500.01", False, BEYOND),  # just past 1.5 × the best
        ("4500", True, IN_REACH),  # 1.5 × the best is still in reach
        ("3000", True, IN_REACH),
        ("1400", True, IN_REACH),  # 0.7 × the average is still fair
        ("1399.99", False, EASIER),
        ("1000", False, EASIER),  # half the average
    ],
)
def test_a_rep_target_against_their_best_and_average(
    session: Session, history: History, target: str, ok: bool, msgid: str
) -> None:
    mark = _achievable(session, history, history.org.east_rep, target)
    assert (mark.ok, mark.msgid, mark.params) == (ok, msgid, {"periods": 3})
    assert mark.values == {
        "target": pytest.approx(float(target) * 100), "best": 300_000, "average": 200_000,
    }  # fmt: skip


def test_a_team_target_compares_with_the_team_and_its_sub_teams(
    session: Session, history: History
) -> None:
    east = history.org.east
    mark = _achievable(session, history, east, "8000")
    assert (mark.ok, mark.msgid, mark.params) == (False, BEYOND, {"periods": 4})
    assert mark.values == {"target": 800_000, "best": 400_000, "average": 250_000}
    assert _achievable(session, history, east, "5000").ok is True


def test_without_history_or_a_valid_target_it_cannot_be_told(
    session: Session, history: History
) -> None:
    rep = history.org.east_rep
    long_ago = containing(PeriodKind.MONTH, date(2020, 7, 1))
    for draft, msgid in [
        (_draft(rep, period_start=long_ago.start, period_end=long_ago.end), NO_PAST),
        (_draft(rep, metric_key="market_share", target="20"), NO_PAST),  # entered by hand
        (_draft(rep, target="a lot"), "Enter a valid target to compare it with the past."),
        (_draft(rep, target="-5"), "Enter a valid target to compare it with the past."),
    ]:
        mark = _marks(session, history, draft)["A"]
        assert (mark.ok, mark.msgid, mark.values) == (None, msgid, {})


def test_lower_is_better_flips_best_and_average(session: Session, history: History) -> None:
    rep = history.org.east_rep
    # Complaints opened: 4 in January, 2 in March, 6 in May: best 2, average 4.
    for day, number in [(date(2025, 1, 5), 4), (date(2025, 3, 5), 2), (date(2025, 5, 5), 6)]:
        for _ in range(number):
            session.add(
                Complaint(customer_id=history.customer.id, rep_id=rep.id, opened_on=day,
                          category="Delivery", severity=Severity.LOW, description="d",
                          due_on=day + timedelta(days=10))
            )  # fmt: skip
    session.commit()

    def mark(target: str) -> Mark:
        return _marks(session, history, _draft(rep, metric_key="complaints_opened",
                                               target=target))["A"]  # fmt: skip

    # Fewer than 2 ÷ 1.5 is beyond the best; more than 4 ÷ 0.7 asks for less than usual.
    assert [(m.ok, m.msgid) for m in (mark("1"), mark("3"), mark("6"))] == [
        (False, BEYOND), (True, IN_REACH), (False, EASIER),
    ]  # fmt: skip
    assert mark("1").values == {"target": 1, "best": 2, "average": 4}


# ---- Specific, Measurable, Relevant, Time-bound ----


def _summary(marks: dict[str, Mark]) -> dict[str, tuple[bool | None, str]]:
    return {letter: (mark.ok, mark.msgid) for letter, mark in marks.items() if letter != "A"}


def test_a_complete_draft(session: Session, history: History) -> None:
    team_goal = make_goal(session, history.org.east, JULY.start, JULY.end, 900_000,
                          kind=PeriodKind.MONTH)  # fmt: skip
    marks = _marks(session, history, _draft(history.org.east_rep, parent_id=team_goal.id))
    assert _summary(marks) == {
        "S": (True, "Title, metric and owner are set."),
        "M": (True, "Computed from the data by the metrics registry."),
        "R": (True, "Linked to a goal above it."),
        "T": (True, "Ends on {end}."),
    }
    # A date, for the ui to write in the user's language.
    assert marks["T"].params == {"end": date(2025, 7, 31)}


def test_an_incomplete_draft(session: Session, history: History) -> None:
    draft = _draft(
        history.org.east_rep, title="  ", metric_key="market_share", target="20",
        period_end=date(2025, 7, 30),  # not a whole month: no period
    )  # fmt: skip
    assert _summary(_marks(session, history, draft)) == {
        "S": (False, "It needs a title, a metric and an owner."),
        "M": (False, "Entered by hand: it needs check-ins to be measured."),
        "R": (False, "Not linked to a team or company goal."),
        "T": (False, "Choose the period it ends with."),
    }


def test_a_company_goal_is_relevant_by_itself(session: Session, history: History) -> None:
    marks = _marks(session, history, _draft(None, target="20000"))
    assert (marks["R"].ok, marks["R"].msgid) == (True, "A company goal.")
    # Every rep counts: West Rep's June makes five months with sales.
    assert (marks["A"].params, marks["A"].values["best"]) == ({"periods": 5}, 9_999_999)


# ---- A saved goal ----


def test_a_saved_goal_is_checked_with_its_check_ins(session: Session, history: History) -> None:
    org = history.org
    team_goal = make_goal(session, org.east, JULY.start, JULY.end, 900_000, kind=PeriodKind.MONTH)
    goal = make_goal(session, org.east_rep, JULY.start, JULY.end, 600_000, kind=PeriodKind.MONTH,
                     parent=team_goal, title="July")  # fmt: skip
    rep = org.actor(session, org.east_rep_user)
    marks = {mark.letter: mark for mark in goal_smart.check(session, rep, goal.id)}
    assert [(m.letter, m.ok) for m in marks.values()] == [
        ("S", True), ("M", True), ("A", False), ("R", True), ("T", True),
    ]  # fmt: skip
    assert marks["A"].values == {"target": 600_000, "best": 300_000, "average": 200_000}

    year = containing(PeriodKind.YEAR, date(2025, 1, 1))
    share = make_goal(session, org.east_rep, year.start, year.end, 2_000,
                      metric_key="market_share", kind=PeriodKind.YEAR)  # fmt: skip
    first = goal_smart.check(session, rep, share.id)[1]
    assert (first.ok, first.msgid) == (False, "Entered by hand: it needs check-ins to be measured.")
    for day in (date(2025, 3, 1), date(2025, 4, 1)):
        goals.add_checkin(session, rep, goal_id=share.id, checked_on=day, value="12")
    measured = goal_smart.check(session, rep, share.id)[1]
    assert (measured.ok, measured.msgid, measured.params) == (
        True, "Entered by hand: {count} check-ins so far.", {"count": 2},
    )  # fmt: skip


# ---- Denied ----


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("east_rep_user", "east_rep"),  # a rep does not set goals, so reads no draft's past
        ("east_rep_user", "west_rep"),
        ("east_manager", "west_rep"),
        ("east_manager", "west"),
        ("east_manager", None),
        ("west_manager", "east"),
    ],
)
def test_a_draft_for_an_owner_outside_the_scope_is_denied(
    session: Session, engine: Engine, history: History, who: str, owner: str | None
) -> None:
    org = history.org
    actor = org.actor(session, getattr(org, who))
    with pytest.raises(PermissionDenied):
        goal_smart.check_draft(session, actor, draft=_draft(getattr(org, owner) if owner else None))
    assert audit_actions(engine) == ["access.denied"]


@pytest.mark.parametrize(
    ("who", "owner"), [("east_rep_user", "west_rep"), ("east_manager", "west")]
)
def test_checking_a_goal_outside_the_scope_is_denied(
    session: Session, engine: Engine, history: History, who: str, owner: str
) -> None:
    org = history.org
    goal = make_goal(session, getattr(org, owner), JULY.start, JULY.end, 1, kind=PeriodKind.MONTH)
    with pytest.raises(PermissionDenied):
        goal_smart.check(session, org.actor(session, getattr(org, who)), goal.id)
    assert audit_actions(engine) == ["access.denied"]


def test_a_manager_checks_drafts_for_their_reps_and_teams(
    session: Session, engine: Engine, history: History
) -> None:
    org = history.org
    manager = org.actor(session, org.east_manager)
    for owner in (org.east_rep, org.east_sub_rep, org.east, org.east_sub):
        assert len(goal_smart.check_draft(session, manager, draft=_draft(owner))) == 5
    assert audit_actions(engine) == []
