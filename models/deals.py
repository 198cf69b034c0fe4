"""Deals moving through the pipeline."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from models.base import N_, Archivable, FieldProblem, enum_column, money_column, utcnow
from models.enums import DealStage
from models.fields import minor_units, not_after_today, optional_text, required_text, today

CLOSED_STAGES = frozenset({DealStage.WON, DealStage.LOST})
# The order a deal normally moves in; won and lost both end it.
STAGE_ORDER = (
    DealStage.LEAD, DealStage.QUALIFIED, DealStage.PROPOSAL, DealStage.NEGOTIATION,
    DealStage.WON, DealStage.LOST,
)  # fmt: skip


class Deal(Archivable, table=True):
    __tablename__ = "deals"
    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="amount_non_negative"),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability_range"),
        sa.Index("ix_deals_rep_stage_closed", "rep_id", "stage", "closed_on"),
        # The pipeline lists and funnels deals opened in a period.
        sa.Index("ix_deals_created", "created_at"),
        # Covers the won/lost metrics for a period without reading archived deals or the table.
        sa.Index(
            "ix_deals_live_closed",
            "stage",
            "closed_on",
            "rep_id",
            "amount",
            "customer_id",
            sqlite_where=sa.text("archived_at IS NULL"),
            postgresql_where=sa.text("archived_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rep_id: int = Field(foreign_key="reps.id")
    title: str = Field(max_length=200)
    product: str | None = Field(default=None, max_length=120, index=True)
    amount: int = Field(default=0, sa_type=money_column())
    stage: DealStage = Field(default=DealStage.LEAD, sa_type=enum_column(DealStage), index=True)
    probability: int = Field(default=10)
    expected_close_on: date | None = Field(default=None)
    closed_on: date | None = Field(default=None, index=True)
    lost_reason: str | None = Field(default=None, max_length=200)


class DealStageChange(SQLModel, table=True):
    """One move of a deal between stages: the funnel's conversion is read from these.

    A deal's first row has no `from_stage` (it was opened in `to_stage`). Rows are never
    edited.
    """

    __tablename__ = "deal_stage_changes"
    # Covers the funnel's "which stages did this deal reach" per deal.
    __table_args__ = (sa.Index("ix_deal_stage_changes_deal_stage", "deal_id", "to_stage"),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deals.id")
    from_stage: DealStage | None = Field(
        default=None, sa_type=enum_column(DealStage, name="from_stage")
    )
    to_stage: DealStage = Field(sa_type=enum_column(DealStage, name="to_stage"))
    changed_at: datetime = Field(default_factory=utcnow)
    # None for history that came with imported or generated data.
    changed_by_user_id: int | None = Field(default=None, foreign_key="users.id")


class DealFields(SQLModel):
    """A deal as the form sends it. `amount` is typed in yuan (major units) and kept in fen;
    a won deal needs a close date and an amount, a lost one a reason."""

    customer_id: int
    rep_id: int
    title: str
    product: str | None = None
    amount: int = 0
    stage: DealStage = DealStage.LEAD
    probability: int = 10
    expected_close_on: date | None = None
    closed_on: date | None = None
    lost_reason: str | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> str:
        return required_text(value, 200, N_("Enter a title for the deal."))

    @field_validator("product", mode="before")
    @classmethod
    def _product(cls, value: object) -> str | None:
        return optional_text(value, 120)

    @field_validator("lost_reason", mode="before")
    @classmethod
    def _lost_reason(cls, value: object) -> str | None:
        return optional_text(value, 200)

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: object) -> int:
        return minor_units(value)

    @field_validator("probability", mode="before")
    @classmethod
    def _probability(cls, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise FieldProblem(N_("The probability is a whole number from 0 to 100."))
        return value

    @field_validator("closed_on", mode="after")
    @classmethod
    def _closed(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_after_today(value, info)

    @model_validator(mode="after")
    def _stage_rules(self, info: ValidationInfo) -> DealFields:
        if self.stage == DealStage.WON:
            if self.closed_on is None:
                raise FieldProblem(N_("A won deal needs its close date."), field="closed_on")
            if self.amount <= 0:
                raise FieldProblem(N_("A won deal needs an amount above zero."), field="amount")
        elif self.stage == DealStage.LOST:
            if self.lost_reason is None:
                raise FieldProblem(N_("Say why the deal was lost."), field="lost_reason")
            self.closed_on = self.closed_on or today(info)
        else:
            # An open deal has not closed, whatever the form still held.
            self.closed_on = None
        if self.stage != DealStage.LOST:
            self.lost_reason = None
        return self


class DealCreate(DealFields):
    pass


class DealUpdate(DealFields):
    pass
