"""The one place that turns a service error into a message in the user's language."""

from __future__ import annotations

from datetime import datetime

from services.errors import RepboardError
from ui import format as fmt
from ui.i18n import t


def message(error: RepboardError) -> str:
    params = {
        name: fmt.moment(value) if isinstance(value, datetime) else value
        for name, value in error.params.items()
    }
    return t(error.msgid, **params)
