"""Each chart builder, drawn with no, one and many rows, gives a valid Vega-Lite spec whose
titles are translated and whose shown values are formatted for the user's language."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from models.enums import DealStage, Role
from services import settings
from services.access import build_actor
from services.goals import series as goal_series
from services.i18n import translate
from services.metrics import Unit
from services.performance.dashboard import RepResult, TrendPoint
from services.pipeline.funnel import FunnelStep
from tests.factories import make_goal, make_rep, make_user
from ui import charts
from ui.pipeline.labels import stage_label

ZH = "zh_CN"


def _draw_charts() -> None:
    import streamlit as st

    from ui import charts
    from ui.i18n import set_locale

    set_locale(st.session_state["locale"])
    for builder, args in st.session_state["charts"]:
        st.altair_chart(getattr(charts, builder)(*args))


def _drawn(builder: str, *calls: tuple[Any, ...], locale: str = ZH) -> list[dict[str, Any]]:
    """The specs `builder(*args)` draws for each of `calls`."""
    return _drawn_each([(builder, args) for args in calls], locale=locale)


def _drawn_each(
    calls: list[tuple[str, tuple[Any, ...]]], *, locale: str = ZH
) -> list[dict[str, Any]]:
    """The specs `builder(*args)` draws for each `(builder, args)` of `calls`, checked
    against Vega-Lite's schema, each with its rows under "rows" (one frame per data set, in
    spec order)."""
    at = AppTest.from_function(_draw_charts, default_timeout=60)
    at.session_state["locale"] = locale
    at.session_state["charts"] = calls
    at.run()
    assert not at.exception, at.exception
    drawn = [node.proto for node in at.main.children.values() if node.type == "vega_lite_chart"]
    assert len(drawn) == len(calls)
    specs = []
    for proto in drawn:
        spec = json.loads(proto.spec)
        validate_jsonschema(spec, load_schema())
        spec["rows"] = [convert_arrow_bytes_to_pandas_df(data.data.data) for data in proto.datasets]
        specs.append(spec)
    return specs


def _bars_height(rows: int) -> int:
    padding = charts.CHART_PADDING["top"] + charts.CHART_PADDING["bottom"]
    return charts.BAR_HEIGHT * rows + charts.AXIS_HEIGHT + padding


def _titles(encoding: dict[str, Any]) -> list[str]:
    return [tip["title"] for tip in encoding["tooltip"]]


def _zh(*msgids: str) -> list[str]:
    return [translate(ZH, msgid) for msgid in msgids]


def _trend(months_with_revenue: int) -> list[TrendPoint]:
    """Two fiscal years as `revenue_trend` gives them; this year's first months earned
    1,234.56 each, the rest of the year is still to come."""
    last = [TrendPoint(n, 2025, f"2025-{n:02d}", 0.0) for n in range(1, 13)]
    this = [
        TrendPoint(n, 2026, f"2026-{n:02d}", 123_456.0 if n <= months_with_revenue else None)
        for n in range(1, 13)
    ]
    return last + this


@pytest.mark.parametrize("locale", ["en", ZH])
def test_month_trend_names_months_and_series_and_formats_money(
    app_env: Engine, locale: str
) -> None:
    drawn = _drawn("month_trend", *[(_trend(n), "Revenue") for n in (0, 1, 12)], locale=locale)
    for months, spec in zip((0, 1, 12), drawn, strict=True):
        [rows] = spec["rows"]
        this_year = rows[rows["series"] == translate(locale, "This year")]
        assert len(this_year) == 12
        assert list(rows["series"].unique()) == [
            translate(locale, "Last year"), translate(locale, "This year")
        ]  # fmt: skip
        expected = "¥1,234.56" if locale == ZH else "CN¥1,234.56"
        assert list(this_year["shown"]) == [expected] * months + ["—"] * (12 - months)
        tooltip = _titles(spec["encoding"])
        assert tooltip == [translate(locale, "Month"), "Revenue"]
    first_month = drawn[0]["rows"][0]["month"].iloc[0]
    assert first_month == ("1月" if locale == ZH else "Jan")


def test_month_trend_dashes_the_running_month_and_leaves_months_without_data_out(
    app_env: Engine,
) -> None:
    # Last year's data starts in March; this year runs in its third month.
    last = [TrendPoint(n, 2025, f"2025-{n:02d}", None if n < 3 else 10_000.0) for n in range(1, 13)]
    this = [
        TrendPoint(n, 2026, f"2026-{n:02d}", 20_000.0 if n <= 3 else None, to_date=n == 3)
        for n in range(1, 13)
    ]
    first_month = [replace(point, to_date=point.month == "2026-01") for point in last + this]
    running, at_the_start = _drawn(
        "month_trend", (last + this, "Revenue"), (first_month, "Revenue"), locale="en"
    )
    assert running["encoding"]["strokeDash"]["field"] == "segment"
    [rows] = running["rows"]
    # February again, so that a dashed segment leads from it to March.
    assert len(rows) == 25
    dashed = rows[rows["segment"] == charts.TO_DATE]
    assert dashed[["when", "shown"]].values.tolist() == [
        ["Mar 2026 (to date)", "CN¥200.00"], ["Feb 2026", "CN¥200.00"],
    ]  # fmt: skip
    # Gaps, not zeros: no value at all before the data starts and after this month.
    assert rows["value"].iloc[:3].isna().tolist() == [True, True, False]
    assert list(rows["shown"].iloc[:2]) == ["—", "—"]
    # The year's first month has no month before it in its own line: nothing is repeated.
    assert len(at_the_start["rows"][0]) == 24


def test_rep_bars_show_attainment_against_100_percent_or_plain_actuals(app_env: Engine) -> None:
    met = RepResult(1, "Li Wei", 150_000.0, 100_000.0, 1.5)
    short = RepResult(2, "Zhang Min", 50_000.0, 100_000.0, 0.5)
    untargeted = RepResult(3, "Wang Fang", 70_000.0, None, None)
    many = [met, short, untargeted] * 4
    none, one, all_of_them, actuals = _drawn(
        "rep_bars", ([], Unit.MONEY, "Revenue"), ([met], Unit.MONEY, "Revenue"),
        (many, Unit.MONEY, "Revenue"), ([untargeted], Unit.MONEY, "Revenue"),
    )  # fmt: skip
    # With a target the bars are attainment, on a percent axis with a rule at 100 %.
    bars, rule = all_of_them["layer"]
    assert bars["encoding"]["x"]["title"] == translate(ZH, "Attainment")
    assert bars["encoding"]["x"]["axis"]["format"] == "%"
    assert _titles(bars["encoding"]) == [*_zh("Rep"), "Revenue", *_zh("Target", "Attainment")]
    assert rule["mark"]["type"] == "rule" and all_of_them["rows"][1]["x"].tolist() == [1.0]
    rows = all_of_them["rows"][0]
    assert rows[["actual", "target", "attainment", "met"]].iloc[:3].values.tolist() == [
        ["¥1,500.00", "¥1,000.00", "150.0%", True],
        ["¥500.00", "¥1,000.00", "50.0%", False],
        ["¥700.00", "—", "—", False],
    ]
    assert all_of_them["height"] == _bars_height(12)
    assert (len(one["rows"][0]), one["height"]) == (1, charts.MIN_HEIGHT)
    # No rep with a target: the actual values, titled by the caller, no rule.
    assert "layer" not in actuals and "layer" not in none
    assert actuals["encoding"]["x"]["title"] == "Revenue"
    # Amounts are drawn in yuan (stored in fen), on a money axis.
    assert actuals["rows"][0]["value"].tolist() == [700.0]
    assert _axis_labels(actuals["encoding"]["x"]["axis"]) == ["¥0", "¥200", "¥400", "¥600", "¥800"]
    assert none["rows"][0].empty


def _axis_labels(axis: dict[str, Any]) -> list[str]:
    """The labels Vega draws at a money axis' ticks, looked up as its labelExpr looks them up."""
    lookup, tick = axis["labelExpr"].split("[")
    assert tick == "datum.value]"
    labels = json.loads(lookup)
    return [labels[str(value)] for value in axis["values"]]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["CN¥0", "CN¥20M", "CN¥40M", "CN¥60M", "CN¥80M"]),
        (ZH, ["¥0", "¥2000万", "¥4000万", "¥6000万", "¥8000万"]),
    ],
)
def test_money_axes_label_round_amounts_in_the_locale_s_short_form(
    app_env: Engine, locale: str, expected: list[str]
) -> None:
    """Every chart that draws money: round ticks from 0 past the largest amount, each labelled
    CN¥20M or ¥2000万 (not 20,000,000), the full amount in the tooltip."""
    top = RepResult(1, "Li Wei", 6_892_600_000.0, None, None)  # CN¥68,926,000.00
    trend = [
        TrendPoint(n, year, f"{year}-{n:02d}", 6_892_600_000.0)
        for year in (2025, 2026)
        for n in range(1, 13)
    ]
    with Session(app_env, expire_on_commit=False) as session:
        today = settings.office_today(session)
        actor = build_actor(session, make_user(session, Role.ADMIN, username="boss"))
        goal = make_goal(session, make_rep(session), today, today + timedelta(days=29),
                         6_892_600_000)  # fmt: skip
        points = goal_series.series(session, actor, goal.id)
    drawn = _drawn_each(
        [("rep_bars", ([top], Unit.MONEY, "Revenue")), ("month_trend", (trend, "Revenue")),
         ("goal_progress", (points, Unit.MONEY))],
        locale=locale,
    )  # fmt: skip
    full = "¥68,926,000.00" if locale == ZH else "CN¥68,926,000.00"
    for spec, value_axis in zip(drawn, ("x", "y", "y"), strict=True):
        encoding = spec["encoding"][value_axis]
        assert _axis_labels(encoding["axis"]) == expected
        assert encoding["axis"]["values"] == [0, 20_000_000, 40_000_000, 60_000_000, 80_000_000]
        assert encoding["scale"] == {"domain": [0, 80_000_000], "nice": False}
        [rows] = spec["rows"]
        assert full in set(rows["actual" if value_axis == "x" else "shown"])


