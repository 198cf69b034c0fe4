"""KPI tiles: the value, its change against the previous period (like for like while the
period runs), which span that is, and its target."""

from __future__ import annotations

import streamlit as st

from services.metrics import Direction, Unit
from services.performance.dashboard import Tile
from services.periods import Period, PeriodKind
from ui import format as fmt
from ui.i18n import t

TILES_PER_ROW = 4


def _change(tile: Tile) -> str | None:
    """Ratios change in points, counts and money in percent, scores and days in their unit."""
    if tile.value is None or tile.previous is None:
        return None
    difference = tile.value - tile.previous
    if tile.unit == Unit.RATIO:
        return t("{points} pts", points=fmt.number(difference * 100, 1, signed=True))
    if tile.unit in {Unit.SCORE, Unit.DAYS}:
        return fmt.number(difference, 1, signed=True)
    if tile.previous == 0:
        return None
    return fmt.percent(difference / abs(tile.previous), signed=True)


def _compared_line(span: Period) -> str:
    """ "vs Nov 1", "vs Nov 1 – 15" (the same days of the period before) or "vs November
    2026" (all of it)."""
    if span.kind != PeriodKind.CUSTOM:
        return t("vs {period}", period=fmt.period_label(span))
    return t("vs {period}", period=fmt.days(span.start, span.end))


def _target_line(tile: Tile) -> str:
    if tile.target is None:
        return t("No target for this period")
    return t(
        "Target {target} · {attainment} attained",
        target=fmt.metric_value(tile.unit, tile.target, whole=True),
        attainment=fmt.percent(tile.attainment),
    )


def tiles(kpis: list[Tile]) -> None:
    for start in range(0, len(kpis), TILES_PER_ROW):
        row = kpis[start : start + TILES_PER_ROW]
        for column, tile in zip(st.columns(TILES_PER_ROW), row, strict=False):
            with column:
                # Short to fit the tile; the help starts with the full value.
                value, full = fmt.tile_value(tile.unit, tile.value)
                about = t(tile.description) if full is None else f"{full}  \n{t(tile.description)}"
                st.metric(
                    t(tile.label),
                    value,
                    delta=_change(tile),
                    delta_color="normal" if tile.direction == Direction.HIGHER else "inverse",
                    help=about,
                    border=True,
                )
                st.caption(_compared_line(tile.compared_with))
                st.caption(_target_line(tile))
