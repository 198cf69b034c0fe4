"""The customer file and the daily CRM work on it: contacts, surveys, complaints."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from models.base import N_, Archivable, Editable, FieldProblem, enum_column
from models.enums import Channel, ComplaintStatus, CustomerKind, CustomerStatus, Severity, Tier
from models.fields import (
    not_after_today,
    optional_email,
    optional_phone,
    optional_text,
    required_text,
    today,
)


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
    # The rep who made the contact, whom activity metrics credit; None: nobody from sales
    # (a manager's own visit). Follow-ups are owed by the customer's current owner.
    rep_id: int | None = Field(default=None, foreign_key="reps.id")
    # Who typed it in; None for contacts logged before this was recorded.
    logged_by_user_id: int | None = Field(default=None, foreign_key="users.id")
    occurred_at: datetime = Field(index=True)
    channel: Channel = Field(sa_type=enum_column(Channel))
    summary: str = Field(max_length=2000)
    outcome: str | None = Field(default=None, max_length=1000)
    next_follow_up_on: date | None = Field(default=None, index=True)
    follow_up_done_at: datetime | None = Field(default=None)
    # Why the follow-up was last moved to another day; every move is in the audit log too.
    rescheduled_reason: str | None = Field(default=None, max_length=500)


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


# ---- What forms send: validated by building these (services.validation.build). ----


class CustomerFields(SQLModel):
    """The customer file as a rep edits it; the owner is checked against scope by the service."""

    name: str
    kind: CustomerKind = CustomerKind.COMPANY
    status: CustomerStatus = CustomerStatus.LEAD
    owner_rep_id: int
    industry: str | None = None
    region: str | None = None
    city: str | None = None
    source: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    birthday: date | None = None
    preferences: str | None = None
    notes: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        return required_text(value, 200, N_("Enter the customer's name."))

    @field_validator("industry", "region", "city", "source", mode="before")
    @classmethod
    def _short(cls, value: object) -> str | None:
        return optional_text(value, 80)

    @field_validator("contact_name", mode="before")
    @classmethod
    def _contact(cls, value: object) -> str | None:
        return optional_text(value, 120)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str | None:
        return optional_phone(value)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> str | None:
        return optional_email(value)

    @field_validator("preferences", mode="before")
    @classmethod
    def _preferences(cls, value: object) -> str | None:
        return optional_text(value, 2000)

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: object) -> str | None:
        return optional_text(value, 4000)

    @field_validator("birthday", mode="after")
    @classmethod
    def _birthday(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and value > today(info):
            raise FieldProblem(N_("The birthday cannot be in the future."))
        return value


class CustomerCreate(CustomerFields):
    pass


class CustomerUpdate(CustomerFields):
    pass


class TierOverrideIn(SQLModel):
    """A manual tier wins over the computed one; clearing it (None) needs no reason."""

    tier: Tier | None = None
    reason: str | None = None

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: object) -> str | None:
        return optional_text(value, 500)

    @model_validator(mode="after")
    def _reason_needed(self) -> TierOverrideIn:
        if self.tier is not None and self.reason is None:
            raise FieldProblem(N_("Give a reason for setting the tier by hand."), field="reason")
        if self.tier is None:
            self.reason = None
        return self


# A contact logged a few minutes ahead (clocks differ) is fine; hours ahead is a typo.
FUTURE_SLACK = timedelta(minutes=10)


class InteractionCreate(SQLModel):
    """One diary entry. `occurred_at` is aware; the follow-up is a day in the office's zone
    (context `zone`, else UTC). `rep_id` is the rep who made the contact (None: nobody from
    sales); the service decides who may name whom."""

    occurred_at: datetime
    rep_id: int | None = None
    channel: Channel
    summary: str
    outcome: str | None = None
    next_follow_up_on: date | None = None

    @field_validator("summary", mode="before")
    @classmethod
    def _summary(cls, value: object) -> str:
        return required_text(value, 2000, N_("Write what was discussed."))

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: object) -> str | None:
        return optional_text(value, 1000)

    @field_validator("occurred_at", mode="after")
    @classmethod
    def _occurred(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value.tzinfo is None:
            raise FieldProblem(N_("This value is not valid."))
        now = (info.context or {}).get("now") or datetime.now(UTC)
        if value > now + FUTURE_SLACK:
            raise FieldProblem(N_("A contact cannot be logged in the future."))
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _follow_up_after(self, info: ValidationInfo) -> InteractionCreate:
        zone = (info.context or {}).get("zone", UTC)
        if (
            self.next_follow_up_on is not None
            and self.next_follow_up_on < self.occurred_at.astimezone(zone).date()
        ):
            raise FieldProblem(
                N_("The next follow-up cannot be before the contact."), field="next_follow_up_on"
            )
        return self


class FollowUpMove(SQLModel):
    """A follow-up moved to another day: not in the office's past (context `today`), and
    with the reason, which is kept."""

    due_on: date
    reason: str

    @field_validator("due_on", mode="before")
    @classmethod
    def _chosen(cls, value: object) -> object:
        if value is None or value == "":
            raise FieldProblem(N_("Choose the day to move the follow-up to."))
        return value

    @field_validator("due_on", mode="after")
    @classmethod
    def _not_past(cls, value: date, info: ValidationInfo) -> date:
        if value < today(info):
            raise FieldProblem(N_("The new date cannot be in the past."))
        return value

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: object) -> str:
        return required_text(value, 500, N_("Give a reason for moving the follow-up."))


class SurveyCreate(SQLModel):
    surveyed_on: date
    score: int
    nps: int | None = None
    comment: str | None = None

    @field_validator("surveyed_on", mode="after")
    @classmethod
    def _surveyed(cls, value: date, info: ValidationInfo) -> date | None:
        return not_after_today(value, info)

    @field_validator("score", mode="before")
    @classmethod
    def _score(cls, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise FieldProblem(N_("The satisfaction score is a whole number from 1 to 5."))
        return value

    @field_validator("nps", mode="before")
    @classmethod
    def _nps(cls, value: object) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise FieldProblem(N_("The NPS answer is a whole number from 0 to 10."))
        return value

    @field_validator("comment", mode="before")
    @classmethod
    def _comment(cls, value: object) -> str | None:
        return optional_text(value, 2000)


class ComplaintCreate(SQLModel):
    opened_on: date
    category: str
    severity: Severity
    description: str

    @field_validator("opened_on", mode="after")
    @classmethod
    def _opened(cls, value: date, info: ValidationInfo) -> date | None:
        return not_after_today(value, info)

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: object) -> str:
        return required_text(value, 80, N_("Choose a category."))

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: object) -> str:
        return required_text(value, 4000, N_("Describe the complaint."))


class ComplaintResolve(SQLModel):
    resolved_on: date
    resolution: str

    @field_validator("resolved_on", mode="after")
    @classmethod
    def _resolved(cls, value: date, info: ValidationInfo) -> date | None:
        return not_after_today(value, info)

    @field_validator("resolution", mode="before")
    @classmethod
    def _resolution(cls, value: object) -> str:
        return required_text(value, 4000, N_("Write how the complaint was resolved."))
