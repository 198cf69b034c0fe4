"""The app's settings as key/value rows, and the data version every write bumps."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import Editable


class Setting(Editable, table=True):
    __tablename__ = "settings"

    key: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_type=sa.JSON)


class DataVersion(SQLModel, table=True):
    """One row whose counter changes with every write: cached reads are keyed by it."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    counter: int = Field(default=0, sa_type=sa.BigInteger())
