"""ui/performance/board.py: the board's link is read into metrics and a refresh (a bad one
explained); a slide lists a page of places, everyone in scope page by page, zeros too, with
the top three marked by trophy badges (no emoji), movement, short money and attainment bars;
the board turns a metric's pages before the next metric."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from services.i18n import translate
from services.performance.leaderboard import Leaderboard, Ranking, Standing
from tests.ui.conftest import piece
from ui.performance.board import MAX_METRICS, ROWS, choices, following, page_count, page_of


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


def _slide_places(board: object, key: str, page: int) -> None:  # a script: builtins only
    from services import metrics
    from ui.performance import board as view

    view._places(board, metrics.REGISTRY[key], "Reps", page)


def _standing(number: int, rank: int | None, **fields: Any) -> Standing:
    values = {"group": None, "value": None, "target": None, "attainment": None,
              "previous_rank": None} | fields  # fmt: skip
    return Standing(id=number, name=f"Rep {number}", rank=rank, **values)


# Thirteen places: a tie for first, ten more ranked, and one rep without a sale.
PLACES = [
    _standing(1, 1, value=1_540_000, attainment=1.4, previous_rank=2),
    _standing(2, 1, value=1_540_000, attainment=0.25, previous_rank=1),
    *[_standing(n, n, value=100_000 - 1000 * n) for n in range(3, 13)],
    _standing(13, None, value=0),
]
BOARD = Leaderboard("revenue", Ranking.REPS, 13, PLACES)


def _slide(page: int, board: Leaderboard = BOARD, locale: str = "en") -> AppTest:
    at = piece(_slide_places, board, "revenue", page, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    return [block.value for block in at.markdown]


def test_a_slide_lists_a_page_of_places_with_the_top_three_marked(app_env: Engine) -> None:
    at = _slide(0)
    assert [heading.value for heading in at.subheader] == ["Reps"]
    texts = _texts(at)
    # Per place: the rank (a trophy badge for the top three, ties sharing it), its movement,
    # the name and the value in short form.
    assert texts[:12] == [
        ":yellow-badge[:material/trophy: 1]", "▲1", "Rep 1", "**CN¥15\\.4K**",
        ":yellow-badge[:material/trophy: 1]", "–", "Rep 2", "**CN¥15\\.4K**",
        ":orange-badge[:material/trophy: 3]", "new", "Rep 3", "**CN¥970**",
    ]  # fmt: skip
    # Thirteen places on two pages: seven here, six on the next.
    assert texts[12] == "**4**" and len(texts) == 4 * 7
    assert not any(":gray-badge" in text for text in texts)  # no second place after a tie
    # A target passed is a full bar; the text says by how much.
    bars = [(bar.value, bar.proto.text) for bar in at.progress]
    assert bars == [(100, "140.0%"), (25, "25.0%")]


def test_the_last_page_lists_the_rest_zeros_too_and_the_next_wraps_round(
    app_env: Engine,
) -> None:
    texts = _texts(_slide(1))
    names = [text for text in texts if text.startswith("Rep ")]
    assert names == [f"Rep {n}" for n in range(8, 14)]
    assert texts[-4:] == ["—", "", "Rep 13", "**CN¥0**"]
    assert _texts(_slide(2)) == _texts(_slide(0))


def test_second_place_is_silver_and_no_emoji_marks_a_place(app_env: Engine) -> None:
    rows = [_standing(n, n, value=10 * (4 - n)) for n in (1, 2, 3)]
    texts = _texts(_slide(0, Leaderboard("revenue", Ranking.REPS, 3, rows)))
    assert texts[4] == ":gray-badge[:material/trophy: 2]"
    assert not any(medal in text for text in texts for medal in "🥇🥈🥉")


def test_a_slide_without_anyone_to_rank_says_so(app_env: Engine) -> None:
    board = Leaderboard("revenue", Ranking.REPS, 0, [])
    at = _slide(0, board, locale="zh_CN")
    assert _texts(at) == [translate("zh_CN", "Nobody to rank here yet.")]


@pytest.mark.parametrize(("places", "pages"), [(0, 1), (1, 1), (ROWS, 1), (ROWS + 1, 2)])
def test_pages_hold_every_place(places: int, pages: int) -> None:
    rows = [_standing(n, n) for n in range(places)]
    assert page_count(Leaderboard("revenue", Ranking.REPS, places, rows)) == pages


@pytest.mark.parametrize(
    ("places", "sizes"),
    [(3, [3]), (ROWS, [ROWS]), (11, [6, 5]), (14, [7, 7]), (21, [7, 7, 7]), (101, [10] * 10 + [1])],
)
def test_pages_share_the_places_evenly_and_list_each_once(places: int, sizes: list[int]) -> None:
    board = Leaderboard("revenue", Ranking.REPS, places, [_standing(n, n) for n in range(places)])
    pages = [page_of(board, page) for page in range(page_count(board))]
    assert [len(rows) for rows in pages] == sizes
    assert [row.id for rows in pages for row in rows] == list(range(places))
    assert page_of(board, len(sizes)) == pages[0]  # the next page wraps round


def test_the_board_turns_the_pages_of_a_metric_then_moves_to_the_next() -> None:
    assert following((0, 0), 2) == (0, 1)
    assert following((0, 1), 2) == (1, 0)
    assert following((3, 0), 1) == (4, 0)
