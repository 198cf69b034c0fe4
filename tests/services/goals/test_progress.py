"""services/goals/progress.py: pace, forecast and status worked by hand, and each goal's actual
read from the registry for a rep, a team with its sub-team, the company and a manual metric.

The pure cases use April 2025 (30 days): on 10 April ten days are gone, so a sum's expected
pace is a third of its target and the run rate triples what is done so far. Early-period cases
use December 2026 (31 days: days 1–3 are early) and, from the database, a month, a quarter and
a year on both sides of their edge.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from models import Customer, Deal, Goal
from models.enums import DealStage, GoalStatus, OwnerKind, PeriodKind
from services.goals import records as goals
from services.goals.progress import (
    Pace,
    Progress,
    is_early,
    owner_reps,
    progress,
    progress_of,
    reps_of_owner,
)
from services.goals.records import GoalFilters
from services.metrics import get_metric
from services.periods import containing
from tests.factories import Org, make_customer, make_goal, make_team

START, END = date(2025, 4, 1), date(2025, 4, 30)
DAY_10, DAY_15 = date(2025, 4, 10), date(2025, 4, 15)
REVENUE, WIN_RATE = get_metric("revenue"), get_metric("win_rate")
CYCLE, COMPLAINTS = get_metric("sales_cycle_days"), get_metric("complaints_opened")


def _pace(found: Progress) -> tuple[Any, ...]:
    return found.pace, found.status


# ---- progress_of: the arithmetic alone ----


@pytest.mark.parametrize(
    ("actual", "behind", "pace"),
    [
        # 300,000 over 30 days: 100,000 expected by day 10.
        (95_000, 0.05, Pace.ON_TRACK),
        (90_000, 0.10, Pace.AT_RISK),  # exactly 10 % behind is at risk
        (80_000, 0.20, Pace.AT_RISK),
        (75_000, 0.25, Pace.OFF_TRACK),  # exactly 25 % behind is off track
        (0, 1.00, Pace.OFF_TRACK),
    ],
)
def test_a_running_sum_against_its_linear_pace(actual: int, behind: float, pace: Pace) -> None:
    found = progress_of(REVENUE, 300_000, actual, START, END, DAY_10)
    assert (found.days, found.elapsed_days) == (30, 10)
    assert found.expected == pytest.approx(100_000)
    assert found.behind == pytest.approx(behind)
    assert found.attainment == pytest.approx(actual / 300_000)
    # Run rate: what ten days brought, thirty times over ten.
    assert found.forecast == pytest.approx(actual * 3)
    assert _pace(found) == (pace, GoalStatus.ACTIVE)


def test_a_period_that_has_not_started() -> None:
    found = progress_of(REVENUE, 300_000, 0, START, END, date(2025, 3, 31))
    assert found == Progress(
        target=300_000, actual=0, attainment=0.0, days=30, elapsed_days=0, expected=0.0,
        behind=None, pace=Pace.NOT_STARTED, forecast=None, status=GoalStatus.ACTIVE,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "status"), [(300_000, GoalStatus.ACHIEVED), (299_999, GoalStatus.MISSED)]
)
def test_a_period_that_has_ended(actual: int, status: GoalStatus) -> None:
    found = progress_of(REVENUE, 300_000, actual, START, END, date(2025, 6, 1))
    assert (found.elapsed_days, found.expected, found.forecast) == (30, 300_000, actual)
    assert _pace(found) == (Pace.ENDED, status)


def test_the_last_day_is_still_running() -> None:
    # The day is not over: the goal is not missed yet, and the full target is due by tonight.
    found = progress_of(REVENUE, 300_000, 280_000, START, END, END)
    assert (found.elapsed_days, found.expected, found.forecast) == (30, 300_000, 280_000)
    assert found.behind == pytest.approx(20_000 / 300_000)
    assert _pace(found) == (Pace.ON_TRACK, GoalStatus.ACTIVE)
    reached = progress_of(REVENUE, 300_000, 300_000, START, END, END)
    assert _pace(reached) == (Pace.ON_TRACK, GoalStatus.ACHIEVED)


def test_a_sum_that_reached_its_target_early_is_achieved() -> None:
    found = progress_of(REVENUE, 300_000, 310_000, START, END, DAY_10)
    assert found.behind == pytest.approx(-2.1)
    assert found.forecast == pytest.approx(930_000)
    assert found.attainment == pytest.approx(310_000 / 300_000)
    assert _pace(found) == (Pace.ON_TRACK, GoalStatus.ACHIEVED)


@pytest.mark.parametrize(
    ("actual", "behind", "pace"),
    [
        (0.55, -0.10, Pace.ON_TRACK),
        (0.45, 0.10, Pace.AT_RISK),
        (0.375, 0.25, Pace.OFF_TRACK),
        # A ratio above its target mid-period can still fall back: not achieved yet.
        (0.60, -0.20, Pace.ON_TRACK),
    ],
)
def test_a_ratio_is_paced_against_the_target_itself(
    actual: float, behind: float, pace: Pace
) -> None:
    found = progress_of(WIN_RATE, 0.5, actual, START, END, DAY_10)
    # Not linear: a 50 % win rate is expected on day 10 as on day 30; the forecast is today's.
    assert (found.expected, found.forecast) == (0.5, actual)
    assert found.behind == pytest.approx(behind)
    assert found.attainment == pytest.approx(actual / 0.5)
    assert _pace(found) == (pace, GoalStatus.ACTIVE)


def test_a_ratio_with_nothing_to_divide_yet_is_not_behind() -> None:
    found = progress_of(WIN_RATE, 0.5, None, START, END, DAY_10)
    assert (found.attainment, found.behind, found.forecast) == (None, None, None)
    assert _pace(found) == (Pace.ON_TRACK, GoalStatus.ACTIVE)
    ended = progress_of(WIN_RATE, 0.5, None, START, END, date(2025, 5, 1))
    assert _pace(ended) == (Pace.ENDED, GoalStatus.MISSED)


@pytest.mark.parametrize(
    ("actual", "status"),
    [(0.5, GoalStatus.ACHIEVED), (0.4999, GoalStatus.MISSED)],
)
def test_an_ended_ratio_is_achieved_at_its_target(actual: float, status: GoalStatus) -> None:
    found = progress_of(WIN_RATE, 0.5, actual, START, END, date(2025, 5, 1))
    assert _pace(found) == (Pace.ENDED, status)


@pytest.mark.parametrize(
    ("actual", "behind", "pace"),
    [(27, -0.10, Pace.ON_TRACK), (33, 0.10, Pace.AT_RISK), (40, 1 / 3, Pace.OFF_TRACK)],
)
def test_lower_is_better_average(actual: float, behind: float, pace: Pace) -> None:
    # A 30-day sales cycle: 33 days is 10 % too slow; attainment is target ÷ actual.
    found = progress_of(CYCLE, 30, actual, START, END, DAY_10)
    assert found.behind == pytest.approx(behind)
    assert found.attainment == pytest.approx(30 / actual)
    assert _pace(found) == (pace, GoalStatus.ACTIVE)
    assert progress_of(CYCLE, 30, 30, START, END, date(2025, 5, 1)).status == GoalStatus.ACHIEVED
    assert progress_of(CYCLE, 30, 30.5, START, END, date(2025, 5, 1)).status == GoalStatus.MISSED


@pytest.mark.parametrize(
    ("actual", "behind", "pace", "forecast"),
    [
        # At most 10 complaints in April: 5 is the pace by day 15.
        (3, -0.4, Pace.ON_TRACK, 6),
        (6, 0.2, Pace.AT_RISK, 12),
        (7, 0.4, Pace.OFF_TRACK, 14),
    ],
)
def test_lower_is_better_sum(actual: int, behind: float, pace: Pace, forecast: int) -> None:
    found = progress_of(COMPLAINTS, 10, actual, START, END, DAY_15)
    assert found.expected == pytest.approx(5)
    assert found.behind == pytest.approx(behind)
    assert found.forecast == pytest.approx(forecast)
    assert found.attainment == pytest.approx(10 / actual)
    assert _pace(found) == (pace, GoalStatus.ACTIVE)
    ended = [progress_of(COMPLAINTS, 10, n, START, END, date(2025, 5, 1)).status for n in (10, 11)]
    assert ended == [GoalStatus.ACHIEVED, GoalStatus.MISSED]


# ---- Early in a period: pace against the same days of the previous one ----

DEALS_WON = get_metric("deals_won")
DECEMBER = containing(PeriodKind.MONTH, date(2026, 12, 1))  # 31 days


@pytest.mark.parametrize(
    ("days", "elapsed", "early"),
    [
        # The first 10 %, at least 3 days: 3 ≤ 3.1 of 31 days, 4 is past it.
        (31, 3, True), (31, 4, False), (30, 3, True), (30, 4, False), (28, 3, True),
        (28, 4, False), (39, 3, True), (40, 4, True), (40, 5, False),
        # Quarters of 90 and 92 days; years of 365 and 366.
        (90, 9, True), (90, 10, False), (92, 9, True), (92, 10, False),
        (365, 36, True), (365, 37, False), (366, 36, True), (366, 37, False),
        (31, 0, False),  # not started
    ],
)  # fmt: skip
def test_the_first_tenth_of_a_period_and_at_least_three_days_are_early(
    days: int, elapsed: int, early: bool
) -> None:
    assert is_early(days, elapsed) is early


def test_one_day_of_deals_is_paced_against_the_previous_months_first_day() -> None:
    # The case: one deal on 1 December projected 31 against a target of 18.
    day_1 = progress_of(DEALS_WON, 18, 1, DECEMBER.start, DECEMBER.end, DECEMBER.start,
                        previous=1)  # fmt: skip
    assert (day_1.early, day_1.expected, day_1.forecast) == (True, 1, None)
    assert (day_1.behind, day_1.pace) == (0, Pace.ON_TRACK)
    # Day 3: one deal where 1–3 November had four, 75 % behind.
    day_3 = progress_of(DEALS_WON, 18, 1, DECEMBER.start, DECEMBER.end, date(2026, 12, 3),
                        previous=4)  # fmt: skip
    assert (day_3.early, day_3.expected, day_3.forecast) == (True, 4, None)
    assert day_3.behind == pytest.approx(0.75)
    assert day_3.pace == Pace.OFF_TRACK
    # Day 4: the run rate as before, whatever November did.
    day_4 = progress_of(DEALS_WON, 18, 4, DECEMBER.start, DECEMBER.end, date(2026, 12, 4),
                        previous=9)  # fmt: skip
    assert day_4.early is False
    assert day_4.expected == pytest.approx(18 * 4 / 31)
    assert day_4.forecast == pytest.approx(31)


def test_early_pace_for_lower_is_better_and_without_a_previous_period() -> None:
    day_2 = date(2026, 12, 2)
    # At most 10 complaints: 2 against 5 in 1–2 November is 60 % ahead.
    fewer = progress_of(COMPLAINTS, 10, 2, DECEMBER.start, DECEMBER.end, day_2, previous=5)
    assert (fewer.behind, fewer.pace) == (pytest.approx(-0.6), Pace.ON_TRACK)
    # Nothing in the previous period's first days: nothing to be behind.
    new = progress_of(DEALS_WON, 18, 0, DECEMBER.start, DECEMBER.end, day_2, previous=0)
    assert (new.early, new.behind, new.pace, new.forecast) == (True, None, Pace.ON_TRACK, None)
    # A target reached on day 2 is achieved, early or not.
    done = progress_of(DEALS_WON, 1, 1, DECEMBER.start, DECEMBER.end, day_2, previous=3)
    assert _pace(done) == (Pace.ON_TRACK, GoalStatus.ACHIEVED)


def test_a_ratio_is_not_early_it_has_no_run_rate() -> None:
    found = progress_of(WIN_RATE, 0.5, 0.4, DECEMBER.start, DECEMBER.end, DECEMBER.start)
    assert (found.early, found.expected, found.forecast) == (False, 0.5, 0.4)


# ---- Actuals from the database ----

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
MID_MARCH = date(2025, 3, 16)  # 16 of 31 days gone
ARCHIVED = datetime(2025, 3, 13, tzinfo=UTC)


def _deal(
    session: Session, customer: Customer, day: date, amount: int, stage: DealStage, **fields: Any
) -> None:
    session.add(
        Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="d", stage=stage,
             amount=amount, closed_on=day, **fields)
    )  # fmt: skip


class Sales:
    """March 2025 by hand. East Rep: wins of 10,000 (1 Mar) and 30,000 (16 Mar), one loss;
    a February and an April win outside. East Sub Rep: a 20,000 win, a loss, an archived win.
    West Rep: a 5,000 win."""

    def __init__(self, session: Session) -> None:
        self.org = org = Org(session)
        east = make_customer(session, org.east_rep.id, "East Co")
        sub = make_customer(session, org.east_sub_rep.id, "Sub Co")
        west = make_customer(session, org.west_rep.id, "West Co")
        won, lost = DealStage.WON, DealStage.LOST
        for customer, day, amount, stage, fields in [
            (east, date(2025, 3, 1), 10_000, won, {}),
            (east, date(2025, 3, 16), 30_000, won, {}),
            (east, date(2025, 3, 5), 0, lost, {"lost_reason": "Price"}),
            (east, date(2025, 2, 28), 50_000, won, {}),
            (east, date(2025, 4, 1), 99_900, won, {}),
            (sub, date(2025, 3, 10), 20_000, won, {}),
            (sub, date(2025, 3, 11), 0, lost, {"lost_reason": "Timing"}),
            (sub, date(2025, 3, 12), 70_000, won, {"archived_at": ARCHIVED}),
            (west, date(2025, 3, 5), 5_000, won, {}),
        ]:
            _deal(session, customer, day, amount, stage, **fields)
        session.commit()

    def goal(self, session: Session, owner: Any, target: int, metric_key: str = "revenue") -> Goal:
        return make_goal(
            session, owner, MARCH.start, MARCH.end, target, metric_key=metric_key,
            kind=PeriodKind.MONTH,
        )  # fmt: skip


@pytest.fixture
def sales(session: Session) -> Sales:
    return Sales(session)


def _progress_by_title(session: Session, sales: Sales, today: date) -> dict[str, Progress]:
    admin = sales.org.actor(session, sales.org.admin)
    rows = goals.list_goals(session, admin, filters=GoalFilters())
    found = progress(session, rows, today)
    return {row.owner_name or "Company": found[row.id] for row in rows}


def test_actuals_of_a_rep_a_team_with_its_sub_team_and_the_company(
    session: Session, sales: Sales
) -> None:
    org = sales.org
    sales.goal(session, org.east_rep, 62_000)
    sales.goal(session, org.east, 124_000)
    sales.goal(session, org.east_sub, 20_000)
    sales.goal(session, org.west, 31_000)
    sales.goal(session, None, 155_000)
    found = _progress_by_title(session, sales, MID_MARCH)
    # East counts East Sub's rep; the archived win and the deals outside March do not count.
    assert {name: p.actual for name, p in found.items()} == {
        "Company": 65_000, "East": 60_000, "East Sub": 20_000, "West": 5_000, "East Rep": 40_000,
    }  # fmt: skip
    # Expected by 16 March: 16/31 of each target.
    rep = found["East Rep"]
    assert (rep.expected, rep.behind, rep.pace) == (32_000, -0.25, Pace.ON_TRACK)
    assert rep.forecast == pytest.approx(40_000 * 31 / 16)  # 77,500
    assert rep.attainment == pytest.approx(40_000 / 62_000)
    assert found["East"].behind == pytest.approx(4_000 / 64_000)  # on track
    assert found["Company"].behind == pytest.approx(15_000 / 80_000)  # at risk
    assert found["West"].behind == pytest.approx(11_000 / 16_000)  # off track
    assert [found[name].pace for name in ("East", "Company", "West")] == [
        Pace.ON_TRACK, Pace.AT_RISK, Pace.OFF_TRACK,
    ]  # fmt: skip
    assert found["East Sub"].status == GoalStatus.ACHIEVED


def test_a_team_ratio_is_a_ratio_of_sums(session: Session, sales: Sales) -> None:
    org = sales.org
    sales.goal(session, org.east, 5000, "win_rate")  # 50 %
    sales.goal(session, org.east_rep, 5000, "win_rate")
    sales.goal(session, org.west, 5000, "win_rate")
    found = _progress_by_title(session, sales, MID_MARCH)
    # East: East Rep won 2 of 3, East Sub Rep 1 of 2: 3 of 5, not the mean of 2/3 and 1/2.
    assert found["East"].actual == pytest.approx(0.6)
    assert found["East Rep"].actual == pytest.approx(2 / 3)
    assert found["West"].actual == pytest.approx(1.0)
    assert found["East"].target == 0.5


def test_a_team_without_reps_and_a_ratio_with_nothing_closed(
    session: Session, sales: Sales
) -> None:
    empty = make_team(session, "Empty", parent_id=sales.org.region.id)
    sales.goal(session, empty, 1_000)
    sales.goal(session, empty, 5000, "win_rate")
    admin = sales.org.actor(session, sales.org.admin)
    rows = goals.list_goals(session, admin, filters=GoalFilters())
    found = progress(session, rows, MID_MARCH)
    assert sorted((row.metric_key, found[row.id].actual) for row in rows) == [
        ("revenue", 0), ("win_rate", None),
    ]  # fmt: skip


def test_owner_reps_are_the_rep_or_the_team_with_its_sub_teams(
    session: Session, sales: Sales
) -> None:
    org = sales.org
    ids = [sales.goal(session, owner, 1).id for owner in (org.west_rep, org.east, org.region, None)]
    rows = goals.list_goals(session, org.actor(session, org.admin), filters=GoalFilters())
    owners = owner_reps(session, rows)
    assert owners == {
        ids[0]: {org.west_rep.id},
        ids[1]: {org.east_rep.id, org.east_sub_rep.id},
        ids[2]: {org.east_rep.id, org.east_sub_rep.id, org.west_rep.id},
    }  # the company is every rep: absent
    # A goal not saved yet (the SMART check's draft) is answered the same way.
    assert reps_of_owner(session, OwnerKind.TEAM, org.east.id) == owners[ids[1]]
    assert reps_of_owner(session, OwnerKind.REP, org.west_rep.id) == owners[ids[0]]
    assert reps_of_owner(session, OwnerKind.COMPANY, None) is None


def _share_goals(session: Session, sales: Sales) -> tuple[Goal, Goal]:
    """Market share (entered by hand) for 2025: East Rep's with check-ins, West Rep's none."""
    org = sales.org
    admin = org.actor(session, org.admin)
    year = containing(PeriodKind.YEAR, date(2025, 1, 1))
    share, bare = (
        make_goal(
            session, rep, year.start, year.end, 2000, metric_key="market_share",
            kind=PeriodKind.YEAR,
        )
        for rep in (org.east_rep, org.west_rep)
    )  # fmt: skip
    for day, value in [(date(2025, 3, 25), "15"), (date(2025, 3, 5), "12")]:
        goals.add_checkin(session, admin, goal_id=share.id, checked_on=day, value=value)
    return share, bare


def _share_progress(session: Session, sales: Sales, today: date) -> dict[int, Progress]:
    admin = sales.org.actor(session, sales.org.admin)
    rows = goals.list_goals(session, admin, filters=GoalFilters(metric_key="market_share"))
    return progress(session, rows, today)


def test_a_manual_metric_is_its_latest_check_in_of_the_period(
    session: Session, sales: Sales
) -> None:
    share, bare = _share_goals(session, sales)
    found = _share_progress(session, sales, date(2025, 7, 2))
    # The newest check-in of 2025 is 15 % (entered before the older 12 %).
    assert found[share.id].actual == pytest.approx(0.15)
    assert found[share.id].attainment == pytest.approx(0.75)
    assert (found[bare.id].actual, found[bare.id].attainment) == (None, None)


def test_a_manual_ratio_is_paced_against_its_target(session: Session, sales: Sales) -> None:
    share, _bare = _share_goals(session, sales)
    mine = _share_progress(session, sales, date(2025, 7, 2))[share.id]
    # A share is a level, not a sum: 15 % against 20 % is 25 % behind on any day, and the
    # period should end where it stands, not at 15 % × 365 ÷ 183.
    assert (mine.expected, mine.forecast) == (0.2, pytest.approx(0.15))
    assert mine.behind == pytest.approx(0.25)
    assert mine.pace == Pace.OFF_TRACK


# ---- Early in a period, from the database ----


def _won_on(session: Session, rep_id: int, day: date, amount: int = 1_000) -> None:
    customer = make_customer(session, rep_id, f"Bought {day} {amount}")
    _deal(session, customer, day, amount, DealStage.WON)
    session.commit()


def _one_goal(session: Session, org: Org, today: date) -> Progress:
    rows = goals.list_goals(session, org.actor(session, org.admin), filters=GoalFilters())
    [found] = progress(session, rows, today).values()
    return found


def test_a_month_goal_is_paced_against_the_month_before_until_day_3(
    session: Session, org: Org
) -> None:
    for day in (1, 2, 3, 4):  # four deals on 1–4 November, one on 1 December
        _won_on(session, org.east_rep.id, date(2026, 11, day))
    _won_on(session, org.east_rep.id, DECEMBER.start)
    _won_on(session, org.west_rep.id, date(2026, 11, 1))  # not East Rep's
    make_goal(session, org.east_rep, DECEMBER.start, DECEMBER.end, 18, metric_key="deals_won",
              kind=PeriodKind.MONTH)  # fmt: skip
    day_3 = _one_goal(session, org, date(2026, 12, 3))
    # 1 December's one deal against the three of 1–3 November.
    assert (day_3.early, day_3.actual, day_3.expected, day_3.forecast) == (True, 1, 3, None)
    assert day_3.pace == Pace.OFF_TRACK
    day_4 = _one_goal(session, org, date(2026, 12, 4))
    assert (day_4.early, day_4.expected) == (False, pytest.approx(18 * 4 / 31))
    assert day_4.forecast == pytest.approx(31 / 4)


@pytest.mark.parametrize(
    ("start", "end", "kind", "early_day", "before", "previous_only"),
    [
        # Q1 2026 (90 days): day 9 is 9 January, against 1–9 October 2025.
        (date(2026, 1, 1), date(2026, 3, 31), PeriodKind.QUARTER, date(2026, 1, 9),
         date(2025, 10, 9), date(2025, 10, 10)),
        # A quarter of a fiscal year from February (89 days: day 8 is the last early one),
        # with November to January before it.
        (date(2026, 2, 1), date(2026, 4, 30), PeriodKind.QUARTER, date(2026, 2, 8),
         date(2025, 11, 8), date(2025, 11, 9)),
        # 2026 (365 days): day 36 is 5 February, against 1 January – 5 February 2025.
        (date(2026, 1, 1), date(2026, 12, 31), PeriodKind.YEAR, date(2026, 2, 5),
         date(2025, 2, 5), date(2025, 2, 6)),
    ],
)  # fmt: skip
def test_a_quarter_and_a_year_are_early_for_their_first_tenth(
    session: Session, org: Org, start: date, end: date, kind: PeriodKind, early_day: date,
    before: date, previous_only: date,
) -> None:  # fmt: skip
    rep = org.east_rep.id
    _won_on(session, rep, before, 10_000)  # the last day of the span before: counts
    _won_on(session, rep, previous_only, 50_000)  # the day after it: does not
    _won_on(session, rep, start, 8_000)
    make_goal(session, org.east_rep, start, end, 1_000_000, kind=kind)
    early = _one_goal(session, org, early_day)
    assert (early.early, early.actual, early.expected, early.forecast) == (
        True, 8_000, 10_000, None,
    )  # fmt: skip
    assert (early.behind, early.pace) == (pytest.approx(0.2), Pace.AT_RISK)
    next_day = early_day + timedelta(days=1)
    late = _one_goal(session, org, next_day)
    elapsed = (next_day - start).days + 1
    assert late.early is False
    assert late.forecast == pytest.approx(8_000 * late.days / elapsed)
