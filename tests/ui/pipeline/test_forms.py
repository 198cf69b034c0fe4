"""ui/pipeline/forms.py: adding, moving and editing a deal through its forms; refused input
is a translated message and writes nothing; the stage history reads as the moves made."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from models import Customer, Deal, DealStageChange
from models.enums import DealStage
from services.i18n import translate
from services.pipeline import deals
from services.pipeline.deals import DealFile
from tests.factories import Org, actor_for, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import bump_data_version, piece


def _add(customer_id: int | None) -> None:
    from services.customers import records
    from ui import runtime
    from ui.feedback import show_flash
    from ui.pipeline.forms import add_deal_form

    show_flash()
    customer = runtime.call(records.get, customer_id) if customer_id else None
    add_deal_form(key="test__add", customer=customer)


def _actions() -> None:
    from services.pipeline import deals
    from services.pipeline.deals import DealFilters
    from ui import runtime
    from ui.feedback import show_flash
    from ui.pipeline.forms import deal_actions

    show_flash()
    page = runtime.call(deals.list_deals, filters=DealFilters())
    if page.rows:
        deal_actions(page.rows, key="test__deals", within=DealFilters())


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


@pytest.fixture
def customer(fresh_app_env: Engine, org: Org) -> Customer:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        customer = make_customer(session, org.east_rep.id, "East client")
    bump_data_version(fresh_app_env)
    return customer


@pytest.fixture
def lead(fresh_app_env: Engine, org: Org, customer: Customer) -> DealFile:
    with Session(fresh_app_env) as session:
        data = {"customer_id": customer.id, "rep_id": org.east_rep.id, "title": "Lead one",
                "amount": "2000", "stage": "lead"}  # fmt: skip
        return deals.create(session, actor_for(session, org.east_rep_user), data=data)


def _open(engine: Engine, org: Org, script: Any, *args: Any, locale: str = "en") -> AppTest:
    with Session(engine) as session:
        actor = actor_for(session, org.east_rep_user)
    at = piece(script, *args, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _deals(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(select(Deal).order_by(col(Deal.id))).all()
        moves = session.exec(select(DealStageChange)).all()
    return [(d.title, d.rep_id, d.amount, d.stage, d.version) for d in rows] + [len(moves)]


def _submit(at: AppTest, label: str) -> AppTest:
    by_label(at.button, label).click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_deal_without_a_title_is_refused_in_the_users_language(
    fresh_app_env: Engine, org: Org, customer: Customer, locale: str
) -> None:
    at = _open(fresh_app_env, org, _add, customer.id, locale=locale)
    at.text_input(key="test__add__amount").input("1500")
    _submit(at, translate(locale, "Add the deal"))
    assert [error.value for error in at.error] == [translate(locale, "Enter a title for the deal.")]
    assert _deals(fresh_app_env) == [0]
    # The refused form keeps what was typed.
    assert at.text_input(key="test__add__amount").value == "1500"


def test_a_rep_adds_a_deal_for_the_customer(
    fresh_app_env: Engine, org: Org, customer: Customer
) -> None:
    at = _open(fresh_app_env, org, _add, customer.id)
    assert by_label(at.selectbox, "Rep").value == org.east_rep.id
    at.text_input(key="test__add__title").input("ERP rollout")
    at.text_input(key="test__add__amount").input("1,500.25")
    _submit(at, "Add the deal")
    assert not at.error
    assert [success.value for success in at.success] == ["The deal ERP rollout was added."]
    assert _deals(fresh_app_env) == [("ERP rollout", org.east_rep.id, 150_025, "lead", 1), 1]
    # Saved, the form is empty again.
    assert at.text_input(key="test__add__title").value == ""


def test_a_customer_is_found_by_name_before_the_form_shows(
    fresh_app_env: Engine, org: Org, customer: Customer
) -> None:
    at = _open(fresh_app_env, org, _add, None)
    assert not at.button
    at.text_input(key="test__add__customer__search").input("Nobody").run()
    assert [info.value for info in at.info] == ["No customer matches."]
    at.text_input(key="test__add__customer__search").input("East").run()
    assert by_label(at.selectbox, "Customer").value == customer.id
    assert by_label(at.button, "Add the deal")


def test_a_lost_deal_needs_a_reason_and_its_move_joins_the_history(
    fresh_app_env: Engine, org: Org, lead: DealFile
) -> None:
    at = _open(fresh_app_env, org, _actions)
    prefix = f"test__deals__move_{lead.id}_{lead.version}"
    at.selectbox(key=f"{prefix}__stage").select(DealStage.LOST).run()
    before = _deals(fresh_app_env)
    _submit(at, "Move the deal")
    assert [error.value for error in at.error] == ["Say why the deal was lost."]
    assert _deals(fresh_app_env) == before
    at.text_input(key=f"{prefix}__reason").input("Chose a competitor")
    _submit(at, "Move the deal")
    assert [success.value for success in at.success] == ["The deal was moved to Lost."]
    assert _deals(fresh_app_env) == [("Lead one", org.east_rep.id, 200_000, "lost", 2), 2]
    history = at.dataframe[0].value
    assert list(history["From"]) == ["", "Lead"]
    assert list(history["To"]) == ["Lead", "Lost"]
    assert list(history["By"]) == ["Eastrep", "Eastrep"]


def test_an_edit_is_saved_against_the_version_opened(
    fresh_app_env: Engine, org: Org, lead: DealFile
) -> None:
    at = _open(fresh_app_env, org, _actions)
    prefix = f"test__deals__edit_{lead.id}_{lead.version}"
    at.text_input(key=f"{prefix}__title").input("Lead renamed")
    at.text_input(key=f"{prefix}__amount").input("-3")
    _submit(at, "Save changes")
    assert [error.value for error in at.error] == ["The amount cannot be negative."]
    at.text_input(key=f"{prefix}__amount").input("2500")
    _submit(at, "Save changes")
    assert [success.value for success in at.success] == ["Changes to the deal were saved."]
    assert _deals(fresh_app_env) == [("Lead renamed", org.east_rep.id, 250_000, "lead", 2), 1]
