"""services/pipeline/deals.py: deals in scope, added and moved with their stage history, bad input
refused with nothing written, and every reach outside the scope denied."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Customer, Deal, DealStageChange
from models.enums import DealStage, PeriodKind, RepStatus
from services import settings
from services.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from services.periods import containing
from services.pipeline import deals
from services.pipeline.deals import DatedBy, DealFile, DealFilters
from tests.factories import Org, make_customer
from tests.services.helpers import audit_actions, count


def _data(customer: Customer, **changes: Any) -> dict[str, Any]:
    return {
        "customer_id": customer.id, "rep_id": customer.owner_rep_id, "title": "ERP rollout",
        "product": "Cloud ERP", "amount": "12,500.50", "probability": 25,
    } | changes  # fmt: skip


def _state(engine: Engine) -> tuple[int, int, int, list[tuple[Any, ...]]]:
    """Deals, history rows, audit events, and every deal's (id, version, stage)."""
    with Session(engine) as session:
        rows = session.exec(select(Deal.id, Deal.version, Deal.stage).order_by(Deal.id)).all()
    return (
        count(engine, Deal), count(engine, DealStageChange), count(engine, AuditEvent),
        [tuple(row) for row in rows],
    )  # fmt: skip


def _history(session: Session, deal_id: int) -> list[tuple[Any, ...]]:
    moves = session.exec(
        select(DealStageChange)
        .where(DealStageChange.deal_id == deal_id)
        .order_by(col(DealStageChange.id))
    ).all()
    return [(m.from_stage, m.to_stage, m.changed_by_user_id) for m in moves]


def _new_deal(session: Session, org: Org, **changes: Any) -> DealFile:
    customer = make_customer(session, org.east_rep.id)
    admin = org.actor(session, org.admin)
    return deals.create(session, admin, data=_data(customer, **changes))


# ---- create ----


