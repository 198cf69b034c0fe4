"""The one place that turns a service error into a message in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import streamlit as st

from services.access import Actor
from services.errors import RepboardError
from ui import format as fmt
from ui import runtime
from ui.i18n import t
from ui.text import plain

P = ParamSpec("P")
R = TypeVar("R")


class Explained(Protocol):
    """A service's reason (an error, a SMART mark, a bulk row's problem): msgid and values."""

    @property
    def msgid(self) -> str: ...

    @property
    def params(self) -> Mapping[str, object]: ...


def message(error: Explained) -> str:
    """The reason as Markdown in the user's language; a text value (a typed name, a link's
    metric) is escaped, so nothing a user or a URL supplied renders as markup."""
    return t(error.msgid, **{name: _shown(value) for name, value in error.params.items()})


def _shown(value: object) -> object:
    if isinstance(value, datetime):
        return fmt.moment(value)
    if isinstance(value, date):
        return fmt.day(value)
    return plain(value) if isinstance(value, str) else value


def show(error: RepboardError) -> None:
    st.error(message(error), icon="⚠️")


def attempt(
    service: Callable[Concatenate[Any, Actor, P], R], *args: P.args, **kwargs: P.kwargs
) -> tuple[bool, R | None]:
    """Call a service for the logged-in user; an error is shown as a message.

    Returns (succeeded, result).
    """
    try:
        return True, runtime.call(service, *args, **kwargs)
    except RepboardError as error:
        show(error)
        return False, None
