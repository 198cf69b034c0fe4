"""Deals in the pipeline: listed, added, edited, moved between stages (every move recorded
in the stage history) and archived, for the deals of reps within the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from math import ceil
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Customer, Deal, DealStageChange, Rep, User
from models.base import N_, utcnow
from models.deals import CLOSED_STAGES, STAGE_ORDER, DealCreate, DealFields, DealUpdate
from models.enums import DealStage
from models.fields import MINOR_UNITS
from services import settings
from services.access import Actor, deny, rep_scope, require_rep
from services.customers import diary
from services.customers import records as customers
from services.errors import NotFound, ValidationError
from services.people import reps, teams
from services.periods import Period
from services.unit_of_work import UnitOfWork, unit_of_work
from services.validation import build

__all__ = [
    "CLOSED_STAGES",
    "OPEN_STAGES",
    "STAGE_ORDER",
    "DatedBy",
    "DealFile",
    "DealFilters",
    "DealPage",
    "DealRow",
    "DealStage",
    "StageMove",
]

OPEN_STAGES = tuple(stage for stage in STAGE_ORDER if stage not in CLOSED_STAGES)
# A closed deal's chance is known; an open one keeps the rep's estimate.
CLOSED_PROBABILITY = {DealStage.WON: 100, DealStage.LOST: 0}
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
# An export is built in memory for a download: beyond this it is a job for a backup.
EXPORT_LIMIT = 50_000


class DatedBy(StrEnum):
    """Which day puts a deal in the chosen period."""

    CREATED = "created"
    CLOSED = "closed"


@dataclass(frozen=True)
class DealFilters:
    """Which deals a list, the funnel and an export cover. `period` None: any date;
    `search` words the deal's title or its customer's name holds, whatever their case."""

    rep_id: int | None = None
    team_id: int | None = None
    product: str | None = None
    stage: DealStage | None = None
    customer_id: int | None = None
    period: Period | None = None
    dated_by: DatedBy = DatedBy.CREATED
    search: str = ""


@dataclass(frozen=True, slots=True)
class DealRow:
    """A deal as the lists and the export show it, with its customer's and rep's names;
    `amount` in minor units."""

    id: int
    title: str
    customer_id: int
    customer_name: str
    rep_id: int
    rep_name: str
    product: str | None
    amount: int
    stage: DealStage
    probability: int
    expected_close_on: date | None
    closed_on: date | None
    lost_reason: str | None
    created_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class StageMove:
    """One line of a deal's stage history; `changed_by` None: no user (an import)."""

    changed_at: datetime
    from_stage: DealStage | None
    to_stage: DealStage
    changed_by: str | None


@dataclass(frozen=True, slots=True)
class DealFile(DealRow):
    """One deal with its stage history, oldest move first, and when it was archived."""

    archived_at: datetime | None
    history: tuple[StageMove, ...]


@dataclass(frozen=True)
class DealPage:
    rows: list[DealRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.page_size))


LISTED = (
    col(Deal.id), col(Deal.title), col(Deal.customer_id), col(Customer.name).label("customer_name"),
    col(Deal.rep_id), col(Rep.name).label("rep_name"), col(Deal.product), col(Deal.amount),
    col(Deal.stage), col(Deal.probability), col(Deal.expected_close_on), col(Deal.closed_on),
    col(Deal.lost_reason), col(Deal.created_at), col(Deal.version),
)  # fmt: skip


# ---- Reading ----


def filtered_reps(
    session: Session, actor: Actor, filters: DealFilters, *, action: str
) -> frozenset[int] | None:
    """The reps whose deals `filters` cover (None: every rep); PermissionDenied when a filter
    names a rep, team or customer outside the actor's scope. A customer in scope shows all
    of its deals, those its former owners won or lost too: the file goes with the customer."""
    reps = rep_scope(session, actor)
    if filters.customer_id is not None:
        customers.get(session, actor, filters.customer_id)
        reps = None
    if filters.team_id is not None:
        team_reps = teams.rep_ids_of_team(session, actor, filters.team_id)
        reps = team_reps if reps is None else reps & team_reps
    if filters.rep_id is not None:
        require_rep(session, actor, filters.rep_id, action=action)
        reps = frozenset({filters.rep_id}) if reps is None else reps & {filters.rep_id}
    return reps


def _conditions(session: Session, actor: Actor, filters: DealFilters, *, action: str) -> list[Any]:
    """WHERE clauses for the live deals in scope matching `filters` (access checked here)."""
    reps = filtered_reps(session, actor, filters, action=action)
    return matching(session, filters, reps)


