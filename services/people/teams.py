"""Teams as the actor may see them, and the reps a team filter stands for."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models import Rep, Team
from services.access import Actor, deny, with_sub_teams


def list_teams(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the teams the actor may filter by: an admin all, a manager theirs."""
    query = select(Team.id, Team.name).where(col(Team.archived_at).is_(None))
    if not actor.is_admin:
        query = query.where(col(Team.id).in_(sorted(actor.team_ids)))
    rows = session.exec(query.order_by(col(Team.name))).all()
    return [(team_id, name) for team_id, name in rows if team_id is not None]


def rep_ids_of_team(session: Session, actor: Actor, team_id: int) -> frozenset[int]:
    """Every rep of `team_id` and its sub-teams; PermissionDenied outside the actor's teams."""
    if not actor.is_admin and team_id not in actor.team_ids:
        deny(session, actor, action="team.read", entity="team", entity_id=team_id)
    teams = with_sub_teams(session, [team_id])
    rows = session.exec(select(Rep.id).where(col(Rep.team_id).in_(sorted(teams)))).all()
    return frozenset(rep_id for rep_id in rows if rep_id is not None)
