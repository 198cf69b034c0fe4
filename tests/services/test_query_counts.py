"""Reads and writes that must not grow with the data: each is counted with N and 2N or 3N
rows, and the statement count must be the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.enums import OwnerKind
from services import settings
from services.access import Actor
from services.goals import bulk_targets
from services.goals import listing as goal_list
from services.goals import rules as goal_rules
from services.goals.records import GoalFilters
from services.performance import dashboard
from services.periods import Period, PeriodKind, containing
from tests.factories import Org, make_customer, make_goal, make_rep, make_team, win_a_deal
from tests.services.helpers import StatementCounter

N = 4


def _selects(engine: Engine, read: Callable[[], object]) -> int:
    with StatementCounter(engine) as counter:
        read()
    return sum(1 for sql in counter.statements if sql.lstrip().upper().startswith("SELECT"))


def _statements(engine: Engine, work: Callable[[], object]) -> int:
    with StatementCounter(engine) as counter:
        work()
    return counter.count


def _counted_page(
    engine: Engine, read: Callable[[], goal_list.GoalPage]
) -> tuple[int, tuple[int, int]]:
    """The statements a page read runs, and the page's (total, rows shown)."""
    with StatementCounter(engine) as counter:
        found = read()
    return counter.count, (found.total, len(found.rows))


def _reps_with_goals(session: Session, org: Org, how_many: int, period: Period) -> None:
    """`how_many` more reps in East, each with a revenue goal for `period`."""
    for _ in range(how_many):
        rep = make_rep(session, org.east)
        make_goal(session, rep, period.start, period.end, 100_000, kind=period.kind)


def _grid_save_statements(session: Session, engine: Engine, org: Org, period: Period) -> int:
    admin = org.actor(session, org.admin)
    rows = bulk_targets.grid(session, admin, metric_key="revenue", period=period)
    typed = [asdict(row) | {"target": str((row.target or 0) + 1)} for row in rows]

    def save() -> None:
        bulk_targets.save(
            session, admin, metric_key="revenue", period=period, rows=typed, reason="Plan"
        )

    return _statements(engine, save)


