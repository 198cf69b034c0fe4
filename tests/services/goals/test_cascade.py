"""services/goals/cascade.py: the allocation check worked by hand, the goal tree company → team →
rep in depth-first order, and what a manager or a rep sees of it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Customer, Deal, Goal
from models.enums import DealStage, PeriodKind
from services.errors import NotFound, PermissionDenied
from services.goals import cascade
from services.goals import records as goals
from services.goals.cascade import Allocation, CascadeNode, allocation
from services.periods import containing
from tests.factories import Org, make_customer, make_goal
from tests.services.helpers import audit_actions

YEAR = containing(PeriodKind.YEAR, date(2025, 1, 1))


# ---- allocation: children's targets against the parent's ----


@pytest.mark.parametrize(
    ("children", "summed", "gap", "share"),
    [
        # 300,000 + 400,000 + 200,000 leave 100,000 of a million uncovered: 10 % short.
        ([300_000, 400_000, 200_000], 900_000, -100_000, -0.10),
        # 600,000 + 500,000 over-cover it by 100,000: 10 % over.
        ([600_000, 500_000], 1_100_000, 100_000, 0.10),
        ([250_000] * 4, 1_000_000, 0, 0.0),
        ([], 0, -1_000_000, -1.0),
    ],
)
def test_allocation_of_a_sum_by_amount_and_share(
    children: list[float], summed: float, gap: float, share: float
) -> None:
    found = allocation("revenue", 1_000_000, children)
    assert found == Allocation(True, len(children), summed, gap, pytest.approx(share))


def test_allocation_of_a_count_with_an_odd_share() -> None:
    # 7 + 8 deals for a team target of 12: 3 over, a quarter more.
    assert allocation("deals_won", 12, [7, 8]) == Allocation(True, 2, 15, 3, 0.25)
    assert allocation("deals_won", 3, [1, 1]).gap_share == pytest.approx(-1 / 3)


@pytest.mark.parametrize("metric_key", ["win_rate", "csat", "avg_deal_size", "sales_cycle_days"])
def test_ratios_and_averages_are_not_summed(metric_key: str) -> None:
    # Three reps at 40 % do not make a 120 % team.
    found = allocation(metric_key, 0.4, [0.4, 0.4, 0.4])
    assert found == Allocation(summed=False, children=3)
    assert (found.children_target, found.gap, found.gap_share) == (0, 0, 0)


# ---- tree ----


class Plan:
    """2025 revenue: the company 1,000,000 → East 500,000 and West 400,000 (100,000 short).
    East → East Rep 200,000 and East Sub 350,000 (50,000 over); East Sub → East Sub Rep
    350,000 (exact); West → West Rep 400,000 (exact). An archived East goal of 999,999 counts
    nowhere. Deals: East Rep 150,000 and East Sub Rep 70,000 won in 2025."""

    def __init__(self, session: Session) -> None:
        self.org = org = Org(session)
        self.company = self.goal(session, None, 1_000_000)
        self.east = self.goal(session, org.east, 500_000, self.company)
        self.west = self.goal(session, org.west, 400_000, self.company)
        self.east_rep = self.goal(session, org.east_rep, 200_000, self.east)
        self.east_sub = self.goal(session, org.east_sub, 350_000, self.east)
        self.east_sub_rep = self.goal(session, org.east_sub_rep, 350_000, self.east_sub)
        self.west_rep = self.goal(session, org.west_rep, 400_000, self.west)
        q1 = containing(PeriodKind.QUARTER, YEAR.start)
        gone = make_goal(
            session, org.east_rep, q1.start, q1.end, 999_999, kind=PeriodKind.QUARTER,
            parent=self.east,
        )  # fmt: skip
        goals.archive(session, org.actor(session, org.admin), goal_id=gone.id, version=1)
        for rep, amount in [(org.east_rep, 150_000), (org.east_sub_rep, 70_000)]:
            customer = make_customer(session, rep.id, f"Customer of {rep.name}")
            _won(session, customer, date(2025, 6, 1), amount)

    def goal(self, session: Session, owner: Any, target: int, parent: Goal | None = None) -> Goal:
        return make_goal(
            session, owner, YEAR.start, YEAR.end, target, kind=PeriodKind.YEAR, parent=parent,
            title=f"{owner.name if owner else 'Company'} 2025",
        )  # fmt: skip


def _won(session: Session, customer: Customer, day: date, amount: int) -> None:
    session.add(
        Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="d",
             stage=DealStage.WON, amount=amount, closed_on=day)
    )  # fmt: skip
    session.commit()


@pytest.fixture
def plan(session: Session) -> Plan:
    return Plan(session)


def _nodes(rows: list[CascadeNode]) -> list[tuple[str, int]]:
    return [(row.title, row.depth) for row in rows]


def test_the_tree_is_depth_first_with_each_nodes_allocation(session: Session, plan: Plan) -> None:
    rows = cascade.tree(session, plan.org.actor(session, plan.org.admin), plan.company.id)
    # Children by owner name: "East Rep" before "East Sub".
    assert _nodes(rows) == [
        ("Company 2025", 0),
        ("East 2025", 1), ("East Rep 2025", 2), ("East Sub 2025", 2), ("East Sub Rep 2025", 3),
        ("West 2025", 1), ("West Rep 2025", 2),
    ]  # fmt: skip
    split = {row.title: row.allocation for row in rows}
    assert split["Company 2025"] == Allocation(True, 2, 900_000, -100_000, -0.1)
    assert split["East 2025"] == Allocation(True, 2, 550_000, 50_000, 0.1)
    assert split["East Sub 2025"] == Allocation(True, 1, 350_000, 0, 0.0)
    assert split["West 2025"] == Allocation(True, 1, 400_000, 0, 0.0)
    # Leaves have nothing to allocate.
    assert [split[title] for title in ("East Rep 2025", "East Sub Rep 2025")] == [None, None]
    assert {row.hidden for row in rows} == {0}


def test_each_node_has_its_actual_and_attainment(session: Session, plan: Plan) -> None:
    rows = cascade.tree(session, plan.org.actor(session, plan.org.admin), plan.company.id)
    found = {row.title: (row.actual, row.attainment) for row in rows}
    # East counts its sub-team's rep: 150,000 + 70,000 of 500,000.
    assert found == {
        "Company 2025": (220_000, pytest.approx(0.22)),
        "East 2025": (220_000, pytest.approx(0.44)),
        "East Rep 2025": (150_000, pytest.approx(0.75)),
        "East Sub 2025": (70_000, pytest.approx(0.2)),
        "East Sub Rep 2025": (70_000, pytest.approx(0.2)),
        "West 2025": (0, 0.0),
        "West Rep 2025": (0, 0.0),
    }


def test_a_manager_sees_their_branch_and_the_allocation_counts_hidden_children(
    session: Session, plan: Plan
) -> None:
    manager = plan.org.actor(session, plan.org.east_manager)
    rows = cascade.tree(session, manager, plan.company.id)
    assert _nodes(rows) == [
        ("Company 2025", 0), ("East 2025", 1), ("East Rep 2025", 2), ("East Sub 2025", 2),
        ("East Sub Rep 2025", 3),
    ]  # fmt: skip
    top = rows[0]
    # West's goal is counted but not shown, and its target cannot be worked out from the
    # gap: only whether the company's target is covered is told.
    assert (top.hidden, top.allocation) == (1, Allocation(True, 2, covered=False))
    assert rows[1].allocation == Allocation(True, 2, 550_000, 50_000, pytest.approx(0.1))
    west = plan.org.actor(session, plan.org.west_manager)
    assert _nodes(cascade.tree(session, west, plan.company.id)) == [
        ("Company 2025", 0), ("West 2025", 1), ("West Rep 2025", 2),
    ]  # fmt: skip


def test_a_rep_sees_their_own_goal_alone(session: Session, plan: Plan) -> None:
    rep = plan.org.actor(session, plan.org.east_rep_user)
    rows = cascade.tree(session, rep, plan.east_rep.id)
    assert (_nodes(rows), rows[0].allocation, rows[0].hidden) == (
        [("East Rep 2025", 0)], None, 0,
    )  # fmt: skip


def test_a_ratio_tree_is_not_summed(session: Session, plan: Plan) -> None:
    org = plan.org

    def goal(owner: Any, target: int, parent: Goal | None = None) -> Goal:
        return make_goal(session, owner, YEAR.start, YEAR.end, target, metric_key="win_rate",
                         kind=PeriodKind.YEAR, parent=parent)  # fmt: skip

    company = goal(None, 4_000)
    east = goal(org.east, 4_500, company)
    goal(org.west, 3_500, company)
    goal(org.east_rep, 5_000, east)
    rows = cascade.tree(session, org.actor(session, org.admin), company.id)
    assert rows[0].allocation == Allocation(summed=False, children=2)
    assert rows[1].allocation == Allocation(summed=False, children=1)
    assert [row.target for row in rows] == [4_000, 4_500, 5_000, 3_500]


def test_roots_are_the_tops_the_actor_may_open(session: Session, plan: Plan) -> None:
    org = plan.org
    make_goal(session, org.west, date(2024, 1, 1), date(2024, 12, 31), 10, kind=PeriodKind.YEAR)
    q3 = containing(PeriodKind.QUARTER, date(2025, 7, 1))

    def roots(user: Any, period: Any = YEAR) -> list[str]:
        return [row.title for row in cascade.roots(session, org.actor(session, user),
                                                       period=period)]  # fmt: skip

    assert roots(org.admin) == ["Company 2025"]
    assert roots(org.east_manager) == ["Company 2025"]
    # A rep reads what their goal is part of, up to the company's.
    assert roots(org.east_rep_user) == ["Company 2025"]
    # Goals overlapping the period count: a year goal is a root of its third quarter.
    assert roots(org.admin, q3) == ["Company 2025"]
    assert roots(org.admin, containing(PeriodKind.YEAR, date(2024, 1, 1))) == ["Goal"]


@pytest.mark.parametrize(
    ("who", "goal"),
    [
        ("east_rep_user", "east_sub"),
        ("east_rep_user", "west"),
        ("east_rep_user", "west_rep"),
        ("east_manager", "west"),
        ("west_manager", "east_sub"),
    ],
)
def test_a_tree_outside_the_scope_is_denied(
    session: Session, engine: Engine, plan: Plan, who: str, goal: str
) -> None:
    actor = plan.org.actor(session, getattr(plan.org, who))
    before = audit_actions(engine)
    with pytest.raises(PermissionDenied):
        cascade.tree(session, actor, getattr(plan, goal).id)
    assert audit_actions(engine) == [*before, "access.denied"]
    with pytest.raises(NotFound):
        cascade.tree(session, actor, 99_999)
