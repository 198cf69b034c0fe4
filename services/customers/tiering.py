"""Customer tiers A/B/C by RFM over won deals of the last 12 months, computed in SQL.

Recency is the days since the last won deal, frequency the number of won deals, monetary
their total amount (minor units). A customer is A when it meets every threshold of the A
rule, else B when it meets every threshold of the B rule, else C (`settings.tier_rules`).
A manual override with a reason wins over the computed tier wherever the tier is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select, update

from models import Customer, Deal
from models.base import utcnow
from models.enums import DealStage, Role, Tier
from services import settings
from services.access import Actor, deny, rep_scope
from services.customers import records as customers
from services.errors import NotFound
from services.unit_of_work import UnitOfWork, unit_of_work

ENTITY = "customer"
ACTION = "customer.recompute_tiers"
# Each customer whose tier a recompute moves is audited as a change of its row.
TABLE = "customers"
TIER_ACTION = "customer.tier"
# "The last 12 months": today and the 364 days before it.
WINDOW_DAYS = 365
RULE_TIERS = (Tier.A, Tier.B)


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One tier's rule (its thresholds, from `settings.tier_rules`) and whether the customer
    meets each of them."""

    tier: Tier
    recency_days: int
    frequency: int
    monetary: int
    recency_met: bool
    frequency_met: bool
    monetary_met: bool


@dataclass(frozen=True, slots=True)
class TierExplanation:
    """Why a customer has its tier: its RFM values over the won deals from `since` to
    `today`, each rule checked against them (A first), the tier they give now (`computed`),
    the stored one, and the override with its reason; `effective` is the one that counts."""

    today: date
    since: date
    last_won_on: date | None
    recency_days: int | None
    frequency: int
    monetary: int
    rules: tuple[RuleCheck, ...]
    computed: Tier
    stored: Tier | None
    override: Tier | None
    override_reason: str | None
    effective: Tier | None


def window_start(today: date) -> date:
    """The first day whose won deals count."""
    return today - timedelta(days=WINDOW_DAYS - 1)


def _won_in_window(today: date) -> list[Any]:
    return [
        col(Deal.stage) == DealStage.WON,
        col(Deal.archived_at).is_(None),
        col(Deal.closed_on) >= window_start(today),
        col(Deal.closed_on) <= today,
    ]


def _rfm_columns() -> list[Any]:
    return [
        sa.func.max(col(Deal.closed_on)).label("last_won_on"),
        sa.func.count(col(Deal.id)).label("frequency"),
        sa.func.coalesce(sa.func.sum(col(Deal.amount)), 0).label("monetary"),
    ]


def _checks(rule: dict[str, int], today: date, rfm: Any) -> dict[str, Any]:
    """Each threshold of one rule as a SQL condition on the RFM columns of `rfm`."""
    # "Bought within N days" is "last won on or after today - N": no date arithmetic in SQL.
    return {
        "recency_days": rfm.last_won_on >= today - timedelta(days=rule["recency_days"]),
        "frequency": sa.func.coalesce(rfm.frequency, 0) >= rule["frequency"],
        "monetary": sa.func.coalesce(rfm.monetary, 0) >= rule["monetary"],
    }


def _tier(rules: dict[str, dict[str, int]], today: date, rfm: Any) -> Any:
    """The tier the rules give, as one SQL CASE (no won deal at all gives C)."""
    whens = [
        (sa.and_(*_checks(rules[tier], today, rfm).values()), tier.value)
        for tier in RULE_TIERS
        if tier in rules
    ]
    return sa.case(*whens, else_=Tier.C.value)


def _scope(
    session: Session, actor: Actor | None, customer_ids: Iterable[int] | None
) -> tuple[list[int] | None, list[int] | None]:
    """(owner ids, customer ids) the actor may recompute, None for no limit of that kind;
    PermissionDenied (audited) otherwise.

    The system (actor None), admins and managers recompute everything in their scope; anyone
    may recompute named customers that are all theirs to see.
    """
    scope = rep_scope(session, actor) if actor is not None else None
    if customer_ids is None:
        if actor is not None and actor.role == Role.REP:
            deny(session, actor, action=ACTION, entity=ENTITY, entity_id=None)
        return (None if scope is None else sorted(scope)), None
    wanted = sorted(set(customer_ids))
    owners = session.exec(
        select(Customer.id, Customer.owner_rep_id).where(col(Customer.id).in_(wanted))
    ).all()
    if len(owners) != len(wanted):
        raise NotFound()
    for customer_id, owner in owners:
        if scope is not None and owner not in scope:
            deny(session, actor, action=ACTION, entity=ENTITY, entity_id=customer_id)
    return None, wanted


def _computed_tiers(
    today: date,
    rules: dict[str, dict[str, int]],
    owner_ids: list[int] | None,
    customer_ids: list[int] | None,
    *,
    locked: bool = False,
) -> Any:
    """SELECT id, stored tier and computed tier of every customer in scope whose tier moves;
    `locked` (PostgreSQL) holds those rows, so the tiers audited are the ones overwritten."""
    won_deals = select(col(Deal.customer_id).label("customer_id"), *_rfm_columns()).where(
        *_won_in_window(today)
    )
    target = aliased(Customer, name="target")
    in_scope = []
    if owner_ids is not None:
        in_scope.append(col(target.owner_rep_id).in_(owner_ids))
    if customer_ids is not None:
        in_scope.append(col(target.id).in_(customer_ids))
        won_deals = won_deals.where(col(Deal.customer_id).in_(customer_ids))
    won = won_deals.group_by(col(Deal.customer_id)).subquery("won")
    computed = _tier(rules, today, won.c)
    query = (
        select(col(target.id), col(target.tier), computed.label("computed"))
        .select_from(target)
        .outerjoin(won, won.c.customer_id == target.id)
        .where(*in_scope, col(target.tier).is_distinct_from(computed))
    )
    return query.with_for_update(of=target) if locked else query


