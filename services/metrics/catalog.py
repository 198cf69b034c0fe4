"""The metrics registry: every KPI the app shows, each declared once as SQL aggregates."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import Select
from sqlmodel import col

from models import Complaint, Customer, Deal, Goal, GoalCheckin, Interaction, Survey
from models.base import N_
from models.enums import ComplaintStatus, DealStage, OwnerKind
from services.metrics.definitions import (
    STORED_SCALE,
    Direction,
    Expression,
    Metric,
    MetricContext,
    Source,
    Unit,
)
from services.metrics.sql import days_between, local_date_of

OPEN_STAGES = [DealStage.LEAD, DealStage.QUALIFIED, DealStage.PROPOSAL, DealStage.NEGOTIATION]


def _count(_ctx: MetricContext) -> Expression:
    return sa.func.count()


def _sum_of(column: Any) -> Any:
    return lambda _ctx: sa.func.coalesce(sa.func.sum(column), 0)


def _number_where(condition: Any) -> Expression:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _won(_ctx: MetricContext) -> list[Expression]:
    return [col(Deal.stage) == DealStage.WON, col(Deal.archived_at).is_(None)]


def _won_deals(numerator: Any, denominator: Any = None) -> Source:
    return Source(
        rep=col(Deal.rep_id),
        day=col(Deal.closed_on),
        numerator=numerator,
        denominator=denominator,
        where=_won,
    )


def _closed(_ctx: MetricContext) -> list[Expression]:
    return [
        col(Deal.stage).in_([DealStage.WON, DealStage.LOST]),
        col(Deal.archived_at).is_(None),
    ]


def _open_pipeline(_ctx: MetricContext) -> list[Expression]:
    return [col(Deal.stage).in_(OPEN_STAGES), col(Deal.archived_at).is_(None)]


def _weighted_amount(_ctx: MetricContext) -> Expression:
    # Probability is a whole percent. PostgreSQL sums bigints as numeric, so cast back:
    # integer division then keeps money in whole minor units on both databases.
    weighted = sa.func.sum(col(Deal.amount) * col(Deal.probability))
    return sa.cast(sa.func.coalesce(weighted, 0), sa.BigInteger) // 100


def _cycle_days(ctx: MetricContext) -> Expression:
    opened = local_date_of(col(Deal.created_at), ctx.zone)
    return sa.func.sum(days_between(opened, col(Deal.closed_on)))


def _overdue(ctx: MetricContext) -> list[Expression]:
    return [
        col(Interaction.follow_up_done_at).is_(None),
        col(Interaction.next_follow_up_on) < ctx.today,
    ]


def _nps_points(_ctx: MetricContext) -> Expression:
    # Promoters (9-10) count +100, detractors (0-6) -100: the mean is the NPS.
    nps = col(Survey.nps)
    return sa.func.sum(sa.case((nps >= 9, 100), (nps <= 6, -100), else_=0))


def _resolved() -> Expression:
    return sa.and_(
        col(Complaint.status) == ComplaintStatus.RESOLVED,
        col(Complaint.resolved_on).is_not(None),
    )


def _in_sla(_ctx: MetricContext) -> Expression:
    return _number_where(sa.and_(_resolved(), col(Complaint.resolved_on) <= col(Complaint.due_on)))


def _sla_decided(ctx: MetricContext) -> Expression:
    # Complaints whose outcome is known: resolved, or still open with the SLA already missed.
    return _number_where(sa.or_(_resolved(), col(Complaint.due_on) < ctx.today))


def _retention(ctx: MetricContext) -> Select[Any]:
    """Customers who bought in the previous period, and how many of them bought again now."""
    before, now = ctx.period.previous(), ctx.period
    closed = col(Deal.closed_on)
    bought = (
        sa.select(
            col(Deal.customer_id).label("customer_id"),
            _number_where(closed <= before.end).label("before"),
            _number_where(closed >= now.start).label("now"),
        )
        .where(*_won(ctx), closed >= before.start, closed <= now.end)
        .group_by(col(Deal.customer_id))
        .subquery()
    )
    owner = col(Customer.owner_rep_id)
    query = (
        sa.select(
            owner.label("rep_id"),
            _number_where(bought.c.now > 0).label("numerator"),
            sa.func.count().label("denominator"),
        )
        .join(bought, bought.c.customer_id == col(Customer.id))
        .where(bought.c.before > 0)
    )
    if ctx.rep_ids is not None:
        query = query.where(owner.in_(sorted(ctx.rep_ids)))
    return query.group_by(owner)


def _manual(metric_key: str, unit: Unit) -> Any:
    """A hand-entered metric: each rep's latest check-in in the period on their own goal."""

    def query(ctx: MetricContext) -> Select[Any]:
        rep = col(Goal.owner_id)
        filters = [
            col(Goal.metric_key) == metric_key,
            col(Goal.owner_kind) == OwnerKind.REP,
            col(Goal.archived_at).is_(None),
            col(GoalCheckin.checked_on) >= ctx.period.start,
            col(GoalCheckin.checked_on) <= ctx.period.end,
        ]
        if ctx.rep_ids is not None:
            filters.append(rep.in_(sorted(ctx.rep_ids)))
        # Each rep's latest check-in (the larger value if a day has two).
        newest = sa.func.row_number().over(
            partition_by=rep,
            order_by=(col(GoalCheckin.checked_on).desc(), col(GoalCheckin.value).desc()),
        )
        ranked = (
            sa.select(
                rep.label("rep_id"), col(GoalCheckin.value).label("value"), newest.label("newest")
            )
            .join(Goal, col(Goal.id) == col(GoalCheckin.goal_id))
            .where(*filters)
            .subquery()
        )
        # A hand-entered level (a share) has no parts to add up: over several reps it is
        # their mean, so each rep counts once in the denominator.
        return sa.select(
            ranked.c.rep_id,
            (ranked.c.value * 1.0 / STORED_SCALE[unit]).label("numerator"),
            sa.literal(1).label("denominator"),
        ).where(ranked.c.newest == 1)

    return query


