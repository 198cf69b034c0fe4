"""services/customers/tiering.py: A/B/C by RFM over won deals of the last 12 months, worked by hand.

Default rules: A when the last won deal is at most 90 days old, 3 or more won deals and at
least 200,000 yuan; else B when at most 180 days, 1 or more deals and at least 20,000 yuan;
else C. Each customer below sits exactly on a threshold or one step past it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import seed
from models import AuditEvent, Customer, Deal, Rep, Setting
from models.base import utcnow
from models.enums import DealStage, Tier
from services import data_version, settings
from services.customers import tiering
from services.errors import NotFound, PermissionDenied
from tests.factories import Org
from tests.seed.conftest import TODAY
from tests.services.helpers import audit_actions

YUAN = 100
A_MONEY, B_MONEY = 200_000 * YUAN, 20_000 * YUAN


def _customer(session: Session, owner: Rep, name: str, tier: Tier | None = None) -> Customer:
    customer = Customer(name=name, owner_rep_id=owner.id, tier=tier)
    session.add(customer)
    session.commit()
    return customer


def _won(
    session: Session,
    customer: Customer,
    days_ago: int,
    amount: int,
    *,
    stage: DealStage = DealStage.WON,
    archived: bool = False,
) -> None:
    session.add(
        Deal(
            customer_id=customer.id,
            rep_id=customer.owner_rep_id,
            title=f"Order {days_ago}",
            amount=amount,
            stage=stage,
            closed_on=settings.office_today(session) - timedelta(days=days_ago),
            lost_reason="price" if stage == DealStage.LOST else None,
            archived_at=utcnow() if archived else None,
        )
    )
    session.commit()


def _with_deals(
    session: Session, owner: Rep, name: str, deals: list[tuple[int, int]], **options: object
) -> Customer:
    customer = _customer(session, owner, name)
    for days_ago, amount in deals:
        _won(session, customer, days_ago, amount, **options)  # type: ignore[arg-type]
    return customer


def _tiers(engine: Engine) -> dict[str, str | None]:
    with Session(engine) as session:
        return {c.name: c.tier for c in session.exec(select(Customer)).all()}


# Three deals splitting an amount: the last on `days_ago`, the others a little earlier.
def _three(days_ago: int, total: int) -> list[tuple[int, int]]:
    third = total // 3
    return [(days_ago, total - 2 * third), (days_ago + 5, third), (days_ago + 10, third)]


EDGE_CASES = [
    # name, won deals (days ago, fen), tier
    ("A on every threshold", _three(90, A_MONEY), "A"),
    ("A but 91 days", _three(91, A_MONEY), "B"),
    ("A but 2 deals", [(10, A_MONEY - YUAN), (20, YUAN)], "B"),
    ("A but a fen short", _three(10, A_MONEY - 1), "B"),
    ("B on every threshold", [(180, B_MONEY)], "B"),
    ("B but 181 days", [(181, B_MONEY)], "C"),
    ("B but a fen short", [(5, B_MONEY - 1)], "C"),
    ("never won", [], "C"),
    # The window is today and the 364 days before it.
    ("third deal on the window's first day", [(1, A_MONEY), (2, 1), (364, 1)], "A"),
    ("third deal a day before the window", [(1, A_MONEY), (2, 1), (365, 1)], "B"),
    ("all deals before the window", [(365, A_MONEY), (400, A_MONEY), (500, A_MONEY)], "C"),
]


def test_each_threshold_and_the_window_edge(session: Session, engine: Engine, org: Org) -> None:
    for name, deals, _ in EDGE_CASES:
        _with_deals(session, org.east_rep, name, deals)
    changed = tiering.recompute(session, org.actor(session, org.admin))
    assert _tiers(engine) == {name: tier for name, _, tier in EDGE_CASES}
    assert changed == len(EDGE_CASES)


def test_archived_lost_and_open_deals_do_not_count(
    session: Session, engine: Engine, org: Org
) -> None:
    # Two live deals worth 200,000 yuan: A if the archived third one counted.
    customer = _with_deals(session, org.east_rep, "Some archived", [(10, A_MONEY), (20, 1)])
    _won(session, customer, 5, 1, archived=True)
    _with_deals(session, org.east_rep, "Only lost", [(5, A_MONEY)] * 3, stage=DealStage.LOST)
    _with_deals(session, org.east_rep, "Only open", [(5, A_MONEY)] * 3, stage=DealStage.PROPOSAL)
    archived_only = _with_deals(
        session, org.east_rep, "Archived wins", _three(10, A_MONEY), archived=True
    )
    tiering.recompute(session, None)
    assert _tiers(engine) == {
        "Some archived": "B",
        "Only lost": "C",
        "Only open": "C",
        "Archived wins": "C",
    }
    explained = tiering.explain(session, org.actor(session, org.admin), archived_only.id)
    assert (explained.frequency, explained.monetary) == (0, 0)


def test_recompute_changes_only_what_moved_and_says_so(
    session: Session, engine: Engine, org: Org
) -> None:
    _with_deals(session, org.east_rep, "Stays B", [(5, B_MONEY)])
    _with_deals(session, org.east_rep, "Becomes A", _three(5, A_MONEY))
    for customer in session.exec(select(Customer)).all():
        customer.tier = Tier.B
        session.add(customer)
    session.commit()
    version = _data_version(engine)
    assert tiering.recompute(session, org.actor(session, org.admin)) == 1
    with Session(engine) as fresh:
        customers = {c.name: c for c in fresh.exec(select(Customer)).all()}
        moved, run = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert {name: c.version for name, c in customers.items()} == {"Stays B": 1, "Becomes A": 2}
    # The customer whose tier moved has its own event with the tier before and after.
    assert (moved.action, moved.entity, moved.entity_id, moved.before, moved.after) == (
        "customer.tier", "customers", customers["Becomes A"].id, {"tier": "B"}, {"tier": "A"},
    )  # fmt: skip
    assert (run.action, run.username, run.after) == (
        "customer.recompute_tiers",
        "admin",
        {"changed": 1, "customers": "all"},
    )
    assert _data_version(engine) == version + 1
    # Nothing moved: an audit event, no data version bump.
    assert tiering.recompute(session, org.actor(session, org.admin)) == 0
    assert _data_version(engine) == version + 1
    assert audit_actions(engine) == ["customer.tier"] + ["customer.recompute_tiers"] * 2


def _data_version(engine: Engine) -> int:
    with Session(engine) as session:
        return data_version.current(session)


def test_rules_come_from_the_settings(session: Session, engine: Engine, org: Org) -> None:
    rules = {
        "A": {"recency_days": 30, "frequency": 1, "monetary": 100 * YUAN},
        "B": {"recency_days": 365, "frequency": 1, "monetary": 1},
    }
    session.add(Setting(key="tier_rules", value=rules))
    session.commit()
    _with_deals(session, org.east_rep, "Small but recent", [(30, 100 * YUAN)])
    _with_deals(session, org.east_rep, "Small and older", [(31, 100 * YUAN)])
    with Session(engine) as fresh:  # settings are read once per session
        tiering.recompute(fresh, None)
    assert _tiers(engine) == {"Small but recent": "A", "Small and older": "B"}


def test_explain_gives_the_values_thresholds_and_checks(
    session: Session, org: Org, today: date
) -> None:
    customer = _with_deals(session, org.east_rep, "Two deals", [(40, 15_000_000), (100, 50_000)])
    explained = tiering.explain(session, org.actor(session, org.east_rep_user), customer.id)
    assert explained == tiering.TierExplanation(
        today=today,
        since=today - timedelta(days=364),
        last_won_on=today - timedelta(days=40),
        recency_days=40,
        frequency=2,
        monetary=15_050_000,
        rules=(
            tiering.RuleCheck(
                tier=Tier.A,
                recency_days=90,
                frequency=3,
                monetary=A_MONEY,
                recency_met=True,
                frequency_met=False,
                monetary_met=False,
            ),
            tiering.RuleCheck(
                tier=Tier.B,
                recency_days=180,
                frequency=1,
                monetary=B_MONEY,
                recency_met=True,
                frequency_met=True,
                monetary_met=True,
            ),
        ),
        computed=Tier.B,
        stored=None,
        override=None,
        override_reason=None,
        effective=None,
    )


def test_a_manual_override_wins(session: Session, org: Org) -> None:
    customer = _customer(session, org.east_rep, "Strategic", Tier.C)
    customer.tier_override = Tier.A
    customer.tier_override_reason = "Group headquarters"
    session.add(customer)
    session.commit()
    tiering.recompute(session, None)
    explained = tiering.explain(session, org.actor(session, org.east_manager), customer.id)
    assert (explained.computed, explained.stored) == ("C", "C")
    assert (explained.override, explained.effective) == ("A", "A")
    assert explained.override_reason == "Group headquarters"
    assert explained.recency_days is None and explained.monetary == 0


# ---- access ----


def test_a_manager_recomputes_only_their_teams(session: Session, engine: Engine, org: Org) -> None:
    for owner, name in [(org.east_rep, "East"), (org.east_sub_rep, "Sub"), (org.west_rep, "West")]:
        _with_deals(session, owner, name, [(5, B_MONEY)])
    assert tiering.recompute(session, org.actor(session, org.east_manager)) == 2
    assert _tiers(engine) == {"East": "B", "Sub": "B", "West": None}


def test_a_rep_recomputes_their_own_customer_only(
    session: Session, engine: Engine, org: Org
) -> None:
    mine = _with_deals(session, org.east_rep, "Mine", [(5, B_MONEY)])
    other = _with_deals(session, org.east_rep, "Also mine", [(5, B_MONEY)])
    theirs = _with_deals(session, org.west_rep, "Theirs", [(5, B_MONEY)])
    rep = org.actor(session, org.east_rep_user)
    assert tiering.recompute(session, rep, customer_ids=[mine.id]) == 1
    assert _tiers(engine) == {"Mine": "B", "Also mine": None, "Theirs": None}
    with pytest.raises(PermissionDenied):
        tiering.recompute(session, rep)
    with pytest.raises(PermissionDenied):
        tiering.recompute(session, rep, customer_ids=[other.id, theirs.id])
    with pytest.raises(PermissionDenied):
        tiering.recompute(session, org.actor(session, org.east_manager), customer_ids=[theirs.id])
    assert _tiers(engine) == {"Mine": "B", "Also mine": None, "Theirs": None}
    assert (
        audit_actions(engine)
        == ["customer.tier", "customer.recompute_tiers"] + ["access.denied"] * 3
    )
    with pytest.raises(NotFound):
        tiering.recompute(session, rep, customer_ids=[404])


@pytest.mark.parametrize(
    ("who", "owner"), [("west_rep_user", "east_rep"), ("west_manager", "east_rep")]
)
def test_explain_is_denied_outside_the_scope(
    session: Session, engine: Engine, org: Org, who: str, owner: str
) -> None:
    customer = _customer(session, getattr(org, owner), "Hidden")
    with pytest.raises(PermissionDenied):
        tiering.explain(session, org.actor(session, getattr(org, who)), customer.id)
    assert audit_actions(engine) == ["access.denied"]


# ---- after imports ----


def test_loaded_data_gets_the_tiers_the_rules_give(engine: Engine) -> None:
    # A fixed day: the spread below is a fact of that data set, not of whatever today holds.
    dataset = seed.build("demo", today=TODAY)
    seed.load(engine, dataset, progress=lambda _line: None)
    with Session(engine) as session:
        counts = {
            tier: len(session.exec(select(Customer.id).where(Customer.tier == tier)).all())
            for tier in "ABC"
        }
        # The load stored what a recompute on the data set's today gives.
        assert tiering.store_computed(session, today=dataset.today) == 0
        session.rollback()
    # A sensible spread on the demo data: a few A, more B, most C.
    assert counts["A"] < counts["B"] < counts["C"]
    assert counts["A"] >= 0.1 * sum(counts.values())
