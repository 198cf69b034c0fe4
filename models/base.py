"""Columns most tables share, and the column types every model module uses."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so migrations can name what they alter on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def N_(msgid: str) -> str:  # noqa: N802 - gettext's "mark now, translate when shown"
    return msgid


def utcnow() -> datetime:
    """Aware UTC: every timestamp column stores and returns UTC."""
    return datetime.now(UTC)


def enum_column(enum: type[StrEnum], name: str | None = None) -> sa.Enum:
    """Enums are stored as short strings with a CHECK, so adding a value is a plain migration.

    `name` names the CHECK when one table has two columns of the same enum.
    """
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        name=name or enum.__name__.lower(),
    )


def money_column() -> sa.BigInteger:
    """Money in integer minor units (fen, cents)."""
    return sa.BigInteger()


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Editable(Timestamped):
    """An editable row: edits name the version they started from (optimistic locking)."""

    version: int = Field(default=1, nullable=False)


class Archivable(Editable):
    archived_at: datetime | None = Field(default=None)


class FieldProblem(ValueError):
    """A validator's translatable message with the values of its placeholders."""

    def __init__(self, msgid: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        # Names the field when a check across fields finds it wrong.
        self.field = field
        self.params = params
