"""The bulk targets grid: every rep's target for one metric and period in a data editor,
copied from the previous period or scaled by a percentage, then saved all or nothing with an
error per bad row. Typed values stay in the grid after a refused save."""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from services import metrics
from services.errors import RepboardError
from services.goals import bulk_targets
from services.goals.bulk_targets import GridRow, RowErrors
from services.periods import Period
from ui import edits, runtime
from ui import format as fmt
from ui.errors import message
from ui.feedback import flash
from ui.goals.forms import unit_hint
from ui.i18n import t
from ui.text import plain

KEY = "targets"
# The rows the editor starts from: {"scope": (metric, period, team), "rows": [...]}.
ROWS_KEY = f"{KEY}__rows"
# Bumped whenever the rows are replaced, so the editor starts without the old cell edits.
GENERATION_KEY = f"{KEY}__generation"
PERCENT_KEY = f"{KEY}__percent"
REASON_KEY = f"{KEY}__reason"
COLUMNS = ["rep", "team", "previous", "target"]


def _editor_key() -> str:
    return f"{KEY}__editor_{st.session_state.get(GENERATION_KEY, 0)}"


def _replace(rows: list[GridRow] | None, scope: tuple[Any, ...] | None = None) -> None:
    """New starting rows for the editor (None: read them again); the cell edits are dropped."""
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1
    if rows is None:
        st.session_state.pop(ROWS_KEY, None)
    else:
        scope = scope or st.session_state[ROWS_KEY]["scope"]
        st.session_state[ROWS_KEY] = {"scope": scope, "rows": rows}


def _rows(metric_key: str, period: Period, team_id: int | None) -> list[GridRow]:
    """The rows the editor starts from, read again when the metric, period or team changes."""
    scope = (metric_key, period, team_id)
    state = st.session_state.get(ROWS_KEY)
    if state is None or state["scope"] != scope:
        read = runtime.cached(
            bulk_targets.grid, metric_key=metric_key, period=period, team_id=team_id
        )
        # Each goal saves against the version first opened on this page (see `_as_saved`).
        for row in read:
            if row.goal_id is not None:
                edits.opened("goals", row.goal_id, row.version)
        _replace(list(read), scope)
    return list(st.session_state[ROWS_KEY]["rows"])


def _as_saved(row: GridRow) -> dict[str, Any]:
    """A row as `bulk_targets.save` takes it, its goal at the version opened."""
    cells = asdict(row)
    if row.goal_id is not None:
        cells["version"] = edits.opened("goals", row.goal_id, row.version).version
    return cells


def _reload(rows: list[GridRow]) -> None:
    """Read the grid again: the goals count as opened afresh."""
    edits.refreshed(*(("goals", row.goal_id) for row in rows if row.goal_id is not None))
    _replace(None)


def _number(value: Decimal | None) -> float:
    return math.nan if value is None else float(value)


def _typed(value: Any) -> Decimal | None:
    """A cell as the user typed it; a cleared cell is blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(str(value))


def _column_config(metric_key: str) -> dict[str, Any]:
    unit = metrics.REGISTRY[metric_key].unit
    step = 1 if unit == metrics.Unit.COUNT else 0.01
    hint = unit_hint(metric_key)
    return {
        "rep": st.column_config.TextColumn(t("Rep"), disabled=True),
        "team": st.column_config.TextColumn(t("Team"), disabled=True),
        "previous": st.column_config.NumberColumn(
            t("Previous period ({unit})", unit=hint), disabled=True, format="localized"
        ),
        "target": st.column_config.NumberColumn(
            t("Target ({unit})", unit=hint), step=step, format="localized"
        ),
    }


def _editor(rows: list[GridRow], metric_key: str) -> list[GridRow]:
    """The grid; returns the rows with the targets as they stand in it now."""
    frame = pd.DataFrame(
        {
            "rep": [row.rep_name for row in rows],
            "team": [row.team_name or "" for row in rows],
            "previous": pd.Series([_number(row.previous_target) for row in rows], dtype=float),
            "target": pd.Series([_number(row.target) for row in rows], dtype=float),
        },
        columns=COLUMNS,
    )
    edited = st.data_editor(
        frame,
        key=_editor_key(),
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_config=_column_config(metric_key),
        disabled=["rep", "team", "previous"],
    )
    return [
        replace(row, target=_typed(value))
        for row, value in zip(rows, edited["target"].tolist(), strict=True)
    ]


def _tools(rows: list[GridRow], metric_key: str) -> None:
    """Copy from the previous period, or scale every target by a percentage."""
    copy_column, percent_column, scale_column = st.columns([2, 1, 1], vertical_alignment="bottom")
    with copy_column:
        if st.button(t("Copy from previous period"), key=f"{KEY}__copy"):
            _replace(bulk_targets.copied_from_previous(rows))
            st.rerun()
    with percent_column:
        percent = st.number_input(
            t("Percentage"), min_value=-99.0, max_value=1000.0, value=5.0, step=1.0,
            key=PERCENT_KEY,
        )  # fmt: skip
    with scale_column:
        if st.button(t("Scale by %"), key=f"{KEY}__scale"):
            _replace(bulk_targets.scaled_rows(metric_key, rows, Decimal(str(percent))))
            st.rerun()


def _show_row_errors(error: RowErrors) -> None:
    st.error(t(error.msgid, count=fmt.number(len(error.rows))), icon="⚠️")
    for row in error.rows:
        problem = message(row)
        st.error(t("{rep}: {problem}", rep=plain(row.rep_name), problem=problem), icon="⚠️")


def _save(rows: list[GridRow], metric_key: str, period: Period, reason: str) -> None:
    title = f"{t(metrics.REGISTRY[metric_key].label)} {fmt.period_label(period)}"
    try:
        result = runtime.call(
            bulk_targets.save, metric_key=metric_key, period=period,
            rows=[_as_saved(row) for row in rows], reason=reason, title=title,
        )  # fmt: skip
    except RowErrors as error:
        _show_row_errors(error)
        return
    except RepboardError as error:
        st.error(message(error), icon="⚠️")
        return
    flash(
        t(
            "Targets saved: {created} added, {revised} revised, {unchanged} unchanged.",
            created=fmt.number(result.created),
            revised=fmt.number(result.revised),
            unchanged=fmt.number(result.unchanged),
        )
    )
    st.session_state.pop(REASON_KEY, None)
    _reload(rows)
    st.rerun()


def targets_grid(metric_key: str, period: Period, team_id: int | None) -> None:
    """The grid of the reps in scope (or in `team_id`) for `metric_key` and `period`."""
    try:
        rows = _rows(metric_key, period, team_id)
    except RepboardError as error:
        st.error(message(error), icon="⚠️")
        return
    if not rows:
        st.info(t("No active rep here."), icon=":material/info:")
        return
    rows = _editor(rows, metric_key)
    _tools(rows, metric_key)
    reason = st.text_input(
        t("Reason for the changed targets"),
        key=REASON_KEY,
        help=t("Kept in each changed goal's history."),
    )
    save_column, discard_column = st.columns([1, 4])
    with save_column:
        save = st.button(t("Save targets"), type="primary", key=f"{KEY}__save")
    with discard_column:
        discard = st.button(t("Discard changes"), key=f"{KEY}__discard")
    if discard:
        _reload(rows)
        st.rerun()
    if save:
        _save(rows, metric_key, period, reason)
