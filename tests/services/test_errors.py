"""Service errors carry a translatable msgid and its placeholder values, nothing else."""

from __future__ import annotations

import pytest

from services import errors
from services.errors import RepboardError, ValidationError
from services.i18n import translate

ERRORS = [
    errors.RepboardError, errors.PermissionDenied, errors.NotFound, errors.StaleEdit,
    errors.ValidationError, errors.LoginFailed, errors.Conflict, errors.SessionEnded,
    errors.DatabaseUnavailable,
]  # fmt: skip


@pytest.mark.parametrize("error_class", ERRORS, ids=lambda kind: kind.__name__)
def test_each_error_says_its_own_translated_message_by_default(
    error_class: type[RepboardError],
) -> None:
    error = error_class()
    assert isinstance(error, RepboardError)
    assert (error.msgid, error.params, str(error)) == (error_class.default_msgid, {}, error.msgid)
    assert translate("zh_CN", error.msgid) != error.msgid


def test_the_messages_are_distinct_so_each_tells_what_happened() -> None:
    assert len({kind.default_msgid for kind in ERRORS}) == len(ERRORS)


def test_a_raised_msgid_keeps_its_placeholder_values_apart_for_the_ui() -> None:
    error = errors.NotFound("Use at most {limit} characters.", limit=40)
    # The message is left unformatted: the ui translates it first, then fills the values in.
    assert (str(error), error.params) == ("Use at most {limit} characters.", {"limit": 40})
    assert translate("zh_CN", error.msgid, **error.params) != translate(
        "en", error.msgid, **error.params
    )
    assert "40" in translate("zh_CN", error.msgid, **error.params)


def test_a_validation_error_names_the_field_it_is_about() -> None:
    bare = ValidationError()
    named = ValidationError("Use at most {limit} characters.", field="title", limit=200)
    assert (bare.field, bare.msgid) == (None, ValidationError.default_msgid)
    assert (named.field, named.params) == ("title", {"limit": 200})
    # The field is not a placeholder value: it never reaches the translated message.
    assert "field" not in named.params
    with pytest.raises(TypeError):
        ValidationError("Enter a title.", "title")  # type: ignore[misc]
