"""Incentive plans, payout runs with their statements, and honours."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, Editable, enum_column, money_column
from models.enums import AwardKind, PayoutLineKind, PayoutRunStatus, PlanKind


class IncentivePlan(Archivable, table=True):
    __tablename__ = "incentive_plans"
    __table_args__ = (
        sa.CheckConstraint("cap IS NULL OR cap >= 0", name="cap_non_negative"),
        sa.CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    metric_key: str = Field(max_length=64)
    kind: PlanKind = Field(sa_type=enum_column(PlanKind))
    # Rates are basis points (1 % = 100) so plan arithmetic stays exact.
    accelerator_bps: int | None = Field(default=None)
    cap: int | None = Field(default=None, sa_type=money_column())
    team_multiplier_bps: int | None = Field(default=None)
    eligibility: str | None = Field(default=None, max_length=500)
    effective_from: date
    effective_to: date | None = Field(default=None)


class PlanTier(Editable, table=True):
    __tablename__ = "plan_tiers"
    __table_args__ = (
        sa.CheckConstraint("lower_bound >= 0", name="lower_bound_non_negative"),
        sa.CheckConstraint("rate_bps >= 0", name="rate_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="incentive_plans.id", index=True)
    lower_bound: int = Field(sa_type=money_column())
    upper_bound: int | None = Field(default=None, sa_type=money_column())
    rate_bps: int


class PlanBonus(Editable, table=True):
    __tablename__ = "plan_bonuses"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_non_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="incentive_plans.id", index=True)
    threshold_bps: int
    amount: int = Field(sa_type=money_column())
    description: str | None = Field(default=None, max_length=500)


class PayoutRun(Editable, table=True):
    __tablename__ = "payout_runs"
    __table_args__ = (sa.UniqueConstraint("plan_id", "period_start", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="incentive_plans.id", index=True)
    period_start: date
    period_end: date
    status: PayoutRunStatus = Field(
        default=PayoutRunStatus.DRAFT, sa_type=enum_column(PayoutRunStatus)
    )


class Payout(Editable, table=True):
    __tablename__ = "payouts"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "rep_id"),
        sa.CheckConstraint("total >= 0", name="total_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="payout_runs.id", index=True)
    rep_id: int = Field(foreign_key="reps.id", index=True)
    total: int = Field(default=0, sa_type=money_column())


class PayoutLine(Editable, table=True):
    __tablename__ = "payout_lines"

    id: int | None = Field(default=None, primary_key=True)
    payout_id: int = Field(foreign_key="payouts.id", index=True)
    rep_id: int = Field(foreign_key="reps.id", index=True)
    kind: PayoutLineKind = Field(sa_type=enum_column(PayoutLineKind))
    basis: int = Field(default=0, sa_type=money_column())
    rate_bps: int | None = Field(default=None)
    # Adjustments may be negative; everything else is checked by the plan engine.
    amount: int = Field(sa_type=money_column())
    explanation: str = Field(max_length=1000)


class AwardRule(Archivable, table=True):
    __tablename__ = "award_rules"

    id: int | None = Field(default=None, primary_key=True)
    kind: AwardKind = Field(sa_type=enum_column(AwardKind))
    name: str = Field(max_length=120)
    metric_key: str | None = Field(default=None, max_length=64)
    rule: str | None = Field(default=None, max_length=1000)


class Award(Editable, table=True):
    __tablename__ = "awards"
    __table_args__ = (sa.UniqueConstraint("rule_id", "rep_id", "period_start", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="award_rules.id", index=True)
    rep_id: int = Field(foreign_key="reps.id", index=True)
    period_start: date
    period_end: date
    reason: str | None = Field(default=None, max_length=1000)
