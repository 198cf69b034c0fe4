"""The entry points: build a data set from a seed, and load it into an empty database."""

from __future__ import annotations

import random
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from models import AuditEvent, Setting
from seed.activity import Makers, build_interactions
from seed.calendar import Calendar
from seed.customers import assign_status, assign_tiers, build_customers, customer_rows
from seed.dataset import Dataset
from seed.deals import build_deals, build_stage_changes
from seed.feedback import build_complaints, build_surveys
from seed.goals import build_goals
from seed.loader import (
    Progress,
    empty_all_tables,
    load_dataset,
    restore,
    tables_with_rows,
    tidy,
)
from seed.org import build_org
from seed.sizes import SIZES
from services import data_version
from services.customers import tiering
from services.db import BEGIN_IMMEDIATE
from services.settings import DEFAULTS

DEFAULT_SEED = 42
SETTING_KEY = "seed"


class DatabaseNotEmpty(Exception):
    """The database already holds data and `force` was not given: nothing was written."""

    def __init__(self, tables: list[str]) -> None:
        self.tables = tables
        super().__init__(
            f"The database already holds data (in {', '.join(tables[:4])}"
            f"{', …' if len(tables) > 4 else ''}); nothing was written. "
            "Use --force to replace everything in it with the seed data."
        )


def office_today() -> date:
    """Today where the office is (the default time zone setting): the app's idea of today."""
    return datetime.now(ZoneInfo(str(DEFAULTS["timezone"]))).date()


def build(size: str, *, seed: int = DEFAULT_SEED, today: date | None = None) -> Dataset:
    """Every row of the data set; the same size, seed and today give the same rows."""
    spec = SIZES[size]
    rng = random.Random(seed)
    calendar = Calendar(today or office_today())
    org = build_org(rng, spec, calendar)
    customers = build_customers(rng, spec, calendar, org)
    deals, won = build_deals(rng, spec.deals, calendar, customers)
    assign_tiers(customers)
    makers = Makers(org, random.Random(f"{seed}-makers"))
    interactions = build_interactions(rng, spec.interactions, calendar, customers, makers)
    assign_status(customers, calendar)
    dataset = Dataset(size, seed, calendar.today, calendar.origin, links=org.links)
    dataset.tables = [
        *org.tables,
        customer_rows(customers, calendar),
        deals,
        # An rng of its own, so the history leaves every other table as it was.
        build_stage_changes(random.Random(f"{seed}-stages"), calendar, deals),
        interactions,
        build_surveys(rng, spec.survey_share, calendar, won),
        build_complaints(rng, spec.complaint_share, calendar, won),
        build_goals(rng, calendar, org, won, int(DEFAULTS["fiscal_year_start_month"])),
    ]
    return dataset


def generate(
    engine: Engine,
    size: str,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    force: bool = False,
    progress: Progress = print,
) -> dict[str, int]:
    """Build the `size` data set and load it; returns the rows written per table.

    Raises DatabaseNotEmpty (and writes nothing) when the database holds data, unless
    `force`, which first empties every table so two data sets never mix.
    """
    started = time.perf_counter()
    dataset = build(size, seed=seed, today=today)
    progress(
        f"Generated the {size} data set (seed {seed}) in {time.perf_counter() - started:.1f} s"
    )
    load(engine, dataset, force=force, progress=progress)
    progress(f"Seeded in {time.perf_counter() - started:.1f} s in all.")
    return dataset.counts()


def load(
    engine: Engine, dataset: Dataset, *, force: bool = False, progress: Progress = print
) -> None:
    """Load a built data set in one write transaction: all of it or nothing."""
    with engine.connect() as connection:
        connection = connection.execution_options(**{BEGIN_IMMEDIATE: True})
        try:
            with connection.begin():
                found = tables_with_rows(connection)
                if found and not force:
                    raise DatabaseNotEmpty(found)
                if found:
                    empty_all_tables(connection)
                    progress(f"Emptied the database ({len(found)} tables held data).")
                load_dataset(connection, dataset, progress)
                with Session(bind=connection) as session:
                    # Tiers as the app computes them (RFM in SQL), as of the data set's today.
                    tiering.store_computed(session, today=dataset.today)
                _record(connection, dataset)
        finally:
            restore(connection)
        tidy(connection, dataset)


def _record(connection: Connection, dataset: Dataset) -> None:
    """Say what is loaded (a setting and an audit event) and invalidate every cached read."""
    loaded = {"size": dataset.size, "seed": dataset.seed, "today": dataset.today.isoformat()}
    with Session(bind=connection) as session:
        session.add(Setting(key=SETTING_KEY, value=loaded))
        session.add(
            AuditEvent(
                action="seed.load",
                entity="system",
                after=loaded | {"rows": dataset.counts()},
            )
        )
        data_version.bump(session)
        session.flush()
