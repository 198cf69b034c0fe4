"""Every number, amount and date a user sees is formatted here, for their locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates, numbers

from services import periods
from services.metrics import Unit
from services.periods import Period, PeriodKind
from ui import runtime
from ui.i18n import current_locale, t

# Times are stored in UTC and shown in the office's zone.
DISPLAY_TIMEZONE = ZoneInfo("Asia/Shanghai")
MISSING = "—"


def number(value: float | int | Decimal | None, digits: int = 0, *, signed: bool = False) -> str:
    if value is None:
        return MISSING
    pattern = f"#,##0.{'0' * digits}" if digits else "#,##0"
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return numbers.format_decimal(value, format=pattern, locale=current_locale())


def money(minor_units: int | None, currency: str | None = None, *, short: bool = False) -> str:
    """Minor units (fen, cents) as money in the settings' currency unless one is given;
    `short` to fit a tile: CN¥5.91M, ¥591.17万."""
    if minor_units is None:
        return MISSING
    amount, code = Decimal(minor_units) / 100, currency or runtime.currency()
    if short:
        return numbers.format_compact_currency(
            amount, code, locale=current_locale(), fraction_digits=2
        )
    return numbers.format_currency(amount, code, locale=current_locale())


def percent(ratio: float | None, *, signed: bool = False) -> str:
    if ratio is None:
        return MISSING
    pattern = "+#,##0.0%;-#,##0.0%" if signed else "#,##0.0%"
    return numbers.format_percent(ratio, format=pattern, locale=current_locale())


def day(value: date | None) -> str:
    if value is None:
        return MISSING
    return dates.format_date(value, format="medium", locale=current_locale())


def moment(value: datetime | None) -> str:
    if value is None:
        return MISSING
    return dates.format_datetime(
        value, format="medium", tzinfo=DISPLAY_TIMEZONE, locale=current_locale()
    )


def period_label(period: Period) -> str:
    """ "November 2026", "Q4 2026", "2026" (or "FY2026/27"), or a date range."""
    locale = current_locale()
    if period.kind == PeriodKind.MONTH:
        return dates.format_skeleton("yMMMM", period.start, locale=locale)
    fiscal = periods.fiscal_year_start(period.start, period.fiscal_start_month).year
    year_label = (
        str(fiscal)
        if period.fiscal_start_month == 1
        else t("FY{start}/{end}", start=fiscal, end=str(fiscal + 1)[-2:])
    )
    if period.kind == PeriodKind.QUARTER:
        number = periods.fiscal_quarter_number(period)
        return t("Q{number} {year}", number=number, year=year_label)
    if period.kind == PeriodKind.YEAR:
        return year_label
    return f"{day(period.start)} – {day(period.end)}"


def metric_value(unit: Unit, value: float | None, *, short: bool = False) -> str:
    """A metric's value in its unit: money (`short` for tiles), count, percent, score or days."""
    if value is None:
        return MISSING
    if unit == Unit.MONEY:
        return money(round(value), short=short)
    if unit == Unit.RATIO:
        return percent(value)
    if unit == Unit.SCORE:
        return number(value, 1)
    if unit == Unit.DAYS:
        return t("{days} days", days=number(value, 1))
    return number(value)
