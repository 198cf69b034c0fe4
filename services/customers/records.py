"""The customer file as the actor may see it: a rep their own customers, a manager their teams'.

Writes follow one path: access, validation by the model family, optimistic lock, audit.
Customers are archived, never deleted; only managers and admins move one to another owner,
and the customer's open work moves with it (see `reassign`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, func, select

from models import Complaint, Customer, Deal, Rep
from models.base import N_, utcnow
from models.customers import CustomerCreate, CustomerUpdate, TierOverrideIn
from models.deals import CLOSED_STAGES
from models.enums import ComplaintStatus, CustomerKind, CustomerStatus, RepStatus, Role, Tier
from services import settings
from services.access import Actor, deny, rep_scope, require_rep, require_role
from services.errors import NotFound, ValidationError
from services.people import reps
from services.unit_of_work import UnitOfWork, unit_of_work
from services.validation import build

ENTITY = "customer"
SEARCH_LIMIT = 20
OWNER_FIELD = "owner_rep_id"
CHOOSE_OWNER = N_("Choose the rep who owns this customer.")
R = TypeVar("R")


def read_model(model: type[R], row: SQLModel, **extra: Any) -> R:
    """The read model `model` (a dataclass) of a row: its fields of the same names, and `extra`.

    Read attribute by attribute, so a row a commit expired is loaded again, never taken as
    empty (model_dump would hand back {}).
    """
    names = [
        field.name
        for field in dataclasses.fields(model)  # type: ignore[arg-type]
        if field.name not in extra
    ]
    return model(**{name: getattr(row, name) for name in names}, **extra)


@dataclass(frozen=True, slots=True)
class CustomerFile:
    """One customer's file as stored, archived or not, with its owner's name. `tier` is the
    computed tier; `tier_override`, when set, wins over it."""

    id: int
    name: str
    kind: CustomerKind
    industry: str | None
    region: str | None
    city: str | None
    owner_rep_id: int
    owner_name: str
    status: CustomerStatus
    tier: Tier | None
    tier_override: Tier | None
    tier_override_reason: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    birthday: date | None
    source: str | None
    preferences: str | None
    notes: str | None
    last_contact_on: date | None
    created_at: datetime
    updated_at: datetime
    version: int
    archived_at: datetime | None

    @property
    def effective_tier(self) -> Tier | None:
        """The tier set by hand wins over the computed one."""
        return self.tier_override or self.tier


def get(session: Session, actor: Actor, customer_id: int) -> CustomerFile:
    """One customer's profile (archived ones too); NotFound, or PermissionDenied outside the
    actor's scope."""
    row = session.exec(
        select(Customer, Rep.name)
        .join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
        .where(col(Customer.id) == customer_id)
    ).first()
    if row is None:
        raise NotFound()
    customer, owner_name = row
    require_rep(session, actor, customer.owner_rep_id, action="customer.get")
    return read_model(CustomerFile, customer, owner_name=owner_name)


def search(
    session: Session, actor: Actor, text: str, *, limit: int = SEARCH_LIMIT
) -> list[tuple[int, str]]:
    """(id, name) of live customers in scope whose name contains `text`, by name."""
    query = select(Customer.id, Customer.name).where(
        col(Customer.archived_at).is_(None), col(Customer.name).contains(text.strip())
    )
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Customer.owner_rep_id).in_(sorted(scope)))
    rows = session.exec(query.order_by(col(Customer.name)).limit(limit)).all()
    return [(customer_id, name) for customer_id, name in rows if customer_id is not None]


def same_name(session: Session, actor: Actor, name: str) -> list[tuple[int, str]]:
    """(id, name) of live customers in scope with this name, whatever its case and the spaces
    around it: the add form asks before filing one twice."""
    wanted = name.strip().lower()
    if not wanted:
        return []
    query = select(Customer.id, Customer.name).where(
        col(Customer.archived_at).is_(None), func.lower(func.trim(col(Customer.name))) == wanted
    )
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Customer.owner_rep_id).in_(sorted(scope)))
    rows = session.exec(query.order_by(col(Customer.id)).limit(SEARCH_LIMIT)).all()
    return [(customer_id, found) for customer_id, found in rows if customer_id is not None]


