"""services/pipeline/funnel.py: conversion from the stage history, worked by hand on ten deals;
the open stages as a snapshot of every deal open now, won and lost by the period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import AuditEvent, Customer, Deal, DealStageChange
from models.enums import DealStage, PeriodKind
from services.errors import PermissionDenied
from services.periods import containing
from services.pipeline import funnel
from services.pipeline.deals import DatedBy, DealFilters
from services.pipeline.funnel import FunnelStep, StageTotal
from tests.factories import Org
from tests.services.helpers import StatementCounter, count

MARCH = containing(PeriodKind.MONTH, date(2026, 3, 10))
# 10:00 in Shanghai on 2 March 2026.
OPENED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
L, Q, P, N, W, X = "lead", "qualified", "proposal", "negotiation", "won", "lost"
# Deal number -> the stages it moved through, and why it was lost. By hand: 10 leads;
# qualified 6 (5, 6, 7, 8 jumped past it, 9, 10 jumped past it); proposal 3 (8, 9, 10);
# negotiation 2 (9, 10); won 1 (10). Deal 7 moved back to lead: it still reached qualified.
PATHS: dict[int, tuple[list[str], str | None]] = {
    1: ([L], None),
    2: ([L, X], "Price too high"),
    3: ([L, X], "No budget"),
    4: ([L], None),
    5: ([L, Q], None),
    6: ([L, Q, X], "Price too high"),
    7: ([L, Q, L], None),
    8: ([L, P, X], "Chose a competitor"),
    9: ([L, Q, P, N], None),
    10: ([L, N, W], None),
}


def _deal(
    session: Session,
    rep_id: int,
    path: list[str],
    *,
    number: int = 1,
    reason: str | None = None,
    opened: datetime = OPENED,
    closed: date | None = None,
    product: str = "ERP",
) -> Deal:
    customer = Customer(name=f"Customer {number}", owner_rep_id=rep_id)
    session.add(customer)
    session.flush()
    stage = DealStage(path[-1])
    if stage in (W, X):
        closed = closed or (opened + timedelta(days=12)).date()
    deal = Deal(
        customer_id=customer.id, rep_id=rep_id, title=f"Deal {number}", product=product,
        amount=number * 100_000, stage=stage, closed_on=closed, lost_reason=reason,
        created_at=opened,
    )  # fmt: skip
    session.add(deal)
    session.flush()
    previous = None
    for step, to_stage in enumerate(path):
        session.add(
            DealStageChange(
                deal_id=deal.id, from_stage=previous, to_stage=to_stage,
                changed_at=opened + timedelta(days=step),
            )
        )  # fmt: skip
        previous = to_stage
    session.commit()
    return deal


def _ten_deals(session: Session, rep_id: int) -> None:
    for number, (path, reason) in PATHS.items():
        _deal(session, rep_id, path, number=number, reason=reason)


def _march(**filters: object) -> DealFilters:
    return DealFilters(period=MARCH, **filters)  # type: ignore[arg-type]


def test_conversion_win_rate_cycle_and_lost_reasons_by_hand(session: Session, org: Org) -> None:
    _ten_deals(session, org.east_rep.id)
    # Not counted: opened in February, archived, or another team's.
    _deal(session, org.east_rep.id, [L, Q, P, N, W], number=11, opened=OPENED - timedelta(30))
    archived = _deal(session, org.east_rep.id, [L, Q, P, N, W], number=12)
    archived.archived_at = OPENED
    session.add(archived)
    session.commit()
    _deal(session, org.west_rep.id, [L, Q, P], number=13)

    summary = funnel.summary(
        session, org.actor(session, org.east_manager), filters=_march(), period=MARCH
    )

    assert summary.funnel == [
        FunnelStep(DealStage.LEAD, 10, None),
        FunnelStep(DealStage.QUALIFIED, 6, 0.6),
        FunnelStep(DealStage.PROPOSAL, 3, 0.5),
        FunnelStep(DealStage.NEGOTIATION, 2, 2 / 3),
        FunnelStep(DealStage.WON, 1, 0.5),
    ]
    # Open now: lead 1, 4, 7; qualified 5; negotiation 9. Closed: won 10; lost 2, 3, 6, 8.
    assert summary.stages == [
        StageTotal(DealStage.LEAD, 3, (1 + 4 + 7) * 100_000),
        StageTotal(DealStage.QUALIFIED, 1, 500_000),
        StageTotal(DealStage.PROPOSAL, 0, 0),
        StageTotal(DealStage.NEGOTIATION, 1, 900_000),
        StageTotal(DealStage.WON, 1, 1_000_000),
        StageTotal(DealStage.LOST, 4, (2 + 3 + 6 + 8) * 100_000),
    ]
    assert summary.lost_reasons == [
        ("Price too high", 2), ("Chose a competitor", 1), ("No budget", 1)
    ]  # fmt: skip
    # The registry, by close date in March: deal 10 won, 2, 3, 6, 8 lost (the archived win
    # and the February deal closed in February are out); cycle 2 → 14 March = 12 days.
    assert summary.win_rate == pytest.approx(1 / 5)
    assert summary.cycle_days == pytest.approx(12.0)


def test_a_deal_without_history_counts_by_its_stage(session: Session, org: Org) -> None:
    deal = _deal(session, org.east_rep.id, [L])
    deal.stage = DealStage.PROPOSAL
    session.add(deal)
    session.commit()
    summary = funnel.summary(session, org.actor(session, org.admin), filters=_march(), period=MARCH)
    assert [step.reached for step in summary.funnel] == [1, 1, 1, 0, 0]


def test_filters_pick_the_deals(session: Session, org: Org) -> None:
    _ten_deals(session, org.east_rep.id)
    _deal(session, org.east_sub_rep.id, [L, Q], number=20)
    admin = org.actor(session, org.admin)

    def reached(**filters: object) -> list[int]:
        found = funnel.summary(session, admin, filters=_march(**filters), period=MARCH)
        return [step.reached for step in found.funnel]

    assert reached() == [11, 7, 3, 2, 1]
    assert reached(rep_id=org.east_sub_rep.id) == [1, 1, 0, 0, 0]
    assert reached(team_id=org.east_sub.id) == [1, 1, 0, 0, 0]
    assert reached(team_id=org.west.id) == [0, 0, 0, 0, 0]
    assert reached(product="Other") == [0, 0, 0, 0, 0]
    # Closed in March: 2, 3, 6, 8 lost and 10 won.
    assert reached(dated_by=DatedBy.CLOSED) == [5, 3, 2, 1, 1]
    # A stage filter narrows the deal list only: the funnel spans every stage.
    assert reached(stage=DealStage.WON) == [11, 7, 3, 2, 1]
    empty = funnel.summary(session, admin, filters=_march(team_id=org.west.id), period=MARCH)
    assert [step.conversion for step in empty.funnel] == [None] * 5
    assert (empty.win_rate, empty.cycle_days, empty.lost_reasons) == (None, None, [])


@pytest.mark.parametrize(
    ("who", "filters"),
    [
        ("east_rep_user", {"rep_id": "west_rep"}),
        ("east_rep_user", {"team_id": "east"}),
        ("east_manager", {"team_id": "west"}),
        ("east_manager", {"rep_id": "west_rep"}),
    ],
)
def test_filters_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, filters: dict[str, str]
) -> None:
    _ten_deals(session, org.west_rep.id)
    actor = org.actor(session, getattr(org, who))
    named = {key: getattr(org, value).id for key, value in filters.items()}
    with pytest.raises(PermissionDenied):
        funnel.summary(session, actor, filters=_march(**named), period=MARCH)
    assert count(engine, AuditEvent) == 1


def test_a_rep_sees_only_their_own_deals(session: Session, org: Org) -> None:
    _ten_deals(session, org.west_rep.id)
    _deal(session, org.east_rep.id, [L, Q], number=30)
    mine = funnel.summary(
        session, org.actor(session, org.east_rep_user), filters=_march(), period=MARCH
    )
    assert [step.reached for step in mine.funnel] == [1, 1, 0, 0, 0]
    assert mine.win_rate is None and mine.lost_reasons == []


def _at(day: date) -> datetime:
    """10:00 in Shanghai on `day`."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _snapshot_deals(session: Session, org: Org) -> None:
    """East's deals of every age and fate around March 2026 (number -> amount × 100,000)."""
    east = org.east_rep.id
    # Open now, opened long before March: they stay in the open pipeline.
    _deal(session, east, [L], number=1, opened=_at(date(2025, 3, 2)))
    _deal(session, east, [L, Q, P, N], number=2, opened=_at(date(2025, 12, 1)))
    # Open now, opened in March: in the funnel too.
    _deal(session, east, [L, Q, P], number=3, opened=_at(date(2026, 3, 5)))
    # Opened in January, won in March; opened in February, lost in March.
    _deal(session, east, [L, Q, P, N, W], number=4, opened=_at(date(2026, 1, 8)),
          closed=date(2026, 3, 14))  # fmt: skip
    _deal(session, east, [L, X], number=5, reason="No budget", opened=_at(date(2026, 2, 3)),
          closed=date(2026, 3, 1))  # fmt: skip
    # Won and lost in February: out of March's board and reasons.
    _deal(session, east, [L, Q, W], number=6, opened=_at(date(2026, 1, 2)),
          closed=date(2026, 2, 28))  # fmt: skip
    _deal(session, east, [L, X], number=7, reason="Price too high",
          opened=_at(date(2026, 1, 2)), closed=date(2026, 2, 20))  # fmt: skip
    # Opened in March and lost in April: in March's funnel, not its board.
    _deal(session, east, [L, X], number=8, reason="Went quiet", opened=_at(date(2026, 3, 30)),
          closed=date(2026, 4, 2))  # fmt: skip
    # Open now, opened after March, another product.
    _deal(session, east, [L], number=9, opened=_at(date(2026, 5, 4)), product="CRM")
    # Out of every figure: archived though open, and another team's.
    archived = _deal(session, east, [L, Q], number=10, opened=_at(date(2025, 6, 1)))
    archived.archived_at = OPENED
    session.add(archived)
    session.commit()
    _deal(session, org.west_rep.id, [L, Q, P], number=11, opened=_at(date(2025, 6, 1)))


