"""The pipeline page on the demo data, used the way reps and managers use it: add a deal,
move one to won and to lost, bad input refused with nothing written, filters, scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from streamlit.testing.v1 import AppTest

from models import Customer, Deal, DealStageChange, Rep, Team
from models.base import utcnow
from models.enums import Locale, Role
from services import settings
from services.access import build_actor
from services.i18n import translate
from services.periods import PeriodKind, containing
from services.pipeline import deals
from tests.factories import (
    PASSWORD,
    make_customer,
    make_rep,
    make_team,
    make_user,
    open_a_deal,
)
from tests.pages.conftest import (
    by_label,
    errors,
    new_app,
    office_today,
    point_app_at,
    submit_login,
    user_named,
)
from tests.ui.conftest import bump_data_version

PAGE = "pages/pipeline_page.py"


def _deal(engine: Engine, deal_id: int) -> Deal:
    with Session(engine) as session:
        deal = session.get(Deal, deal_id)
        assert deal is not None
        return deal


def _written(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Deals, stage history rows, and every deal's (id, version)."""
    with Session(engine) as session:
        deals = session.exec(select(func.count()).select_from(Deal)).one()
        moves = session.exec(select(func.count()).select_from(DealStageChange)).one()
        versions = session.exec(select(Deal.id, Deal.version).order_by(col(Deal.id))).all()
    return deals, moves, [tuple(row) for row in versions]


def _moves(engine: Engine, deal_id: int) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(
            select(DealStageChange)
            .where(DealStageChange.deal_id == deal_id)
            .order_by(col(DealStageChange.changed_at), col(DealStageChange.id))
        ).all()
    return [(row.from_stage, row.to_stage, row.changed_by_user_id) for row in rows]


def _open(logged_in: Callable[..., AppTest], username: str) -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _filter(at: AppTest, name: str, value: Any) -> AppTest:
    at.selectbox(key=f"pipeline__{name}__en").select(value).run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest, label: str) -> AppTest:
    by_label(at.button, label).click().run()
    assert not at.exception, at.exception
    return at


def _saved(at: AppTest, label: str) -> list[str]:
    """Submit a form that saves; returns the success shown after its st.rerun(). One more
    run settles AppTest, which drops widget events in the run right after a rerun."""
    _submit(at, label)
    assert not errors(at), errors(at)
    shown = [success.value for success in at.success]
    at.run()
    return shown


def _table(at: AppTest) -> Any:
    [table] = [frame.value for frame in at.dataframe if "Deal" in frame.value]
    return table


def _caption_total(at: AppTest) -> str:
    [caption] = [c.value for c in at.caption if c.value.startswith("Page ")]
    return caption.rsplit("· ", 1)[1]


@pytest.fixture
def rep_page(demo_app: Engine, logged_in: Callable[..., AppTest]) -> AppTest:
    """The rep's open leads, whenever they were opened, with a lead of their own chosen."""
    with Session(demo_app) as session:
        lead = open_a_deal(session, "rep", title="Lead to move")
    at = _open(logged_in, "rep")
    _filter(at, "dated", "any")
    _filter(at, "stage", "lead")
    at.selectbox(key="pipeline__deals__chosen").select(lead.id).run()
    return at


def _chosen_deal(at: AppTest) -> tuple[int, str]:
    """The deal the edit box has chosen, and the prefix of its move form's widgets."""
    deal_id = at.selectbox(key="pipeline__deals__chosen").value
    version = _deal_version(at, deal_id)
    return deal_id, f"pipeline__deals__move_{deal_id}_{version}"


def _deal_version(at: AppTest, deal_id: int) -> int:
    prefix = f"pipeline__deals__move_{deal_id}_"
    [key] = [box.key for box in at.selectbox if box.key and box.key.startswith(prefix)]
    return int(key.removeprefix(prefix).split("__")[0])


