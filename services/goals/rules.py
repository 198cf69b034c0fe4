"""What makes a goal allowed: whose it may be, how its target is typed, which parent fits.

Shared by single goals and the bulk targets grid, so both refuse the same things.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Goal, Rep, Team
from models.base import N_
from models.enums import OwnerKind, PeriodKind, Role
from models.goals import TargetRule
from services import periods, settings
from services.access import (
    Actor,
    deny,
    rep_scope,
    team_children,
    teams_above_rep,
    teams_below,
    with_sub_teams,
)
from services.errors import ValidationError
from services.metrics import Metric, Unit
from services.people import reps
from services.periods import Period

# Above these a target is a typing mistake: a million deals, ten years of cycle.
MAX_COUNT = Decimal(1_000_000)
MAX_DAYS = Decimal(3650)
# A parent goal is one level up: a rep's goal sits under a team's, a team's under a region's
# or the company's.
PARENT_KINDS = {
    OwnerKind.REP: (OwnerKind.TEAM,),
    OwnerKind.TEAM: (OwnerKind.TEAM, OwnerKind.COMPANY),
    OwnerKind.COMPANY: (),
}


def target_rule(metric: Metric) -> TargetRule:
    """How `metric`'s targets are typed and stored (see models.goals.TargetRule)."""
    if metric.unit == Unit.MONEY:
        return TargetRule(money=True)
    if metric.unit == Unit.COUNT:
        return TargetRule(whole=True, high=MAX_COUNT)
    if metric.unit == Unit.RATIO:
        return TargetRule(multiplier=100, scale=(Decimal(0), Decimal(100)), percent=True)
    if metric.unit == Unit.SCORE:
        low, high = metric.scale or (0, 100)
        return TargetRule(multiplier=100, scale=(Decimal(low), Decimal(high)))
    return TargetRule(multiplier=100, high=MAX_DAYS)


def typed_target(metric: Metric, stored: int) -> Decimal:
    """A stored target as it is typed: yuan, percent, the score, days or a count."""
    rule = target_rule(metric)
    divisor = 100 if rule.money else rule.multiplier
    return Decimal(stored) / divisor


def goal_period(session: Session, kind: PeriodKind, start: object, end: object) -> Period:
    """The goal's period: a whole month, fiscal quarter or year, or a custom range of at most
    five years. ValidationError when the days do not make one."""
    fiscal = settings.fiscal_year_start_month(session)
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError(N_("Choose the goal's period."), field="period_start")
    if kind == PeriodKind.CUSTOM:
        return periods.custom(start, end, fiscal)
    if end < start:
        raise ValidationError(N_("The end date is before the start date."), field="period_end")
    whole = periods.containing(kind, start, fiscal)
    if (whole.start, whole.end) != (start, end):
        raise ValidationError(N_("The dates do not make one whole period."), field="period_start")
    return whole


def require_owner(session: Session, actor: Actor, kind: OwnerKind, owner_id: int | None) -> None:
    """The actor may set goals for this owner: an admin anyone; a manager their teams and
    their active reps; nobody else. PermissionDenied (audited) or ValidationError."""
    action = "goal.write"
    if kind == OwnerKind.REP and owner_id is not None:
        if actor.role == Role.REP:
            deny(session, actor, action=action, entity="rep", entity_id=owner_id)
        reps.require_active(session, actor, owner_id, action=action, field="owner_id")
    elif kind == OwnerKind.TEAM and owner_id is not None:
        if not actor.is_admin and owner_id not in actor.team_ids:
            deny(session, actor, action=action, entity="team", entity_id=owner_id)
        if session.get(Team, owner_id) is None:
            raise ValidationError(N_("That team does not exist."), field="owner_id")
    elif not actor.is_admin:
        deny(session, actor, action=action, entity="goal", entity_id=None)


def may_read(session: Session, actor: Actor, goal: Goal) -> bool:
    """An admin reads every goal; a manager the company's, their teams' and their reps';
    a rep their own, the company's and those of their team and the teams above it (what
    their own goals are part of), never to change."""
    if actor.is_admin or goal.owner_kind == OwnerKind.COMPANY:
        return True
    if goal.owner_kind == OwnerKind.TEAM:
        if actor.role == Role.REP:
            return goal.owner_id in teams_above_rep(session, actor.rep_id)
        return goal.owner_id in actor.team_ids
    scope = rep_scope(session, actor)
    return scope is None or goal.owner_id in scope


def may_write(session: Session, actor: Actor, goal: Goal) -> bool:
    """An admin changes every goal; a manager their teams' and their reps'; a rep none."""
    if actor.is_admin:
        return True
    if actor.role != Role.MANAGER or goal.owner_kind == OwnerKind.COMPANY:
        return False
    if goal.owner_kind == OwnerKind.TEAM:
        return goal.owner_id in actor.team_ids
    return goal.owner_id in (rep_scope(session, actor) or frozenset())


