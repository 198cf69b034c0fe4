"""The bulk targets grid saved for every active rep (400 on the large set), timed with the
number of SQL statements it runs: once giving every rep a new goal, once revising them all.

Each save runs in a transaction that is rolled back afterwards (the service's commit only
ends a savepoint), so the reused data set stays as it was seeded and every turn starts from
the same rows. The final COMMIT is therefore not in the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.datasets import Backend
from bench.metrics import admin_actor
from services import periods, settings
from services.access import Actor
from services.goals import bulk_targets
from services.periods import Period, PeriodKind

RUNS = 3
# A save is a click the user waits on, as for a page's first run.
TARGET_S = 1.0
METRIC = "revenue"
NEW_TARGET = Decimal(100_000)
# Every target raised by this many percent: each row becomes a revision.
RAISE_PERCENT = Decimal(1)


@dataclass
class WriteTiming:
    name: str
    backend: str
    rows: int
    created: int
    revised: int
    seconds: float
    statements: int
    target: float = TARGET_S

    @property
    def ok(self) -> bool:
        return self.seconds <= self.target

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Session]:
    """A session whose commits end savepoints inside one transaction, rolled back at the end."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            with Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session:
                yield session
        finally:
            outer.rollback()


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _month_without_goals(session: Session, actor: Actor) -> Period:
    """The first month after this one for which no rep has a revenue goal yet."""
    month = periods.containing(PeriodKind.MONTH, settings.office_today(session))
    for _ in range(36):
        month = periods.containing(PeriodKind.MONTH, month.end + timedelta(days=1))
        grid = bulk_targets.grid(session, actor, metric_key=METRIC, period=month)
        if all(row.goal_id is None for row in grid):
            return month
    raise RuntimeError("no month without revenue goals in the next three years")


def _typed(rows: list[bulk_targets.GridRow]) -> list[dict[str, Any]]:
    """Every row with a target to save: the grid's own raised by 1 %, or a new one."""
    raised = bulk_targets.scaled_rows(METRIC, rows, RAISE_PERCENT)
    return [asdict(row) | {"target": row.target or NEW_TARGET} for row in raised]


def time_save(
    backend: Backend, actor: Actor, name: str, choose: Callable[[Session, Actor], Period]
) -> WriteTiming:
    """The best of RUNS saves of the whole grid for the chosen month, each rolled back."""
    best, statements, saved, rows = float("inf"), 0, bulk_targets.SaveResult(), 0
    for _ in range(RUNS):
        with rolled_back(backend.engine) as session:
            period = choose(session, actor)
            typed = _typed(bulk_targets.grid(session, actor, metric_key=METRIC, period=period))
            with counted(backend.engine) as run:
                started = time.perf_counter()
                saved = bulk_targets.save(
                    session, actor, metric_key=METRIC, period=period, rows=typed, reason="Bench"
                )
                took = time.perf_counter() - started
        best, statements, rows = min(best, took), len(run), len(typed)
    return WriteTiming(name, backend.name, rows, saved.created, saved.revised, best, statements)


def _this_month(session: Session, _actor: Actor) -> Period:
    return periods.containing(PeriodKind.MONTH, settings.office_today(session))


def time_all(backend: Backend, progress: Callable[[str], None] = print) -> list[WriteTiming]:
    actor = admin_actor(backend)
    progress(f"[{backend.name}] bulk target save, every active rep")
    timings = []
    for name, choose in (
        ("bulk targets: new goals", _month_without_goals),
        ("bulk targets: this month", _this_month),
    ):
        timing = time_save(backend, actor, name, choose)
        progress(
            f"  {name:<28} {timing.rows:>5} rows ({timing.created} new, {timing.revised} "
            f"revised)  {timing.seconds:6.2f} s  {timing.statements} statements"
        )
        timings.append(timing)
    return timings
