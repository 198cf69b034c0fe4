"""Customers: tiers by revenue, birthdays coming up, a steady stream of new ones."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Customer, Deal
from services.customers import tiering
from tests.seed.conftest import TODAY


def _customers(engine: Engine) -> list[Customer]:
    with Session(engine) as session:
        return list(session.exec(select(Customer)).all())


def _revenue_12m(engine: Engine) -> dict[int, int]:
    revenue: Counter[int] = Counter()
    with Session(engine) as session:
        for deal in session.exec(select(Deal).where(Deal.stage == "won")).all():
            if deal.closed_on and deal.closed_on > TODAY - timedelta(days=365):
                revenue[deal.customer_id] += deal.amount
    return revenue


def test_loaded_tiers_are_the_sql_rule_and_buyers_rank_above_others(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        # Loading already stored the computed tiers: recomputing as of the same day changes none.
        assert tiering.store_computed(session, today=TODAY) == 0
        session.rollback()
    revenue = _revenue_12m(demo_db)
    customers = _customers(demo_db)
    tiers = Counter(customer.tier for customer in customers)
    assert min(tiers["A"], tiers["B"], tiers["C"]) > 0
    assert {c.tier for c in customers if not revenue[c.id or 0]} == {"C"}
    assert min(revenue[c.id] for c in customers if c.tier == "A") > 0


def test_a_mix_of_customers(demo_db: Engine) -> None:
    customers = _customers(demo_db)
    assert {c.kind for c in customers} == {"company", "person", "dealer"}
    assert {c.status for c in customers} == {"lead", "active", "dormant", "lost"}
    assert len({c.industry for c in customers}) >= 8
    cities = {c.city or "" for c in customers}
    assert any(city.isascii() for city in cities) and any(not city.isascii() for city in cities)
    assert all(c.owner_rep_id for c in customers)
    assert sum(1 for c in customers if c.preferences) > len(customers) / 5


def test_birthdays_this_week_and_on_29_february(demo_db: Engine) -> None:
    birthdays = [c.birthday for c in _customers(demo_db) if c.birthday]
    week = {(TODAY + timedelta(days=offset)).strftime("%m-%d") for offset in range(7)}
    assert sum(1 for day in birthdays if day.strftime("%m-%d") in week) >= 5
    assert any((day.month, day.day) == (2, 29) for day in birthdays)
    assert len(birthdays) > len(_customers(demo_db)) / 3


def test_new_customers_arrive_every_month_of_the_window(demo_db: Engine) -> None:
    months = Counter(c.created_at.strftime("%Y-%m") for c in _customers(demo_db))
    window = {f"{year}-{month:02d}" for year, month in [(2025, m) for m in range(6, 13)]}
    window |= {f"2026-{month:02d}" for month in range(1, 12)}
    assert all(months[month] >= 3 for month in window), months
    assert sum(count for month, count in months.items() if month < "2025-05") > 150
