"""Goal targets for a period, read for dashboards; goals themselves are edited elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from models import Goal, Team
from models.enums import OwnerKind, Role
from services.access import Actor, deny
from services.metrics import get_metric
from services.metrics.compute import visible_reps
from services.periods import Period


def _goals(key: str, period: Period, kind: OwnerKind):  # type: ignore[no-untyped-def]
    return select(Goal.owner_id, Goal.target).where(
        col(Goal.owner_kind) == kind,
        col(Goal.metric_key) == key,
        col(Goal.period_start) == period.start,
        col(Goal.period_end) == period.end,
        col(Goal.archived_at).is_(None),
    )


def rep_targets(
    session: Session,
    actor: Actor,
    key: str,
    period: Period,
    *,
    rep_ids: Iterable[int] | None = None,
) -> dict[int, float]:
    """Each visible rep's target for exactly this period, in the metric's unit."""
    reps = visible_reps(session, actor, rep_ids)
    return targets_of_owners(session, key, period, OwnerKind.REP, reps)


def _team_targets(session: Session, key: str, period: Period, team_ids: list[int]) -> list[int]:
    query = _goals(key, period, OwnerKind.TEAM).where(col(Goal.owner_id).in_(team_ids))
    return [target for _owner, target in session.exec(query).all()]


def _top_teams(session: Session, team_ids: frozenset[int]) -> list[int]:
    """The managed teams that are not inside another managed team."""
    rows = session.exec(select(Team.id, Team.parent_id).where(col(Team.id).in_(team_ids))).all()
    return sorted(team for team, parent in rows if team is not None and parent not in team_ids)


def scope_target(
    session: Session, actor: Actor, key: str, period: Period, *, team_id: int | None = None
) -> float | None:
    """The target of what the actor is looking at: their own, a team's, or the company's.

    None when no goal covers it, or when it would mean adding up a ratio's targets.
    """
    metric = get_metric(key)
    if team_id is not None:
        if not actor.is_admin and team_id not in actor.team_ids:
            deny(session, actor, action="goal.read", entity="team", entity_id=team_id)
        stored = _team_targets(session, key, period, [team_id])
    elif actor.role == Role.REP:
        if actor.rep_id is None:
            return None
        stored = [
            target for _o, target in session.exec(
                _goals(key, period, OwnerKind.REP).where(col(Goal.owner_id) == actor.rep_id)
            ).all()
        ]  # fmt: skip
    elif actor.role == Role.MANAGER:
        teams = _top_teams(session, actor.team_ids)
        stored = _team_targets(session, key, period, teams)
        if len(stored) != len(teams) or (len(stored) > 1 and not metric.additive):
            return None
    else:
        stored = [target for _o, target in session.exec(_goals(key, period, OwnerKind.COMPANY))]
    if not stored:
        return None
    return metric.stored_to_value(sum(stored))


def targets_of_owners(
    session: Session, key: str, period: Period, kind: OwnerKind, owner_ids: Iterable[int] | None
) -> dict[int, float]:
    """Each rep's or team's goal target for exactly this period, in the metric's unit
    (`owner_ids` None: every owner of the kind). No access check: only for callers that have
    decided what the actor may see (the leaderboard)."""
    metric = get_metric(key)
    query = _goals(key, period, kind)
    if owner_ids is not None:
        query = query.where(col(Goal.owner_id).in_(sorted(owner_ids)))
    return {
        owner: metric.stored_to_value(target)
        for owner, target in session.exec(query).all()
        if owner is not None
    }
