"""The customer page's diary, surveys and complaints, used the way a rep uses them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import Complaint, Customer, Interaction, Survey, User
from services.access import build_actor
from services.customers import records as customers
from tests.factories import promise_a_follow_up
from tests.pages.conftest import by_label, errors, office_today


def _first_customer_of(engine: Engine, username: str) -> Customer:
    with Session(engine) as session:
        rep_id = session.exec(select(User.rep_id).where(User.username == username)).one()
        return session.exec(
            select(Customer)
            .where(Customer.owner_rep_id == rep_id, col(Customer.archived_at).is_(None))
            .order_by(col(Customer.id))
        ).first()


def _count(engine: Engine, model: type, customer_id: int) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(model).where(model.customer_id == customer_id)
        return session.exec(query).one()


@pytest.fixture
def customer(demo_app: Engine) -> Customer:
    return _first_customer_of(demo_app, "rep")


@pytest.fixture
def page(logged_in: Callable[..., AppTest], customer: Customer) -> AppTest:
    """The rep's customer page, in English."""
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params["id"] = str(customer.id)
    at.switch_page("pages/customer_page.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, label: str) -> list[str]:
    """Click `label` and return the success messages the saved form flashed."""
    by_label(at.button, label).click().run()
    assert not at.exception, at.exception
    flashed = [success.value for success in at.success]
    # AppTest drops widget events in the run right after one that ended in st.rerun().
    at.run()
    return flashed


def test_a_rep_logs_a_call_and_sees_it_on_the_timeline(
    page: AppTest, demo_app: Engine, customer: Customer
) -> None:
    prefix = f"customer__contact_{customer.id}_"
    today = office_today(demo_app)
    before = _count(demo_app, Interaction, customer.id)
    page.text_area(key=f"{prefix}summary").input("Called about the spring order")
    page.text_input(key=f"{prefix}outcome").input("Sends the quote on Friday")
    page.date_input(key=f"{prefix}follow_up").set_value(today + timedelta(days=3))
    # Whether the demo left this customer a follow-up open, this contact does not answer it.
    for box in page.checkbox:
        if box.key.startswith(f"{prefix}answers_"):
            box.uncheck()
    assert "The contact was logged." in _submit(page, "Log contact")
    [timeline] = [frame.value for frame in page.dataframe if "Summary" in frame.value]
    assert timeline["Summary"].iloc[0] == "Called about the spring order"
    assert timeline["Channel"].iloc[0] == "Call"
    assert _count(demo_app, Interaction, customer.id) == before + 1
    with Session(demo_app) as session:
        logged = session.exec(
            select(Interaction).order_by(col(Interaction.id).desc()).limit(1)
        ).one()
        stored = session.get(Customer, customer.id)
    assert (logged.rep_id, logged.next_follow_up_on) == (
        customer.owner_rep_id,
        today + timedelta(days=3),
    )
    assert stored is not None and stored.last_contact_on == today
    # The form is empty again for the next contact.
    assert page.text_area(key=f"{prefix}summary").value == ""


def test_a_contact_closes_the_follow_up_it_answers(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    with Session(demo_app) as session:
        rep_id = session.exec(select(User.rep_id).where(User.username == "rep")).one()
        assert rep_id is not None
        promised = promise_a_follow_up(session, rep_id, office_today(demo_app))
        customer_id = session.get(Interaction, promised).customer_id  # type: ignore[union-attr]
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params["id"] = str(customer_id)
    at.switch_page("pages/customer_page.py").run()
    prefix = f"customer__contact_{customer_id}_"
    box = at.checkbox(key=f"{prefix}answers_{promised}")
    assert box.value is True and box.label.startswith("This answers the follow-up due ")
    at.text_area(key=f"{prefix}summary").input("Sent the quote as promised")
    [flashed] = _submit(at, "Log contact")
    assert flashed.startswith("The contact was logged and the follow-up due ")
    with Session(demo_app) as session:
        answered = session.get(Interaction, promised)
    assert answered is not None and answered.follow_up_done_at is not None
    assert _count(demo_app, Interaction, customer_id) == 2


def test_a_follow_up_before_the_contact_is_explained_and_nothing_is_written(
    page: AppTest, demo_app: Engine, customer: Customer
) -> None:
    prefix = f"customer__contact_{customer.id}_"
    today = office_today(demo_app)
    before = _count(demo_app, Interaction, customer.id)
    page.text_area(key=f"{prefix}summary").input("Visited the plant")
    page.date_input(key=f"{prefix}follow_up").set_value(today - timedelta(days=1))
    by_label(page.button, "Log contact").click().run()
    assert "The next follow-up cannot be before the contact." in errors(page)
    assert _count(demo_app, Interaction, customer.id) == before
    # What the rep typed stays, to correct it.
    assert page.text_area(key=f"{prefix}summary").value == "Visited the plant"


def test_a_rep_adds_a_survey(page: AppTest, demo_app: Engine, customer: Customer) -> None:
    prefix = f"customer__survey_{customer.id}_"
    before = _count(demo_app, Survey, customer.id)
    page.number_input(key=f"{prefix}score").set_value(5)
    page.selectbox(key=f"{prefix}nps").select(9)
    page.text_area(key=f"{prefix}comment").input("Fast delivery")
    assert "The survey was added." in _submit(page, "Add survey")
    assert _count(demo_app, Survey, customer.id) == before + 1
    with Session(demo_app) as session:
        survey = session.exec(select(Survey).order_by(col(Survey.id).desc()).limit(1)).one()
    assert (survey.score, survey.nps, survey.comment) == (5, 9, "Fast delivery")
    [table] = [frame.value for frame in page.dataframe if "Score" in frame.value]
    assert "Fast delivery" in list(table["Comment"])


def test_a_rep_opens_starts_and_resolves_a_complaint(
    page: AppTest, demo_app: Engine, customer: Customer
) -> None:
    prefix = f"customer__complaint_{customer.id}_"
    today = office_today(demo_app)
    page.selectbox(key=f"{prefix}cat").select("Quality")
    page.selectbox(key=f"{prefix}severity").select("high")
    page.text_area(key=f"{prefix}description").input("Two units arrived broken.")
    assert "The complaint was opened." in _submit(page, "Open complaint")
    with Session(demo_app) as session:
        complaint = session.exec(
            select(Complaint).order_by(col(Complaint.id).desc()).limit(1)
        ).one()
    assert (complaint.customer_id, complaint.status) == (customer.id, "open")
    # High severity: two SLA days by default.
    assert complaint.due_on == today + timedelta(days=2)

    resolve = f"customer__resolve_{complaint.id}_"
    assert "The complaint is in progress." in _submit(page, "Start work on it")
    assert _status(demo_app, complaint.id) == "in_progress"
    by_label(page.button, "Resolve").click().run()
    assert "Write how the complaint was resolved." in errors(page)
    assert _status(demo_app, complaint.id) == "in_progress"
    page.text_area(key=f"{resolve}text").input("Replaced both units.")
    assert "The complaint was resolved." in _submit(page, "Resolve")
    assert _status(demo_app, complaint.id) == "resolved"


def _status(engine: Engine, complaint_id: int) -> str:
    with Session(engine) as session:
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        return complaint.status


def test_a_rep_logs_their_own_contacts_with_no_choice_of_who_made_them(page: AppTest) -> None:
    assert "Summary" in [area.label for area in page.text_area]
    assert "Made by" not in [box.label for box in page.selectbox]


def test_a_manager_logs_a_contact_made_by_a_rep_they_choose(
    logged_in: Callable[..., AppTest], demo_app: Engine
) -> None:
    with Session(demo_app) as session:
        manager = session.exec(select(User).where(User.username == "manager")).one()
        actor = build_actor(session, manager)
        team_reps = dict(customers.owner_choices(session, actor))
        target = session.exec(
            select(Customer)
            .where(col(Customer.owner_rep_id).in_(team_reps), col(Customer.archived_at).is_(None))
            .order_by(col(Customer.id))
        ).first()
    assert target is not None
    maker = next(rep for rep in team_reps if rep != target.owner_rep_id)
    at = logged_in("manager")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params["id"] = str(target.id)
    at.switch_page("pages/customer_page.py").run()
    assert not at.exception, at.exception
    prefix = f"customer__contact_{target.id}_"
    made_by = at.selectbox(key=f"{prefix}maker")
    assert made_by.label == "Made by" and made_by.value == 0  # nobody from sales by default
    assert made_by.format_func(0) == "Nobody from sales"
    made_by.select(maker)
    at.text_area(key=f"{prefix}summary").input("Joined the visit to the plant")
    assert "The contact was logged." in _submit(at, "Log contact")
    with Session(demo_app) as session:
        logged = session.exec(
            select(Interaction).order_by(col(Interaction.id).desc()).limit(1)
        ).one()
    assert (logged.customer_id, logged.rep_id, logged.logged_by_user_id) == (
        target.id,
        maker,
        manager.id,
    )
    [timeline] = [frame.value for frame in at.dataframe if "Summary" in frame.value]
    newest = timeline.iloc[0]
    assert (newest["Summary"], newest["Rep"], newest["Logged by"]) == (
        "Joined the visit to the plant",
        team_reps[maker],
        manager.display_name,
    )
