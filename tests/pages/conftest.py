"""AppTest fixtures: the real app.py on the seeded demo data, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

import seed
from models import User
from seed import DEMO_PASSWORD
from seed.dataset import Dataset
from services import settings
from services.i18n import translate

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CUSTOMER_PAGES = [
    "pages/customers_page.py",
    "pages/customer_page.py",
    "pages/follow_ups_page.py",
    "pages/pipeline_page.py",
]
GOAL_PAGES = [
    "pages/goals_page.py",
    "pages/goal_page.py",
    "pages/cascade_page.py",
    "pages/leaderboard_page.py",
    "pages/board_page.py",
]
ROLES_PAGES = {
    "admin": [
        "pages/home_page.py",
        *CUSTOMER_PAGES,
        *GOAL_PAGES,
        "pages/targets_page.py",
        "pages/account_page.py",
        "pages/users_page.py",
    ],
    "manager": [
        "pages/home_page.py",
        *CUSTOMER_PAGES,
        *GOAL_PAGES,
        "pages/targets_page.py",
        "pages/account_page.py",
    ],
    "rep": ["pages/home_page.py", *CUSTOMER_PAGES, *GOAL_PAGES, "pages/account_page.py"],
}


@pytest.fixture(scope="session")
def demo_dataset() -> Dataset:
    """The demo data set, generated once per session (each test loads it afresh)."""
    return seed.build("demo", seed=seed.DEFAULT_SEED)


@pytest.fixture
def demo_app(
    engine: Engine,
    backend_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    demo_dataset: Dataset,
) -> Engine:
    """The demo data in an empty database, and the environment that points app.py at it."""
    seed.load(engine, demo_dataset, progress=lambda _line: None)
    point_app_at(backend_url, monkeypatch, tmp_path)
    return engine


def point_app_at(backend_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The environment that makes app.py open the database at `backend_url`."""
    if backend_url.startswith("sqlite"):
        # The embedded default: data/repboard.db under REPBOARD_DATA_DIR.
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("REPBOARD_DATA_DIR", str(Path(backend_url.split("///", 1)[1]).parent))
    else:
        monkeypatch.setenv("DATABASE_URL", backend_url)
        monkeypatch.setenv("REPBOARD_DATA_DIR", str(tmp_path))


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def by_label(elements, label: str):  # type: ignore[no-untyped-def]
    matches = [element for element in elements if element.label == label]
    assert matches, f"no element labelled {label!r} in {[e.label for e in elements]}"
    return matches[0]


def submit_login(at: AppTest, username: str, password: str, locale: str = "en") -> AppTest:
    by_label(at.text_input, translate(locale, "Username")).input(username)
    by_label(at.text_input, translate(locale, "Password")).input(password)
    return by_label(at.button, translate(locale, "Log in")).click().run()


@pytest.fixture
def logged_in(demo_app: Engine) -> Callable[..., AppTest]:
    def login(username: str, password: str = DEMO_PASSWORD) -> AppTest:
        at = new_app().run()
        submit_login(at, username, password)
        assert not at.exception, at.exception
        # AppTest drops widget events in the run right after one that ended in st.rerun()
        # (a real browser does not); one plain run settles it.
        return at.run()

    return login


def office_today(engine: Engine) -> date:
    """Today at the office, as the app reads it."""
    with Session(engine) as session:
        return settings.office_today(session)


def user_named(engine: Engine, username: str) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def open_tabs(at: AppTest) -> list[str]:
    """The tab each set of tabs on the page shows, as the browser is told to open it."""
    shown = []
    pending = [at._tree]
    while pending:
        node = pending.pop(0)
        proto = getattr(node, "proto", None)
        if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "tab_container":
            labels = [tab.label for tab in node.children.values()]
            shown.append(labels[proto.tab_container.default_tab_index])
        pending.extend(getattr(node, "children", {}).values())
    return shown
