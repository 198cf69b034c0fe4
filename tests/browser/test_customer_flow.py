"""A rep's daily CRM work in Chromium: add a customer, log a call, see it on the timeline.

The demo rep reads Chinese, so every label is looked up in the zh_CN catalog.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from services.i18n import translate
from tests.browser.conftest import log_in, open_app, screenshot, wait_for_app_loaded

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
NAME = "Harbour Tea 港湾茶行"
SUMMARY = "Tasted the spring samples; wants 40 boxes"


def zh(msgid: str) -> str:
    return translate("zh_CN", msgid)


def test_a_rep_adds_a_customer_logs_a_call_and_sees_it(context, app_url) -> None:
    page = open_app(context, app_url)
    log_in(page, "rep", "demo1234", labels=ENGLISH)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=zh("Customer file"), exact=False).click()
    wait_for_app_loaded(page)
    add = page.get_by_role("link", name=zh("Add a customer"))
    expect(add).to_be_visible()
    add.click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name=zh("Add a customer"))).to_be_visible()

    page.get_by_label(zh("Name"), exact=True).fill(NAME)
    page.get_by_label(zh("Phone"), exact=True).fill("+86 21 5555 0101")
    page.get_by_role("button", name=zh("Add customer")).click()
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()

    page.get_by_text(zh("Log a contact")).click()
    page.get_by_label(zh("Summary"), exact=True).fill(SUMMARY)
    page.get_by_role("button", name=zh("Log contact")).click()
    wait_for_app_loaded(page)
    expect(page.get_by_text(zh("The contact was logged."))).to_be_visible()
    timeline = page.get_by_test_id("stDataFrame").filter(visible=True).first
    expect(timeline.get_by_text(SUMMARY)).to_have_count(1)
    screenshot(page, "rep_customer_timeline")


def test_one_click_on_a_name_in_the_list_opens_the_customer_in_the_same_tab(
    context, app_url
) -> None:
    page = open_app(context, app_url)
    log_in(page, "rep", "demo1234", labels=ENGLISH)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=zh("Customers"), exact=True).click()
    wait_for_app_loaded(page)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    # The grid is drawn on a canvas: the first row's Name (the first column) is one header
    # and half a row (35 px each) below the table's top.
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
    page.wait_for_url(lambda url: "/customer?" in url and "id=" in url)
    wait_for_app_loaded(page)
    expect(page.get_by_role("heading", name=zh("Customer file"))).to_be_visible()
    assert context.pages == [page]
    screenshot(page, "customer_opened_from_the_list")
