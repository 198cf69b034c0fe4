"""Who logs in: users and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from models.base import Editable, enum_column, utcnow
from models.enums import Locale, Role


class User(Editable, table=True):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=128)
    role: Role = Field(sa_type=enum_column(Role))
    locale: Locale = Field(default=Locale.EN, sa_type=enum_column(Locale))
    # users -> reps -> teams -> users is a cycle; this key is added after the tables exist.
    rep_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("reps.id", use_alter=True), unique=True, nullable=True
        ),
    )
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    active: bool = Field(default=True)
    must_change_password: bool = Field(default=False)


class UserSession(Editable, table=True):
    """One login. The browser's cookie is honoured only while this row is open."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    # SHA-256 of what identifies the cookie; the cookie itself is never stored.
    token_id: str = Field(max_length=64, unique=True)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = Field(default=None)
    end_reason: str | None = Field(default=None, max_length=32)
