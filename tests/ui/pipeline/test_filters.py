"""ui/pipeline/filters.py: the filter row gives the DealFilters chosen; a rep has no team or
rep box, a manager chooses among the reps of the chosen team; labels in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Deal, User
from services.i18n import translate
from tests.factories import Org, actor_for, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import bump_data_version, piece


def _filters() -> None:
    import streamlit as st

    from services.periods import PeriodKind, containing
    from ui import runtime
    from ui.pipeline.filters import deal_filters

    chosen = containing(PeriodKind.MONTH, runtime.office_day())
    found = deal_filters(runtime.current_actor(), chosen)
    st.text(
        f"rep {found.rep_id} team {found.team_id} product {found.product} stage {found.stage} "
        f"this month {found.period == chosen} any date {found.period is None} "
        f"by {found.dated_by}"
    )


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        org = Org(session)
        for rep, product in [(org.east_rep, "ERP"), (org.west_rep, "CRM")]:
            customer = make_customer(session, rep.id)
            session.add(Deal(customer_id=customer.id, rep_id=rep.id, title="d", product=product))
        session.commit()
    bump_data_version(fresh_app_env)
    return org


def _open(engine: Engine, user: User, locale: str = "en") -> AppTest:
    with Session(engine) as session:
        actor = actor_for(session, user)
    at = piece(_filters, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return at.text[0].value


def test_a_rep_filters_their_own_deals_by_product_stage_and_date(
    fresh_app_env: Engine, org: Org
) -> None:
    at = _open(fresh_app_env, org.east_rep_user)
    assert [box.label for box in at.selectbox] == ["Product", "Stage", "Dates"]
    assert by_label(at.selectbox, "Product").options == ["All products", "ERP"]
    assert _shown(at) == (
        "rep None team None product None stage None this month True any date False by created"
    )
    by_label(at.selectbox, "Stage").select("lost").run()
    by_label(at.selectbox, "Product").select("ERP").run()
    by_label(at.selectbox, "Dates").select("closed").run()
    assert _shown(at) == (
        "rep None team None product ERP stage lost this month True any date False by closed"
    )
    by_label(at.selectbox, "Dates").select("any").run()
    assert _shown(at).endswith("this month False any date True by created")


def test_a_manager_chooses_a_rep_of_the_chosen_team(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org.east_manager)
    assert [box.label for box in at.selectbox] == ["Team", "Rep", "Product", "Stage", "Dates"]
    assert by_label(at.selectbox, "Rep").options == ["All reps", "East Rep", "East Sub Rep"]
    by_label(at.selectbox, "Team").select(org.east_sub.id).run()
    assert by_label(at.selectbox, "Rep").options == ["All reps", "East Sub Rep"]
    by_label(at.selectbox, "Rep").select(org.east_sub_rep.id).run()
    assert _shown(at).startswith(f"rep {org.east_sub_rep.id} team {org.east_sub.id} ")


def test_an_admin_sees_every_product_and_the_boxes_speak_chinese(
    fresh_app_env: Engine, org: Org
) -> None:
    at = _open(fresh_app_env, org.admin, locale="zh_CN")
    assert [box.label for box in at.selectbox] == [
        translate("zh_CN", label) for label in ["Team", "Rep", "Product", "Stage", "Dates"]
    ]
    product = by_label(at.selectbox, translate("zh_CN", "Product"))
    assert product.options == [translate("zh_CN", "All products"), "CRM", "ERP"]
    stage = by_label(at.selectbox, translate("zh_CN", "Stage"))
    assert stage.options[1:] == [translate("zh_CN", label) for label in [
        "Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost",
    ]]  # fmt: skip
