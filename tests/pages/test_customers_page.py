"""The customers list on the demo data: filters, paging, scope, the export and odd links."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from models import Customer, Rep, User
from services import data_version
from tests.pages.conftest import by_label
from ui.tables import ID_COLUMN
from ui.text import plain

PAGE = "pages/customers_page.py"
FORMULA = '=HYPERLINK("http://x")'
SCRIPT = "<script>alert(1)</script>"


def _open(logged_in: Callable[..., AppTest], username: str, **link: str) -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.switch_page(PAGE)
    at.query_params.update(link)
    at.run()
    assert not at.exception, at.exception
    return at


def _live(engine: Engine, *where: Any) -> list[str]:
    """Names of live customers matching `where`, in the list's default order."""
    with Session(engine) as session:
        query = select(Customer.name).where(col(Customer.archived_at).is_(None), *where)
        return list(session.exec(query.order_by(col(Customer.name), col(Customer.id))).all())


def _rep_of(engine: Engine, username: str) -> Rep:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        rep = session.get(Rep, user.rep_id)
        assert rep is not None
        return rep


def _rename(engine: Engine, names: list[str]) -> None:
    """Give the first customers (by id) these names, as a form would store them."""
    with Session(engine) as session:
        customers = session.exec(select(Customer).order_by(col(Customer.id)).limit(len(names)))
        for customer, name in zip(customers.all(), names, strict=True):
            customer.name = name
            session.add(customer)
        # As every write does, so no cached list from an earlier test is shown.
        data_version.bump(session)
        session.commit()


def _two_c_customers(engine: Engine) -> None:
    """Make the first two live customers C, one a lead and one not, whatever the demo's day
    made of them."""
    with Session(engine) as session:
        first_two = session.exec(
            select(Customer)
            .where(col(Customer.archived_at).is_(None))
            .order_by(col(Customer.id))
            .limit(2)
        ).all()
        for customer, status in zip(first_two, ("lead", "active"), strict=True):
            customer.tier, customer.tier_override, customer.status = "C", None, status
            customer.tier_override_reason = None
            session.add(customer)
        data_version.bump(session)
        session.commit()


def _shown(at: AppTest, column: str = "Name") -> list[str]:
    return list(at.dataframe[0].value[column])


def _count(at: AppTest) -> int:
    """The count the list's caption gives ("12 customers: click a name to open it.")."""
    shown = next(c.value for c in at.caption if c.value.endswith("click a name to open it."))
    return int(shown.split()[0].replace(",", ""))