def test_a_rep_adds_a_deal_and_its_opening_starts_the_history(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = make_customer(session, org.east_rep.id)
    actor = org.actor(session, org.east_rep_user)
    deal = deals.create(session, actor, data=_data(customer))
    assert (deal.title, deal.amount, deal.stage, deal.version) == (
        "ERP rollout", 1_250_050, DealStage.LEAD, 1,
    )  # fmt: skip
    assert (deal.customer_name, deal.rep_name) == ("Acme", "East Rep")
    assert _history(session, deal.id) == [(None, DealStage.LEAD, org.east_rep_user.id)]
    assert [move.changed_by for move in deal.history] == ["Eastrep"]
    assert audit_actions(engine) == ["deals.create", "deal.stage_change"]


@pytest.mark.parametrize(
    ("changes", "msgid"),
    [
        ({"title": "  "}, "Enter a title for the deal."),
        ({"amount": "-5"}, "The amount cannot be negative."),
        ({"amount": "a lot"}, "Enter the amount as a number, like 12500.50."),
        ({"amount": "1.005"}, "Use at most two decimal places."),
        ({"probability": 101}, "The probability is a whole number from 0 to 100."),
        ({"stage": "won", "amount": "0", "closed_on": date(2026, 1, 5)},
         "A won deal needs an amount above zero."),
        ({"stage": "won"}, "A won deal needs its close date."),
        ({"stage": "lost"}, "Say why the deal was lost."),
        ({"stage": "won", "closed_on": date(2999, 1, 1)}, "This date is in the future."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(
    session: Session, engine: Engine, org: Org, changes: dict[str, Any], msgid: str
) -> None:
    customer = make_customer(session, org.east_rep.id)
    actor = org.actor(session, org.east_rep_user)
    before = _state(engine)
    with pytest.raises(ValidationError) as raised:
        deals.create(session, actor, data=_data(customer, **changes))
    assert raised.value.msgid == msgid
    assert _state(engine) == before


def test_a_rep_who_left_or_an_archived_customer_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    admin = org.actor(session, org.admin)
    customer = make_customer(session, org.east_rep.id)
    org.east_sub_rep.status = RepStatus.LEFT
    session.add(org.east_sub_rep)
    session.commit()
    before = _state(engine)
    with pytest.raises(ValidationError, match="has left the company") as raised:
        deals.create(session, admin, data=_data(customer, rep_id=org.east_sub_rep.id))
    assert raised.value.field == "rep_id"
    archived = make_customer(session, org.east_rep.id, "Gone", archived_at=datetime.now(UTC))
    with pytest.raises(ValidationError, match="archived"):
        deals.create(session, admin, data=_data(archived))
    assert _state(engine) == before


@pytest.mark.parametrize(
    ("who", "owner", "rep"),
    [
        # A rep on another rep's customer, or naming another rep on their own customer.
        ("east_rep_user", "west_rep", "west_rep"),
        ("east_rep_user", "east_rep", "east_sub_rep"),
        ("east_rep_user", "west_rep", "east_rep"),
        # A manager outside their teams.
        ("east_manager", "west_rep", "west_rep"),
        ("west_manager", "west_rep", "east_rep"),
    ],
)
def test_create_outside_the_scope_is_denied(
    session: Session, engine: Engine, org: Org, who: str, owner: str, rep: str
) -> None:
    customer = make_customer(session, getattr(org, owner).id)
    actor = org.actor(session, getattr(org, who))
    before = _state(engine)
    with pytest.raises(PermissionDenied):
        deals.create(session, actor, data=_data(customer, rep_id=getattr(org, rep).id))
    assert _state(engine)[:2] == before[:2]
    assert audit_actions(engine) == ["access.denied"]


# ---- move_stage and update ----


def test_moving_to_won_needs_a_date_and_an_amount_and_is_recorded(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    deal = _new_deal(session, org, amount="0")
    actor = org.actor(session, org.east_manager)
    before = _state(engine)
    for arguments, msgid in [
        ({}, "A won deal needs its close date."),
        ({"closed_on": today}, "A won deal needs an amount above zero."),
        ({"closed_on": today, "amount": "-1"}, "The amount cannot be negative."),
        ({"closed_on": today, "amount": "ten"}, "Enter the amount as a number, like 12500.50."),
    ]:
        with pytest.raises(ValidationError) as raised:
            deals.move_stage(
                session, actor, deal_id=deal.id, version=1, stage=DealStage.WON, **arguments
            )
        assert raised.value.msgid == msgid
    assert _state(engine) == before

    won = deals.move_stage(
        session, actor, deal_id=deal.id, version=1, stage=DealStage.WON,
        closed_on=today, amount="80000",
    )  # fmt: skip
    assert (won.stage, won.closed_on, won.amount, won.probability) == (
        DealStage.WON, today, 8_000_000, 100,
    )  # fmt: skip
    assert _history(session, deal.id) == [
        (None, DealStage.LEAD, org.admin.id),
        (DealStage.LEAD, DealStage.WON, org.east_manager.id),
    ]
    assert [m.to_stage for m in won.history] == [DealStage.LEAD, DealStage.WON]
    assert audit_actions(engine)[-2:] == ["deal.move", "deal.stage_change"]


def test_moving_to_lost_needs_a_reason(session: Session, engine: Engine, org: Org) -> None:
    deal = _new_deal(session, org, amount="5000")
    actor = org.actor(session, org.east_rep_user)
    before = _state(engine)
    for reason in [None, "   "]:
        with pytest.raises(ValidationError, match="Say why"):
            deals.move_stage(
                session, actor, deal_id=deal.id, version=1, stage=DealStage.LOST,
                lost_reason=reason,
            )  # fmt: skip
    assert _state(engine) == before
    lost = deals.move_stage(
        session, actor, deal_id=deal.id, version=1, stage=DealStage.LOST,
        lost_reason="Price too high",
    )  # fmt: skip
    # The office's today is the close day; the amount stays as it was.
    assert (lost.lost_reason, lost.closed_on, lost.amount, lost.probability) == (
        "Price too high", settings.office_today(session), 500_000, 0,
    )  # fmt: skip


def test_a_stale_move_or_the_same_stage_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    deal = _new_deal(session, org)
    admin = org.actor(session, org.admin)
    deals.move_stage(session, admin, deal_id=deal.id, version=1, stage=DealStage.QUALIFIED)
    before = _state(engine)
    with pytest.raises(StaleEdit):
        deals.move_stage(session, admin, deal_id=deal.id, version=1, stage=DealStage.PROPOSAL)
    with pytest.raises(ValidationError, match="already at this stage"):
        deals.move_stage(session, admin, deal_id=deal.id, version=2, stage=DealStage.QUALIFIED)
    assert _state(engine) == before


def test_update_edits_fields_and_records_a_stage_change(
    session: Session, engine: Engine, org: Org
) -> None:
    deal = _new_deal(session, org)
    actor = org.actor(session, org.east_rep_user)
    customer = session.get(Customer, deal.customer_id)
    assert customer is not None
    edited = deals.update(
        session, actor, deal_id=deal.id, version=1,
        data=_data(customer, title="ERP phase 2", amount="9000"),
    )  # fmt: skip
    assert (edited.title, edited.amount, edited.version) == ("ERP phase 2", 900_000, 2)
    assert len(_history(session, deal.id)) == 1
    moved = deals.update(
        session, actor, deal_id=deal.id, version=2,
        data=_data(customer, title="ERP phase 2", amount="9000", stage="proposal"),
    )  # fmt: skip
    assert moved.stage == DealStage.PROPOSAL
    assert _history(session, deal.id)[-1] == (
        DealStage.LEAD, DealStage.PROPOSAL, org.east_rep_user.id
    )  # fmt: skip
    assert audit_actions(engine)[-3:] == ["deal.update", "deal.move", "deal.stage_change"]


def test_update_to_a_rep_who_left_is_refused(session: Session, engine: Engine, org: Org) -> None:
    deal = _new_deal(session, org)
    customer = session.get(Customer, deal.customer_id)
    assert customer is not None
    org.east_sub_rep.status = RepStatus.ON_LEAVE
    session.add(org.east_sub_rep)
    session.commit()
    before = _state(engine)
    with pytest.raises(ValidationError, match="is on leave"):
        deals.update(
            session, org.actor(session, org.east_manager), deal_id=deal.id, version=1,
            data=_data(customer, rep_id=org.east_sub_rep.id),
        )  # fmt: skip
    assert _state(engine) == before


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_writes_on_a_deal_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str
) -> None:
    customer = make_customer(session, org.west_rep.id)
    deal = deals.create(session, org.actor(session, org.admin), data=_data(customer))
    actor = org.actor(session, getattr(org, who))
    before = _state(engine)
    attempts = [
        lambda: deals.get(session, actor, deal.id),
        lambda: deals.update(
            session, actor, deal_id=deal.id, version=1, data=_data(customer, title="Mine")
        ),
        lambda: deals.move_stage(
            session, actor, deal_id=deal.id, version=1, stage=DealStage.QUALIFIED
        ),
        lambda: deals.archive(session, actor, deal_id=deal.id, version=1),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _state(engine)[:2] == before[:2] and _state(engine)[3] == before[3]
    assert audit_actions(engine)[-4:] == ["access.denied"] * 4


def test_a_rep_cannot_hand_their_deal_to_another_rep(
    session: Session, engine: Engine, org: Org
) -> None:
    deal = _new_deal(session, org)
    customer = session.get(Customer, deal.customer_id)
    assert customer is not None
    before = _state(engine)
    with pytest.raises(PermissionDenied):
        deals.update(
            session, org.actor(session, org.east_rep_user), deal_id=deal.id, version=1,
            data=_data(customer, rep_id=org.west_rep.id),
        )  # fmt: skip
    assert _state(engine)[3] == before[3]


def test_archive_takes_the_deal_out_of_lists_and_keeps_its_history(
    session: Session, engine: Engine, org: Org
) -> None:
    deal = _new_deal(session, org)
    actor = org.actor(session, org.east_rep_user)
    archived = deals.archive(session, actor, deal_id=deal.id, version=1)
    assert (archived.version, archived.archived_at is not None) == (2, True)
    assert deals.list_deals(session, actor, filters=DealFilters()).total == 0
    assert len(_history(session, deal.id)) == 1
    with pytest.raises(ValidationError, match="archived"):
        deals.move_stage(session, actor, deal_id=deal.id, version=2, stage=DealStage.PROPOSAL)
    assert audit_actions(engine)[-1] == "deal.archive"
    with pytest.raises(NotFound):
        deals.get(session, actor, 9_999)


# ---- list_deals, export_rows, products ----


def _spread(session: Session, org: Org) -> None:
    """Five deals: East Rep 3 (one won in March, one lost), East Sub Rep 1, West Rep 1."""
    march = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    rows = [
        (org.east_rep.id, "E1", "ERP", DealStage.LEAD, None, march),
        (org.east_rep.id, "E2", "ERP", DealStage.WON, date(2026, 3, 20), march - timedelta(40)),
        (org.east_rep.id, "E3", "Support", DealStage.LOST, date(2026, 4, 2), march),
        (org.east_sub_rep.id, "S1", "ERP", DealStage.PROPOSAL, None, march),
        (org.west_rep.id, "W1", "ERP", DealStage.LEAD, None, march),
    ]
    for rep_id, title, product, stage, closed, created in rows:
        customer = make_customer(session, rep_id, f"Customer {title}")
        session.add(
            Deal(
                customer_id=customer.id, rep_id=rep_id, title=title, product=product,
                amount=100_000, stage=stage, closed_on=closed, created_at=created,
            )
        )  # fmt: skip
    session.commit()


def _titles(session: Session, actor: Any, **filters: Any) -> list[str]:
    page = deals.list_deals(session, actor, filters=DealFilters(**filters), page_size=50)
    assert page.total == len(page.rows)
    return sorted(row.title for row in page.rows)


def test_lists_hold_the_scope_and_the_filters(session: Session, org: Org) -> None:
    _spread(session, org)
    march = containing(PeriodKind.MONTH, date(2026, 3, 1))
    admin = org.actor(session, org.admin)
    assert _titles(session, admin) == ["E1", "E2", "E3", "S1", "W1"]
    assert _titles(session, org.actor(session, org.east_manager)) == ["E1", "E2", "E3", "S1"]
    assert _titles(session, org.actor(session, org.east_rep_user)) == ["E1", "E2", "E3"]
    assert _titles(session, admin, team_id=org.east_sub.id) == ["S1"]
    assert _titles(session, admin, team_id=org.east.id) == ["E1", "E2", "E3", "S1"]
    assert _titles(session, admin, rep_id=org.west_rep.id) == ["W1"]
    assert _titles(session, admin, product="Support") == ["E3"]
    assert _titles(session, admin, stage=DealStage.LEAD) == ["E1", "W1"]
    assert _titles(session, admin, period=march) == ["E1", "E3", "S1", "W1"]
    assert _titles(session, admin, period=march, dated_by=DatedBy.CLOSED) == ["E2"]
    e1 = session.exec(select(Deal).where(Deal.title == "E1")).one()
    assert _titles(session, admin, customer_id=e1.customer_id) == ["E1"]


def test_a_search_finds_deals_by_title_or_customer_within_the_scope(
    session: Session, org: Org
) -> None:
    _spread(session, org)
    e1 = session.exec(select(Deal).where(Deal.title == "E1")).one()
    customer = session.get(Customer, e1.customer_id)
    customer.name = "Harbour 100%_Tea"
    session.add(customer)
    session.commit()
    admin = org.actor(session, org.admin)
    assert _titles(session, admin, search="e3") == ["E3"]  # any case
    assert _titles(session, admin, search="  harbour ") == ["E1"]  # the customer's name
    # % and _ are letters here, not patterns.
    assert _titles(session, admin, search="100%_") == ["E1"]
    assert _titles(session, admin, search="%") == ["E1"]
    assert _titles(session, admin, search="Customer") == ["E2", "E3", "S1", "W1"]
    # Never past the scope, and within the other filters.
    assert _titles(session, org.actor(session, org.east_rep_user), search="Customer") == [
        "E2", "E3",
    ]  # fmt: skip
    assert _titles(session, admin, search="Customer", stage=DealStage.LEAD) == ["W1"]


def test_lists_page_in_sql_newest_first(session: Session, org: Org) -> None:
    _spread(session, org)
    admin = org.actor(session, org.admin)
    pages = [
        deals.list_deals(session, admin, filters=DealFilters(), page=number, page_size=2)
        for number in (1, 2, 3, 4)
    ]
    assert [page.total for page in pages] == [5] * 4
    assert [page.pages for page in pages] == [3] * 4
    assert [[row.title for row in page.rows] for page in pages] == [
        ["W1", "S1"], ["E3", "E1"], ["E2"], ["E2"],
    ]  # fmt: skip
    assert pages[3].page == 3


def test_export_rows_are_every_page_of_the_list(session: Session, org: Org) -> None:
    _spread(session, org)
    manager = org.actor(session, org.east_manager)
    rows = deals.export_rows(session, manager, filters=DealFilters(product="ERP"))
    assert [row.title for row in rows] == ["S1", "E1", "E2"]
    assert deals.export_rows(session, manager, filters=DealFilters(), limit=2)[-1].title == "E3"


def test_products_are_those_of_deals_in_scope(session: Session, org: Org) -> None:
    _spread(session, org)
    assert deals.products(session, org.actor(session, org.admin)) == ["ERP", "Support"]
    assert deals.products(session, org.actor(session, org.east_rep_user)) == ["ERP", "Support"]
    assert deals.products(session, org.actor(session, org.west_rep_user)) == ["ERP"]


@pytest.mark.parametrize(
    ("who", "filters"),
    [
        ("east_rep_user", {"rep_id": "west_rep"}),
        ("east_rep_user", {"team_id": "east"}),
        ("east_rep_user", {"customer_id": "west_rep"}),
        ("east_manager", {"team_id": "west"}),
        ("east_manager", {"rep_id": "west_rep"}),
        ("east_manager", {"customer_id": "west_rep"}),
    ],
)
def test_list_and_export_filters_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, filters: dict[str, str]
) -> None:
    _spread(session, org)
    actor = org.actor(session, getattr(org, who))
    named = {key: getattr(org, value).id for key, value in filters.items()}
    if "customer_id" in named:
        owned = session.exec(select(Customer).where(Customer.owner_rep_id == named["customer_id"]))
        named["customer_id"] = owned.first().id  # type: ignore[union-attr]
    for service in (deals.list_deals, deals.export_rows):
        with pytest.raises(PermissionDenied):
            service(session, actor, filters=DealFilters(**named))
    assert audit_actions(engine) == ["access.denied"] * 2


def test_a_stage_move_audits_the_deal_and_its_history_row_with_before_and_after(
    session: Session, engine: Engine, org: Org
) -> None:
    deal = _new_deal(session, org)
    actor = org.actor(session, org.east_rep_user)
    deals.move_stage(session, actor, deal_id=deal.id, version=1, stage=DealStage.PROPOSAL)
    with Session(engine) as fresh:
        events = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        [history_id] = fresh.exec(
            select(DealStageChange.id).where(DealStageChange.from_stage == DealStage.LEAD)
        ).all()
    move, line = events[-2:]
    assert (move.action, move.entity, move.entity_id, move.username) == (
        "deal.move", "deals", deal.id, "eastrep",
    )  # fmt: skip
    assert (move.before["stage"], move.after["stage"]) == ("lead", "proposal")
    assert (line.action, line.entity, line.entity_id, line.before) == (
        "deal.stage_change", "deal_stage_changes", history_id, None,
    )  # fmt: skip
    assert line.after is not None
    assert (line.after["deal_id"], line.after["from_stage"], line.after["to_stage"]) == (
        deal.id, "lead", "proposal",
    )  # fmt: skip
