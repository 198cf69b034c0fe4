"""Counting helpers for "nothing was written" assertions."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, func, select

from models import AuditEvent, User


def count(engine: Engine, model: type[SQLModel]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def snapshot(engine: Engine) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Users, audit events, and every user's (id, version, failed_logins)."""
    with Session(engine) as session:
        versions = session.exec(
            select(User.id, User.version, User.failed_logins).order_by(User.id)
        ).all()
    return count(engine, User), count(engine, AuditEvent), [tuple(row) for row in versions]


def audit_actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all())
