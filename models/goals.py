"""SMART goals, their revisions and hand-entered check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from models.base import N_, Archivable, Editable, FieldProblem, Timestamped, enum_column, utcnow
from models.enums import GoalStatus, OwnerKind, PeriodKind
from models.fields import minor_units, not_after_today, optional_text, required_text


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


@dataclass(frozen=True)
class TargetRule:
    """How a target is typed for a metric's unit and stored as an integer: money in yuan to
    fen, a ratio in percent to basis points, scores and days to hundredths, counts whole."""

    money: bool = False
    # Typed value × multiplier = stored integer.
    multiplier: int = 1
    whole: bool = False
    # Largest sensible target, typed; None: money's own limit.
    high: Decimal | None = None
    # A ratio or score: outside [low, high] the message names the scale.
    scale: tuple[Decimal, Decimal] | None = None
    percent: bool = False


def _typed_number(value: object) -> Decimal:
    if isinstance(value, bool):
        raise FieldProblem(N_("Enter the target as a number."))
    try:
        number = Decimal(str(value if value is not None else "").strip().replace(",", ""))
    except InvalidOperation:
        raise FieldProblem(N_("Enter the target as a number.")) from None
    if not number.is_finite():
        raise FieldProblem(N_("Enter the target as a number."))
    return number


def stored_target(value: object, rule: TargetRule) -> int:
    """A typed target as the stored integer; FieldProblem for anything not a sensible one."""
    if rule.money:
        stored = minor_units(value)
        if stored <= 0:
            raise FieldProblem(N_("The target must be above zero."))
        return stored
    number = _typed_number(value)
    if rule.scale is not None and not rule.scale[0] <= number <= rule.scale[1]:
        if rule.percent:
            raise FieldProblem(N_("Enter a percentage between 0 and 100."))
        low, high = (f"{bound.normalize():f}" for bound in rule.scale)
        raise FieldProblem(N_("Enter a score between {low} and {high}."), low=low, high=high)
    if number <= 0:
        raise FieldProblem(N_("The target must be above zero."))
    if rule.high is not None and number > rule.high:
        raise FieldProblem(N_("The target is too large."))
    if rule.whole and number != number.to_integral_value():
        raise FieldProblem(N_("Enter a whole number."))
    stored = number * rule.multiplier
    if stored != stored.to_integral_value():
        raise FieldProblem(N_("Use at most two decimal places."))
    return int(stored)


def _target(value: object, info: ValidationInfo) -> int:
    rule = (info.context or {}).get("target_rule")
    if rule is None:
        raise RuntimeError("A goal's target is checked against its metric: pass target_rule.")
    return stored_target(value, rule)


class GoalFields(SQLModel):
    """What can change on a goal without a revision: its words and its parent."""

    title: str
    description: str | None = None
    parent_id: int | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return required_text(value, 200, N_("Enter a title for the goal."))

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: object) -> str | None:
        return optional_text(value, 2000)


class GoalCreate(GoalFields):
    """A new goal. `target` is typed in the metric's unit (validation context `target_rule`);
    the period's days come from the period picker, so only their order is checked here."""

    owner_kind: OwnerKind
    owner_id: int | None = None
    metric_key: str
    target: int
    period_kind: PeriodKind
    period_start: date
    period_end: date

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, value: object, info: ValidationInfo) -> int:
        return _target(value, info)

    @model_validator(mode="after")
    def _shape(self) -> GoalCreate:
        if self.period_end < self.period_start:
            raise FieldProblem(N_("The end date is before the start date."), field="period_end")
        if (self.owner_kind == OwnerKind.COMPANY) != (self.owner_id is None):
            raise FieldProblem(N_("Choose whose goal this is."), field="owner_id")
        return self


class GoalRevise(SQLModel):
    """A target change, or a review that keeps the target: either way with a reason."""

    target: int
    reason: str

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, value: object, info: ValidationInfo) -> int:
        return _target(value, info)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: object) -> str:
        return required_text(value, 1000, N_("Say why the target changes."))


class CheckinCreate(SQLModel):
    """A hand-entered value of a manual metric, on a day not yet to come."""

    checked_on: date
    value: int
    note: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: object, info: ValidationInfo) -> int:
        return _target(value, info)

    @field_validator("checked_on", mode="after")
    @classmethod
    def _checked_on(cls, value: date, info: ValidationInfo) -> date:
        checked = not_after_today(value, info)
        assert checked is not None
        return checked

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> str | None:
        return optional_text(value, 1000)