def test_a_rep_adds_a_deal_for_their_customer(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, "rep")
    rep = user_named(demo_app, "rep")
    with Session(demo_app) as session:
        customer = session.exec(
            select(Customer).where(Customer.owner_rep_id == rep.rep_id).order_by(Customer.id)
        ).first()
    assert customer is not None
    at.text_input(key="pipeline__add__customer__search").input(customer.name[:6]).run()
    at.selectbox(key="pipeline__add__customer").select(customer.id)
    at.text_input(key="pipeline__add__title").input("Spring order")
    at.text_input(key="pipeline__add__product").input("Training Package")
    before = _written(demo_app)
    for amount, message in [
        ("-5", "The amount cannot be negative."),
        ("a lot", "Enter the amount as a number, like 12500.50."),
    ]:
        at.text_input(key="pipeline__add__amount").input(amount)
        _submit(at, "Add the deal")
        assert message in errors(at)
        assert _written(demo_app) == before

    at.text_input(key="pipeline__add__amount").input("25,000.50")
    assert _saved(at, "Add the deal") == ["The deal Spring order was added."]
    with Session(demo_app) as session:
        deal = session.exec(select(Deal).where(Deal.title == "Spring order")).one()
    assert (deal.customer_id, deal.rep_id, deal.amount, deal.stage) == (
        customer.id, rep.rep_id, 2_500_050, "lead",
    )  # fmt: skip
    assert _moves(demo_app, deal.id) == [(None, "lead", rep.id)]
    # The form starts again from finding a customer.
    assert at.text_input(key="pipeline__add__customer__search").value == ""
    assert "pipeline__add__title" not in [box.key for box in at.text_input]


def test_moving_a_deal_to_won_needs_a_close_date_and_an_amount(
    demo_app: Engine, rep_page: AppTest
) -> None:
    at = rep_page
    deal_id, prefix = _chosen_deal(at)
    at.selectbox(key=f"{prefix}__stage").select("won").run()
    before = _written(demo_app)
    for amount, closed, message in [
        ("", office_today(demo_app), "A won deal needs an amount above zero."),
        ("-100", office_today(demo_app), "The amount cannot be negative."),
        ("ten", office_today(demo_app), "Enter the amount as a number, like 12500.50."),
        ("80000", None, "A won deal needs its close date."),
    ]:
        at.text_input(key=f"{prefix}__amount").input(amount)
        at.date_input(key=f"{prefix}__closed").set_value(closed)
        _submit(at, "Move the deal")
        assert message in errors(at)
        assert _written(demo_app) == before

    at.text_input(key=f"{prefix}__amount").input("80000")
    at.date_input(key=f"{prefix}__closed").set_value(office_today(demo_app))
    assert _saved(at, "Move the deal") == ["The deal was moved to Won."]
    deal = _deal(demo_app, deal_id)
    assert (deal.stage, deal.amount, deal.closed_on) == ("won", 8_000_000, office_today(demo_app))
    assert _moves(demo_app, deal_id)[-1] == ("lead", "won", user_named(demo_app, "rep").id)


def test_moving_a_deal_to_lost_needs_a_reason(demo_app: Engine, rep_page: AppTest) -> None:
    at = rep_page
    deal_id, prefix = _chosen_deal(at)
    amount = _deal(demo_app, deal_id).amount
    at.selectbox(key=f"{prefix}__stage").select("lost").run()
    before = _written(demo_app)
    _submit(at, "Move the deal")
    assert "Say why the deal was lost." in errors(at)
    assert _written(demo_app) == before

    at.text_input(key=f"{prefix}__reason").input("Chose a competitor")
    _saved(at, "Move the deal")
    deal = _deal(demo_app, deal_id)
    assert (deal.stage, deal.lost_reason, deal.amount) == ("lost", "Chose a competitor", amount)
    assert _moves(demo_app, deal_id)[-1] == ("lead", "lost", user_named(demo_app, "rep").id)
    # Now among the deals lost this month, and its history shows the move.
    _filter(_filter(at, "stage", "lost"), "dated", "closed")
    at.selectbox(key="pipeline__deals__chosen").select(deal_id).run()
    [history] = [frame.value for frame in at.dataframe if "From" in frame.value]
    assert list(history["To"])[-1] == "Lost"


def test_a_rep_sees_only_their_own_deals(demo_app: Engine, logged_in: Any) -> None:
    at = _filter(_open(logged_in, "rep"), "dated", "any")
    rep = user_named(demo_app, "rep")
    with Session(demo_app) as session:
        name = session.exec(select(Rep.name).where(Rep.id == rep.rep_id)).one()
        own = session.exec(
            select(func.count())
            .select_from(Deal)
            .where(Deal.rep_id == rep.rep_id, col(Deal.archived_at).is_(None))
        ).one()
    assert set(_table(at)["Rep"]) == {name}
    assert _caption_total(at) == f"{own:,} deals"
    keys = [box.key for box in at.selectbox]
    assert "pipeline__team__en" not in keys and "pipeline__rep__en" not in keys
    # The edit form can give a deal only to the rep themself.
    [rep_box] = [box for box in at.selectbox if (box.key or "").endswith("__rep")]
    assert rep_box.options == [name]


def _count_deals(engine: Engine, *where: Any) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(Deal).where(col(Deal.archived_at).is_(None))
        return session.exec(query.where(*where)).one()


