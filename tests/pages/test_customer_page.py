"""The customer page on the demo data: adding, editing, archiving, reassigning, the tier.

Bad input shows the translated message and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Customer, Rep, Team, User
from models.enums import RepStatus
from services.i18n import translate
from tests.pages.conftest import by_label, errors, open_tabs
from ui.text import plain

PAGE = "pages/customer_page.py"
LEFT_MESSAGE = "That rep has left the company. Choose an active rep as the owner."
TOMORROW = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)


def _open(logged_in, username: str, locale: str = "en", **query: str) -> AppTest:  # type: ignore[no-untyped-def]
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select(locale).run()
    at.query_params.update(query)
    return at.switch_page(PAGE).run()


def _in_form(elements, form: str) -> list:  # type: ignore[no-untyped-def]
    return [element for element in elements if (element.form_id or "").startswith(form)]


def _rep_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Rep.id).where(Rep.name == name)).one()


def _user_rep(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        return session.exec(select(User.rep_id).where(User.username == username)).one()


def _customer(engine: Engine, **where: Any) -> Customer | None:
    with Session(engine) as session:
        query = select(Customer)
        for name, value in where.items():
            query = query.where(getattr(Customer, name) == value)
        return session.exec(query).first()


def _own_customer(engine: Engine, username: str) -> Customer:
    with Session(engine) as session:
        rep_id = session.exec(select(User.rep_id).where(User.username == username)).one()
        return session.exec(
            select(Customer)
            .where(Customer.owner_rep_id == rep_id, Customer.archived_at.is_(None))  # type: ignore[union-attr]
            .order_by(Customer.id)
        ).first()


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Customer)).one(),
            session.exec(select(func.count()).select_from(AuditEvent)).one(),
        )


def _fill_new(at: AppTest, **values: Any) -> AppTest:
    for label, value in values.items():
        if label == "Owner":
            by_label(at.selectbox, "Owner").set_value(value)
        elif label == "Birthday":
            by_label(at.date_input, "Birthday").set_value(value)
        else:
            by_label(_in_form(at.text_input, "customer__new"), label).input(value)
    return by_label(at.button, "Add customer").click().run()


def _set_rep(engine: Engine, rep_id: int, **fields: Any) -> None:
    with Session(engine) as session:
        rep = session.get(Rep, rep_id)
        for name, value in fields.items():
            setattr(rep, name, value)
        session.add(rep)
        session.commit()


# ---- adding ----


def test_a_rep_adds_a_customer_and_lands_on_its_page(demo_app, logged_in) -> None:
    at = _open(logged_in, "rep", new="1")
    assert not [box for box in at.selectbox if box.label == "Owner"]
    at = _fill_new(at, Name="Harbour Foods", Email="buy@harbour.cn", City="Ningbo")
    assert not at.exception and errors(at) == []
    added = _customer(demo_app, name="Harbour Foods")
    assert added is not None
    assert (added.owner_rep_id, added.email, added.city) == (
        _user_rep(demo_app, "rep"),
        "buy@harbour.cn",
        "Ningbo",
    )
    assert at.query_params["id"] == str(added.id)
    assert [header.value for header in at.header] == ["Harbour Foods"]
    assert [message.value for message in at.success] == ["Harbour Foods was added."]


def test_a_name_already_on_file_warns_links_to_it_and_is_added_only_on_a_second_press(
    demo_app, logged_in
) -> None:
    filed = _own_customer(demo_app, "rep")
    at = _open(logged_in, "rep", new="1")
    before = _counts(demo_app)
    at = _fill_new(at, Name=f"  {filed.name.upper()} ")
    assert not at.exception and errors(at) == []
    assert [warning.value for warning in at.warning] == [
        "A customer of this name is already on file. Open it below, or press Add customer "
        "again to file another."
    ]
    [link] = [link for link in at.get("page_link") if link.proto.label == plain(filed.name)]
    assert (link.proto.page, link.proto.query_string) == ("customer", f"id={filed.id}")
    assert _counts(demo_app) == before
    at = by_label(at.button, "Add customer").click().run()
    assert not at.exception and errors(at) == []
    assert _counts(demo_app)[0] == before[0] + 1
    assert [message.value for message in at.success] == [f"{filed.name.upper()} was added."]


def test_a_manager_adds_a_customer_for_a_rep_of_their_team(demo_app, logged_in) -> None:
    at = _open(logged_in, "manager", new="1")
    # The active reps of Team East.
    assert by_label(at.selectbox, "Owner").options == [
        "Daniel Moore", "Emma Clark", "Huang Li 黄丽", "Li Wei 李伟", "Liu Yang 刘洋",
    ]  # fmt: skip
    daniel = _rep_id(demo_app, "Daniel Moore")
    at = _fill_new(at, Name="Lakeside Hotels", Owner=daniel)
    assert errors(at) == []
    added = _customer(demo_app, name="Lakeside Hotels")
    assert added is not None and added.owner_rep_id == daniel


def test_the_page_without_a_customer_links_to_the_add_form(demo_app, logged_in) -> None:
    at = _open(logged_in, "rep")
    [link] = [link for link in at.get("page_link") if link.proto.label == "Add a customer"]
    # This same page (url path "customer"), with ?new=1.
    assert (link.proto.page, link.proto.query_string) == ("customer", "new=1")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"Name": ""}, "Enter the customer's name."),
        (
            {"Name": "Ok Co", "Email": "buy-at-harbour"},
            "Enter a valid email address, like name@example.com.",
        ),
        ({"Name": "Ok Co", "Birthday": TOMORROW}, "The birthday cannot be in the future."),
    ],
)
def test_bad_new_customer_gets_a_message_and_writes_nothing(
    demo_app, logged_in, values: dict[str, Any], message: str
) -> None:
    at = _open(logged_in, "rep", new="1")
    before = _counts(demo_app)
    at = _fill_new(at, **values)
    assert not at.exception
    assert errors(at) == [message]
    assert _counts(demo_app) == before


def test_the_message_is_in_the_users_language(demo_app, logged_in) -> None:
    at = _open(logged_in, "rep", locale="zh_CN", new="1")
    before = _counts(demo_app)
    by_label(at.button, translate("zh_CN", "Add customer")).click().run()
    assert errors(at) == [translate("zh_CN", "Enter the customer's name.")]
    assert translate("zh_CN", "Enter the customer's name.") != "Enter the customer's name."
    assert _counts(demo_app) == before


def test_an_owner_who_left_meanwhile_is_refused(demo_app, logged_in) -> None:
    at = _open(logged_in, "manager", new="1")
    daniel = _rep_id(demo_app, "Daniel Moore")
    by_label(at.selectbox, "Owner").set_value(daniel)
    _set_rep(demo_app, daniel, status=RepStatus.LEFT)
    before = _counts(demo_app)
    at = _fill_new(at, Name="Too Late Ltd")
    assert errors(at) == [LEFT_MESSAGE]
    assert _counts(demo_app) == before


def test_an_owner_moved_out_of_the_managers_teams_is_refused(demo_app, logged_in) -> None:
    at = _open(logged_in, "manager", new="1")
    daniel = _rep_id(demo_app, "Daniel Moore")
    by_label(at.selectbox, "Owner").set_value(daniel)
    with Session(demo_app) as session:
        west = session.exec(select(Team.id).where(Team.name == "Team West")).one()
    _set_rep(demo_app, daniel, team_id=west)
    customers_before, audit_before = _counts(demo_app)
    at = _fill_new(at, Name="Elsewhere Ltd")
    assert errors(at) == ["You do not have access to this."]
    # Only the refusal is recorded.
    assert _counts(demo_app) == (customers_before, audit_before + 1)


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example","click")', "<script>alert('x')</script>"]
)
def test_formulas_and_markup_are_kept_as_text(demo_app, logged_in, name: str) -> None:
    at = _fill_new(_open(logged_in, "rep", new="1"), Name=name)
    assert not at.exception and errors(at) == []
    assert _customer(demo_app, name=name) is not None
    # Shown escaped: Markdown shows the characters, never a link or markup.
    assert [header.value for header in at.header] == [plain(name)]


# ---- editing ----


def _edit_page(logged_in, engine: Engine, username: str = "rep") -> tuple[AppTest, Customer]:  # type: ignore[no-untyped-def]
    """A customer of "rep" (Li Wei, of the team "manager" manages), opened by `username`."""
    customer = _own_customer(engine, "rep")
    return _open(logged_in, username, id=str(customer.id)), customer


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    return by_label(_in_form(at.button, form), label).click().run()


def test_a_rep_edits_their_customer(demo_app, logged_in) -> None:
    at, customer = _edit_page(logged_in, demo_app)
    form = f"customer__edit_{customer.id}"
    by_label(_in_form(at.text_input, form), "City").input("Suzhou")
    at = _submit(at, form, "Save changes")
    assert errors(at) == []
    saved = _customer(demo_app, id=customer.id)
    assert saved is not None and (saved.city, saved.version) == ("Suzhou", customer.version + 1)
    assert [message.value for message in at.success] == ["Changes were saved."]


def test_a_bad_edit_gets_a_message_and_writes_nothing(demo_app, logged_in) -> None:
    at, customer = _edit_page(logged_in, demo_app)
    form = f"customer__edit_{customer.id}"
    by_label(_in_form(at.text_input, form), "Email").input("not-an-address")
    by_label(_in_form(at.text_input, form), "Name").input("")
    before = _counts(demo_app)
    at = _submit(at, form, "Save changes")
    assert errors(at) == ["Enter the customer's name."]
    assert _counts(demo_app) == before
    assert _customer(demo_app, id=customer.id).version == customer.version  # type: ignore[union-attr]


def test_archive_and_unarchive(demo_app, logged_in) -> None:
    at, customer = _edit_page(logged_in, demo_app)
    at = by_label(at.button, "Archive customer").click().run()
    assert _customer(demo_app, id=customer.id).archived_at is not None  # type: ignore[union-attr]
    assert [message.value for message in at.success] == ["The customer was archived."]
    assert not _in_form(at.button, f"customer__edit_{customer.id}")
    at = by_label(at.button, "Unarchive customer").click().run()
    assert _customer(demo_app, id=customer.id).archived_at is None  # type: ignore[union-attr]
    assert [message.value for message in at.success] == ["The customer is back on the lists."]


def test_a_manager_reassigns_and_the_audit_log_shows_it(demo_app, logged_in) -> None:
    at, customer = _edit_page(logged_in, demo_app, "manager")
    emma = _rep_id(demo_app, "Emma Clark")
    form = f"customer__owner_{customer.id}"
    by_label(_in_form(at.selectbox, form), "New owner").set_value(emma)
    at = _submit(at, form, "Reassign customer")
    assert errors(at) == []
    with Session(demo_app) as session:
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.action == "customer.reassign")
        ).all()
    assert (event.entity_id, event.username) == (customer.id, "manager")
    assert event.before == {"owner_rep_id": customer.owner_rep_id}
    assert event.after == {"owner_rep_id": emma}


def test_a_rep_gets_no_reassign_form(demo_app, logged_in) -> None:
    at, _ = _edit_page(logged_in, demo_app)
    assert not [box for box in at.selectbox if box.label == "New owner"]


def test_a_tier_set_by_hand_wins_and_is_explained(demo_app, logged_in) -> None:
    at, customer = _edit_page(logged_in, demo_app)
    form = f"customer__tier_{customer.id}"
    by_label(_in_form(at.selectbox, form), "Tier").set_value("A")
    at = _submit(at, form, "Save tier")
    assert errors(at) == ["Give a reason for setting the tier by hand."]
    by_label(_in_form(at.text_input, form), "Reason").input("Parent company is a key account")
    at = _submit(at, form, "Save tier")
    assert errors(at) == []
    saved = _customer(demo_app, id=customer.id)
    assert saved is not None and saved.tier_override == "A"
    assert at.expander[0].label == "Why tier A?"
    shown = " ".join(str(markdown.value) for markdown in at.markdown)
    assert plain("Reason: Parent company is a key account") in shown


def test_recompute_the_tier_from_the_page(demo_app, logged_in) -> None:
    customer = _own_customer(demo_app, "rep")
    with Session(demo_app) as session:
        stored = session.get(Customer, customer.id)
        computed = stored.tier  # type: ignore[union-attr]
        stored.tier = "C" if computed != "C" else "A"  # type: ignore[union-attr]
        session.add(stored)
        session.commit()
    at = _open(logged_in, "rep", id=str(customer.id))
    at = by_label(at.button, "Recompute tier").click().run()
    assert [message.value for message in at.success] == [
        "The tier was recomputed from the won deals."
    ]
    assert _customer(demo_app, id=customer.id).tier == computed  # type: ignore[union-attr]


def test_another_reps_customer_is_refused(demo_app, logged_in) -> None:
    customer = _own_customer(demo_app, "rep2")
    at = _open(logged_in, "rep", id=str(customer.id))
    assert errors(at) == ["You do not have access to this."]
    assert not _in_form(at.button, f"customer__edit_{customer.id}")
    assert not at.header


def test_after_adding_a_deal_the_deals_tab_and_its_form_stay_open(demo_app, logged_in) -> None:
    customer = _own_customer(demo_app, "rep")
    at = _open(logged_in, "rep", id=str(customer.id))
    # As the rep's clicks leave them: on the Deals tab, its add form open.
    at.session_state["customer__tab"] = "Deals"
    at.session_state["customer__deal_add_open"] = True
    at.run()
    at.text_input(key="customer__deal_add__title").input("Renewal")
    at.text_input(key="customer__deal_add__amount").input("9900")
    by_label(at.button, "Add the deal").click().run()
    assert not at.exception, at.exception
    assert [success.value for success in at.success] == ["The deal Renewal was added."]
    assert open_tabs(at)[0] == "Deals"
    assert [
        expander.proto.expanded for expander in at.expander if expander.label == "Add a deal"
    ] == [True]
