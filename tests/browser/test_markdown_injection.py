"""In Chromium, text from users and from the link is drawn as typed: no link, image or
formatting comes out of it, bare addresses included (Markdown would autolink them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlmodel import Session, select

from models import Complaint, Customer, Interaction, User
from models.base import utcnow
from models.enums import Severity
from services import settings
from tests.browser.conftest import Served, log_in, open_app, screenshot, wait_for_app_loaded

pytestmark = pytest.mark.browser
ENGLISH = ("Username", "Password", "Log in")
NAME = "www.evil.example"
LINK = "[Session expired - log in](https://evil.example/login)"
IMAGE = "![x](https://evil.example/x.png)"
NOTE = f"See https://evil.example/a or write to user@evil.example. {LINK} **bold** {IMAGE}"
SUMMARY = f"Sent {LINK} and www.evil.example/offer"


@pytest.fixture(scope="module")
def customer_id(served: Served) -> Iterator[int]:
    """A customer named like an address, with a note, a contact and a complaint holding links,
    and the admin's display name a Markdown link; written before the pages first read them."""
    engine = create_engine(served.database_url)
    with Session(engine) as session:
        today = settings.office_today(session)
        admin = session.exec(select(User).where(User.username == "admin")).one()
        admin.display_name = f"{LINK} www.evil.example"
        rep_id = _rep_id(session)
        customer = Customer(name=NAME, notes=NOTE, contact_name=LINK, owner_rep_id=rep_id)
        session.add_all([admin, customer])
        session.flush()
        assert customer.id is not None
        session.add_all([
            Interaction(
                customer_id=customer.id, rep_id=rep_id, channel="call", summary=SUMMARY,
                occurred_at=utcnow(),
            ),
            Complaint(
                customer_id=customer.id, rep_id=rep_id, opened_on=today,
                category="Service", severity=Severity.LOW, description=NOTE, due_on=today,
            ),
        ])  # fmt: skip
        session.commit()
        yield customer.id
    engine.dispose()


def _rep_id(session: Session) -> int:
    rep_id = session.exec(select(User.rep_id).where(User.username == "rep")).one()
    assert rep_id is not None
    return rep_id


def _assert_nothing_from_user_text(page: Page, *literals: str) -> None:
    """No element points at the payload's site, and the reader sees the payload as typed."""
    # A heading's own "#..." anchor (Streamlit's, named after its text) stays on the page.
    away = "a[href*='evil']:not([href^='#']), img[src*='evil']"
    expect(page.locator(away)).to_have_count(0)
    formatted = page.locator("strong, em, del, h1, h2, h3, li, table, code, .katex")
    expect(formatted.filter(has_text=re.compile(r"^(bold|x)$"))).to_have_count(0)
    # The escaping's word joiners are invisible; the reader's text is the typed one.
    shown = page.evaluate("() => document.body.innerText.replaceAll('\\u2060', '')")
    for literal in literals:
        assert literal in shown, literal


def test_a_link_in_the_url_and_a_display_name_stay_text(context, app_url, customer_id) -> None:
    page = open_app(context, f"{app_url}/?metric={LINK}")
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    expect(page.get_by_test_id("stAlert").first).to_be_visible()
    _assert_nothing_from_user_text(page, LINK, f"Welcome, {LINK} www.evil.example")
    screenshot(page, "markdown_injection_home")


def test_a_customer_named_like_an_address_and_its_notes_stay_text(
    context, app_url, customer_id
) -> None:
    page = open_app(context, app_url)
    log_in(page, "admin", "demo1234", labels=ENGLISH)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Customer file").click()
    wait_for_app_loaded(page)
    page.get_by_label("Find a customer by name", exact=True).fill("evil")
    page.keyboard.press("Enter")
    wait_for_app_loaded(page)
    _assert_nothing_from_user_text(page, NAME)
    page.get_by_test_id("stPageLink").filter(has_text="evil").click()
    wait_for_app_loaded(page)
    page.get_by_role("tab", name="Complaints").click()
    page.get_by_text("Service complaint", exact=False).click()
    _assert_nothing_from_user_text(page, NAME, NOTE, LINK)
    screenshot(page, "markdown_injection_customer")
