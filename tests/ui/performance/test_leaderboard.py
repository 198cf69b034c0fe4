"""ui/performance/leaderboard.py: places with medals shared by ties, movement since the last
period, the actor's own row marked, the podium, the summary line, and a ranking the service
refuses shown as a translated error that stops the page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from services.i18n import translate
from services.performance.leaderboard import Leaderboard, Ranking, Standing, Visibility
from services.periods import Period, PeriodKind
from tests.factories import Org
from tests.ui.conftest import piece

MARCH = Period(PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31))


def _board(board: object, key: str, chosen: object) -> None:  # runs as a script: builtins
    import streamlit as st

    from services import metrics
    from ui.performance import leaderboard as view

    st.caption(view.summary(board, chosen))
    view.podium(board, metrics.REGISTRY[key])
    view.standings_table(board, metrics.REGISTRY[key])


def _standing(name: str, rank: int | None, previous: int | None, **fields: Any) -> Standing:
    values = {"id": rank or 0, "group": None, "value": None, "target": None,
              "attainment": None} | fields  # fmt: skip
    return Standing(name=name, rank=rank, previous_rank=previous, **values)


REPS = [
    _standing("Ann", 1, 3, group="East", value=500_000, target=1_000_000, attainment=0.5,
              own=True),
    _standing("Bo", 1, 1, group="East", value=500_000),
    _standing("Cy", 3, None, group="West", value=100_000),
    _standing("Di", 4, 2, value=50_000),
    _standing("Ed", None, None),
]  # fmt: skip


def _shown(board: Leaderboard, key: str = "revenue", locale: str = "en") -> AppTest:
    at = piece(_board, board, key, MARCH, locale=locale).run()
    assert not at.exception, at.exception
    return at


def test_the_table_shows_places_movement_and_the_actor_s_own_row(app_env: Engine) -> None:
    at = _shown(Leaderboard("revenue", Ranking.REPS, 7, REPS))
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Place", "Change", "Rep", "Team", "Revenue", "Target", "Attainment",
    ]  # fmt: skip
    assert table["Place"].tolist() == ["🥇 1", "🥇 1", "🥉 3", "4", "—"]
    assert table["Change"].tolist() == ["▲2", "–", "new", "▼2", ""]
    assert table["Rep"].tolist() == ["Ann (you)", "Bo", "Cy", "Di", "Ed"]
    assert table["Team"].tolist() == ["East", "East", "West", "", ""]
    # Whole yuan in a table.
    assert table["Revenue"].tolist() == ["CN¥5,000", "CN¥5,000", "CN¥1,000", "CN¥500", "—"]
    assert table["Target"].tolist()[:2] == ["CN¥10,000", "—"]
    assert table["Attainment"].tolist()[0] == 50.0
    # One target is set: no note that attainment is missing.
    assert [caption.value for caption in at.caption] == ["March 2026 · ranked among 7 reps"]


def test_the_podium_shows_the_first_three_places_ties_shared(app_env: Engine) -> None:
    at = _shown(Leaderboard("revenue", Ranking.REPS, 7, REPS))
    assert [(tile.label, tile.value) for tile in at.metric] == [
        ("🥇 Ann", "CN¥5K"), ("🥇 Bo", "CN¥5K"), ("🥉 Cy", "CN¥1K"),
    ]  # fmt: skip
    # Each short amount in full in its tile's help.
    assert [tile.proto.help for tile in at.metric] == ["CN¥5,000.00"] * 2 + ["CN¥1,000.00"]


def test_teams_show_their_parent_and_a_rep_s_own_team(app_env: Engine) -> None:
    teams = [
        _standing("East", 1, 1, group="Region", value=4, own=True),
        _standing("West", 2, None, group="Region", value=2),
    ]
    board = Leaderboard("deals_won", Ranking.TEAMS, 2, teams, Visibility.TEAM)
    at = _shown(board, "deals_won")
    table = at.dataframe[0].value
    assert table["Team"].tolist() == ["East (your team)", "West"]
    assert table["Part of"].tolist() == ["Region", "Region"]
    assert table["Deals won"].tolist() == ["4", "2"]
    assert [caption.value for caption in at.caption] == [
        "March 2026 · ranked among 2 teams · You see your team's reps, ranked within the team.",
        "No goal for this period sets a target here, so there is no attainment.",
    ]


def test_nobody_to_rank_is_said_in_chinese(app_env: Engine) -> None:
    at = _shown(Leaderboard("revenue", Ranking.REPS, 0, []), locale="zh_CN")
    assert not at.dataframe and not at.metric
    assert [info.value for info in at.info] == [translate("zh_CN", "Nobody to rank here yet.")]


def _load(key: str, chosen: object) -> None:
    import streamlit as st

    from services.performance.leaderboard import Ranking
    from ui.performance import leaderboard as view

    board = view.load(key, chosen, ranking=Ranking.REPS, team_id=None)
    st.text(f"ranked among {board.ranked_among}")


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_ranking_the_service_refuses_is_explained_and_stops(
    fresh_app_env: Engine, locale: str
) -> None:
    with Session(fresh_app_env) as session:
        org = Org(session)
        admin = org.actor(session, org.admin)
    ranked = piece(_load, "revenue", MARCH, actor=admin).run()
    assert [text.value for text in ranked.text] == ["ranked among 3"]
    at = piece(_load, "market_share", MARCH, actor=admin, locale=locale).run()
    assert not at.exception, at.exception
    expected = translate(locale, "Metrics entered by hand are not ranked.")
    assert [error.value for error in at.error] == [expected]
    assert not at.text