def test_filters_pick_the_deals(demo_app: Engine, logged_in: Any) -> None:
    with Session(demo_app) as session:
        team_id = session.exec(select(Team.id).where(Team.name == "Team East")).one()
        reps = dict(session.exec(select(Rep.id, Rep.name).where(Rep.team_id == team_id)).all())
        rep_id = session.exec(
            select(func.min(Rep.id)).where(Rep.team_id == team_id, Rep.status == "active")
        ).one()
        # A lead and a won deal of the product, so the filters below pick some whatever the day.
        open_a_deal(session, "admin", rep_id=rep_id, product="Training Package")
        sold = open_a_deal(session, "admin", rep_id=rep_id, product="Training Package")
        admin = build_actor(session, user_named(demo_app, "admin"))
        deals.move_stage(
            session, admin, deal_id=sold.id, version=sold.version, stage="won",
            amount="1000", closed_on=settings.office_today(session),
        )  # fmt: skip
    at = _filter(_open(logged_in, "admin"), "dated", "any")
    in_team = col(Deal.rep_id).in_(list(reps))
    assert _caption_total(at) == f"{_count_deals(demo_app):,} deals"

    _filter(at, "team", team_id)
    assert set(_table(at)["Rep"]) <= set(reps.values())
    assert _caption_total(at) == f"{_count_deals(demo_app, in_team):,} deals"
    assert set(at.selectbox(key="pipeline__rep__en").options) == {"All reps", *reps.values()}

    _filter(at, "product", "Training Package")
    assert set(_table(at)["Product"]) == {"Training Package"}
    trained = _count_deals(demo_app, in_team, Deal.product == "Training Package")
    assert _caption_total(at) == f"{trained:,} deals"

    _filter(_filter(at, "rep", rep_id), "stage", "won")
    assert set(_table(at)["Rep"]) == {reps[rep_id]}
    assert set(_table(at)["Stage"]) == {"Won"}
    won = _count_deals(
        demo_app, Deal.rep_id == rep_id, Deal.product == "Training Package", Deal.stage == "won"
    )
    assert _caption_total(at) == f"{won:,} deals"
    # The stage board spans every stage, whatever the stage filter: every lead open now,
    # the deals won in the sidebar's month (the one above was won today).
    leads = _count_deals(
        demo_app, Deal.rep_id == rep_id, Deal.product == "Training Package", Deal.stage == "lead"
    )
    month = containing(PeriodKind.MONTH, office_today(demo_app))
    won_this_month = _count_deals(
        demo_app, Deal.rep_id == rep_id, Deal.product == "Training Package",
        Deal.stage == "won", col(Deal.closed_on).between(month.start, month.end),
    )  # fmt: skip
    assert by_label(at.metric, "Won").value == f"{won_this_month:,}"
    assert by_label(at.metric, "Lead").value == f"{leads:,}"
    assert won_this_month > 0 and leads > 0

    _submit(at, "Export")
    assert [button.proto.label for button in at.get("download_button")] == [
        "Download CSV", "Download Excel",
    ]  # fmt: skip


def test_the_customer_page_lists_its_deals_and_adds_one(demo_app: Engine, logged_in: Any) -> None:
    rep = user_named(demo_app, "rep")
    with Session(demo_app) as session:
        customer = session.exec(
            select(Customer).where(Customer.owner_rep_id == rep.rep_id).order_by(Customer.id)
        ).first()
    assert customer is not None
    shown = _count_deals(demo_app, Deal.customer_id == customer.id, Deal.rep_id == rep.rep_id)
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params["id"] = str(customer.id)
    at.switch_page("pages/customer_page.py").run()
    assert not at.exception, at.exception
    assert set(_table(at)["Customer"]) == {customer.name}
    assert _caption_total(at) == f"{shown:,} deals"

    at.text_input(key="customer__deal_add__title").input("Renewal")
    at.text_input(key="customer__deal_add__amount").input("-1")
    _submit(at, "Add the deal")
    assert "The amount cannot be negative." in errors(at)
    at.text_input(key="customer__deal_add__amount").input("9900")
    assert _saved(at, "Add the deal") == ["The deal Renewal was added."]
    assert _count_deals(demo_app, Deal.customer_id == customer.id, Deal.rep_id == rep.rep_id) == (
        shown + 1
    )
    assert _caption_total(at) == f"{shown + 1:,} deals"


