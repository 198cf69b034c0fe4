"""Every row a service writes has its audit event: the walk below runs the services' writes
on data it builds, diffs every table around each one and compares with the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Customer
from models.enums import DealStage, OwnerKind, Role
from services import settings
from services.customers import complaints, diary, follow_ups, surveys, tiering
from services.customers import records as customers
from services.goals import bulk_targets
from services.goals import records as goals
from services.people import users
from services.periods import PeriodKind, containing
from services.pipeline import deals
from tests.factories import Org, goal_data
from tests.services.helpers import changed_rows, table_rows

# Tables whose writes need no event of their own, each for the reason given.
EXEMPT = {
    "audit_events",  # the log itself
    "data_version",  # the cache counter every write bumps
}


def _events_after(engine: Engine, last_id: int) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.id) > last_id)
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def _last_event_id(engine: Engine) -> int:
    with Session(engine) as session:
        ids = session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()
        return ids or 0


@contextmanager
def audited(engine: Engine, step: str) -> Iterator[None]:
    """The write inside must change something, and leave an event per changed row: one naming
    the row's table and id (tables keyed otherwise: at least one event per row)."""
    before, last_id = table_rows(engine), _last_event_id(engine)
    yield
    changed = {
        table: keys
        for table, keys in changed_rows(before, table_rows(engine)).items()
        if table not in EXEMPT
    }
    assert changed, f"{step}: wrote nothing"
    events = _events_after(engine, last_id)
    for table, keys in changed.items():
        named = [event for event in events if event.entity == table]
        if all(len(key) == 1 and isinstance(key[0], int) for key in keys):
            missing = {key[0] for key in keys} - {event.entity_id for event in named}
            assert not missing, f"{step}: {table} rows {sorted(missing)} have no audit event"
        else:
            assert len(named) >= len(keys), f"{step}: {table} has {len(keys)} rows changed"
    assert all(event.before or event.after for event in events), step


