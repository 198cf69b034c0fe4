"""Complaints: SLA deadlines from settings, open → in progress → resolved only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Complaint, Customer, Setting
from models.base import utcnow
from models.enums import PeriodKind
from services import metrics
from services.customers import complaints
from services.customers.complaints import ComplaintRecord
from services.errors import PermissionDenied, StaleEdit, ValidationError
from services.periods import containing
from tests.factories import Org, make_customer, moved_to_west
from tests.services.helpers import audit_actions, count


def _open(
    session: Session, org: Org, customer: Customer, opened: date, **changes: Any
) -> ComplaintRecord:
    data = {
        "opened_on": opened,
        "category": "Delivery",
        "severity": "high",
        "description": "Arrived a week late.",
    } | changes
    return complaints.open_complaint(
        session, org.actor(session, org.east_rep_user), customer_id=customer.id, data=data
    )


def _resolve(
    session: Session, org: Org, complaint: ComplaintRecord, resolved_on: date, text: str
) -> ComplaintRecord:
    return complaints.resolve_complaint(
        session,
        org.actor(session, org.east_rep_user),
        complaint_id=complaint.id,
        version=complaint.version,
        data={"resolved_on": resolved_on, "resolution": text},
    )


def _rows(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Complaint.id, Complaint.version, Complaint.status, Complaint.resolution)
        ).all()
    return [tuple(row) for row in rows] + [(count(engine, AuditEvent),)]


def test_the_deadline_follows_the_sla_days_of_the_severity(
    session: Session, engine: Engine, org: Org
) -> None:
    # A stored setting may name only some severities; the others keep their defaults.
    session.add(Setting(key="sla_days", value={"high": 3}))
    session.commit()
    customer = make_customer(session, org.east_rep.id)
    opened = date(2026, 1, 30)
    due = {
        severity: _open(session, org, customer, opened, severity=severity).due_on
        for severity in ("low", "medium", "high", "critical")
    }
    assert due == {
        "low": opened + timedelta(days=10),
        "medium": opened + timedelta(days=5),
        "high": opened + timedelta(days=3),
        "critical": opened + timedelta(days=1),
    }
    stored = session.exec(select(Complaint.rep_id, Complaint.status)).all()
    assert set(stored) == {(org.east_rep.id, "open")}
    assert audit_actions(engine) == ["complaints.create"] * 4


def test_open_then_in_progress_then_resolved(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    complaint = _open(session, org, make_customer(session, org.east_rep.id), today)
    rep = org.actor(session, org.east_rep_user)
    started = complaints.start_complaint(session, rep, complaint_id=complaint.id, version=1)
    assert (started.status, started.version) == ("in_progress", 2)
    with pytest.raises(ValidationError, match="Only an open complaint"):
        complaints.start_complaint(session, rep, complaint_id=complaint.id, version=2)
    resolved = _resolve(session, org, started, today, "  Shipped by express. ")
    assert (resolved.status, resolved.resolved_on, resolved.resolution) == (
        "resolved",
        today,
        "Shipped by express.",
    )
    before = _rows(engine)
    with pytest.raises(ValidationError, match="already resolved"):
        _resolve(session, org, resolved, today, "Again")
    with pytest.raises(ValidationError, match="Only an open complaint"):
        complaints.start_complaint(session, rep, complaint_id=complaint.id, version=3)
    assert _rows(engine) == before
    assert audit_actions(engine) == ["complaints.create", "complaint.start", "complaint.resolve"]


def test_resolving_straight_from_open_is_fine(session: Session, org: Org, today: date) -> None:
    complaint = _open(session, org, make_customer(session, org.east_rep.id), today)
    assert _resolve(session, org, complaint, today, "Refunded.").status == "resolved"


def test_a_stale_version_is_refused(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    complaint = _open(session, org, make_customer(session, org.east_rep.id), today)
    complaints.start_complaint(
        session, org.actor(session, org.east_manager), complaint_id=complaint.id, version=1
    )
    before = _rows(engine)
    with pytest.raises(StaleEdit):
        _resolve(session, org, complaint, today, "Refunded.")
    assert _rows(engine) == before


@pytest.mark.parametrize(
    ("resolution", "days", "message", "field"),
    [
        ("   ", 0, "Write how the complaint was resolved.", "resolution"),
        (None, 0, "Write how the complaint was resolved.", "resolution"),
        ("Refunded.", -3, "A complaint cannot be resolved before the day it was opened.",
         "resolved_on"),
        ("Refunded.", 1, "This date is in the future.", "resolved_on"),
    ],
)  # fmt: skip
def test_bad_resolutions_are_explained_and_nothing_is_written(
    session: Session,
    engine: Engine,
    org: Org,
    today: date,
    resolution: str | None,
    days: int,
    message: str,
    field: str,
) -> None:
    complaint = _open(
        session, org, make_customer(session, org.east_rep.id), today - timedelta(days=2)
    )
    before = _rows(engine)
    with pytest.raises(ValidationError) as raised:
        _resolve(session, org, complaint, today + timedelta(days=days), resolution)  # type: ignore[arg-type]
    assert (raised.value.msgid, raised.value.field) == (message, field)
    assert _rows(engine) == before


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"category": " "}, "Choose a category.", "category"),
        ({"description": ""}, "Describe the complaint.", "description"),
        ({"severity": "urgent"}, "This value is not valid.", "severity"),
        ({"opened_on": "not a day"}, "This value is not valid.", "opened_on"),
    ],
)
def test_bad_complaints_are_explained_and_nothing_is_written(
    session: Session,
    engine: Engine,
    org: Org,
    today: date,
    changes: dict[str, Any],
    message: str,
    field: str,
) -> None:
    customer = make_customer(session, org.east_rep.id)
    with pytest.raises(ValidationError) as raised:
        _open(session, org, customer, today, **changes)
    assert (raised.value.msgid, raised.value.field) == (message, field)
    assert _rows(engine) == [(0,)]


def test_an_archived_customer_gets_no_complaint(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, archived_at=utcnow())
    with pytest.raises(ValidationError, match="archived"):
        _open(session, org, customer, today)
    assert _rows(engine) == [(0,)]


def test_complaints_feed_the_reps_complaint_metrics(
    session: Session, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id)
    admin = org.actor(session, org.admin)
    # Last month: every deadline (two SLA days for high severity) has passed by now.
    month = containing(PeriodKind.MONTH, today).previous()
    opened = month.start

    def value(key: str) -> float | None:
        return metrics.by_rep(session, admin, key, month)[org.east_rep.id].value

    quick = _open(session, org, customer, opened)
    slow = _open(session, org, customer, opened)
    assert value("complaints_opened") == 2
    _resolve(session, org, quick, opened + timedelta(days=2), "Replaced.")
    # One resolved in time; the other still open past its deadline.
    assert value("complaints_in_sla") == 1 / 2
    _resolve(session, org, slow, opened + timedelta(days=3), "Refunded, a day late.")
    assert value("complaints_in_sla") == 1 / 2
    third = _open(session, org, customer, opened + timedelta(days=1))
    _resolve(session, org, third, opened + timedelta(days=1), "Fixed the same day.")
    assert (value("complaints_opened"), value("complaints_in_sla")) == (3, 2 / 3)


def test_the_list_marks_complaints_past_their_sla(session: Session, org: Org, today: date) -> None:
    customer = make_customer(session, org.east_rep.id)
    late = _open(session, org, customer, today - timedelta(days=5), description="Late")
    in_time = _open(session, org, customer, today - timedelta(days=4), description="In time")
    _open(session, org, customer, today - timedelta(days=2), description="Due today")
    _resolve(session, org, in_time, today - timedelta(days=2), "Fixed on the due day.")
    _resolve(session, org, late, today, "Fixed three days late.")
    _open(session, org, customer, today - timedelta(days=3), description="Still open, late")
    listed = complaints.list_for_customer(
        session, org.actor(session, org.east_rep_user), customer_id=customer.id
    )
    assert [(c.description, c.past_sla) for c in listed] == [
        ("Due today", False),
        ("Still open, late", True),
        ("In time", False),
        ("Late", True),
    ]


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_complaints_of_a_customer_outside_scope_are_denied(
    session: Session, engine: Engine, org: Org, today: date, who: str
) -> None:
    theirs = make_customer(session, org.west_rep.id, "Theirs")
    complaint = complaints.open_complaint(
        session,
        org.actor(session, org.west_rep_user),
        customer_id=theirs.id,
        data={"opened_on": today, "category": "Billing", "severity": "low", "description": "x"},
    )
    actor = org.actor(session, getattr(org, who))
    before = _rows(engine)
    with pytest.raises(PermissionDenied):
        complaints.open_complaint(session, actor, customer_id=theirs.id, data={})
    with pytest.raises(PermissionDenied):
        complaints.start_complaint(session, actor, complaint_id=complaint.id, version=1)
    with pytest.raises(PermissionDenied):
        complaints.resolve_complaint(
            session,
            actor,
            complaint_id=complaint.id,
            version=1,
            data={"resolved_on": today, "resolution": "Done"},
        )
    with pytest.raises(PermissionDenied):
        complaints.list_for_customer(session, actor, customer_id=theirs.id)
    assert _rows(engine)[:-1] == before[:-1]
    assert audit_actions(engine)[-4:] == ["access.denied"] * 4
    assert len(audit_actions(engine)) == before[-1][0] + 4


# ---- open complaints move with their customer ----


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_the_former_owner_can_no_longer_work_a_moved_complaint(
    session: Session, engine: Engine, org: Org, today: date, who: str
) -> None:
    work = moved_to_west(session, org, today)
    actor = org.actor(session, getattr(org, who))
    before = _rows(engine)
    resolution = {"resolved_on": today, "resolution": "Done"}
    attempts = [
        lambda: complaints.start_complaint(
            session, actor, complaint_id=work.complaint.id, version=work.complaint.version
        ),
        lambda: complaints.resolve_complaint(
            session, actor, complaint_id=work.started_complaint.id,
            version=work.started_complaint.version, data=resolution,
        ),
        lambda: complaints.list_for_customer(session, actor, customer_id=work.customer.id),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _rows(engine)[:-1] == before[:-1]
    assert audit_actions(engine)[before[-1][0] :] == ["access.denied"] * 3


def test_the_new_owner_works_the_moved_complaints_and_sees_who_resolved_the_old_one(
    session: Session, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    rep = org.actor(session, org.west_rep_user)
    listed = complaints.list_for_customer(session, rep, customer_id=work.customer.id)
    assert {c.id: c.rep_name for c in listed} == {
        work.complaint.id: "West Rep",
        work.started_complaint.id: "West Rep",
        work.resolved_complaint.id: "East Rep",
    }
    started = complaints.start_complaint(
        session, rep, complaint_id=work.complaint.id, version=work.complaint.version
    )
    resolved = complaints.resolve_complaint(
        session, rep, complaint_id=work.started_complaint.id,
        version=work.started_complaint.version, data={"resolved_on": today, "resolution": "Ok"},
    )  # fmt: skip
    assert (started.status, resolved.status) == ("in_progress", "resolved")