def test_bulk_save_of_revisions_does_not_grow_with_the_rows(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    month = containing(PeriodKind.MONTH, today)
    make_goal(session, org.east, month.start, month.end, 1_000_000, kind=PeriodKind.MONTH)
    counts = []
    for more in (N, 3 * N):
        # Every row revises a goal (the first save gives the three reps of `org` theirs).
        _reps_with_goals(session, org, more, month)
        _grid_save_statements(session, engine, org, month)
        counts.append(_grid_save_statements(session, engine, org, month))
    assert counts[0] == counts[1]


def _parent_choice_selects(session: Session, engine: Engine, actor: Actor, rep_id: int) -> int:
    year = containing(PeriodKind.YEAR, settings.office_today(session))

    def read() -> None:
        goal_rules.parent_choices(
            session, actor, owner_kind=OwnerKind.REP, owner_id=rep_id, metric_key="revenue",
            period=containing(PeriodKind.MONTH, year.start),
        )  # fmt: skip

    return _selects(engine, read)


def test_parent_choices_read_the_teams_once(session: Session, engine: Engine, org: Org) -> None:
    admin = org.actor(session, org.admin)
    year = containing(PeriodKind.YEAR, settings.office_today(session))
    counts = []
    for more in (N, 2 * N):
        # Each candidate is a team above the rep with a goal for the year.
        for _ in range(more):
            team = make_team(session, parent_id=org.east.id)
            make_goal(session, team, year.start, year.end, 1, kind=PeriodKind.YEAR)
        counts.append(_parent_choice_selects(session, engine, admin, org.east_sub_rep.id))
    assert counts[0] == counts[1]


def _tile_selects(session: Session, engine: Engine, actor: Actor, month: Period) -> int:
    return _selects(engine, lambda: dashboard.kpi_tiles(session, actor, month))


def test_home_tiles_read_in_a_bounded_number_of_queries(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    month = containing(PeriodKind.MONTH, today)
    counts = []
    make_customer(session, org.east_rep.id)
    for more in (N, 2 * N):
        _reps_with_goals(session, org, more, month)
        win_a_deal(session, "eastrep", "100")
        for user in (org.admin, org.east_manager):
            counts.append(_tile_selects(session, engine, org.actor(session, user), month))
    assert counts[:2] == counts[2:]
    # Two reads of each KPI (this period and the one before) and a handful for the scope.
    assert counts[0] <= 2 * len(dashboard.KPI_KEYS) + 6


def _new_goals_save(session: Session, engine: Engine, org: Org, period: Period, reps: int) -> int:
    """The statements of a save that gives `reps` new reps of East (and any other rep still
    without one) their first goal for `period`."""
    for _ in range(reps):
        make_rep(session, org.east)
    admin = org.actor(session, org.admin)
    rows = bulk_targets.grid(session, admin, metric_key="revenue", period=period)
    typed = [asdict(row) | {"target": "100"} for row in rows if row.goal_id is None]

    def save() -> None:
        saved = bulk_targets.save(
            session, admin, metric_key="revenue", period=period, rows=typed, reason="Plan"
        )
        assert saved.created == len(typed)

    return _statements(engine, save)


def test_bulk_save_of_new_goals_does_not_grow_with_the_rows(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    month = containing(PeriodKind.MONTH, today)
    # East's goal is the parent of East's new rep goals; the others get none.
    make_goal(session, org.east, month.start, month.end, 1_000_000, kind=PeriodKind.MONTH)
    counts = [_new_goals_save(session, engine, org, month, reps) for reps in (N, 3 * N)]
    assert counts[0] == counts[1]


# Each goal of these tests gets a period of its own unless it says otherwise.
_days = count(1)


def _goal_of_its_own_period(session: Session, org: Org, today: date) -> None:
    """A running goal of East Rep whose progress is a metric query of its own."""
    days = next(_days)
    make_goal(session, org.east_rep, today - timedelta(days=days), today + timedelta(days=days), 1)


@pytest.mark.parametrize(
    "listed",
    [
        lambda session, admin: goal_list.list_page(
            session, admin, filters=GoalFilters(), page_size=2
        ),
        lambda session, admin: goal_list.review_list(session, admin, page_size=2),
    ],
    ids=["goals list", "review list"],
)
def test_a_goals_page_computes_only_its_own_progress(
    session: Session, engine: Engine, org: Org, today: date, listed: Any
) -> None:
    admin = org.actor(session, org.admin)
    counted = []
    for more in (N, 3 * N):
        for _ in range(more):
            _goal_of_its_own_period(session, org, today)
        counted.append(_counted_page(engine, lambda: listed(session, admin)))
    (first, first_shown), (second, second_shown) = counted
    assert (first_shown, second_shown) == ((N, 2), (4 * N, 2))
    assert first == second


def test_behind_pace_reads_once_per_metric_and_period_not_per_goal(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    """Pace is computed, not stored: every running goal's progress is needed to find the
    behind ones, in one metric query per metric and period they share."""
    admin = org.actor(session, org.admin)
    start, end = today - timedelta(days=9), today + timedelta(days=20)
    counted = []
    for more in (N, 3 * N):
        for _ in range(more):
            # Ten days gone and nothing sold of a target nobody reaches: off track.
            make_goal(session, make_rep(session, org.east), start, end, 10**10)
        counted.append(
            _counted_page(engine, lambda: goal_list.behind_pace(session, admin, page_size=2))
        )
    (first, first_shown), (second, second_shown) = counted
    assert (first_shown, second_shown) == ((N, 2), (4 * N, 2))
    assert first == second


def test_early_goals_read_the_period_before_once_per_metric_and_period(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    """Early in a period pace is against the same days of the previous one: one more metric
    query for the goals sharing a period, not one per goal."""
    admin = org.actor(session, org.admin)
    # Day 2 of 30: early, whatever today is.
    start, end = today - timedelta(days=1), today + timedelta(days=28)
    counted = []
    for more in (N, 3 * N):
        for _ in range(more):
            make_goal(session, make_rep(session, org.east), start, end, 10**10)
        counted.append(
            _counted_page(engine, lambda: goal_list.behind_pace(session, admin, page_size=2))
        )
    (first, _first_shown), (second, _second_shown) = counted
    assert first == second
