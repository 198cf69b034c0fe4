"""Whose numbers a page shows: a rep their own; managers and admins may narrow to one team."""

from __future__ import annotations

from services.access import Actor
from services.people import teams
from ui import runtime
from ui.choice import remembered_selectbox
from ui.i18n import t

# Stands for "every team" in the box: a None value would show Streamlit's empty placeholder.
ALL_TEAMS = 0


def team_filter(actor: Actor, key: str) -> int | None:
    """The chosen team's id, or None for everything the actor may see."""
    if actor.role == "rep":
        return None
    choices = dict(runtime.cached(teams.list_teams))
    everything = t("All teams") if actor.is_admin else t("All my teams")
    chosen = remembered_selectbox(
        t("Team"),
        [ALL_TEAMS, *choices],
        format_func=lambda team_id: choices.get(team_id, everything),
        key=key,
    )
    return None if chosen == ALL_TEAMS else chosen


def rep_ids(team_id: int | None) -> frozenset[int] | None:
    """The reps a team filter stands for; None means the actor's whole scope."""
    return None if team_id is None else runtime.cached(teams.rep_ids_of_team, team_id)