def _stages(summary: funnel.PipelineSummary) -> dict[str, tuple[int, int]]:
    return {total.stage.value: (total.deals, total.amount) for total in summary.stages}


def test_the_open_stages_hold_every_deal_open_now_and_the_period_what_closed_in_it(
    session: Session, org: Org
) -> None:
    _snapshot_deals(session, org)
    manager = org.actor(session, org.east_manager)

    def found(**filters: object) -> funnel.PipelineSummary:
        return funnel.summary(session, manager, filters=_march(**filters), period=MARCH)

    opened_in_march = found()
    # By hand: open now 1 and 9 (lead), 3 (proposal), 2 (negotiation), whenever opened;
    # won in March 4; lost in March 5. Not 6, 7 (closed in February), 8 (lost in April),
    # 10 (archived), 11 (West's).
    board = {
        L: (2, (1 + 9) * 100_000), Q: (0, 0), P: (1, 300_000), N: (1, 200_000),
        W: (1, 400_000), X: (1, 500_000),
    }  # fmt: skip
    assert _stages(opened_in_march) == board
    assert (opened_in_march.open_deals, opened_in_march.open_amount) == (
        4, (1 + 2 + 3 + 9) * 100_000
    )  # fmt: skip
    assert opened_in_march.lost_reasons == [("No budget", 1)]
    # The funnel of the deals opened in March, 3 and 8: both leads, 3 reached proposal.
    assert [step.reached for step in opened_in_march.funnel] == [2, 1, 1, 0, 0]

    # The Dates box moves the funnel only: closed in March are 4 (won) and 5 (lost).
    closed_in_march = found(dated_by=DatedBy.CLOSED)
    assert [step.reached for step in closed_in_march.funnel] == [2, 1, 1, 1, 1]
    any_date = funnel.summary(session, manager, filters=DealFilters(), period=MARCH)
    # Every live East deal, 1-9: qualified and proposal 2, 3, 4, 6 (won, so it passed every
    # stage); negotiation 2, 4, 6; won 4, 6.
    assert [step.reached for step in any_date.funnel] == [9, 4, 4, 3, 2]
    for other in (closed_in_march, any_date):
        assert _stages(other) == board
        assert other.lost_reasons == [("No budget", 1)]

    # The period picks what closed: February's board holds 6 and 7, the same open deals.
    february = containing(PeriodKind.MONTH, date(2026, 2, 10))
    in_february = funnel.summary(session, manager, filters=DealFilters(), period=february)
    assert _stages(in_february) == board | {W: (1, 600_000), X: (1, 700_000)}
    assert in_february.lost_reasons == [("Price too high", 1)]

    # Team, rep and product still pick the deals.
    assert _stages(found(product="ERP"))[L] == (1, 100_000)
    assert found(rep_id=org.east_sub_rep.id).open_deals == 0
    admin = org.actor(session, org.admin)
    west = funnel.summary(session, admin, filters=_march(team_id=org.west.id), period=MARCH)
    assert (west.open_deals, west.open_amount) == (1, 1_100_000)
    assert [step.reached for step in west.funnel] == [0] * 5


def test_the_summary_reads_the_same_statements_for_more_deals(
    session: Session, engine: Engine, org: Org
) -> None:
    admin = org.actor(session, org.admin)
    # Once first, so what a first call alone reads (the office's settings) is not counted.
    funnel.summary(session, admin, filters=_march(), period=MARCH)
    counts = []
    for number in (100, 200):
        for more in range(number, number + 3 * (number // 100)):
            _deal(session, org.east_rep.id, [L, Q, W][: 1 + more % 3], number=more)
        with StatementCounter(engine) as counter:
            funnel.summary(session, admin, filters=_march(), period=MARCH)
        counts.append(counter.count)
    assert counts[0] == counts[1] > 0
