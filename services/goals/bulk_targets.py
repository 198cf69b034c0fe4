"""Bulk target editing: every rep's target for one metric and period in a grid, copied from
the previous period or scaled by a percentage, then saved all at once or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from models import Goal, Rep, Team
from models.base import N_, FieldProblem
from models.enums import OwnerKind, RepStatus, Role
from models.goals import GoalCreate, GoalRevise, TargetRule, stored_target
from services.access import Actor, deny, rep_scope, require_role, team_children
from services.errors import StaleEdit, ValidationError
from services.goals import records as goals
from services.goals import rules
from services.metrics import Metric, Unit, get_metric
from services.people import reps, teams
from services.periods import Period, PeriodKind
from services.unit_of_work import unit_of_work
from services.validation import build

WHOLE = Decimal(1)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class RowError:
    """Why one rep's row cannot be saved: a msgid and the values of its placeholders."""

    rep_id: int
    rep_name: str
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


class RowErrors(ValidationError):
    """Some rows are wrong, so nothing was saved; `rows` names each and says why."""

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(
            N_("Nothing was saved. Rows to fix: {count}."), field="target", count=len(rows)
        )
        self.rows = rows


@dataclass(frozen=True)
class SaveResult:
    created: int = 0
    revised: int = 0
    # Targets saved as they were, and blank rows of reps without a goal.
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class GridRow:
    """One rep's row of the grid: the live goal's target typed in the metric's unit, with the
    goal's id and the version read (all None without a goal), and the previous period's."""

    rep_id: int
    rep_name: str
    team_name: str | None
    target: Decimal | None
    goal_id: int | None
    version: int | None
    previous_target: Decimal | None


# ---- Reading ----


def _live_goals(
    session: Session, metric_key: str, period: Period, rep_ids: Iterable[int]
) -> dict[int, Goal]:
    """Each rep's live goal for exactly this metric and period."""
    wanted = sorted(set(rep_ids))
    if not wanted:
        return {}
    query = select(Goal).where(
        col(Goal.owner_kind) == OwnerKind.REP,
        col(Goal.owner_id).in_(wanted),
        col(Goal.metric_key) == metric_key,
        col(Goal.period_start) == period.start,
        col(Goal.period_end) == period.end,
        col(Goal.archived_at).is_(None),
    )
    return {goal.owner_id: goal for goal in session.exec(query).all() if goal.owner_id is not None}


def _typed(metric: Metric, goal: Goal | None) -> Decimal | None:
    return None if goal is None else rules.typed_target(metric, goal.target)


def grid(
    session: Session, actor: Actor, *, metric_key: str, period: Period, team_id: int | None = None
) -> list[GridRow]:
    """One row per active rep in the actor's scope (an admin every rep, a manager their teams'),
    or in `team_id` and its sub-teams, by team and name: rep_id, rep_name, team_name, the live
    goal's typed `target`, `goal_id` and `version` (None without a goal), and the previous
    period's `previous_target`. PermissionDenied (audited) for a rep or a team outside scope."""
    require_role(session, actor, Role.ADMIN, Role.MANAGER, action="targets.grid", entity="goals")
    metric = get_metric(metric_key)
    query = (
        select(Rep.id, Rep.name, Team.name)
        .join(Team, col(Team.id) == col(Rep.team_id), isouter=True)
        .where(col(Rep.status) == RepStatus.ACTIVE, col(Rep.archived_at).is_(None))
    )
    scope = rep_scope(session, actor)
    if scope is not None:
        query = query.where(col(Rep.id).in_(sorted(scope)))
    if team_id is not None:
        in_team = teams.rep_ids_of_team(session, actor, team_id)
        query = query.where(col(Rep.id).in_(sorted(in_team)))
    # Sorted here, not in SQL: both databases then agree on teamless reps and on collation.
    reps = sorted(
        ((rep_id, name, team) for rep_id, name, team in session.exec(query).all() if rep_id),
        key=lambda rep: (rep[2] is None, rep[2] or "", rep[1], rep[0]),
    )
    ids = [rep_id for rep_id, _name, _team in reps]
    current = _live_goals(session, metric_key, period, ids)
    previous = _live_goals(session, metric_key, period.previous(), ids)
    return [
        GridRow(
            rep_id=rep_id,
            rep_name=name,
            team_name=team,
            target=_typed(metric, current.get(rep_id)),
            goal_id=current[rep_id].id if rep_id in current else None,
            version=current[rep_id].version if rep_id in current else None,
            previous_target=_typed(metric, previous.get(rep_id)),
        )
        for rep_id, name, team in reps
    ]


# ---- Grid helpers: pure, no database ----


def rounded(metric_key: str, target: Decimal) -> Decimal:
    """A computed target as people type it: money in whole yuan and counts in whole numbers
    (half up); percentages, scores and days to hundredths, as they are stored."""
    unit = get_metric(metric_key).unit
    step = WHOLE if unit in (Unit.MONEY, Unit.COUNT) else HUNDREDTH
    return target.quantize(step, rounding=ROUND_HALF_UP)


