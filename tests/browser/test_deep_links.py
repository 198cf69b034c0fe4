"""Links opened logged out, in Chromium: the login form under the link's own address (no "Page
not found"), then the page the link names with its query string, or the permission message
for a page the role may not see."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Served, log_in, open_app, rep_goal_today, screenshot

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
NOT_FOUND = re.compile("Page not found", re.IGNORECASE)


@pytest.fixture(scope="module", autouse=True)
def _started(browser: Browser, app_url: str) -> None:
    """One session first: the server's very first run, before any st.navigation call, runs
    Streamlit's old `pages/`-folder mode, which answers every path but a file's name with
    "Page not found" (a Streamlit start-up quirk, not what these links test)."""
    first = browser.new_context()
    open_app(first, app_url)
    first.close()


def _at_the_login_form(page: Page) -> None:
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)


def _address(page: Page, *params: str) -> tuple[str, dict[str, list[str]]]:
    """The page's path and these query parameters, as the browser shows them (the sidebar
    adds the period's)."""
    shown = urlsplit(page.url)
    query = parse_qs(shown.query)
    return shown.path, {param: query[param] for param in params if param in query}


def test_a_board_link_opens_the_board_after_the_login(
    context: BrowserContext, app_url: str
) -> None:
    page = open_app(context, f"{app_url}/board?metrics=revenue,deals_won&every=30")
    screenshot(page, "deep_link_board_login")
    _at_the_login_form(page)
    log_in(page, "manager", "demo1234", labels=ENGLISH)
    # The board itself, in the manager's Chinese, on the link it was opened with.
    expect(page.get_by_role("button", name="退出看板模式")).to_be_visible()
    expect(page.get_by_role("heading", name="销售额")).to_be_visible()
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    assert _address(page, "metrics", "every") == (
        "/board",
        {"metrics": ["revenue,deals_won"], "every": ["30"]},
    )
    screenshot(page, "deep_link_board")


def test_a_goal_link_opens_the_goal_after_the_login(
    context: BrowserContext, served: Served
) -> None:
    goal_id, _today = rep_goal_today(served.database_url, 5000, "Goal behind a link")
    page = open_app(context, f"{served.url}/goal?id={goal_id}")
    _at_the_login_form(page)
    log_in(page, "rep", "demo1234", labels=ENGLISH)
    expect(page.get_by_role("heading", name="Goal behind a link")).to_be_visible()
    assert _address(page, "id") == ("/goal", {"id": [str(goal_id)]})
    screenshot(page, "deep_link_goal")


def test_a_link_to_a_page_the_role_may_not_see_says_so(
    context: BrowserContext, app_url: str
) -> None:
    page = open_app(context, f"{app_url}/targets")
    _at_the_login_form(page)
    log_in(page, "rep", "demo1234", labels=ENGLISH)
    # The permission message in the rep's Chinese; nothing of the bulk targets page.
    expect(page.get_by_text("你无权访问此内容。")).to_be_visible()
    expect(page.get_by_role("heading", name="批量目标")).to_have_count(0)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    # Out of the menu: the rep's navigation offers no page it cannot open.
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="批量目标")).to_have_count(
        0
    )
    screenshot(page, "deep_link_denied")
