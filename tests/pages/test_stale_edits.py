"""One stale-edit mechanism for every form (`ui/edits`): two sessions open the same record,
the first saves, the second's save is refused with the translated message, the record keeps
the first user's values and nothing more is written. And a user's own writes never make
their next save look like someone else's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import (
    AuditEvent,
    Complaint,
    Customer,
    Deal,
    Goal,
    GoalRevision,
    Interaction,
    Rep,
)
from services import settings
from services.access import build_actor
from services.customers import complaints
from services.goals import records as goals
from services.i18n import translate
from services.periods import PeriodKind, containing
from services.pipeline.deals import DealFile
from services.unit_of_work import unit_of_work
from tests.factories import goal_data, open_a_deal, promise_a_follow_up
from tests.pages.conftest import by_label, errors, user_named

STALE = (
    "Someone else changed this record since you opened it. Reload it and make your change again."
)
Opener = Callable[..., AppTest]


@pytest.fixture
def open_page(logged_in: Callable[..., AppTest]) -> Opener:
    def opener(username: str, page: str, locale: str = "en", **query: str) -> AppTest:
        at = logged_in(username)
        by_label(at.selectbox, "Language / 语言").select(locale).run()
        at.query_params.update(query)
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return opener


def _audits(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def _row(engine: Engine, model: type, row_id: int) -> Any:
    with Session(engine) as session:
        return session.get(model, row_id)


def _in_form(elements, form: str) -> list:  # type: ignore[no-untyped-def]
    return [element for element in elements if (element.form_id or "").startswith(form)]


def _click(at: AppTest, label: str, form: str | None = None) -> AppTest:
    buttons = _in_form(at.button, form) if form else at.button
    by_label(buttons, label).click().run()
    assert not at.exception, at.exception
    return at


def _refused(engine: Engine, at: AppTest, act: Callable[[AppTest], Any]) -> None:
    """`act` on a stale session: the message, a Reload button and no write at all."""
    before = _audits(engine)
    act(at)
    assert STALE in errors(at), errors(at)
    assert any(button.label == "Reload" for button in at.button)
    assert _audits(engine) == before


# ---- goals: revise, edit, archive ----


@pytest.fixture
def goal(demo_app: Engine) -> Goal:
    """A revenue goal of "rep" for a month two years ahead, made by their manager."""
    with Session(demo_app) as session:
        manager = build_actor(session, user_named(demo_app, "manager"))
        owner = session.get(Rep, user_named(demo_app, "rep").rep_id)
        month = containing(PeriodKind.MONTH, settings.office_today(session) + timedelta(days=730))
        made = goals.create(session, manager, data=goal_data(owner, month, title="Stale test"))
    return _row(demo_app, Goal, made.id)


def _revise(at: AppTest, target: str, reason: str) -> AppTest:
    [box] = _in_form(at.text_input, "goal__revise_")
    box.input(target)
    by_label(_in_form(at.text_area, "goal__revise_"), "Reason").input(reason)
    return _click(at, "Save revision", "goal__revise_")


def _revisions(engine: Engine, goal_id: int) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(GoalRevision)
        return session.exec(query.where(GoalRevision.goal_id == goal_id)).one()


def test_a_target_revised_meanwhile_is_not_overwritten(
    demo_app: Engine, open_page: Opener, goal: Goal
) -> None:
    first = open_page("admin", "pages/goal_page.py", id=str(goal.id))
    second = open_page("manager", "pages/goal_page.py", id=str(goal.id))
    _revise(first, "60000", "Bigger launch")
    assert errors(first) == []
    assert _revisions(demo_app, goal.id) == 1

    _refused(demo_app, second, lambda at: _revise(at, "70000", "Mine"))
    saved = _row(demo_app, Goal, goal.id)
    assert (saved.target, saved.version) == (6_000_000, goal.version + 1)
    assert _revisions(demo_app, goal.id) == 1

    # Reload opens what is stored now, and the revision goes through.
    _click(second, "Reload")
    _revise(second, "70000", "Mine")
    assert errors(second) == []
    assert _row(demo_app, Goal, goal.id).target == 7_000_000


def _edit_goal(at: AppTest, **fields: str) -> AppTest:
    for label, value in fields.items():
        boxes = _in_form(at.text_input, "goal__edit_") + _in_form(at.text_area, "goal__edit_")
        by_label(boxes, label).input(value)
    return _click(at, "Save", "goal__edit_")


def test_a_goal_edited_or_archived_from_a_stale_page_is_refused(
    demo_app: Engine, open_page: Opener, goal: Goal
) -> None:
    first = open_page("admin", "pages/goal_page.py", id=str(goal.id))
    second = open_page("manager", "pages/goal_page.py", id=str(goal.id))
    _edit_goal(first, Title="Launch month")
    assert errors(first) == []

    _refused(demo_app, second, lambda at: _edit_goal(at, Description="Typed meanwhile"))
    _refused(demo_app, second, lambda at: _click(at, "Archive goal"))
    saved = _row(demo_app, Goal, goal.id)
    assert (saved.title, saved.archived_at) == ("Launch month", None)
    assert saved.description == goal.description


def test_own_saves_never_look_stale(demo_app: Engine, open_page: Opener, goal: Goal) -> None:
    at = open_page("manager", "pages/goal_page.py", id=str(goal.id))
    _edit_goal(at, Title="First words")
    at.run()
    _revise(at, "55000", "Second thoughts")
    at.run()
    _click(at, "Archive goal")
    assert errors(at) == []
    saved = _row(demo_app, Goal, goal.id)
    assert (saved.title, saved.target, saved.version) == (
        "First words",
        5_500_000,
        goal.version + 3,
    )
    assert saved.archived_at is not None


def test_the_refusal_is_in_the_users_language(
    demo_app: Engine, open_page: Opener, goal: Goal
) -> None:
    first = open_page("admin", "pages/goal_page.py", id=str(goal.id))
    second = open_page("manager", "pages/goal_page.py", "zh_CN", id=str(goal.id))
    _edit_goal(first, Title="Launch month")
    [title] = _in_form(second.text_input, "goal__edit_")
    title.input("mine")
    _click(second, translate("zh_CN", "Save"), "goal__edit_")
    assert translate("zh_CN", STALE) in errors(second)
    assert _row(demo_app, Goal, goal.id).title == "Launch month"


# ---- customers, contacts, deals, complaints, follow-ups ----


@pytest.fixture
def deal(demo_app: Engine) -> DealFile:
    """A new lead of a new customer of "rep", filed by "rep"."""
    with Session(demo_app) as session:
        return open_a_deal(session, "rep", title="Stale lead")


def _customer_form(customer_id: int) -> str:
    return f"customer__edit_{customer_id}"


def _edit_city(at: AppTest, customer_id: int, city: str) -> AppTest:
    form = _customer_form(customer_id)
    by_label(_in_form(at.text_input, form), "City").input(city)
    return _click(at, "Save changes", form)


def test_a_customer_edited_meanwhile_is_not_overwritten(
    demo_app: Engine, open_page: Opener, deal: DealFile
) -> None:
    customer_id = deal.customer_id
    first = open_page("rep", "pages/customer_page.py", id=str(customer_id))
    second = open_page("manager", "pages/customer_page.py", id=str(customer_id))
    _edit_city(first, customer_id, "Suzhou")
    assert errors(first) == []

    _refused(demo_app, second, lambda at: _edit_city(at, customer_id, "Ningbo"))
    _refused(demo_app, second, lambda at: _click(at, "Archive customer"))
    saved = _row(demo_app, Customer, customer_id)
    assert (saved.city, saved.archived_at) == ("Suzhou", None)
    # Reload reopens the form with what is stored now, and the edit goes through.
    _click(second, "Reload")
    assert by_label(_in_form(second.text_input, _customer_form(customer_id)), "City").value == (
        "Suzhou"
    )
    _edit_city(second, customer_id, "Ningbo")
    assert errors(second) == []
    assert _row(demo_app, Customer, customer_id).city == "Ningbo"


def test_a_contact_the_user_logged_does_not_make_their_edit_stale(
    demo_app: Engine, open_page: Opener, deal: DealFile
) -> None:
    customer_id = deal.customer_id
    at = open_page("rep", "pages/customer_page.py", id=str(customer_id))
    version = _row(demo_app, Customer, customer_id).version
    at.text_area(key=f"customer__contact_{customer_id}_summary").input("Called about prices")
    _click(at, "Log contact")
    at.run()
    # Logging the contact moved the customer's version: the user's own change.
    assert _row(demo_app, Customer, customer_id).version == version + 1
    _edit_city(at, customer_id, "Hangzhou")
    assert errors(at) == []
    assert _row(demo_app, Customer, customer_id).city == "Hangzhou"


def test_a_deal_edited_meanwhile_is_not_moved_or_overwritten(
    demo_app: Engine, open_page: Opener, deal: DealFile
) -> None:
    page = "pages/pipeline_page.py"
    first, second = open_page("rep", page), open_page("manager", page)
    for at in (first, second):
        at.selectbox(key="pipeline__dated__en").select("any").run()
        at.selectbox(key="pipeline__stage__en").select("lead").run()
        at.selectbox(key="pipeline__deals__chosen").select(deal.id).run()
    opened = f"pipeline__deals__{{}}_{deal.id}_{deal.version}"
    first.text_input(key=f"{opened.format('edit')}__title").input("Renamed lead")
    _click(first, "Save changes")
    assert errors(first) == []

    def move(at: AppTest) -> None:
        at.selectbox(key=f"{opened.format('move')}__stage").select("lost").run()
        at.text_input(key=f"{opened.format('move')}__reason").input("Chose a competitor")
        _click(at, "Move the deal")

    _refused(demo_app, second, move)
    _refused(demo_app, second, lambda at: _click(at, "Archive the deal"))
    saved = _row(demo_app, Deal, deal.id)
    assert (saved.stage, saved.title, saved.archived_at) == ("lead", "Renamed lead", None)
    # Reload reopens the deal's forms with what is stored now.
    _click(second, "Reload")
    reopened = f"pipeline__deals__edit_{deal.id}_{saved.version}__title"
    assert second.text_input(key=reopened).value == "Renamed lead"


@pytest.fixture
def complaint(demo_app: Engine, deal: DealFile) -> dict[str, Any]:
    with Session(demo_app) as session:
        rep = build_actor(session, user_named(demo_app, "rep"))
        data = {
            "opened_on": settings.office_today(session),
            "category": "Quality",
            "severity": "high",
            "description": "Two units arrived broken.",
        }
        complaints.open_complaint(session, rep, customer_id=deal.customer_id, data=data)
        query = select(Complaint).where(Complaint.customer_id == deal.customer_id)
        return session.exec(query).one().model_dump()


def test_a_complaint_started_meanwhile_is_not_resolved_from_a_stale_page(
    demo_app: Engine, open_page: Opener, deal: DealFile, complaint: dict[str, Any]
) -> None:
    query = {"id": str(deal.customer_id)}
    first = open_page("rep", "pages/customer_page.py", **query)
    second = open_page("manager", "pages/customer_page.py", **query)
    _click(first, "Start work on it")
    assert errors(first) == []

    def resolve(at: AppTest) -> None:
        at.text_area(key=f"customer__resolve_{complaint['id']}_text").input("Replaced both.")
        _click(at, "Resolve")

    _refused(demo_app, second, resolve)
    saved = _row(demo_app, Complaint, complaint["id"])
    assert (saved.status, saved.resolution) == ("in_progress", None)


def test_a_follow_up_changed_meanwhile_is_refused(demo_app: Engine, open_page: Opener) -> None:
    rep_id = user_named(demo_app, "rep").rep_id
    assert rep_id is not None
    with Session(demo_app) as session:
        contact_id = promise_a_follow_up(session, rep_id, settings.office_today(session))
    at = open_page("manager", "pages/follow_ups_page.py")
    # Meanwhile a colleague's write changes the contact, which stays open.
    with Session(demo_app) as session:
        admin = build_actor(session, user_named(demo_app, "admin"))
        with unit_of_work(session, admin) as uow:
            contact = uow.load(Interaction, contact_id, version=None)
            uow.change(contact, {"outcome": "Changed meanwhile"})
    _refused(demo_app, at, lambda at: at.button(key=f"follow_ups__done_{contact_id}").click().run())
    assert _row(demo_app, Interaction, contact_id).follow_up_done_at is None


# ---- users, bulk targets ----


def test_a_user_edited_meanwhile_is_not_overwritten(demo_app: Engine, open_page: Opener) -> None:
    target = user_named(demo_app, "rep2")
    first = open_page("admin", "pages/users_page.py")
    second = open_page("admin", "pages/users_page.py")
    for at in (first, second):
        by_label(at.selectbox, "User").set_value(target.id).run()
    by_label(_in_form(first.text_input, "users__edit"), "Display name").input("First name")
    _click(first, "Save changes", "users__edit")
    assert errors(first) == []

    def rename(at: AppTest) -> None:
        by_label(_in_form(at.text_input, "users__edit"), "Display name").input("Second name")
        _click(at, "Save changes", "users__edit")

    _refused(demo_app, second, rename)
    _refused(demo_app, second, lambda at: _click(at, "Deactivate user"))
    saved = user_named(demo_app, "rep2")
    assert (saved.display_name, saved.active) == ("First name", True)


def _type_target(at: AppTest, row: int, target: float) -> None:
    at.session_state[at.data_editor[0].key] = {
        "edited_rows": {row: {"target": target}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.text_input(key="targets__reason").input("Spring push")
    _click(at, "Save targets")


def test_a_target_saved_meanwhile_in_the_grid_is_not_overwritten(
    demo_app: Engine, open_page: Opener
) -> None:
    first = open_page("manager", "pages/targets_page.py")
    second = open_page("manager", "pages/targets_page.py")
    _type_target(first, 0, 123_456)
    assert errors(first) == []
    with Session(demo_app) as session:
        [goal_id] = session.exec(
            select(Goal.id).where(col(Goal.target) == 12_345_600, col(Goal.archived_at).is_(None))
        ).all()
    before = _revisions(demo_app, goal_id)

    before_audits = _audits(demo_app)
    _type_target(second, 0, 654_321)
    assert any(STALE in message for message in errors(second)), errors(second)
    assert _audits(demo_app) == before_audits
    assert _row(demo_app, Goal, goal_id).target == 12_345_600
    assert _revisions(demo_app, goal_id) == before
