"""ui/customers/forms.py: the edit form opens on the file as stored and saves against the version
first shown; bad input gets the translated message and writes nothing; each control is offered
only to whom and when it applies."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import Customer
from models.base import utcnow
from models.enums import CustomerStatus, Tier
from services.access import Actor
from services.i18n import translate
from tests.factories import Org, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui.feedback import FLASH_KEY


def _controls(customer_id: int) -> None:  # the body runs as a script: builtins only
    from services.customers import records as customers
    from ui import runtime
    from ui.customers.forms import edit_controls

    # As the page does: the file read afresh on every run.
    edit_controls(runtime.call(customers.get, customer_id))


def _new_form() -> None:
    from ui.customers.forms import new_customer_form

    new_customer_form()


def _run(started: Any) -> AppTest:
    """Run the app (an AppTest, or a widget just used in it) and check it did not fail."""
    at = started.run()
    assert not at.exception, at.exception
    return at


def _customer_of(engine: Engine, customer_id: int) -> Customer:
    with Session(engine) as session:
        found = session.get(Customer, customer_id)
        assert found is not None
        return found


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Customer)).one()


def _filed(app_env: Engine, **fields: object) -> tuple[Org, Actor, Actor, int]:
    """East Rep's customer: the org, the rep's and the manager's actors, and its id."""
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        made = make_customer(session, org.east_rep.id, "Acme", **fields)
        assert made.id is not None
        return (org, org.actor(session, org.east_rep_user),
                org.actor(session, org.east_manager), made.id)  # fmt: skip


def test_the_edit_form_opens_on_the_file_and_saves_a_change(app_env: Engine) -> None:
    _org, rep, _manager, customer_id = _filed(
        app_env, city="Ningbo", phone="+86 574 1234", status=CustomerStatus.ACTIVE,
        notes="Prefers mornings",
    )  # fmt: skip
    at = _run(piece(_controls, customer_id, actor=rep))
    key = f"customer__edit_{customer_id}_1"  # the version it was opened at
    shown = {box.key: box.value for box in at.text_input if box.key.startswith(key)}
    assert (shown[f"{key}_name"], shown[f"{key}_city"], shown[f"{key}_phone"]) == (
        "Acme", "Ningbo", "+86 574 1234",
    )  # fmt: skip
    assert at.selectbox(key=f"{key}_status").value == "active"
    assert at.text_area(key=f"{key}_notes").value == "Prefers mornings"

    at.text_input(key=f"{key}_city").input("Shanghai")
    _run(by_label(at.button, "Save changes").click())
    saved = _customer_of(app_env, customer_id)
    assert (saved.city, saved.phone, saved.version) == ("Shanghai", "+86 574 1234", 2)
    assert at.session_state[FLASH_KEY] == "Changes were saved."


def test_a_bad_edit_gets_the_translated_message_and_writes_nothing(app_env: Engine) -> None:
    _org, rep, _manager, customer_id = _filed(app_env)
    at = _run(piece(_controls, customer_id, actor=rep, locale="zh_CN"))
    key = f"customer__edit_{customer_id}_1"  # the version it was opened at
    at.text_input(key=f"{key}_name").input("   ")
    _run(by_label(at.button, translate("zh_CN", "Save changes")).click())
    assert [error.value for error in at.error] == [translate("zh_CN", "Enter the customer's name.")]
    stored = _customer_of(app_env, customer_id)
    assert (stored.name, stored.version) == ("Acme", 1)


def test_a_tier_set_by_hand_needs_a_reason(app_env: Engine) -> None:
    _org, rep, _manager, customer_id = _filed(app_env, tier=Tier.C)
    at = _run(piece(_controls, customer_id, actor=rep))
    at.selectbox(key=f"customer__tier_{customer_id}_tier").select("A")
    _run(by_label(at.button, "Save tier").click())
    assert [error.value for error in at.error] == ["Give a reason for setting the tier by hand."]
    assert _customer_of(app_env, customer_id).tier_override is None

    at.text_input(key=f"customer__tier_{customer_id}_reason").input("Group contract")
    _run(by_label(at.button, "Save tier").click())
    stored = _customer_of(app_env, customer_id)
    assert (stored.tier_override, stored.tier_override_reason) == (Tier.A, "Group contract")


def test_only_a_manager_is_offered_the_reassign_form(app_env: Engine) -> None:
    org, rep, manager, customer_id = _filed(app_env)
    assert "Reassign customer" not in [button.label for button in _run(
        piece(_controls, customer_id, actor=rep)).button]  # fmt: skip
    at = _run(piece(_controls, customer_id, actor=manager))
    box = at.selectbox(key=f"customer__owner_{customer_id}_rep")
    # The manager's active reps, the current owner chosen.
    assert (box.options, box.value) == (["East Rep", "East Sub Rep"], org.east_rep.id)
    box.select(org.east_sub_rep.id)
    _run(by_label(at.button, "Reassign customer").click())
    assert _customer_of(app_env, customer_id).owner_rep_id == org.east_sub_rep.id


def test_an_archived_file_offers_only_unarchive(app_env: Engine) -> None:
    _org, rep, _manager, customer_id = _filed(app_env, archived_at=utcnow())
    at = _run(piece(_controls, customer_id, actor=rep))
    assert [button.label for button in at.button] == ["Unarchive customer"]
    assert at.expander == [] and at.text_input == []
    _run(at.button(key="customer__unarchive").click())
    assert _customer_of(app_env, customer_id).archived_at is None
    assert at.session_state[FLASH_KEY] == "The customer is back on the lists."


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_manager_must_name_the_owner_of_a_new_customer(app_env: Engine, locale: str) -> None:
    _org, _rep, manager, _customer_id = _filed(app_env)
    at = _run(piece(_new_form, actor=manager, locale=locale))
    at.text_input(key="customer__new_name").input("Brand New Co")
    _run(by_label(at.button, translate(locale, "Add customer")).click())
    assert [error.value for error in at.error] == [
        translate(locale, "Choose the rep who owns this customer.")
    ]
    assert _count(app_env) == 1


def test_a_rep_is_told_they_will_own_what_they_file(app_env: Engine) -> None:
    _org, rep, _manager, _customer_id = _filed(app_env)
    at = _run(piece(_new_form, actor=rep, locale="zh_CN"))
    assert [caption.value for caption in at.caption] == [
        translate("zh_CN", "You will own this customer.")
    ]
    assert "customer__new_owner" not in [box.key for box in at.selectbox]
