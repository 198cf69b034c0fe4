"""Board mode in Chromium: started from its form into a link that survives a reload, the
sidebar hidden, and a deal won meanwhile (through the services, as the rep) appearing at
the next refresh without reloading the page."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from babel import numbers
from playwright.sync_api import BrowserContext, expect
from sqlmodel import Session, select

from models import User
from services import settings
from services.access import Actor, build_actor
from services.db import make_engine
from services.performance import leaderboard
from services.periods import PeriodKind, containing
from tests.browser.conftest import Served, log_in, open_app, screenshot, wait_for_app_loaded
from tests.factories import win_a_deal

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
REFRESH_SECONDS = 2
MARKER = "window.__boardMarker"
COOKIE = "repboard_session"


def _wait_for_login_cookie(context: BrowserContext) -> None:
    # The authenticator sets it from a component, a moment after the app appears.
    deadline = time.monotonic() + 20
    while not any(cookie["name"] == COOKIE for cookie in context.cookies()):
        assert time.monotonic() < deadline, "the login cookie was never set"
        time.sleep(0.2)


def _actor(session: Session, username: str) -> Actor:
    return build_actor(session, session.exec(select(User).where(User.username == username)).one())


def _revenue_shown(session: Session, rep_id: int) -> str:
    """The rep's revenue this month as the admin's board shows it, in short form."""
    month = containing(PeriodKind.MONTH, settings.office_today(session))
    board = leaderboard.standings(session, _actor(session, "admin"), "revenue", month)
    [row] = [row for row in board.standings if row.id == rep_id]
    assert row.value is not None
    return numbers.format_compact_currency(
        Decimal(round(row.value)) / 100, settings.currency(session), locale="en", fraction_digits=2
    )


def test_a_won_deal_appears_on_the_board_without_a_reload(
    context: BrowserContext, served: Served
) -> None:
    page = open_app(context, served.url)
    page.set_viewport_size({"width": 1920, "height": 1080})  # an office screen
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    # The office screen opens the page by its address; the login cookie carries over.
    _wait_for_login_cookie(context)
    page.goto(f"{served.url}/board")
    wait_for_app_loaded(page)
    page.get_by_label("Seconds per metric").fill(str(REFRESH_SECONDS))
    page.get_by_role("button", name="Start the board").click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name="Revenue")).to_be_visible()
    assert "/board?" in page.url and "metrics=revenue" in page.url
    assert f"every={REFRESH_SECONDS}" in page.url

    # The office screen's link survives a reload: the board comes back, without the sidebar.
    page.reload()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name="Revenue")).to_be_visible()
    expect(page.get_by_role("heading", name="Reps")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    page.evaluate(f"{MARKER} = 'not reloaded'")

    engine = make_engine(served.database_url)
    try:
        with Session(engine) as session:
            rep_id = win_a_deal(session, "rep", "87654321.09", "Office screen order")
            amount = _revenue_shown(session, rep_id)
    finally:
        engine.dispose()
    shown = page.get_by_text(amount, exact=True)
    expect(shown).to_be_visible(timeout=(REFRESH_SECONDS + 15) * 1000)
    assert page.evaluate(MARKER) == "not reloaded"
    screenshot(page, "board_mode")
