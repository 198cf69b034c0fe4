"""The app's settings (Setting rows) with their defaults, and the admin's way to change one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import Setting
from models.base import N_, utcnow
from models.enums import Role
from services.access import Actor, require_role
from services.errors import Conflict, StaleEdit, ValidationError
from services.periods import today_in
from services.unit_of_work import unit_of_work

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
    # Whose places a rep sees on the leaderboard: "everyone", "team" (their team's, ranked
    # within it) or "self" (their own row, ranked among everyone).
    "leaderboard_visibility": "team",
    # Minutes without a page view after which a login session ends (12 hours at most anyway).
    "session_idle_minutes": 30,
}
LEADERBOARD_VISIBILITIES = ("everyone", "team", "self")


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


def session_idle_timeout(session: Session) -> timedelta:
    return timedelta(minutes=int(get_value(session, "session_idle_minutes")))


def leaderboard_visibility(session: Session) -> str:
    stored = str(get_value(session, "leaderboard_visibility"))
    return stored if stored in LEADERBOARD_VISIBILITIES else DEFAULTS["leaderboard_visibility"]


# ---- Changing a setting ----


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValidationError(N_("Choose one of the offered values."), field="value")
        return value

    return check


# The settings an admin may change here, each with the check its value must pass.
EDITABLE: dict[str, Callable[[Any], Any]] = {
    "leaderboard_visibility": _one_of(LEADERBOARD_VISIBILITIES),
}


@dataclass(frozen=True)
class StoredSetting:
    key: str
    value: Any
    # None while the default holds: no row was ever stored.
    version: int | None


def stored(session: Session, key: str) -> StoredSetting:
    """A setting's value (its default when none is stored) and the version an edit names."""
    row = session.get(Setting, key)
    if row is None:
        return StoredSetting(key, DEFAULTS[key], None)
    return StoredSetting(key, row.value, row.version)


def set_value(
    session: Session, actor: Actor, *, key: str, value: Any, version: int | None = None
) -> StoredSetting:
    """Store `value` for the setting `key`, admins only (PermissionDenied otherwise).

    `version` is the one the admin saw (None: the default, nothing stored yet); a setting
    changed since is refused with StaleEdit. ValidationError for a key that cannot be set
    here or a value it does not take; nothing is written then. Audited with the values
    before and after; every cached read sees the new value at once.
    """
    require_role(session, actor, Role.ADMIN, action="setting.update", entity="settings")
    check = EDITABLE.get(key)
    if check is None:
        raise ValidationError(N_("Unknown setting: {key}."), field="key", key=key)
    checked = check(value)
    try:
        with unit_of_work(session, actor) as uow:
            row = session.get(Setting, key, with_for_update=True, populate_existing=True)
            before = None if row is None else row.value
            if (None if row is None else row.version) != version:
                raise StaleEdit()
            if row is None:
                row = Setting(key=key, value=checked)
            elif before != checked:
                row.value, row.version, row.updated_at = checked, row.version + 1, utcnow()
            else:
                return StoredSetting(key, before, row.version)
            session.add(row)
            session.flush()
            # Settings change what pages show: cached reads must not outlive them.
            uow.changed_data = True
            uow.audit(
                "setting.update",
                entity="settings",
                before=None if before is None else {"key": key, "value": before},
                after={"key": key, "value": checked},
            )
    except Conflict:
        # Another admin stored the first value of this setting a moment earlier.
        raise StaleEdit() from None
    finally:
        session.info.pop("settings", None)
    return StoredSetting(key, checked, row.version)
