"""The customer file's writes, each in scope, validated and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Rep
from models.base import utcnow
from models.enums import RepStatus, Tier
from services import settings
from services.customers import records as customers
from services.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from tests.factories import Org, make_rep
from tests.services.helpers import audit_actions

GOOD = {"name": "Acme Trading", "kind": "dealer", "status": "active", "email": "buy@acme.cn"}


def _customer(session: Session, owner: Rep, name: str = "Existing Co") -> Customer:
    customer = Customer(name=name, owner_rep_id=owner.id, tier=Tier.B)
    session.add(customer)
    session.commit()
    return customer


def _file(engine: Engine) -> list[tuple[Any, ...]]:
    """Every customer as stored, to show that a refused change wrote nothing."""
    with Session(engine) as session:
        rows = session.exec(select(Customer).order_by(Customer.id)).all()
        return [tuple(row.model_dump().values()) for row in rows]


def _events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _left(session: Session, rep: Rep, status: RepStatus = RepStatus.LEFT) -> Rep:
    rep.status = status
    session.add(rep)
    session.commit()
    return rep


# ---- create ----


def test_a_rep_files_a_customer_they_own(session: Session, engine: Engine, org: Org) -> None:
    rep = org.actor(session, org.east_rep_user)
    created = customers.create(session, rep, data=GOOD | {"phone": "138 0000 0000"})
    assert (created.owner_rep_id, created.owner_name) == (org.east_rep.id, "East Rep")
    assert (created.kind, created.status, created.tier) == ("dealer", "active", "C")
    assert created.version == 1
    [event] = _events(engine, "customer.create")
    assert event.username == "eastrep"
    assert event.after is not None and event.after["name"] == "Acme Trading"


def test_a_rep_may_not_file_a_customer_for_someone_else(
    session: Session, engine: Engine, org: Org
) -> None:
    rep = org.actor(session, org.east_rep_user)
    with pytest.raises(PermissionDenied):
        customers.create(session, rep, data=GOOD | {"owner_rep_id": org.east_sub_rep.id})
    assert _file(engine) == []
    assert audit_actions(engine) == ["access.denied"]


def test_a_manager_names_an_owner_in_their_teams(session: Session, org: Org) -> None:
    manager = org.actor(session, org.east_manager)
    created = customers.create(session, manager, data=GOOD | {"owner_rep_id": org.east_sub_rep.id})
    assert created.owner_name == "East Sub Rep"


def test_a_manager_cannot_file_for_a_rep_outside_their_teams(
    session: Session, engine: Engine, org: Org
) -> None:
    manager = org.actor(session, org.east_manager)
    with pytest.raises(PermissionDenied):
        customers.create(session, manager, data=GOOD | {"owner_rep_id": org.west_rep.id})
    assert _file(engine) == []
    [denied] = _events(engine, "access.denied")
    assert denied.after == {"attempted": "customer.create"}


@pytest.mark.parametrize(
    ("status", "archived", "message"),
    [
        (
            RepStatus.LEFT,
            False,
            "That rep has left the company. Choose an active rep as the owner.",
        ),
        (
            RepStatus.ACTIVE,
            True,
            "That rep has left the company. Choose an active rep as the owner.",
        ),
        (RepStatus.ON_LEAVE, False, "That rep is on leave. Choose an active rep as the owner."),
    ],
)
def test_the_owner_must_still_be_working(
    session: Session, engine: Engine, org: Org, status: RepStatus, archived: bool, message: str
) -> None:
    rep = _left(session, org.east_sub_rep, status)
    if archived:
        rep.archived_at = utcnow()
        session.add(rep)
        session.commit()
    admin = org.actor(session, org.admin)
    with pytest.raises(ValidationError) as error:
        customers.create(session, admin, data=GOOD | {"owner_rep_id": rep.id})
    assert (error.value.msgid, error.value.field) == (message, "owner_rep_id")
    assert _file(engine) == [] and audit_actions(engine) == []


def test_a_manager_must_choose_an_owner(session: Session, engine: Engine, org: Org) -> None:
    for data in (GOOD, GOOD | {"owner_rep_id": None}):
        with pytest.raises(ValidationError) as error:
            customers.create(session, org.actor(session, org.east_manager), data=data)
        assert error.value.msgid == "Choose the rep who owns this customer."
    with pytest.raises(ValidationError) as missing:
        customers.create(session, org.actor(session, org.admin), data=GOOD | {"owner_rep_id": 999})
    assert missing.value.msgid == "That rep does not exist."
    assert _file(engine) == [] and audit_actions(engine) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the customer's name."),
        ({"name": "   "}, "name", "Enter the customer's name."),
        ({"name": "x" * 201}, "name", "Use at most {limit} characters."),
        ({"email": "buy-at-acme"}, "email", "Enter a valid email address, like name@example.com."),
        ({"email": "a@b"}, "email", "Enter a valid email address, like name@example.com."),
        ({"phone": "call me"}, "phone", "Enter a phone number: digits, spaces, + - ( )."),
        ({"kind": "alien"}, "kind", "This value is not valid."),
        ({"status": "vip"}, "status", "This value is not valid."),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(
    session: Session, engine: Engine, org: Org, changes: dict[str, Any], field: str, message: str
) -> None:
    rep = org.actor(session, org.east_rep_user)
    with pytest.raises(ValidationError) as error:
        customers.create(session, rep, data=GOOD | changes)
    assert (error.value.field, error.value.msgid) == (field, message)
    assert _file(engine) == [] and audit_actions(engine) == []


def test_a_birthday_in_the_future_is_refused_and_today_is_fine(
    session: Session, engine: Engine, org: Org
) -> None:
    today = settings.office_today(session)
    rep = org.actor(session, org.east_rep_user)
    tomorrow = GOOD | {"birthday": today + timedelta(days=1)}
    with pytest.raises(ValidationError) as error:
        customers.create(session, rep, data=tomorrow)
    assert (error.value.field, error.value.msgid) == (
        "birthday",
        "The birthday cannot be in the future.",
    )
    assert _file(engine) == []
    assert customers.create(session, rep, data=GOOD | {"birthday": today}).birthday == today


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example","x")', "<script>alert(1)</script>"]
)
def test_formulas_and_markup_are_stored_exactly_as_typed(
    session: Session, org: Org, name: str
) -> None:
    rep = org.actor(session, org.east_rep_user)
    created = customers.create(session, rep, data=GOOD | {"name": name})
    assert session.get(Customer, created.id).name == name  # type: ignore[union-attr]


# ---- update ----


def test_an_edit_is_saved_with_a_new_version_and_audited(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.east_rep)
    rep = org.actor(session, org.east_rep_user)
    saved = customers.update(
        session, rep, customer_id=customer.id, version=1, data=GOOD | {"city": " Shanghai "}
    )
    assert (saved.name, saved.city, saved.version) == ("Acme Trading", "Shanghai", 2)
    [event] = _events(engine, "customer.update")
    assert event.before is not None and event.after is not None
    assert (event.before["name"], event.after["name"]) == ("Existing Co", "Acme Trading")
    assert "owner_rep_id" not in event.after


def test_an_edit_from_a_stale_version_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.east_rep)
    rep = org.actor(session, org.east_rep_user)
    customers.update(session, rep, customer_id=customer.id, version=1, data=GOOD)
    before = _file(engine)
    with pytest.raises(StaleEdit):
        customers.update(
            session, rep, customer_id=customer.id, version=1, data=GOOD | {"name": "Other"}
        )
    assert _file(engine) == before


def test_a_bad_edit_writes_nothing(session: Session, engine: Engine, org: Org) -> None:
    customer = _customer(session, org.east_rep)
    before = _file(engine)
    with pytest.raises(ValidationError):
        customers.update(
            session,
            org.actor(session, org.east_rep_user),
            customer_id=customer.id,
            version=1,
            data=GOOD | {"email": "nope"},
        )
    assert _file(engine) == before and audit_actions(engine) == []


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("west_rep_user", "east_rep"),
        ("east_rep_user", "east_sub_rep"),
        ("west_manager", "east_rep"),
    ],
)
def test_nobody_edits_a_customer_outside_their_scope(
    session: Session, engine: Engine, org: Org, who: str, owner: str
) -> None:
    customer = _customer(session, getattr(org, owner))
    before = _file(engine)
    actor = org.actor(session, getattr(org, who))
    calls = [
        lambda: customers.update(session, actor, customer_id=customer.id, version=1, data=GOOD),
        lambda: customers.archive(session, actor, customer_id=customer.id, version=1),
        lambda: customers.unarchive(session, actor, customer_id=customer.id, version=1),
        lambda: customers.set_tier_override(
            session, actor, customer_id=customer.id, version=1, data={"tier": "A", "reason": "x"}
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert _file(engine) == before
    assert audit_actions(engine) == ["access.denied"] * len(calls)


def test_an_unknown_customer_is_not_found(session: Session, org: Org) -> None:
    with pytest.raises(NotFound):
        customers.archive(session, org.actor(session, org.admin), customer_id=404, version=1)


# ---- reassign ----


def test_a_manager_reassigns_and_the_audit_log_shows_both_owners(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.east_rep)
    manager = org.actor(session, org.east_manager)
    moved = customers.reassign(
        session, manager, customer_id=customer.id, version=1, owner_rep_id=org.east_sub_rep.id
    )
    assert (moved.owner_name, moved.version) == ("East Sub Rep", 2)
    [event] = _events(engine, "customer.reassign")
    assert (event.entity_id, event.username) == (customer.id, "eastboss")
    assert event.before == {"owner_rep_id": org.east_rep.id}
    assert event.after == {"owner_rep_id": org.east_sub_rep.id}


def test_an_edit_with_another_owner_is_a_reassignment(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.west_rep)
    admin = org.actor(session, org.admin)
    data = GOOD | {"owner_rep_id": org.east_rep.id}
    saved = customers.update(session, admin, customer_id=customer.id, version=1, data=data)
    assert (saved.owner_rep_id, saved.name) == (org.east_rep.id, "Acme Trading")
    assert audit_actions(engine) == ["customer.update", "customer.reassign"]


def test_a_rep_cannot_reassign_even_their_own_customer(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.east_rep)
    rep = org.actor(session, org.east_rep_user)
    before = _file(engine)
    with pytest.raises(PermissionDenied):
        customers.reassign(
            session, rep, customer_id=customer.id, version=1, owner_rep_id=org.east_rep.id
        )
    with pytest.raises(PermissionDenied):
        customers.update(
            session,
            rep,
            customer_id=customer.id,
            version=1,
            data=GOOD | {"owner_rep_id": org.east_sub_rep.id},
        )
    assert _file(engine) == before
    assert audit_actions(engine) == ["access.denied", "access.denied"]


@pytest.mark.parametrize(("owner", "target"), [("east_rep", "west_rep"), ("west_rep", "east_rep")])
def test_a_manager_reassigns_only_within_their_teams(
    session: Session, engine: Engine, org: Org, owner: str, target: str
) -> None:
    customer = _customer(session, getattr(org, owner))
    before = _file(engine)
    with pytest.raises(PermissionDenied):
        customers.reassign(
            session,
            org.actor(session, org.east_manager),
            customer_id=customer.id,
            version=1,
            owner_rep_id=getattr(org, target).id,
        )
    assert _file(engine) == before and audit_actions(engine) == ["access.denied"]


def test_no_reassignment_to_a_rep_who_left(session: Session, engine: Engine, org: Org) -> None:
    customer = _customer(session, org.east_rep)
    _left(session, org.east_sub_rep)
    before = _file(engine)
    with pytest.raises(ValidationError) as error:
        customers.reassign(
            session,
            org.actor(session, org.east_manager),
            customer_id=customer.id,
            version=1,
            owner_rep_id=org.east_sub_rep.id,
        )
    assert error.value.msgid.startswith("That rep has left the company.")
    assert _file(engine) == before and audit_actions(engine) == []


def test_customers_of_a_rep_who_left_can_still_be_edited_and_handed_over(
    session: Session, org: Org
) -> None:
    customer = _customer(session, org.east_sub_rep)
    _left(session, org.east_sub_rep)
    manager = org.actor(session, org.east_manager)
    customers.update(
        session, manager, customer_id=customer.id, version=1, data=GOOD | {"name": "Kept"}
    )
    moved = customers.reassign(
        session, manager, customer_id=customer.id, version=2, owner_rep_id=org.east_rep.id
    )
    assert (moved.name, moved.owner_rep_id) == ("Kept", org.east_rep.id)


# ---- archive, tier override ----


def test_archive_and_unarchive(session: Session, engine: Engine, org: Org) -> None:
    customer = _customer(session, org.east_rep, "Gone Quiet Ltd")
    rep = org.actor(session, org.east_rep_user)
    archived = customers.archive(session, rep, customer_id=customer.id, version=1)
    assert archived.archived_at is not None and archived.version == 2
    assert customers.search(session, rep, "Gone") == []
    with pytest.raises(ValidationError) as error:
        customers.update(session, rep, customer_id=customer.id, version=2, data=GOOD)
    assert error.value.msgid == "This customer is archived. Unarchive it before making changes."
    with pytest.raises(ValidationError):
        customers.set_tier_override(
            session, rep, customer_id=customer.id, version=2, data={"tier": "A", "reason": "big"}
        )
    back = customers.unarchive(session, rep, customer_id=customer.id, version=2)
    assert back.archived_at is None and back.version == 3
    assert customers.search(session, rep, "Gone") == [(customer.id, "Gone Quiet Ltd")]
    assert audit_actions(engine) == ["customer.archive", "customer.unarchive"]


def test_a_tier_override_needs_a_reason_and_can_be_cleared(
    session: Session, engine: Engine, org: Org
) -> None:
    customer = _customer(session, org.east_rep)
    rep = org.actor(session, org.east_rep_user)
    with pytest.raises(ValidationError) as error:
        customers.set_tier_override(
            session, rep, customer_id=customer.id, version=1, data={"tier": "A", "reason": " "}
        )
    assert (error.value.field, error.value.msgid) == (
        "reason",
        "Give a reason for setting the tier by hand.",
    )
    assert audit_actions(engine) == []
    data = {"tier": "A", "reason": "Group contract signed"}
    saved = customers.set_tier_override(session, rep, customer_id=customer.id, version=1, data=data)
    assert (saved.tier, saved.tier_override) == ("B", "A")
    assert saved.tier_override_reason == "Group contract signed"
    cleared = customers.set_tier_override(
        session, rep, customer_id=customer.id, version=2, data={"tier": None, "reason": "stale"}
    )
    assert (cleared.tier_override, cleared.tier_override_reason) == (None, None)
    assert audit_actions(engine) == ["customer.tier_override", "customer.tier_override"]


# ---- owner choices ----


def test_owner_choices_are_the_active_reps_in_scope(session: Session, org: Org) -> None:
    make_rep(session, org.east, "Aaron Newhire")
    _left(session, make_rep(session, org.east, "Left Lee"))
    _left(session, make_rep(session, org.east, "Leave Liu"), RepStatus.ON_LEAVE)

    def names(user) -> list[str]:  # type: ignore[no-untyped-def]
        return [name for _, name in customers.owner_choices(session, org.actor(session, user))]

    assert names(org.admin) == ["Aaron Newhire", "East Rep", "East Sub Rep", "West Rep"]
    assert names(org.east_manager) == ["Aaron Newhire", "East Rep", "East Sub Rep"]
    assert names(org.west_manager) == ["West Rep"]
    assert names(org.east_rep_user) == ["East Rep"]


def test_same_name_finds_a_customer_filed_under_any_case_and_spacing(
    session: Session, org: Org
) -> None:
    east = _customer(session, org.east_rep, "Harbour Tea")
    _customer(session, org.east_rep, "Harbour Tea House")  # another name, only alike
    gone = _customer(session, org.east_rep, "harbour tea")
    gone.archived_at = utcnow()
    session.add(gone)
    session.commit()
    admin = org.actor(session, org.admin)
    assert customers.same_name(session, admin, "  HARBOUR tea ") == [(east.id, "Harbour Tea")]
    assert customers.same_name(session, admin, "   ") == []


def test_same_name_never_shows_a_customer_outside_the_actors_scope(
    session: Session, org: Org
) -> None:
    west = _customer(session, org.west_rep, "Harbour Tea")
    east = _customer(session, org.east_rep, "Harbour Tea")

    def found(user) -> list[int]:  # type: ignore[no-untyped-def]
        actor = org.actor(session, user)
        return [
            customer_id for customer_id, _ in customers.same_name(session, actor, "Harbour Tea")
        ]

    assert found(org.admin) == [west.id, east.id]
    assert found(org.east_manager) == [east.id]
    assert found(org.east_rep_user) == [east.id]
    assert found(org.west_manager) == [west.id]
