"""The period picker every page shares, kept in the URL so a copied link opens the same view."""

from __future__ import annotations

from datetime import date

import streamlit as st

from services import periods, settings
from services.errors import RepboardError
from services.periods import Period, PeriodKind
from ui import format as fmt
from ui import runtime
from ui.choice import remembered_selectbox
from ui.errors import message
from ui.i18n import N_, t

PERIOD_KEY = "period__current"
KIND_KEY = "period__kind"
CHOICE_KEY = "period__choice"
RANGE_KEY = "period__range"
KIND_LABELS = {
    PeriodKind.MONTH: N_("Month"),
    PeriodKind.QUARTER: N_("Quarter"),
    PeriodKind.YEAR: N_("Year"),
    PeriodKind.CUSTOM: N_("Custom range"),
}
# How far back the picker offers months, quarters and years.
CHOICES = {PeriodKind.MONTH: 24, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 5}


def fiscal_start() -> int:
    return runtime.call_anonymous(settings.fiscal_year_start_month)


def office_today() -> date:
    return runtime.call_anonymous(settings.office_today)


def _recent(kind: PeriodKind, today: date, fiscal_start: int) -> list[Period]:
    current = periods.containing(kind, today, fiscal_start)
    recent = [current]
    for _ in range(CHOICES[kind] - 1):
        recent.append(recent[-1].previous())
    return recent


def _from_url(today: date, fiscal_start: int) -> Period:
    """The URL's period on a session's first run; a bad one is explained, then replaced."""
    try:
        return periods.from_query(st.query_params.to_dict(), today, fiscal_start)
    except RepboardError as error:
        st.warning(t("The link's period was not used: {reason}", reason=message(error)))
        return periods.containing(PeriodKind.MONTH, today, fiscal_start)


def _pick_custom(current: Period, fiscal_start: int) -> Period:
    st.session_state.setdefault(RANGE_KEY, (current.start, current.end))
    chosen = st.date_input(t("From – to"), key=RANGE_KEY, format="YYYY-MM-DD")
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.caption(t("Pick the last day too."))
        return current
    try:
        return periods.custom(chosen[0], chosen[1], fiscal_start)
    except RepboardError as error:
        st.error(message(error), icon="⚠️")
        return current


def picker() -> Period:
    """The sidebar's period controls; the chosen period is remembered and put in the URL."""
    today, fiscal = office_today(), fiscal_start()
    if PERIOD_KEY not in st.session_state:
        st.session_state[PERIOD_KEY] = _from_url(today, fiscal)
    current: Period = st.session_state[PERIOD_KEY]
    kind = remembered_selectbox(
        t("Period"),
        list(KIND_LABELS),
        key=KIND_KEY,
        default=current.kind,
        format_func=lambda kind: t(KIND_LABELS[kind]),
    )
    if kind == PeriodKind.CUSTOM:
        chosen = _pick_custom(current, fiscal)
    else:
        options = _recent(kind, today, fiscal)
        if current.kind == kind and current not in options:
            options.append(current)  # an older period opened from a link
        chosen = remembered_selectbox(
            t("Showing"), options, key=CHOICE_KEY, default=current, format_func=fmt.period_label
        )
    st.session_state[PERIOD_KEY] = chosen
    st.query_params.update(periods.to_query(chosen))
    if chosen.kind != PeriodKind.CUSTOM:
        st.query_params.pop(periods.TO_PARAM, None)
    return chosen


def current() -> Period:
    """The period chosen in the sidebar on this run."""
    return st.session_state[PERIOD_KEY]