def test_every_row_a_service_writes_is_audited(session: Session, engine: Engine) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    rep = org.actor(session, org.east_rep_user)
    manager = org.actor(session, org.east_manager)
    today = settings.office_today(session)
    now = datetime.now(UTC)
    data = {"name": "Acme Trading", "kind": "dealer", "status": "active"}

    with audited(engine, "customers.create"):
        customer = customers.create(session, rep, data=data)
    customer_id = customer.id
    with audited(engine, "customers.update"):
        customer = customers.update(
            session, rep, customer_id=customer_id, version=customer.version,
            data=data | {"name": "Acme Group"},
        )  # fmt: skip
    with audited(engine, "customers.set_tier_override"):
        customer = customers.set_tier_override(
            session, rep, customer_id=customer_id, version=customer.version,
            data={"tier": "A", "reason": "Group contract"},
        )  # fmt: skip
    with audited(engine, "customers.archive"):
        customer = customers.archive(
            session, rep, customer_id=customer_id, version=customer.version
        )
    with audited(engine, "customers.unarchive"):
        customer = customers.unarchive(
            session, rep, customer_id=customer_id, version=customer.version
        )

    with audited(engine, "diary.log_interaction"):
        contact = diary.log_interaction(
            session, rep, customer_id=customer_id,
            data={"occurred_at": now - timedelta(hours=1), "channel": "call",
                  "summary": "Quote", "next_follow_up_on": today},
        )  # fmt: skip
    with audited(engine, "follow_ups.reschedule_follow_up"):
        contact = follow_ups.reschedule_follow_up(
            session, rep, interaction_id=contact.id, version=contact.version,
            data={"due_on": today + timedelta(days=1), "reason": "Asked for tomorrow"},
        )  # fmt: skip
    with audited(engine, "diary.log_interaction answering a follow-up"):
        contact = diary.log_interaction(
            session, rep, customer_id=customer_id, answers=contact.id, version=contact.version,
            data={"occurred_at": now - timedelta(minutes=30), "channel": "call",
                  "summary": "Answered", "next_follow_up_on": today},
        )  # fmt: skip
    with audited(engine, "follow_ups.mark_follow_up_done"):
        follow_ups.mark_follow_up_done(
            session, rep, interaction_id=contact.id, version=contact.version
        )
    with audited(engine, "surveys.add_survey"):
        surveys.add_survey(
            session, rep, customer_id=customer_id, data={"surveyed_on": today, "score": 4}
        )
    with audited(engine, "complaints.open_complaint"):
        complaint = complaints.open_complaint(
            session, rep, customer_id=customer_id,
            data={"opened_on": today, "category": "Delivery", "severity": "high",
                  "description": "Late."},
        )  # fmt: skip
    with audited(engine, "complaints.start_complaint"):
        complaint = complaints.start_complaint(
            session, rep, complaint_id=complaint.id, version=complaint.version
        )
    with audited(engine, "complaints.resolve_complaint"):
        complaints.resolve_complaint(
            session, rep, complaint_id=complaint.id, version=complaint.version,
            data={"resolved_on": today, "resolution": "Refunded the freight."},
        )  # fmt: skip

    deal_data = {"customer_id": customer_id, "rep_id": org.east_rep.id, "title": "ERP",
                 "amount": "50000", "stage": "lead"}  # fmt: skip
    with audited(engine, "deals.create"):
        deal = deals.create(session, rep, data=deal_data)
    with audited(engine, "deals.update"):
        deal = deals.update(
            session, rep, deal_id=deal.id, version=deal.version,
            data=deal_data | {"title": "ERP phase 1", "stage": "qualified"},
        )  # fmt: skip
    with audited(engine, "deals.move_stage"):
        deal = deals.move_stage(
            session, rep, deal_id=deal.id, version=deal.version, stage=DealStage.WON,
            closed_on=today,
        )  # fmt: skip
    with audited(engine, "tiering.recompute"):
        assert tiering.recompute(session, admin) >= 1
    with audited(engine, "deals.archive"):
        deals.archive(session, rep, deal_id=deal.id, version=deal.version)

    quarter = containing(PeriodKind.QUARTER, today)
    month = containing(PeriodKind.MONTH, today)
    with audited(engine, "goals.create"):
        team_goal = goals.create(session, manager, data=goal_data(org.east, quarter))
    with audited(engine, "goals.update"):
        team_goal = goals.update(
            session, manager, goal_id=team_goal.id, version=team_goal.version,
            data={"title": "East Q", "description": "", "parent_id": None},
        )  # fmt: skip
    with audited(engine, "goals.revise"):
        team_goal = goals.revise(
            session, manager, goal_id=team_goal.id, version=team_goal.version,
            target="60000", reason="Bigger market",
        )  # fmt: skip
    manual = goal_data(org.east, month, metric_key="market_share", title="Share")
    with audited(engine, "goals.create (hand-entered)"):
        hand = goals.create(session, manager, data=manual | {"target": "30"})
    with audited(engine, "goals.add_checkin"):
        hand = goals.add_checkin(session, manager, goal_id=hand.id, checked_on=today, value="12")
    with audited(engine, "goals.archive"):
        hand = goals.archive(session, manager, goal_id=hand.id, version=hand.version)
    with audited(engine, "goals.unarchive"):
        goals.unarchive(session, manager, goal_id=hand.id, version=hand.version)

    grid = bulk_targets.grid(session, manager, metric_key="revenue", period=quarter)
    typed = [asdict(row) | {"target": "10000"} for row in grid]
    with audited(engine, "bulk_targets.save (new goals)"):
        bulk_targets.save(
            session, manager, metric_key="revenue", period=quarter, rows=typed, reason="Plan"
        )
    grid = bulk_targets.grid(session, manager, metric_key="revenue", period=quarter)
    typed = [asdict(row) | {"target": "12000"} for row in grid]
    with audited(engine, "bulk_targets.save (revisions)"):
        bulk_targets.save(
            session, manager, metric_key="revenue", period=quarter, rows=typed, reason="Up"
        )

    with audited(engine, "settings.set_value"):
        settings.set_value(session, admin, key="leaderboard_visibility", value="self")
    user_data = {"username": "newbie", "password": "a-good-password", "display_name": "New"}
    with audited(engine, "users.create"):
        user = users.create(session, admin, data=user_data | {"role": Role.MANAGER})
    with audited(engine, "users.update"):
        user = users.update(
            session, admin, user_id=user.id, version=user.version,
            data={"display_name": "Newly", "role": Role.MANAGER, "locale": "en",
                  "email": None, "rep_id": None},
        )  # fmt: skip
    with audited(engine, "users.reset_password"):
        user = users.reset_password(
            session, admin, user_id=user.id, version=user.version,
            new_password="another-good-one",
        )  # fmt: skip
    with audited(engine, "users.set_active"):
        users.set_active(session, admin, user_id=user.id, version=user.version, active=False)

    with audited(engine, "customers.reassign"):
        customers.reassign(
            session, admin, customer_id=customer_id,
            version=session.get(Customer, customer_id).version,  # type: ignore[union-attr]
            owner_rep_id=org.east_sub_rep.id,
        )  # fmt: skip
    assert team_goal.owner_kind == OwnerKind.TEAM
