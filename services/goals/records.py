"""SMART goals for reps, teams and the company: listed, added, edited, revised with a
reason, reviewed, archived, and hand-entered check-ins for manual metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from models import Goal, GoalCheckin, GoalRevision, Rep, Team, User
from models.base import N_, utcnow
from models.enums import OwnerKind, PeriodKind, Role
from models.goals import CheckinCreate, GoalCreate, GoalFields, GoalRevise
from services import settings
from services.access import Actor, deny, rep_scope, require_rep, teams_above_rep
from services.errors import NotFound, ValidationError
from services.goals import rules
from services.metrics import get_metric
from services.periods import Period
from services.unit_of_work import UnitOfWork, unit_of_work
from services.validation import build


@dataclass(frozen=True)
class GoalFilters:
    """Which goals a list covers: those overlapping `period`, of one period kind, owner kind,
    team (its goal and its reps'), rep or metric; archived ones only on request."""

    period: Period | None = None
    period_kind: PeriodKind | None = None
    owner_kind: OwnerKind | None = None
    team_id: int | None = None
    rep_id: int | None = None
    metric_key: str | None = None
    archived: bool = False


@dataclass(frozen=True, slots=True)
class GoalRow:
    """A goal as lists show it: its owner's name (None for the company), the owner rep's team,
    and its parent's title; `target` stored in the metric's unit (see models.goals)."""

    id: int
    title: str
    description: str | None
    owner_kind: OwnerKind
    owner_id: int | None
    owner_name: str | None
    rep_team_id: int | None
    metric_key: str
    target: int
    period_kind: PeriodKind
    period_start: date
    period_end: date
    parent_id: int | None
    parent_title: str | None
    archived_at: datetime | None
    version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Revision:
    """A change of target, or a review that kept it (old equals new), and who made it."""

    old_target: int
    new_target: int
    reason: str
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class Checkin:
    """A hand-entered value of a manual metric, stored as targets are."""

    checked_on: date
    value: int
    note: str | None


@dataclass(frozen=True, slots=True)
class GoalFile(GoalRow):
    """One goal with its revisions (newest first) and check-ins (newest first)."""

    revisions: tuple[Revision, ...]
    checkins: tuple[Checkin, ...]


_parent = aliased(Goal)
LISTED = (
    col(Goal.id), col(Goal.title), col(Goal.description), col(Goal.owner_kind),
    col(Goal.owner_id), sa.func.coalesce(col(Rep.name), col(Team.name)).label("owner_name"),
    col(Rep.team_id).label("rep_team_id"), col(Goal.metric_key), col(Goal.target),
    col(Goal.period_kind), col(Goal.period_start), col(Goal.period_end), col(Goal.parent_id),
    _parent.title.label("parent_title"), col(Goal.archived_at), col(Goal.version),
    col(Goal.created_at),
)  # fmt: skip


def _listed(where: list[Any]) -> Any:
    rep_owned = sa.and_(col(Goal.owner_kind) == OwnerKind.REP, col(Rep.id) == col(Goal.owner_id))
    team_owned = sa.and_(col(Goal.owner_kind) == OwnerKind.TEAM, col(Team.id) == col(Goal.owner_id))
    return (
        select(*LISTED)
        .select_from(Goal)
        .join(Rep, rep_owned, isouter=True)
        .join(Team, team_owned, isouter=True)
        .join(_parent, col(_parent.id) == col(Goal.parent_id), isouter=True)
        .where(*where)
    )


def _scope(session: Session, actor: Actor) -> list[Any]:
    """WHERE clauses for the goals the actor may read (see rules.may_read)."""
    if actor.is_admin:
        return []
    reps = sorted(rep_scope(session, actor) or ())
    rep_goals = sa.and_(col(Goal.owner_kind) == OwnerKind.REP, col(Goal.owner_id).in_(reps))
    teams = teams_above_rep(session, actor.rep_id) if actor.role == Role.REP else actor.team_ids
    team_goals = sa.and_(
        col(Goal.owner_kind) == OwnerKind.TEAM, col(Goal.owner_id).in_(sorted(teams))
    )
    return [or_(col(Goal.owner_kind) == OwnerKind.COMPANY, team_goals, rep_goals)]


def _filtered(filters: GoalFilters) -> list[Any]:
    where: list[Any] = [
        col(Goal.archived_at).is_not(None) if filters.archived else col(Goal.archived_at).is_(None)
    ]
    if filters.period is not None:
        where += [
            col(Goal.period_start) <= filters.period.end,
            col(Goal.period_end) >= filters.period.start,
        ]
    if filters.period_kind is not None:
        where.append(col(Goal.period_kind) == filters.period_kind)
    if filters.owner_kind is not None:
        where.append(col(Goal.owner_kind) == filters.owner_kind)
    if filters.metric_key is not None:
        where.append(col(Goal.metric_key) == filters.metric_key)
    if filters.rep_id is not None:
        where += [col(Goal.owner_kind) == OwnerKind.REP, col(Goal.owner_id) == filters.rep_id]
    if filters.team_id is not None:
        where.append(
            or_(
                sa.and_(
                    col(Goal.owner_kind) == OwnerKind.TEAM, col(Goal.owner_id) == filters.team_id
                ),
                sa.and_(col(Goal.owner_kind) == OwnerKind.REP, col(Rep.team_id) == filters.team_id),
            )
        )
    return where


def _listed_where(session: Session, actor: Actor, filters: GoalFilters) -> list[Any]:
    """WHERE clauses of `list_goals`; a filter naming a rep or team outside scope is denied."""
    if filters.rep_id is not None:
        require_rep(session, actor, filters.rep_id, action="goal.list")
    team = filters.team_id
    if team is not None and not actor.is_admin and team not in actor.team_ids:
        deny(session, actor, action="goal.list", entity="team", entity_id=filters.team_id)
    return [*_scope(session, actor), *_filtered(filters)]


def list_goals(
    session: Session,
    actor: Actor,
    *,
    filters: GoalFilters,
    offset: int = 0,
    limit: int | None = None,
) -> list[GoalRow]:
    """The goals the actor may read matching `filters`, company first, then teams, then
    reps, by owner name; `limit` of them from `offset` on (all without one). A filter naming
    a rep or team outside scope is denied."""
    order = sa.case(
        (col(Goal.owner_kind) == OwnerKind.COMPANY, 0),
        (col(Goal.owner_kind) == OwnerKind.TEAM, 1),
        else_=2,
    )
    # The id ends the order, so a page never shows a goal another page shows too.
    query = _listed(_listed_where(session, actor, filters)).order_by(
        order, sa.text("owner_name"), col(Goal.metric_key), col(Goal.period_start), col(Goal.id)
    )
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return [GoalRow(**row._mapping) for row in session.exec(query).all()]


def count_goals(session: Session, actor: Actor, *, filters: GoalFilters) -> int:
    """How many goals `list_goals` lists for `filters`; the same denials."""
    listed = _listed(_listed_where(session, actor, filters)).subquery()
    return int(session.exec(select(sa.func.count()).select_from(listed)).one())


def children_of(session: Session, actor: Actor, parent_ids: list[int]) -> list[GoalRow]:
    """The live goals directly under `parent_ids` that the actor may read."""
    where = [col(Goal.parent_id).in_(parent_ids), col(Goal.archived_at).is_(None)]
    query = _listed([*_scope(session, actor), *where]).order_by(sa.text("owner_name"), col(Goal.id))
    return [GoalRow(**row._mapping) for row in session.exec(query).all()]


def child_targets(session: Session, parent_ids: list[int]) -> dict[int, list[int]]:
    """The stored targets of the live goals under each of `parent_ids`, whoever may read
    them: the allocation check covers every child, shown or not."""
    rows = session.exec(
        select(Goal.parent_id, Goal.target).where(
            col(Goal.parent_id).in_(parent_ids), col(Goal.archived_at).is_(None)
        )
    ).all()
    targets: dict[int, list[int]] = {}
    for parent_id, target in rows:
        if parent_id is not None:
            targets.setdefault(parent_id, []).append(target)
    return targets


def _allowed(
    session: Session,
    actor: Actor,
    goal_id: int,
    *,
    action: str,
    rule: Callable[[Session, Actor, Goal], bool],
) -> Goal:
    """The goal, if `rule` lets the actor at it: NotFound, or PermissionDenied (audited)."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound()
    if not rule(session, actor, goal):
        deny(session, actor, action=action, entity="goals", entity_id=goal_id)
    return goal


def _readable(session: Session, actor: Actor, goal_id: int, *, action: str) -> Goal:
    return _allowed(session, actor, goal_id, action=action, rule=rules.may_read)


def get(session: Session, actor: Actor, goal_id: int) -> GoalFile:
    """One goal with its revisions (newest first) and check-ins; NotFound, or PermissionDenied
    when the actor may not read it."""
    _readable(session, actor, goal_id, action="goal.get")
    [row] = session.exec(_listed([col(Goal.id) == goal_id])).all()
    revisions = session.exec(
        select(GoalRevision, User.display_name)
        .join(User, col(User.id) == col(GoalRevision.by_user_id))
        .where(col(GoalRevision.goal_id) == goal_id)
        .order_by(col(GoalRevision.at).desc(), col(GoalRevision.id).desc())
    ).all()
    checkins = session.exec(
        select(GoalCheckin)
        .where(col(GoalCheckin.goal_id) == goal_id)
        .order_by(col(GoalCheckin.checked_on).desc(), col(GoalCheckin.id).desc())
    ).all()
    return GoalFile(
        **row._mapping,
        revisions=tuple(
            Revision(r.old_target, r.new_target, r.reason, r.at, who) for r, who in revisions
        ),
        checkins=tuple(Checkin(c.checked_on, c.value, c.note) for c in checkins),
    )


# ---- Writing ----


def _writable(session: Session, actor: Actor, goal_id: int, *, action: str) -> Goal:
    return _allowed(session, actor, goal_id, action=action, rule=rules.may_write)


def create(session: Session, actor: Actor, *, data: dict[str, Any]) -> GoalFile:
    """Add a goal. `data`: owner_kind, owner_id, metric_key, target (typed in the metric's
    unit), period_kind, period_start, period_end, title, description, parent_id.
    PermissionDenied for an owner outside scope; ValidationError (nothing written) for bad
    input, a duplicate, or a parent that cannot hold it."""
    metric = get_metric(str(data.get("metric_key")))
    kind = PeriodKind(data.get("period_kind", PeriodKind.CUSTOM))
    period = rules.goal_period(session, kind, data.get("period_start"), data.get("period_end"))
    data = data | {"period_start": period.start, "period_end": period.end}
    goal_in = build(GoalCreate, data, context={"target_rule": rules.target_rule(metric)})
    rules.require_owner(session, actor, goal_in.owner_kind, goal_in.owner_id)
    goal = Goal.model_validate(goal_in.model_dump())
    rules.require_unique(session, goal)
    _require_readable_parent(session, actor, goal_in.parent_id)
    rules.check_parent(session, goal, goal_in.parent_id)
    with unit_of_work(session, actor) as uow:
        uow.add(goal)
    assert goal.id is not None
    return get(session, actor, goal.id)


def update(
    session: Session, actor: Actor, *, goal_id: int, version: int, data: dict[str, Any]
) -> GoalFile:
    """Change a goal's title, description or parent (the target changes by `revise`).
    PermissionDenied, StaleEdit, ValidationError."""
    current = _writable(session, actor, goal_id, action="goal.update")
    goal_in = build(GoalFields, data)
    _require_readable_parent(session, actor, goal_in.parent_id)
    rules.check_parent(session, current, goal_in.parent_id)
    with unit_of_work(session, actor) as uow:
        goal = uow.load(Goal, goal_id, version=version)
        _require_live(goal)
        uow.change(goal, goal_in.model_dump())
    return get(session, actor, goal_id)


def _require_readable_parent(session: Session, actor: Actor, parent_id: int | None) -> None:
    # A parent the actor may not open is answered as missing: its dates stay private.
    parent = session.get(Goal, parent_id) if parent_id is not None else None
    if parent is not None and not rules.may_read(session, actor, parent):
        raise ValidationError(N_("That parent goal does not exist."), field="parent_id")


def _require_live(goal: Goal) -> None:
    if goal.archived_at is not None:
        raise ValidationError(N_("This goal is archived."))


def revise(
    session: Session, actor: Actor, *, goal_id: int, version: int, target: Any, reason: Any
) -> GoalFile:
    """Set a new target (typed in the metric's unit) with the reason, kept as a revision; the
    same target records a review that kept it. PermissionDenied, StaleEdit, ValidationError."""
    current = _writable(session, actor, goal_id, action="goal.revise")
    rule = rules.target_rule(get_metric(current.metric_key))
    revision_in = build(
        GoalRevise, {"target": target, "reason": reason}, context={"target_rule": rule}
    )
    with unit_of_work(session, actor) as uow:
        record_revision(uow, goal_id=goal_id, version=version, revision_in=revision_in)
    return get(session, actor, goal_id)


def record_revision(
    uow: UnitOfWork, *, goal_id: int, version: int, revision_in: GoalRevise
) -> Goal:
    """Inside `uow`: lock the live goal at `version`, set its target and keep the revision
    (old, new, reason, by); the same target records a review that kept it. The caller has
    checked the actor's rights. StaleEdit, ValidationError for an archived goal."""
    goal = uow.load(Goal, goal_id, version=version)
    revise_locked(uow, [(goal, revision_in)])
    return goal


def revise_locked(uow: UnitOfWork, revisions: Sequence[tuple[Goal, GoalRevise]]) -> None:
    """`record_revision` for goals the caller has already locked at the versions it read, in
    a few statements however many (the bulk grid revises all its goals at once): an UPDATE
    per kind of change, one INSERT of the revisions and one of each's audit events."""
    assert uow.actor is not None
    reviewed: list[tuple[Goal, dict[str, Any]]] = []
    revised: list[tuple[Goal, dict[str, Any]]] = []
    history = []
    for goal, revision_in in revisions:
        _require_live(goal)
        assert goal.id is not None
        history.append(
            GoalRevision(
                goal_id=goal.id,
                old_target=goal.target,
                new_target=revision_in.target,
                reason=revision_in.reason,
                by_user_id=uow.actor.user_id,
            )
        )
        if revision_in.target == goal.target:
            # A review that keeps the target still moves the version: it is the goal's news.
            reviewed.append((goal, {"updated_at": utcnow()}))
        else:
            revised.append((goal, {"target": revision_in.target}))
    uow.change_many(reviewed, action="goal.review")
    uow.change_many(revised, action="goal.revise")
    # One revision per goal: the goal tells their new ids apart.
    uow.insert_many(history, key="goal_id")


def _set_archived(
    session: Session, actor: Actor, goal_id: int, version: int, *, archived: bool
) -> GoalFile:
    action = "goal.archive" if archived else "goal.unarchive"
    current = _writable(session, actor, goal_id, action=action)
    if not archived:
        rules.require_unique(session, current)
    with unit_of_work(session, actor) as uow:
        goal = uow.load(Goal, goal_id, version=version)
        if (goal.archived_at is not None) != archived:
            uow.change(goal, {"archived_at": utcnow() if archived else None}, action=action)
    return get(session, actor, goal_id)


def archive(session: Session, actor: Actor, *, goal_id: int, version: int) -> GoalFile:
    """Take a goal out of lists and roll-ups; its history stays. PermissionDenied, StaleEdit."""
    return _set_archived(session, actor, goal_id, version, archived=True)


def unarchive(session: Session, actor: Actor, *, goal_id: int, version: int) -> GoalFile:
    """Bring an archived goal back, unless another goal took its owner, metric and period."""
    return _set_archived(session, actor, goal_id, version, archived=False)


def add_checkin(
    session: Session, actor: Actor, *, goal_id: int, checked_on: Any, value: Any, note: Any = None
) -> GoalFile:
    """A hand-entered value for a goal on a manual metric: by whoever may change the goal, or
    the rep whose goal it is. ValidationError for a computed metric or bad input."""
    goal = _readable(session, actor, goal_id, action="goal.checkin")
    own = goal.owner_kind == OwnerKind.REP and goal.owner_id == actor.rep_id
    if not own and not rules.may_write(session, actor, goal):
        deny(session, actor, action="goal.checkin", entity="goals", entity_id=goal_id)
    metric = get_metric(goal.metric_key)
    if not metric.manual:
        raise ValidationError(N_("This goal's metric is computed from the data."))
    _require_live(goal)
    checkin_in = build(
        CheckinCreate,
        {"checked_on": checked_on, "value": value, "note": note},
        context={"target_rule": rules.target_rule(metric), "today": _today(session)},
    )
    if not goal.period_start <= checkin_in.checked_on <= goal.period_end:
        raise ValidationError(
            N_("A check-in falls inside the goal's period ({start} to {end})."),
            field="checked_on",
            start=goal.period_start,
            end=goal.period_end,
        )
    with unit_of_work(session, actor) as uow:
        uow.add(GoalCheckin(goal_id=goal_id, by_user_id=actor.user_id, **checkin_in.model_dump()))
    return get(session, actor, goal_id)


def _today(session: Session) -> date:
    return settings.office_today(session)
