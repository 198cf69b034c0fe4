"""ui/pipeline/deals.py: the paged deal table shows the typed rows of the actor's scope, a
page at a time with Previous and Next, and the export holds plain numbers and dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Deal
from models.enums import DealStage
from services.pipeline.deals import PAGE_SIZE
from tests.factories import Org, actor_for, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import bump_data_version, piece

OPENED = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _file(engine: Engine, org: Org, leads: int) -> None:
    """A won deal of East Rep's, then `leads` newer leads of East Rep's; a lead of West Rep's."""
    with Session(engine) as session:
        east = make_customer(session, org.east_rep.id, "East client")
        west = make_customer(session, org.west_rep.id, "West client")
        session.add(
            Deal(
                customer_id=east.id, rep_id=org.east_rep.id, title="Won big", product="ERP",
                amount=1_250_050, stage=DealStage.WON, probability=100,
                closed_on=date(2026, 1, 20), created_at=OPENED,
            )
        )  # fmt: skip
        for number in range(1, leads + 1):
            session.add(
                Deal(
                    customer_id=east.id, rep_id=org.east_rep.id, title=f"Lead {number:02d}",
                    amount=100, created_at=OPENED + timedelta(minutes=number),
                )
            )  # fmt: skip
        session.add(Deal(customer_id=west.id, rep_id=org.west_rep.id, title="West lead"))
        session.commit()
    bump_data_version(engine)


def _paged() -> None:
    import streamlit as st

    from services.pipeline.deals import DealFilters, DealStage
    from ui.pipeline.deals import export, paged_deals

    stage = DealStage.WON if st.session_state.get("test__won") else None
    page = paged_deals(DealFilters(stage=stage), key="test__deals")
    st.text(f"page {page.page} of {page.pages}: {len(page.rows)} of {page.total}")
    export(DealFilters(stage=stage), page.total, key="test")


def _exported() -> None:
    import streamlit as st

    from services.pipeline.deals import DealFilters, DealStage
    from ui.pipeline.deals import _export_frame

    st.dataframe(_export_frame(DealFilters(stage=DealStage.WON)), key="test__frame")


def _open(
    engine: Engine, org: Org, script: Callable[[], None] = _paged, locale: str = "en"
) -> AppTest:
    with Session(engine) as session:
        actor = actor_for(session, org.east_rep_user)
    at = piece(script, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def test_the_table_shows_the_rows_of_the_scope_by_translated_header(
    fresh_app_env: Engine, org: Org
) -> None:
    _file(fresh_app_env, org, leads=1)
    at = _open(fresh_app_env, org)
    table = at.dataframe[0].value
    assert list(table["Deal"]) == ["Lead 01", "Won big"]
    assert list(table["Customer"]) == ["East client"] * 2
    assert list(table["Rep"]) == ["East Rep"] * 2
    assert list(table["Stage"]) == ["Lead", "Won"]
    assert list(table["Product"]) == ["", "ERP"]
    # Whole yuan in the table (the export keeps the cents).
    assert table["Amount"].iloc[1] == "CN¥12,501"
    assert table["Probability"].iloc[1] == "100.0%"
    assert at.text[0].value == "page 1 of 1: 2 of 2"


def test_a_long_list_pages_and_a_new_filter_starts_on_page_one(
    fresh_app_env: Engine, org: Org
) -> None:
    _file(fresh_app_env, org, leads=PAGE_SIZE)
    at = _open(fresh_app_env, org)
    total = PAGE_SIZE + 1
    assert at.text[0].value == f"page 1 of 2: {PAGE_SIZE} of {total}"
    assert by_label(at.button, "Previous").disabled
    by_label(at.button, "Next").click().run()
    assert at.text[0].value == f"page 2 of 2: 1 of {total}"
    assert list(at.dataframe[0].value["Deal"]) == ["Won big"]
    assert by_label(at.button, "Next").disabled
    at.session_state["test__won"] = True
    at.run()
    assert at.text[0].value == "page 1 of 1: 1 of 1"


def test_no_deal_is_a_message_in_the_users_language(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org, locale="zh_CN")
    assert not at.dataframe
    assert [info.value for info in at.info] == ["没有匹配的商机。"]


def test_the_export_holds_plain_amounts_and_dates(fresh_app_env: Engine, org: Org) -> None:
    _file(fresh_app_env, org, leads=1)
    at = _open(fresh_app_env, org, _exported)
    frame = at.dataframe[0].value
    assert list(frame["Deal"]) == ["Won big"]
    assert frame["Amount (CNY)"].iloc[0] == Decimal("12500.50")
    assert frame["Probability (%)"].iloc[0] == 100
    assert frame["Closed"].iloc[0] == date(2026, 1, 20)
    assert frame["Opened"].iloc[0] == OPENED.date()
