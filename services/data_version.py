"""The data version: a counter in the database that every write bumps.

Cached reads are keyed by it, so a write in any process or replica is seen at once in all.
"""

from __future__ import annotations

from sqlmodel import Session, col, select, update

from models import DataVersion

ROW_ID = 1


def current(session: Session) -> int:
    """The counter now; 0 before anything was written."""
    counter = session.exec(select(DataVersion.counter).where(DataVersion.id == ROW_ID)).first()
    return int(counter or 0)


def bump(session: Session) -> None:
    """Advance the counter inside the caller's write transaction."""
    session.exec(
        update(DataVersion)
        .where(col(DataVersion.id) == ROW_ID)
        .values(counter=col(DataVersion.counter) + 1)
    )
