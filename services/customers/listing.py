"""The customers list: search, filters, sorting and paging, all in SQL, within the actor's scope.

A rep sees their own customers, a manager their teams', an admin everyone's. The large data
set has 100,000 customers: a page is LIMIT/OFFSET and the total a COUNT, never a whole load.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from models import Customer, Rep
from models.enums import CustomerKind, CustomerStatus, Tier
from services import settings
from services.access import Actor, rep_scope, require_rep
from services.customers.attention import has_birthday_soon, is_quiet
from services.metrics.sql import local_date_of

SortKey = Literal["name", "tier", "owner", "last_contact", "created"]
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)
PAGE_SIZES = (25, 50, 100)
MAX_PAGE_SIZE = max(PAGE_SIZES)
# One export holds at most this many rows (the page says so when a list is longer). The
# XLSX writer (openpyxl) is the bound: about 30,000 cells a second, so 20,000 rows of 13
# columns take some 9 s to write; 100,000 would take over a minute. A manager's whole team
# (about 5,500 customers in the large data set) fits easily.
EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class CustomerFilters:
    """What the list is narrowed to; None or empty means "any"."""

    search: str = ""
    tier: Tier | None = None
    status: CustomerStatus | None = None
    owner_rep_id: int | None = None
    industry: str | None = None
    region: str | None = None
    # Not contacted within the tier's contact interval (as on Home).
    quiet: bool = False
    # Birthday today or in the next six days (as on Home).
    birthday_soon: bool = False
    # Archived customers are left out unless asked for; then they are listed with the others.
    with_archived: bool = False


@dataclass(frozen=True)
class CustomerSort:
    key: SortKey = "name"
    descending: bool = False


@dataclass(frozen=True)
class FilterChoices:
    """What the filter boxes offer: only values found within the actor's scope."""

    owners: list[tuple[int, str]]
    industries: list[str]
    regions: list[str]


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One customer as the list and its export show it. `tier` is the effective one (the
    override if set); `owner` is the owner's name."""

    id: int
    name: str
    kind: CustomerKind
    contact_name: str | None
    phone: str | None
    email: str | None
    tier: Tier | None
    status: CustomerStatus
    owner_rep_id: int
    owner: str
    industry: str | None
    region: str | None
    city: str | None
    last_contact_on: date | None
    created_on: date
    archived_at: datetime | None


ROW_FIELDS = tuple(field.name for field in fields(CustomerRow))


def _effective_tier() -> Any:
    # A manual override wins over the computed tier.
    return sa.func.coalesce(col(Customer.tier_override), col(Customer.tier))


def _conditions(session: Session, actor: Actor, filters: CustomerFilters) -> list[Any]:
    """WHERE terms for the filters within the actor's scope; PermissionDenied for an owner
    filter outside it."""
    where: list[Any] = []
    if filters.owner_rep_id is not None:
        require_rep(session, actor, filters.owner_rep_id, action="customer.list")
        where.append(col(Customer.owner_rep_id) == filters.owner_rep_id)
    elif (scope := rep_scope(session, actor)) is not None:
        where.append(col(Customer.owner_rep_id).in_(sorted(scope)))
    if not filters.with_archived:
        where.append(col(Customer.archived_at).is_(None))
    text = filters.search.strip()
    if text:
        columns = (col(Customer.name), col(Customer.contact_name), col(Customer.phone))
        where.append(sa.or_(*(_folded_contains(column, text) for column in columns)))
    if filters.tier is not None:
        where.append(_effective_tier() == filters.tier)
    if filters.status is not None:
        where.append(col(Customer.status) == filters.status)
    if filters.industry is not None:
        where.append(col(Customer.industry) == filters.industry)
    if filters.region is not None:
        where.append(col(Customer.region) == filters.region)
    if filters.quiet or filters.birthday_soon:
        today = settings.office_today(session)
        if filters.quiet:
            where.append(is_quiet(today, settings.tier_contact_days(session)))
        if filters.birthday_soon:
            where.append(has_birthday_soon(today))
    return where


def _folded_contains(column: Any, text: str) -> Any:
    """`column` contains `text`, ignoring case; % and _ typed by the user are literal.

    lower() LIKE on both databases: on PostgreSQL it scans three times faster than ILIKE.
    """
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return sa.func.lower(column).like(sa.func.lower(f"%{escaped}%"), escape="/")


def _customer_rows(result: Any) -> list[CustomerRow]:
    # The columns come in the fields' order, checked once: built by position, since a
    # mapping per row doubles the time of a large export.
    assert tuple(result.keys()) == ROW_FIELDS, "the query's columns are CustomerRow's fields"
    return [CustomerRow(*row) for row in result]


