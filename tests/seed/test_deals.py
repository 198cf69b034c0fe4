"""Deals: old ones closed, recent ones open, strong and weak reps, a seasonal year, and a
stage history for each."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import Customer, Deal, DealStageChange
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


def test_every_deal_has_a_stage_history_ending_at_its_stage(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        moves = session.exec(
            select(DealStageChange).order_by(col(DealStageChange.deal_id), col(DealStageChange.id))
        ).all()
    history: dict[int, list[DealStageChange]] = defaultdict(list)
    for move in moves:
        history[move.deal_id].append(move)
    funnel = ["lead", "qualified", "proposal", "negotiation"]
    skipped = 0
    deals = _deals(demo_db)
    assert set(history) == {deal.id for deal in deals}
    for deal in deals:
        path = history[deal.id]
        assert (path[0].from_stage, path[0].to_stage) == (None, "lead")
        assert path[0].changed_at == deal.created_at
        assert [move.from_stage for move in path[1:]] == [move.to_stage for move in path[:-1]]
        assert path[-1].to_stage == deal.stage
        stamps = [move.changed_at for move in path]
        assert stamps == sorted(stamps) and stamps[-1].date() <= TODAY
        assert all(move.changed_by_user_id is None for move in path)
        open_part = [move.to_stage for move in path if move.to_stage in funnel]
        # Forward only, through the open stages, a closed stage only at the end.
        assert open_part == sorted(open_part, key=funnel.index) == list(dict.fromkeys(open_part))
        assert len(open_part) == len(path) - (deal.stage in ("won", "lost"))
        skipped += funnel.index(open_part[-1]) + 1 - len(open_part)
        if deal.stage in ("won", "lost"):
            assert path[-1].changed_at == deal.updated_at
            assert path[-1].changed_at.date() == deal.closed_on
        if deal.stage == "won":
            assert open_part[-1] == "negotiation"
    # A few deals jumped a stage; most went step by step.
    assert 0 < skipped < len(deals) / 4


def test_open_deals_are_the_owners_and_closed_ones_stay_with_their_rep(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        rows = session.exec(
            select(Deal.stage, Deal.rep_id, Customer.owner_rep_id).join(
                Customer, col(Customer.id) == col(Deal.customer_id)
            )
        ).all()
    closed = {"won", "lost"}
    assert all(rep == owner for stage, rep, owner in rows if stage not in closed)
    # Customers of the rep who left went to a teammate; the deals they closed did not.
    assert any(rep != owner for stage, rep, owner in rows if stage in closed)