def test_money_axes_reach_100_million_in_yi_and_start_below_zero() -> None:
    assert charts._money_ticks([1_234_567_890.0]) == [n * 500_000_000 for n in range(4)]
    assert charts._money_ticks([-2_500.0, 7_500.0]) == [-2_500, 0, 2_500, 5_000, 7_500]
    # Nothing to draw, or only zeros, still spans one unit.
    assert charts._money_ticks([]) == charts._money_ticks([0.0]) == [0, 1]
    assert charts._money_ticks([0.4]) == [0, 1]


@pytest.mark.parametrize(("locale", "top"), [("en", "CN¥1.5B"), (ZH, "¥15亿")])
def test_a_money_axis_in_the_billions_reads_b_or_yi(app_env: Engine, locale: str, top: str) -> None:
    biggest = RepResult(1, "Li Wei", 123_456_789_000.0, None, None)
    [spec] = _drawn("rep_bars", ([biggest], Unit.MONEY, "Revenue"), locale=locale)
    assert _axis_labels(spec["encoding"]["x"]["axis"])[-1] == top


def test_funnel_labels_each_stage_with_its_count_and_conversion(app_env: Engine) -> None:
    lead = FunnelStep(DealStage.LEAD, 1200, None)
    steps = [
        lead, FunnelStep(DealStage.QUALIFIED, 600, 0.5), FunnelStep(DealStage.PROPOSAL, 0, 0.0),
        FunnelStep(DealStage.WON, 0, None),
    ]  # fmt: skip
    none, one, many = _drawn(
        "funnel", ([], stage_label), ([lead], stage_label), (steps, stage_label)
    )
    bars, labels = many["layer"]
    assert _titles(bars["encoding"]) == _zh("Stage", "Deals", "From the step before")
    assert labels["encoding"]["text"]["field"] == "label"
    [rows] = many["rows"]
    assert rows["stage"].tolist() == _zh("Lead", "Qualified", "Proposal", "Won")
    assert rows["label"].tolist() == ["1,200", "600 · 50.0%", "0 · 0.0%", "0"]
    assert rows["won"].tolist() == [False, False, False, True]
    # Centred bars, with room on the right of the widest for its label.
    assert (rows["left"].iloc[0], rows["right"].iloc[0]) == (-600, 600)
    assert bars["encoding"]["x"]["scale"]["domain"] == [-1020, 1020]
    assert one["rows"][0]["label"].tolist() == ["1,200"]
    assert none["rows"][0].empty


