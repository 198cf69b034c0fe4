"""The leaderboard's pieces: the ranking picker, places with medals and movement, the podium,
the table with attainment bars, and the admin's switch for what reps may see."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services import settings
from services.errors import RepboardError
from services.metrics import Metric, Unit
from services.performance import leaderboard
from services.performance.leaderboard import Leaderboard, Ranking, Standing, Visibility
from services.periods import Period
from ui import edits, runtime
from ui import format as fmt
from ui.choice import labels_now, remembered_selectbox
from ui.errors import message
from ui.feedback import flash
from ui.i18n import N_, t
from ui.tables import table_height
from ui.text import plain

SETTING = "leaderboard_visibility"
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
RANKING_LABELS = {Ranking.REPS: N_("Reps"), Ranking.TEAMS: N_("Teams")}
VISIBILITY_LABELS = {
    Visibility.EVERYONE: N_("Everyone"),
    Visibility.TEAM: N_("Their own team"),
    Visibility.SELF: N_("Only themselves"),
}
# What a rep is told about the rows they see.
VISIBILITY_NOTES = {
    Visibility.EVERYONE: N_("You see every rep's place."),
    Visibility.TEAM: N_("You see your team's reps, ranked within the team."),
    Visibility.SELF: N_("You see only your own place among all reps."),
}
# The table shows this many places before it scrolls.
ROWS_SHOWN = 20


def ranking_picker(key: str) -> Ranking:
    return remembered_selectbox(
        t("Rank"), list(RANKING_LABELS), key=key, format_func=lambda r: t(RANKING_LABELS[r])
    )


def load(key: str, chosen: Period, *, ranking: Ranking, team_id: int | None) -> Leaderboard:
    """The ranking through the data cache; an error is shown and the page stops."""
    try:
        return runtime.cached(leaderboard.standings, key, chosen, ranking=ranking, team_id=team_id)
    except RepboardError as error:
        st.error(message(error), icon="⚠️")
        st.stop()


def place(row: Standing) -> str:
    """ "🥇 1" for the top three places (ties share them), the bare rank below, "—" unranked."""
    if row.rank is None:
        return fmt.MISSING
    medal = MEDALS.get(row.rank)
    return f"{medal} {fmt.number(row.rank)}" if medal else fmt.number(row.rank)


def movement(row: Standing) -> str:
    """Places gained ▲ or lost ▼ since the previous period, – for none, "new" for a newcomer."""
    if row.is_new:
        return t("new")
    if row.movement is None:
        return ""
    if row.movement > 0:
        return f"▲{fmt.number(row.movement)}"
    if row.movement < 0:
        return f"▼{fmt.number(-row.movement)}"
    return "–"


def summary(board: Leaderboard, chosen: Period) -> str:
    """The period, how many are ranked, and for a rep what the setting lets them see."""
    count, label = fmt.number(board.ranked_among), fmt.period_label(chosen)
    if board.ranking == Ranking.REPS:
        line = t("{period} · ranked among {count} reps", period=label, count=count)
    else:
        line = t("{period} · ranked among {count} teams", period=label, count=count)
    if board.visibility is not None:
        line += " · " + t(VISIBILITY_NOTES[board.visibility])
    return line


def podium(board: Leaderboard, metric: Metric) -> None:
    """The first three places as tiles (with ties, the first three rows)."""
    top = [row for row in board.standings if row.rank is not None and row.rank <= 3][:3]
    for column, row in zip(st.columns(3), top, strict=False):
        value, full = fmt.tile_value(metric.unit, row.value)
        column.metric(plain(f"{MEDALS[row.rank or 1]} {row.name}"), value, help=full, border=True)


def _percent(attainment: float | None) -> float | None:
    return None if attainment is None else round(attainment * 100, 1)


def _name(row: Standing, *, reps: bool) -> str:
    # Marked in words: styling a long table's rows costs more than the rest of the page.
    if not row.own:
        return row.name
    return t("{name} (you)", name=row.name) if reps else t("{name} (your team)", name=row.name)


def value_format(unit: Unit) -> Callable[[float | None], str]:
    """Formats a metric's values for the table (money in whole units), the currency looked up
    once: hundreds of rows would otherwise read it for every amount."""
    if unit != Unit.MONEY:
        return lambda value: fmt.metric_value(unit, value)
    currency = runtime.currency()
    return lambda value: fmt.money(None if value is None else round(value), currency, whole=True)


def _frame(board: Leaderboard, metric: Metric) -> pd.DataFrame:
    reps = board.ranking == Ranking.REPS
    rows = board.standings
    shown = value_format(metric.unit)
    return pd.DataFrame(
        {
            t("Place"): [place(row) for row in rows],
            t("Change"): [movement(row) for row in rows],
            t("Rep") if reps else t("Team"): [_name(row, reps=reps) for row in rows],
            t("Team") if reps else t("Part of"): [row.group or "" for row in rows],
            t(metric.label): [shown(row.value) for row in rows],
            t("Target"): [shown(row.target) for row in rows],
            t("Attainment"): [_percent(row.attainment) for row in rows],
        }
    )


def standings_table(board: Leaderboard, metric: Metric) -> None:
    """Every visible place, with its attainment as a bar; the actor's own row marked."""
    if not board.standings:
        st.info(t("Nobody to rank here yet."), icon=":material/info:")
        return
    frame = _frame(board, metric)
    config = {
        t("Attainment"): st.column_config.ProgressColumn(
            t("Attainment"), min_value=0, max_value=100, format="%.0f%%"
        )
    }
    height = table_height(len(frame), most=ROWS_SHOWN)
    st.dataframe(frame, hide_index=True, width="stretch", height=height, column_config=config)
    if not any(row.target is not None for row in board.standings):
        st.caption(t("No goal for this period sets a target here, so there is no attainment."))


def visibility_form(key: str) -> None:
    """Admins only: what reps may see on the leaderboard, saved through the settings service
    against the version shown when the form was opened."""
    stored = runtime.call_anonymous(settings.stored, SETTING)
    record = edits.opened("settings", SETTING, stored.version)
    with st.form(key):
        chosen = st.radio(
            t("Reps may see"),
            list(VISIBILITY_LABELS),
            index=list(VISIBILITY_LABELS).index(Visibility(stored.value)),
            format_func=labels_now(list(VISIBILITY_LABELS), lambda c: t(VISIBILITY_LABELS[c])),
            # A new version is a new widget: it starts from the value stored then.
            key=f"{key}__choice_{record.version}",
            help=t(
                "Ranks are counted among all reps, or within the team when reps see their team."
            ),
        )
        submitted = st.form_submit_button(t("Save"))
    if not submitted:
        return
    saved, _stored = edits.save(settings.set_value, record, key=SETTING, value=str(chosen))
    if saved:
        flash(t("Reps now see: {choice}.", choice=t(VISIBILITY_LABELS[Visibility(chosen)])))
        st.rerun()
