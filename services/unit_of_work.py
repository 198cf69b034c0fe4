"""The one write path: lock, stale check, version bump and audit in a single transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from models import AuditEvent
from models.base import utcnow
from services import data_version
from services.access import Actor
from services.db import begin_write
from services.errors import NotFound, StaleEdit

RowT = TypeVar("RowT", bound=SQLModel)
# Never copied into the audit log.
SECRET_FIELDS = frozenset({"password_hash", "token_id"})
BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at", "version"})
# Writes to these never change a number anyone sees, so they leave cached reads valid.
NOT_DATA_TABLES = frozenset({"user_sessions"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _audited(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: _jsonable(value)
        for name, value in fields.items()
        if name not in SECRET_FIELDS and name not in BOOKKEEPING_FIELDS
    }


def _entity(row: SQLModel) -> str:
    return str(getattr(row, "__tablename__", type(row).__name__.lower()))


class UnitOfWork:
    def __init__(self, session: Session, actor: Actor | None, username: str | None = None):
        self.session = session
        self.actor = actor
        # Who is acting when nobody is logged in yet (a login attempt).
        self.username = username
        self.changed_data = False

    def load(self, model: type[RowT], row_id: object, *, version: int | None) -> RowT:
        """Lock the row for this transaction; refuse it if it changed since `version`."""
        # populate_existing: a row this session read before the lock must not keep old values.
        row = self.session.get(model, row_id, with_for_update=True, populate_existing=True)
        if row is None:
            raise NotFound()
        if version is not None and getattr(row, "version", None) != version:
            raise StaleEdit()
        return row

    def _touch(self, entity: str) -> None:
        if entity not in NOT_DATA_TABLES:
            self.changed_data = True

    def add(self, row: RowT, *, action: str | None = None) -> RowT:
        self.session.add(row)
        self.session.flush()
        entity = _entity(row)
        self._touch(entity)
        self.audit(action or f"{entity}.create", row, after=_audited(row.model_dump()))
        return row

    def change(
        self, row: RowT, changes: Mapping[str, Any], *, action: str | None = None
    ) -> dict[str, Any]:
        """Apply `changes`, bump the version and audit what really changed (before/after)."""
        changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
        if not changed:
            return {}
        before = {name: getattr(row, name) for name in changed}
        for name, value in changed.items():
            setattr(row, name, value)
        if hasattr(row, "version"):
            row.version += 1  # type: ignore[attr-defined]
            row.updated_at = utcnow()  # type: ignore[attr-defined]
        self.session.add(row)
        self.session.flush()
        self._touch(_entity(row))
        self.audit(
            action or f"{_entity(row)}.update",
            row,
            before=_audited(before),
            after=_audited(changed),
        )
        return changed

    def audit(
        self,
        action: str,
        row: SQLModel | None = None,
        *,
        entity: str | None = None,
        entity_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        username: str | None = None,
    ) -> None:
        self.session.add(
            AuditEvent(
                user_id=self.actor.user_id if self.actor else None,
                username=self.actor.username if self.actor else (username or self.username),
                action=action,
                entity=entity or (_entity(row) if row is not None else "system"),
                entity_id=entity_id if row is None else getattr(row, "id", None),
                before=before or None,
                after=after or None,
            )
        )


@contextmanager
def unit_of_work(
    session: Session, actor: Actor | None, *, username: str | None = None
) -> Iterator[UnitOfWork]:
    """One write transaction: everything inside commits together or not at all."""
    if session.in_transaction():
        # A read transaction cannot be upgraded safely on SQLite; end it first.
        session.commit()
    begin_write(session)
    try:
        uow = UnitOfWork(session, actor, username)
        yield uow
        if uow.changed_data:
            data_version.bump(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