def test_goal_progress_draws_the_series_of_a_goal_as_the_service_gives_it(
    app_env: Engine,
) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        today = settings.office_today(session)
        actor = build_actor(session, make_user(session, Role.ADMIN, username="boss"))
        rep = make_rep(session)
        points = [
            goal_series.series(session, actor, make_goal(session, rep, start, end, 100_00).id)
            for start, end in [
                (today + timedelta(days=1), today + timedelta(days=30)),  # not started
                (today, today + timedelta(days=29)),
                (today - timedelta(days=19), today + timedelta(days=10)),
            ]
        ]
    assert [len(series) for series in points] == [0, 1, 20]
    none, one, many = _drawn("goal_progress", *[(series, Unit.MONEY) for series in points])
    assert _titles(many["encoding"]) == _zh("Day", "Line", "Value")
    assert many["encoding"]["y"]["title"] == translate(ZH, "Cumulative")
    [rows] = many["rows"]
    assert len(rows) == 3 * 20
    assert set(rows["series"]) == set(_zh("Actual", "Expected pace", "Target"))
    target = rows[rows["series"] == translate(ZH, "Target")]
    # Stored in fen, drawn in yuan, shown as money.
    assert set(target["value"]) == {100.0} and set(target["shown"]) == {"¥100.00"}
    assert many["mark"] == {"type": "line", "point": False}
    assert one["mark"] == {"type": "line", "point": True}
    assert len(one["rows"][0]) == 3
    assert none["rows"][0].empty
    # Days named through Babel, at most eight of the twenty, the first among them.
    axis = many["encoding"]["x"]["axis"]
    first = min(day for series in points[2:] for day in [series[0].day])
    assert axis["values"][0] == first.isoformat() and 1 < len(axis["values"]) <= charts.DAY_TICKS
    named = json.loads(axis["labelExpr"].removesuffix("[datum.value]"))
    assert named[first.isoformat()] == f"{first.month}月{first.day}日"
    assert list(named) == axis["values"]


