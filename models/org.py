"""The sales organisation: teams (regions contain teams) and reps."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from models.base import Archivable, enum_column
from models.enums import RepStatus


class Team(Archivable, table=True):
    __tablename__ = "teams"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    parent_id: int | None = Field(default=None, foreign_key="teams.id", index=True)
    manager_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)


class Rep(Archivable, table=True):
    __tablename__ = "reps"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    team_id: int | None = Field(default=None, foreign_key="teams.id", index=True)
    title: str | None = Field(default=None, max_length=80)
    hire_date: date | None = Field(default=None)
    mentor_rep_id: int | None = Field(default=None, foreign_key="reps.id")
    status: RepStatus = Field(default=RepStatus.ACTIVE, sa_type=enum_column(RepStatus))
