"""The goal cascade: company → team → rep as a tree with each node's target, actual and
attainment, and an allocation check of whether the children's targets cover the parent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from services import settings
from services.access import Actor
from services.goals import records as goals
from services.goals.listing import GoalProgress, progress_values, row_values
from services.goals.progress import progress
from services.goals.records import GoalFilters, GoalRow
from services.metrics import get_metric
from services.periods import Period

# Company, team, region... and rep: deeper than this is a loop, not an organisation.
MAX_DEPTH = 6


@dataclass(frozen=True)
class Allocation:
    """Children's targets against the parent's, in the metric's unit. `summed` False for
    ratios and averages, whose children's targets do not add up to anything."""

    summed: bool
    children: int
    children_target: float = 0
    # Children's total minus the parent's target: below zero under-covers, above over-covers.
    gap: float = 0
    gap_share: float = 0
    # Set instead of the amounts when some children are hidden from the viewer: their targets
    # must not be worked out from the gap, so only whether the parent is covered is told.
    covered: bool | None = None


def withheld(split: Allocation) -> Allocation:
    """`split` with its amounts left out: only whether the children cover the parent."""
    if not split.summed:
        return split
    return Allocation(True, split.children, covered=split.gap >= 0)


def allocation(metric_key: str, parent_target: float, child_targets: list[float]) -> Allocation:
    """How far `child_targets` cover `parent_target` (both in the metric's unit)."""
    if not get_metric(metric_key).additive:
        return Allocation(summed=False, children=len(child_targets))
    summed = sum(child_targets)
    gap = summed - parent_target
    return Allocation(True, len(child_targets), summed, gap, gap / parent_target)


@dataclass(frozen=True, slots=True)
class CascadeNode(GoalProgress):
    """A goal of the tree with its progress: how deep it sits (the top goal 0), how its
    children's targets cover it (None without children) and how many of them are hidden."""

    depth: int
    allocation: Allocation | None
    hidden: int


def roots(session: Session, actor: Actor, *, period: Period) -> list[GoalRow]:
    """Goals overlapping `period` the actor may read whose parent they cannot read (or that
    have none): the tops of the trees they may open."""
    rows = goals.list_goals(session, actor, filters=GoalFilters(period=period))
    readable = {row.id for row in rows}
    return [row for row in rows if row.parent_id not in readable]


def tree(session: Session, actor: Actor, goal_id: int) -> list[CascadeNode]:
    """The goal and every goal below it that the actor may read, depth first, each with its
    `depth`, progress, `allocation` over all its children (None without children; only
    whether they cover it when some are hidden) and how many of them are `hidden` from the
    actor."""
    root: GoalRow = goals.get(session, actor, goal_id)
    levels = [[root]]
    while levels[-1] and len(levels) < MAX_DEPTH:
        levels.append(goals.children_of(session, actor, [row.id for row in levels[-1]]))
    every = [row for level in levels for row in level]
    found = progress(session, every, settings.office_today(session))
    targets = goals.child_targets(session, [row.id for row in every])
    children: dict[int | None, list[GoalRow]] = {}
    for row in every[1:]:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[CascadeNode] = []

    def visit(row: GoalRow, depth: int) -> None:
        metric = get_metric(row.metric_key)
        below = targets.get(row.id, [])
        split = allocation(
            row.metric_key,
            metric.stored_to_value(row.target),
            [metric.stored_to_value(target) for target in below],
        )
        shown = children.get(row.id, [])
        if len(shown) < len(below):
            split = withheld(split)
        ordered.append(
            CascadeNode(
                **row_values(row),
                **progress_values(found[row.id]),
                depth=depth,
                allocation=split if below else None,
                hidden=len(below) - len(shown),
            )
        )
        for child in shown:
            visit(child, depth + 1)

    visit(root, 0)
    return ordered