@pytest.mark.parametrize("locale", [Locale.EN, Locale.ZH_CN])
def test_on_the_first_of_a_month_the_open_pipeline_holds_every_open_deal(
    engine: Engine,
    backend_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    locale: Locale,
) -> None:
    """As on the 1st: nothing opened or closed in the running month, yet deals opened long
    ago are open. The open figures count them; the funnel says it holds no deal."""
    point_app_at(backend_url, monkeypatch, tmp_path)
    with Session(engine, expire_on_commit=False) as session:
        manager = make_user(session, Role.MANAGER, username="first", locale=locale)
        rep = make_rep(session, make_team(session, manager_user_id=manager.id))
        customer = make_customer(session, rep.id)
        long_ago = utcnow() - timedelta(days=400)
        # Open: CN¥1,000,000 + CN¥500,000 = CN¥1.5M over 2 deals; won long ago: not open.
        for stage, amount in [("lead", 100_000_000), ("proposal", 50_000_000), ("won", 7)]:
            session.add(
                Deal(
                    customer_id=customer.id, rep_id=rep.id, title=stage, amount=amount,
                    stage=stage, created_at=long_ago,
                    closed_on=long_ago.date() if stage == "won" else None,
                )
            )  # fmt: skip
        session.commit()
    bump_data_version(engine)
    at = new_app().run()
    submit_login(at, "first", PASSWORD)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception

    def tile(label: str) -> str:
        return by_label(at.metric, translate(locale, label)).value

    def before_period(msgid: str) -> str:
        """A caption's words before its period, whatever the period is called."""
        return translate(locale, msgid).split("{period}")[0]

    def says(msgid: str) -> bool:
        return any(caption.value.startswith(before_period(msgid)) for caption in at.caption)

    # CN¥1.5M in English, ¥150万 in Chinese.
    digits = {Locale.EN: "1.5", Locale.ZH_CN: "150"}[locale]
    assert digits in tile("Open pipeline"), tile("Open pipeline")
    # Short on its tile, in full in the tile's help.
    assert "1,500,000.00" in by_label(at.metric, translate(locale, "Open pipeline")).proto.help
    assert tile("Open deals") == "2"
    assert (tile("Lead"), tile("Proposal"), tile("Won")) == ("1", "1", "0")
    # The page says which figure counts which deals.
    assert says(
        "Open pipeline and open deals count every deal open now, whenever it was opened: "
        "the period and the Dates box do not change them."
    )
    assert says(
        "Lead to negotiation: every deal open now, whenever it was opened. Won and lost: "
        "the deals closed in {period}."
    )
    assert says("Dates: the funnel and the deal list show the deals opened in {period}.")
    any_date = translate(locale, "Any date")
    empty_funnel = translate(
        locale,
        "No deal matches these filters and dates; choose “{any_date}” under Dates to see "
        "every deal.",
        any_date=any_date,
    )
    assert empty_funnel in [info.value for info in at.info]

    # Any date: the funnel and the list hold the three deals; the open figures stay.
    at.selectbox(key=f"pipeline__dated__{locale}").select("any").run()
    assert not at.exception, at.exception
    assert empty_funnel not in [info.value for info in at.info]
    assert says("Dates: the funnel and the deal list show every deal, whatever its dates.")
    assert tile("Open deals") == "2"


def test_the_deal_picker_finds_a_deal_off_the_page_and_shows_its_stage_after_a_move(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    with Session(demo_app) as session:
        rep = user_named(demo_app, "rep")
        # The rep's oldest open lead: the last a newest-first list comes to.
        oldest = session.exec(
            select(Deal)
            .where(Deal.rep_id == rep.rep_id, Deal.stage == "lead", col(Deal.archived_at).is_(None))
            .order_by(col(Deal.created_at), col(Deal.id))
        ).first()
        if oldest is None:
            oldest = open_a_deal(session, "rep", title="Only lead")
        title = f"Picker test {oldest.id}"
        oldest.title = title
        session.add(oldest)
        session.commit()
        bump_data_version(demo_app)
        deal_id = oldest.id
    at = _open(logged_in, "rep")
    at.text_input(key="pipeline__deals__find").input(title.upper()).run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="pipeline__deals__chosen")
    assert picker.options == [f"{title} · {_customer_name(demo_app, deal_id)} · Lead"]
    prefix = f"pipeline__deals__move_{deal_id}_{_deal_version(at, deal_id)}"
    at.selectbox(key=f"{prefix}__stage").select("qualified").run()
    assert _saved(at, "Move the deal") == ["The deal was moved to Qualified."]
    assert at.selectbox(key="pipeline__deals__chosen").options == [
        f"{title} · {_customer_name(demo_app, deal_id)} · Qualified"
    ]
    at.text_input(key="pipeline__deals__find").input("no deal is called this").run()
    assert [info.value for info in at.info if info.value == "No deal matches."]


def _customer_name(engine: Engine, deal_id: int) -> str:
    with Session(engine) as session:
        deal = session.get(Deal, deal_id)
        customer = session.get(Customer, deal.customer_id)
        return customer.name
