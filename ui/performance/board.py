"""Board mode for an office screen: large type, no sidebar, and a fragment that refreshes
itself every few seconds, showing the next chosen metric each time.

What the board shows lives in the link (`?metrics=revenue,deals_won&every=30`), so the
screen's bookmark survives a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from services import metrics, periods
from services.metrics import Metric
from services.performance.leaderboard import Leaderboard, Ranking
from services.periods import Period, PeriodKind
from ui import format as fmt
from ui import period
from ui.auth import rechecked_actor
from ui.choice import labels_now
from ui.i18n import t
from ui.performance.leaderboard import load, movement, place
from ui.text import plain

METRICS_PARAM = "metrics"
SECONDS_PARAM = "every"
DEFAULT_SECONDS = 30
SECONDS_RANGE = (2, 3600)
MAX_METRICS = 8
# Places shown per ranking: what reads from across the room.
TOP = 10
SLIDE_KEY = "board__slide"
# Built here, never from user text: hide the sidebar and the app's header, enlarge the type.
SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p { font-size: 1.6rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 3.2rem; }
[data-testid="stMainBlockContainer"] h3 { font-size: 2.2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
</style>
"""


@dataclass(frozen=True)
class BoardSetup:
    metric_keys: tuple[str, ...]
    seconds: int


def choices() -> list[str]:
    """The metrics a board can show: every computed one (hand-entered ones are not ranked)."""
    return [metric.key for metric in metrics.METRICS if not metric.manual]


def from_url() -> BoardSetup | None:
    """The board the link describes; None when it describes none. A bad link is explained."""
    wanted = st.query_params.get(METRICS_PARAM)
    if not wanted:
        return None
    keys = tuple(dict.fromkeys(key.strip() for key in wanted.split(",") if key.strip()))
    if not keys or any(key not in choices() for key in keys) or len(keys) > MAX_METRICS:
        st.warning(t("The board's link names metrics it cannot show: choose them again."))
        return None
    text = st.query_params.get(SECONDS_PARAM, str(DEFAULT_SECONDS))
    low, high = SECONDS_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        st.warning(t("Refresh every {low} to {high} seconds.", low=low, high=fmt.number(high)))
        return None
    return BoardSetup(keys, int(text))


def setup_form(key: str) -> None:
    """Choose the metrics and the refresh, then start: the board opens from its own link."""
    st.caption(t("Pick the metrics to rotate through and how often the screen refreshes. "
                 "The period is the one chosen in the sidebar."))  # fmt: skip
    with st.form(key):
        chosen = st.multiselect(
            t("Metrics"),
            choices(),
            default=["revenue"],
            format_func=labels_now(choices(), lambda key: t(metrics.REGISTRY[key].label)),
            max_selections=MAX_METRICS,
            key=f"{key}__metrics",
        )
        seconds = st.number_input(
            t("Seconds per metric"), *SECONDS_RANGE, DEFAULT_SECONDS, step=5,
            key=f"{key}__seconds",
        )  # fmt: skip
        started = st.form_submit_button(t("Start the board"), icon=":material/play_arrow:")
    if not started:
        return
    if not chosen:
        st.error(t("Choose at least one metric."), icon="⚠️")
        return
    st.query_params.update({METRICS_PARAM: ",".join(chosen), SECONDS_PARAM: str(int(seconds))})
    st.session_state.pop(SLIDE_KEY, None)  # a new board starts at its first metric
    st.rerun()


def _places(board: Leaderboard, metric: Metric, title: str) -> None:
    st.subheader(title)
    rows = [row for row in board.standings if row.rank is not None][:TOP]
    if not rows:
        st.markdown(t("No results yet."))
    for row in rows:
        rank, change, name, value, bar = st.columns([3, 2, 8, 5, 5], vertical_alignment="center")
        rank.markdown(f"**{place(row)}**")
        change.markdown(movement(row))
        name.markdown(plain(row.name))
        # Read from across the room: money in short form (CN¥1.54M, ¥153.88万).
        value.markdown(f"**{plain(fmt.metric_value(metric.unit, row.value, short=True))}**")
        if row.attainment is not None:
            bar.progress(min(row.attainment, 1.0), text=fmt.percent(row.attainment))


def _running(chosen: Period) -> Period:
    """The running month, quarter or year of the chosen kind: a screen left on overnight
    moves on with the calendar instead of keeping the day it was set up."""
    if chosen.kind == PeriodKind.CUSTOM:
        return chosen
    return periods.containing(chosen.kind, period.office_today(), period.fiscal_start())


def _slide(setup: BoardSetup) -> None:
    if rechecked_actor() is None:
        st.rerun(scope="app")  # app.py shows the login again
    shown = st.session_state.get(SLIDE_KEY, -1) + 1
    st.session_state[SLIDE_KEY] = shown
    key = setup.metric_keys[shown % len(setup.metric_keys)]
    metric, chosen = metrics.REGISTRY[key], _running(period.current())
    st.title(t(metric.label))
    st.caption(t("{period} · updated {moment}", period=fmt.period_label(chosen),
                 moment=fmt.moment(datetime.now(UTC))))  # fmt: skip
    reps, teams = st.columns([4, 3], gap="large")
    with reps:
        board = load(key, chosen, ranking=Ranking.REPS, team_id=None)
        _places(board, metric, t("Reps"))
    with teams:
        board = load(key, chosen, ranking=Ranking.TEAMS, team_id=None)
        _places(board, metric, t("Teams"))


def show(setup: BoardSetup) -> None:
    """The full-screen board: it refreshes itself every `setup.seconds`, a metric a time."""
    st.html(SCREEN_CSS)
    st.fragment(_slide, run_every=setup.seconds)(setup)
    if st.button(t("Leave board mode"), icon=":material/close:", type="tertiary"):
        for param in (METRICS_PARAM, SECONDS_PARAM):
            st.query_params.pop(param, None)
        st.session_state.pop(SLIDE_KEY, None)
        st.rerun()