def _order(sort: CustomerSort) -> list[Any]:
    column = {
        "name": col(Customer.name),
        "tier": _effective_tier(),
        "owner": col(Rep.name),
        "last_contact": col(Customer.last_contact_on),
        "created": col(Customer.created_at),
    }[sort.key]
    ordered = column.desc() if sort.descending else column.asc()
    if sort.key in {"tier", "last_contact"}:
        # No tier sorts after C, never contacted before the oldest contact, on both
        # databases (they disagree on where NULL goes by default).
        nulls_first = (sort.key == "last_contact") != sort.descending
        ordered = ordered.nulls_first() if nulls_first else ordered.nulls_last()
    # The id breaks ties, so a row never shows on two pages.
    return [ordered, col(Customer.id)]


def _rows_query(session: Session, sort: CustomerSort) -> Any:
    return (
        select(
            col(Customer.id).label("id"),
            col(Customer.name).label("name"),
            col(Customer.kind).label("kind"),
            col(Customer.contact_name).label("contact_name"),
            col(Customer.phone).label("phone"),
            col(Customer.email).label("email"),
            _effective_tier().label("tier"),
            col(Customer.status).label("status"),
            col(Customer.owner_rep_id).label("owner_rep_id"),
            col(Rep.name).label("owner"),
            col(Customer.industry).label("industry"),
            col(Customer.region).label("region"),
            col(Customer.city).label("city"),
            col(Customer.last_contact_on).label("last_contact_on"),
            local_date_of(col(Customer.created_at), settings.timezone(session)).label("created_on"),
            col(Customer.archived_at).label("archived_at"),
        )
        .join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
        .order_by(*_order(sort))
    )


def list_customers(
    session: Session,
    actor: Actor,
    *,
    filters: CustomerFilters,
    sort: CustomerSort,
    page: int = 1,
    page_size: int = PAGE_SIZES[0],
) -> tuple[list[CustomerRow], int]:
    """One page (1-based) of the filtered customers in the actor's scope, and how many match.

    A page past the end is empty; `page_size` is held to 1..MAX_PAGE_SIZE. The tier is the
    effective one (the override if set). PermissionDenied if the owner filter names a rep
    outside the actor's scope.
    """
    where = _conditions(session, actor, filters)
    total = int(session.exec(select(func.count()).select_from(Customer).where(*where)).one())
    size = min(max(page_size, 1), MAX_PAGE_SIZE)
    offset = (max(page, 1) - 1) * size
    if offset >= total:
        # Nothing to read; also spares SQLite a walk of the whole name index for no match.
        return [], total
    # The page is found on the ids alone and only its rows are read in full: sorting and
    # skipping narrow rows is several times faster on SQLite than carrying every column.
    page_ids = select(col(Customer.id)).where(*where).order_by(*_order(sort))
    if sort.key == "owner":
        page_ids = page_ids.join(Rep, col(Rep.id) == col(Customer.owner_rep_id))
    page_ids = page_ids.limit(size).offset(offset)
    query = _rows_query(session, sort).where(col(Customer.id).in_(page_ids.scalar_subquery()))
    return _customer_rows(session.exec(query)), total


def export_rows(
    session: Session, actor: Actor, *, filters: CustomerFilters, sort: CustomerSort
) -> list[CustomerRow]:
    """Every filtered customer in the list's order, for a download: the rows of
    `list_customers` without paging, at most EXPORT_LIMIT of them. Same scope and errors."""
    query = _rows_query(session, sort).where(*_conditions(session, actor, filters))
    return _customer_rows(session.exec(query.limit(EXPORT_LIMIT)))


def filter_choices(session: Session, actor: Actor) -> FilterChoices:
    """Owners (reps in scope, by name), and the industries and regions of the customers in
    scope, archived ones included."""
    scope = rep_scope(session, actor)
    reps = select(Rep.id, Rep.name).order_by(col(Rep.name), col(Rep.id))
    # One DISTINCT over the (industry, region) pairs: a single scan of the customers, half
    # the time of one per column (a few dozen pairs in the large data set).
    places = select(col(Customer.industry), col(Customer.region)).distinct()
    if scope is not None:
        reps = reps.where(col(Rep.id).in_(sorted(scope)))
        places = places.where(col(Customer.owner_rep_id).in_(sorted(scope)))
    pairs = session.exec(places).all()
    return FilterChoices(
        owners=[(rep_id, name) for rep_id, name in session.exec(reps).all() if rep_id is not None],
        industries=sorted({industry for industry, _region in pairs if industry}),
        regions=sorted({region for _industry, region in pairs if region}),
    )
