"""Every number, amount and date a user sees is formatted here, for their locale.

One rule for amounts: tiles and chart axes take the short form (`short`: CN¥5.91M, ¥591.17万),
table cells whole currency units (`whole`: CN¥5,911,700), and tooltips, help and amounts whose
cents matter (statements, payouts) the full value (CN¥5,911,700.42).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, dates, numbers

from services import periods
from services.metrics import Unit
from services.periods import Period, PeriodKind
from ui import runtime
from ui.i18n import current_locale, t

MISSING = "—"
# Short forms keep two decimals of their unit: CN¥123.46K, ¥12.35万.
SHORT_DIGITS = 2


def number(
    value: float | int | Decimal | None,
    digits: int = 0,
    *,
    signed: bool = False,
    short: bool = False,
) -> str:
    """`value` grouped for the locale; `short` to fit a tile or an axis: 12.35K, 1.23万."""
    if value is None:
        return MISSING
    if short:
        locale = Locale.parse(current_locale())
        shown = _rounded_as_shown(Decimal(value), locale.compact_decimal_formats["short"])
        return numbers.format_compact_decimal(shown, locale=locale, fraction_digits=SHORT_DIGITS)
    pattern = f"#,##0.{'0' * digits}" if digits else "#,##0"
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return numbers.format_decimal(value, format=pattern, locale=current_locale())


def money(
    minor_units: int | None,
    currency: str | None = None,
    *,
    short: bool = False,
    whole: bool = False,
) -> str:
    """Minor units (fen, cents) as money in the settings' currency unless one is given: the
    full value, `short` for tiles and axes, `whole` units for table cells (see the rule above)."""
    if minor_units is None:
        return MISSING
    amount, code = Decimal(minor_units) / 100, currency or runtime.currency()
    locale = Locale.parse(current_locale())
    if short:
        shown = _rounded_as_shown(amount, locale.compact_currency_formats["short"])
        return numbers.format_compact_currency(
            shown, code, locale=locale, fraction_digits=SHORT_DIGITS
        )
    if whole:
        # The locale's own pattern without its decimals, rounded as a person would.
        pattern = re.sub(r"\.0+", "", locale.currency_formats["standard"].pattern)
        units = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return numbers.format_currency(
            units, code, format=pattern, locale=locale, currency_digits=False
        )
    return numbers.format_currency(amount, code, locale=locale)


def _rounded_as_shown(
    value: Decimal, compact: Mapping[str, Mapping[str, numbers.NumberPattern]]
) -> Decimal:
    """`value` rounded where its short form rounds it: Babel picks the unit (K, 万) before it
    rounds, so 999,999 would read "1000K"; rounded first it reads "1M"."""
    patterns = compact["other"]
    for magnitude in sorted((int(key) for key in patterns), reverse=True):
        if abs(value) >= magnitude:
            pattern = patterns[str(magnitude)].pattern
            if pattern == "0":  # not shortened at this size (Chinese thousands)
                return value
            unit = Decimal(magnitude // 10 ** (pattern.count("0") - 1))
            places = Decimal(10) ** -SHORT_DIGITS
            return (value / unit).quantize(places, rounding=ROUND_HALF_UP) * unit
    return value


def tile_value(unit: Unit, value: float | None) -> tuple[str, str | None]:
    """A tile's value in the short form, and the full value for its help when the short form
    leaves digits out (None when both read the same)."""
    short, full = metric_value(unit, value, short=True), metric_value(unit, value)
    return short, (None if full == short else full)


def percent(ratio: float | None, *, signed: bool = False) -> str:
    if ratio is None:
        return MISSING
    pattern = "+#,##0.0%;-#,##0.0%" if signed else "#,##0.0%"
    return numbers.format_percent(ratio, format=pattern, locale=current_locale())


def day(value: date | None) -> str:
    if value is None:
        return MISSING
    return dates.format_date(value, format="medium", locale=current_locale())


def days(start: date, end: date) -> str:
    """A short span of days without its year, for a caption: "Nov 1", "Nov 1 – 15",
    "11月1日至15日"."""
    if start == end:
        return dates.format_skeleton("MMMd", start, locale=current_locale())
    return dates.format_interval(start, end, "MMMd", locale=current_locale())


def moment(value: datetime | None) -> str:
    """A stored (UTC) time in the office's zone, which says so when the viewer's browser is in
    another: "Dec 1, 2026, 2:30:00 PM (China Time)"."""
    if value is None:
        return MISSING
    office, locale = runtime.office_zone(), current_locale()
    shown = dates.format_datetime(value, format="medium", tzinfo=office, locale=locale)
    viewer = runtime.viewer_zone()
    if viewer is None or viewer.utcoffset(value) == office.utcoffset(value):
        return shown
    zone = dates.get_timezone_name(office, width="long", locale=locale)
    return t("{moment} ({zone})", moment=shown, zone=zone)


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


def metric_value(
    unit: Unit, value: float | None, *, short: bool = False, whole: bool = False
) -> str:
    """A metric's value in its unit: money (`short` for tiles and axes, `whole` for table
    cells), count (`short` too), percent, score or days."""
    if value is None:
        return MISSING
    if unit == Unit.MONEY:
        return money(round(value), short=short, whole=whole)
    if unit == Unit.RATIO:
        return percent(value)
    if unit == Unit.SCORE:
        return number(value, 1)
    if unit == Unit.DAYS:
        return t("{days} days", days=number(value, 1))
    return number(value, short=short)
