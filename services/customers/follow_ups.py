"""Follow-ups: contacts whose promised next step is still open, listed by when they are due,
marked done, or moved to another day with the reason kept.

A follow-up is owed by the customer's current owner, whoever made the contact: it moves with
the customer. A later contact can also close one: see `diary.log_interaction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, get_args

from sqlmodel import Session, col, func, select

from models import Customer, Interaction, Rep
from models.base import N_, utcnow
from models.customers import FollowUpMove
from models.enums import Channel
from services import settings
from services.access import Actor, rep_scope, require_rep
from services.customers import records as customers
from services.customers.attention import AttentionRow
from services.customers.diary import Contact, load_open_follow_up
from services.customers.records import read_model
from services.errors import NotFound, ValidationError
from services.paging import Paged, page_within
from services.unit_of_work import unit_of_work
from services.validation import build

Due = Literal["overdue", "today", "upcoming"]
DUES: tuple[Due, ...] = get_args(Due)
# Rows a section of the follow-ups page shows at a time.
PAGE_SIZE = 25
# "Upcoming": the next two weeks after today.
UPCOMING_DAYS = 14


@dataclass(frozen=True, slots=True)
class FollowUp(AttentionRow):
    """An open follow-up: `rep` is the customer's owner, who owes it; `id` and `version` are
    the contact's, which marking it done or moving it changes; `rescheduled_reason` why it
    was last moved (None: never moved)."""

    id: int
    version: int
    due_on: date
    channel: Channel
    summary: str
    rescheduled_reason: str | None


_COLUMNS = (
    col(Interaction.id).label("id"),
    col(Interaction.version).label("version"),
    col(Interaction.customer_id).label("customer_id"),
    col(Customer.name).label("customer"),
    col(Rep.name).label("rep"),
    col(Interaction.next_follow_up_on).label("due_on"),
    col(Interaction.channel).label("channel"),
    col(Interaction.summary).label("summary"),
    col(Interaction.rescheduled_reason).label("rescheduled_reason"),
)
_OPEN = col(Interaction.follow_up_done_at).is_(None)


def _due_on(due: Due, today: date) -> list[Any]:
    day = col(Interaction.next_follow_up_on)
    if due == "overdue":
        return [day < today]
    if due == "today":
        return [day == today]
    return [day > today, day <= today + timedelta(days=UPCOMING_DAYS)]


def _scope_for(session: Session, actor: Actor, rep_id: int | None) -> frozenset[int] | None:
    if rep_id is None:
        return rep_scope(session, actor)
    require_rep(session, actor, rep_id, action="interaction.list_follow_ups")
    return frozenset({rep_id})


def _rows_query() -> Any:
    return (
        select(*_COLUMNS)
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
        .order_by(col(Interaction.next_follow_up_on), col(Customer.name), col(Interaction.id))
    )


def list_follow_ups(
    session: Session,
    actor: Actor,
    *,
    due: Due,
    rep_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Paged[FollowUp]:
    """One page of the open follow-ups `due` overdue (oldest first), today, or in the next
    UPCOMING_DAYS days, by due day and customer; two statements whatever the page.

    `rep_id` narrows to one rep in scope (PermissionDenied otherwise); without it a rep sees
    their own and a manager or admin everyone's in their scope.
    """
    reps = _scope_for(session, actor, rep_id)
    where = [_OPEN, *_due_on(due, settings.office_today(session))]
    if reps is not None:
        where.append(col(Customer.owner_rep_id).in_(sorted(reps)))
    total = session.exec(
        select(func.count())
        .select_from(Interaction)
        .join(Customer, col(Customer.id) == col(Interaction.customer_id))
        .where(*where)
    ).one()
    page, pages, size = page_within(int(total), page, page_size)
    rows = session.exec(_rows_query().where(*where).offset((page - 1) * size).limit(size)).all()
    return Paged([FollowUp(**row._mapping) for row in rows], int(total), page, pages)


def open_follow_up(session: Session, actor: Actor, customer_id: int) -> FollowUp | None:
    """The customer's open follow-up due first, the one a new contact most likely answers;
    None when none is open. The same access rule as `records.get`."""
    customers.get(session, actor, customer_id)
    query = _rows_query().where(_OPEN, col(Interaction.customer_id) == customer_id)
    row = session.exec(query.where(col(Interaction.next_follow_up_on).is_not(None))).first()
    return None if row is None else FollowUp(**row._mapping)


def _require_owner_in_scope(
    session: Session, actor: Actor, interaction_id: int, *, action: str
) -> None:
    """The customer's current owner, who owes the follow-up, must be in the actor's scope."""
    owner = session.exec(
        select(Customer.owner_rep_id)
        .join(Interaction, col(Interaction.customer_id) == col(Customer.id))
        .where(col(Interaction.id) == interaction_id)
    ).first()
    if owner is None:
        raise NotFound()
    require_rep(session, actor, owner, action=action)


def mark_follow_up_done(
    session: Session, actor: Actor, *, interaction_id: int, version: int
) -> Contact:
    """Mark a follow-up done. The customer's current owner, who owes it, must be in scope
    (PermissionDenied); StaleEdit if it changed since `version`; ValidationError if there
    is nothing to do."""
    _require_owner_in_scope(session, actor, interaction_id, action="interaction.follow_up_done")
    with unit_of_work(session, actor) as uow:
        interaction = load_open_follow_up(uow, interaction_id, version=version)
        uow.change(
            interaction, {"follow_up_done_at": utcnow()}, action="interaction.follow_up_done"
        )
    return read_model(Contact, interaction)


def reschedule_follow_up(
    session: Session, actor: Actor, *, interaction_id: int, version: int, data: dict[str, Any]
) -> Contact:
    """Move an open follow-up to another day (`data`: due_on, reason). The reason is kept on
    the contact and, with the day it was due, in the audit event.

    The same access rule and StaleEdit as `mark_follow_up_done`; ValidationError for a day in
    the office's past, the day it is already due, no reason, or a follow-up not open.
    """
    _require_owner_in_scope(
        session, actor, interaction_id, action="interaction.follow_up_rescheduled"
    )
    move = build(FollowUpMove, data, context={"today": settings.office_today(session)})
    with unit_of_work(session, actor) as uow:
        interaction = load_open_follow_up(uow, interaction_id, version=version)
        if move.due_on == interaction.next_follow_up_on:
            raise ValidationError(N_("The follow-up is already due that day."), field="due_on")
        uow.change(
            interaction,
            {"next_follow_up_on": move.due_on, "rescheduled_reason": move.reason},
            action="interaction.follow_up_rescheduled",
        )
    return read_model(Contact, interaction)
