"""The sales diary: every contact with a customer, and the follow-ups it promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from models import Customer, Interaction, Rep, User
from models.base import N_, utcnow
from models.customers import InteractionCreate
from models.enums import Channel, Role
from services import settings
from services.access import Actor, deny, rep_scope, require_rep
from services.customers import records as customers
from services.customers.attention import AttentionItems, AttentionRow
from services.customers.records import CustomerFile, read_model
from services.errors import NotFound, ValidationError
from services.unit_of_work import unit_of_work
from services.validation import build

TIMELINE_LIMIT = 100
FOLLOW_UPS_LIMIT = 30
# "Upcoming" on My follow-ups: the next two weeks after today.
UPCOMING_DAYS = 14
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
    session: Session, actor: Actor, *, customer_id: int, data: dict[str, Any]
) -> Contact:
    """Log a contact with a customer in scope and keep its last-contact day.

    It records the user who logged it and the rep who made it (`data["rep_id"]`): a rep
    logs their own contacts (naming another rep is PermissionDenied); a manager or admin
    names a rep in their scope or None, nobody from sales. Its follow-up is owed by the
    customer's owner. PermissionDenied outside scope, ValidationError for bad input or an
    archived customer.
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


@dataclass(frozen=True, slots=True)
class FollowUp(AttentionRow):
    """An open follow-up: `rep` is the customer's owner, who owes it; `id` and `version` are
    the contact's, which marking it done changes."""

    id: int
    version: int
    due_on: date
    channel: Channel
    summary: str


@dataclass(frozen=True)
class FollowUps:
    """Open follow-ups of a rep (or of every rep in scope), split around today. A follow-up
    is owed by the customer's current owner, whoever made the contact: it moves with the
    customer."""

    overdue: AttentionItems[FollowUp]
    today: AttentionItems[FollowUp]
    upcoming: AttentionItems[FollowUp]


def _scope_for(session: Session, actor: Actor, rep_id: int | None) -> frozenset[int] | None:
    if rep_id is None:
        return rep_scope(session, actor)
    require_rep(session, actor, rep_id, action="interaction.my_follow_ups")
    return frozenset({rep_id})


def _open_follow_ups(
    session: Session, reps: frozenset[int] | None, kind: str, where: list[Any], limit: int
) -> AttentionItems[FollowUp]:
    where = [col(Interaction.follow_up_done_at).is_(None), *where]
    if reps is not None:
        where.append(col(Customer.owner_rep_id).in_(sorted(reps)))
    total = session.exec(
        select(func.count())
        .select_from(Interaction)
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .where(*where)
    ).one()
    rows = session.exec(
        select(
            col(Interaction.id).label("id"),
            col(Interaction.version).label("version"),
            col(Interaction.customer_id).label("customer_id"),
            col(Customer.name).label("customer"),
            col(Rep.name).label("rep"),
            col(Interaction.next_follow_up_on).label("due_on"),
            col(Interaction.channel).label("channel"),
            col(Interaction.summary).label("summary"),
        )
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
        .where(*where)
        .order_by(col(Interaction.next_follow_up_on), col(Customer.name), col(Interaction.id))
        .limit(limit)
    ).all()
    return AttentionItems(kind, int(total), tuple(FollowUp(**row._mapping) for row in rows))


def my_follow_ups(
    session: Session, actor: Actor, *, rep_id: int | None = None, limit: int = FOLLOW_UPS_LIMIT
) -> FollowUps:
    """Open follow-ups: overdue (oldest first), due today, and due in the next 14 days.

    `rep_id` narrows to one rep in scope (PermissionDenied otherwise); without it a rep sees
    their own and a manager or admin everyone in their scope. Each list holds at most
    `limit` rows and the total.
    """
    reps = _scope_for(session, actor, rep_id)
    today = settings.office_today(session)
    due = col(Interaction.next_follow_up_on)
    return FollowUps(
        overdue=_open_follow_ups(session, reps, "overdue", [due < today], limit),
        today=_open_follow_ups(session, reps, "today", [due == today], limit),
        upcoming=_open_follow_ups(
            session,
            reps,
            "upcoming",
            [due > today, due <= today + timedelta(days=UPCOMING_DAYS)],
            limit,
        ),
    )


def mark_follow_up_done(
    session: Session, actor: Actor, *, interaction_id: int, version: int
) -> Contact:
    """Mark a follow-up done. The customer's current owner, who owes it, must be in scope
    (PermissionDenied); StaleEdit if it changed since `version`; ValidationError if there
    is nothing to do."""
    owner = session.exec(
        select(Customer.owner_rep_id)
        .join(Interaction, col(Interaction.customer_id) == col(Customer.id))
        .where(col(Interaction.id) == interaction_id)
    ).first()
    if owner is None:
        raise NotFound()
    require_rep(session, actor, owner, action="interaction.follow_up_done")
    with unit_of_work(session, actor) as uow:
        interaction = uow.load(Interaction, interaction_id, version=version)
        if interaction.next_follow_up_on is None:
            raise ValidationError(N_("This contact has no follow-up to mark done."))
        if interaction.follow_up_done_at is not None:
            raise ValidationError(N_("This follow-up is already done."))
        uow.change(
            interaction, {"follow_up_done_at": utcnow()}, action="interaction.follow_up_done"
        )
    return read_model(Contact, interaction)
