"""The one place that turns a service error into a message in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st

from services.access import Actor
from services.errors import RepboardError
from ui import format as fmt
from ui import runtime
from ui.i18n import t

P = ParamSpec("P")
R = TypeVar("R")


def message(error: RepboardError) -> str:
    params = {
        name: fmt.moment(value) if isinstance(value, datetime) else value
        for name, value in error.params.items()
    }
    return t(error.msgid, **params)


def attempt(
    service: Callable[Concatenate[Any, Actor, P], R], *args: P.args, **kwargs: P.kwargs
) -> tuple[bool, R | None]:
    """Call a service for the logged-in user; an error is shown as a message.

    Returns (succeeded, result).
    """
    try:
        return True, runtime.call(service, *args, **kwargs)
    except RepboardError as error:
        st.error(message(error), icon="⚠️")
        return False, None
