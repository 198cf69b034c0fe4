"""services/customers/records.py `reassign`: the customer's open work moves with it in one audited
step, its history stays with the rep who did it, and the customer file and its deals are
read and written by the current owner's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Deal, DealStageChange
from models.enums import DealStage
from services.customers import records as customers
from services.errors import PermissionDenied, StaleEdit
from services.pipeline import deals
from services.pipeline.deals import DealFilters
from tests.factories import CustomerWork, Org, moved_to_west
from tests.services.helpers import audit_actions, count


def _events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _file(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(select(Customer).order_by(Customer.id)).all()
        return [tuple(row.model_dump().values()) for row in rows]


def _deals(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Deals, history rows, and every deal's (id, version, stage, rep)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Deal.id, Deal.version, Deal.stage, Deal.rep_id).order_by(Deal.id)
        ).all()
    return count(engine, Deal), count(engine, DealStageChange), [tuple(row) for row in rows]


def _deal_data(customer: Customer, rep_id: int, **changes: Any) -> dict[str, Any]:
    return {
        "customer_id": customer.id, "rep_id": rep_id, "title": "Order", "amount": "900",
        "probability": 50, "stage": "proposal",
    } | changes  # fmt: skip


# ---- what moves ----


def _rows(engine: Engine, work: CustomerWork) -> list[tuple[Any, ...]]:
    """(table, id, rep, version) of every row of the customer's work, as stored."""
    with Session(engine) as fresh:
        rows = [fresh.get(type(row), row.id) for row in [*work.kept, *work.moved]]
    return [(type(row).__name__, row.id, row.rep_id, row.version) for row in rows]


def test_reassigning_moves_open_complaints_and_deals_and_history_stays(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = CustomerWork(session, org.east_rep, today)
    kept = _rows(engine, work)[: len(work.kept)]
    customers.reassign(
        session, org.actor(session, org.admin), customer_id=work.customer.id, version=1,
        owner_rep_id=org.west_rep.id,
    )  # fmt: skip
    rows = _rows(engine, work)
    # Contacts keep their maker, closed deals, resolved complaints and surveys their rep.
    assert rows[: len(work.kept)] == kept
    assert [(rep, version) for _table, _id, rep, version in rows[len(work.kept) :]] == [
        (org.west_rep.id, 2)
    ] * 3
    moves = [
        (event.action, event.entity, event.entity_id, event.before, event.after)
        for event in _events(engine, "complaint.reassign") + _events(engine, "deal.reassign")
    ]
    east, west = {"rep_id": org.east_rep.id}, {"rep_id": org.west_rep.id}
    assert moves == [
        ("complaint.reassign", "complaints", work.complaint.id, east, west),
        ("complaint.reassign", "complaints", work.started_complaint.id, east, west),
        ("deal.reassign", "deals", work.deal.id, east, west),
    ]
    assert audit_actions(engine) == ["customer.reassign", *[move[0] for move in moves]]


def test_an_edit_that_changes_the_owner_moves_the_open_work_too(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = CustomerWork(session, org.east_rep, today)
    data = {"name": "Renamed Co", "owner_rep_id": org.east_sub_rep.id}
    customers.update(
        session, org.actor(session, org.east_manager), customer_id=work.customer.id, version=1,
        data=data,
    )  # fmt: skip
    reps = [rep for _table, _id, rep, _version in _rows(engine, work)]
    assert reps == [org.east_rep.id] * len(work.kept) + [org.east_sub_rep.id] * len(work.moved)


def test_a_refused_reassignment_moves_nothing(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = CustomerWork(session, org.east_rep, today)
    before = (_file(engine), _rows(engine, work))
    with pytest.raises(StaleEdit):
        customers.reassign(
            session, org.actor(session, org.admin), customer_id=work.customer.id, version=7,
            owner_rep_id=org.west_rep.id,
        )  # fmt: skip
    assert (_file(engine), _rows(engine, work)) == before
    assert audit_actions(engine) == []


def test_the_former_owner_loses_the_customer_file(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    for user in (org.east_rep_user, org.east_manager):
        with pytest.raises(PermissionDenied):
            customers.get(session, org.actor(session, user), work.customer.id)
    assert audit_actions(engine)[-2:] == ["access.denied"] * 2
    new_owner = customers.get(session, org.actor(session, org.west_rep_user), work.customer.id)
    assert new_owner.owner_name == "West Rep"


# ---- deals: open ones move, closed ones stay their rep's history ----


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_the_former_owner_can_no_longer_change_a_moved_deal(
    session: Session, engine: Engine, org: Org, today: date, who: str
) -> None:
    work = moved_to_west(session, org, today)
    actor = org.actor(session, getattr(org, who))
    deal, version = work.deal.id, work.deal.version
    before, events = _deals(engine), len(audit_actions(engine))
    attempts = [
        lambda: deals.get(session, actor, deal),
        lambda: deals.update(
            session, actor, deal_id=deal, version=version,
            data=_deal_data(work.customer, org.east_rep.id, title="Mine again"),
        ),
        lambda: deals.move_stage(
            session, actor, deal_id=deal, version=version, stage=DealStage.NEGOTIATION
        ),
        lambda: deals.archive(session, actor, deal_id=deal, version=version),
        # Closed deals stay their history, but the customer is no longer theirs to change.
        lambda: deals.move_stage(
            session, actor, deal_id=work.lost_deal.id, version=1, stage=DealStage.LEAD
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _deals(engine) == before
    assert audit_actions(engine)[events:] == ["access.denied"] * len(attempts)
    mine = deals.list_deals(session, actor, filters=DealFilters())
    assert {row.id for row in mine.rows} == {work.won_deal.id, work.lost_deal.id}
    assert deals.get(session, actor, work.won_deal.id).rep_name == "East Rep"


def test_the_new_owner_moves_the_open_deal_and_reads_the_customers_history(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    rep = org.actor(session, org.west_rep_user)
    filed = deals.list_deals(session, rep, filters=DealFilters(customer_id=work.customer.id))
    assert {row.id: row.rep_name for row in filed.rows} == {
        work.deal.id: "West Rep",
        work.won_deal.id: "East Rep",
        work.lost_deal.id: "East Rep",
    }
    assert deals.list_deals(session, rep, filters=DealFilters()).total == 1
    moved = deals.move_stage(
        session, rep, deal_id=work.deal.id, version=work.deal.version,
        stage=DealStage.NEGOTIATION,
    )  # fmt: skip
    assert (moved.stage, moved.rep_name) == (DealStage.NEGOTIATION, "West Rep")
    assert deals.get(session, rep, work.won_deal.id).amount == work.won_deal.amount
    # Someone else's won deal is read, never rewritten.
    before = _deals(engine)
    with pytest.raises(PermissionDenied):
        deals.update(
            session, rep, deal_id=work.won_deal.id, version=1,
            data=_deal_data(work.customer, org.west_rep.id, stage="won", closed_on=today),
        )  # fmt: skip
    assert _deals(engine) == before
