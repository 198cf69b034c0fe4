"""The customer file as the actor may see it: a rep their own customers, a manager their teams'."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from models import Customer, Interaction, Rep
from services.access import Actor, rep_scope, require_rep
from services.errors import NotFound

SEARCH_LIMIT = 20
TIMELINE_LIMIT = 100


def get(session: Session, actor: Actor, customer_id: int) -> dict[str, Any]:
    """One customer's profile; NotFound, or PermissionDenied outside the actor's scope."""
    row = session.exec(
        select(Customer, Rep.name)
        .join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
        .where(col(Customer.id) == customer_id)
    ).first()
    if row is None:
        raise NotFound()
    customer, owner_name = row
    require_rep(session, actor, customer.owner_rep_id, action="customer.get")
    return customer.model_dump() | {"owner_name": owner_name}


def timeline(
    session: Session, actor: Actor, customer_id: int, *, limit: int = TIMELINE_LIMIT
) -> list[dict[str, Any]]:
    """The customer's contacts, newest first; the same access rule as `get`."""
    get(session, actor, customer_id)
    rows = session.exec(
        select(Interaction, Rep.name)
        .join(Rep, col(Rep.id) == col(Interaction.rep_id))
        .where(col(Interaction.customer_id) == customer_id)
        .order_by(col(Interaction.occurred_at).desc())
        .limit(limit)
    ).all()
    return [interaction.model_dump() | {"rep_name": rep} for interaction, rep in rows]


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
