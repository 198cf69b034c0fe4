"""Each page's AppTest render time, cold (empty data cache) and warm, per role."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session, col, select
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from bench.datasets import BENCH_DIR, Backend
from models import Customer, Interaction, User
from seed import DEMO_PASSWORD
from services import settings
from services.access import build_actor, rep_scope
from services.goals import records as goals
from services.goals.records import GoalFilters
from services.i18n import translate
from services.periods import Period, PeriodKind

ROOT = BENCH_DIR.parent
APP = ROOT / "app.py"
PAGES_DIR = ROOT / "pages"
ROLES = ("admin", "manager", "rep")
COLD_TARGET_S = 1.0
WARM_TARGET_S = 0.3
RUN_TIMEOUT_S = 300.0
# The customer page without an id is a search box; with one, a customer's whole history.
CUSTOMER_PAGE = "pages/customer_page.py"
# The goal page without an id points to the list; with one, a goal's progress and history.
GOAL_PAGE = "pages/goal_page.py"


@dataclass
class PageTiming:
    page: str
    backend: str
    role: str
    cold_s: float | None
    warm_s: float | None
    error: str | None = None
    cold_target: float = COLD_TARGET_S
    warm_target: float = WARM_TARGET_S

    @property
    def ok(self) -> bool:
        if self.error or self.cold_s is None or self.warm_s is None:
            return False
        return self.cold_s <= self.cold_target and self.warm_s <= self.warm_target

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


def page_files() -> list[str]:
    """Every page file present now, as app.py names them."""
    return sorted(
        f"pages/{path.name}" for path in PAGES_DIR.glob("*.py") if path.name != "__init__.py"
    )


@contextmanager
def app_environment(backend: Backend) -> Iterator[None]:
    """Point app.py at the backend's database for the duration, then restore the environment."""
    saved = {name: os.environ.get(name) for name in backend.app_env}
    try:
        for name, value in backend.app_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def quiet() -> Iterator[None]:
    """Hide what AppTest's bare mode and the login component print while a page runs."""
    set_log_level("error")
    with redirect_stdout(io.StringIO()):
        yield


def _by_label(elements: Any, label: str) -> Any:
    for element in elements:
        if element.label == label:
            return element
    raise RuntimeError(f"no element labelled {label!r}")


def logged_in(username: str) -> AppTest:
    """A fresh AppTest, logged in through the form like a user (lands on the default page)."""
    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S).run()
    _by_label(at.text_input, translate("en", "Username")).input(username)
    _by_label(at.text_input, translate("en", "Password")).input(DEMO_PASSWORD)
    _by_label(at.button, translate("en", "Log in")).click().run()
    if at.exception:
        raise RuntimeError(f"login as {username} failed: {at.exception[0].message}")
    # AppTest drops widget events in the run right after one that ended in st.rerun().
    return at.run()


