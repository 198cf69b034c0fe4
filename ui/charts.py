"""Every chart is built here, so they look alike: Altair, labels translated, values formatted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import altair as alt
import pandas as pd
from babel import dates

from services.goals.series import SeriesPoint
from services.metrics import Unit
from services.performance.dashboard import RepResult, TrendPoint
from services.pipeline.funnel import FunnelStep
from ui import format as fmt
from ui.i18n import current_locale, t

GOOD = "#2e7d32"
SHORT = "#c62828"
NEUTRAL = "#1f77b4"
BAR_HEIGHT = 28
# Room for an x axis with its title under horizontal bars, and for long category labels.
AXIS_HEIGHT = 50
LABEL_LIMIT = 240
# The funnel's x range as a multiple of its widest bar's half: the rest holds its label.
FUNNEL_LABEL_ROOM = 0.85


def _month_name(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return dates.format_date(date(year, number, 1), format="LLL", locale=current_locale())


def month_trend(points: list[TrendPoint], value_title: str) -> alt.Chart:
    """This fiscal year against the last, month by month, with formatted tooltips."""
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
            "when": [_month_name(p.month) + " " + p.month[:4] for p in points],
        }
    )
    order = list(dict.fromkeys(frame["month"]))
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=value_title),
            color=alt.Color(
                "series:N",
                title=None,
                sort=[t("This year"), t("Last year")],
                scale=alt.Scale(range=[NEUTRAL, "#9e9e9e"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("when:N", title=t("Month")),
                alt.Tooltip("shown:N", title=value_title),
            ],
        )
        .properties(height=300)
    )


def rep_bars(results: list[RepResult], unit: Unit, value_title: str) -> alt.Chart:
    """Attainment by rep with a line at 100 %, or actual values when no rep has a target."""
    with_targets = any(result.target is not None for result in results)
    frame = pd.DataFrame(
        {
            "rep": [result.name for result in results],
            "value": [(r.attainment if with_targets else r.actual) or 0 for r in results],
            "met": [(r.attainment or 0) >= 1 if with_targets else True for r in results],
            "actual": [fmt.metric_value(unit, r.actual) for r in results],
            "target": [fmt.metric_value(unit, r.target) for r in results],
            "attainment": [fmt.percent(r.attainment) for r in results],
        }
    )
    title = t("Attainment") if with_targets else value_title
    axis = alt.Axis(format="%") if with_targets else alt.Axis()
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("rep:N", sort=None, title=None),
            x=alt.X("value:Q", title=title, axis=axis),
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
    # Set on the whole chart: a layer does not take its bars' height.
    height = max(120, BAR_HEIGHT * len(results))
    if not with_targets:
        return bars.encode(color=alt.value(NEUTRAL)).properties(height=height)
    full = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return (bars + full).properties(height=height)


def top_and_bottom(results: list[RepResult], each: int = 10) -> list[RepResult]:
    """Long rankings show their first and last `each`, so bars stay readable."""
    if len(results) <= 2 * each:
        return results
    return results[:each] + results[-each:]


def funnel(steps: list[FunnelStep], stage_label: Callable[[str], str]) -> alt.Chart:
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
    base = alt.Chart(frame).encode(y=alt.Y("stage:N", sort=None, title=None))
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
        x=alt.X("right:Q", scale=alt.Scale(domain=[-reach, reach])), text="label:N"
    )
    return (bars + labels).properties(height=_bars_height(len(steps)))


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
    return (
        alt.Chart(frame)
        .mark_line(point=len(points) <= 12)
        .encode(
            # Numeric dates read the same in every language.
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")),
            y=alt.Y("value:Q", title=t("Cumulative")),
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
        .properties(height=320)
    )


def _bars_height(bars: int) -> int:
    """A horizontal bar chart's height: the bars, and the axis below them."""
    return max(120, BAR_HEIGHT * bars + AXIS_HEIGHT)


def lost_reasons(reasons: list[tuple[str, int]]) -> alt.Chart:
    """How many deals were lost for each reason, the most common first."""
    frame = pd.DataFrame(
        {
            "reason": [reason for reason, _ in reasons],
            "deals": [number for _, number in reasons],
            "shown": [fmt.number(number) for _, number in reasons],
        }
    )
    return (
        alt.Chart(frame)
        .mark_bar(color=SHORT)
        .encode(
            y=alt.Y("reason:N", sort=None, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("deals:Q", title=t("Deals lost"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("reason:N", title=t("Lost reason")),
                alt.Tooltip("shown:N", title=t("Deals lost")),
            ],
        )
        .properties(height=_bars_height(len(reasons)))
    )
