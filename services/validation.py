"""Validate form input by building the model family's `...Create`/`...Update` object."""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from sqlmodel import SQLModel

from models.base import N_, FieldProblem
from services.errors import ValidationError

ModelT = TypeVar("ModelT", bound=SQLModel)


def build(
    model: type[ModelT], data: dict[str, Any], *, context: dict[str, Any] | None = None
) -> ModelT:
    """Return `model(**data)`, or raise our ValidationError for the first bad field.

    `context` reaches the validators (for example the office's today). Pydantic's own
    error keeps the input, which may be a password: only our message and the field name
    leave this function.
    """
    try:
        return model.model_validate(data, context=context)
    except pydantic.ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else None
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, FieldProblem):
            raise ValidationError(cause.msgid, field=cause.field or field, **cause.params) from None
        msgid = str(cause) if isinstance(cause, ValueError) else N_("This value is not valid.")
        raise ValidationError(msgid, field=field) from None
