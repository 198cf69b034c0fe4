"""The app's settings as key/value rows (currency, fiscal year start, SLA days, ...)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Editable


class Setting(Editable, table=True):
    __tablename__ = "settings"

    key: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_type=sa.JSON)
