"""Every chart is built here, so they look alike: Altair, labels translated, values formatted."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

import altair as alt
import pandas as pd
from babel import dates

from services.goals.series import SeriesPoint
from services.metrics import Unit
from services.performance.dashboard import RepResult, TrendPoint
from services.pipeline.funnel import FunnelStep
from ui import format as fmt
from ui.i18n import current_locale, t

Rows = TypeVar("Rows", alt.Chart, alt.LayerChart)

GOOD = "#2e7d32"
SHORT = "#c62828"
NEUTRAL = "#1f77b4"
# Bar and row charts: each row gets BAR_HEIGHT, well above its label's line; their axes set
# their text sizes and paddings (Streamlit's theme values) so the height can count them.
BAR_HEIGHT = 28
LABEL_FONT_SIZE = 12
LABEL_LINE_HEIGHT = 16
TITLE_FONT_SIZE = 14
TITLE_LINE_HEIGHT = 18
AXIS_PADDING = 16
# Streamlit adds 20 px below a chart that sets no padding; the sides keep the longest label
# off the edge. Spelled out so the height can count it; Streamlit's frontend takes padding
# only as such an object, not as a number.
CHART_PADDING = {"top": 5, "right": 5, "bottom": 20, "left": 5}
# The value axis under horizontal bars: labels, then its title, each after its padding.
AXIS_HEIGHT = AXIS_PADDING + LABEL_LINE_HEIGHT + AXIS_PADDING + TITLE_LINE_HEIGHT
MIN_HEIGHT = 120
# Longer row names are cut with "…"; the bar's tooltip gives the full name.
LABEL_LIMIT = 200
# Vega's SVG renderer keeps each label as text a browser (and a test) can read.
SVG = {"embedOptions": {"renderer": "svg"}}
# The funnel's x range as a multiple of its widest bar's half: the rest holds its label.
FUNNEL_LABEL_ROOM = 0.85
# A money axis cuts its range into about this many steps of a round amount.
MONEY_STEPS = 4
# At most this many days are named under a day-by-day chart.
DAY_TICKS = 8
# The trend's line segments: whole months solid, the way into the running month dashed.
WHOLE, TO_DATE = "whole", "to_date"


def _row_axis() -> alt.Axis:
    """The axis naming each row: every name drawn (Streamlit's theme drops overlapping ones,
    leaving bars beside another row's name), long ones cut at LABEL_LIMIT."""
    return alt.Axis(
        labelOverlap=False,
        labelLimit=LABEL_LIMIT,
        labelFontSize=LABEL_FONT_SIZE,
        labelLineHeight=LABEL_LINE_HEIGHT,
    )


def _value_axis(**options: object) -> alt.Axis:
    """The value axis under horizontal bars, as tall as AXIS_HEIGHT counts it."""
    return alt.Axis(
        labelFontSize=LABEL_FONT_SIZE,
        labelLineHeight=LABEL_LINE_HEIGHT,
        labelPadding=AXIS_PADDING,
        titleFontSize=TITLE_FONT_SIZE,
        titleLineHeight=TITLE_LINE_HEIGHT,
        titlePadding=AXIS_PADDING,
        **options,
    )


def _money_ticks(amounts: list[float]) -> list[int]:
    """Round amounts in currency units (steps of 1, 2, 2.5 or 5 × 10ⁿ, whole, at least 1) from
    0, or the lowest amount below it, to past the highest."""
    low, high = min([0.0, *amounts]), max([0.0, *amounts])
    rough = max((high - low) / MONEY_STEPS, 1)
    power = 10 ** math.floor(math.log10(rough))
    steps = (size * power for size in (1, 2, 2.5, 5, 10))
    step = int(next(size for size in steps if size >= rough and size == int(size)))
    first, last = math.floor(low / step), math.ceil(high / step)
    return [n * step for n in range(first, max(last, first + 1) + 1)]


def _money_scale(amounts: Iterable[float | None]) -> tuple[dict[str, object], alt.Scale]:
    """Axis options and scale for amounts in currency units: ticks at round amounts labelled
    in the short form for the user's locale (CN¥2M, ¥200万; Vega alone writes 2,000,000, no
    currency, no 万), looked up by Vega from labels formatted here."""
    ticks = _money_ticks([a for a in amounts if a is not None and not math.isnan(a)])
    labels = {str(tick): fmt.money(tick * 100, short=True) for tick in ticks}
    label_expr = f"{json.dumps(labels, ensure_ascii=False)}[datum.value]"
    return {"values": ticks, "labelExpr": label_expr}, alt.Scale(
        domain=[ticks[0], ticks[-1]], nice=False
    )


def _day_axis(days: list[date]) -> alt.Axis:
    """Days named the locale's way ("Nov 3", "11月3日"; Vega alone writes 11-03 in every
    language): at most DAY_TICKS of them, evenly spread from the first, looked up by Vega
    from labels formatted here."""
    step = max(1, math.ceil(len(days) / DAY_TICKS))
    labels = {day.isoformat(): fmt.days(day, day) for day in days[::step]}
    label_expr = f"{json.dumps(labels, ensure_ascii=False)}[datum.value]"
    return alt.Axis(values=list(labels), labelExpr=label_expr, labelAngle=0)


def _rows_height(rows: int, *, value_axis: bool = True) -> int:
    """A row chart's whole height: its rows, the value axis under them and the padding."""
    axis = AXIS_HEIGHT if value_axis else 0
    padding = CHART_PADDING["top"] + CHART_PADDING["bottom"]
    return max(MIN_HEIGHT, BAR_HEIGHT * rows + axis + padding)


def _sized(chart: Rows, rows: int, *, value_axis: bool = True) -> Rows:
    """`chart` as tall as its rows need, the height counting axis and padding (as Streamlit's
    autosize does), drawn as SVG. Set on the whole chart: a layer does not take its bars'."""
    return chart.properties(
        height=_rows_height(rows, value_axis=value_axis),
        padding=CHART_PADDING,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        usermeta=SVG,
    )


def _month_name(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return dates.format_date(date(year, number, 1), format="LLL", locale=current_locale())


def _month_when(point: TrendPoint) -> str:
    when = _month_name(point.month) + " " + point.month[:4]
    return t("{month} (to date)", month=when) if point.to_date else when


def _with_dashed_segment(frame: pd.DataFrame, points: list[TrendPoint]) -> pd.DataFrame:
    """The month before the running one again, in the running one's segment, so that a
    dashed line joins them (a line of one point draws nothing); none in a year's first."""
    running = next((n for n, point in enumerate(points) if point.to_date), 0)
    if not running or points[running - 1].year_start != points[running].year_start:
        return frame
    before = frame.iloc[[running - 1]].assign(segment=TO_DATE)
    return pd.concat([frame, before], ignore_index=True)


def month_trend(points: list[TrendPoint], value_title: str) -> alt.Chart:
    """This fiscal year against the last, month by month, with formatted tooltips; a month
    without data is a gap, and the running month is reached by a dashed segment ("to date")."""
    this_year = max(point.year_start for point in points)
    frame = pd.DataFrame(
        {
            "order": [point.month_number for point in points],
            "month": [_month_name(p.month) for p in points if p.year_start == this_year] * 2,
            "series": [
                t("This year") if p.year_start == this_year else t("Last year") for p in points
            ],
            "value": [None if p.value is None else p.value / 100 for p in points],
            "shown": [fmt.money(None if p.value is None else round(p.value)) for p in points],
            "when": [_month_when(p) for p in points],
            "segment": [TO_DATE if p.to_date else WHOLE for p in points],
        }
    )
    order = list(dict.fromkeys(frame["month"]))
    frame = _with_dashed_segment(frame, points)
    money_axis, money_scale = _money_scale(frame["value"])
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(**money_axis), scale=money_scale),
            color=alt.Color(
                "series:N",
                title=None,
                sort=[t("This year"), t("Last year")],
                scale=alt.Scale(range=[NEUTRAL, "#9e9e9e"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "segment:N",
                legend=None,
                scale=alt.Scale(domain=[WHOLE, TO_DATE], range=[[1, 0], [6, 4]]),
            ),
            tooltip=[
                alt.Tooltip("when:N", title=t("Month")),
                alt.Tooltip("shown:N", title=value_title),
            ],
        )
        .properties(height=300)
    )


def rep_bars(results: list[RepResult], unit: Unit, value_title: str) -> alt.Chart | alt.LayerChart:
    """Attainment by rep with a line at 100 %, or actual values when no rep has a target."""
    with_targets = any(result.target is not None for result in results)
    # Amounts are drawn in currency units, on the axis every money chart has.
    amounts = not with_targets and unit == Unit.MONEY
    in_units = 100 if amounts else 1
    frame = pd.DataFrame(
        {
            "rep": [result.name for result in results],
            "value": [
                ((r.attainment if with_targets else r.actual) or 0) / in_units for r in results
            ],
            "met": [(r.attainment or 0) >= 1 if with_targets else True for r in results],
            "actual": [fmt.metric_value(unit, r.actual) for r in results],
            "target": [fmt.metric_value(unit, r.target) for r in results],
            "attainment": [fmt.percent(r.attainment) for r in results],
        }
    )
    title = t("Attainment") if with_targets else value_title
    axis = _value_axis(format="%") if with_targets else _value_axis()
    scale = alt.Scale()
    if amounts:
        money_axis, scale = _money_scale(frame["value"])
        axis = _value_axis(**money_axis)
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("rep:N", sort=None, title=None, axis=_row_axis()),
            x=alt.X("value:Q", title=title, axis=axis, scale=scale),
            color=alt.Color(
                "met:N", scale=alt.Scale(domain=[True, False], range=[GOOD, SHORT]), legend=None
            ),
            tooltip=[
                alt.Tooltip("rep:N", title=t("Rep")),
                alt.Tooltip("actual:N", title=value_title),
                alt.Tooltip("target:N", title=t("Target")),
                alt.Tooltip("attainment:N", title=t("Attainment")),
            ],
        )
    )
    if not with_targets:
        return _sized(bars.encode(color=alt.value(NEUTRAL)), len(results))
    full = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return _sized(bars + full, len(results))


