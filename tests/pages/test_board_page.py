"""Board mode on the demo data: set up from a form into the link, turn the pages of each
metric and then the next metric run by run, list every rep in scope over one rotation, show
a new won deal when its page comes round, refuse bad links, and leave."""

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
from services import metrics, settings
from services.access import Actor, build_actor
from services.i18n import translate
from services.performance import leaderboard
from services.performance.leaderboard import Leaderboard, Ranking
from services.periods import PeriodKind, containing
from tests.factories import win_a_deal
from tests.pages.conftest import by_label, errors, office_today
from ui.performance.board import page_count, page_of
from ui.text import plain

PAGE = "pages/board_page.py"
UNKNOWN = "The board's link names metrics it cannot show: choose them again."


def _actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _board(
    engine: Engine, key: str, ranking: Ranking = Ranking.REPS, username: str = "admin"
) -> Leaderboard:
    with Session(engine) as session:
        month = containing(PeriodKind.MONTH, settings.office_today(session))
        actor = _actor(engine, username)
        return leaderboard.standings(session, actor, key, month, ranking=ranking)


def _first_page(engine: Engine, key: str, ranking: Ranking = Ranking.REPS) -> list[str]:
    """The names the board's first slide lists: the admin's first places this month."""
    return [row.name for row in page_of(_board(engine, key, ranking), 0)]


def _pages(engine: Engine, key: str, username: str = "admin") -> int:
    """A metric's slides: the pages of its reps or of its teams, whichever has more."""
    return max(page_count(_board(engine, key, ranking, username)) for ranking in Ranking)


def _rotation(engine: Engine, keys: list[str], username: str = "admin") -> list[str]:
    """The titles one rotation shows, slide by slide."""
    titles = [translate("en", metrics.REGISTRY[key].label) for key in keys]
    return [title for key, title in zip(keys, titles, strict=True)
            for _ in range(_pages(engine, key, username))]  # fmt: skip


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
    by_label(at.number_input, "Seconds per page").set_value(10)
    by_label(at.button, "Start the board").click().run()
    assert not at.exception, at.exception
    assert (at.query_params["metrics"], at.query_params["every"]) == ("revenue,win_rate", "10")
    assert _title(at) == "Revenue"
    assert [header.value for header in at.subheader] == ["Reps", "Teams"]
    names = _first_page(demo_app, "revenue")
    assert names and all(name in _texts(at) for name in names)
    teams = _first_page(demo_app, "revenue", Ranking.TEAMS)
    assert teams and all(name in _texts(at) for name in teams)


def _page_caption(at: AppTest) -> str | None:
    [caption] = [c.value for c in at.caption if "updated" in c.value]
    return caption.rsplit(" · ", 1)[1] if "Page" in caption else None


def test_each_refresh_shows_the_next_page_then_the_next_metric(
    demo_app: Engine, logged_in: Any
) -> None:
    keys = ["revenue", "deals_won", "csat"]
    expected = _rotation(demo_app, keys)
    at = _open(logged_in, metrics=",".join(keys), every="5")
    shown = [(_title(at), _page_caption(at))]
    for _ in expected:
        at.run()
        shown.append((_title(at), _page_caption(at)))
    # A rotation, then its first slide again; a metric of several pages says which it shows.
    assert [title for title, _page in shown] == [*expected, expected[0]]
    for key in keys:
        pages = _pages(demo_app, key)
        title = translate("en", metrics.REGISTRY[key].label)
        where = [page for shown_title, page in shown[: len(expected)] if shown_title == title]
        assert where == ([None] if pages == 1 else
                         [f"Page {n} of {pages}" for n in range(1, pages + 1)])  # fmt: skip


def _rotated_texts(at: AppTest, slides: int) -> set[str]:
    """Every Markdown text the board shows over `slides` slides from the current one."""
    seen = set(_texts(at))
    for _ in range(slides - 1):
        at.run()
        assert not at.exception, at.exception
        seen |= set(_texts(at))
    return seen


def test_every_rep_in_scope_appears_over_one_rotation(demo_app: Engine, logged_in: Any) -> None:
    keys = ["revenue", "win_rate"]
    at = _open(logged_in, metrics=",".join(keys), every="5")
    seen = _rotated_texts(at, len(_rotation(demo_app, keys)))
    for key in keys:
        for ranking in Ranking:
            names = {row.name for row in _board(demo_app, key, ranking).standings}
            assert names and names <= seen, (key, ranking)


def _won_deal(engine: Engine, amount: str) -> int:
    """A deal the demo rep opens and wins today, through the services as that rep."""
    with Session(engine) as session:
        return win_a_deal(session, "rep", amount, "Board order")


def test_a_new_won_deal_shows_at_the_next_refresh(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, metrics="revenue", every="3")
    rep_id = _won_deal(demo_app, "98765432.10")
    [row] = [row for row in _board(demo_app, "revenue").standings if row.id == rep_id]
    assert row.value is not None
    amount = numbers.format_compact_currency(
        Decimal(round(row.value)) / 100, "CNY", locale="en", fraction_digits=2
    )
    assert f"**{plain(amount)}**" not in _texts(at)
    # The rep now leads: the first page, when it comes round, shows the place and the new
    # total in short form.
    for _ in range(_pages(demo_app, "revenue")):
        at.run()
        assert not at.exception, at.exception
        if row.name in _texts(at):
            break
    texts = _texts(at)
    first = texts.index(row.name)
    assert texts[first - 2] == ":yellow-badge[:material/trophy: 1]"
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
    own = {row.name for row in _board(demo_app, "revenue", username="rep").standings}
    everyone = {row.name for row in _board(demo_app, "revenue").standings}
    seen = _rotated_texts(at, _pages(demo_app, "revenue", "rep"))
    assert own and own <= seen
    others = everyone - own
    assert others and not others & seen


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