def matching(
    session: Session, filters: DealFilters, reps: frozenset[int] | None, *, with_stage: bool = True
) -> list[Any]:
    """WHERE clauses for live deals of `reps` (None: all) matching `filters`; no access
    check: `reps` comes from `filtered_reps`. `with_stage` False ignores the stage filter,
    for views across every stage."""
    where: list[Any] = [col(Deal.archived_at).is_(None)]
    if reps is not None:
        where.append(col(Deal.rep_id).in_(sorted(reps)))
    if filters.customer_id is not None:
        where.append(col(Deal.customer_id) == filters.customer_id)
    if filters.product:
        where.append(col(Deal.product) == filters.product)
    if with_stage and filters.stage is not None:
        where.append(col(Deal.stage) == filters.stage)
    if filters.period is not None:
        where.extend(dated(session, filters.period, filters.dated_by))
    if text := filters.search.strip().lower():
        # The customer is not joined in every query these clauses serve: a subquery.
        named = select(Customer.id).where(
            sa.func.lower(col(Customer.name)).contains(text, autoescape=True)
        )
        titled = sa.func.lower(col(Deal.title)).contains(text, autoescape=True)
        where.append(sa.or_(titled, col(Deal.customer_id).in_(named)))
    return where


def dated(session: Session, period: Period, dated_by: DatedBy) -> list[Any]:
    """WHERE clauses for deals opened (created) or closed in `period`."""
    if dated_by == DatedBy.CLOSED:
        return [col(Deal.closed_on) >= period.start, col(Deal.closed_on) <= period.end]
    start, end = period.utc_bounds(settings.timezone(session))
    return [col(Deal.created_at) >= start, col(Deal.created_at) < end]


def _listed(where: list[Any]) -> Any:
    return (
        select(*LISTED)
        .join(Customer, col(Customer.id) == col(Deal.customer_id))
        .join(Rep, col(Rep.id) == col(Deal.rep_id))
        .where(*where)
        .order_by(col(Deal.created_at).desc(), col(Deal.id).desc())
    )


def list_deals(
    session: Session,
    actor: Actor,
    *,
    filters: DealFilters,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> DealPage:
    """One page of the live deals in scope matching `filters`, newest first, and how many
    match in all. PermissionDenied when a filter reaches outside the actor's scope."""
    where = _conditions(session, actor, filters, action="deal.list")
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    total = session.exec(select(sa.func.count()).select_from(Deal).where(*where)).one()
    pages = max(1, ceil(total / page_size))
    page = min(max(page, 1), pages)
    query = _listed(where).limit(page_size).offset((page - 1) * page_size)
    rows = [DealRow(**row._mapping) for row in session.exec(query).all()]
    return DealPage(rows, total, page, page_size)


def export_rows(
    session: Session, actor: Actor, *, filters: DealFilters, limit: int = EXPORT_LIMIT
) -> list[DealRow]:
    """The deals `list_deals` shows for `filters`, all pages (at most `limit`), for a file."""
    where = _conditions(session, actor, filters, action="deal.export")
    return [DealRow(**row._mapping) for row in session.exec(_listed(where).limit(limit)).all()]


def products(session: Session, actor: Actor) -> list[str]:
    """The products named on deals in scope (archived ones too: the product still exists),
    for a filter. Read from the product index alone for an admin."""
    query = select(Deal.product).where(col(Deal.product).is_not(None))
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Deal.rep_id).in_(sorted(scope)))
    return [name for name in session.exec(query.distinct().order_by(col(Deal.product))) if name]


def _visible(
    session: Session, actor: Actor, deal_id: int, *, action: str, write: bool = False
) -> Deal:
    """The deal if the actor may read it (its customer is theirs now, or its rep is: their
    history) or, `write`, change it (both). Open deals move with their customer, so a former
    owner loses them; closed ones stay the history of whoever closed them. NotFound, or
    PermissionDenied (audited)."""
    row = session.exec(
        select(Deal, Customer.owner_rep_id)
        .join(Customer, col(Customer.id) == col(Deal.customer_id))
        .where(col(Deal.id) == deal_id)
    ).first()
    if row is None:
        raise NotFound()
    deal, owner = row
    scope = rep_scope(session, actor)
    reps = {deal.rep_id, owner}
    if scope is not None and not (reps <= scope if write else reps & scope):
        deny(session, actor, action=action, entity="deal", entity_id=deal_id)
    return deal


def get(session: Session, actor: Actor, deal_id: int) -> DealFile:
    """One deal with its stage history, oldest move first; NotFound, or PermissionDenied
    unless the deal's rep or its customer's current owner is within the actor's scope."""
    deal = _visible(session, actor, deal_id, action="deal.get")
    [row] = session.exec(_listed([col(Deal.id) == deal_id])).all()
    moves = session.exec(
        select(DealStageChange, User.display_name)
        .join(User, col(User.id) == col(DealStageChange.changed_by_user_id), isouter=True)
        .where(col(DealStageChange.deal_id) == deal_id)
        .order_by(col(DealStageChange.changed_at), col(DealStageChange.id))
    ).all()
    history = tuple(
        StageMove(move.changed_at, move.from_stage, move.to_stage, who) for move, who in moves
    )
    return DealFile(**row._mapping, archived_at=deal.archived_at, history=history)


