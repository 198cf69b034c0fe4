"""The demo data set, built once per session for a fixed day, and totals to compare loads by."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import seed
from seed.dataset import Dataset

# A fixed "today", so every assertion about dates holds whenever the suite runs.
TODAY = date(2026, 11, 23)
SEEDED_TABLES = (
    "teams", "reps", "users", "customers", "deals", "deal_stage_changes", "interactions",
    "surveys", "complaints", "goals",
)  # fmt: skip


def quiet(_line: str) -> None:
    """A progress callback that prints nothing."""


@pytest.fixture(scope="session")
def demo_set() -> Dataset:
    return seed.build("demo", seed=seed.DEFAULT_SEED, today=TODAY)


@pytest.fixture
def demo_db(engine: Engine, demo_set: Dataset) -> Engine:
    """The demo data loaded into the emptied test database."""
    seed.load(engine, demo_set, progress=quiet)
    return engine


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar_one() or 0)


def totals(engine: Engine) -> dict[str, int]:
    """Row counts of the seeded tables and sums that change with any change in the data."""
    counts = {}
    for name in SEEDED_TABLES:
        table = SQLModel.metadata.tables[name]
        with engine.connect() as connection:
            counts[name] = connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
    return counts | {
        "won_amount": _scalar(engine, "SELECT SUM(amount) FROM deals WHERE stage = 'won'"),
        "pipeline_amount": _scalar(
            engine, "SELECT SUM(amount) FROM deals WHERE stage NOT IN ('won', 'lost')"
        ),
        "survey_scores": _scalar(engine, "SELECT SUM(score) FROM surveys"),
        "goal_targets": _scalar(engine, "SELECT SUM(target) FROM goals"),
        "follow_ups": _scalar(
            engine, "SELECT COUNT(*) FROM interactions WHERE next_follow_up_on IS NOT NULL"
        ),
    }
