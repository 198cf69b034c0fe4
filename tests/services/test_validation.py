"""services.validation.build: a model built from form input, or our ValidationError naming the
bad field with a translatable message, and never the typed input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from models.base import N_
from models.enums import OwnerKind, PeriodKind
from models.goals import GoalCreate, TargetRule
from models.users import UserCreate, UserFields
from services.errors import ValidationError
from services.i18n import translate
from services.validation import build

MONEY = {"target_rule": TargetRule(money=True)}
SCORE = {"target_rule": TargetRule(multiplier=100, scale=(Decimal(1), Decimal(5)))}


def _goal(**changes: object) -> dict[str, Any]:
    return {
        "owner_kind": OwnerKind.COMPANY, "owner_id": None, "metric_key": "revenue",
        "target": "50,000", "period_kind": PeriodKind.CUSTOM, "period_start": date(2026, 1, 1),
        "period_end": date(2026, 3, 31), "title": "  Q1 revenue ",
    } | changes  # fmt: skip


def _refused(model: type, data: dict[str, Any], context: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        build(model, data, context=context)
    error = raised.value
    # Only our own message leaves: pydantic's chained error would keep the input.
    assert error.__cause__ is None and error.__suppress_context__
    return error


def test_good_input_becomes_the_model_with_the_validators_applied() -> None:
    goal = build(GoalCreate, _goal(), context=MONEY)
    assert isinstance(goal, GoalCreate)
    assert (goal.title, goal.target) == ("Q1 revenue", 5_000_000)


def test_a_field_problem_names_its_field_and_carries_its_values() -> None:
    error = _refused(GoalCreate, _goal(target="abc"), MONEY)
    assert (error.field, error.msgid, error.params) == (
        "target", "Enter the amount as a number, like 12500.50.", {}
    )  # fmt: skip
    scale = _refused(GoalCreate, _goal(target="9"), SCORE)
    assert (scale.field, scale.params) == ("target", {"low": "1", "high": "5"})
    assert translate("zh_CN", scale.msgid, **scale.params) != scale.msgid


def test_a_check_across_fields_names_the_field_it_blames() -> None:
    error = _refused(GoalCreate, _goal(period_end=date(2025, 12, 1)), MONEY)
    assert (error.field, error.msgid) == ("period_end", "The end date is before the start date.")


def test_a_plain_value_error_keeps_its_msgid_on_its_field_or_on_none() -> None:
    role = _refused(UserFields, {"display_name": "Li", "role": "wizard"})
    assert (role.field, role.msgid) == ("role", "Unknown role.")
    # A model-level check has no field of its own.
    unlinked = _refused(UserFields, {"display_name": "Li", "role": "rep"})
    assert (unlinked.field, unlinked.msgid) == (
        None, "A user with the rep role must be linked to a rep."
    )  # fmt: skip
    assert translate("zh_CN", unlinked.msgid) != unlinked.msgid


def test_pydantic_s_own_errors_become_one_translated_message() -> None:
    error = _refused(GoalCreate, _goal(period_start="not a day"), MONEY)
    assert (error.field, error.msgid) == ("period_start", N_("This value is not valid."))
    assert translate("zh_CN", error.msgid) != error.msgid
    missing = _refused(GoalCreate, {k: v for k, v in _goal().items() if k != "metric_key"}, MONEY)
    assert missing.field == "metric_key"


def test_a_refused_password_is_not_in_the_error() -> None:
    password = "  secret-with-spaces  "
    error = _refused(UserCreate, {"display_name": "Li", "role": "admin", "username": "li",
                                  "password": password})  # fmt: skip
    assert (error.field, error.msgid) == (
        "password", "The password must not start or end with a space."
    )  # fmt: skip
    assert password.strip() not in repr(vars(error)) + str(error) + repr(error.args)
