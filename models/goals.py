"""SMART goals, their revisions and hand-entered check-ins."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, Editable, Timestamped, enum_column, utcnow
from models.enums import GoalStatus, OwnerKind, PeriodKind


class Goal(Archivable, table=True):
    __tablename__ = "goals"
    __table_args__ = (
        sa.UniqueConstraint(
            "owner_kind",
            "owner_id",
            "metric_key",
            "period_start",
            "period_end",
            name="uq_goals_owner_metric_period",
        ),
        sa.CheckConstraint("target > 0", name="target_positive"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
        sa.Index("ix_goals_owner", "owner_kind", "owner_id"),
        sa.Index("ix_goals_period", "period_start", "period_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: OwnerKind = Field(sa_type=enum_column(OwnerKind))
    # Team or rep id; NULL for a company goal.
    owner_id: int | None = Field(default=None)
    metric_key: str = Field(max_length=64, index=True)
    # Stored in the metric's own unit: minor units for money, basis points for ratios.
    target: int = Field(sa_type=sa.BigInteger())
    period_kind: PeriodKind = Field(sa_type=enum_column(PeriodKind))
    period_start: date
    period_end: date
    parent_id: int | None = Field(default=None, foreign_key="goals.id", index=True)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    status: GoalStatus = Field(default=GoalStatus.ACTIVE, sa_type=enum_column(GoalStatus))


class GoalRevision(Timestamped, table=True):
    __tablename__ = "goal_revisions"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goals.id", index=True)
    old_target: int = Field(sa_type=sa.BigInteger())
    new_target: int = Field(sa_type=sa.BigInteger())
    reason: str = Field(max_length=1000)
    by_user_id: int = Field(foreign_key="users.id")
    at: datetime = Field(default_factory=utcnow)


class GoalCheckin(Editable, table=True):
    __tablename__ = "goal_checkins"

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goals.id", index=True)
    checked_on: date
    value: int = Field(sa_type=sa.BigInteger())
    note: str | None = Field(default=None, max_length=1000)
    by_user_id: int = Field(foreign_key="users.id")
