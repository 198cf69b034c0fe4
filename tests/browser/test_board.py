"""Board mode in Chromium: started from its form into a link that survives a reload, the
sidebar hidden, and a deal won meanwhile (through the services, as the rep) appearing at
the next refresh without reloading the page. On an office screen (1920 × 1080, and 3840 ×
2160) it fills the screen in large type with nothing past its right edge and no amount cut,
keeps its controls hidden until the pointer moves, and shows every rep of the admin's scope
over one rotation of its metrics and pages."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from babel import numbers
from playwright.sync_api import BrowserContext, Page, expect
from sqlmodel import Session, select

from models import User
from services import settings
from services.access import Actor, build_actor
from services.db import make_engine
from services.performance import leaderboard
from services.performance.leaderboard import Ranking
from services.periods import PeriodKind, containing
from tests.browser.conftest import Served, log_in, open_app, screenshot, wait_for_app_loaded
from tests.factories import win_a_deal
from ui.performance.board import page_count

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
    page.get_by_label("Seconds per page").fill(str(REFRESH_SECONDS))
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


# Two metrics a slide every two seconds: a rotation in a few seconds.
ROTATED = ("revenue", "win_rate")
ROTATED_TITLES = {"Revenue": "revenue", "Win rate": "win_rate"}
SLIDE_SECONDS = 2
# Type a room can read: at least 3 % of a 1080-pixel screen's height.
SMALLEST_TYPE = 32
SLIDE = ".st-key-board__slide"
PLACES = '[class*="st-key-board__places"]'
CONTROLS = ".st-key-board__controls"
# What one slide shows, read in one go once the run that drew it has ended.
SHOWN = f"""() => {{
  const app = document.querySelector('[data-testid="stApp"]');
  if (app.dataset.testScriptState !== 'notRunning') return null;
  const title = document.querySelector('{SLIDE} h1');
  const caption = document.querySelector('{SLIDE} [data-testid="stCaptionContainer"]');
  const cells = document.querySelectorAll('{PLACES} [data-testid="stMarkdownContainer"] p');
  return {{
    title: title && title.innerText, caption: caption && caption.innerText,
    texts: [...cells].map(cell => cell.textContent),
  }};
}}"""
# Whatever sticks out past the right edge, amounts cut short, and how the slide fits.
FIT = f"""() => {{
  const width = document.documentElement.clientWidth;
  const past = [...document.querySelectorAll('body *')].filter(element => {{
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  }}).map(element => element.tagName + ' ' + element.className);
  // Every cell but the name (which may end in "…"): place, movement, amount, attainment.
  const cells = '{PLACES} [data-testid="stColumn"]:not(:nth-child(3)) p';
  const cut = [...document.querySelectorAll(cells)]
    .filter(cell => cell.scrollWidth > cell.clientWidth).map(cell => cell.textContent);
  const slide = document.querySelector('{SLIDE}').getBoundingClientRect();
  const name = document.querySelector('{PLACES} [data-testid="stColumn"]:nth-child(3) p');
  return {{
    scrollWidth: document.documentElement.scrollWidth, width, past, cut,
    slideWidth: slide.width, slideBottom: slide.bottom, height: window.innerHeight,
    type: parseFloat(getComputedStyle(name).fontSize),
  }};
}}"""


def _admin_scope(database_url: str) -> tuple[dict[str, set[str]], int]:
    """The admin's reps this month on each rotated metric, and the slides of one rotation
    (a metric shows as many pages as its reps or its teams fill)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            admin = _actor(session, "admin")
            month = containing(PeriodKind.MONTH, settings.office_today(session))
            reps, slides = {}, 0
            for key in ROTATED:
                boards = [leaderboard.standings(session, admin, key, month, ranking=ranking)
                          for ranking in Ranking]  # fmt: skip
                reps[key] = {row.name for row in boards[0].standings}
                slides += max(page_count(board) for board in boards)
    finally:
        engine.dispose()
    return reps, slides


def _check_fit(page: Page, what: str) -> None:
    fit = page.evaluate(FIT)
    assert fit["scrollWidth"] <= fit["width"], f"{what}: the page scrolls sideways"
    assert fit["past"] == [], f"{what}: past the right edge"
    assert fit["cut"] == [], f"{what}: cut short"
    # The slide fills the screen's width, ends above its bottom, in type a room can read.
    assert fit["slideWidth"] >= 0.9 * fit["width"], what
    assert fit["slideBottom"] <= fit["height"], f"{what}: runs past the bottom"
    assert fit["type"] >= SMALLEST_TYPE * fit["height"] / 1080, what


def test_the_board_fills_an_office_screen_and_shows_every_rep_over_a_rotation(
    context: BrowserContext, served: Served
) -> None:
    reps, slides = _admin_scope(served.database_url)
    assert all(reps.values()), "the admin's scope has no reps"
    page = open_app(context, served.url)
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    _wait_for_login_cookie(context)
    page.goto(f"{served.url}/board?metrics={','.join(ROTATED)}&every={SLIDE_SECONDS}")
    wait_for_app_loaded(page)
    expect(page.locator(SLIDE)).to_be_visible()

    # Hidden controls: shown while the pointer is over the screen, hidden once it leaves.
    controls = page.locator(CONTROLS)
    expect(controls.get_by_role("button", name="Leave board mode")).to_be_attached()
    expect(controls).to_have_css("opacity", "0")
    page.mouse.move(960, 540)
    expect(controls).to_have_css("opacity", "1")
    page.mouse.move(-1, -1)
    expect(controls).to_have_css("opacity", "0")

    seen: dict[str, set[str]] = {key: set() for key in ROTATED}
    slides_seen: list[tuple[str, str]] = []
    deadline = time.monotonic() + (slides + 2) * SLIDE_SECONDS + 10
    while any(not reps[key] <= seen[key] for key in ROTATED):
        assert time.monotonic() < deadline, {key: reps[key] - seen[key] for key in ROTATED}
        shown = page.evaluate(SHOWN)
        if shown and shown["title"] in ROTATED_TITLES:
            seen[ROTATED_TITLES[shown["title"]]] |= set(shown["texts"])
            # Each new slide (a metric's page: the caption says which and when) must fit.
            slide = (shown["title"], shown["caption"])
            if slide not in slides_seen:
                slides_seen.append(slide)
                _check_fit(page, " · ".join(slide))
        time.sleep(0.2)
    assert {title for title, _caption in slides_seen} == set(ROTATED_TITLES), slides_seen
    # Between two runs of the slide, so the picture shows one slide whole.
    wait_for_app_loaded(page)
    screenshot(page, "board_office_screen_1920")
    page.set_viewport_size({"width": 3840, "height": 2160})
    wait_for_app_loaded(page)
    _check_fit(page, "3840 × 2160")
    screenshot(page, "board_office_screen_3840")
