"""The app's settings (Setting rows) with their defaults; admins edit them in a later issue."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models import Setting

DEFAULTS: dict[str, Any] = {
    "currency": "CNY",
}


def get_value(session: Session, key: str) -> Any:
    """The stored value of `key`, or its default."""
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def currency(session: Session) -> str:
    return str(get_value(session, "currency"))
