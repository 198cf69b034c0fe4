"""ui/customers/listing.py: the table and the export are built from the list's rows in the user's
language, a page past the end becomes the last, and a link's filters are taken (what is out of
scope left out and said)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models.base import utcnow
from models.enums import CustomerKind, CustomerStatus, Tier
from services.access import Actor
from services.customers import listing
from services.customers.listing import CustomerFilters, CustomerRow, CustomerSort
from services.i18n import translate
from tests.factories import Org, make_customer
from tests.ui.conftest import bump_data_version, piece
from ui.customers.listing import PREFIX, ListRequest
from ui.tables import ID_COLUMN


def _table(rows: list, total: int, with_archived: bool) -> None:  # the body runs as a script
    from ui.customers.listing import customer_table

    customer_table(rows, total, with_archived)


def _export(rows: list) -> None:
    import streamlit as st

    from ui.customers.listing import export_frame

    st.session_state["frame"] = export_frame(rows, True)


def _load(request) -> None:  # type: ignore[no-untyped-def]
    import streamlit as st

    from ui.customers.listing import load_page

    rows, total, page, pages = load_page(request)
    st.text(f"{[row.name for row in rows]} {total} {page} {pages}")


def _request() -> None:
    import streamlit as st

    from services.customers import listing
    from ui import runtime
    from ui.customers.listing import list_request

    st.session_state["request"] = list_request(runtime.call(listing.filter_choices))


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def filed(app_env: Engine) -> tuple[Org, Actor, list[CustomerRow]]:
    """Three customers of East Team, one archived, as the list gives them to the manager."""
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        east, sub = org.east_rep.id, org.east_sub_rep.id
        make_customer(
            session, east, "Alpha Co", tier=Tier.C, tier_override=Tier.A,
            status=CustomerStatus.ACTIVE, contact_name="Ms Li", last_contact_on=date(2026, 3, 2),
            industry="Retail",
        )  # fmt: skip
        make_customer(session, sub, "Beta Ltd", kind=CustomerKind.PERSON)
        make_customer(session, east, "Closed Inc", archived_at=utcnow(), status="lost")
        manager = org.actor(session, org.east_manager)
        everyone = CustomerFilters(with_archived=True)
        rows, _total = listing.list_customers(
            session, manager, filters=everyone, sort=CustomerSort()
        )
        return org, manager, rows


def test_the_table_shows_the_rows_in_the_users_language(
    filed: tuple[Org, Actor, list[CustomerRow]],
) -> None:
    _org, manager, rows = filed
    at = _run(piece(_table, rows, 7, True, actor=manager, locale="zh_CN"))
    table = at.dataframe[0].value
    zh = lambda text: translate("zh_CN", text)  # noqa: E731
    assert list(table[zh("Name")]) == ["Alpha Co", "Beta Ltd", "Closed Inc"]
    assert list(table[ID_COLUMN]) == [row.id for row in rows]
    assert list(table[zh("Tier")]) == ["A", "—", "—"]  # the override wins; no tier yet
    assert list(table[zh("Status")]) == [zh("Active"), zh("Lead"), zh("Churned")]
    assert list(table[zh("Owner")]) == ["East Rep", "East Sub Rep", "East Rep"]
    assert list(table[zh("Contact")]) == ["Ms Li", "", ""]
    assert list(table[zh("Archived")]) == [False, False, True]
    assert [caption.value for caption in at.caption] == [
        translate("zh_CN", "{count} customers: click a name to open it.", count="7")
    ]


def test_the_archived_column_is_shown_only_with_archived_customers(
    filed: tuple[Org, Actor, list[CustomerRow]],
) -> None:
    _org, manager, rows = filed
    live = [row for row in rows if row.archived_at is None]
    table = _run(piece(_table, live, 2, False, actor=manager)).dataframe[0].value
    assert "Archived" not in table.columns and len(table) == 2
    empty = _run(piece(_table, [], 0, False, actor=manager))
    assert [info.value for info in empty.info] == ["No customer matches these filters."]
    assert len(empty.dataframe) == 0


def test_the_export_keeps_raw_values_with_labels_in_the_users_language(
    filed: tuple[Org, Actor, list[CustomerRow]],
) -> None:
    _org, manager, rows = filed
    frame = _run(piece(_export, rows, actor=manager, locale="zh_CN")).session_state["frame"]
    zh = lambda text: translate("zh_CN", text)  # noqa: E731
    assert list(frame[zh("Kind")]) == [zh("Company"), zh("Person"), zh("Company")]
    assert list(frame[zh("Status")]) == [zh("Active"), zh("Lead"), zh("Churned")]
    # Dates stay dates and a missing value stays empty, for the spreadsheet to sort.
    assert list(frame[zh("Last contact")]) == [date(2026, 3, 2), None, None]
    industry = frame[zh("Industry")]
    assert (industry[0], list(industry.isna())) == ("Retail", [False, True, True])
    assert list(frame[zh("Customer since")]) == [row.created_on for row in rows]
    assert list(frame[zh("Archived")]) == [False, False, True]


def test_a_page_past_the_end_becomes_the_last(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        for number in range(27):
            make_customer(session, org.east_rep.id, f"C{number:02d}")
        rep = org.actor(session, org.east_rep_user)
    bump_data_version(app_env)  # rows written straight to the table
    request = ListRequest(CustomerFilters(), CustomerSort(), page=9, page_size=25)
    at = _run(piece(_load, request, actor=rep))
    assert [text.value for text in at.text] == ["['C25', 'C26'] 27 2 2"]
    assert at.session_state[f"{PREFIX}page"] == 2
    assert at.query_params["page"] == "2"


def test_a_link_s_filters_are_taken_and_an_owner_out_of_scope_left_out(
    filed: tuple[Org, Actor, list[CustomerRow]],
) -> None:
    org, manager, _rows = filed
    at = piece(_request, actor=manager)
    at.query_params.update(
        {"tier": "A", "quiet": "1", "size": "50", "owner": str(org.west_rep.id), "q": " Alp "}
    )
    request = _run(at).session_state["request"]
    assert request.filters == CustomerFilters(search="Alp", tier=Tier.A, quiet=True)
    assert (request.page, request.page_size) == (1, 50)
    assert [warning.value for warning in at.warning] == [
        "Parts of the link were not understood and were left out: Owner."
    ]
