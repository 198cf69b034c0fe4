"""Follow-ups: the three due windows, paged; a manager's team or one rep; marking one done;
moving one to another day with the reason kept; the one a new contact would answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent, Customer, Interaction
from services.customers import diary, follow_ups
from services.customers.follow_ups import Due
from services.errors import PermissionDenied, StaleEdit, ValidationError
from services.paging import Paged
from tests.factories import Org, make_customer, make_follow_up, moved_to_west
from tests.services.helpers import StatementCounter, audit_actions, count


def _listed(found: Paged[follow_ups.FollowUp]) -> list[tuple[str, date]]:
    return [(row.customer, row.due_on) for row in found.rows]


def _due(session: Session, org: Org, user: str, due: Due, **options: Any) -> Any:
    return follow_ups.list_follow_ups(
        session, org.actor(session, getattr(org, user)), due=due, **options
    )


def _state(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Interactions, audit events, and every contact's (id, version, due, done, reason)."""
    with Session(engine) as session:
        rows = session.exec(
            select(
                Interaction.id, Interaction.version, Interaction.next_follow_up_on,
                Interaction.follow_up_done_at, Interaction.rescheduled_reason,
            ).order_by(Interaction.id)
        ).all()  # fmt: skip
    return count(engine, Interaction), count(engine, AuditEvent), [tuple(row) for row in rows]


def test_follow_ups_split_around_today(session: Session, org: Org, today: date) -> None:
    acme = make_customer(session, org.east_rep.id, "Acme")
    beta = make_customer(session, org.east_rep.id, "Beta")
    theirs = make_customer(session, org.west_rep.id, "Theirs")
    day = lambda offset: today + timedelta(days=offset)  # noqa: E731
    for customer, offset in [(beta, -1), (acme, -3), (beta, 0), (acme, 0), (acme, 14), (beta, 2)]:
        make_follow_up(session, customer, day(offset))
    make_follow_up(session, acme, day(-2), done=True)  # done: on no list
    make_follow_up(session, acme, day(15))  # beyond the two weeks ahead
    make_follow_up(session, theirs, day(-1))  # another rep's
    mine = {due: _due(session, org, "east_rep_user", due) for due in follow_ups.DUES}
    assert _listed(mine["overdue"]) == [("Acme", day(-3)), ("Beta", day(-1))]
    assert _listed(mine["today"]) == [("Acme", day(0)), ("Beta", day(0))]
    assert _listed(mine["upcoming"]) == [("Beta", day(2)), ("Acme", day(14))]
    assert [(found.total, found.page, found.pages) for found in mine.values()] == [(2, 1, 1)] * 3


def test_a_long_list_is_paged_and_a_page_past_the_end_is_the_last(
    session: Session, org: Org, today: date
) -> None:
    for number in range(5):
        make_follow_up(
            session, make_customer(session, org.east_rep.id, f"Client {number}"),
            today - timedelta(days=10 - number),
        )  # fmt: skip
    pages = [
        _due(session, org, "east_rep_user", "overdue", page=page, page_size=2) for page in (1, 2, 3)
    ]
    assert [[row.customer for row in found.rows] for found in pages] == [
        ["Client 0", "Client 1"], ["Client 2", "Client 3"], ["Client 4"],
    ]  # fmt: skip
    assert [(found.total, found.page, found.pages) for found in pages] == [
        (5, 1, 3), (5, 2, 3), (5, 3, 3),
    ]  # fmt: skip
    past = _due(session, org, "east_rep_user", "overdue", page=9, page_size=2)
    assert (past.page, [row.customer for row in past.rows]) == (3, ["Client 4"])
    nothing = _due(session, org, "east_rep_user", "today", page=4)
    assert (nothing.rows, nothing.total, nothing.page, nothing.pages) == ([], 0, 1, 1)


def test_a_page_reads_in_two_statements_however_many_follow_ups(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    counts = []
    for more in (4, 12):
        for _ in range(more):
            make_follow_up(session, make_customer(session, org.east_rep.id), today)
        with StatementCounter(engine) as counter:
            found = _due(session, org, "east_manager", "today")
        counts.append(counter.count)
        assert len(found.rows) == found.total
    assert counts[0] == counts[1]


def test_a_manager_sees_the_teams_follow_ups_or_picks_one_rep(
    session: Session, org: Org, today: date
) -> None:
    make_follow_up(session, make_customer(session, org.east_rep.id, "East client"), today)
    make_follow_up(session, make_customer(session, org.east_sub_rep.id, "Sub client"), today)
    make_follow_up(session, make_customer(session, org.west_rep.id, "West client"), today)
    everyone = _due(session, org, "east_manager", "today")
    assert [(row.customer, row.rep) for row in everyone.rows] == [
        ("East client", "East Rep"),
        ("Sub client", "East Sub Rep"),
    ]
    one = _due(session, org, "east_manager", "today", rep_id=org.east_sub_rep.id)
    assert [row.customer for row in one.rows] == ["Sub client"]
    assert _due(session, org, "admin", "today").total == 3


@pytest.mark.parametrize(
    ("who", "rep"), [("east_rep_user", "east_sub_rep"), ("east_manager", "west_rep")]
)
def test_follow_ups_of_a_rep_outside_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, rep: str
) -> None:
    with pytest.raises(PermissionDenied):
        follow_ups.list_follow_ups(
            session, org.actor(session, getattr(org, who)), due="overdue",
            rep_id=getattr(org, rep).id,
        )  # fmt: skip
    assert audit_actions(engine) == ["access.denied"]