def top_and_bottom(results: list[RepResult], each: int = 10) -> list[RepResult]:
    """Long rankings show their first and last `each`, so bars stay readable."""
    if len(results) <= 2 * each:
        return results
    return results[:each] + results[-each:]


def funnel(steps: list[FunnelStep], stage_label: Callable[[str], str]) -> alt.LayerChart:
    """Deals reaching each stage (named by `stage_label`) as centred bars, each labelled on its
    right with the count and the share of the step before that reached it."""
    deals = [fmt.number(step.reached) for step in steps]
    conversions = [fmt.percent(step.conversion) for step in steps]
    frame = pd.DataFrame(
        {
            "stage": [stage_label(step.stage) for step in steps],
            "left": [-step.reached / 2 for step in steps],
            "right": [step.reached / 2 for step in steps],
            "won": [step.stage == "won" for step in steps],
            "deals": deals,
            "conversion": conversions,
            "label": [
                number if step.conversion is None else f"{number} · {conversion}"
                for step, number, conversion in zip(steps, deals, conversions, strict=True)
            ],
        }
    )
    # Room on the right of the widest bar for its label.
    reach = max([step.reached for step in steps] + [1]) * FUNNEL_LABEL_ROOM
    x = alt.X("left:Q", axis=None, scale=alt.Scale(domain=[-reach, reach]))
    base = alt.Chart(frame).encode(y=alt.Y("stage:N", sort=None, title=None, axis=_row_axis()))
    bars = base.mark_bar().encode(
        x=x,
        x2="right:Q",
        color=alt.Color(
            "won:N", scale=alt.Scale(domain=[True, False], range=[GOOD, NEUTRAL]), legend=None
        ),
        tooltip=[
            alt.Tooltip("stage:N", title=t("Stage")),
            alt.Tooltip("deals:N", title=t("Deals")),
            alt.Tooltip("conversion:N", title=t("From the step before")),
        ],
    )
    labels = base.mark_text(align="left", dx=6).encode(
        x=alt.X("right:Q", axis=None, scale=alt.Scale(domain=[-reach, reach])), text="label:N"
    )
    return _sized(bars + labels, len(steps), value_axis=False)


