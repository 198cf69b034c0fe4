"""The pipeline's numbers for the deals a filter picks: the funnel read from the stage
history, what each stage holds, why deals were lost, and the registry's win rate and cycle.

The funnel's rule: a deal has *reached* every stage up to the furthest its history (or its
current stage) shows. Every deal was a lead; a deal that jumped stages counts as having
passed the ones it skipped; moving back does not undo a stage reached; won is the last step,
so a won deal reached them all; lost is not a step: a lost deal reached the furthest stage it
got to before it was lost. Conversion is the share of one step's deals that reached the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Deal, DealStageChange
from models.enums import DealStage
from services import metrics
from services.access import Actor
from services.periods import Period
from services.pipeline.deals import OPEN_STAGES, STAGE_ORDER, DealFilters, filtered_reps, matching

FUNNEL_STAGES = (*OPEN_STAGES, DealStage.WON)


@dataclass(frozen=True)
class FunnelStep:
    stage: DealStage
    reached: int
    # Share of the previous step's deals that reached this one; None for the first step or
    # when the previous step is empty.
    conversion: float | None


@dataclass(frozen=True)
class StageTotal:
    stage: DealStage
    deals: int
    amount: int  # minor units


@dataclass(frozen=True)
class PipelineSummary:
    funnel: list[FunnelStep]
    stages: list[StageTotal]
    lost_reasons: list[tuple[str, int]]
    # From the metrics registry: deals closed in the period by the filtered reps, over
    # every product and customer.
    win_rate: float | None
    cycle_days: float | None


def _rank(column: Any) -> Any:
    """A stage's place in the funnel (lead 0 … won 4); NULL for lost."""
    return sa.case({stage.value: rank for rank, stage in enumerate(FUNNEL_STAGES)}, value=column)


@dataclass(frozen=True)
class _Group:
    """Deals alike in the furthest stage their history shows, their stage, their lost reason."""

    moved: int
    stage: DealStage
    lost_reason: str | None
    deals: int
    amount: int


def _groups(session: Session, where: list[Any]) -> list[_Group]:
    # One pass over the deals serves the funnel, the stage totals and the lost reasons. The
    # furthest stage is a lookup per deal in its history, not a join and GROUP BY, so the
    # deals are read through the filters' indexes.
    moved = (
        select(sa.func.max(_rank(col(DealStageChange.to_stage))))
        .where(col(DealStageChange.deal_id) == col(Deal.id))
        .scalar_subquery()
    )
    per_deal = (
        select(
            sa.func.coalesce(moved, 0).label("moved"),
            col(Deal.stage).label("stage"),
            col(Deal.lost_reason).label("lost_reason"),
            col(Deal.amount).label("amount"),
        )
        .where(*where)
        .subquery()
    )
    keys = (per_deal.c.moved, per_deal.c.stage, per_deal.c.lost_reason)
    rows = session.exec(
        select(
            *keys, sa.func.count(), sa.func.coalesce(sa.func.sum(per_deal.c.amount), 0)
        ).group_by(*keys)
    ).all()
    return [
        _Group(int(moved), DealStage(stage), reason, int(deals), int(amount))
        for moved, stage, reason, deals, amount in rows
    ]


def _funnel(groups: list[_Group]) -> list[FunnelStep]:
    reached = [0] * len(FUNNEL_STAGES)
    for group in groups:
        # A deal without history (imported) still counts at its current stage.
        now = FUNNEL_STAGES.index(group.stage) if group.stage in FUNNEL_STAGES else 0
        for rank in range(max(group.moved, now) + 1):
            reached[rank] += group.deals
    steps, previous = [], None
    for stage, count in zip(FUNNEL_STAGES, reached, strict=True):
        steps.append(FunnelStep(stage, count, count / previous if previous else None))
        previous = count
    return steps


def _stages(groups: list[_Group]) -> list[StageTotal]:
    found: dict[DealStage, tuple[int, int]] = {}
    for group in groups:
        deals, amount = found.get(group.stage, (0, 0))
        found[group.stage] = (deals + group.deals, amount + group.amount)
    return [StageTotal(stage, *found.get(stage, (0, 0))) for stage in STAGE_ORDER]


def _lost_reasons(groups: list[_Group]) -> list[tuple[str, int]]:
    counted: dict[str, int] = {}
    for group in groups:
        if group.stage == DealStage.LOST and group.lost_reason:
            counted[group.lost_reason] = counted.get(group.lost_reason, 0) + group.deals
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def summary(
    session: Session, actor: Actor, *, filters: DealFilters, period: Period
) -> PipelineSummary:
    """The funnel, stage totals and lost reasons of the live deals in scope matching
    `filters` (every stage, whatever its stage filter), and the registry's win rate and
    average cycle for the filtered reps over `period`. PermissionDenied when a filter
    reaches outside the actor's scope."""
    reps = filtered_reps(session, actor, filters, action="pipeline.summary")
    where = matching(session, filters, reps, with_stage=False)
    win_rate = metrics.scope_value(session, actor, "win_rate", period, rep_ids=reps)
    cycle = metrics.scope_value(session, actor, "sales_cycle_days", period, rep_ids=reps)
    groups = _groups(session, where)
    return PipelineSummary(
        funnel=_funnel(groups),
        stages=_stages(groups),
        lost_reasons=_lost_reasons(groups),
        win_rate=win_rate.value,
        cycle_days=cycle.value,
    )
