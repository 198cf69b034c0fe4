"""Board mode for an office screen: the whole screen, type that grows with it, no sidebar,
and a fragment that refreshes itself every few seconds, showing the next slide each time.

A slide is one page of one chosen metric: every rep and team in scope is listed, zeros too,
a page at a time, so the board rotates through each metric's pages and then the next metric.
What the board shows lives in the link (`?metrics=revenue,deals_won&every=30`), so the
screen's bookmark survives a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil

import streamlit as st

from services import metrics, periods
from services.metrics import Metric
from services.performance.leaderboard import Leaderboard, Ranking, Standing
from services.periods import Period, PeriodKind
from ui import format as fmt
from ui import period
from ui.auth import rechecked_actor
from ui.choice import labels_now
from ui.i18n import t
from ui.performance.leaderboard import load, movement
from ui.text import plain

METRICS_PARAM = "metrics"
SECONDS_PARAM = "every"
DEFAULT_SECONDS = 30
SECONDS_RANGE = (2, 3600)
MAX_METRICS = 8
# Places per page: the type is sized from the screen so that this many rows fill it.
ROWS = 10
# The next slide to show: (index of the metric in the link, page of its places).
SLIDE_KEY = "board__slide"
# Gold, silver and bronze as Streamlit's own badge colours: emoji medals show as boxes on
# screens without a colour emoji font.
PODIUM = {1: "yellow", 2: "gray", 3: "orange"}
# Built here, never from user text. One unit of type follows the screen's binding side, so
# a 16:9 screen of any size is filled alike. A row's cells are sized in that unit: place,
# movement (smaller: "新上榜" must fit), amount and bar keep their width (an amount never
# wraps or is cut), the name takes the rest and ends in "…" when too long. The controls
# show only while the pointer is over the screen.
SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none; }
.stApp { --board-type: clamp(1rem, min(1.9vw, 3.4vh), 12rem); }
[data-testid="stMainBlockContainer"] { padding: 2.5vh 2.5vw 0; max-width: 100%; }
.st-key-board__slide h1 { font-size: calc(var(--board-type) * 1.7); padding: 0; }
.st-key-board__slide h3 { font-size: calc(var(--board-type) * 1.15); padding: 0; }
.st-key-board__slide [data-testid="stCaptionContainer"] {
  font-size: calc(var(--board-type) * 0.6);
}
[class*="st-key-board__places"] {
  /* A full page's rows and gaps span the same height as a page of fewer rows. */
  --board-row: calc(var(--board-type) * 1.4);
  gap: calc(var(--board-full) * (var(--board-row) + 2.6vh) / var(--board-rows) - var(--board-row));
  [data-testid="stHorizontalBlock"] { min-height: var(--board-row); }
  [data-testid="stColumn"] { font-size: var(--board-type); min-width: 0; }
  [data-testid="stColumn"]:nth-child(1) { flex: 0 0 2.6em !important; }
  [data-testid="stColumn"]:nth-child(2) { flex: 0 0 2.4em !important; }
  [data-testid="stColumn"]:nth-child(3) { flex: 1 1 0 !important; }
  [data-testid="stColumn"]:nth-child(4) { flex: 0 0 6em !important; }
  [data-testid="stColumn"]:nth-child(5) { flex: 0 0 3.6em !important; }
  [data-testid="stMarkdownContainer"] p {
    font-size: var(--board-type); line-height: 1.3; margin: 0;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }
  .stMarkdownBadge {
    font-size: var(--board-type) !important; font-weight: 700;
    padding: 0 0.3em; border-radius: 0.3em;
  }
  [data-testid="stColumn"]:nth-child(2) p { font-size: calc(var(--board-type) * 0.75); }
  [data-testid="stProgress"] p { font-size: calc(var(--board-type) * 0.55); }
  [data-testid="stProgress"] [role="progressbar"] > div { height: 0.3em; }
}
.st-key-board__controls {
  position: fixed; right: 2vw; bottom: 2vh; width: auto; z-index: 100;
  opacity: 0; transition: opacity 0.4s;
}
.stApp:hover .st-key-board__controls { opacity: 1; }
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
            t("Seconds per page"), *SECONDS_RANGE, DEFAULT_SECONDS, step=5,
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


def page_count(board: Leaderboard) -> int:
    """Pages of `ROWS` places that list everyone on the board (one when nobody is)."""
    return max(1, ceil(len(board.standings) / ROWS))


def page_of(board: Leaderboard, page: int) -> list[Standing]:
    """Page `page` (from 0, wrapping round) of the places. Pages share them evenly: 14 reps
    show as 7 and 7, not 10 and 4."""
    pages = page_count(board)
    size = ceil(len(board.standings) / pages)
    first = page % pages * size
    return board.standings[first : first + size]


def badge(row: Standing) -> str:
    """The place as Markdown: a coloured trophy badge for the top three (ties share them),
    the bare rank below, "—" for no result."""
    if row.rank is None:
        return fmt.MISSING
    colour = PODIUM.get(row.rank)
    rank = fmt.number(row.rank)
    return f":{colour}-badge[:material/trophy: {rank}]" if colour else f"**{rank}**"


def _places(board: Leaderboard, metric: Metric, title: str, page: int) -> None:
    """The board's places on page `page` (see `page_of`) under `title`."""
    st.subheader(title, anchor=False)
    if not board.standings:
        st.markdown(t("Nobody to rank here yet."))
        return
    with st.container(key=f"board__places_{board.ranking}"):
        _rows(board, metric, page)


