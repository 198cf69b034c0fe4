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
from services.access import build_actor, rep_scope
from services.i18n import translate

ROOT = BENCH_DIR.parent
APP = ROOT / "app.py"
PAGES_DIR = ROOT / "pages"
ROLES = ("admin", "manager", "rep")
COLD_TARGET_S = 1.0
WARM_TARGET_S = 0.3
RUN_TIMEOUT_S = 300.0
# The customer page without an id is a search box; with one, a customer's whole history.
CUSTOMER_PAGE = "pages/customer_page.py"


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


def time_page(
    username: str, page: str, query_params: dict[str, str] | None = None
) -> tuple[float, float]:
    """(cold, warm) seconds: the page's first run on an empty data cache, then a rerun."""
    at = logged_in(username)
    at.query_params.update(query_params or {})
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
    return cases


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
    return PageTiming(label, backend.name, role, cold, warm)


def _line(timing: PageTiming) -> str:
    if timing.error:
        return f"  {timing.role:<8} {timing.page:<36} ERROR {timing.error}"
    return (
        f"  {timing.role:<8} {timing.page:<36} cold {timing.cold_s or 0:6.2f} s  "
        f"warm {timing.warm_s or 0:6.2f} s"
    )
