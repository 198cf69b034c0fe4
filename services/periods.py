"""Reporting periods: months, fiscal quarters and years, custom ranges, and their URL form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.base import N_
from models.enums import PeriodKind
from services.errors import ValidationError

__all__ = ["Period", "PeriodKind", "containing", "custom", "from_query", "to_query", "today_in"]

MAX_YEARS = 5


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """An inclusive range of days of one kind; quarters and years follow the fiscal year."""

    kind: PeriodKind
    start: date
    end: date
    fiscal_start_month: int = 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period of the same kind just before; a custom range of the same length."""
        if self.kind == PeriodKind.CUSTOM:
            end = self.start - timedelta(days=1)
            return Period(
                self.kind, end - timedelta(days=self.days - 1), end, self.fiscal_start_month
            )
        return containing(self.kind, self.start - timedelta(days=1), self.fiscal_start_month)

    def elapsed_days(self, today: date) -> int:
        """Days of the period gone by the end of `today`: 0 before it starts, all after."""
        return min(max((today - self.start).days + 1, 0), self.days)

    def comparison(self, today: date) -> Period:
        """What the period is measured against: a running one (`today` inside it) against the
        same number of days from the previous period's start, cut at that period's end when
        it is shorter (so on 31 March, all of February: 1–28 or 29 February); a finished or
        future one against the whole previous period. The cut span is a custom range."""
        before = self.previous()
        if not self.contains(today):
            return before
        end = min(before.start + timedelta(days=self.elapsed_days(today) - 1), before.end)
        if end == before.end:
            return before
        return Period(PeriodKind.CUSTOM, before.start, end, self.fiscal_start_month)

    def year_before(self) -> Period:
        """The same span one year earlier (29 February becomes 28 February)."""
        return Period(
            self.kind,
            _minus_a_year(self.start),
            _minus_a_year(self.end),
            self.fiscal_start_month,
        )

    def month_starts(self) -> list[date]:
        """The first day of every month the period touches."""
        months = []
        first = self.start.replace(day=1)
        while first <= self.end:
            months.append(first)
            first = _add_months(first, 1)
        return months

    def utc_bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC instants: the period's days are the office's days."""
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def today_in(zone: ZoneInfo) -> date:
    """Today's date in the office's time zone."""
    return datetime.now(zone).date()


def _minus_a_year(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def fiscal_year_start(day: date, fiscal_start_month: int) -> date:
    year = day.year if day.month >= fiscal_start_month else day.year - 1
    return date(year, fiscal_start_month, 1)


def containing(kind: PeriodKind, day: date, fiscal_start_month: int = 1) -> Period:
    """The month, fiscal quarter or fiscal year that holds `day`."""
    if kind == PeriodKind.MONTH:
        first = day.replace(day=1)
        return Period(kind, first, _month_end(first), fiscal_start_month)
    year_start = fiscal_year_start(day, fiscal_start_month)
    if kind == PeriodKind.YEAR:
        return Period(
            kind, year_start, _add_months(year_start, 12) - timedelta(days=1), fiscal_start_month
        )
    if kind == PeriodKind.QUARTER:
        months_in = (day.year - year_start.year) * 12 + day.month - year_start.month
        first = _add_months(year_start, months_in // 3 * 3)
        return Period(kind, first, _add_months(first, 3) - timedelta(days=1), fiscal_start_month)
    raise ValueError(kind)


def custom(start: date, end: date, fiscal_start_month: int = 1) -> Period:
    """A custom range; ValidationError when it ends before it starts or spans over 5 years."""
    if end < start:
        raise ValidationError(N_("The end date is before the start date."), field="end")
    if end >= _add_months(start.replace(day=1), 12 * MAX_YEARS) + timedelta(days=start.day - 1):
        raise ValidationError(N_("A period can be at most 5 years long."), field="end")
    return Period(PeriodKind.CUSTOM, start, end, fiscal_start_month)


def fiscal_quarter_number(period: Period) -> int:
    year_start = fiscal_year_start(period.start, period.fiscal_start_month)
    months_in = (period.start.year - year_start.year) * 12 + period.start.month - year_start.month
    return months_in // 3 + 1


# URL query parameters that carry the period, so a copied link opens the same view.
KIND_PARAM = "period"
FROM_PARAM = "from"
TO_PARAM = "to"


def to_query(period: Period) -> dict[str, str]:
    query = {KIND_PARAM: period.kind.value, FROM_PARAM: period.start.isoformat()}
    if period.kind == PeriodKind.CUSTOM:
        query[TO_PARAM] = period.end.isoformat()
    return query


def _parse_day(text: str | None, field: str) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValidationError(N_("This is not a date: use YYYY-MM-DD."), field=field) from None


def from_query(query: Mapping[str, str], today: date, fiscal_start_month: int = 1) -> Period:
    """The period a URL names; the current month when it names none.

    ValidationError for an unknown kind, a malformed date or a bad custom range.
    """
    kind_text = query.get(KIND_PARAM)
    if not kind_text:
        return containing(PeriodKind.MONTH, today, fiscal_start_month)
    if kind_text not in {kind.value for kind in PeriodKind}:
        raise ValidationError(N_("Unknown kind of period."), field=KIND_PARAM)
    kind = PeriodKind(kind_text)
    start = _parse_day(query.get(FROM_PARAM), FROM_PARAM) if query.get(FROM_PARAM) else today
    if kind == PeriodKind.CUSTOM:
        return custom(start, _parse_day(query.get(TO_PARAM), TO_PARAM), fiscal_start_month)
    return containing(kind, start, fiscal_start_month)