def scaled(metric_key: str, target: Decimal | None, percent: Decimal) -> Decimal | None:
    """`target` raised (or, below zero, lowered) by `percent` %, rounded; blank stays blank."""
    if target is None:
        return None
    return rounded(metric_key, target * (1 + percent / 100))


def scaled_rows(metric_key: str, rows: Sequence[GridRow], percent: Decimal) -> list[GridRow]:
    """Grid rows with every target scaled by `percent` %."""
    return [replace(row, target=scaled(metric_key, row.target, percent)) for row in rows]


def copied_from_previous(rows: Sequence[GridRow]) -> list[GridRow]:
    """Grid rows with each target set to the previous period's; a rep without one keeps
    the target shown."""
    return [
        row if row.previous_target is None else replace(row, target=row.previous_target)
        for row in rows
    ]


# ---- Saving ----


def _blank(value: object) -> bool:
    # NaN is what a cleared number cell gives.
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


@dataclass
class _Plan:
    """What a valid grid would write."""

    new_goals: list[Goal] = field(default_factory=list)
    # (goal id, the version the grid read, the new target as typed)
    revisions: list[tuple[int, int, Any]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class _Batch:
    """What every row of one save is checked against, read once for all rows."""

    metric: Metric
    rule: TargetRule
    period: Period
    title: str
    live: dict[int, Goal]
    # Reps who have only an archived goal for the metric and period.
    archived: frozenset[int]
    # The reps the actor may set goals for (None: every rep) and the rows' reps.
    scope: frozenset[int] | None
    reps: dict[int, Rep]
    # Each team's live goals for the metric and period: the parent a new rep goal gets. Held
    # as rows, so the session's identity map (weak references) keeps them for check_parent.
    team_goals: dict[int, list[Goal]]
    children: dict[int, list[int]]


def _goals_of(
    session: Session, kind: OwnerKind, metric_key: str, period: Period, owner_ids: list[int]
) -> list[Goal]:
    """Every goal (archived too) of these owners for exactly this metric and period."""
    return list(
        session.exec(
            select(Goal).where(
                col(Goal.owner_kind) == kind,
                col(Goal.owner_id).in_(owner_ids),
                col(Goal.metric_key) == metric_key,
                col(Goal.period_start) == period.start,
                col(Goal.period_end) == period.end,
            )
        ).all()
    )


def _read_batch(
    session: Session, actor: Actor, metric: Metric, period: Period, title: str, rep_ids: list[int]
) -> _Batch:
    """One read per kind of fact, whatever the number of rows."""
    wanted = sorted(set(rep_ids))
    found = {r.id: r for r in session.exec(select(Rep).where(col(Rep.id).in_(wanted))) if r.id}
    # (owner, goal) of every goal the rows' reps have for the metric and period.
    rep_goals = [
        (goal.owner_id, goal)
        for goal in _goals_of(session, OwnerKind.REP, metric.key, period, wanted)
        if goal.owner_id is not None
    ]
    live = {owner: goal for owner, goal in rep_goals if goal.archived_at is None}
    team_ids = sorted({rep.team_id for rep in found.values() if rep.team_id is not None})
    team_goals: dict[int, list[Goal]] = {}
    for goal in _goals_of(session, OwnerKind.TEAM, metric.key, period, team_ids):
        if goal.archived_at is None and goal.owner_id is not None and goal.id is not None:
            team_goals.setdefault(goal.owner_id, []).append(goal)
    return _Batch(
        metric=metric, rule=rules.target_rule(metric), period=period, title=title,
        live=live, archived=frozenset(owner for owner, _goal in rep_goals if owner not in live),
        scope=rep_scope(session, actor), reps=found, team_goals=team_goals,
        children=team_children(session),
    )  # fmt: skip


def _require_owner(session: Session, actor: Actor, batch: _Batch, rep_id: int) -> Rep:
    """`rules.require_owner` for a rep, from the batch: PermissionDenied (audited)
    outside scope, ValidationError for a rep who is missing or not working."""
    if batch.scope is not None and rep_id not in batch.scope:
        deny(session, actor, action="goal.write", entity="rep", entity_id=rep_id)
    rep = batch.reps.get(rep_id)
    reps.check_active(rep, field="owner_id")
    assert rep is not None
    return rep


def _new_goal(session: Session, batch: _Batch, rep: Rep, target: object) -> Goal:
    """The goal for a rep who has none yet, checked as `goals.create` checks one;
    ValidationError."""
    # The live goal of the rep's team for the same metric and period, if exactly one.
    parents = batch.team_goals.get(rep.team_id, []) if rep.team_id is not None else []
    parent_id = parents[0].id if len(parents) == 1 else None
    data = {
        "owner_kind": OwnerKind.REP, "owner_id": rep.id, "metric_key": batch.metric.key,
        "target": target, "period_kind": batch.period.kind, "period_start": batch.period.start,
        "period_end": batch.period.end, "title": batch.title, "parent_id": parent_id,
    }  # fmt: skip
    goal_in = build(GoalCreate, data, context={"target_rule": batch.rule})
    goal = Goal.model_validate(goal_in.model_dump())
    if rep.id in batch.archived:
        rules.require_unique(session, goal)
    rules.check_parent(session, goal, parent_id, children=batch.children)
    return goal


def _plan_row(
    session: Session, actor: Actor, batch: _Batch, row: Mapping[str, Any], plan: _Plan
) -> None:
    """Check one row and add what it writes to `plan`; ValidationError for a bad row.
    PermissionDenied (audited) for a rep outside the actor's scope."""
    rep_id = int(row["rep_id"])
    rep = _require_owner(session, actor, batch, rep_id)
    current = batch.live.get(rep_id)
    if row.get("goal_id") != (current.id if current else None) or (
        current is not None and row.get("version") != current.version
    ):
        raise StaleEdit()
    target = row.get("target")
    if _blank(target):
        if current is not None:
            raise ValidationError(
                N_("This rep has a goal for the period: enter a target, or archive the goal "
                   "on its own page."),
                field="target",
            )  # fmt: skip
        plan.unchanged += 1
        return
    try:
        stored = stored_target(target, batch.rule)
    except FieldProblem as problem:
        raise ValidationError(problem.msgid, field="target", **problem.params) from None
    if current is None:
        plan.new_goals.append(_new_goal(session, batch, rep, target))
    elif stored == current.target:
        plan.unchanged += 1
    else:
        assert current.id is not None
        plan.revisions.append((current.id, current.version, target))


def _row_name(batch: _Batch, row: Mapping[str, Any]) -> str:
    rep = batch.reps.get(int(row["rep_id"]))
    return rep.name if rep is not None else str(row.get("rep_name") or row["rep_id"])


def _plan(
    session: Session, actor: Actor, batch: _Batch, rows: Sequence[Mapping[str, Any]]
) -> _Plan:
    plan = _Plan()
    seen: set[int] = set()
    for row in rows:
        rep_id = int(row["rep_id"])
        try:
            if rep_id in seen:
                raise ValidationError(N_("This rep is in the grid twice."), field="rep_id")
            seen.add(rep_id)
            _plan_row(session, actor, batch, row, plan)
        except (ValidationError, StaleEdit) as error:
            plan.errors.append(RowError(rep_id, _row_name(batch, row), error.msgid, error.params))
    return plan


def _default_title(metric: Metric, period: Period) -> str:
    """ "Revenue 2026-11", or the period's first and last day; pages pass a translated one."""
    if period.kind == PeriodKind.MONTH:
        return f"{metric.label} {period.start:%Y-%m}"
    return f"{metric.label} {period.start.isoformat()} – {period.end.isoformat()}"


def save(
    session: Session,
    actor: Actor,
    *,
    metric_key: str,
    period: Period,
    rows: Sequence[Mapping[str, Any]],
    reason: Any,
    title: str | None = None,
) -> SaveResult:
    """Save the grid's targets for `metric_key` and `period`, all or nothing. `rows`: rep_id,
    target (typed in the metric's unit; blank for none), and the goal_id and version the grid
    read. Reps without a goal get one (titled `title`, under their team's goal for the same
    metric and period when there is one), changed targets are revised with `reason`, the rest
    are left alone. PermissionDenied (audited, nothing else written) for a rep caller or a
    rep outside scope; RowErrors naming every bad row (nothing written); ValidationError
    without a reason when a target changes; StaleEdit when a goal changes meanwhile."""
    require_role(session, actor, Role.ADMIN, Role.MANAGER, action="targets.save", entity="goals")
    metric = get_metric(metric_key)
    period = rules.goal_period(session, period.kind, period.start, period.end)
    rep_ids = [int(row["rep_id"]) for row in rows]
    title = title or _default_title(metric, period)
    batch = _read_batch(session, actor, metric, period, title, rep_ids)
    plan = _plan(session, actor, batch, rows)
    if plan.errors:
        raise RowErrors(plan.errors)
    context = {"target_rule": batch.rule}
    revisions = [
        (goal_id, version, build(GoalRevise, {"target": typed, "reason": reason}, context=context))
        for goal_id, version, typed in plan.revisions
    ]
    with unit_of_work(session, actor) as uow:
        # Each rep is in the grid once, so the owner tells the new goals apart.
        uow.insert_many(plan.new_goals, key="owner_id")
        locked = _lock(session, [(goal_id, version) for goal_id, version, _in in revisions])
        goals.revise_locked(
            uow, [(locked[goal_id], revision_in) for goal_id, _version, revision_in in revisions]
        )
    return SaveResult(len(plan.new_goals), len(revisions), plan.unchanged)


def _lock(session: Session, read: list[tuple[int, int]]) -> dict[int, Goal]:
    """Lock the goals to revise in one read; StaleEdit if any changed since the grid read it
    (or went away)."""
    if not read:
        return {}
    query = (
        select(Goal)
        .where(col(Goal.id).in_([goal_id for goal_id, _version in read]))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    locked = {goal.id: goal for goal in session.exec(query).all() if goal.id is not None}
    if any(
        goal_id not in locked or locked[goal_id].version != version for goal_id, version in read
    ):
        raise StaleEdit()
    return locked
