"""The diary: logging contacts, the last-contact day, My follow-ups, marking one done."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Interaction
from models.base import utcnow
from models.enums import Channel
from services.customers import diary
from services.errors import PermissionDenied, StaleEdit, ValidationError
from tests.factories import Org, make_customer, moved_to_west
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
    owners = diary.my_follow_ups(session, org.actor(session, org.east_manager)).today
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


def _promise(session: Session, customer: Customer, due: date, *, done: bool = False) -> Interaction:
    interaction = Interaction(
        customer_id=customer.id,
        rep_id=customer.owner_rep_id,
        occurred_at=utcnow() - timedelta(days=30),
        channel=Channel.CALL,
        summary=f"Promised for {due}",
        next_follow_up_on=due,
        follow_up_done_at=utcnow() if done else None,
    )
    session.add(interaction)
    session.commit()
    return interaction


def _customers_of(items: Any) -> list[tuple[str, date]]:
    return [(row.customer, row.due_on) for row in items.rows]


def test_my_follow_ups_split_around_today(session: Session, org: Org, today: date) -> None:
    acme = make_customer(session, org.east_rep.id, "Acme")
    beta = make_customer(session, org.east_rep.id, "Beta")
    theirs = make_customer(session, org.west_rep.id, "Theirs")
    day = lambda offset: today + timedelta(days=offset)  # noqa: E731
    for customer, offset in [(beta, -1), (acme, -3), (beta, 0), (acme, 0), (acme, 14), (beta, 2)]:
        _promise(session, customer, day(offset))
    _promise(session, acme, day(-2), done=True)  # done: on no list
    _promise(session, acme, day(15))  # beyond the two weeks ahead
    _promise(session, theirs, day(-1))  # another rep's
    mine = diary.my_follow_ups(session, org.actor(session, org.east_rep_user))
    assert _customers_of(mine.overdue) == [("Acme", day(-3)), ("Beta", day(-1))]
    assert _customers_of(mine.today) == [("Acme", day(0)), ("Beta", day(0))]
    assert _customers_of(mine.upcoming) == [("Beta", day(2)), ("Acme", day(14))]
    assert (mine.overdue.total, mine.today.total, mine.upcoming.total) == (2, 2, 2)
    first = diary.my_follow_ups(session, org.actor(session, org.east_rep_user), limit=1)
    assert (first.overdue.total, _customers_of(first.overdue)) == (2, [("Acme", day(-3))])


def test_a_manager_sees_the_teams_follow_ups_or_picks_one_rep(
    session: Session, org: Org, today: date
) -> None:
    _promise(session, make_customer(session, org.east_rep.id, "East client"), today)
    _promise(session, make_customer(session, org.east_sub_rep.id, "Sub client"), today)
    _promise(session, make_customer(session, org.west_rep.id, "West client"), today)
    manager = org.actor(session, org.east_manager)
    everyone = diary.my_follow_ups(session, manager).today
    assert [(row.customer, row.rep) for row in everyone.rows] == [
        ("East client", "East Rep"),
        ("Sub client", "East Sub Rep"),
    ]
    one = diary.my_follow_ups(session, manager, rep_id=org.east_sub_rep.id).today
    assert [row.customer for row in one.rows] == ["Sub client"]
    admin = diary.my_follow_ups(session, org.actor(session, org.admin)).today
    assert admin.total == 3


@pytest.mark.parametrize(
    ("who", "rep"), [("east_rep_user", "east_sub_rep"), ("east_manager", "west_rep")]
)
def test_follow_ups_of_a_rep_outside_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, rep: str
) -> None:
    with pytest.raises(PermissionDenied):
        diary.my_follow_ups(
            session, org.actor(session, getattr(org, who)), rep_id=getattr(org, rep).id
        )
    assert audit_actions(engine) == ["access.denied"]


def test_marking_a_follow_up_done_takes_it_off_the_list(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    promise = _promise(
        session, make_customer(session, org.east_rep.id, "Acme"), today - timedelta(days=1)
    )
    rep = org.actor(session, org.east_rep_user)
    done = diary.mark_follow_up_done(session, rep, interaction_id=promise.id, version=1)
    assert done.version == 2 and done.follow_up_done_at is not None
    assert diary.my_follow_ups(session, rep).overdue.total == 0
    assert audit_actions(engine) == ["interaction.follow_up_done"]
    with pytest.raises(StaleEdit):
        diary.mark_follow_up_done(session, rep, interaction_id=promise.id, version=1)
    with pytest.raises(ValidationError, match="already done"):
        diary.mark_follow_up_done(session, rep, interaction_id=promise.id, version=2)
    assert audit_actions(engine) == ["interaction.follow_up_done"]


def test_a_contact_without_follow_up_cannot_be_marked_done(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    rep = org.actor(session, org.east_rep_user)
    logged = diary.log_interaction(
        session, rep, customer_id=customer.id, data=_call(_at(today, 0, 1))
    )
    before = _state(engine)
    with pytest.raises(ValidationError, match="no follow-up"):
        diary.mark_follow_up_done(session, rep, interaction_id=logged.id, version=1)
    assert _state(engine) == before


def test_marking_another_reps_follow_up_is_denied(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    promise = _promise(session, make_customer(session, org.west_rep.id, "Theirs"), today)
    for user in (org.east_rep_user, org.east_manager):
        with pytest.raises(PermissionDenied):
            diary.mark_follow_up_done(
                session, org.actor(session, user), interaction_id=promise.id, version=1
            )
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at) == (1, None)
    assert audit_actions(engine) == ["access.denied", "access.denied"]


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


# ---- a follow-up moves with its customer ----


def test_the_former_owner_can_no_longer_mark_a_moved_follow_up_done(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    promise = work.follow_up
    for user in (org.east_rep_user, org.east_manager):
        actor = org.actor(session, user)
        assert diary.my_follow_ups(session, actor).today.total == 0
        before = _state(engine)
        with pytest.raises(PermissionDenied):
            diary.mark_follow_up_done(
                session, actor, interaction_id=promise.id, version=promise.version
            )
        interactions, events, customers = _state(engine)
        assert (interactions, events, customers) == (before[0], before[1] + 1, before[2])
        assert audit_actions(engine)[-1] == "access.denied"
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at) == (1, None)


def test_the_new_owner_sees_the_moved_follow_up_and_marks_it_done(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    rep = org.actor(session, org.west_rep_user)
    due = diary.my_follow_ups(session, rep).today
    assert [(row.id, row.rep) for row in due.rows] == [(work.follow_up.id, "West Rep")]
    west_manager = diary.my_follow_ups(session, org.actor(session, org.west_manager))
    assert west_manager.today.total == 1
    done = diary.mark_follow_up_done(session, rep, interaction_id=work.follow_up.id, version=1)
    assert done.follow_up_done_at is not None
    # The contact itself stays East Rep's: they made it.
    assert done.rep_id == org.east_rep.id
    assert audit_actions(engine)[-1] == "interaction.follow_up_done"


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
        done = diary.mark_follow_up_done(session, rep, interaction_id=logged.id, version=1)
    assert (done.id, done.version) == (logged.id, 2) and done.follow_up_done_at is not None
