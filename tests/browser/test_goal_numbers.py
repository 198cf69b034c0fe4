"""A big goal on its page in Chromium at 1400 px, in the manager's Chinese: its tiles show the
amount short and whole (it was cut to "CN¥6,892,60…"), the chart's money axis reads ¥…万 at
round amounts (Vega alone wrote 10,000,000 with no currency), the SMART check's date is
written as every date is."""

from __future__ import annotations

import pytest
from babel.dates import format_date
from playwright.sync_api import Browser, expect

from services.i18n import translate
from tests.browser.conftest import (
    Served,
    log_in,
    open_app,
    rep_goal_today,
    screenshot,
    wait_for_app_loaded,
)

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
# The element is wider than the text it holds: nothing is cut off.
FITS = "els => els.map(e => e.scrollWidth <= e.clientWidth)"


def test_a_big_goal_fits_its_tiles_and_its_axis_reads_wan(browser: Browser, served: Served) -> None:
    # CN¥6,892,600.37: what the issue saw cut off at 1400 px.
    goal_id, today = rep_goal_today(served.database_url, 689_260_037, "A big month")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = open_app(context, served.url)
        log_in(page, "manager", "demo1234", labels=ENGLISH)
        # Logged in (the cookie set) before the goal's address is opened.
        expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
        page.goto(f"{served.url}/goal?id={goal_id}")
        wait_for_app_loaded(page)
        expect(page.get_by_role("heading", name="A big month")).to_be_visible()
        target = page.get_by_test_id("stMetric").filter(has_text="目标")
        expect(target.get_by_test_id("stMetricValue")).to_have_text("¥689.26万")
        values = page.get_by_test_id("stMetricValue")
        assert all(values.evaluate_all(FITS)), values.all_inner_texts()
        chart = page.get_by_test_id("stVegaLiteChart")
        axis = chart.locator('g.role-axis[aria-label^="Y-axis"] g.role-axis-label text')
        expect(axis).to_have_text(["¥0", "¥200万", "¥400万", "¥600万", "¥800万"])
        # The SMART check's end date as Babel writes it, not 2026-12-31.
        end = format_date(today, "medium", locale="zh_CN")
        expect(page.get_by_text(translate("zh_CN", "Ends on {end}.", end=end))).to_be_visible()
        screenshot(page, "goal_numbers")
    finally:
        context.close()
