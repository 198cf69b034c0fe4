"""The customer file and the daily CRM work on it: contacts, surveys, complaints."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Archivable, Editable, enum_column
from models.enums import Channel, ComplaintStatus, CustomerKind, CustomerStatus, Severity, Tier


class Customer(Archivable, table=True):
    __tablename__ = "customers"
    __table_args__ = (
        sa.Index("ix_customers_owner_status", "owner_rep_id", "status"),
        sa.Index("ix_customers_owner_last_contact", "owner_rep_id", "last_contact_on"),
        # New customers per period.
        sa.Index("ix_customers_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    kind: CustomerKind = Field(default=CustomerKind.COMPANY, sa_type=enum_column(CustomerKind))
    industry: str | None = Field(default=None, max_length=80)
    region: str | None = Field(default=None, max_length=80)
    city: str | None = Field(default=None, max_length=80)
    owner_rep_id: int = Field(foreign_key="reps.id", index=True)
    status: CustomerStatus = Field(default=CustomerStatus.LEAD, sa_type=enum_column(CustomerStatus))
    tier: Tier | None = Field(default=None, sa_type=enum_column(Tier))
    tier_override: Tier | None = Field(
        default=None, sa_type=enum_column(Tier, name="tier_override")
    )
    tier_override_reason: str | None = Field(default=None, max_length=500)
    contact_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    birthday: date | None = Field(default=None)
    source: str | None = Field(default=None, max_length=80)
    preferences: str | None = Field(default=None, max_length=2000)
    notes: str | None = Field(default=None, max_length=4000)
    # Kept by the sales diary's write path, so "quiet" needs no scan of every interaction.
    last_contact_on: date | None = Field(default=None)


class Interaction(Editable, table=True):
    """One entry of the sales diary."""

    __tablename__ = "interactions"
    __table_args__ = (
        sa.Index("ix_interactions_rep_occurred", "rep_id", "occurred_at"),
        # Overdue follow-ups read only the open ones, a small part of the diary.
        sa.Index(
            "ix_interactions_open_follow_ups",
            "next_follow_up_on",
            "rep_id",
            sqlite_where=sa.text("follow_up_done_at IS NULL"),
            postgresql_where=sa.text("follow_up_done_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rep_id: int = Field(foreign_key="reps.id")
    occurred_at: datetime = Field(index=True)
    channel: Channel = Field(sa_type=enum_column(Channel))
    summary: str = Field(max_length=2000)
    outcome: str | None = Field(default=None, max_length=1000)
    next_follow_up_on: date | None = Field(default=None, index=True)
    follow_up_done_at: datetime | None = Field(default=None)


class Survey(Editable, table=True):
    __tablename__ = "surveys"
    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        sa.CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name="nps_range"),
        sa.Index("ix_surveys_rep_surveyed", "rep_id", "surveyed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rep_id: int = Field(foreign_key="reps.id")
    surveyed_on: date = Field(index=True)
    score: int
    nps: int | None = Field(default=None)
    comment: str | None = Field(default=None, max_length=2000)


class Complaint(Editable, table=True):
    __tablename__ = "complaints"
    __table_args__ = (sa.Index("ix_complaints_rep_opened", "rep_id", "opened_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rep_id: int = Field(foreign_key="reps.id")
    opened_on: date = Field(index=True)
    category: str = Field(max_length=80)
    severity: Severity = Field(sa_type=enum_column(Severity))
    description: str = Field(max_length=4000)
    status: ComplaintStatus = Field(
        default=ComplaintStatus.OPEN, sa_type=enum_column(ComplaintStatus), index=True
    )
    resolved_on: date | None = Field(default=None)
    resolution: str | None = Field(default=None, max_length=4000)
    # The SLA deadline, set from the severity's SLA days when opened: a later change of the
    # settings does not move the deadline of complaints already open.
    due_on: date = Field(index=True)