def test_marking_a_follow_up_done_takes_it_off_the_list(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    promise = make_follow_up(session, customer, today - timedelta(days=1))
    rep = org.actor(session, org.east_rep_user)
    done = follow_ups.mark_follow_up_done(session, rep, interaction_id=promise.id, version=1)
    assert done.version == 2 and done.follow_up_done_at is not None
    assert _due(session, org, "east_rep_user", "overdue").total == 0
    assert audit_actions(engine) == ["interaction.follow_up_done"]
    with pytest.raises(StaleEdit):
        follow_ups.mark_follow_up_done(session, rep, interaction_id=promise.id, version=1)
    with pytest.raises(ValidationError, match="already done"):
        follow_ups.mark_follow_up_done(session, rep, interaction_id=promise.id, version=2)
    assert audit_actions(engine) == ["interaction.follow_up_done"]


def test_a_contact_without_follow_up_cannot_be_marked_done_or_moved(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    rep = org.actor(session, org.east_rep_user)
    logged = diary.log_interaction(
        session, rep, customer_id=customer.id,
        data={"occurred_at": datetime.now(UTC), "channel": "call", "summary": "Quote"},
    )  # fmt: skip
    before = _state(engine)
    with pytest.raises(ValidationError, match="no follow-up"):
        follow_ups.mark_follow_up_done(session, rep, interaction_id=logged.id, version=1)
    with pytest.raises(ValidationError, match="no follow-up"):
        follow_ups.reschedule_follow_up(
            session, rep, interaction_id=logged.id, version=1,
            data={"due_on": today, "reason": "Later"},
        )  # fmt: skip
    assert _state(engine) == before


@pytest.mark.parametrize(
    ("write", "extra"),
    [
        (follow_ups.mark_follow_up_done, {}),
        (follow_ups.reschedule_follow_up, {"data": {"due_on": "tomorrow", "reason": "Later"}}),
    ],
)
def test_working_another_reps_follow_up_is_denied(
    session: Session,
    engine: Engine,
    org: Org,
    today: date,
    write: Callable[..., object],
    extra: dict[str, Any],
) -> None:
    promise = make_follow_up(session, make_customer(session, org.west_rep.id, "Theirs"), today)
    for user in (org.east_rep_user, org.east_manager):
        with pytest.raises(PermissionDenied):
            write(session, org.actor(session, user), interaction_id=promise.id, version=1, **extra)
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at, promise.next_follow_up_on) == (
        1, None, today,
    )  # fmt: skip
    assert audit_actions(engine) == ["access.denied", "access.denied"]


# ---- moving a follow-up to another day ----


def test_a_follow_up_moves_to_another_day_and_keeps_why(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    customer = make_customer(session, org.east_rep.id, "Acme")
    promise = make_follow_up(session, customer, today - timedelta(days=2))
    manager = org.actor(session, org.east_manager)
    later = today + timedelta(days=5)
    moved = follow_ups.reschedule_follow_up(
        session, manager, interaction_id=promise.id, version=1,
        data={"due_on": later, "reason": "  On holiday until Monday "},
    )  # fmt: skip
    assert (moved.version, moved.next_follow_up_on, moved.rescheduled_reason) == (
        2, later, "On holiday until Monday",
    )  # fmt: skip
    assert _due(session, org, "east_manager", "overdue").total == 0
    [row] = _due(session, org, "east_manager", "upcoming").rows
    assert (row.id, row.due_on, row.rescheduled_reason) == (
        promise.id, later, "On holiday until Monday",
    )  # fmt: skip
    [entry] = diary.timeline(session, manager, customer.id)
    assert entry.rescheduled_reason == "On holiday until Monday"
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent)).one()
    assert (event.action, event.entity_id, event.before, event.after) == (
        "interaction.follow_up_rescheduled", promise.id,
        {"next_follow_up_on": (today - timedelta(days=2)).isoformat(), "rescheduled_reason": None},
        {"next_follow_up_on": later.isoformat(), "rescheduled_reason": "On holiday until Monday"},
    )  # fmt: skip
    with pytest.raises(StaleEdit):
        follow_ups.reschedule_follow_up(
            session, manager, interaction_id=promise.id, version=1,
            data={"due_on": today, "reason": "Back early"},
        )  # fmt: skip


