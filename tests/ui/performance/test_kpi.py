"""ui/performance/kpi.py: each tile shows its value, the change in the unit's own terms
(percent, points, units), colours a change by whether higher is better, and its target."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from models.enums import PeriodKind
from services import metrics
from services.i18n import translate
from services.metrics import Direction, Unit
from services.performance.dashboard import Tile
from services.periods import Period, containing, custom
from tests.ui.conftest import piece

GREEN, RED = 1, 0  # Metric.MetricColor
NOVEMBER = containing(PeriodKind.MONTH, date(2026, 11, 9))


def _tiles(kpis: list) -> None:  # the body runs as a script: builtins only in the signature
    from ui.performance import kpi

    kpi.tiles(kpis)


def _tile(
    key: str,
    value: float | None,
    previous: float | None,
    target: float | None = None,
    direction: Direction | None = None,
    compared_with: Period = NOVEMBER,
) -> Tile:
    metric = metrics.REGISTRY[key]
    return Tile(key, metric.label, metric.description, metric.unit,
                direction or metric.direction, value, previous, target,
                compared_with)  # fmt: skip


def _shown(kpis: list[Tile], locale: str = "en") -> AppTest:
    at = piece(_tiles, kpis, locale=locale).run()
    assert not at.exception, at.exception
    return at


def test_the_change_reads_in_the_unit_s_own_terms(app_env: Engine) -> None:
    assert metrics.REGISTRY["win_rate"].unit == Unit.RATIO
    assert metrics.REGISTRY["csat"].unit == Unit.SCORE
    at = _shown([
        _tile("revenue", 150_000, 100_000),  # money: percent of before
        _tile("win_rate", 0.5, 0.4),  # a ratio: percentage points
        _tile("csat", 4.2, 4.5),  # a score: its own unit
        _tile("deals_won", 3, 0),  # a rise from nothing has no percent
        _tile("deals_won", 3, None),  # nothing to compare with
    ])  # fmt: skip
    shown = [(metric.value, metric.delta) for metric in at.metric]
    assert shown == [
        ("CN¥1.5K", "+50.0%"), ("50.0%", "+10.0 pts"), ("4.2", "-0.3"), ("3", ""), ("3", ""),
    ]  # fmt: skip


def test_a_change_is_coloured_by_whether_higher_is_better(app_env: Engine) -> None:
    at = _shown([
        _tile("deals_won", 6, 4),
        _tile("deals_won", 4, 6),
        _tile("deals_won", 6, 4, direction=Direction.LOWER),
        _tile("deals_won", 4, 6, direction=Direction.LOWER),
    ])  # fmt: skip
    assert [metric.proto.color for metric in at.metric] == [GREEN, RED, RED, GREEN]


def test_each_tile_names_its_target_and_attainment(app_env: Engine) -> None:
    at = _shown([
        _tile("revenue", 150_000, None, target=300_000),
        _tile("deals_won", 3, None, target=2),
        _tile("deals_won", 4, None, target=2, direction=Direction.LOWER),
        _tile("deals_won", 3, None),
    ])  # fmt: skip
    assert [caption.value for caption in at.caption][1::2] == [
        "Target CN¥3,000 · 50.0% attained",  # whole units: cents say nothing here
        "Target 2 · 150.0% attained",
        "Target 2 · 50.0% attained",  # lower is better: the target over the actual
        "No target for this period",
    ]


@pytest.mark.parametrize(("count", "columns"), [(4, 4), (5, 8), (8, 8)])
def test_four_tiles_to_a_row(app_env: Engine, count: int, columns: int) -> None:
    at = _shown([_tile("deals_won", n, None) for n in range(count)])
    assert len(at.metric) == count
    assert len(at.columns) == columns


def test_a_tile_reads_in_chinese(app_env: Engine) -> None:
    revenue = metrics.REGISTRY["revenue"]
    at = _shown([_tile("revenue", 150_000, 100_000)], locale="zh_CN")
    [tile] = at.metric
    # Short on the tile, the full amount first in its help.
    assert (tile.label, tile.value, tile.help) == (
        translate("zh_CN", revenue.label),
        "¥1500",
        "¥1,500.00  \n" + translate("zh_CN", revenue.description),
    )
    assert tile.label != revenue.label
    assert at.caption[1].value == translate("zh_CN", "No target for this period")
    assert at.caption[0].value == translate("zh_CN", "vs {period}").format(period="2026年11月")


def test_each_tile_says_which_span_it_is_compared_with(app_env: Engine) -> None:
    nov_1, nov_15 = date(2026, 11, 1), date(2026, 11, 15)
    at = _shown([
        _tile("revenue", 50_000, 20_000, compared_with=custom(nov_1, nov_1)),
        _tile("revenue", 50_000, 57_000, compared_with=custom(nov_1, nov_15)),
        _tile("revenue", 157_000, 1_000),
    ])  # fmt: skip
    assert [caption.value for caption in at.caption][::2] == [
        "vs Nov 1", "vs Nov 1\u2009–\u200915", "vs November 2026",  # Babel's thin spaces
    ]  # fmt: skip
