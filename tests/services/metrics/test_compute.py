"""Every registry metric against a small data set worked out by hand.

March 2025 is the period; February its previous one. Reps: A (east), B (east sub-team),
C (west, has left). The office is in Asia/Shanghai (UTC+8), so 2025-03-31 16:00 UTC is
already April there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from models import Complaint, Customer, Deal, Goal, GoalCheckin, Interaction, Survey
from models.enums import ComplaintStatus, DealStage, OwnerKind, PeriodKind, RepStatus, Severity
from services import metrics, settings
from services.customers import diary
from services.errors import PermissionDenied, ValidationError
from services.metrics import Fraction
from services.periods import Period, containing, custom
from tests.factories import Org, moved_to_west

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
WON, LOST = DealStage.WON, DealStage.LOST


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _customer(session: Session, owner: int, name: str, created: datetime, **extra) -> Customer:
    customer = Customer(name=name, owner_rep_id=owner, created_at=created, **extra)
    session.add(customer)
    session.commit()
    return customer


class Book:
    """The hand-built data set."""

    def __init__(self, session: Session) -> None:
        self.org = org = Org(session)
        a, b, c = org.east_rep.id, org.east_sub_rep.id, org.west_rep.id
        self.a, self.b, self.c = a, b, c
        org.west_rep.archived_at = utc(2025, 6, 1)
        org.west_rep.status = RepStatus.LEFT
        session.add(org.west_rep)
        # cB1 is added 1 March 00:30 in Shanghai; cA2 on 1 April 00:30 there.
        ca1 = _customer(session, a, "cA1", utc(2025, 1, 5))
        ca2 = _customer(session, a, "cA2", utc(2025, 3, 31, 16, 30))
        cb1 = _customer(session, b, "cB1", utc(2025, 2, 28, 16, 30))
        cc1 = _customer(session, c, "cC1", utc(2024, 6, 1))
        cc2 = _customer(session, c, "cC2", utc(2025, 3, 15), archived_at=utc(2025, 3, 16))
        self._deals(session, ca1.id, ca2.id, cb1.id, cc1.id, cc2.id)
        self._diary(session, ca1.id, cb1.id)
        self._surveys_and_complaints(session, ca1.id, cb1.id)
        self._market_share(session)
        session.commit()

    def _deal(self, session: Session, rep: int, customer: int, stage: DealStage, **fields) -> None:
        fields.setdefault("created_at", utc(2025, 1, 1))
        session.add(Deal(rep_id=rep, customer_id=customer, title="d", stage=stage, **fields))

    def _deals(self, session: Session, ca1: int, ca2: int, cb1: int, cc1: int, cc2: int) -> None:
        a, b, c = self.a, self.b, self.c
        deal = self._deal
        # A: two wins on the period's edges (cycles 9 and 30 days), one a day late, one lost.
        deal(session, a, ca1, WON, amount=10_000, closed_on=date(2025, 3, 1),
             created_at=utc(2025, 2, 20, 4))  # fmt: skip
        deal(session, a, ca2, WON, amount=30_000, closed_on=date(2025, 3, 31),
             created_at=utc(2025, 2, 28, 20))  # fmt: skip
        deal(session, a, ca1, WON, amount=99_900, closed_on=date(2025, 4, 1))
        deal(session, a, ca1, WON, amount=50_000, closed_on=date(2025, 2, 28))
        deal(session, a, ca1, LOST, amount=0, closed_on=date(2025, 3, 15), lost_reason="Price")
        deal(session, a, ca2, DealStage.PROPOSAL, amount=100_000, probability=50,
             expected_close_on=date(2025, 3, 25))  # fmt: skip
        # B: a lost deal, an archived win that no longer counts, an April pipeline deal.
        deal(session, b, cb1, LOST, amount=0, closed_on=date(2025, 3, 10), lost_reason="Timing")
        deal(session, b, cb1, WON, amount=70_000, closed_on=date(2025, 3, 5),
             archived_at=utc(2025, 3, 6))  # fmt: skip
        deal(session, b, cb1, DealStage.NEGOTIATION, amount=40_000, probability=75,
             expected_close_on=date(2025, 4, 2))  # fmt: skip
        # C: one win (10-day cycle) and three losses in March; two customers bought in February.
        deal(session, c, cc1, WON, amount=35_000, closed_on=date(2025, 3, 20),
             created_at=utc(2025, 3, 10, 4))  # fmt: skip
        for day in (21, 22, 23):
            deal(session, c, cc1, LOST, amount=0, closed_on=date(2025, 3, day), lost_reason="X")
        deal(session, c, cc1, WON, amount=10_000, closed_on=date(2025, 2, 5))
        deal(session, c, cc2, WON, amount=5_000, closed_on=date(2025, 2, 6))

    def _diary(self, session: Session, ca1: int, cb1: int) -> None:
        entries = [
            (self.a, ca1, utc(2025, 3, 5, 2), date(2025, 3, 12), None),
            (self.a, ca1, utc(2025, 3, 31, 15, 59), date(2025, 3, 20), utc(2025, 3, 20)),
            (self.a, ca1, utc(2025, 3, 31, 16), None, None),  # already 1 April in Shanghai
            (self.a, ca1, utc(2025, 2, 28, 16), date(2025, 3, 2), None),  # 1 March, 00:00 there
            (self.b, cb1, utc(2025, 3, 10), date(2025, 4, 3), None),
            # B's visit to A's customer counts for B; its follow-up is owed by A, the owner.
            (self.b, ca1, utc(2025, 3, 7), date(2025, 3, 14), None),
            # A manager's own call: nobody from sales made it; A owes the follow-up.
            (None, ca1, utc(2025, 3, 6), date(2025, 3, 13), None),
        ]
        for rep, customer, at, follow_up, done in entries:
            session.add(
                Interaction(
                    customer_id=customer,
                    rep_id=rep,
                    occurred_at=at,
                    channel="call",
                    summary="s",
                    next_follow_up_on=follow_up,
                    follow_up_done_at=done,
                )
            )

    def _surveys_and_complaints(self, session: Session, ca1: int, cb1: int) -> None:
        for rep, customer, day, score, nps in [
            (self.a, ca1, date(2025, 3, 2), 5, 10),
            (self.a, ca1, date(2025, 3, 9), 4, 8),
            (self.a, ca1, date(2025, 3, 30), 3, None),
            (self.a, ca1, date(2025, 2, 27), 1, 0),
            (self.b, cb1, date(2025, 3, 3), 2, 3),
        ]:
            session.add(
                Survey(customer_id=customer, rep_id=rep, surveyed_on=day, score=score, nps=nps)
            )
        resolved = ComplaintStatus.RESOLVED
        # The default SLA days, fixed on each complaint as its deadline when opened.
        sla = {Severity.LOW: 10, Severity.MEDIUM: 5, Severity.HIGH: 2, Severity.CRITICAL: 1}
        for rep, customer, severity, opened, status, resolved_on in [
            (self.a, ca1, Severity.HIGH, date(2025, 3, 1), resolved, date(2025, 3, 3)),
            (self.a, ca1, Severity.LOW, date(2025, 3, 10), resolved, date(2025, 3, 25)),
            (self.a, ca1, Severity.CRITICAL, date(2025, 3, 20), ComplaintStatus.OPEN, None),
            (self.b, cb1, Severity.MEDIUM, date(2025, 3, 31), ComplaintStatus.IN_PROGRESS, None),
            (self.a, ca1, Severity.LOW, date(2025, 2, 10), resolved, date(2025, 2, 11)),
        ]:
            session.add(
                Complaint(
                    customer_id=customer, rep_id=rep, opened_on=opened, category="Delivery",
                    severity=severity, description="d", status=status, resolved_on=resolved_on,
                    resolution="done" if resolved_on else None,
                    due_on=opened + timedelta(days=sla[severity]),
                )
            )  # fmt: skip

    def _market_share(self, session: Session) -> None:
        for rep, checkins in [
            (self.a, [(date(2025, 3, 5), 1200), (date(2025, 3, 25), 1500)]),
            (self.b, [(date(2025, 2, 20), 900)]),
        ]:
            goal = Goal(
                owner_kind=OwnerKind.REP, owner_id=rep, metric_key="market_share", target=2000,
                period_kind=PeriodKind.YEAR, period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31), title="Share",
            )  # fmt: skip
            session.add(goal)
            session.flush()
            for day, value in checkins:
                session.add(
                    GoalCheckin(
                        goal_id=goal.id, checked_on=day, value=value,
                        by_user_id=self.org.admin.id,
                    )
                )  # fmt: skip


@pytest.fixture
def book(session: Session) -> Book:
    return Book(session)


def values(session: Session, book: Book, key: str) -> dict[str, float | None]:
    """Per rep (A, B, C) and for the company, as the registry computes them."""
    admin = book.org.actor(session, book.org.admin)
    per_rep = metrics.by_rep(session, admin, key, MARCH)
    names = {book.a: "A", book.b: "B", book.c: "C"}
    found: dict[str, float | None] = {names[rep]: f.value for rep, f in per_rep.items()}
    found["company"] = metrics.scope_value(session, admin, key, MARCH).value
    return found


EXPECTED = {
    # A: 10,000 + 30,000 (both edges in, 1 April out); B's win is archived; C has left, counts.
    "revenue": {"A": 40_000, "C": 35_000, "company": 75_000},
    "deals_won": {"A": 2, "C": 1, "company": 3},
    # Ratio of sums 3/8, not the mean of 2/3, 0 and 1/4.
    "win_rate": {"A": 2 / 3, "B": 0.0, "C": 0.25, "company": 3 / 8},
    "avg_deal_size": {"A": 20_000, "C": 35_000, "company": 25_000},
    "new_customers": {"B": 1, "company": 1},
    "active_customers": {"A": 2, "C": 1, "company": 3},
    # A kept cA1; C kept cC1 but not cC2 (archived customers' deals still count); B bought nothing.
    "retention_rate": {"A": 1.0, "C": 0.5, "company": 2 / 3},
    # The rep who made each contact; the manager's own call credits nobody.
    "interactions": {"A": 3, "B": 2, "company": 5},
    # Follow-ups are the customer's owner's, whoever made the contact.
    "overdue_follow_ups": {"A": 4, "company": 4},
    "csat": {"A": 4.0, "B": 2.0, "company": 3.5},
    "nps": {"A": 50.0, "B": -100.0, "company": 0.0},
    "complaints_opened": {"A": 3, "B": 1, "company": 4},
    "complaints_in_sla": {"A": 1 / 3, "B": 0.0, "company": 0.25},
    "pipeline_value": {"A": 50_000, "company": 50_000},
    # Deal 2 opened 1 March in Shanghai (28 Feb 20:00 UTC): 30 days; 9 and 10 for the others.
    "sales_cycle_days": {"A": 19.5, "C": 10.0, "company": 49 / 3},
    "market_share": {"A": 0.15, "company": 0.15},
}


def test_every_registry_metric_is_worked_out_here() -> None:
    assert set(EXPECTED) == set(metrics.REGISTRY)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_metric_against_hand_worked_values(session: Session, book: Book, key: str) -> None:
    assert values(session, book, key) == pytest.approx(EXPECTED[key])


def test_team_roll_up_is_a_ratio_of_sums(session: Session, book: Book) -> None:
    admin = book.org.actor(session, book.org.admin)
    east = [book.a, book.b]
    team = metrics.scope_value(session, admin, "win_rate", MARCH, rep_ids=east)
    # A won 2 of 3, B 0 of 1: the team won 2 of 4, not the mean (2/3 + 0) / 2.
    assert (team.numerator, team.denominator) == (2, 4)
    assert team.value == pytest.approx(0.5)


def test_zero_denominator_is_no_value_and_sums_are_zero(session: Session, book: Book) -> None:
    admin = book.org.actor(session, book.org.admin)
    empty = containing(PeriodKind.MONTH, date(2020, 1, 1))
    assert metrics.scope_value(session, admin, "win_rate", empty).value is None
    assert metrics.scope_value(session, admin, "csat", empty).value is None
    assert metrics.scope_value(session, admin, "revenue", empty).value == 0


def test_revenue_by_month(session: Session, book: Book) -> None:
    admin = book.org.actor(session, book.org.admin)
    spring = custom(date(2025, 2, 1), date(2025, 4, 30))
    months = metrics.by_month(session, admin, "revenue", spring)
    assert {month: f.value for month, f in months.items()} == {
        "2025-02": 65_000,
        "2025-03": 75_000,
        "2025-04": 99_900,
    }
    empty_months = metrics.by_month(
        session, admin, "win_rate", custom(date(2020, 1, 1), date(2020, 2, 29))
    )
    assert [f.value for f in empty_months.values()] == [None, None]


def test_a_manager_gets_their_teams_and_is_denied_others(session: Session, book: Book) -> None:
    manager = book.org.actor(session, book.org.east_manager)
    assert set(metrics.by_rep(session, manager, "revenue", MARCH)) == {book.a}
    assert metrics.scope_value(session, manager, "interactions", MARCH).value == 5
    with pytest.raises(PermissionDenied):
        metrics.by_rep(session, manager, "revenue", MARCH, rep_ids=[book.c])


def test_a_rep_sees_only_their_own_numbers(session: Session, book: Book) -> None:
    org = book.org
    rep = org.actor(session, org.east_rep_user)
    assert metrics.scope_value(session, rep, "revenue", MARCH).value == 40_000
    assert set(metrics.by_rep(session, rep, "csat", MARCH)) == {book.a}
    for service in (metrics.by_rep, metrics.scope_value, metrics.by_month):
        with pytest.raises(PermissionDenied):
            service(session, rep, "revenue", MARCH, rep_ids=[book.b])
    with pytest.raises(PermissionDenied):
        metrics.rep_names(session, rep, [book.b])


def test_unknown_metric_is_a_validation_error(session: Session, book: Book) -> None:
    admin = book.org.actor(session, book.org.admin)
    with pytest.raises(ValidationError) as raised:
        metrics.by_rep(session, admin, "nonsense", MARCH)
    assert raised.value.params == {"key": "nonsense"}


def test_weighted_pipeline_stays_in_whole_minor_units(session: Session) -> None:
    org = Org(session)
    rep = org.east_rep.id
    customer = _customer(session, rep, "odd", utc(2025, 1, 5))
    for amount, probability in [(333, 33), (1, 50)]:
        session.add(
            Deal(rep_id=rep, customer_id=customer.id, title="d", stage=DealStage.PROPOSAL,
                 amount=amount, probability=probability, expected_close_on=date(2025, 3, 10))
        )  # fmt: skip
    session.commit()
    value = metrics.scope_value(session, org.actor(session, org.admin), "pipeline_value", MARCH)
    # 333 × 33 % + 1 × 50 % = 110.39 fen: the total is rounded down once, never a fraction.
    assert value.value == 110
    assert isinstance(value.value, int)


@pytest.mark.parametrize("key", sorted(k for k, m in metrics.REGISTRY.items() if m.monthly))
def test_monthly_values_add_up_to_the_period_value(session: Session, book: Book, key: str) -> None:
    # Also proves each metric declares the office clock when its SQL needs it.
    admin = book.org.actor(session, book.org.admin)
    months = metrics.by_month(session, admin, key, MARCH)
    assert list(months) == ["2025-03"]
    assert months["2025-03"].value == pytest.approx(EXPECTED[key]["company"])


def test_after_a_reassignment_past_revenue_stays_with_the_rep_who_won_it(
    session: Session, today: date
) -> None:
    org = Org(session)
    work = moved_to_west(session, org, today)
    admin = org.actor(session, org.admin)
    month = containing(PeriodKind.MONTH, today)

    def per_rep(key: str, period: Period) -> dict[int, float | None]:
        return {rep: f.value for rep, f in metrics.by_rep(session, admin, key, period).items()}

    assert per_rep("revenue", month) == {org.east_rep.id: work.won_amount}
    assert per_rep("win_rate", month) == {org.east_rep.id: 0.5}
    assert per_rep("csat", month) == {org.east_rep.id: 4.0}
    # Open work is the new owner's: 90,000 at 50 %, and the two unresolved complaints.
    assert per_rep("pipeline_value", month) == {org.west_rep.id: 45_000}
    assert per_rep("complaints_opened", month) == {org.east_rep.id: 1, org.west_rep.id: 2}


def test_contacts_credit_the_rep_who_made_them_not_the_owner(session: Session, today: date) -> None:
    org = Org(session)
    customer = _customer(session, org.east_rep.id, "Owned by A", utc(2025, 1, 5))
    manager = org.actor(session, org.east_manager)
    now = datetime.now(UTC)
    for maker in (org.east_sub_rep.id, org.east_sub_rep.id, None):
        diary.log_interaction(
            session, manager, customer_id=customer.id,
            data={"occurred_at": now, "channel": "visit", "summary": "s", "rep_id": maker},
        )  # fmt: skip
    month = containing(PeriodKind.MONTH, settings.office_today(session))
    counted = metrics.by_rep(session, org.actor(session, org.admin), "interactions", month)
    assert counted == {org.east_sub_rep.id: Fraction(2)}
