"""Deals moving through the pipeline."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, enum_column, money_column
from models.enums import DealStage


class Deal(Archivable, table=True):
    __tablename__ = "deals"
    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="amount_non_negative"),
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability_range"),
        sa.Index("ix_deals_rep_stage_closed", "rep_id", "stage", "closed_on"),
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
