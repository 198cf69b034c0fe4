"""A real Streamlit server per module on a fresh SQLite database, driven by Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlmodel import Session, select

from models import Rep, User
from services import settings
from services.db import make_engine
from tests.factories import make_goal

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 60
PREPARE_SECONDS = 120
expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:  # noqa: S310
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@dataclass(frozen=True)
class Served:
    url: str
    # The embedded database the server uses, for a test that writes to it meanwhile.
    database_url: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`streamlit run app.py` on a free port against a new embedded database with the demo
    data, prepared as `make run` does."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["REPBOARD_DATA_DIR"] = str(data_dir)
    subprocess.run(
        [sys.executable, "manage.py", "prepare"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=PREPARE_SECONDS,
    )  # fmt: skip
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        # An edit to the checkout while the tests run must not reload modules mid-test.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = (data_dir / "server.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        _wait_until_healthy(url, server)
        yield Served(url, f"sqlite:///{data_dir / 'repboard.db'}")
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def app_url(served: Served) -> str:
    return served.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield fresh
    fresh.close()


def wait_for_app_loaded(page: Page) -> None:
    """Streamlit is connected and no script run is requested or running.

    The frontend marks a rerun as requested the moment a widget asks for it, so this also
    waits out the run a click has just started.
    """
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=30_000)


def open_app(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    wait_for_app_loaded(page)
    return page


def log_in(page: Page, username: str, password: str, *, labels: tuple[str, str, str]) -> None:
    user_label, password_label, button = labels
    page.get_by_label(user_label, exact=True).fill(username)
    page.get_by_label(password_label, exact=True).fill(password)
    page.get_by_role("button", name=button).click()
    wait_for_app_loaded(page)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def rep_goal_today(database_url: str, target: int, title: str) -> tuple[int, date]:
    """A one-day goal of `target` (minor units) for the demo rep, today at the office, written
    straight to the served database; its id and that day."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.username == "rep")).one()
            rep = session.get(Rep, user.rep_id)
            today = settings.office_today(session)
            goal = make_goal(session, rep, today, today, target, title=title)
            assert goal.id is not None
            return goal.id, today
    finally:
        engine.dispose()