def store_computed(
    session: Session,
    *,
    today: date,
    owner_ids: list[int] | None = None,
    customer_ids: list[int] | None = None,
) -> int:
    """The one set-based UPDATE: every customer (of `owner_ids`, or `customer_ids`) gets the
    tier its won deals give as of `today`; returns how many changed.

    No access check and no audit: `recompute` does both, and the seed loading a data set is
    the system writing its own data.
    """
    computed = _computed_tiers(
        today, settings.tier_rules(session), owner_ids, customer_ids
    ).subquery("computed")
    statement = (
        update(Customer)
        .where(col(Customer.id) == computed.c.id)
        .values(tier=computed.c.computed, version=col(Customer.version) + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    changed = int(session.exec(statement).rowcount)  # type: ignore[call-overload]
    # Rows changed behind the ORM's back: reload whatever the session still holds.
    session.expire_all()
    return changed


def _store_changes(uow: UnitOfWork, changes: list[tuple[int, Tier | None, Tier]]) -> None:
    """Write the new tiers in one executemany UPDATE, each with its audit event (before and
    after), which the session flushes as one batch insert."""
    table = Customer.__table__  # type: ignore[attr-defined]
    uow.session.connection().execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("changed_id"))
        .values(
            tier=sa.bindparam("new_tier", type_=table.c.tier.type),
            version=table.c.version + 1,
            updated_at=utcnow(),
        ),
        [{"changed_id": customer_id, "new_tier": new} for customer_id, _old, new in changes],
    )
    for customer_id, old, new in changes:
        uow.audit(
            TIER_ACTION, entity=TABLE, entity_id=customer_id,
            before={"tier": old.value if old else None}, after={"tier": new.value},
        )  # fmt: skip
    uow.changed_data = True
    # Rows changed behind the ORM's back: reload whatever the session still holds.
    uow.session.expire_all()


def recompute(
    session: Session, actor: Actor | None, *, customer_ids: Iterable[int] | None = None
) -> int:
    """Store the computed tier of every customer in scope (or of `customer_ids`).

    Admins and managers recompute all their customers; a rep only named customers of their
    own; actor None is the system (the command line). Returns how many tiers changed; each
    change has its audit event (tier before and after) and one more records the run.
    PermissionDenied if any customer is outside the scope.
    """
    owner_ids, wanted = _scope(session, actor, customer_ids)
    today = settings.office_today(session)
    rules = settings.tier_rules(session)
    with unit_of_work(session, actor) as uow:
        query = _computed_tiers(today, rules, owner_ids, wanted, locked=True)
        changes = [
            (customer_id, old, Tier(new))
            for customer_id, old, new in session.exec(query).all()  # type: ignore[call-overload]
        ]
        if changes:
            _store_changes(uow, changes)
        uow.audit(
            ACTION, entity=ENTITY, after={"changed": len(changes), "customers": wanted or "all"}
        )
    return len(changes)


def explain(session: Session, actor: Actor, customer_id: int) -> TierExplanation:
    """Why a customer has its tier: its RFM values, each rule's thresholds and whether they are
    met, the tier they give now, the stored one, and any override with its reason.

    NotFound, or PermissionDenied outside the actor's scope.
    """
    customer = customers.get(session, actor, customer_id)
    today = settings.office_today(session)
    rules = settings.tier_rules(session)
    rfm = (
        select(*_rfm_columns())
        .where(*_won_in_window(today), col(Deal.customer_id) == customer_id)
        .subquery("rfm")
    )
    checks = {tier: _checks(rules[tier], today, rfm.c) for tier in RULE_TIERS if tier in rules}
    labelled = [
        sa.func.coalesce(condition, False).label(f"{tier.value}_{name}")
        for tier, conditions in checks.items()
        for name, condition in conditions.items()
    ]
    row = session.exec(
        select(
            rfm.c.last_won_on,
            rfm.c.frequency,
            rfm.c.monetary,
            _tier(rules, today, rfm.c).label("computed"),
            *labelled,
        )
    ).one()  # type: ignore[call-overload]
    values = row._mapping
    last_won_on = values["last_won_on"]

    def met(tier: Tier, name: str) -> bool:
        return bool(values[f"{tier.value}_{name}"])

    return TierExplanation(
        today=today,
        since=window_start(today),
        last_won_on=last_won_on,
        recency_days=(today - last_won_on).days if last_won_on else None,
        frequency=int(values["frequency"]),
        monetary=int(values["monetary"]),
        rules=tuple(
            RuleCheck(
                tier=tier,
                recency_days=rules[tier]["recency_days"],
                frequency=rules[tier]["frequency"],
                monetary=rules[tier]["monetary"],
                recency_met=met(tier, "recency_days"),
                frequency_met=met(tier, "frequency"),
                monetary_met=met(tier, "monetary"),
            )
            for tier in checks
        ),
        computed=Tier(values["computed"]),
        stored=customer.tier,
        override=customer.tier_override,
        override_reason=customer.tier_override_reason,
        effective=customer.effective_tier,
    )