def test_a_follow_up_can_move_to_today(session: Session, org: Org, today: date) -> None:
    promise = make_follow_up(session, make_customer(session, org.east_rep.id), today + timedelta(3))
    moved = follow_ups.reschedule_follow_up(
        session, org.actor(session, org.east_rep_user), interaction_id=promise.id, version=1,
        data={"due_on": today, "reason": "Called early"},
    )  # fmt: skip
    assert moved.next_follow_up_on == today


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "yesterday"}, "The new date cannot be in the past."),
        ({"due_on": None}, "Choose the day to move the follow-up to."),
        ({"reason": "   "}, "Give a reason for moving the follow-up."),
        ({"reason": "x" * 501}, "Use at most {limit} characters."),
        ({"due_on": "due"}, "The follow-up is already due that day."),
    ],
)
def test_bad_moves_are_explained_and_nothing_moves(
    session: Session, engine: Engine, org: Org, today: date, changes: dict[str, Any], message: str
) -> None:
    due = today + timedelta(days=2)
    promise = make_follow_up(session, make_customer(session, org.east_rep.id), due)
    named = {"yesterday": today - timedelta(days=1), "due": due}
    data = {"due_on": today + timedelta(days=4), "reason": "Customer asked"} | {
        key: named.get(value, value) if isinstance(value, str) else value
        for key, value in changes.items()
    }
    before = _state(engine)
    with pytest.raises(ValidationError) as raised:
        follow_ups.reschedule_follow_up(
            session, org.actor(session, org.east_rep_user), interaction_id=promise.id,
            version=1, data=data,
        )  # fmt: skip
    assert (raised.value.msgid, raised.value.field) == (
        message, "reason" if "reason" in changes else "due_on",
    )  # fmt: skip
    assert _state(engine) == before


def test_a_done_follow_up_cannot_be_moved(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    promise = make_follow_up(session, make_customer(session, org.east_rep.id), today, done=True)
    before = _state(engine)
    with pytest.raises(ValidationError, match="already done"):
        follow_ups.reschedule_follow_up(
            session, org.actor(session, org.east_rep_user), interaction_id=promise.id,
            version=1, data={"due_on": today + timedelta(days=1), "reason": "Later"},
        )  # fmt: skip
    assert _state(engine) == before


# ---- the follow-up a new contact would answer ----


def test_the_follow_up_to_answer_is_the_customers_open_one_due_first(
    session: Session, org: Org, today: date
) -> None:
    acme = make_customer(session, org.east_rep.id, "Acme")
    rep = org.actor(session, org.east_rep_user)
    assert follow_ups.open_follow_up(session, rep, acme.id) is None
    make_follow_up(session, acme, today - timedelta(days=9), done=True)
    make_follow_up(session, make_customer(session, org.east_rep.id, "Beta"), today - timedelta(7))
    later = make_follow_up(session, acme, today + timedelta(days=3))
    first = make_follow_up(session, acme, today - timedelta(days=1))
    found = follow_ups.open_follow_up(session, rep, acme.id)
    assert found is not None and (found.id, found.version) == (first.id, 1)
    follow_ups.mark_follow_up_done(session, rep, interaction_id=first.id, version=1)
    assert follow_ups.open_follow_up(session, rep, acme.id).id == later.id  # type: ignore[union-attr]


@pytest.mark.parametrize("who", ["east_rep_user", "east_manager"])
def test_the_follow_up_to_answer_of_a_customer_outside_scope_is_denied(
    session: Session, engine: Engine, org: Org, today: date, who: str
) -> None:
    theirs = make_customer(session, org.west_rep.id, "Theirs")
    make_follow_up(session, theirs, today)
    with pytest.raises(PermissionDenied):
        follow_ups.open_follow_up(session, org.actor(session, getattr(org, who)), theirs.id)
    assert audit_actions(engine) == ["access.denied"]


# ---- a follow-up moves with its customer ----


def test_the_former_owner_can_no_longer_mark_a_moved_follow_up_done(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    promise = work.follow_up
    for user in ("east_rep_user", "east_manager"):
        actor = org.actor(session, getattr(org, user))
        assert _due(session, org, user, "today").total == 0
        before = _state(engine)
        with pytest.raises(PermissionDenied):
            follow_ups.mark_follow_up_done(
                session, actor, interaction_id=promise.id, version=promise.version
            )
        interactions, events, rows = _state(engine)
        assert (interactions, events, rows) == (before[0], before[1] + 1, before[2])
        assert audit_actions(engine)[-1] == "access.denied"
    session.refresh(promise)
    assert (promise.version, promise.follow_up_done_at) == (1, None)


def test_the_new_owner_sees_the_moved_follow_up_and_marks_it_done(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    work = moved_to_west(session, org, today)
    due = _due(session, org, "west_rep_user", "today")
    assert [(row.id, row.rep) for row in due.rows] == [(work.follow_up.id, "West Rep")]
    assert _due(session, org, "west_manager", "today").total == 1
    rep = org.actor(session, org.west_rep_user)
    done = follow_ups.mark_follow_up_done(session, rep, interaction_id=work.follow_up.id, version=1)
    assert done.follow_up_done_at is not None
    # The contact itself stays East Rep's: they made it.
    assert done.rep_id == org.east_rep.id
    assert audit_actions(engine)[-1] == "interaction.follow_up_done"
    assert session.get(Customer, work.customer.id).owner_rep_id == org.west_rep.id  # type: ignore[union-attr]
