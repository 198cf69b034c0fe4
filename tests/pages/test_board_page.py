"""Board mode on the demo data: set up from a form into the link, rotate through the metrics
run by run, show a new won deal at the next refresh, refuse bad links, and leave."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from babel import dates, numbers
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import User
from services import settings
from services.access import Actor, build_actor
from services.performance import leaderboard
from services.performance.leaderboard import Leaderboard, Ranking
from services.periods import PeriodKind, containing
from tests.factories import win_a_deal
from tests.pages.conftest import by_label, errors, office_today
from ui.text import plain

PAGE = "pages/board_page.py"
UNKNOWN = "The board's link names metrics it cannot show: choose them again."


def _actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _admin_board(engine: Engine, key: str, ranking: Ranking = Ranking.REPS) -> Leaderboard:
    with Session(engine) as session:
        month = containing(PeriodKind.MONTH, settings.office_today(session))
        return leaderboard.standings(session, _actor(engine, "admin"), key, month, ranking=ranking)


def _top(engine: Engine, key: str, ranking: Ranking = Ranking.REPS) -> list[str]:
    """The names the board should list: the admin's ranked places this month, the first 10."""
    board = _admin_board(engine, key, ranking)
    return [row.name for row in board.standings if row.rank is not None][:10]


def _open(logged_in: Callable[..., AppTest], **params: str) -> AppTest:
    at = logged_in("admin")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    return [block.value for block in at.markdown]


def _title(at: AppTest) -> str:
    return at.title[0].value


def test_the_form_starts_a_board_kept_in_the_link(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in)
    assert _title(at) == "Board mode"
    by_label(at.multiselect, "Metrics").select("win_rate")
    by_label(at.number_input, "Seconds per metric").set_value(10)
    by_label(at.button, "Start the board").click().run()
    assert not at.exception, at.exception
    assert (at.query_params["metrics"], at.query_params["every"]) == ("revenue,win_rate", "10")
    assert _title(at) == "Revenue"
    assert [header.value for header in at.subheader] == ["Reps", "Teams"]
    names = _top(demo_app, "revenue")
    assert names and all(name in _texts(at) for name in names)
    teams = _top(demo_app, "revenue", Ranking.TEAMS)
    assert len(teams) == 3 and all(name in _texts(at) for name in teams)


def test_each_refresh_shows_the_next_metric(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, metrics="revenue,deals_won,csat", every="5")
    shown = [_title(at)]
    for _ in range(3):
        at.run()
        shown.append(_title(at))
    assert shown == ["Revenue", "Deals won", "Satisfaction (CSAT)", "Revenue"]


def _won_deal(engine: Engine, amount: str) -> int:
    """A deal the demo rep opens and wins today, through the services as that rep."""
    with Session(engine) as session:
        return win_a_deal(session, "rep", amount, "Board order")


def test_a_new_won_deal_shows_at_the_next_refresh(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, metrics="revenue", every="3")
    rep_id = _won_deal(demo_app, "98765432.10")
    [row] = [row for row in _admin_board(demo_app, "revenue").standings if row.id == rep_id]
    assert row.value is not None
    amount = numbers.format_compact_currency(
        Decimal(round(row.value)) / 100, "CNY", locale="en", fraction_digits=2
    )
    assert f"**{plain(amount)}**" not in _texts(at)
    at.run()
    assert not at.exception, at.exception
    # The rep now leads: the board shows the place and the new total in short form.
    texts = _texts(at)
    first = texts.index(row.name)
    assert texts[first - 2] == "**🥇 1**"
    assert texts[first + 1] == f"**{plain(amount)}**"


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"metrics": "profit"}, UNKNOWN),
        ({"metrics": "revenue,market_share"}, UNKNOWN),
        ({"metrics": "revenue", "every": "1"}, "Refresh every 2 to 3,600 seconds."),
        ({"metrics": "revenue", "every": "soon"}, "Refresh every 2 to 3,600 seconds."),
    ],
)  # fmt: skip
def test_a_bad_link_is_explained_and_the_form_shown(
    demo_app: Engine, logged_in: Any, params: dict[str, str], warning: str
) -> None:
    at = _open(logged_in, **params)
    assert [shown.value for shown in at.warning] == [warning]
    assert _title(at) == "Board mode"
    assert by_label(at.button, "Start the board")


def test_starting_without_a_metric_is_refused(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in)
    by_label(at.multiselect, "Metrics").unselect("revenue")
    by_label(at.button, "Start the board").click().run()
    assert errors(at) == ["Choose at least one metric."]
    assert "metrics" not in at.query_params


def test_leaving_board_mode_returns_to_the_form(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, metrics="revenue", every="30")
    by_label(at.button, "Leave board mode").click().run()
    at.run()
    assert not at.exception, at.exception
    assert _title(at) == "Board mode" and "metrics" not in at.query_params


def test_a_rep_sees_the_board_their_setting_allows(demo_app: Engine, logged_in: Any) -> None:
    at = logged_in("rep")  # in Chinese
    at.query_params.update({"metrics": "revenue", "every": "30"})
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    with Session(demo_app) as session:
        month = containing(PeriodKind.MONTH, settings.office_today(session))
        own = leaderboard.standings(session, _actor(demo_app, "rep"), "revenue", month)
        everyone = leaderboard.standings(session, _actor(demo_app, "admin"), "revenue", month)
    ranked = [row.name for row in own.standings if row.rank is not None]
    assert ranked and all(name in _texts(at) for name in ranked)
    others = {row.name for row in everyone.standings} - {row.name for row in own.standings}
    assert others and not others & set(_texts(at))


def test_the_board_shows_the_running_month_whatever_month_it_was_set_up_in(
    demo_app: Engine, logged_in: Any
) -> None:
    # An office screen left on for weeks must move on with the calendar.
    at = _open(logged_in, metrics="revenue", every="30")
    month = containing(PeriodKind.MONTH, office_today(demo_app))
    at.selectbox(key="period__choice__en").select(month.previous()).run()
    assert not at.exception, at.exception
    [caption] = [c.value for c in at.caption if "updated" in c.value]
    assert caption.startswith(dates.format_skeleton("yMMMM", month.start, locale="en"))
