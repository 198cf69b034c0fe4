"""What the goal service tests share: their periods, a first-quarter goal as the form sends
it, and a snapshot of everything a goal write may touch."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Goal, GoalCheckin, GoalRevision, Rep, Team
from models.enums import PeriodKind
from services.periods import containing
from tests.factories import goal_data
from tests.services.helpers import count

YEAR = containing(PeriodKind.YEAR, date(2026, 1, 1))
Q1 = containing(PeriodKind.QUARTER, date(2026, 1, 1))
JANUARY = containing(PeriodKind.MONTH, date(2026, 1, 1))


def q1_goal(owner: Rep | Team | None, **changes: Any) -> dict[str, Any]:
    """A first-quarter revenue goal of 50,000 for `owner` (None: the company)."""
    return goal_data(owner, Q1, **changes)


def goal_state(engine: Engine) -> tuple[Any, ...]:
    """Goals, revisions, check-ins, audit events, and every goal's editable columns."""
    with Session(engine) as session:
        rows = session.exec(
            select(
                Goal.id, Goal.version, Goal.target, Goal.title, Goal.parent_id, Goal.archived_at
            ).order_by(col(Goal.id))
        ).all()
    return (
        count(engine, Goal), count(engine, GoalRevision), count(engine, GoalCheckin),
        count(engine, AuditEvent), [tuple(row) for row in rows],
    )  # fmt: skip