def busiest_customer(backend: Backend, username: str) -> int | None:
    """The customer with the longest contact history among those the user may open."""
    with Session(backend.engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            return None
        scope = rep_scope(session, build_actor(session, user))
        query = (
            select(Interaction.customer_id)
            .join(Customer, col(Customer.id) == col(Interaction.customer_id))
            .where(col(Customer.archived_at).is_(None))
            .group_by(col(Interaction.customer_id))
            .order_by(sa.func.count().desc())
            .limit(1)
        )
        if scope is not None:
            query = query.where(col(Customer.owner_rep_id).in_(sorted(scope)))
        return session.exec(query).first()


def widest_goal(backend: Backend, username: str) -> int | None:
    """The running yearly revenue goal the user may open that covers the most reps: the
    company's for an admin, a team's for a manager, their own for a rep."""
    with Session(backend.engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            return None
        actor = build_actor(session, user)
        today = settings.office_today(session)
        filters = GoalFilters(
            period=Period(PeriodKind.CUSTOM, today, today),
            period_kind=PeriodKind.YEAR,
            metric_key="revenue",
        )
        rows = goals.list_goals(session, actor, filters=filters)
        return rows[0].id if rows else None


def time_page(
    username: str, page: str, query_params: dict[str, str] | None = None
) -> tuple[float, float]:
    """(cold, warm) seconds: the page's first run on an empty data cache, then a rerun."""
    at = logged_in(username)
    at.query_params.update(query_params or {})
    if "period" in (query_params or {}):
        # The period was chosen at login: forget it, so the picker reads the link as it does
        # on a session's first run.
        for key in PERIOD_STATE:
            if key in at.session_state:
                del at.session_state[key]
    st.cache_data.clear()
    started = time.perf_counter()
    at.switch_page(page).run()
    cold = time.perf_counter() - started
    _raise_if_failed(at)
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    _raise_if_failed(at)
    return cold, warm


def _raise_if_failed(at: AppTest) -> None:
    if at.exception:
        raise RuntimeError(at.exception[0].message)


def _cases(backend: Backend, role: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page file, query parameters) for every page, the customer page twice."""
    cases = [(page, page, {}) for page in page_files()]
    if CUSTOMER_PAGE in page_files():
        customer_id = busiest_customer(backend, role)
        if customer_id is not None:
            cases.append((f"{CUSTOMER_PAGE}?id=busiest", CUSTOMER_PAGE, {"id": str(customer_id)}))
    goal_id = widest_goal(backend, role) if GOAL_PAGE in page_files() else None
    if goal_id is not None:
        cases.append((f"{GOAL_PAGE}?id=widest", GOAL_PAGE, {"id": str(goal_id)}))
    return cases + [case for case in EXTRA_CASES if case[1] in page_files()]


def time_all(
    backend: Backend, roles: tuple[str, ...] = ROLES, progress: Callable[[str], None] = print
) -> list[PageTiming]:
    timings = []
    with app_environment(backend):
        for role in roles:
            for label, page, query in _cases(backend, role):
                timing = _measure(backend, role, label, page, query)
                if timing is None:
                    continue  # not in this role's navigation
                progress(_line(timing))
                timings.append(timing)
    return timings


def _measure(
    backend: Backend, role: str, label: str, page: str, query: dict[str, str]
) -> PageTiming | None:
    try:
        with quiet():
            cold, warm = time_page(role, page, query)
    except ValueError as error:
        if "Could not find a navigation page" in str(error):
            return None
        return PageTiming(label, backend.name, role, None, None, error=str(error))
    except RuntimeError as error:
        return PageTiming(label, backend.name, role, None, None, error=str(error))
    warm_target = WARM_TARGETS.get(label, WARM_TARGET_S)
    return PageTiming(label, backend.name, role, cold, warm, warm_target=warm_target)


def _line(timing: PageTiming) -> str:
    if timing.error:
        return f"  {timing.role:<8} {timing.page:<36} ERROR {timing.error}"
    return (
        f"  {timing.role:<8} {timing.page:<36} cold {timing.cold_s or 0:6.2f} s  "
        f"warm {timing.warm_s or 0:6.2f} s"
    )


# Pages timed again as links open them: the leaderboard over the fiscal year (every rep, and
# the year before for the movement) and board mode showing a board rather than its form.
LEADERBOARD_PAGE = "pages/leaderboard_page.py"
BOARD_PAGE = "pages/board_page.py"
EXTRA_CASES: list[tuple[str, str, dict[str, str]]] = [
    (f"{LEADERBOARD_PAGE}?period=year", LEADERBOARD_PAGE, {"period": "year"}),
    # One metric: with several, each rerun shows the next one, a first read of its numbers.
    (f"{BOARD_PAGE}?metrics=revenue", BOARD_PAGE, {"metrics": "revenue", "every": "30"}),
]
# Warm targets stricter than the pages' default, by label.
WARM_TARGETS = {f"{LEADERBOARD_PAGE}?period=year": 0.2}
# Where the sidebar keeps the chosen period (ui/period.py).
PERIOD_STATE = ("period__current", "period__kind", "period__choice")
