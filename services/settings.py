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
    # RFM over won deals of the last 12 months: a customer is A (else B) when it meets every
    # threshold of the tier: bought within `recency_days`, at least `frequency` deals, at
    # least `monetary` in minor units. Everyone else is C.
    "tier_rules": {
        "A": {"recency_days": 90, "frequency": 3, "monetary": 20_000_000},
        "B": {"recency_days": 180, "frequency": 1, "monetary": 2_000_000},
    },
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


def sla_days(session: Session) -> dict[str, int]:
    """Days to resolve a complaint, by severity (a stored setting may give only some)."""
    stored = get_value(session, "sla_days")
    return {severity: int(days) for severity, days in (DEFAULTS["sla_days"] | stored).items()}


def tier_rules(session: Session) -> dict[str, dict[str, int]]:
    return {
        tier: {name: int(value) for name, value in rule.items()}
        for tier, rule in get_value(session, "tier_rules").items()
    }


def office_today(session: Session) -> date:
    """Today where the office is: period bounds, "overdue" and "upcoming" follow it."""
    return today_in(timezone(session))