def test_lost_reasons_count_the_deals_most_common_first(app_env: Engine) -> None:
    reasons = [("Price", 1234), ("Timing", 2), ("Went quiet", 1)]
    none, one, many = _drawn("lost_reasons", ([],), (reasons[:1],), (reasons,))
    assert many["encoding"]["x"]["title"] == translate(ZH, "Deals lost")
    assert _titles(many["encoding"]) == _zh("Lost reason", "Deals lost")
    [rows] = many["rows"]
    assert rows[["reason", "shown"]].values.tolist() == [
        ["Price", "1,234"], ["Timing", "2"], ["Went quiet", "1"]
    ]  # fmt: skip
    assert [spec["height"] for spec in (none, one, many)] == [
        charts.MIN_HEIGHT, charts.MIN_HEIGHT, _bars_height(3)
    ]  # fmt: skip
    assert none["rows"][0].empty


def test_long_rankings_keep_their_first_and_last_ten() -> None:
    results = [RepResult(n, f"Rep {n}", float(n), None, None) for n in range(25)]
    assert charts.top_and_bottom(results[:20]) == results[:20]
    kept = charts.top_and_bottom(results)
    assert [r.rep_id for r in kept] == [*range(10), *range(15, 25)]


ROW_COUNTS = (1, 5, 20, 60)
# Wider than any label limit: cut on the axis, whole in the tooltip.
LONG_NAME = "Ouyang Xiaoming-Zhangsun of the Northern Coastal Key Accounts Team, Shenzhen"


