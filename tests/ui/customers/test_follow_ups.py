"""ui/customers/follow_ups.py: the title and the rep box follow the role; a section lists its
rows with links, pages past PAGE_SIZE, marks one done and moves one with its reason, refusing
a past day or no reason in the user's language."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel import dates
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Interaction
from services import settings
from services.access import Actor
from services.customers.follow_ups import PAGE_SIZE
from services.i18n import translate
from tests.factories import Org, make_customer, make_follow_up
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui import runtime
from ui.feedback import FLASH_KEY
from ui.i18n import LOCALE_KEY

ROOT = Path(__file__).resolve().parents[3]


def _section() -> None:
    import streamlit as st

    from ui.customers.follow_ups import follow_up_section

    follow_up_section(st.session_state["due"], None, show_rep=True)


@pytest.fixture
def section(tmp_path: Path) -> Callable[..., AppTest]:
    """`_section` as a script beside the app's pages/, where its links to the customer page
    find that page (a script of AppTest.from_function has no pages)."""
    (tmp_path / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    script = tmp_path / "follow_ups_script.py"
    script.write_text(f"{inspect.getsource(_section)}\n_section()\n", encoding="utf-8")

    def shown(actor: Actor, due: str = "overdue", locale: str = "en") -> AppTest:
        at = AppTest.from_file(str(script), default_timeout=30)
        at.session_state[runtime.ACTOR_KEY] = actor
        at.session_state[LOCALE_KEY] = locale
        at.session_state["due"] = due
        return _run(at)

    return shown


def _title() -> None:
    import streamlit as st

    from ui import runtime
    from ui.customers.follow_ups import follow_ups_title

    st.title(follow_ups_title(runtime.current_actor()))


def _rep_box() -> None:
    import streamlit as st

    from ui import runtime
    from ui.customers.follow_ups import follow_up_rep

    st.session_state["chosen"] = follow_up_rep(runtime.current_actor())


def _run(started: AppTest) -> AppTest:
    at = started.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _actor(engine: Engine, org: Org, who: str) -> Actor:
    with Session(engine) as session:
        return org.actor(session, getattr(org, who))


def _promise(engine: Engine, org: Org, name: str, days_late: int) -> Interaction:
    """East Rep's new customer `name` owed a follow-up `days_late` days overdue."""
    with Session(engine, expire_on_commit=False) as session:
        due = settings.office_today(session) - timedelta(days=days_late)
        return make_follow_up(session, make_customer(session, org.east_rep.id, name), due)


def _today(engine: Engine) -> date:
    with Session(engine) as session:
        return settings.office_today(session)


def _stored(engine: Engine, interaction_id: int | None) -> Interaction:
    with Session(engine) as session:
        found = session.get(Interaction, interaction_id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("who", "title"),
    [("east_rep_user", "My follow-ups"), ("east_manager", "Follow-ups"), ("admin", "Follow-ups")],
)
def test_the_title_says_whose_follow_ups(app_env: Engine, org: Org, who: str, title: str) -> None:
    at = _run(piece(_title, actor=_actor(app_env, org, who), locale="zh_CN"))
    assert [header.value for header in at.title] == [translate("zh_CN", title)]


@pytest.mark.parametrize(
    ("who", "everyone"), [("east_manager", "All my reps"), ("admin", "All reps")]
)
def test_a_manager_or_admin_picks_a_rep_or_everyone(
    app_env: Engine, org: Org, who: str, everyone: str
) -> None:
    at = _run(piece(_rep_box, actor=_actor(app_env, org, who)))
    box = by_label(at.selectbox, "Rep")
    assert box.options[0] == everyone and "East Rep" in box.options
    assert at.session_state["chosen"] is None
    _run(box.select(org.east_rep.id))
    assert at.session_state["chosen"] == org.east_rep.id


def test_a_rep_sees_only_their_own_follow_ups_without_a_box(app_env: Engine, org: Org) -> None:
    at = _run(piece(_rep_box, actor=_actor(app_env, org, "east_rep_user")))
    assert len(at.selectbox) == 0 and at.session_state["chosen"] is None


