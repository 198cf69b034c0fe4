"""Customers: who they are, who owns them, how much they buy, and when they went quiet."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from seed.calendar import Calendar, at_work
from seed.dataset import TableRows
from seed.names import (
    BRANDS,
    COMPANY_SUFFIXES,
    DOMESTIC_REGIONS,
    ENGLISH_BRANDS,
    ENGLISH_SUFFIXES,
    INDUSTRIES,
    REGION_CITIES,
    hanzi_name,
    random_person,
)
from seed.org import LEFT, Org, RepSeed, mobile
from seed.sizes import Size
from seed.texts import NOTES, PREFERENCES, SOURCES, pick, weighted

KINDS = weighted((("company", 60), ("person", 25), ("dealer", 15)))
# Dealers order most, people least.
KIND_VALUE = {"company": 1.0, "dealer": 2.0, "person": 0.35}
SOURCE_POOL = weighted(SOURCES)
QUIET_SHARE = 0.15
# Customers on file before the window starts (where the owner was already there).
ESTABLISHED_SHARE = 0.55
# Quiet customers stopped answering at least this many days ago.
QUIET_MIN_DAYS = 90
BIRTHDAYS_SOON = 6
# Leap years, so any day of the year (29 February too) is a valid birthday.
LEAP_YEARS = (1976, 1980, 1984, 1988, 1992, 1996)
BIRTHDAY_FIRST = date(1958, 1, 1).toordinal()
BIRTHDAY_SPAN = date(2002, 12, 31).toordinal() - BIRTHDAY_FIRST
TIER_A_SHARE, TIER_B_SHARE = 0.2, 0.3
COLUMNS = (
    "id", "created_at", "updated_at", "version", "name", "kind", "industry", "region", "city",
    "owner_rep_id", "status", "tier",
    "contact_name", "phone", "email", "birthday", "source", "preferences", "notes",
    "last_contact_on",
)  # fmt: skip


@dataclass(slots=True)
class CustomerSeed:
    owner: RepSeed
    # The rep who left, and the first day (calendar index) the new owner takes over.
    previous: RepSeed | None
    handover: int
    created: int
    created_at: int
    # Last day (calendar index) with any activity: yesterday, or long ago for a quiet one.
    active_until: int
    # Buying power: scales how often and how much the customer buys.
    value: float
    kind: str
    english: bool
    name: str
    industry: str | None
    region: str
    city: str
    contact_name: str
    phone: str | None
    email: str | None
    birthday: date | None
    source: str
    preferences: str | None
    notes: str | None
    id: int = 0
    tier: str = "C"
    status: str = "lead"
    # Day of the latest interaction.
    last_contact: int | None = None
    # Filled in by the deals: won revenue of the last 12 months and the shape of the history.
    revenue_12m: int = 0
    won: int = 0
    lost: int = 0
    open: int = 0
    last_won: int = -1
    last_deal: int = -1

    def rep_at(self, index: int) -> RepSeed:
        """Whoever owned the customer on that day."""
        if self.previous is not None and index < self.handover:
            return self.previous
        return self.owner


def build_customers(
    rng: random.Random, size: Size, calendar: Calendar, org: Org
) -> list[CustomerSeed]:
    """`size.customers` customers, ids in the order they joined."""
    reps = org.reps
    weights = [_owner_weight(calendar, rep) for rep in reps]
    owners = rng.choices(reps, weights=weights, k=size.customers)
    heirs = {rep.id: _successors(org, rep) for rep in reps if rep.status == LEFT}
    customers = [_customer(rng, calendar, heirs, rep) for rep in owners]
    customers.sort(key=lambda customer: customer.created_at)
    for number, customer in enumerate(customers, start=1):
        customer.id = number
    _birthdays_soon(rng, calendar.today, customers)
    return customers


def _owner_weight(calendar: Calendar, rep: RepSeed) -> float:
    # Long-serving, strong reps hold more customers.
    start = max(rep.first_index, calendar.window_index - 365)
    return (rep.last_index - start + 30) * (0.6 + 0.4 * rep.skill)


def _successors(org: Org, leaver: RepSeed) -> list[RepSeed]:
    """Who may take over the leaver's customers: a teammate (or else anyone) still there,
    hired before the leaver left."""
    staying = [rep for rep in org.reps if rep.status != LEFT]
    for pool in (
        [
            rep
            for rep in staying
            if rep.team is leaver.team and rep.first_index <= leaver.last_index
        ],
        [rep for rep in staying if rep.first_index <= leaver.last_index],
        staying,
    ):
        if pool:
            return pool
    raise ValueError("every rep has left")


def _customer(
    rng: random.Random, calendar: Calendar, heirs: dict[int, list[RepSeed]], rep: RepSeed
) -> CustomerSeed:
    yesterday = calendar.today_index - 1
    last = min(rep.last_index, yesterday)
    if rep.first_index < calendar.window_index and rng.random() < ESTABLISHED_SHARE:
        created = calendar.sample(rng, rep.first_index, min(last, calendar.window_index - 1))
    else:
        created = calendar.sample(rng, max(rep.first_index, calendar.window_index), last)
    owner, previous, handover = rep, None, 0
    if rep.status == LEFT:
        owner, previous, handover = pick(rng, heirs[rep.id]), rep, rep.last_index + 1
    active_until = yesterday
    if rng.random() < QUIET_SHARE and created < yesterday - QUIET_MIN_DAYS - 60:
        earliest = max(created + 30, yesterday - 420)
        active_until = rng.randint(earliest, yesterday - QUIET_MIN_DAYS)
    kind = pick(rng, KINDS)
    english = rng.random() < (0.5 if rep.person.english else 0.2)
    region, city = _place(rng, owner.team.region, english)
    name, industry = _name(rng, kind, english, city)
    contact = name if kind == "person" else _contact(rng, english)
    return CustomerSeed(
        owner=owner,
        previous=previous,
        handover=handover,
        created=created,
        created_at=at_work(rng, created),
        active_until=active_until,
        value=KIND_VALUE[kind] * rng.lognormvariate(0.0, 0.7),
        kind=kind,
        english=english,
        name=name,
        industry=industry,
        region=region,
        city=city,
        contact_name=contact,
        phone=mobile(rng) if rng.random() < 0.85 else None,
        email=_email(rng, english) if rng.random() < 0.7 else None,
        birthday=_birthday(rng) if rng.random() < (0.8 if kind == "person" else 0.4) else None,
        source=pick(rng, SOURCE_POOL),
        preferences=pick(rng, PREFERENCES) if rng.random() < 0.35 else None,
        notes=pick(rng, NOTES) if rng.random() < 0.15 else None,
    )


def _place(rng: random.Random, home: str, english: bool) -> tuple[str, str]:
    draw = rng.random()
    if draw < (0.15 if english else 0.03):
        region = "International"
    elif draw < 0.9:
        region = home
    else:
        region = pick(rng, DOMESTIC_REGIONS)
    return region, pick(rng, REGION_CITIES[region])


def _name(rng: random.Random, kind: str, english: bool, city: str) -> tuple[str, str | None]:
    if kind == "person":
        return (random_person(rng, 1.0).name if english else hanzi_name(rng)), None
    industry, chinese_word, english_word = pick(rng, INDUSTRIES)
    if english:
        brand = pick(rng, ENGLISH_BRANDS)
        if kind == "dealer":
            return f"{brand} {pick(rng, ('Distribution', 'Supply Co.', 'Partners'))}", industry
        return f"{brand} {english_word} {pick(rng, ENGLISH_SUFFIXES)}", industry
    place = "" if city.isascii() else city
    brand = pick(rng, BRANDS)[0]
    if kind == "dealer":
        return f"{place}{brand}{pick(rng, ('商贸有限公司', '经销部', '贸易商行'))}", industry
    return f"{place}{brand}{chinese_word}{pick(rng, COMPANY_SUFFIXES)}", industry


def _contact(rng: random.Random, english: bool) -> str:
    return random_person(rng, 1.0).name if english else hanzi_name(rng)


def _email(rng: random.Random, english: bool) -> str:
    if english:
        return f"{random_person(rng, 1.0).slug}@{pick(rng, ENGLISH_BRANDS).lower()}.example.com"
    return f"{pick(rng, BRANDS)[1]}{rng.randrange(1, 999)}@mail.example.cn"


def _birthday(rng: random.Random) -> date:
    return date.fromordinal(BIRTHDAY_FIRST + rng.randrange(BIRTHDAY_SPAN))


def _birthdays_soon(rng: random.Random, today: date, customers: list[CustomerSeed]) -> None:
    """A few birthdays in the coming week and one on 29 February, whatever today is."""
    chosen = rng.sample(customers, min(BIRTHDAYS_SOON + 1, len(customers)))
    for offset, customer in enumerate(chosen[:BIRTHDAYS_SOON]):
        soon = today + timedelta(days=offset)
        customer.birthday = date(pick(rng, LEAP_YEARS), soon.month, soon.day)
    if len(chosen) > BIRTHDAYS_SOON:
        chosen[BIRTHDAYS_SOON].birthday = date(pick(rng, LEAP_YEARS), 2, 29)


def assign_tiers(customers: list[CustomerSeed]) -> None:
    """By won revenue of the last 12 months: top 20 % A, next 30 % B, the rest and leads C."""
    buyers = sorted(
        (customer for customer in customers if customer.revenue_12m > 0),
        key=lambda customer: (-customer.revenue_12m, customer.id),
    )
    a_count = round(len(buyers) * TIER_A_SHARE)
    b_count = round(len(buyers) * (TIER_A_SHARE + TIER_B_SHARE))
    for customer in customers:
        customer.tier = "C"
    for rank, customer in enumerate(buyers):
        customer.tier = "A" if rank < a_count else "B" if rank < b_count else "C"


def assign_status(customers: list[CustomerSeed], calendar: Calendar) -> None:
    """Active buyers, dormant ones, leads still being worked, and leads given up on."""
    year_ago = calendar.today_index - 365
    half_year_ago = calendar.today_index - 182
    for customer in customers:
        if customer.won:
            recent = customer.last_won >= year_ago or customer.open > 0
            live = customer.active_until >= half_year_ago
            customer.status = "active" if recent and live else "dormant"
        elif customer.lost and not customer.open and customer.last_deal < half_year_ago:
            customer.status = "lost"
        else:
            customer.status = "lead"


def customer_rows(customers: list[CustomerSeed], calendar: Calendar) -> TableRows:
    rows = []
    for customer in customers:
        rows.append((
            customer.id, customer.created_at, customer.created_at, 1, customer.name,
            customer.kind, customer.industry, customer.region, customer.city, customer.owner.id,
            customer.status, customer.tier, customer.contact_name, customer.phone,
            customer.email, calendar.index(customer.birthday) if customer.birthday else None,
            customer.source, customer.preferences, customer.notes, customer.last_contact,
        ))  # fmt: skip
    return TableRows("customers", COLUMNS, rows)
