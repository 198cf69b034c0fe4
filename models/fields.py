"""Checks the form families share: text lengths, email, phone, money, days not yet come.

Each raises FieldProblem with a translatable message; `services.validation.build` turns it
into the ValidationError the page shows. Validators read the office's today from the
validation context (`{"today": date}`), so "in the future" means the office's future.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationInfo

from models.base import N_, FieldProblem

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Digits with the separators people type: +86 (21) 5555-0101, 138 0000 0000, 0755-1234 转 8.
PHONE_PATTERN = re.compile(r"^[0-9+() .\-/#转xX]+$")
PHONE_MIN_DIGITS = 5
MINOR_UNITS = 100
# Above a trillion yuan an amount is a typing mistake, and past what BIGINT fen can hold.
MAX_MAJOR_UNITS = Decimal(10) ** 12


def optional_text(value: object, limit: int) -> str | None:
    """Trimmed text, None when empty; FieldProblem when over `limit` characters."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise FieldProblem(N_("Use at most {limit} characters."), limit=limit)
    return text or None


def required_text(value: object, limit: int, empty_msgid: str) -> str:
    text = optional_text(value, limit)
    if text is None:
        raise FieldProblem(empty_msgid)
    return text


def optional_email(value: object) -> str | None:
    text = optional_text(value, 254)
    if text is not None and not EMAIL_PATTERN.match(text):
        raise FieldProblem(N_("Enter a valid email address, like name@example.com."))
    return text


def optional_phone(value: object) -> str | None:
    text = optional_text(value, 40)
    if text is not None and (
        not PHONE_PATTERN.match(text) or sum(c.isdigit() for c in text) < PHONE_MIN_DIGITS
    ):
        raise FieldProblem(N_("Enter a phone number: digits, spaces, + - ( )."))
    return text


def minor_units(value: object) -> int:
    """An amount typed in yuan (or dollars) as integer fen (cents); FieldProblem if it is
    not a number, negative, finer than a fen or absurdly large."""
    if isinstance(value, bool):
        raise FieldProblem(N_("Enter the amount as a number, like 12500.50."))
    try:
        amount = Decimal(str(value if value is not None else "").strip().replace(",", ""))
    except InvalidOperation:
        raise FieldProblem(N_("Enter the amount as a number, like 12500.50.")) from None
    if not amount.is_finite():
        raise FieldProblem(N_("Enter the amount as a number, like 12500.50."))
    if amount < 0:
        raise FieldProblem(N_("The amount cannot be negative."))
    if amount >= MAX_MAJOR_UNITS:
        raise FieldProblem(N_("The amount is too large."))
    minor = amount * MINOR_UNITS
    if minor != minor.to_integral_value():
        raise FieldProblem(N_("Use at most two decimal places."))
    return int(minor)


def today(info: ValidationInfo) -> date:
    """The office's today from the validation context, else the machine's."""
    context = info.context or {}
    return context.get("today") or date.today()


def not_after_today(value: date | None, info: ValidationInfo) -> date | None:
    if value is not None and value > today(info):
        raise FieldProblem(N_("This date is in the future."))
    return value