def test_a_section_links_each_row_and_marks_one_done(
    app_env: Engine, org: Org, section: Callable[..., AppTest]
) -> None:
    oldest = _promise(app_env, org, "Oldest Co", 5)
    _promise(app_env, org, "Newer Co", 2)
    at = section(_actor(app_env, org, "east_manager"))
    assert [header.value for header in at.subheader] == ["Overdue (2)"]
    links = at.get("page_link")
    assert [(link.proto.label, link.proto.page) for link in links] == [
        ("Oldest Co", "customer_page"), ("Newer Co", "customer_page"),
    ]  # fmt: skip
    assert links[0].proto.query_string == f"id={oldest.customer_id}"
    assert "East Rep" in [markdown.value for markdown in at.markdown]  # show_rep
    assert not [button for button in at.button if button.label == "Next"]  # one page

    _run(at.button(key=f"follow_ups__done_{oldest.id}").click())
    assert _stored(app_env, oldest.id).follow_up_done_at is not None
    assert at.session_state[FLASH_KEY] == "Follow-up with Oldest Co marked done."


def test_a_long_section_turns_its_pages(
    app_env: Engine, org: Org, section: Callable[..., AppTest]
) -> None:
    for number in range(PAGE_SIZE + 1):
        _promise(app_env, org, f"Client {number:02}", 40 - number)
    at = section(_actor(app_env, org, "east_rep_user"))
    assert [header.value for header in at.subheader] == [f"Overdue ({PAGE_SIZE + 1})"]
    assert len(at.get("page_link")) == PAGE_SIZE
    assert "Page 1 of 2" in [caption.value for caption in at.caption]
    _run(by_label(at.button, "Next").click())
    assert [link.proto.label for link in at.get("page_link")] == [f"Client {PAGE_SIZE:02}"]
    assert "Page 2 of 2" in [caption.value for caption in at.caption]
    _run(by_label(at.button, "Previous").click())
    assert len(at.get("page_link")) == PAGE_SIZE


def _move(at: AppTest, row: Interaction, day: date | None, reason: str) -> AppTest:
    prefix = f"follow_ups__move_{row.id}_"
    at.date_input(key=f"{prefix}day").set_value(day)
    at.text_input(key=f"{prefix}reason").input(reason)
    [submit] = [
        button for button in at.button
        if button.label == translate(at.session_state[LOCALE_KEY], "Move")
        and button.proto.form_id == f"{prefix}form"
    ]  # fmt: skip
    return _run(submit.click())


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (-1, "Customer asked", "The new date cannot be in the past."),
        (3, "  ", "Give a reason for moving the follow-up."),
        (None, "Customer asked", "Choose the day to move the follow-up to."),
    ],
)
def test_a_bad_move_is_refused_in_the_users_language_and_nothing_moves(
    app_env: Engine,
    org: Org,
    section: Callable[..., AppTest],
    days: int | None,
    reason: str,
    message: str,
) -> None:
    promise = _promise(app_env, org, "Acme", 2)
    at = section(_actor(app_env, org, "east_rep_user"), locale="zh_CN")
    day = None if days is None else _today(app_env) + timedelta(days=days)
    _move(at, promise, day, reason)
    assert [error.value for error in at.error] == [translate("zh_CN", message)]
    stored = _stored(app_env, promise.id)
    assert (stored.version, stored.next_follow_up_on) == (1, promise.next_follow_up_on)


def test_a_move_keeps_its_reason_and_the_row_leaves_overdue(
    app_env: Engine, org: Org, section: Callable[..., AppTest]
) -> None:
    promise = _promise(app_env, org, "Acme", 2)
    at = section(_actor(app_env, org, "east_rep_user"))
    later = _today(app_env) + timedelta(days=4)
    _move(at, promise, later, "On holiday")
    stored = _stored(app_env, promise.id)
    assert (stored.next_follow_up_on, stored.rescheduled_reason) == (later, "On holiday")
    day = dates.format_date(later, format="medium", locale="en")
    assert at.session_state[FLASH_KEY] == f"Follow-up with Acme moved to {day}."
    assert [header.value for header in at.subheader] == ["Overdue (0)"]
    upcoming = section(_actor(app_env, org, "east_rep_user"), due="upcoming")
    assert any("Moved: On holiday" in caption.value for caption in upcoming.caption)
