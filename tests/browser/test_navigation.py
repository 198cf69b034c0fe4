"""The admin's sidebar navigation in Chromium: every section open, Users and My account in
sight, and no Streamlit "View more / View less" button (one we could not translate)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_app, screenshot

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
VIEW_MORE_OR_LESS = re.compile(r"^View (\d+ )?(more|less)$")


def test_the_admin_s_navigation_shows_every_page(context, app_url) -> None:
    page = open_app(context, app_url)
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    navigation = page.get_by_test_id("stSidebarNav")
    titles = ["Home", "Customers", "Goals", "Bulk targets", "Board mode", "My account", "Users"]
    for title in titles:
        expect(navigation.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(navigation.get_by_text(VIEW_MORE_OR_LESS)).to_have_count(0)
    expect(page.get_by_role("button", name=VIEW_MORE_OR_LESS)).to_have_count(0)
    screenshot(page, "admin_navigation")
