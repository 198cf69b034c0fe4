"""The form families refuse bad input with the message the page shows (no database needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import SQLModel

from models.customers import (
    ComplaintResolve,
    CustomerCreate,
    InteractionCreate,
    SurveyCreate,
    TierOverrideIn,
)
from models.deals import DealCreate
from models.users import UserCreate
from services.errors import ValidationError
from services.validation import build

TODAY = date(2026, 11, 23)
CONTEXT = {
    "today": TODAY,
    "zone": ZoneInfo("Asia/Shanghai"),
    "now": datetime(2026, 11, 23, 3, 0, tzinfo=UTC),
}
CUSTOMER = {"name": "Acme", "owner_rep_id": 1}
DEAL = {"customer_id": 1, "rep_id": 1, "title": "Ten pumps"}
CALL = {"occurred_at": datetime(2026, 11, 22, 17, 0, tzinfo=UTC), "channel": "call"}


def refusal(model: type[SQLModel], data: dict[str, Any]) -> tuple[str | None, str, dict]:
    with pytest.raises(ValidationError) as caught:
        build(model, data, context=CONTEXT)
    return caught.value.field, caught.value.msgid, caught.value.params


@pytest.mark.parametrize(
    ("data", "field", "msgid"),
    [
        ({"name": "  "}, "name", "Enter the customer's name."),
        ({"email": "ann@"}, "email", "Enter a valid email address, like name@example.com."),
        ({"phone": "call me"}, "phone", "Enter a phone number: digits, spaces, + - ( )."),
        ({"phone": "12-34"}, "phone", "Enter a phone number: digits, spaces, + - ( )."),
        ({"birthday": date(2026, 11, 24)}, "birthday", "The birthday cannot be in the future."),
    ],
)
def test_customer_refusals(data: dict, field: str, msgid: str) -> None:
    assert refusal(CustomerCreate, CUSTOMER | data)[:2] == (field, msgid)


def test_a_long_name_says_the_limit() -> None:
    assert refusal(CustomerCreate, CUSTOMER | {"name": "x" * 201}) == (
        "name",
        "Use at most {limit} characters.",
        {"limit": 200},
    )


def test_formula_and_markup_names_are_kept_as_typed() -> None:
    for name in ['=HYPERLINK("http://x","y")', "<script>alert(1)</script>"]:
        assert build(CustomerCreate, CUSTOMER | {"name": name}, context=CONTEXT).name == name


def test_a_birthday_today_and_chinese_phone_pass() -> None:
    customer = build(
        CustomerCreate,
        CUSTOMER | {"birthday": TODAY, "phone": "0755-1234 5678 转 8", "email": " "},
        context=CONTEXT,
    )
    assert (customer.birthday, customer.phone, customer.email) == (
        TODAY,
        "0755-1234 5678 转 8",
        None,
    )


@pytest.mark.parametrize(
    ("typed", "fen"), [("12500.50", 1_250_050), ("1,000", 100_000), (0, 0), ("0.01", 1)]
)
def test_amounts_typed_in_yuan_are_kept_in_fen(typed: object, fen: int) -> None:
    assert build(DealCreate, DEAL | {"amount": typed}, context=CONTEXT).amount == fen


@pytest.mark.parametrize(
    ("typed", "msgid"),
    [
        ("-5", "The amount cannot be negative."),
        ("abc", "Enter the amount as a number, like 12500.50."),
        ("NaN", "Enter the amount as a number, like 12500.50."),
        (True, "Enter the amount as a number, like 12500.50."),
        ("1.005", "Use at most two decimal places."),
        ("1000000000000", "The amount is too large."),
    ],
)
def test_bad_amounts(typed: object, msgid: str) -> None:
    assert refusal(DealCreate, DEAL | {"amount": typed})[:2] == ("amount", msgid)


@pytest.mark.parametrize(
    ("data", "field", "msgid"),
    [
        ({"stage": "won", "amount": "10"}, "closed_on", "A won deal needs its close date."),
        (
            {"stage": "won", "closed_on": TODAY, "amount": "0"},
            "amount",
            "A won deal needs an amount above zero.",
        ),
        ({"stage": "lost", "lost_reason": " "}, "lost_reason", "Say why the deal was lost."),
        (
            {"closed_on": date(2026, 11, 24), "stage": "won"},
            "closed_on",
            "This date is in the future.",
        ),
        ({"probability": 101}, "probability", "The probability is a whole number from 0 to 100."),
    ],
)
def test_deal_stage_rules(data: dict, field: str, msgid: str) -> None:
    assert refusal(DealCreate, DEAL | data)[:2] == (field, msgid)


def test_a_lost_deal_closes_today_and_an_open_one_drops_close_fields() -> None:
    lost = build(DealCreate, DEAL | {"stage": "lost", "lost_reason": "Price"}, context=CONTEXT)
    assert (lost.closed_on, lost.lost_reason) == (TODAY, "Price")
    reopened = build(
        DealCreate,
        DEAL | {"stage": "proposal", "closed_on": TODAY, "lost_reason": "Price"},
        context=CONTEXT,
    )
    assert (reopened.closed_on, reopened.lost_reason) == (None, None)


def test_a_follow_up_before_the_contact_is_refused_in_the_office_zone() -> None:
    # 17:00 UTC on the 22nd is 01:00 on the 23rd in Shanghai: the 22nd is before the contact.
    assert refusal(
        InteractionCreate, CALL | {"summary": "x", "next_follow_up_on": date(2026, 11, 22)}
    )[:2] == ("next_follow_up_on", "The next follow-up cannot be before the contact.")
    same_day = build(
        InteractionCreate,
        CALL | {"summary": "x", "next_follow_up_on": date(2026, 11, 23)},
        context=CONTEXT,
    )
    assert same_day.next_follow_up_on == date(2026, 11, 23)


def test_a_contact_in_the_future_or_without_summary_is_refused() -> None:
    later = {"occurred_at": datetime(2026, 11, 23, 4, 0, tzinfo=UTC)}
    assert refusal(InteractionCreate, CALL | later | {"summary": "x"})[1] == (
        "A contact cannot be logged in the future."
    )
    assert refusal(InteractionCreate, CALL | {"summary": ""})[:2] == (
        "summary",
        "Write what was discussed.",
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [({"score": 0}, "score"), ({"score": 6}, "score"), ({"score": "3"}, "score"),
     ({"score": 3, "nps": 11}, "nps"), ({"score": 3, "nps": -1}, "nps")],
)  # fmt: skip
def test_survey_scales(data: dict, field: str) -> None:
    assert refusal(SurveyCreate, {"surveyed_on": TODAY} | data)[0] == field


def test_an_override_needs_a_reason_and_resolving_needs_text() -> None:
    assert refusal(TierOverrideIn, {"tier": "A"})[:2] == (
        "reason",
        "Give a reason for setting the tier by hand.",
    )
    assert build(TierOverrideIn, {"tier": None, "reason": "old"}).reason is None
    assert refusal(ComplaintResolve, {"resolved_on": TODAY, "resolution": " "})[0] == "resolution"


def test_user_email_uses_the_shared_check() -> None:
    data = {"username": "ann", "password": "long enough pw", "display_name": "Ann",
            "role": "admin", "email": "not-an-email"}  # fmt: skip
    assert refusal(UserCreate, data)[:2] == (
        "email",
        "Enter a valid email address, like name@example.com.",
    )
