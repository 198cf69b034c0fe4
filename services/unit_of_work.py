"""The one write path: lock, stale check, version bump and audit in a single transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from models import AuditEvent
from models.base import utcnow
from services import data_version
from services.access import Actor
from services.db import begin_write
from services.errors import Conflict, NotFound, StaleEdit

RowT = TypeVar("RowT", bound=SQLModel)
# Never copied into the audit log.
SECRET_FIELDS = frozenset({"password_hash", "token_id"})
BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at", "version"})
# Writes to these never change a number anyone sees, so they leave cached reads valid.
NOT_DATA_TABLES = frozenset({"user_sessions"})
# Columns a login attempt keeps count in: no form edits them, so changing only these bumps
# neither the row's version (an admin's open edit stays valid) nor the data version.
BOOKKEEPING_COLUMNS = {"users": frozenset({"failed_logins", "locked_until"})}
# How each driver names a unique or primary key violation.
DUPLICATE_SQLSTATE = "23505"
DUPLICATE_SQLITE_ERRORS = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


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


def _is_duplicate(error: IntegrityError) -> bool:
    driver_error = error.orig
    return (
        getattr(driver_error, "sqlstate", None) == DUPLICATE_SQLSTATE
        or getattr(driver_error, "sqlite_errorname", None) in DUPLICATE_SQLITE_ERRORS
    )


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

    def insert_many(
        self, rows: Sequence[SQLModel], *, key: str, action: str | None = None
    ) -> dict[Any, int]:
        """`add` for many new rows of one table in two statements, one INSERT for the rows and
        one for their audit events, however many rows: the ORM sends one INSERT per row to
        SQLite, whose RETURNING keeps no order. The new ids come back by the value of `key`, a
        column unique among `rows`; the rows themselves stay outside the session."""
        if not rows:
            return {}
        model, entity = type(rows[0]), _entity(rows[0])
        columns = model.__table__.c  # type: ignore[attr-defined]
        inserted = self.session.exec(
            sa.insert(model)
            .returning(columns.id, columns[key])
            .execution_options(render_nulls=True),
            params=[row.model_dump(exclude={"id"}) for row in rows],
        )
        ids = {value: row_id for row_id, value in inserted}
        self._insert_events(
            [
                self._event(
                    action or f"{entity}.create", entity=entity, entity_id=ids[getattr(row, key)],
                    after=_audited(row.model_dump() | {"id": ids[getattr(row, key)]}),
                )
                for row in rows
            ]
        )  # fmt: skip
        self._touch(entity)
        return ids

    def _insert_events(self, events: list[AuditEvent]) -> None:
        """Audit events in one INSERT (the ORM would send SQLite one per event)."""
        if events:
            self.session.exec(
                sa.insert(AuditEvent).execution_options(render_nulls=True),
                params=[event.model_dump(exclude={"id"}) for event in events],
            )

    def _apply(
        self, row: SQLModel, changes: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Set on `row` what really changes and bump its version (unless only bookkeeping
        columns change): the values before and after, both empty when nothing changes."""
        changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
        if not changed:
            return {}, {}
        before = {name: getattr(row, name) for name in changed}
        for name, value in changed.items():
            setattr(row, name, value)
        entity = _entity(row)
        edited = not changed.keys() <= BOOKKEEPING_COLUMNS.get(entity, frozenset())
        if edited and hasattr(row, "version"):
            row.version += 1  # type: ignore[attr-defined]
            row.updated_at = utcnow()  # type: ignore[attr-defined]
        if edited:
            self._touch(entity)
        self.session.add(row)
        return before, changed

    def change(
        self, row: RowT, changes: Mapping[str, Any], *, action: str | None = None
    ) -> dict[str, Any]:
        """Apply `changes`, bump the version and audit what really changed (before/after)."""
        before, changed = self._apply(row, changes)
        if not changed:
            return {}
        self.session.flush()
        self.audit(
            action or f"{_entity(row)}.update",
            row,
            before=_audited(before),
            after=_audited(changed),
        )
        return changed

    def change_many(
        self, changes: Sequence[tuple[SQLModel, Mapping[str, Any]]], *, action: str | None = None
    ) -> None:
        """`change` for many rows in one flush, which sends rows changing the same columns as
        one executemany UPDATE, and their audit events in one INSERT."""
        applied = [(row, *self._apply(row, wanted)) for row, wanted in changes]
        self.session.flush()
        self._insert_events(
            [
                self._event(
                    action or f"{_entity(row)}.update", row,
                    before=_audited(before), after=_audited(changed),
                )
                for row, before, changed in applied
                if changed
            ]
        )  # fmt: skip

    def audit(self, action: str, row: SQLModel | None = None, **fields: Any) -> None:
        """Record `action` on `row` (or on `entity`/`entity_id`); the fields are `_event`'s."""
        self.session.add(self._event(action, row, **fields))

    def _event(
        self,
        action: str,
        row: SQLModel | None = None,
        *,
        entity: str | None = None,
        entity_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        username: str | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            user_id=self.actor.user_id if self.actor else None,
            username=self.actor.username if self.actor else (username or self.username),
            action=action,
            entity=entity or (_entity(row) if row is not None else "system"),
            entity_id=entity_id if row is None else getattr(row, "id", None),
            before=before or None,
            after=after or None,
        )


@contextmanager
def unit_of_work(
    session: Session, actor: Actor | None, *, username: str | None = None
) -> Iterator[UnitOfWork]:
    """One write transaction: everything inside commits together or not at all.

    A unique constraint that another transaction's write won past the code's own check raises
    Conflict, the same message wherever it happens, after everything was rolled back.
    """
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
    except IntegrityError as error:
        session.rollback()
        if _is_duplicate(error):
            raise Conflict() from error
        raise
    except BaseException:
        session.rollback()
        raise
