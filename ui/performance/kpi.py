"""KPI tiles: the value, its change against the previous period, and its target."""

from __future__ import annotations

import streamlit as st

from services.metrics import Direction, Unit
from services.performance.dashboard import Tile
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


def _target_line(tile: Tile) -> str:
    if tile.target is None:
        return t("No target for this period")
    return t(
        "Target {target} · {attainment} attained",
        target=fmt.metric_value(tile.unit, tile.target),
        attainment=fmt.percent(tile.attainment),
    )


def tiles(kpis: list[Tile]) -> None:
    for start in range(0, len(kpis), TILES_PER_ROW):
        row = kpis[start : start + TILES_PER_ROW]
        for column, tile in zip(st.columns(TILES_PER_ROW), row, strict=False):
            with column:
                st.metric(
                    t(tile.label),
                    fmt.metric_value(tile.unit, tile.value, short=True),
                    delta=_change(tile),
                    delta_color="normal" if tile.direction == Direction.HIGHER else "inverse",
                    help=t(tile.description),
                    border=True,
                )
                st.caption(_target_line(tile))
