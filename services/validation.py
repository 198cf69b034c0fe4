"""Validate form input by building the model family's `...Create`/`...Update` object."""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from sqlmodel import SQLModel

from models.base import N_
from services.errors import ValidationError

ModelT = TypeVar("ModelT", bound=SQLModel)


def build(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """Return `model(**data)`, or raise our ValidationError for the first bad field.

    Pydantic's own error keeps the input, which may be a password: only our message
    and the field name leave this function.
    """
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        field = str(first["loc"][0]) if first["loc"] else None
        cause = first.get("ctx", {}).get("error")
        msgid = str(cause) if isinstance(cause, ValueError) else N_("This value is not valid.")
        raise ValidationError(msgid, field=field) from None
