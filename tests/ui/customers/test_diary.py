"""ui/customers/diary.py: the timeline shows who made and logged each contact and why a
follow-up was moved, the log form offers a manager the choice of maker, refuses bad input in
the user's language, and asks whether the contact answers the customer's open follow-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from babel import dates
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import Customer, Interaction
from services import settings
from services.access import Actor
from services.customers import diary, follow_ups
from services.errors import StaleEdit
from services.i18n import translate
from tests.factories import Org, make_customer, make_follow_up
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui.feedback import FLASH_KEY


def _timeline(entries: list) -> None:  # the body runs as a script: builtins only
    from ui.customers.diary import contact_timeline

    contact_timeline(entries)


def _log_form(customer_id: int) -> None:
    from services.customers import records as customers
    from ui import runtime
    from ui.customers.diary import log_contact_form

    log_contact_form(runtime.call(customers.get, customer_id))


def _run(started: Any) -> AppTest:
    """Run the app (an AppTest, or a widget just used in it) and check it did not fail."""
    at = started.run()
    assert not at.exception, at.exception
    return at


def _contacts(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Interaction)).one()


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _actor(engine: Engine, org: Org, who: str) -> Actor:
    with Session(engine) as session:
        return org.actor(session, getattr(org, who))


def _customer_id(engine: Engine, org: Org, name: str = "Acme") -> int:
    with Session(engine) as session:
        made = make_customer(session, org.east_rep.id, name)
        assert made.id is not None
        return made.id


def test_the_timeline_names_who_made_and_who_logged_each_contact(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    with Session(app_env, expire_on_commit=False) as session:
        manager, rep = (org.actor(session, user) for user in (org.east_manager, org.east_rep_user))
        now = datetime.now(UTC)
        diary.log_interaction(session, manager, customer_id=customer_id, data={
            "occurred_at": now - timedelta(hours=2), "channel": "visit", "summary": "Site tour",
            "rep_id": None,
        })  # fmt: skip
        diary.log_interaction(session, rep, customer_id=customer_id, data={
            "occurred_at": now, "channel": "call", "summary": "Quote", "outcome": "Interested",
            "next_follow_up_on": settings.office_today(session) + timedelta(days=3),
        })  # fmt: skip
        entries = diary.timeline(session, manager, customer_id)
    at = _run(piece(_timeline, entries, locale="zh_CN"))
    zh = lambda text: translate("zh_CN", text)  # noqa: E731
    table = at.dataframe[0].value
    assert list(table[zh("Summary")]) == ["Quote", "Site tour"]  # the newest first
    assert list(table[zh("Channel")]) == [zh("Call"), zh("Visit")]
    assert list(table[zh("Rep")]) == ["East Rep", zh("Nobody from sales")]
    assert list(table[zh("Logged by")]) == ["Eastrep", "Eastboss"]
    assert list(table[zh("Outcome")]) == ["Interested", ""]
    assert table[zh("Next follow-up")][1] == ""  # none planned
    assert table[zh("Next follow-up")][0] != ""
    assert zh("Why it was moved") not in table.columns  # nothing was moved


def test_the_timeline_says_why_a_follow_up_was_moved(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    with Session(app_env, expire_on_commit=False) as session:
        rep = org.actor(session, org.east_rep_user)
        today = settings.office_today(session)
        promise = make_follow_up(session, session.get(Customer, customer_id), today)
        follow_ups.reschedule_follow_up(
            session, rep, interaction_id=promise.id, version=1,
            data={"due_on": today + timedelta(days=2), "reason": "On a trip"},
        )  # fmt: skip
        diary.log_interaction(session, rep, customer_id=customer_id, data={
            "occurred_at": datetime.now(UTC), "channel": "call", "summary": "Quote",
        })  # fmt: skip
        entries = diary.timeline(session, rep, customer_id)
    table = _run(piece(_timeline, entries)).dataframe[0].value
    assert list(table["Why it was moved"]) == ["", "On a trip"]


def test_an_empty_timeline_says_so(app_env: Engine) -> None:
    at = _run(piece(_timeline, []))
    assert [info.value for info in at.info] == ["No contact logged yet."]
    assert len(at.dataframe) == 0


def test_a_manager_chooses_who_made_the_contact_a_rep_does_not(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    manager = _run(piece(_log_form, customer_id, actor=_actor(app_env, org, "east_manager")))
    maker = by_label(manager.selectbox, "Made by")
    # Nobody from sales first and chosen, so nobody is credited by accident.
    assert (maker.options, maker.value) == (["Nobody from sales", "East Rep", "East Sub Rep"], 0)
    rep = _run(piece(_log_form, customer_id, actor=_actor(app_env, org, "east_rep_user")))
    assert "Made by" not in [box.label for box in rep.selectbox]


def test_a_contact_without_a_summary_is_refused_in_the_users_language(
    app_env: Engine, org: Org
) -> None:
    customer_id = _customer_id(app_env, org)
    rep = _actor(app_env, org, "east_rep_user")
    at = _run(piece(_log_form, customer_id, actor=rep, locale="zh_CN"))
    _run(by_label(at.button, translate("zh_CN", "Log contact")).click())
    assert [error.value for error in at.error] == [translate("zh_CN", "Write what was discussed.")]
    assert _contacts(app_env) == 0

    at.text_area(key=f"customer__contact_{customer_id}_summary").input("Called back")
    _run(by_label(at.button, translate("zh_CN", "Log contact")).click())
    assert _contacts(app_env) == 1
    assert at.session_state[FLASH_KEY] == translate("zh_CN", "The contact was logged.")


def _promised(engine: Engine, org: Org, customer_id: int, days_late: int) -> tuple[int, date]:
    """An open follow-up of the customer `days_late` days overdue: its id and due day."""
    with Session(engine, expire_on_commit=False) as session:
        due = settings.office_today(session) - timedelta(days=days_late)
        promise = make_follow_up(session, session.get(Customer, customer_id), due)
    assert promise.id is not None
    return promise.id, due


def _done(engine: Engine, interaction_id: int) -> bool:
    with Session(engine) as session:
        return session.get(Interaction, interaction_id).follow_up_done_at is not None  # type: ignore[union-attr]


def test_a_contact_answers_the_open_follow_up_unless_unticked(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    first, first_due = _promised(app_env, org, customer_id, 3)
    second, second_due = _promised(app_env, org, customer_id, 1)
    rep = _actor(app_env, org, "east_rep_user")
    at = _run(piece(_log_form, customer_id, actor=rep))
    box = at.checkbox(key=f"customer__contact_{customer_id}_answers_{first}")
    # The one due first, ticked by default.
    day = dates.format_date(first_due, format="medium", locale="en")
    assert (box.label, box.value) == (f"This answers the follow-up due {day}", True)
    at.text_area(key=f"customer__contact_{customer_id}_summary").input("Called back")
    _run(by_label(at.button, "Log contact").click())
    assert (_contacts(app_env), _done(app_env, first), _done(app_env, second)) == (3, True, False)
    assert at.session_state[FLASH_KEY] == (
        f"The contact was logged and the follow-up due {day} is done."
    )

    at = _run(piece(_log_form, customer_id, actor=rep))
    box = at.checkbox(key=f"customer__contact_{customer_id}_answers_{second}")
    assert box.label.endswith(dates.format_date(second_due, format="medium", locale="en"))
    box.uncheck()
    at.text_area(key=f"customer__contact_{customer_id}_summary").input("About a complaint")
    _run(by_label(at.button, "Log contact").click())
    assert (_contacts(app_env), _done(app_env, second)) == (4, False)
    assert at.session_state[FLASH_KEY] == "The contact was logged."


def test_without_an_open_follow_up_the_form_does_not_ask(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    at = _run(piece(_log_form, customer_id, actor=_actor(app_env, org, "east_rep_user")))
    assert len(at.checkbox) == 0


def test_a_follow_up_moved_meanwhile_is_not_answered_by_surprise(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    promise, due = _promised(app_env, org, customer_id, 1)
    rep = _actor(app_env, org, "east_rep_user")
    at = _run(piece(_log_form, customer_id, actor=rep))
    with Session(app_env) as session:  # another tab moves it after the form opened
        follow_ups.reschedule_follow_up(
            session, rep, interaction_id=promise, version=1,
            data={"due_on": due + timedelta(days=5), "reason": "Asked to wait"},
        )  # fmt: skip
    at.text_area(key=f"customer__contact_{customer_id}_summary").input("Called back")
    _run(by_label(at.button, "Log contact").click())
    assert (_contacts(app_env), _done(app_env, promise)) == (1, False)
    assert [error.value for error in at.error] == [translate("en", StaleEdit().msgid)]
    assert "Reload" in [button.label for button in at.button]
