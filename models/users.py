"""Who logs in: users and their server-side sessions."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from models.base import N_, Editable, enum_column, utcnow
from models.enums import Locale, Role
from models.fields import optional_email


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


USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 64
# bcrypt reads only 72 bytes; a longer password would be silently truncated.
PASSWORD_MAX_BYTES = 72


def check_password_rules(password: str, username: str) -> None:
    """Raise ValueError with a translatable message when `password` breaks a rule."""
    if len(password) < PASSWORD_MIN_CHARS:
        raise ValueError(N_("The password must be at least 8 characters."))
    if len(password) > PASSWORD_MAX_CHARS:
        raise ValueError(N_("The password must be at most 64 characters."))
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValueError(
            N_("The password is too long: at most 72 bytes (about 24 Chinese characters).")
        )
    if password != password.strip():
        raise ValueError(N_("The password must not start or end with a space."))
    if password.strip().lower() == username.strip().lower():
        raise ValueError(N_("The password must not be the username."))


class UserFields(SQLModel):
    """What an admin edits on a user; shared by create and update."""

    display_name: str
    email: str | None = None
    role: Role
    locale: Locale = Locale.EN
    rep_id: int | None = None

    @field_validator("display_name", mode="before")
    @classmethod
    def _display_name(cls, value: object) -> str:
        text = str(value or "").strip()
        if not text:
            raise ValueError(N_("Enter a display name."))
        if len(text) > 120:
            raise ValueError(N_("The display name must be at most 120 characters."))
        return text

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> str | None:
        return optional_email(value)

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: object) -> Role:
        if value not in {role.value for role in Role}:
            raise ValueError(N_("Unknown role."))
        return Role(value)

    @field_validator("locale", mode="before")
    @classmethod
    def _locale(cls, value: object) -> Locale:
        if value not in {locale.value for locale in Locale}:
            raise ValueError(N_("Unknown language."))
        return Locale(value)

    @model_validator(mode="after")
    def _rep_link(self) -> UserFields:
        if self.role == Role.REP and self.rep_id is None:
            raise ValueError(N_("A user with the rep role must be linked to a rep."))
        if self.role != Role.REP:
            self.rep_id = None
        return self


class UserCreate(UserFields):
    username: str
    password: str

    @field_validator("username", mode="before")
    @classmethod
    def _username(cls, value: object) -> str:
        text = str(value or "").strip().lower()
        if not text:
            raise ValueError(N_("Enter a username."))
        if len(text) > 64:
            raise ValueError(N_("The username must be at most 64 characters."))
        if not USERNAME_PATTERN.match(text):
            raise ValueError(
                N_("A username may use only letters, digits, dots, dashes and underscores.")
            )
        return text

    @field_validator("password", mode="after")
    @classmethod
    def _password(cls, value: str, info: ValidationInfo) -> str:
        # `username` is declared first, so it is already validated here.
        check_password_rules(value, str(info.data.get("username", "")))
        return value


class UserUpdate(UserFields):
    pass
