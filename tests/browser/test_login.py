"""Logging in through the real form in Chromium: language switch, lockout, revoked cookies."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, expect

from tests.browser.conftest import log_in, open_app, screenshot, wait_for_app_loaded

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
COOKIE = "repboard_auth"


def _auth_cookie(context: BrowserContext) -> Cookie:
    # The authenticator sets it from a component, a moment after the app appears.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = [cookie for cookie in context.cookies() if cookie["name"] == COOKIE]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the login cookie was never set")


def test_admin_logs_in_switches_to_chinese_and_logs_out(context, app_url) -> None:
    page = open_app(context, app_url)
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    expect(page.get_by_text("Ada Admin").first).to_be_visible()

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("Language / 语言").click()
    page.get_by_role("option", name="简体中文").click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name="首页")).to_be_visible()
    screenshot(page, "admin_home_zh")

    page.get_by_role("button", name="退出登录").click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.get_by_text("你已退出登录。")).to_be_visible()


def test_lockout_after_five_wrong_passwords(context, app_url) -> None:
    page = open_app(context, app_url)
    for _ in range(4):
        log_in(page, "rep", "wrong-password", labels=ENGLISH)
        expect(page.get_by_text("Username or password is incorrect.")).to_be_visible()
    log_in(page, "rep", "wrong-password", labels=ENGLISH)
    locked = page.get_by_text("Too many failed attempts. This account is locked until")
    expect(locked).to_be_visible()
    log_in(page, "rep", "demo1234", labels=ENGLISH)
    expect(locked).to_be_visible()
    expect(page.get_by_role("heading", name="首页")).to_have_count(0)
    screenshot(page, "rep_locked")


def test_old_cookie_does_not_open_the_app_after_logout(
    browser: Browser, context: BrowserContext, app_url: str
) -> None:
    page = open_app(context, app_url)
    log_in(page, "manager", "demo1234", labels=ENGLISH)
    expect(page.get_by_role("heading", name="首页")).to_be_visible()
    cookie = _auth_cookie(context)

    # The cookie alone opens the app in a new browser while the session is open.
    second = browser.new_context()
    second.add_cookies([cookie])
    reopened = open_app(second, app_url)
    expect(reopened.get_by_role("heading", name="首页")).to_be_visible()
    second.close()

    page.get_by_role("button", name="退出登录").click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("button", name="登录")).to_be_visible()

    third = browser.new_context()
    third.add_cookies([cookie])
    replayed = open_app(third, app_url)
    # A rerun may still show the faded form beside the new one for a moment.
    login_form = replayed.get_by_label("用户名").or_(replayed.get_by_label("Username"))
    expect(login_form.first).to_be_visible()
    expect(replayed.get_by_role("heading", name="首页")).to_have_count(0)
    screenshot(replayed, "replayed_cookie")
    third.close()