def _rows(board: Leaderboard, metric: Metric, page: int) -> None:
    for row in page_of(board, page):
        place, change, name, value, bar = st.columns(5, vertical_alignment="center")
        place.markdown(badge(row))
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


def following(slide: tuple[int, int], pages: int) -> tuple[int, int]:
    """The slide after page `slide[1]` of metric `slide[0]`, which has `pages` pages."""
    shown, page = slide
    return (shown, page + 1) if page + 1 < pages else (shown + 1, 0)


def _heading(metric: Metric, chosen: Period, page: int, pages: int) -> None:
    """The metric, its period, when it was read, and which page this is when it has more."""
    st.title(t(metric.label), anchor=False)
    caption = t("{period} · updated {moment}", period=fmt.period_label(chosen),
                moment=fmt.moment(datetime.now(UTC)))  # fmt: skip
    if pages > 1:
        where = t("Page {page} of {pages}", page=fmt.number(page + 1), pages=fmt.number(pages))
        caption = f"{caption} · {where}"
    st.caption(caption)


def _slide(setup: BoardSetup) -> None:
    if rechecked_actor() is None:
        st.rerun(scope="app")  # app.py shows the login again
    shown, page = st.session_state.get(SLIDE_KEY, (0, 0))
    key = setup.metric_keys[shown % len(setup.metric_keys)]
    metric, chosen = metrics.REGISTRY[key], _running(period.current())
    reps = load(key, chosen, ranking=Ranking.REPS, team_id=None)
    teams = load(key, chosen, ranking=Ranking.TEAMS, team_id=None)
    pages = max(page_count(reps), page_count(teams))
    page = min(page, pages - 1)  # the board may have shrunk since the last slide
    st.session_state[SLIDE_KEY] = following((shown, page), pages)
    # A short page spreads its rows over the screen, up to twice a full page's spacing.
    rows = max(ROWS // 2, *(len(page_of(board, page)) for board in (reps, teams)))
    with st.container(key="board__slide"):
        st.html(f"<style>.stApp {{ --board-rows: {rows}; --board-full: {ROWS}; }}</style>")
        _heading(metric, chosen, page, pages)
        left, right = st.columns(2, gap="large")
        with left:
            _places(reps, metric, t("Reps"), page)
        with right:
            _places(teams, metric, t("Teams"), page)


def show(setup: BoardSetup) -> None:
    """The full-screen board: every `setup.seconds` it shows the next page or metric."""
    st.html(SCREEN_CSS)
    st.fragment(_slide, run_every=setup.seconds)(setup)
    with st.container(key="board__controls"):
        leave = st.button(t("Leave board mode"), icon=":material/close:", type="tertiary")
    if leave:
        for param in (METRICS_PARAM, SECONDS_PARAM):
            st.query_params.pop(param, None)
        st.session_state.pop(SLIDE_KEY, None)
        st.rerun()