# ---- Writing ----


def _context(session: Session) -> dict[str, Any]:
    return {"today": settings.office_today(session)}


def _record_move(uow: UnitOfWork, deal: Deal, from_stage: DealStage | None) -> None:
    # The deal's own audit event carries the stage before and after; this row is the
    # history the funnel reads, audited as a row of its own like every other write.
    assert deal.id is not None
    uow.add(
        DealStageChange(
            deal_id=deal.id,
            from_stage=from_stage,
            to_stage=deal.stage,
            changed_by_user_id=uow.actor.user_id if uow.actor else None,
        ),
        action="deal.stage_change",
    )


def create(session: Session, actor: Actor, *, data: dict[str, Any]) -> DealFile:
    """Add a deal for an active rep and a live customer, both within the actor's scope; its
    opening stage is the first line of its stage history. PermissionDenied outside scope,
    ValidationError (nothing written) for bad input, a rep who left, an archived customer."""
    deal_in = build(DealCreate, data, context=_context(session))
    reps.require_active(session, actor, deal_in.rep_id, field="rep_id", action="deal.create")
    diary.live_customer(session, actor, deal_in.customer_id)
    with unit_of_work(session, actor) as uow:
        deal = uow.add(Deal.model_validate(deal_in.model_dump()))
        _record_move(uow, deal, None)
    assert deal.id is not None
    return get(session, actor, deal.id)


def _change(
    session: Session, actor: Actor, deal_id: int, version: int, deal_in: DealFields
) -> DealFile:
    """Apply checked fields to the locked deal; a new stage adds a line to its history."""
    with unit_of_work(session, actor) as uow:
        deal = uow.load(Deal, deal_id, version=version)
        if deal.archived_at is not None:
            raise ValidationError(N_("This deal is archived."))
        before = deal.stage
        moved = deal_in.stage != before
        uow.change(deal, deal_in.model_dump(), action="deal.move" if moved else "deal.update")
        if moved:
            _record_move(uow, deal, before)
    return get(session, actor, deal_id)


def update(
    session: Session, actor: Actor, *, deal_id: int, version: int, data: dict[str, Any]
) -> DealFile:
    """Edit a deal in scope, its stage too (recorded in the history). A new rep must be
    active and in scope, a new customer live and in scope. PermissionDenied, StaleEdit,
    ValidationError."""
    current = _visible(session, actor, deal_id, action="deal.update", write=True)
    deal_in = build(DealUpdate, data, context=_context(session))
    if deal_in.rep_id != current.rep_id:
        reps.require_active(session, actor, deal_in.rep_id, field="rep_id", action="deal.update")
    if deal_in.customer_id != current.customer_id:
        diary.live_customer(session, actor, deal_in.customer_id)
    return _change(session, actor, deal_id, version, deal_in)


def _as_typed(deal: Deal) -> dict[str, Any]:
    """The deal's fields as a form would send them (the amount in major units)."""
    fields = deal.model_dump(include=set(DealFields.model_fields))
    return fields | {"amount": str(Decimal(deal.amount) / MINOR_UNITS)}


def move_stage(
    session: Session,
    actor: Actor,
    *,
    deal_id: int,
    version: int,
    stage: DealStage,
    closed_on: Any = None,
    amount: Any = None,
    lost_reason: Any = None,
) -> DealFile:
    """Move a deal in scope to `stage`, recorded in its history. Won needs `closed_on` and an
    amount above zero (`amount` in major units; None keeps the deal's); lost needs
    `lost_reason`. PermissionDenied, StaleEdit, ValidationError (nothing written)."""
    current = _visible(session, actor, deal_id, action="deal.move", write=True)
    if stage == current.stage:
        raise ValidationError(N_("The deal is already at this stage."), field="stage")
    data = _as_typed(current) | {"stage": stage, "closed_on": closed_on, "lost_reason": lost_reason}
    if amount is not None:
        data["amount"] = amount
    data["probability"] = CLOSED_PROBABILITY.get(stage, current.probability)
    deal_in = build(DealUpdate, data, context=_context(session))
    return _change(session, actor, deal_id, version, deal_in)


def archive(session: Session, actor: Actor, *, deal_id: int, version: int) -> DealFile:
    """Take a deal in scope out of the pipeline and its numbers; its history stays."""
    _visible(session, actor, deal_id, action="deal.archive", write=True)
    with unit_of_work(session, actor) as uow:
        deal = uow.load(Deal, deal_id, version=version)
        if deal.archived_at is None:
            uow.change(deal, {"archived_at": utcnow()}, action="deal.archive")
    return get(session, actor, deal_id)
