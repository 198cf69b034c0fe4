"""Deals: old ones closed, recent ones open, strong and weak reps, a seasonal year."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Deal
from seed.texts import LOST_REASONS, PRODUCTS
from tests.seed.conftest import TODAY

PROBABILITY = {
    "lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0,
}  # fmt: skip


def _deals(engine: Engine) -> list[Deal]:
    with Session(engine) as session:
        return list(session.exec(select(Deal)).all())


def test_every_deal_is_consistent_with_its_stage(demo_db: Engine) -> None:
    deals = _deals(demo_db)
    assert 3_500 <= len(deals) <= 4_500
    reasons = {reason for reason, _ in LOST_REASONS}
    for deal in deals:
        assert deal.probability == PROBABILITY[deal.stage]
        assert 500_000 <= deal.amount <= 50_000_000 and deal.amount % 100 == 0
        opened = deal.created_at.date()
        if deal.stage in ("won", "lost"):
            assert deal.closed_on is not None and opened <= deal.closed_on <= TODAY
        else:
            assert deal.closed_on is None and deal.expected_close_on is not None
        assert (deal.lost_reason in reasons) if deal.stage == "lost" else deal.lost_reason is None
    assert {deal.product for deal in deals} == {product.name for product in PRODUCTS}


def test_old_deals_are_closed_recent_ones_open(demo_db: Engine) -> None:
    deals = _deals(demo_db)
    old = [deal for deal in deals if deal.created_at.date() < TODAY.replace(year=TODAY.year - 1)]
    assert all(deal.stage in ("won", "lost") for deal in old)
    open_deals = [deal for deal in deals if deal.stage not in ("won", "lost")]
    assert {deal.stage for deal in open_deals} == {"lead", "qualified", "proposal", "negotiation"}
    overdue = [deal for deal in open_deals if (deal.expected_close_on or TODAY) < TODAY]
    assert 0 < len(overdue) < len(open_deals) / 4


def test_strong_and_weak_reps(demo_db: Engine) -> None:
    closed: dict[int, list[bool]] = defaultdict(list)
    for deal in _deals(demo_db):
        if deal.stage in ("won", "lost"):
            closed[deal.rep_id].append(deal.stage == "won")
    rates = [sum(wins) / len(wins) for wins in closed.values() if len(wins) >= 50]
    assert max(rates) - min(rates) > 0.15
    assert 0.3 < sum(map(sum, closed.values())) / sum(map(len, closed.values())) < 0.55


def test_revenue_dips_at_spring_festival_and_peaks_in_june(demo_db: Engine) -> None:
    by_month: dict[str, int] = defaultdict(int)
    for deal in _deals(demo_db):
        if deal.stage == "won" and deal.closed_on:
            by_month[deal.closed_on.strftime("%Y-%m")] += deal.amount
    assert by_month["2026-02"] < by_month["2026-01"] and by_month["2026-02"] < by_month["2026-03"]
    assert by_month["2026-06"] > by_month["2026-05"]