def _page_label(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Page "))


def test_paging_walks_the_list_a_page_at_a_time(demo_app: Engine, logged_in) -> None:
    everyone = _live(demo_app)
    at = _open(logged_in, "admin")
    assert _count(at) == len(everyone)
    assert _page_label(at) == f"Page 1 of {-(-len(everyone) // 25)}"
    assert _shown(at) == everyone[:25]
    by_label(at.button, "Next").click().run()
    assert _shown(at) == everyone[25:50]
    assert _page_label(at).startswith("Page 2 of ")
    assert at.query_params["page"] == "2"
    by_label(at.selectbox, "Rows per page").select(100).run()
    # A new page size starts again at page 1.
    assert _shown(at) == everyone[:100]
    assert _page_label(at) == f"Page 1 of {-(-len(everyone) // 100)}"
    assert by_label(at.button, "Previous").disabled


def test_one_click_on_a_name_opens_that_customer_in_the_same_tab(
    demo_app: Engine, logged_in
) -> None:
    at = _open(logged_in, "manager")
    table = at.dataframe[0].value
    row = len(table) - 1  # the last of the page, not the first by accident
    at.session_state["customers__table"] = {
        "selection": {"rows": [], "columns": [], "cells": [(row, "Name")]}
    }
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["id"] == str(table[ID_COLUMN][row])
    assert [title.value for title in at.title] == ["Customer file"]
    assert [heading.value for heading in at.header] == [plain(table["Name"][row])]


def test_filters_narrow_the_list(demo_app: Engine, logged_in) -> None:
    _two_c_customers(demo_app)
    at = _open(logged_in, "admin")
    tier_c = func.coalesce(col(Customer.tier_override), col(Customer.tier)) == "C"
    by_label(at.selectbox, "Tier").select("C").run()
    in_tier = _live(demo_app, tier_c)
    assert _count(at) == len(in_tier)
    assert set(_shown(at, "Tier")) == {"C"}
    by_label(at.selectbox, "Status").select("lead").run()
    leads = _live(demo_app, tier_c, col(Customer.status) == "lead")
    assert 0 < len(leads) < len(in_tier)
    assert _count(at) == len(leads)
    assert set(_shown(at, "Status")) == {"Lead"}
    assert (at.query_params["tier"], at.query_params["status"]) == ("C", "lead")
    by_label(at.text_input, "Search").input("no such customer anywhere").run()
    assert [info.value for info in at.info] == ["No customer matches these filters."]


def test_a_rep_sees_only_their_own_customers(demo_app: Engine, logged_in) -> None:
    rep = _rep_of(demo_app, "rep")
    own = _live(demo_app, col(Customer.owner_rep_id) == rep.id)
    at = _open(logged_in, "rep", size="100")
    assert _count(at) == len(own)
    assert _shown(at) == own[:100]
    assert set(_shown(at, "Owner")) == {rep.name}
    assert "Owner" not in [box.label for box in at.selectbox]


def test_a_rep_linking_to_another_reps_customers_gets_their_own(
    demo_app: Engine, logged_in
) -> None:
    rep, other = _rep_of(demo_app, "rep"), _rep_of(demo_app, "rep2")
    at = _open(logged_in, "rep", owner=str(other.id), size="100")
    assert [w.value for w in at.warning] == [
        "Parts of the link were not understood and were left out: Owner."
    ]
    assert set(_shown(at, "Owner")) == {rep.name}


def test_a_bad_link_is_explained_and_the_rest_of_it_used(demo_app: Engine, logged_in) -> None:
    at = _open(logged_in, "admin", tier="Z", page="abc", size="7", quiet="1", sort="owner")
    assert [w.value for w in at.warning] == [
        "Parts of the link were not understood and were left out: Tier, Page, Rows per page."
    ]
    assert by_label(at.toggle, "Quiet").value is True
    assert by_label(at.selectbox, "Sort by").value == "owner"
    assert _page_label(at).startswith("Page 1 of ")
    # The link now says what is shown.
    assert at.query_params["quiet"] == "1"
    assert "tier" not in at.query_params
    # A page past the end shows the last page.
    at = _open(logged_in, "admin", page="999")
    assert _page_label(at) == f"Page {-(-len(_live(demo_app)) // 25)} of " + (
        f"{-(-len(_live(demo_app)) // 25)}"
    )


def test_filters_are_kept_while_visiting_another_page(demo_app: Engine, logged_in) -> None:
    at = _open(logged_in, "admin")
    by_label(at.selectbox, "Tier").select("B").run()
    by_label(at.toggle, "Descending").set_value(True).run()
    shown = _shown(at)
    at.switch_page("pages/home_page.py").run()
    at.switch_page(PAGE).run()
    assert by_label(at.selectbox, "Tier").value == "B"
    assert by_label(at.toggle, "Descending").value is True
    assert _shown(at) == shown


def test_user_text_shows_as_text(demo_app: Engine, logged_in) -> None:
    _rename(demo_app, [SCRIPT])
    at = _open(logged_in, "admin", q="script")
    assert _shown(at) == [SCRIPT]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """The files the page offers, by name, made when asked as a click would."""
    offered: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        offered[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return offered


def test_the_export_holds_the_filtered_list_with_formulas_escaped(
    demo_app: Engine, logged_in, downloads: dict[str, Callable[[], Any]]
) -> None:
    _rename(demo_app, [FORMULA, "=SUM(1)", "Plain 张三"])
    at = _open(logged_in, "admin", q="=")
    assert _shown(at) == [FORMULA, "=SUM(1)"]
    by_label(at.button, "Export").click().run()
    assert [button.label for button in at.get("download_button")] == [
        "Download CSV",
        "Download Excel",
    ]
    data = downloads["customers.csv"]()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row["Name"] for row in rows] == [f"'{FORMULA}", "'=SUM(1)"]
    sheet = load_workbook(io.BytesIO(downloads["customers.xlsx"]())).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (f"'{FORMULA}", "s"),
        ("'=SUM(1)", "s"),
    ]
