"""The pipeline's numbers for the deals a filter picks: the funnel read from the stage
history, what each stage holds, why deals were lost, and the registry's win rate and cycle.

Which deals each figure counts: the open stages (and so the open pipeline) are a snapshot,
every deal open now whenever it was opened, else the 1st of a month would show an empty
pipeline; won and lost, and the lost reasons, are the deals closed in the period; the funnel
follows the filters' dates (opened or closed in the period, or any date), as the list does.

The funnel's rule: a deal has *reached* every stage up to the furthest its history (or its
current stage) shows. Every deal was a lead; a deal that jumped stages counts as having
passed the ones it skipped; moving back does not undo a stage reached; won is the last step,
so a won deal reached them all; lost is not a step: a lost deal reached the furthest stage it
got to before it was lost. Conversion is the share of one step's deals that reached the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Deal, DealStageChange
from models.enums import DealStage
from services import metrics
from services.access import Actor
from services.periods import Period
from services.pipeline.deals import (
    OPEN_STAGES,
    STAGE_ORDER,
    DatedBy,
    DealFilters,
    dated,
    filtered_reps,
    matching,
)

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
    # The deals the filters pick, their dates included.
    funnel: list[FunnelStep]
    # Every stage in order: an open one holds the deals open now, won and lost the deals
    # closed in the period.
    stages: list[StageTotal]
    # Of the deals lost in the period.
    lost_reasons: list[tuple[str, int]]
    # From the metrics registry: deals closed in the period by the filtered reps, over
    # every product and customer.
    win_rate: float | None
    cycle_days: float | None

    @property
    def open_deals(self) -> int:
        return sum(total.deals for total in self.stages if total.stage in OPEN_STAGES)

    @property
    def open_amount(self) -> int:
        """The open pipeline's value, in minor units."""
        return sum(total.amount for total in self.stages if total.stage in OPEN_STAGES)


def _rank(column: Any) -> Any:
    """A stage's place in the funnel (lead 0 … won 4); NULL for lost."""
    return sa.case({stage.value: rank for rank, stage in enumerate(FUNNEL_STAGES)}, value=column)


def _furthest(session: Session, where: list[Any]) -> list[tuple[int, DealStage, int]]:
    """(furthest stage reached, current stage, deals) for the deals `where` picks. The
    furthest stage is a lookup per deal in its history, not a join and GROUP BY, so the
    deals are read through the filters' indexes."""
    moved = (
        select(sa.func.max(_rank(col(DealStageChange.to_stage))))
        .where(col(DealStageChange.deal_id) == col(Deal.id))
        .scalar_subquery()
    )
    per_deal = (
        select(sa.func.coalesce(moved, 0).label("moved"), col(Deal.stage).label("stage"))
        .where(*where)
        .subquery()
    )
    keys = (per_deal.c.moved, per_deal.c.stage)
    rows = session.exec(select(*keys, sa.func.count()).group_by(*keys)).all()
    return [(int(moved), DealStage(stage), int(deals)) for moved, stage, deals in rows]


def _funnel(groups: list[tuple[int, DealStage, int]]) -> list[FunnelStep]:
    reached = [0] * len(FUNNEL_STAGES)
    for moved, stage, deals in groups:
        # A deal without history (imported) still counts at its current stage.
        now = FUNNEL_STAGES.index(stage) if stage in FUNNEL_STAGES else 0
        for rank in range(max(moved, now) + 1):
            reached[rank] += deals
    steps, previous = [], None
    for stage, count in zip(FUNNEL_STAGES, reached, strict=True):
        steps.append(FunnelStep(stage, count, count / previous if previous else None))
        previous = count
    return steps


@dataclass(frozen=True)
class _Group:
    """Deals alike in their stage and lost reason."""

    stage: DealStage
    lost_reason: str | None
    deals: int
    amount: int


def _standing(session: Session, where: list[Any], period: Period) -> list[_Group]:
    """The deals `where` picks (its dates aside) that are open now or were closed in
    `period`, by stage and lost reason: one pass serves the stage board and the lost
    reasons."""
    closed = dated(session, period, DatedBy.CLOSED)
    keys = (col(Deal.stage), col(Deal.lost_reason))
    rows = session.exec(
        select(*keys, sa.func.count(), sa.func.coalesce(sa.func.sum(col(Deal.amount)), 0))
        .where(
            *where,
            # Only a won or lost deal has a close date.
            sa.or_(col(Deal.stage).in_(OPEN_STAGES), sa.and_(*closed)),
        )
        .group_by(*keys)
    ).all()
    return [
        _Group(DealStage(stage), reason, int(deals), int(amount))
        for stage, reason, deals, amount in rows
    ]


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
    """For the live deals in scope matching `filters` (every stage, whatever its stage
    filter): the funnel of those its dates pick; the stage board of every deal open now and
    of those won or lost in `period`, whatever the dates; the reasons of those lost in
    `period`; the registry's win rate and average cycle for the filtered reps over `period`.
    PermissionDenied when a filter reaches outside the actor's scope."""
    reps = filtered_reps(session, actor, filters, action="pipeline.summary")
    win_rate = metrics.scope_value(session, actor, "win_rate", period, rep_ids=reps)
    cycle = metrics.scope_value(session, actor, "sales_cycle_days", period, rep_ids=reps)
    dated_deals = matching(session, filters, reps, with_stage=False)
    any_date = matching(session, replace(filters, period=None), reps, with_stage=False)
    standing = _standing(session, any_date, period)
    return PipelineSummary(
        funnel=_funnel(_furthest(session, dated_deals)),
        stages=_stages(standing),
        lost_reasons=_lost_reasons(standing),
        win_rate=win_rate.value,
        cycle_days=cycle.value,
    )
