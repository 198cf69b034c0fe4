"""What the demo promises a new user on any day: every team has open deals and follow-ups
due, every active rep a running goal, and Home's tiles a value for the admin and each team.

The demo moves with its "today", so the promises are checked on the data set the real
generator builds for days across a whole year (the 1st and last of every month, a leap day,
weekends), read straight from its rows; Home's tiles also through the real dashboard service
on the loaded data for the days that start a month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import seed
from models import User
from seed.calendar import add_months, month_end
from seed.dataset import Dataset
from services.access import build_actor
from services.db import make_engine
from services.performance import dashboard
from services.periods import PeriodKind, containing
from services.schema import upgrade_to_head
from tests.seed.conftest import quiet

YEAR_START = date(2027, 1, 1)
# Every eighth day of a year, every month's first and last day, and around a leap day.
DAYS = sorted(
    {YEAR_START + timedelta(days=step) for step in range(0, 366, 8)}
    | {add_months(YEAR_START, months) for months in range(12)}
    | {month_end(add_months(YEAR_START, months)) for months in range(12)}
    | {date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)}
)
# Days a month has only just begun: the month's tiles hold what happened since the 1st.
MONTH_STARTS = [date(2027, 1, 1), date(2027, 5, 1), date(2027, 8, 1), date(2028, 2, 1)]
OPEN_STAGES = frozenset({"lead", "qualified", "proposal", "negotiation"})
UPCOMING_DAYS = 14
HOME_VIEWERS = ("admin", "manager", "manager2", "manager3")


def test_the_days_span_a_year() -> None:
    assert len(DAYS) >= 60 and (DAYS[-1] - DAYS[0]).days >= 365


def records(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    """A table's rows by column name; dates are days since the origin, and a column left
    out of the data set (NULL in every row) reads as None through `get`."""
    [table] = [table for table in dataset.tables if table.name == name]
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


class Demo:
    """The demo data set for one day, and who is in which team."""

    def __init__(self, today: date) -> None:
        self.data = seed.build("demo", seed=seed.DEFAULT_SEED, today=today)
        self.day = (today - self.data.origin).days
        self.month_start = (today.replace(day=1) - self.data.origin).days
        self.sales_teams = {
            team["id"] for team in records(self.data, "teams") if team["parent_id"] is not None
        }
        reps = records(self.data, "reps")
        self.team_of = {rep["id"]: rep["team_id"] for rep in reps}
        self.active_reps = {rep["id"] for rep in reps if rep["status"] == "active"}
        self.owner_of = {
            customer["id"]: customer["owner_rep_id"] for customer in records(self.data, "customers")
        }

    def teams_with(self, name: str, keep: Callable[[dict[str, Any]], bool]) -> set[int]:
        """Sales teams whose reps have a row of table `name` that `keep` accepts."""
        rows = records(self.data, name)
        return {self.team_of[row["rep_id"]] for row in rows if keep(row)} & self.sales_teams

    def this_month(self, day: int | None) -> bool:
        return day is not None and self.month_start <= day <= self.day


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo(request: pytest.FixtureRequest) -> Demo:
    return Demo(request.param)


def test_every_team_has_open_deals(demo: Demo) -> None:
    selling = demo.teams_with("deals", lambda deal: deal["stage"] in OPEN_STAGES)
    assert selling == demo.sales_teams


def _follow_ups(demo: Demo, due: Callable[[int], bool]) -> set[int]:
    """Teams whose customers (by their owner now, who owes the follow-up) have an open
    follow-up on a day that `due` accepts."""
    return {
        demo.team_of[demo.owner_of[contact["customer_id"]]]
        for contact in records(demo.data, "interactions")
        if contact["next_follow_up_on"] is not None
        and contact.get("follow_up_done_at") is None
        and due(contact["next_follow_up_on"])
    } & demo.sales_teams


def test_every_team_has_follow_ups_overdue_and_coming_up(demo: Demo) -> None:
    today = demo.day
    overdue = _follow_ups(demo, lambda day: day < today)
    coming_up = _follow_ups(demo, lambda day: today < day <= today + UPCOMING_DAYS)
    assert overdue == coming_up == demo.sales_teams


def test_every_active_rep_team_and_the_company_has_a_running_goal(demo: Demo) -> None:
    running = {
        (goal["owner_kind"], goal.get("owner_id"))
        for goal in records(demo.data, "goals")
        if goal["metric_key"] == "revenue" and goal["period_kind"] == "month"
        and goal["period_start"] <= demo.day <= goal["period_end"]
    }  # fmt: skip
    assert {owner for kind, owner in running if kind == "rep"} >= demo.active_reps
    assert {owner for kind, owner in running if kind == "team"} == demo.sales_teams
    assert ("company", None) in running


def test_every_team_has_sold_and_heard_from_a_customer_this_month(demo: Demo) -> None:
    """What Home's tiles count this month: a won deal (revenue, win rate, deal size) and a
    survey with an NPS (satisfaction), in every team."""

    def won(deal: dict[str, Any]) -> bool:
        return deal["stage"] == "won" and demo.this_month(deal.get("closed_on"))

    def answered(survey: dict[str, Any]) -> bool:
        return survey.get("nps") is not None and demo.this_month(survey["surveyed_on"])

    assert demo.teams_with("deals", won) == demo.sales_teams
    assert demo.teams_with("surveys", answered) == demo.sales_teams


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('promises') / 'demo.db'}")
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("today", MONTH_STARTS, ids=str)
def test_home_tiles_have_a_value_for_the_admin_and_every_manager(
    sqlite_engine: Engine, today: date
) -> None:
    seed.load(sqlite_engine, Demo(today).data, force=True, progress=quiet)
    month = containing(PeriodKind.MONTH, today)
    with Session(sqlite_engine) as session:
        for username in HOME_VIEWERS:
            user = session.exec(select(User).where(User.username == username)).one()
            tiles = dashboard.kpi_tiles(session, build_actor(session, user), month)
            assert [tile.key for tile in tiles if tile.value is None] == [], username
            assert next(tile for tile in tiles if tile.key == "revenue").target, username