def _team_of(session: Session, kind: OwnerKind, owner_id: int | None) -> int | None:
    if kind == OwnerKind.REP and owner_id is not None:
        rep = session.get(Rep, owner_id)
        return rep.team_id if rep else None
    return owner_id if kind == OwnerKind.TEAM else None


def check_parent(
    session: Session,
    child: Goal,
    parent_id: int | None,
    *,
    children: dict[int, list[int]] | None = None,
) -> Goal | None:
    """The live parent goal `parent_id` if it can hold `child`: same metric, one level up,
    the child's period inside its own, and for a team parent the child's team inside it.
    `children` is a `team_children` map for callers checking many goals (read once)."""
    if parent_id is None:
        return None
    parent = session.get(Goal, parent_id)
    if parent is None or parent.archived_at is not None:
        raise ValidationError(N_("That parent goal does not exist."), field="parent_id")
    if parent.id == child.id or parent.owner_kind not in PARENT_KINDS[child.owner_kind]:
        raise ValidationError(
            N_("A goal's parent is one level up: a rep's under a team's, a team's under a "
               "region's or the company's."),
            field="parent_id",
        )  # fmt: skip
    if parent.metric_key != child.metric_key:
        raise ValidationError(N_("The parent goal measures another metric."), field="parent_id")
    if not parent.period_start <= child.period_start <= child.period_end <= parent.period_end:
        raise ValidationError(
            N_("The goal's period must lie inside its parent's ({start} to {end})."),
            field="parent_id",
            start=parent.period_start,
            end=parent.period_end,
        )
    if parent.owner_kind == OwnerKind.TEAM:
        team = _team_of(session, child.owner_kind, child.owner_id)
        roots = [parent.owner_id] if parent.owner_id else []
        inside = (
            with_sub_teams(session, roots) if children is None else teams_below(children, roots)
        )
        if child.owner_kind == OwnerKind.TEAM:
            # A team's parent team is a region above it, never the team itself.
            inside = inside - {parent.owner_id}
        if team not in inside:
            raise ValidationError(N_("The parent goal belongs to another team."), field="parent_id")
    return parent


def require_unique(session: Session, goal: Goal) -> None:
    """One goal per owner, metric and period; an archived one must be restored instead."""
    query = select(Goal.id, Goal.archived_at).where(
        col(Goal.owner_kind) == goal.owner_kind,
        col(Goal.metric_key) == goal.metric_key,
        col(Goal.period_start) == goal.period_start,
        col(Goal.period_end) == goal.period_end,
        col(Goal.id) != (goal.id or 0),
    )
    owner = col(Goal.owner_id)
    query = query.where(owner.is_(None) if goal.owner_id is None else owner == goal.owner_id)
    existing = session.exec(query).first()
    if existing is None:
        return
    if existing[1] is not None:
        raise ValidationError(
            N_("An archived goal exists for this owner, metric and period: restore it instead."),
            field="metric_key",
        )
    raise ValidationError(
        N_("There is already a goal for this owner, metric and period."), field="metric_key"
    )


def _teams_above(
    children: dict[int, list[int]], team_id: int | None, owner_kind: OwnerKind
) -> list[int]:
    """The team (for a rep's goal) and every team above it, nearest first."""
    parents = {child: parent for parent, below in children.items() for child in below}
    above: list[int] = []
    current = team_id if owner_kind == OwnerKind.REP else parents.get(team_id)
    while current is not None and current not in above:
        above.append(current)
        current = parents.get(current)
    return above


def parent_choices(
    session: Session,
    actor: Actor,
    *,
    owner_kind: OwnerKind,
    owner_id: int | None,
    metric_key: str,
    period: Period,
) -> list[tuple[int, str]]:
    """(id, title) of the live goals that could hold such a goal: the same metric, one level
    up, their period around it, and a team above the owner. Only goals the actor may read.
    The team table is read once, whatever the number of candidates."""
    children = team_children(session)
    above = _teams_above(children, _team_of(session, owner_kind, owner_id), owner_kind)
    company_or_above = sa.or_(
        col(Goal.owner_kind) == OwnerKind.COMPANY,
        sa.and_(col(Goal.owner_kind) == OwnerKind.TEAM, col(Goal.owner_id).in_(above)),
    )
    query = select(Goal).where(
        col(Goal.metric_key) == metric_key,
        col(Goal.owner_kind).in_(PARENT_KINDS[owner_kind]),
        company_or_above,
        col(Goal.period_start) <= period.start,
        col(Goal.period_end) >= period.end,
        col(Goal.archived_at).is_(None),
    )
    child = Goal(
        owner_kind=owner_kind, owner_id=owner_id, metric_key=metric_key, target=1,
        period_kind=period.kind, period_start=period.start, period_end=period.end, title="",
    )  # fmt: skip
    choices = []
    for goal in session.exec(query.order_by(col(Goal.period_end), col(Goal.id))).all():
        if goal.id is None or not may_read(session, actor, goal):
            continue
        try:
            check_parent(session, child, goal.id, children=children)
        except ValidationError:
            continue
        choices.append((goal.id, goal.title))
    return choices
