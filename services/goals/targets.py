"""Goal targets for a period, read for dashboards; goals themselves are edited elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from models import Goal, Team
from models.enums import OwnerKind, Role
from services.access import Actor, deny
from services.metrics import get_metric
from services.metrics.compute import visible_reps
from services.periods import Period


def _goals(keys: Iterable[str], period: Period, kind: OwnerKind):  # type: ignore[no-untyped-def]
    return select(Goal.metric_key, Goal.owner_id, Goal.target).where(
        col(Goal.owner_kind) == kind,
        col(Goal.metric_key).in_(sorted(set(keys))),
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


def _top_teams(session: Session, team_ids: frozenset[int]) -> list[int]:
    """The managed teams that are not inside another managed team."""
    rows = session.exec(select(Team.id, Team.parent_id).where(col(Team.id).in_(team_ids))).all()
    return sorted(team for team, parent in rows if team is not None and parent not in team_ids)


def _stored_query(
    session: Session, actor: Actor, keys: tuple[str, ...], period: Period, team_id: int | None
) -> tuple[Any, int]:
    """The goals the actor's view adds up, and how many owners it needs (0: any number)."""
    if team_id is not None:
        if not actor.is_admin and team_id not in actor.team_ids:
            deny(session, actor, action="goal.read", entity="team", entity_id=team_id)
        return _goals(keys, period, OwnerKind.TEAM).where(col(Goal.owner_id) == team_id), 0
    if actor.role == Role.REP:
        owner = col(Goal.owner_id) == actor.rep_id
        return _goals(keys, period, OwnerKind.REP).where(owner), 0
    if actor.role == Role.MANAGER:
        teams = _top_teams(session, actor.team_ids)
        return _goals(keys, period, OwnerKind.TEAM).where(col(Goal.owner_id).in_(teams)), len(teams)
    return _goals(keys, period, OwnerKind.COMPANY), 0


def scope_targets(
    session: Session,
    actor: Actor,
    keys: Iterable[str],
    period: Period,
    *,
    team_id: int | None = None,
) -> dict[str, float | None]:
    """`scope_target` of each metric in `keys`, read in one query. PermissionDenied
    (audited) for a team outside the actor's teams."""
    wanted = tuple(keys)
    metrics = {key: get_metric(key) for key in wanted}
    query, owners_needed = _stored_query(session, actor, wanted, period, team_id)
    stored: dict[str, list[int]] = {key: [] for key in wanted}
    for key, _owner, target in session.exec(query).all():
        stored[key].append(target)
    found: dict[str, float | None] = {}
    for key, targets in stored.items():
        metric = metrics[key]
        # A manager's teams add up only when every one has a goal and the metric adds.
        partial = owners_needed and len(targets) != owners_needed
        summing_ratio = len(targets) > 1 and not metric.additive
        found[key] = (
            None if not targets or partial or summing_ratio
            else metric.stored_to_value(sum(targets))
        )  # fmt: skip
    return found


def scope_target(
    session: Session, actor: Actor, key: str, period: Period, *, team_id: int | None = None
) -> float | None:
    """The target of what the actor is looking at: their own, a team's, or the company's.

    None when no goal covers it, or when it would mean adding up a ratio's targets.
    PermissionDenied (audited) for a team outside the actor's teams.
    """
    return scope_targets(session, actor, [key], period, team_id=team_id)[key]


def targets_of_owners(
    session: Session, key: str, period: Period, kind: OwnerKind, owner_ids: Iterable[int] | None
) -> dict[int, float]:
    """Each rep's or team's goal target for exactly this period, in the metric's unit
    (`owner_ids` None: every owner of the kind). No access check: only for callers that have
    decided what the actor may see (the leaderboard)."""
    metric = get_metric(key)
    query = _goals([key], period, kind)
    if owner_ids is not None:
        query = query.where(col(Goal.owner_id).in_(sorted(owner_ids)))
    return {
        owner: metric.stored_to_value(target)
        for _key, owner, target in session.exec(query).all()
        if owner is not None
    }
