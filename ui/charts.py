"""Every chart is built here, so they look alike: Altair, labels translated, values formatted."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
from babel import dates

from services.dashboard import RepResult, TrendPoint
from services.metrics import Unit
from ui import format as fmt
from ui.i18n import current_locale, t

GOOD = "#2e7d32"
SHORT = "#c62828"
NEUTRAL = "#1f77b4"
BAR_HEIGHT = 28


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
