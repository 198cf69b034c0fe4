"""The app's settings (Setting rows) with their defaults; admins edit them in a later issue."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import Setting
from services.periods import today_in

DEFAULTS: dict[str, Any] = {
    "currency": "CNY",
    # Month (1-12) in which the fiscal year starts; quarters and years follow it.
    "fiscal_year_start_month": 1,
    # Where the office is: period bounds and "today" are taken in this zone.
    "timezone": "Asia/Shanghai",
    # Days without contact after which a customer of the tier counts as quiet.
    "tier_contact_days": {"A": 14, "B": 30, "C": 90},
    # Days to resolve a complaint, by severity.
    "sla_days": {"low": 10, "medium": 5, "high": 2, "critical": 1},
}


def _stored(session: Session) -> dict[str, Any]:
    # All rows in one query, kept for the session: a metric reads several settings per call.
    stored = session.info.get("settings")
    if stored is None:
        rows = session.connection().execute(select(Setting.key, Setting.value))
        stored = {key: value for key, value in rows}
        session.info["settings"] = stored
    return stored


def get_value(session: Session, key: str) -> Any:
    """The stored value of `key`, or its default."""
    return _stored(session).get(key, DEFAULTS[key])


def currency(session: Session) -> str:
    return str(get_value(session, "currency"))


def fiscal_year_start_month(session: Session) -> int:
    return int(get_value(session, "fiscal_year_start_month"))


def timezone(session: Session) -> ZoneInfo:
    return ZoneInfo(str(get_value(session, "timezone")))


def tier_contact_days(session: Session) -> dict[str, int]:
    return {tier: int(days) for tier, days in get_value(session, "tier_contact_days").items()}


def office_today(session: Session) -> date:
    """Today where the office is: period bounds, "overdue" and "upcoming" follow it."""
    return today_in(timezone(session))
