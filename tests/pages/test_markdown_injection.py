"""Text from users and from the URL reaches the page as literal text: each place that shows
it hands Streamlit `plain(text)`, never the raw Markdown (a link, an image, a bare address)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import Complaint, Customer, Interaction, Rep, Survey, Team, User
from models.base import utcnow
from models.enums import PeriodKind, Severity
from seed import DEMO_PASSWORD
from tests.factories import make_customer, make_goal, make_rep
from tests.pages.conftest import by_label, new_app, office_today, submit_login
from ui.text import plain

PAYLOAD = "[x](http://evil.example) ![x](http://evil.example/x.png) www.evil.example"
ESCAPED = plain(PAYLOAD)
MARKDOWN_ELEMENTS = [
    "markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
    "page_link",
]  # fmt: skip


def _shown(at: AppTest) -> list[str]:
    """The Markdown source of everything Streamlit renders as Markdown on the page."""
    texts = [element.value for kind in MARKDOWN_ELEMENTS for element in getattr(at, kind)]
    labels = [*at.expander, *at.tabs, *at.button, *at.metric]
    return texts + [element.label for element in labels]


def _assert_literal(at: AppTest, escaped: str = ESCAPED) -> None:
    """The escaped text is on the page and the raw payload is nowhere in its Markdown."""
    assert not at.exception, at.exception
    shown = _shown(at)
    assert any(escaped in text for text in shown), shown
    assert not any(PAYLOAD in text for text in shown)


def _open(at: AppTest, page: str, **params: str) -> AppTest:
    at.query_params.update(params)
    return at.switch_page(page).run()


def _rep_of(session: Session, username: str) -> Rep:
    rep_id = session.exec(select(User.rep_id).where(User.username == username)).one()
    return session.get_one(Rep, rep_id)


@pytest.mark.parametrize(
    "page", ["pages/home_page.py", "pages/leaderboard_page.py", "pages/targets_page.py"]
)
def test_a_metric_in_the_link_is_explained_as_literal_text(demo_app: Engine, page: str) -> None:
    # The link is opened before logging in, so Home (the first page after login) reads it too.
    at = new_app()
    at.query_params["metric"] = PAYLOAD
    at.run()
    # The warning shows once, on the run that first reads the link.
    submit_login(at, "admin", DEMO_PASSWORD)
    if page != "pages/home_page.py":
        _open(at, page, metric=PAYLOAD)  # Home wrote its own choice to the link
    _assert_literal(at)
    assert any(ESCAPED in warning.value for warning in at.warning)


def test_goal_title_owner_and_parent_title_are_literal(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    today = office_today(demo_app)
    with Session(demo_app) as session:
        team = session.exec(select(Team).order_by(Team.id)).first()
        rep = make_rep(session, team, name=PAYLOAD)
        month = (today.replace(day=1), today)
        parent = make_goal(session, team, *month, 100, kind=PeriodKind.CUSTOM, title=PAYLOAD)
        goal_id = make_goal(session, rep, *month, 50, parent=parent, title=PAYLOAD + " (rep)").id
    at = _open(logged_in("admin"), "pages/goal_page.py", id=str(goal_id))
    assert at.subheader[0].value == plain(PAYLOAD + " (rep)")
    assert ESCAPED in at.caption[0].value  # the owner, the rep named like a link
    assert any(ESCAPED in link.value for link in at.page_link)  # "Part of: <parent>"
    _assert_literal(at)


def test_the_display_name_on_home_is_literal(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    with Session(demo_app) as session:
        user = session.exec(select(User).where(User.username == "rep")).one()
        user.display_name = PAYLOAD
        session.add(user)
        session.commit()
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    assert f"Welcome, {ESCAPED}" in [subheader.value for subheader in at.subheader]
    _assert_literal(at)


@pytest.fixture
def customer(demo_app: Engine) -> Customer:
    """A customer of `rep` whose name, notes and contact are Markdown, with a contact, an open
    complaint and a survey whose texts are Markdown too."""
    today = office_today(demo_app)
    with Session(demo_app) as session:
        rep = _rep_of(session, "rep")
        customer = make_customer(
            session, rep.id, name=PAYLOAD, notes=PAYLOAD, preferences=PAYLOAD,
            contact_name=PAYLOAD,
        )  # fmt: skip
        session.add_all([
            Interaction(
                customer_id=customer.id, rep_id=rep.id, channel="call", summary=PAYLOAD,
                occurred_at=utcnow(), next_follow_up_on=today,
            ),
            Complaint(
                customer_id=customer.id, rep_id=rep.id, opened_on=today, category="Service",
                severity=Severity.LOW, description=PAYLOAD, due_on=today,
            ),
            Survey(customer_id=customer.id, rep_id=rep.id, surveyed_on=today, score=4,
                   comment=PAYLOAD),
        ])  # fmt: skip
        session.commit()
        session.refresh(customer)
        return customer


@pytest.fixture
def rep_app(logged_in: Callable[..., AppTest]) -> AppTest:
    at = logged_in("rep")
    by_label(at.selectbox, "Language / 语言").select("en").run()
    return at


def test_the_customer_file_shows_name_notes_and_complaint_as_literal_text(
    customer: Customer, rep_app: AppTest
) -> None:
    at = _open(rep_app, "pages/customer_page.py", id=str(customer.id))
    assert at.header[0].value == ESCAPED
    fields = [markdown.value for markdown in at.markdown]
    for label in ["Notes", "Preferences", "Contact"]:
        assert f"**{label}**  \n{ESCAPED}" in fields
    complaint = next(e for e in at.expander if e.label.startswith(plain("Service complaint")))
    assert [caption.value for caption in complaint.caption] == [ESCAPED]
    _assert_literal(at)


def test_a_customer_found_by_name_links_with_a_literal_label(
    customer: Customer, rep_app: AppTest
) -> None:
    at = _open(rep_app, "pages/customer_page.py")
    at.text_input(key="customer__search").input("evil").run()
    assert ESCAPED in [link.value for link in at.page_link]
    _assert_literal(at)


def test_follow_ups_show_customer_and_summary_as_literal_text(
    demo_app: Engine, customer: Customer, rep_app: AppTest
) -> None:
    at = _open(rep_app, "pages/follow_ups_page.py")
    assert ESCAPED in [link.value for link in at.page_link]
    assert any(caption.value.endswith(f" · {ESCAPED}") for caption in at.caption)
    with Session(demo_app) as session:
        query = select(Interaction.id).where(Interaction.customer_id == customer.id)
        contact_id = session.exec(query).one()
    at.button(key=f"follow_ups__done_{contact_id}").click().run()
    assert f"Follow-up with {ESCAPED} marked done." in [s.value for s in at.success]
    _assert_literal(at)


def test_a_deal_title_in_the_flash_is_literal(customer: Customer, rep_app: AppTest) -> None:
    at = _open(rep_app, "pages/customer_page.py", id=str(customer.id))
    at.text_input(key="customer__deal_add__title").input(PAYLOAD)
    at.text_input(key="customer__deal_add__amount").input("100")
    by_label(at.button, "Add the deal").click().run()
    assert f"The deal {ESCAPED} was added." in [success.value for success in at.success]
    _assert_literal(at)
