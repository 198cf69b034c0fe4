"""services/db.py on SQLite: WAL, foreign keys, busy timeout, and writers that wait their turn."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlmodel import Session, func, select

from models import AuditEvent
from services.db import make_engine
from services.schema import upgrade_to_head
from services.unit_of_work import unit_of_work

THREADS = 20
WRITES_PER_THREAD = 10


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_twenty_threads_write_at_once_without_database_is_locked(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'concurrent.db'}")
    upgrade_to_head(engine)
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            with Session(engine) as session:
                for write in range(WRITES_PER_THREAD):
                    with unit_of_work(session, None, username=f"thread{number}") as uow:
                        # Read, then write in one transaction, as every edit does (load, change):
                        # without BEGIN IMMEDIATE the upgrade to a write lock fails at once.
                        seen = session.exec(select(func.count()).select_from(AuditEvent)).one()
                        uow.audit("test.write", entity="test", entity_id=seen + write)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with Session(engine) as session:
        written = session.exec(select(func.count()).select_from(AuditEvent)).one()
    assert written == THREADS * WRITES_PER_THREAD
    engine.dispose()