def _named(n: int) -> str:
    return LONG_NAME if n == 0 else f"Row {n:02d}"


def _row_charts(rows: int) -> list[tuple[str, tuple[Any, ...]]]:
    """Each bar/row builder with `rows` distinctly named rows (rep bars with and without
    targets, as they draw differently)."""
    targeted = [RepResult(n, _named(n), 1000.0 * n, 5000.0, n / 5) for n in range(rows)]
    plain = [RepResult(n, _named(n), 1000.0 * n, None, None) for n in range(rows)]
    # Any text names a funnel step here, so that every row is its own.
    steps = [FunnelStep(_named(n), rows - n, None if n == 0 else 0.9) for n in range(rows)]  # type: ignore[arg-type]
    reasons = [(_named(n), rows - n) for n in range(rows)]
    return [
        ("rep_bars", (targeted, Unit.MONEY, "Revenue")),
        ("rep_bars", (plain, Unit.COUNT, "Deals won")),
        ("funnel", (steps, str)),
        ("lost_reasons", (reasons,)),
    ]


def _views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("layer", [spec]))


def _value_axis_height(x: dict[str, Any]) -> int:
    """How tall the value axis under the bars is, from the sizes its spec sets (unset ones
    are left to Streamlit's theme, which the height could not count); 0 when not drawn."""
    axis = x["axis"]
    if axis is None:
        return 0
    assert axis["labelLineHeight"] >= axis["labelFontSize"]
    height = axis["labelPadding"] + axis["labelLineHeight"]
    if x.get("title", axis.get("title")) is not None:
        assert axis["titleLineHeight"] >= axis["titleFontSize"]
        height += axis["titlePadding"] + axis["titleLineHeight"]
    return int(height)


@pytest.mark.parametrize("rows", ROW_COUNTS)
def test_every_row_of_every_bar_chart_has_room_for_its_own_label(
    app_env: Engine, rows: int
) -> None:
    calls = _row_charts(rows)
    drawn = _drawn_each(calls, locale="en")
    for (builder, _), spec in zip(calls, drawn, strict=True):
        views = _views(spec)
        # The height is the whole chart's, axes and padding included, drawn as SVG text.
        assert spec["autosize"] == {"type": "fit", "contains": "padding"}, builder
        assert spec["usermeta"]["embedOptions"]["renderer"] == "svg", builder
        # The 100 % rule has no rows: it spans them.
        row_axes = [view["encoding"]["y"]["axis"] for view in views if "y" in view["encoding"]]
        for axis in row_axes:
            # Streamlit's theme turns overlap removal on: it would drop labels.
            assert axis["labelOverlap"] is False, builder
            assert 0 < axis["labelLimit"] <= 300, builder
            assert axis["labelLineHeight"] >= axis["labelFontSize"], builder
        line = max(axis["labelLineHeight"] for axis in row_axes)
        # A layer without an axis of its own shares the one its other layer sets.
        value_axes = [view["encoding"]["x"] for view in views if "axis" in view["encoding"]["x"]]
        assert value_axes, builder
        below = max(_value_axis_height(x) for x in value_axes)
        assert (below == 0) == (builder == "funnel"), builder
        room = spec["height"] - below - spec["padding"]["top"] - spec["padding"]["bottom"]
        assert room >= rows * line, (builder, rows, spec["height"])
        # Every row is drawn, the long name whole in the data the bar's tooltip reads.
        frame = spec["rows"][0]
        field = views[0]["encoding"]["y"]["field"]
        assert frame[field].tolist() == [_named(n) for n in range(rows)], builder
        assert field in [tip["field"] for tip in views[0]["encoding"]["tooltip"]], builder
