"""The diary: logging contacts, who made and logged them, the last-contact day, the timeline,
and a contact closing the follow-up it answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Interaction
from models.base import utcnow
from services.customers import diary, follow_ups
from services.errors import PermissionDenied, StaleEdit, ValidationError
from tests.factories import Org, make_customer, make_follow_up
from tests.services.helpers import audit_actions, count

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _call(when: datetime, **changes: Any) -> dict[str, Any]:
    return {"occurred_at": when, "channel": "call", "summary": "Discussed the quote"} | changes


def _state(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Interactions, audit events, and every customer's (id, version, last contact)."""
    with Session(engine) as session:
        customers = session.exec(
            select(Customer.id, Customer.version, Customer.last_contact_on).order_by(Customer.id)
        ).all()
    return count(engine, Interaction), count(engine, AuditEvent), [tuple(c) for c in customers]


def test_a_rep_logs_a_call_and_the_office_day_becomes_the_last_contact(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    # 00:30 in Shanghai is still the day before in UTC: the office's day counts.
    when = _at(today - timedelta(days=2), 0, 30)
    logged = diary.log_interaction(
        session,
        org.actor(session, org.east_rep_user),
        customer_id=customer.id,
        data=_call(when, outcome="  Wants a demo ", next_follow_up_on=today + timedelta(days=1)),
    )
    stored = session.get(Interaction, logged.id)
    assert stored is not None
    assert (stored.rep_id, stored.channel, stored.outcome) == (
        org.east_rep.id,
        "call",
        "Wants a demo",
    )
    assert stored.occurred_at.replace(tzinfo=UTC) == when.astimezone(UTC)
    assert when.astimezone(UTC).date() == today - timedelta(days=3)
    session.refresh(customer)
    assert (customer.last_contact_on, customer.version) == (today - timedelta(days=2), 2)
    assert audit_actions(engine) == ["interactions.create", "customer.contacted"]


def test_an_older_contact_leaves_the_last_contact_day(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme", last_contact_on=today)
    diary.log_interaction(
        session,
        org.actor(session, org.east_rep_user),
        customer_id=customer.id,
        data=_call(_at(today - timedelta(days=5), 10), channel="visit"),
    )
    session.refresh(customer)
    assert (customer.last_contact_on, customer.version) == (today, 1)
    assert audit_actions(engine) == ["interactions.create"]


def _who(engine: Engine) -> list[tuple[int | None, int | None]]:
    """(rep who made it, user who logged it) of every contact, oldest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(Interaction.rep_id, Interaction.logged_by_user_id).order_by(Interaction.id)
        ).all()
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    ("who", "maker"),
    [("east_manager", "east_rep"), ("east_manager", None), ("admin", "west_rep")],
)
def test_a_manager_logs_a_contact_for_the_rep_who_made_it_or_for_nobody(
    session: Session, engine: Engine, org: Org, today: date, who: str, maker: str | None
) -> None:
    customer = make_customer(session, org.east_sub_rep.id, "Sub client")
    user = getattr(org, who)
    maker_id = getattr(org, maker).id if maker else None
    logged = diary.log_interaction(
        session,
        org.actor(session, user),
        customer_id=customer.id,
        data=_call(_at(today, 0, 5), next_follow_up_on=today, rep_id=maker_id),
    )
    assert _who(engine) == [(maker_id, user.id)]
    [entry] = diary.timeline(session, org.actor(session, org.east_manager), customer.id)
    names = {"east_rep": "East Rep", "west_rep": "West Rep", None: None}
    assert (entry.rep_name, entry.logged_by_name) == (names[maker], user.display_name)
    assert entry.id == logged.id
    # Whoever made it, the follow-up is owed by the customer's owner.
    owners = follow_ups.list_follow_ups(session, org.actor(session, org.east_manager), due="today")
    assert [(row.customer, row.rep) for row in owners.rows] == [("Sub client", "East Sub Rep")]


def test_a_rep_logs_as_themself(session: Session, engine: Engine, org: Org, today: date) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    rep = org.actor(session, org.east_rep_user)
    for data in (_call(_at(today, 0, 5)), _call(_at(today, 0, 6), rep_id=org.east_rep.id)):
        diary.log_interaction(session, rep, customer_id=customer.id, data=data)
    assert _who(engine) == [(org.east_rep.id, org.east_rep_user.id)] * 2


@pytest.mark.parametrize(
    ("who", "maker"),
    [
        ("east_rep_user", "east_sub_rep"),  # a rep logs only their own contacts
        ("east_rep_user", None),  # a rep is always from sales
        ("east_manager", "west_rep"),  # outside the manager's teams
    ],
)
def test_nobody_logs_a_contact_as_a_rep_they_may_not_name(
    session: Session, engine: Engine, org: Org, today: date, who: str, maker: str | None
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    before = _state(engine)
    with pytest.raises(PermissionDenied):
        diary.log_interaction(
            session,
            org.actor(session, getattr(org, who)),
            customer_id=customer.id,
            data=_call(_at(today, 0, 5), rep_id=getattr(org, maker).id if maker else None),
        )
    interactions, _events, customers = _state(engine)
    assert (interactions, customers) == (before[0], before[2])
    with Session(engine) as fresh:
        denied = fresh.exec(select(AuditEvent).order_by(AuditEvent.id)).all()[before[1] :]
    assert [(event.action, event.after) for event in denied] == [
        ("access.denied", {"attempted": "interaction.log_as"})
    ]


def test_an_unknown_rep_is_explained_and_nothing_is_written(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    before = _state(engine)
    with pytest.raises(ValidationError) as raised:
        diary.log_interaction(
            session,
            org.actor(session, org.admin),
            customer_id=customer.id,
            data=_call(_at(today, 0, 5), rep_id=9_999),
        )
    assert (raised.value.msgid, raised.value.field) == ("That rep does not exist.", "rep_id")
    assert _state(engine) == before


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        (
            {"next_follow_up_on": "yesterday"},
            "The next follow-up cannot be before the contact.",
            "next_follow_up_on",
        ),
        ({"summary": "   "}, "Write what was discussed.", "summary"),
        ({"channel": "fax"}, "This value is not valid.", "channel"),
        ({"occurred_at": "tomorrow"}, "A contact cannot be logged in the future.", "occurred_at"),
        ({"occurred_at": datetime(2026, 1, 5, 10)}, "This value is not valid.", "occurred_at"),
        ({"outcome": "x" * 1001}, "Use at most {limit} characters.", "outcome"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(
    session: Session,
    engine: Engine,
    org: Org,
    today: date,
    changes: dict[str, Any],
    message: str,
    field: str,
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    contact = _at(today, 0, 5)
    named = {"yesterday": today - timedelta(days=1), "tomorrow": utcnow() + timedelta(hours=2)}
    data = _call(contact) | {key: named.get(value, value) for key, value in changes.items()}
    before = _state(engine)
    with pytest.raises(ValidationError) as raised:
        diary.log_interaction(
            session, org.actor(session, org.east_rep_user), customer_id=customer.id, data=data
        )
    assert (raised.value.msgid, raised.value.field) == (message, field)
    assert _state(engine) == before


def test_a_follow_up_on_the_day_of_the_contact_is_fine(
    session: Session, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    diary.log_interaction(
        session,
        org.actor(session, org.east_rep_user),
        customer_id=customer.id,
        data=_call(_at(today, 0, 5), next_follow_up_on=today),
    )
    assert session.exec(select(Interaction.next_follow_up_on)).one() == today


def test_an_archived_customer_gets_no_new_contact(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Gone", archived_at=utcnow())
    before = _state(engine)
    with pytest.raises(ValidationError, match="archived"):
        diary.log_interaction(
            session,
            org.actor(session, org.east_rep_user),
            customer_id=customer.id,
            data=_call(_at(today, 0, 5)),
        )
    assert _state(engine) == before


@pytest.mark.parametrize(
    ("who", "owner"), [("east_rep_user", "west_rep"), ("east_manager", "west_rep")]
)
def test_logging_on_a_customer_outside_scope_is_denied(
    session: Session, engine: Engine, org: Org, today: date, who: str, owner: str
) -> None:
    customer = make_customer(session, getattr(org, owner).id, "Theirs")
    before = _state(engine)
    with pytest.raises(PermissionDenied):
        diary.log_interaction(
            session,
            org.actor(session, getattr(org, who)),
            customer_id=customer.id,
            data=_call(_at(today, 0, 5)),
        )
    interactions, _events, customers = _state(engine)
    assert (interactions, customers) == (before[0], before[2])
    assert audit_actions(engine)[before[1] :] == ["access.denied"]


def test_the_timeline_is_newest_first_and_denied_outside_scope(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    rep = org.actor(session, org.east_rep_user)
    for hour, summary in [(9, "Morning call"), (15, "Afternoon visit")]:
        diary.log_interaction(
            session,
            rep,
            customer_id=customer.id,
            data=_call(_at(today - timedelta(days=1), hour), summary=summary),
        )
    assert [entry.summary for entry in diary.timeline(session, rep, customer.id)] == [
        "Afternoon visit",
        "Morning call",
    ]
    with pytest.raises(PermissionDenied):
        diary.timeline(session, org.actor(session, org.west_rep_user), customer.id)


def test_a_write_returns_what_it_wrote_even_from_a_session_that_expires_on_commit(
    engine: Engine, org: Org, today: date
) -> None:
    with Session(engine) as session:  # expire_on_commit, unlike the app's sessions
        customer = make_customer(session, org.east_rep.id, "Acme")
        rep = org.actor(session, org.east_rep_user)
        when = _at(today, 0, 5)
        logged = diary.log_interaction(
            session, rep, customer_id=customer.id,
            data=_call(when, next_follow_up_on=today + timedelta(days=1)),
        )  # fmt: skip
        assert (logged.summary, logged.version, logged.rep_id) == (
            "Discussed the quote", 1, org.east_rep.id,
        )  # fmt: skip
        done = follow_ups.mark_follow_up_done(session, rep, interaction_id=logged.id, version=1)
    assert (done.id, done.version) == (logged.id, 2) and done.follow_up_done_at is not None


# ---- a contact that answers an open follow-up closes it ----


def test_a_contact_that_answers_a_follow_up_closes_it_in_the_same_transaction(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    promise = make_follow_up(session, customer, today - timedelta(days=2))
    rep = org.actor(session, org.east_rep_user)
    logged = diary.log_interaction(
        session, rep, customer_id=customer.id, answers=promise.id, version=promise.version,
        data=_call(_at(today, 0, 5), next_follow_up_on=today + timedelta(days=7)),
    )  # fmt: skip
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at is not None) == (2, True)
    # The new contact's own follow-up is the one now open.
    assert follow_ups.open_follow_up(session, rep, customer.id).id == logged.id  # type: ignore[union-attr]
    assert audit_actions(engine) == [
        "interaction.follow_up_answered", "interactions.create", "customer.contacted",
    ]  # fmt: skip
    with Session(engine) as fresh:
        answered = fresh.exec(
            select(AuditEvent).where(AuditEvent.action == "interaction.follow_up_answered")
        ).one()
    assert (answered.entity, answered.entity_id) == ("interactions", promise.id)
    assert answered.before == {"follow_up_done_at": None}


def test_a_contact_that_does_not_answer_leaves_the_follow_up_open(
    session: Session, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    promise = make_follow_up(session, customer, today - timedelta(days=2))
    rep = org.actor(session, org.east_rep_user)
    diary.log_interaction(session, rep, customer_id=customer.id, data=_call(_at(today, 0, 5)))
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at) == (1, None)
    assert follow_ups.open_follow_up(session, rep, customer.id).id == promise.id  # type: ignore[union-attr]


def test_answering_a_follow_up_changed_since_the_form_opened_logs_nothing(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    promise = make_follow_up(session, customer, today)
    rep = org.actor(session, org.east_rep_user)
    follow_ups.reschedule_follow_up(
        session, rep, interaction_id=promise.id, version=1,
        data={"due_on": today + timedelta(days=1), "reason": "Asked to call tomorrow"},
    )  # fmt: skip
    before = _state(engine)
    with pytest.raises(StaleEdit):
        diary.log_interaction(
            session, rep, customer_id=customer.id, data=_call(_at(today, 0, 5)),
            answers=promise.id, version=1,
        )  # fmt: skip
    assert _state(engine) == before


@pytest.mark.parametrize(
    ("whose", "done", "message"),
    [
        ("other", False, "That follow-up belongs to another customer."),
        ("same", True, "This follow-up is already done."),
        ("earlier", False, "A contact from before the follow-up was promised cannot answer it."),
    ],
)
def test_only_an_open_follow_up_of_the_customer_can_be_answered(
    session: Session, engine: Engine, org: Org, today: date, whose: str, done: bool, message: str
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    other = make_customer(session, org.east_rep.id, "Beta")
    promise = make_follow_up(session, other if whose == "other" else customer, today, done=done)
    # The promise was made a month ago; "earlier" logs a contact from the day before that.
    when = promise.occurred_at - timedelta(days=1) if whose == "earlier" else _at(today, 0, 5)
    before = _state(engine)
    with pytest.raises(ValidationError) as raised:
        diary.log_interaction(
            session, org.actor(session, org.east_rep_user), customer_id=customer.id,
            data=_call(when), answers=promise.id, version=promise.version,
        )  # fmt: skip
    assert raised.value.msgid == message
    assert _state(engine) == before