def owner_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the reps who may own a customer the actor files: active reps in scope."""
    query = select(Rep.id, Rep.name).where(
        col(Rep.status) == RepStatus.ACTIVE, col(Rep.archived_at).is_(None)
    )
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Rep.id).in_(sorted(scope)))
    rows = session.exec(query.order_by(col(Rep.name), col(Rep.id))).all()
    return [(rep_id, name) for rep_id, name in rows if rep_id is not None]


def _require_customer(session: Session, actor: Actor, customer_id: int, *, action: str) -> int:
    """The customer's owner; NotFound, or PermissionDenied (audited) unless in scope."""
    owner = session.exec(
        select(Customer.owner_rep_id).where(col(Customer.id) == customer_id)
    ).first()
    if owner is None:
        raise NotFound()
    scope = rep_scope(session, actor)
    if scope is not None and owner not in scope:
        deny(session, actor, action=action, entity=ENTITY, entity_id=customer_id)
    return owner


def _require_owner(session: Session, actor: Actor, rep_id: int | None, *, action: str) -> None:
    """The owner must be in the actor's scope (else PermissionDenied) and still working."""
    if rep_id is None:
        raise ValidationError(CHOOSE_OWNER, field=OWNER_FIELD)
    reps.require_active(session, actor, rep_id, action=action, field=OWNER_FIELD)


def _require_may_reassign(session: Session, actor: Actor) -> None:
    require_role(
        session, actor, Role.MANAGER, Role.ADMIN, action="customer.reassign", entity=ENTITY
    )


def _context(session: Session) -> dict[str, Any]:
    return {"today": settings.office_today(session)}


def _live(uow: UnitOfWork, customer_id: int, version: int) -> Customer:
    """The customer locked for this change; an archived one cannot be edited."""
    customer = uow.load(Customer, customer_id, version=version)
    if customer.archived_at is not None:
        raise ValidationError(N_("This customer is archived. Unarchive it before making changes."))
    return customer


def create(session: Session, actor: Actor, *, data: dict[str, Any]) -> CustomerFile:
    """File a new customer. A rep owns what they file; a manager or admin names an active
    rep in their scope as the owner. PermissionDenied, or ValidationError (nothing written)."""
    if actor.role == Role.REP and data.get(OWNER_FIELD) is None:
        data = data | {OWNER_FIELD: actor.rep_id}
    if data.get(OWNER_FIELD) is None:
        raise ValidationError(CHOOSE_OWNER, field=OWNER_FIELD)
    customer_in = build(CustomerCreate, data, context=_context(session))
    _require_owner(session, actor, customer_in.owner_rep_id, action="customer.create")
    with unit_of_work(session, actor) as uow:
        # No won deal yet: C until the deals say otherwise.
        customer = Customer.model_validate(customer_in.model_dump() | {"tier": Tier.C})
        uow.add(customer, action="customer.create")
    assert customer.id is not None
    return get(session, actor, customer.id)


def update(
    session: Session, actor: Actor, *, customer_id: int, version: int, data: dict[str, Any]
) -> CustomerFile:
    """Edit the customer file. A different owner in `data` is a reassignment (managers and
    admins only). Refused for archived customers and stale versions."""
    current_owner = _require_customer(session, actor, customer_id, action="customer.update")
    customer_in = build(
        CustomerUpdate, {OWNER_FIELD: current_owner} | data, context=_context(session)
    )
    fields = customer_in.model_dump(exclude={OWNER_FIELD})
    new_owner = customer_in.owner_rep_id
    if new_owner != current_owner:
        _require_may_reassign(session, actor)
        _require_owner(session, actor, new_owner, action="customer.reassign")
    with unit_of_work(session, actor) as uow:
        customer = _live(uow, customer_id, version)
        uow.change(customer, fields, action="customer.update")
        _hand_over(uow, customer, new_owner)
    return get(session, actor, customer_id)