def _on_axis(unit: Unit, value: float | None) -> float | None:
    """A metric value as its axis reads it: yuan, percent, or the plain number."""
    if value is None:
        return None
    if unit == Unit.MONEY:
        return value / 100
    return value * 100 if unit == Unit.RATIO else value


def goal_progress(points: list[SeriesPoint], unit: Unit) -> alt.Chart:
    """A goal's actual so far against its pace line and its target, day by day."""
    names = {"actual": t("Actual"), "pace": t("Expected pace"), "target": t("Target")}
    frame = pd.DataFrame(
        [
            {
                "day": point.day.isoformat(),
                "series": names[series],
                "value": _on_axis(unit, getattr(point, series)),
                "shown": fmt.metric_value(unit, getattr(point, series)),
                "when": fmt.day(point.day),
            }
            for point in points
            for series in names
        ]
    )
    # Only money gets a short-form axis; other units read well as Vega writes them.
    axis, scale = ({}, alt.Scale()) if unit != Unit.MONEY else _money_scale(frame.get("value", []))
    return (
        alt.Chart(frame)
        .mark_line(point=len(points) <= 12)
        .encode(
            # Ordered days (not Vega's time axis), so each label is one of ours.
            x=alt.X("day:O", title=None, axis=_day_axis(sorted({p.day for p in points}))),
            y=alt.Y("value:Q", title=t("Cumulative"), axis=alt.Axis(**axis), scale=scale),
            color=alt.Color(
                "series:N",
                title=None,
                sort=list(names.values()),
                scale=alt.Scale(range=[NEUTRAL, "#9e9e9e", GOOD]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=list(names.values()),
                legend=None,
                scale=alt.Scale(range=[[1, 0], [6, 4], [2, 2]]),
            ),
            tooltip=[
                alt.Tooltip("when:N", title=t("Day")),
                alt.Tooltip("series:N", title=t("Line")),
                alt.Tooltip("shown:N", title=t("Value")),
            ],
        )
        # SVG: its axis labels are text a browser (and a test) can read.
        .properties(height=320, usermeta=SVG)
    )


def lost_reasons(reasons: list[tuple[str, int]]) -> alt.Chart:
    """How many deals were lost for each reason, the most common first."""
    frame = pd.DataFrame(
        {
            "reason": [reason for reason, _ in reasons],
            "deals": [number for _, number in reasons],
            "shown": [fmt.number(number) for _, number in reasons],
        }
    )
    chart = (
        alt.Chart(frame)
        .mark_bar(color=SHORT)
        .encode(
            y=alt.Y("reason:N", sort=None, title=None, axis=_row_axis()),
            x=alt.X("deals:Q", title=t("Deals lost"), axis=_value_axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("reason:N", title=t("Lost reason")),
                alt.Tooltip("shown:N", title=t("Deals lost")),
            ],
        )
    )
    return _sized(chart, len(reasons))