HIGHER, LOWER = Direction.HIGHER, Direction.LOWER

METRICS: tuple[Metric, ...] = (
    Metric(
        "revenue", N_("Revenue"), N_("Amounts of deals won, by close date."),
        Unit.MONEY, HIGHER, _won_deals(_sum_of(col(Deal.amount))).query,
    ),
    Metric(
        "deals_won", N_("Deals won"), N_("Deals won, by close date."),
        Unit.COUNT, HIGHER, _won_deals(_count).query,
    ),
    Metric(
        "win_rate", N_("Win rate"), N_("Deals won ÷ deals won or lost, by close date."),
        Unit.RATIO, HIGHER,
        Source(
            rep=col(Deal.rep_id), day=col(Deal.closed_on), where=_closed, denominator=_count,
            numerator=lambda _ctx: _number_where(col(Deal.stage) == DealStage.WON),
        ).query,
        additive=False,
    ),
    Metric(
        "avg_deal_size", N_("Average deal size"), N_("Revenue ÷ deals won."),
        Unit.MONEY, HIGHER, _won_deals(_sum_of(col(Deal.amount)), _count).query, additive=False,
    ),
    Metric(
        "new_customers", N_("New customers"), N_("Customers added to the file in the period."),
        Unit.COUNT, HIGHER,
        Source(
            rep=col(Customer.owner_rep_id), day=col(Customer.created_at), timestamp=True,
            numerator=_count, where=lambda _ctx: [col(Customer.archived_at).is_(None)],
        ).query,
        office_clock=True,
    ),
    Metric(
        "active_customers", N_("Active customers"), N_("Customers with a deal won in the period."),
        Unit.COUNT, HIGHER,
        _won_deals(lambda _ctx: sa.func.count(sa.distinct(col(Deal.customer_id)))).query,
    ),
    Metric(
        "retention_rate", N_("Retention rate"),
        N_("Customers who bought in the previous period and bought again in this one."),
        Unit.RATIO, HIGHER, _retention, additive=False, monthly=False,
    ),
    Metric(
        "interactions", N_("Interactions logged"), N_("Calls, visits, emails, meetings, messages."),
        Unit.COUNT, HIGHER,
        # The rep who made the contact; contacts by nobody from sales credit no one.
        Source(
            rep=col(Interaction.rep_id), day=col(Interaction.occurred_at), timestamp=True,
            numerator=_count, where=lambda _ctx: [col(Interaction.rep_id).is_not(None)],
        ).query,
        office_clock=True,
    ),
    Metric(
        "overdue_follow_ups", N_("Overdue follow-ups"),
        N_("Follow-ups due in the period, before today, and not done."),
        Unit.COUNT, LOWER,
        # Owed by the customer's current owner: a follow-up moves with its customer.
        Source(
            rep=col(Customer.owner_rep_id), day=col(Interaction.next_follow_up_on),
            numerator=_count, where=_overdue,
            joins=((Interaction, col(Interaction.customer_id) == col(Customer.id)),),
        ).query,
        office_clock=True,
    ),
    Metric(
        "csat", N_("Satisfaction (CSAT)"), N_("Mean survey score, 1 to 5."),
        Unit.SCORE, HIGHER,
        Source(
            rep=col(Survey.rep_id), day=col(Survey.surveyed_on),
            numerator=_sum_of(col(Survey.score)), denominator=_count,
        ).query,
        additive=False, scale=(1, 5),
    ),
    Metric(
        "nps", N_("NPS"), N_("Promoters (9–10) minus detractors (0–6), per 100 NPS answers."),
        Unit.SCORE, HIGHER,
        Source(
            rep=col(Survey.rep_id), day=col(Survey.surveyed_on), numerator=_nps_points,
            denominator=_count, where=lambda _ctx: [col(Survey.nps).is_not(None)],
        ).query,
        additive=False, scale=(-100, 100),
    ),
    Metric(
        "complaints_opened", N_("Complaints opened"), N_("Complaints opened in the period."),
        Unit.COUNT, LOWER,
        Source(rep=col(Complaint.rep_id), day=col(Complaint.opened_on), numerator=_count).query,
    ),
    Metric(
        "complaints_in_sla", N_("Complaints resolved within SLA"),
        N_("Of the period's complaints resolved or past their SLA, those resolved in time."),
        Unit.RATIO, HIGHER,
        Source(
            rep=col(Complaint.rep_id), day=col(Complaint.opened_on),
            numerator=_in_sla, denominator=_sla_decided,
        ).query,
        additive=False, office_clock=True,
    ),
    Metric(
        "pipeline_value", N_("Open pipeline (weighted)"),
        N_("Open deals expected to close in the period, amount × probability."),
        Unit.MONEY, HIGHER,
        Source(
            rep=col(Deal.rep_id), day=col(Deal.expected_close_on),
            numerator=_weighted_amount, where=_open_pipeline,
        ).query,
    ),
    Metric(
        "sales_cycle_days", N_("Average sales cycle"), N_("Days from opening to winning a deal."),
        Unit.DAYS, LOWER, _won_deals(_cycle_days, _count).query, additive=False, office_clock=True,
    ),
    Metric(
        "market_share", N_("Market share"), N_("Entered by hand as goal check-ins."),
        Unit.RATIO, HIGHER, _manual("market_share", Unit.RATIO), manual=True, monthly=False,
        additive=False,
    ),
)  # fmt: skip

REGISTRY: dict[str, Metric] = {metric.key: metric for metric in METRICS}
