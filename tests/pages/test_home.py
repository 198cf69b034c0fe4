"""Home on the demo data: scope per role, fresh numbers after a write, bad links explained."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from babel import dates, numbers
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Customer, Deal, Interaction, Rep, User
from models.base import utcnow
from models.enums import DealStage, PeriodKind
from services import metrics, settings
from services.access import build_actor
from services.performance import dashboard
from services.periods import Period, containing
from services.unit_of_work import unit_of_work
from tests.pages.conftest import by_label, new_app, submit_login


def _actor(engine: Engine, username: str):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _this_month(engine: Engine):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return containing(PeriodKind.MONTH, settings.office_today(session))


def _tile(at, label: str) -> str:  # type: ignore[no-untyped-def]
    return by_label(at.metric, label).value


def _revenue(engine: Engine, username: str) -> float:
    actor = _actor(engine, username)
    with Session(engine) as session:
        return metrics.scope_value(session, actor, "revenue", _this_month(engine)).value or 0


def _shown_money(minor_units: float) -> str:
    # Tiles shorten money: CN¥5.91M.
    return numbers.format_compact_currency(
        Decimal(round(minor_units)) / 100, "CNY", locale="en", fraction_digits=2
    )


def _sell_and_promise(engine: Engine, rep_name: str, amount: int) -> None:
    """A won deal today and an overdue follow-up for a new customer of `rep_name`."""
    admin = _actor(engine, "admin")
    with Session(engine) as session, unit_of_work(session, admin) as uow:
        rep = session.exec(select(Rep).where(Rep.name == rep_name)).one()
        today = settings.office_today(session)
        customer = uow.add(Customer(name=f"Client of {rep_name}", owner_rep_id=rep.id))
        uow.add(
            Deal(
                customer_id=customer.id, rep_id=rep.id, title="Win", amount=amount,
                stage=DealStage.WON, probability=100, closed_on=today,
            )
        )  # fmt: skip
        uow.add(
            Interaction(
                customer_id=customer.id, rep_id=rep.id, occurred_at=utcnow(), channel="call",
                summary="Promised a quote", next_follow_up_on=today - timedelta(days=2),
            )
        )  # fmt: skip


def test_a_rep_sees_only_their_own_numbers(demo_app: Engine, logged_in) -> None:
    _sell_and_promise(demo_app, "Li Wei 李伟", 500_000)
    _sell_and_promise(demo_app, "Zhang Min 张敏", 900_000)
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    own, everyone = _revenue(demo_app, "rep"), _revenue(demo_app, "admin")
    assert own < everyone
    assert _tile(at, "Revenue") == _shown_money(own)
    assert "Team" not in [box.label for box in at.selectbox]
    rep_columns = [frame.value["Rep"] for frame in at.dataframe if "Rep" in frame.value]
    assert rep_columns, "the attention list shows rows for the rep"
    assert {name for column in rep_columns for name in column} == {"Li Wei 李伟"}


def test_a_write_shows_at_once(demo_app: Engine, logged_in) -> None:
    _sell_and_promise(demo_app, "Li Wei 李伟", 500_000)
    at = logged_in("admin")
    before = _revenue(demo_app, "admin")
    assert _tile(at, "Revenue") == _shown_money(before)
    admin = _actor(demo_app, "admin")
    with Session(demo_app) as session, unit_of_work(session, admin) as uow:
        customer = session.exec(select(Customer).order_by(Customer.id)).first()
        assert customer is not None
        uow.add(
            Deal(
                customer_id=customer.id, rep_id=customer.owner_rep_id, title="Fresh win",
                amount=12_345_600, stage=DealStage.WON, probability=100,
                closed_on=settings.office_today(session),
            )
        )  # fmt: skip
    at.run()
    assert _tile(at, "Revenue") == _shown_money(before + 12_345_600)


def test_a_manager_narrows_home_to_one_team(demo_app: Engine, logged_in) -> None:
    at = logged_in("manager")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    team = by_label(at.selectbox, "Team")
    assert team.options[0] == "All my teams"
    # Chosen, not an empty box with Streamlit's "Choose an option".
    assert team.index == 0
    assert set(team.options[1:]) == {"Team East"}
    team.select_index(1).run()
    assert not at.exception


def test_a_bad_period_in_the_link_is_explained(demo_app: Engine) -> None:
    at = new_app()
    at.query_params.update({"period": "custom", "from": "2026-05-01", "to": "2026-04-01"})
    at.run()
    submit_login(at, "admin", "demo1234")
    warnings = [warning.value for warning in at.warning]
    assert any("The end date is before the start date." in text for text in warnings), warnings
    month = _this_month(demo_app)
    assert at.query_params["period"] in ("month", ["month"])
    assert month.start.isoformat() in str(at.query_params["from"])


def test_an_unknown_metric_in_the_link_is_explained(demo_app: Engine) -> None:
    at = new_app()
    at.query_params["metric"] = "happiness"
    at.run()
    submit_login(at, "admin", "demo1234")
    assert "Unknown metric: happiness." in [warning.value for warning in at.warning]
    assert by_label(at.selectbox, "Metric").value == "revenue"


def _compared_caption(month: Period, today: date) -> str:
    """What each tile says it is compared with: the same days of last month while this one
    runs, as `Period.comparison` cuts them, with dates as Home writes them in English: "vs
    Nov 1", "vs Nov 1 – 15", or "vs November 2026" once the month is all of last month's."""
    span = month.comparison(today)
    if span == month.previous():
        return "vs " + dates.format_skeleton("yMMMM", span.start, locale="en")
    start = dates.format_skeleton("MMMd", span.start, locale="en")
    if span.start == span.end:
        return f"vs {start}"
    # Both days lie in last month: the month is written once (Babel's thin spaces around –).
    return f"vs {start}\u2009–\u2009{span.end.day}"


def test_the_tiles_compare_the_running_month_like_for_like(demo_app: Engine, logged_in) -> None:
    at = logged_in("admin")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    with Session(demo_app) as session:
        today = settings.office_today(session)
    captions = [caption.value for caption in at.caption]
    compared = [text for text in captions if text.startswith("vs ")]
    assert compared == [_compared_caption(_this_month(demo_app), today)] * len(dashboard.KPI_KEYS)
    # The trend runs into this month: its dashed line is explained.
    assert "The dashed line leads to this month so far; no line before the first deal." in (
        captions
    )
