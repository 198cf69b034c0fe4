"""The sales diary: every contact with a customer, and the follow-ups it promises (listed,
marked done and moved in `follow_ups`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import Customer, Interaction, Rep, User
from models.base import N_, utcnow
from models.customers import InteractionCreate
from models.enums import Channel, Role
from services import settings
from services.access import Actor, deny, require_rep
from services.customers import records as customers
from services.customers.records import CustomerFile, read_model
from services.errors import ValidationError
from services.unit_of_work import UnitOfWork, unit_of_work
from services.validation import build

TIMELINE_LIMIT = 100
ARCHIVED = N_("This customer is archived. Unarchive it before making changes.")
MAKER_FIELD = "rep_id"


@dataclass(frozen=True, slots=True)
class Contact:
    """One logged contact with a customer. `rep_id` is the rep who made it, whom activity
    metrics credit (None: nobody from sales); `logged_by_user_id` the user who logged it."""

    id: int
    customer_id: int
    rep_id: int | None
    logged_by_user_id: int | None
    occurred_at: datetime
    channel: Channel
    summary: str
    outcome: str | None
    next_follow_up_on: date | None
    follow_up_done_at: datetime | None
    # Why the follow-up was last moved to another day; None: never moved.
    rescheduled_reason: str | None
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class TimelineEntry(Contact):
    """A contact on the customer's timeline, with the names of who made and who logged it."""

    rep_name: str | None
    logged_by_name: str | None


def timeline(
    session: Session, actor: Actor, customer_id: int, *, limit: int = TIMELINE_LIMIT
) -> list[TimelineEntry]:
    """The customer's contacts, newest first, each with the rep who made it (`rep_name`
    None: nobody from sales) and who logged it; the same access rule as `get`."""
    customers.get(session, actor, customer_id)
    rows = session.exec(
        select(Interaction, Rep.name, User.display_name)
        .join(Rep, col(Rep.id) == col(Interaction.rep_id), isouter=True)
        .join(User, col(User.id) == col(Interaction.logged_by_user_id), isouter=True)
        .where(col(Interaction.customer_id) == customer_id)
        .order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
        .limit(limit)
    ).all()
    return [
        read_model(TimelineEntry, interaction, rep_name=rep, logged_by_name=logged_by)
        for interaction, rep, logged_by in rows
    ]


def live_customer(session: Session, actor: Actor, customer_id: int) -> CustomerFile:
    """The customer if the actor may work on it and it is not archived.

    Surveys and complaints share this check: nothing new is added to an archived file.
    """
    customer = customers.get(session, actor, customer_id)
    if customer.archived_at is not None:
        raise ValidationError(ARCHIVED)
    return customer


def log_interaction(
    session: Session,
    actor: Actor,
    *,
    customer_id: int,
    data: dict[str, Any],
    answers: int | None = None,
    version: int | None = None,
) -> Contact:
    """Log a contact with a customer in scope and keep its last-contact day.

    It records the user who logged it and the rep who made it (`data["rep_id"]`): a rep
    logs their own contacts (naming another rep is PermissionDenied); a manager or admin
    names a rep in their scope or None, nobody from sales. Its follow-up is owed by the
    customer's owner. PermissionDenied outside scope, ValidationError for bad input or an
    archived customer.

    `answers` names an open follow-up of this customer that the contact answers, `version`
    the version it had when the user opened the form: it is marked done in the same
    transaction (StaleEdit if it changed since; ValidationError if it is not open or not
    this customer's). The form asks, with the box ticked when a follow-up is open, rather
    than closing follow-ups by itself: a later call may be about something else (a
    complaint, a delivery) and must not silently drop a promise, while an early call often
    does answer one not yet due, which no rule on dates would see. Asking costs no click in
    the common case and leaves the choice with the person who made the call.
    """
    live_customer(session, actor, customer_id)
    zone = settings.timezone(session)
    contact = build(InteractionCreate, data, context={"zone": zone, "now": utcnow()})
    maker = _maker(session, actor, contact.rep_id if MAKER_FIELD in data else actor.rep_id)
    contact_day = contact.occurred_at.astimezone(zone).date()
    with unit_of_work(session, actor) as uow:
        # Locked, so two contacts logged at once cannot leave the earlier day behind.
        customer = uow.load(Customer, customer_id, version=None)
        if customer.archived_at is not None:
            raise ValidationError(ARCHIVED)
        if answers is not None:
            _answer(uow, customer_id, answers, version, contact_day=contact_day, zone=zone)
        interaction = uow.add(
            Interaction(
                customer_id=customer_id,
                logged_by_user_id=actor.user_id,
                **contact.model_dump() | {MAKER_FIELD: maker},
            )
        )
        if customer.last_contact_on is None or contact_day > customer.last_contact_on:
            uow.change(customer, {"last_contact_on": contact_day}, action="customer.contacted")
    return read_model(Contact, interaction)


def _maker(session: Session, actor: Actor, chosen: int | None) -> int | None:
    """The rep who made the contact: a rep is always their own; a manager or admin names a
    rep in scope (else PermissionDenied, audited) or nobody (None)."""
    if actor.role == Role.REP:
        if chosen != actor.rep_id:
            deny(session, actor, action="interaction.log_as", entity="rep", entity_id=chosen)
        return chosen
    if chosen is None:
        return None
    require_rep(session, actor, chosen, action="interaction.log_as")
    if session.get(Rep, chosen) is None:
        raise ValidationError(N_("That rep does not exist."), field=MAKER_FIELD)
    return chosen


def load_open_follow_up(
    uow: UnitOfWork, interaction_id: int, *, version: int | None
) -> Interaction:
    """The contact, locked, if its follow-up is still open (StaleEdit if it changed since
    `version`, ValidationError if it has none or it is done)."""
    interaction = uow.load(Interaction, interaction_id, version=version)
    if interaction.next_follow_up_on is None:
        raise ValidationError(N_("This contact has no follow-up to mark done."))
    if interaction.follow_up_done_at is not None:
        raise ValidationError(N_("This follow-up is already done."))
    return interaction


def _answer(
    uow: UnitOfWork,
    customer_id: int,
    interaction_id: int,
    version: int | None,
    *,
    contact_day: date,
    zone: ZoneInfo,
) -> None:
    """Close the follow-up that a contact on `contact_day` (at the office) answers."""
    answered = load_open_follow_up(uow, interaction_id, version=version)
    if answered.customer_id != customer_id:
        raise ValidationError(N_("That follow-up belongs to another customer."))
    # By the office's day: a call logged at the minute the promise was made still answers it.
    if contact_day < answered.occurred_at.astimezone(zone).date():
        raise ValidationError(
            N_("A contact from before the follow-up was promised cannot answer it.")
        )
    uow.change(answered, {"follow_up_done_at": utcnow()}, action="interaction.follow_up_answered")
