"""Every number, amount and date a user sees is formatted here, for their locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates, numbers

from ui import runtime
from ui.i18n import current_locale

# Times are stored in UTC and shown in the office's zone.
DISPLAY_TIMEZONE = ZoneInfo("Asia/Shanghai")
MISSING = "—"


def number(value: float | int | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return MISSING
    return numbers.format_decimal(
        value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=current_locale()
    )


def money(minor_units: int | None, currency: str | None = None) -> str:
    """Minor units (fen, cents) as money in the settings' currency unless one is given."""
    if minor_units is None:
        return MISSING
    return numbers.format_currency(
        Decimal(minor_units) / 100, currency or runtime.currency(), locale=current_locale()
    )


def percent(ratio: float | None) -> str:
    if ratio is None:
        return MISSING
    return numbers.format_percent(ratio, format="#,##0.0%", locale=current_locale())


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
