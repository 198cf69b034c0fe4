"""The customers list: paging, search, filters, sorting and scope, all answered in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Customer
from models.enums import CustomerStatus, Tier
from services import settings
from services.customers import listing
from services.customers.attention import has_birthday_soon
from services.customers.listing import CustomerFilters, CustomerSort, export_rows, list_customers
from services.errors import PermissionDenied
from tests.factories import Org
from tests.services.helpers import audit_actions, count

ANY = CustomerFilters()
BY_NAME = CustomerSort()


def _customer(session: Session, owner: int, name: str, **fields: object) -> Customer:
    fields.setdefault("status", CustomerStatus.ACTIVE)
    customer = Customer(name=name, owner_rep_id=owner, **fields)
    session.add(customer)
    session.commit()
    return customer


def _names(
    session: Session,
    actor,  # type: ignore[no-untyped-def]
    filters: CustomerFilters = ANY,
    sort: CustomerSort = BY_NAME,
    **paging: int,
) -> list[str]:
    rows, _total = list_customers(
        session, actor, filters=filters, sort=sort, page_size=paging.get("size", 100),
        page=paging.get("page", 1),
    )  # fmt: skip
    return [row.name for row in rows]


def test_a_page_holds_page_size_rows_and_the_total_counts_them_all(
    session: Session, org: Org
) -> None:
    for letter in "GFEDCBA":
        _customer(session, org.east_rep.id, f"Customer {letter}")
    rep = org.actor(session, org.east_rep_user)

    def page(number: int, size: int = 3) -> tuple[list[str], int]:
        rows, total = list_customers(
            session, rep, filters=ANY, sort=BY_NAME, page=number, page_size=size
        )
        return [row.name[-1] for row in rows], total

    assert page(1) == (["A", "B", "C"], 7)
    assert page(2) == (["D", "E", "F"], 7)
    assert page(3) == (["G"], 7)
    assert page(4) == ([], 7)
    # Out-of-range requests are held to the limits: page 1, 1..100 rows.
    assert page(0) == (["A", "B", "C"], 7)
    assert page(1, size=0) == (["A"], 7)


def test_search_finds_name_contact_and_phone_ignoring_case(session: Session, org: Org) -> None:
    rep_id = org.east_rep.id
    _customer(session, rep_id, "ACME Trading")
    _customer(session, rep_id, "Harbor Ltd", contact_name="Wang Acme")
    _customer(session, rep_id, "北京聚力商贸", contact_name="张三", phone="138 0013 8000")
    _customer(session, rep_id, "100% Cotton")
    _customer(session, rep_id, "Other", phone="139 1111 2222")
    rep = org.actor(session, org.east_rep_user)

    def search(text: str) -> list[str]:
        return _names(session, rep, CustomerFilters(search=text))

    assert search("acme") == ["ACME Trading", "Harbor Ltd"]
    assert search("  ACME  ") == ["ACME Trading", "Harbor Ltd"]
    assert search("张三") == ["北京聚力商贸"]
    assert search("0013 8") == ["北京聚力商贸"]
    assert search("聚力") == ["北京聚力商贸"]
    # % and _ are what they are, not wildcards.
    assert search("%") == ["100% Cotton"]
    assert search("_") == []
    assert search("") == ["100% Cotton", "ACME Trading", "Harbor Ltd", "Other", "北京聚力商贸"]


def test_each_filter_narrows_the_list(session: Session, org: Org) -> None:
    rep_id = org.east_rep.id
    today = settings.office_today(session)
    _customer(
        session, rep_id, "Alpha", tier=Tier.A, industry="Retail", region="East China",
        last_contact_on=today,
    )  # fmt: skip
    # Computed C, set by hand to A: the override wins.
    _customer(
        session, rep_id, "Bravo", tier=Tier.C, tier_override=Tier.A, industry="Energy",
        region="North China", last_contact_on=today - timedelta(days=20),
    )  # fmt: skip
    _customer(session, rep_id, "Charlie", tier=Tier.B, status=CustomerStatus.LEAD)
    _customer(session, rep_id, "Delta", status=CustomerStatus.LOST, region="East China")
    _customer(session, rep_id, "Echo", archived_at=datetime.now(UTC), industry="Retail")
    _customer(session, org.east_sub_rep.id, "Foxtrot", tier=Tier.A, industry="Retail")
    manager = org.actor(session, org.east_manager)

    def names(**filters: object) -> list[str]:
        return _names(session, manager, CustomerFilters(**filters))  # type: ignore[arg-type]

    assert names() == ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot"]
    assert names(tier=Tier.A) == ["Alpha", "Bravo", "Foxtrot"]
    assert names(tier=Tier.C) == []
    assert names(status=CustomerStatus.LEAD) == ["Charlie"]
    assert names(owner_rep_id=org.east_sub_rep.id) == ["Foxtrot"]
    assert names(industry="Retail") == ["Alpha", "Foxtrot"]
    assert names(region="East China") == ["Alpha", "Delta"]
    assert names(industry="Retail", tier=Tier.A, owner_rep_id=rep_id) == ["Alpha"]
    # Quiet as on Home: A is due every 14 days; never contacted counts; lost ones do not.
    assert names(quiet=True) == ["Bravo", "Charlie", "Foxtrot"]
    assert names(with_archived=True) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    assert names(with_archived=True, industry="Retail") == ["Alpha", "Echo", "Foxtrot"]


def _born_on(day: date) -> date:
    """A birthday that falls on `day` this year (leap-year babies keep their 29th)."""
    return date(1988, 2, 29) if (day.month, day.day) == (2, 29) else day.replace(year=1990)


def test_the_birthday_filter_takes_the_next_seven_days(session: Session, org: Org) -> None:
    today = settings.office_today(session)
    for name, days in [("Yesterday", -1), ("Today", 0), ("Soon", 3), ("Last day", 6), ("Late", 7)]:
        _customer(session, org.east_rep.id, name, birthday=_born_on(today + timedelta(days=days)))
    _customer(session, org.east_rep.id, "Unknown")
    rep = org.actor(session, org.east_rep_user)
    found = _names(session, rep, CustomerFilters(birthday_soon=True))
    assert found == ["Last day", "Soon", "Today"]


@pytest.mark.parametrize(
    ("today", "included"),
    [
        (date(2027, 2, 22), True),  # 22..28 Feb of a common year: celebrated on the 28th
        (date(2027, 2, 21), False),  # 21..27 Feb
        (date(2027, 3, 1), False),  # the 28th has passed
        (date(2028, 2, 23), True),  # 23..29 Feb of a leap year
        (date(2028, 2, 22), False),  # 22..28 Feb of a leap year: the 29th comes after
    ],
)
def test_29_february_birthdays_in_the_database(
    session: Session, org: Org, today: date, included: bool
) -> None:
    _customer(session, org.east_rep.id, "Leap", birthday=date(2000, 2, 29))
    _customer(session, org.east_rep.id, "March", birthday=date(2000, 3, 15))
    found = session.exec(select(Customer.name).where(has_birthday_soon(today))).all()
    assert found == (["Leap"] if included else [])


def test_sorting_each_way_with_ties_broken_by_id(session: Session, org: Org) -> None:
    day = date(2026, 6, 1)
    made = datetime(2026, 1, 1, tzinfo=UTC)
    east, sub = org.east_rep, org.east_sub_rep
    rows = [
        # name, owner, tier, override, last contact, created (days after `made`)
        ("Delta", east, Tier.B, None, day, 3),
        ("Alpha", sub, None, None, None, 1),
        ("Charlie", east, Tier.C, Tier.A, day - timedelta(days=5), 4),
        ("Bravo", sub, Tier.A, None, day + timedelta(days=5), 2),
        ("Alpha", east, Tier.C, None, day, 0),
    ]
    for name, owner, tier, override, last, created in rows:
        _customer(
            session, owner.id, name, tier=tier, tier_override=override, last_contact_on=last,
            created_at=made + timedelta(days=created),
        )  # fmt: skip
    manager = org.actor(session, org.east_manager)

    def order(key: str, descending: bool = False) -> list[str]:
        found, _ = list_customers(
            session, manager, filters=ANY, sort=CustomerSort(key, descending), page_size=10
        )  # type: ignore[arg-type]
        # The two Alphas told apart by their owner: East (E) or East Sub (S).
        return [row.name + ("/S" if row.owner == sub.name else "/E") for row in found]

    # Equal names, owners or dates keep id order, whichever way the sort runs.
    assert order("name") == ["Alpha/S", "Alpha/E", "Bravo/S", "Charlie/E", "Delta/E"]
    assert order("name", True) == ["Delta/E", "Charlie/E", "Bravo/S", "Alpha/S", "Alpha/E"]
    assert order("owner") == ["Delta/E", "Charlie/E", "Alpha/E", "Alpha/S", "Bravo/S"]
    # The effective tier (Charlie is A by override); no tier after C, and first reversed.
    assert order("tier") == ["Charlie/E", "Bravo/S", "Delta/E", "Alpha/E", "Alpha/S"]
    assert order("tier", True) == ["Alpha/S", "Alpha/E", "Delta/E", "Charlie/E", "Bravo/S"]
    # Never contacted is the longest since contact: first when oldest first, last otherwise.
    assert order("last_contact") == ["Alpha/S", "Charlie/E", "Delta/E", "Alpha/E", "Bravo/S"]
    assert order("last_contact", True) == [
        "Bravo/S", "Delta/E", "Alpha/E", "Charlie/E", "Alpha/S",
    ]  # fmt: skip
    assert order("created", True) == ["Charlie/E", "Delta/E", "Bravo/S", "Alpha/S", "Alpha/E"]
    assert order("created") == ["Alpha/E", "Alpha/S", "Bravo/S", "Delta/E", "Charlie/E"]


def test_rows_carry_the_effective_tier_and_the_owner(session: Session, org: Org) -> None:
    made = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 04:00 on 2 March in Shanghai
    _customer(
        session, org.east_rep.id, "Override", tier=Tier.C, tier_override=Tier.A,
        contact_name="Li", phone="138 0000 0000", created_at=made,
    )  # fmt: skip
    rows, total = list_customers(
        session, org.actor(session, org.admin), filters=ANY, sort=BY_NAME, page_size=10
    )
    assert total == 1
    row = rows[0]
    assert (row.tier, row.owner, row.contact_name, row.phone) == (
        "A", "East Rep", "Li", "138 0000 0000",
    )  # fmt: skip
    assert row.created_on == date(2026, 3, 2)
    assert row.archived_at is None


def test_a_rep_sees_their_own_a_manager_their_teams_an_admin_all(
    session: Session, org: Org
) -> None:
    _customer(session, org.east_rep.id, "East")
    _customer(session, org.east_sub_rep.id, "East Sub")
    _customer(session, org.west_rep.id, "West")
    assert _names(session, org.actor(session, org.east_rep_user)) == ["East"]
    assert _names(session, org.actor(session, org.west_rep_user)) == ["West"]
    assert _names(session, org.actor(session, org.east_manager)) == ["East", "East Sub"]
    assert _names(session, org.actor(session, org.west_manager)) == ["West"]
    assert _names(session, org.actor(session, org.admin)) == ["East", "East Sub", "West"]


@pytest.mark.parametrize("service", [list_customers, export_rows])
def test_asking_for_an_owner_outside_the_scope_is_denied(
    engine: Engine, session: Session, org: Org, service
) -> None:
    _customer(session, org.west_rep.id, "West")
    customers_before = count(engine, Customer)
    for user, outside in [
        (org.east_rep_user, org.west_rep.id),
        (org.east_rep_user, org.east_sub_rep.id),
        (org.east_manager, org.west_rep.id),
    ]:
        filters = CustomerFilters(owner_rep_id=outside)
        with pytest.raises(PermissionDenied):
            service(session, org.actor(session, user), filters=filters, sort=BY_NAME)
    # Only the refusals were written.
    assert audit_actions(engine) == ["access.denied"] * 3
    assert count(engine, Customer) == customers_before
    with Session(engine) as fresh:
        entities = fresh.exec(select(AuditEvent.entity_id).order_by(col(AuditEvent.id))).all()
    assert entities == [org.west_rep.id, org.east_sub_rep.id, org.west_rep.id]


def test_export_has_every_filtered_row_in_order_up_to_the_limit(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(30):
        _customer(session, org.east_rep.id, f"C{number:02d}", industry="Retail")
    _customer(session, org.east_rep.id, "Other", industry="Energy")
    _customer(session, org.west_rep.id, "West", industry="Retail")
    rep = org.actor(session, org.east_rep_user)
    retail = CustomerFilters(industry="Retail")
    rows = export_rows(session, rep, filters=retail, sort=CustomerSort("name", True))
    assert [row.name for row in rows] == [f"C{number:02d}" for number in range(29, -1, -1)]
    assert (rows[0].kind, rows[0].owner, rows[0].industry) == ("company", "East Rep", "Retail")
    monkeypatch.setattr(listing, "EXPORT_LIMIT", 4)
    assert len(export_rows(session, rep, filters=retail, sort=BY_NAME)) == 4


def test_filter_choices_come_from_the_scope(session: Session, org: Org) -> None:
    _customer(session, org.east_rep.id, "A", industry="Retail", region="East China")
    _customer(session, org.east_rep.id, "B", industry="Retail", region=None)
    _customer(session, org.east_sub_rep.id, "C", industry="Energy", region="North China")
    _customer(session, org.west_rep.id, "D", industry="Mining", region="West China")
    rep = listing.filter_choices(session, org.actor(session, org.east_rep_user))
    assert rep.owners == [(org.east_rep.id, "East Rep")]
    assert (rep.industries, rep.regions) == (["Retail"], ["East China"])
    manager = listing.filter_choices(session, org.actor(session, org.east_manager))
    assert [name for _id, name in manager.owners] == ["East Rep", "East Sub Rep"]
    assert (manager.industries, manager.regions) == (
        ["Energy", "Retail"], ["East China", "North China"],
    )  # fmt: skip
    admin = listing.filter_choices(session, org.actor(session, org.admin))
    assert [name for _id, name in admin.owners] == ["East Rep", "East Sub Rep", "West Rep"]
    assert admin.industries == ["Energy", "Mining", "Retail"]
