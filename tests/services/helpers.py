"""Counting helpers: rows for "nothing was written" and audit checks, SQL statements run."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
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


Rows = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def table_rows(engine: Engine) -> Rows:
    """Every row of every table, by table name and primary key: to diff before and after."""
    found: Rows = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            keys = [column.name for column in table.primary_key.columns]
            rows = connection.execute(sa.select(table)).mappings().all()
            found[table.name] = {
                tuple(row[key] for key in keys): tuple(row.values()) for row in rows
            }
    return found


def changed_rows(before: Rows, after: Rows) -> dict[str, set[tuple[Any, ...]]]:
    """The primary keys of rows added, changed or removed, per table that has any."""
    changed: dict[str, set[tuple[Any, ...]]] = {}
    for table, rows in after.items():
        old = before.get(table, {})
        keys = {key for key in rows.keys() | old.keys() if rows.get(key) != old.get(key)}
        if keys:
            changed[table] = keys
    return changed


class StatementCounter:
    """Counts the SQL statements an engine runs inside a `with` block."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, *args: Any) -> None:
        self.statements.append(args[2])

    def __enter__(self) -> StatementCounter:
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
