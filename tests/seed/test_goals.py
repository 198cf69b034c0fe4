"""Goals cascade rep → team → company for every month, quarter and year of the window."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Goal, Rep
from tests.seed.conftest import TODAY


def _goals(engine: Engine) -> list[Goal]:
    with Session(engine) as session:
        return list(session.exec(select(Goal)).all())


def test_children_sum_to_their_parent(demo_db: Engine) -> None:
    goals = _goals(demo_db)
    by_id = {goal.id: goal for goal in goals}
    children: dict[int, int] = defaultdict(int)
    revenue = [goal for goal in goals if goal.metric_key == "revenue"]
    for goal in revenue:
        expected_parent = {"rep": "team", "team": "company", "company": None}[goal.owner_kind]
        parent = by_id.get(goal.parent_id)
        assert (parent.owner_kind if parent else None) == expected_parent
        if parent:
            assert (parent.period_start, parent.period_end) == (goal.period_start, goal.period_end)
            children[parent.id or 0] += goal.target
    for goal in revenue:
        if goal.owner_kind != "rep":
            assert children[goal.id or 0] == goal.target


def test_periods_and_titles(demo_db: Engine) -> None:
    company = [g for g in _goals(demo_db) if g.owner_kind == "company"]
    kinds = defaultdict(list)
    for goal in company:
        kinds[goal.period_kind].append(goal)
    assert len(kinds["month"]) == 20  # May 2025 to December 2026
    assert {g.title for g in kinds["quarter"]} == {
        "Revenue Q3 2025", "Revenue Q4 2025", "Revenue Q1 2026", "Revenue Q2 2026",
        "Revenue Q3 2026", "Revenue Q4 2026",
    }  # fmt: skip
    assert [g.title for g in kinds["year"]] == ["Revenue 2026"]
    assert "Revenue November 2026" in {g.title for g in kinds["month"]}
    assert all(g.owner_id is None and g.target > 0 for g in company)


def test_every_active_rep_has_targets_and_deals_won_goals(demo_db: Engine) -> None:
    goals = _goals(demo_db)
    with Session(demo_db) as session:
        reps = session.exec(select(Rep)).all()
    active = {rep.id for rep in reps if rep.status == "active"}
    owners = {g.owner_id for g in goals if g.owner_kind == "rep" and g.metric_key == "revenue"}
    assert owners == active
    deals_won = [g for g in goals if g.metric_key == "deals_won"]
    months = {g.period_start for g in deals_won}
    assert months == {TODAY.replace(day=1, month=TODAY.month - 1), TODAY.replace(day=1)}
    assert {g.owner_id for g in deals_won} == active
