"""ui/performance/board.py: the board's link is read into metrics and a refresh (a bad one
explained), and a slide's places list the top ranks with medals, movement, short money and
attainment bars."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from services.i18n import translate
from services.performance.leaderboard import Leaderboard, Ranking, Standing
from tests.ui.conftest import piece
from ui.performance.board import MAX_METRICS, TOP, choices


def _from_url() -> None:
    import streamlit as st

    from ui.performance import board

    setup = board.from_url()
    st.text("no board" if setup is None else f"{','.join(setup.metric_keys)} {setup.seconds}")


def _read(locale: str = "en", **params: str) -> AppTest:
    at = piece(_from_url, locale=locale)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _warnings(at: AppTest) -> list[str]:
    return [warning.value for warning in at.warning]


def test_a_link_names_its_metrics_once_and_its_refresh() -> None:
    at = _read(metrics="revenue, deals_won,revenue", every="5")
    assert (at.text[0].value, _warnings(at)) == ("revenue,deals_won 5", [])
    assert _read(metrics="win_rate").text[0].value == "win_rate 30"
    at = _read()
    assert (at.text[0].value, _warnings(at)) == ("no board", [])


UNUSABLE = "The board's link names metrics it cannot show: choose them again."


@pytest.mark.parametrize(
    "params",
    [
        {"metrics": "revenue,market_share"},  # entered by hand: never ranked
        {"metrics": "revenue,no_such_metric"},
        {"metrics": " , "},
        {"metrics": ",".join(choices()[: MAX_METRICS + 1])},  # more than a screen rotates
    ],
)
def test_a_link_with_metrics_the_board_cannot_show_is_explained(params: dict[str, str]) -> None:
    at = _read(**params)
    assert (at.text[0].value, _warnings(at)) == ("no board", [UNUSABLE])


@pytest.mark.parametrize("every", ["1", "3601", "ten", "-5"])
@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_refresh_out_of_range_is_explained(every: str, locale: str) -> None:
    at = _read(locale, metrics="revenue", every=every)
    expected = translate(locale, "Refresh every {low} to {high} seconds.", low=2, high="3,600")
    assert (at.text[0].value, _warnings(at)) == ("no board", [expected])


def _slide_places(board: object, key: str) -> None:  # runs as a script: builtins only here
    from services import metrics
    from ui.performance import board as view

    view._places(board, metrics.REGISTRY[key], "Reps")


def _standing(number: int, rank: int | None, **fields: Any) -> Standing:
    values = {"group": None, "value": None, "target": None, "attainment": None,
              "previous_rank": None} | fields  # fmt: skip
    return Standing(id=number, name=f"Rep {number}", rank=rank, **values)


def test_a_slide_lists_the_top_ranks_with_movement_and_bars(app_env: Engine) -> None:
    rows = [
        _standing(1, 1, value=1_540_000, attainment=1.4, previous_rank=2),
        _standing(2, 2, value=95_000, attainment=0.25, previous_rank=1),
        *[_standing(n, n, value=1000) for n in range(3, 13)],
        _standing(13, None),
    ]
    at = piece(_slide_places, Leaderboard("revenue", Ranking.REPS, 13, rows), "revenue")
    at.run()
    assert not at.exception, at.exception
    assert [heading.value for heading in at.subheader] == ["Reps"]
    texts = [block.value for block in at.markdown]
    # Per place: the rank, its movement, the name, the value; the first ten ranks only.
    assert texts[:8] == ["**🥇 1**", "▲1", "Rep 1", "**CN¥15\\.4K**",
                         "**🥈 2**", "▼1", "Rep 2", "**CN¥950**"]  # fmt: skip
    assert len(texts) == 4 * TOP and "Rep 11" not in texts and "Rep 13" not in texts
    # A target passed is a full bar; the text says by how much.
    bars = [(bar.value, bar.proto.text) for bar in at.progress]
    assert bars == [(100, "140.0%"), (25, "25.0%")]


def test_a_slide_without_results_says_so(app_env: Engine) -> None:
    board = Leaderboard("revenue", Ranking.REPS, 1, [_standing(1, None)])
    at = piece(_slide_places, board, "revenue", locale="zh_CN").run()
    assert [block.value for block in at.markdown] == [translate("zh_CN", "No results yet.")]