def reassign(
    session: Session, actor: Actor, *, customer_id: int, version: int, owner_rep_id: int | None
) -> CustomerFile:
    """Give the customer to another active rep in scope. Managers and admins only; the audit
    event "customer.reassign" holds the owner before and after.

    Its open work moves too, in the same transaction, each row audited: open complaints and
    open deals become the new owner's, and open follow-ups are owed by whoever owns the
    customer. History keeps the rep who did it: contacts, won and lost deals, resolved
    complaints and surveys still count for them.
    """
    _require_may_reassign(session, actor)
    _require_customer(session, actor, customer_id, action="customer.reassign")
    _require_owner(session, actor, owner_rep_id, action="customer.reassign")
    assert owner_rep_id is not None
    with unit_of_work(session, actor) as uow:
        customer = _live(uow, customer_id, version)
        _hand_over(uow, customer, owner_rep_id)
    return get(session, actor, customer_id)


def _hand_over(uow: UnitOfWork, customer: Customer, owner_rep_id: int) -> None:
    """Make `owner_rep_id` the owner, with the customer's open complaints and open deals."""
    if not uow.change(customer, {OWNER_FIELD: owner_rep_id}, action="customer.reassign"):
        return
    open_work = [
        (Complaint, "complaint.reassign", col(Complaint.status) != ComplaintStatus.RESOLVED),
        (
            Deal,
            "deal.reassign",
            col(Deal.stage).not_in(sorted(CLOSED_STAGES)) & col(Deal.archived_at).is_(None),
        ),
    ]
    for model, action, is_open in open_work:
        rows = uow.session.exec(
            select(model)
            .where(col(model.customer_id) == customer.id, is_open)
            .where(col(model.rep_id) != owner_rep_id)
            .order_by(col(model.id))
            .with_for_update()
            # A row this session read earlier must not keep its old version.
            .execution_options(populate_existing=True)
        ).all()
        for row in rows:
            uow.change(row, {"rep_id": owner_rep_id}, action=action)


def set_tier_override(
    session: Session, actor: Actor, *, customer_id: int, version: int, data: dict[str, Any]
) -> CustomerFile:
    """Set the tier by hand with a reason (it wins over the computed one), or clear it."""
    _require_customer(session, actor, customer_id, action="customer.tier_override")
    override = build(TierOverrideIn, data)
    with unit_of_work(session, actor) as uow:
        customer = _live(uow, customer_id, version)
        uow.change(
            customer,
            {"tier_override": override.tier, "tier_override_reason": override.reason},
            action="customer.tier_override",
        )
    return get(session, actor, customer_id)


def archive(session: Session, actor: Actor, *, customer_id: int, version: int) -> CustomerFile:
    """Take the customer off the lists; its history stays. Undone by `unarchive`."""
    return _set_archived(session, actor, customer_id, version, archived=True)


def unarchive(session: Session, actor: Actor, *, customer_id: int, version: int) -> CustomerFile:
    return _set_archived(session, actor, customer_id, version, archived=False)


def _set_archived(
    session: Session, actor: Actor, customer_id: int, version: int, *, archived: bool
) -> CustomerFile:
    action = "customer.archive" if archived else "customer.unarchive"
    _require_customer(session, actor, customer_id, action=action)
    with unit_of_work(session, actor) as uow:
        customer = uow.load(Customer, customer_id, version=version)
        if (customer.archived_at is not None) != archived:
            uow.change(customer, {"archived_at": utcnow() if archived else None}, action=action)
    return get(session, actor, customer_id)
