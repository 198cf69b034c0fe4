"""ui/customers/diary.py: the timeline shows who made and logged each contact, the log form
offers a manager the choice of maker and refuses bad input in the user's language, and a
follow-up section lists its rows, says how many it holds back and marks one done."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import Interaction
from services import settings
from services.access import Actor
from services.customers import diary
from services.i18n import translate
from tests.factories import Org, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui import runtime
from ui.feedback import FLASH_KEY
from ui.i18n import LOCALE_KEY

ROOT = Path(__file__).resolve().parents[3]


def _timeline(entries: list) -> None:  # the body runs as a script: builtins only
    from ui.customers.diary import contact_timeline

    contact_timeline(entries)


def _log_form(customer_id: int) -> None:
    from services.customers import records as customers
    from ui import runtime
    from ui.customers.diary import log_contact_form

    log_contact_form(runtime.call(customers.get, customer_id))


def _overdue() -> None:
    import streamlit as st

    from services.customers import diary
    from ui import runtime
    from ui.customers.diary import follow_up_list

    found = runtime.cached(diary.my_follow_ups, limit=st.session_state["limit"])
    follow_up_list("Overdue", found.overdue, "Nothing overdue.", show_rep=True)


@pytest.fixture
def follow_ups(tmp_path: Path) -> Callable[[Actor, int], AppTest]:
    """`_overdue` as a script beside the app's pages/, where its links to the customer page
    find that page (a script of AppTest.from_function has no pages); `limit` rows a list."""
    (tmp_path / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    script = tmp_path / "follow_ups_script.py"
    script.write_text(f"{inspect.getsource(_overdue)}\n_overdue()\n", encoding="utf-8")

    def shown(actor: Actor, limit: int) -> AppTest:
        at = AppTest.from_file(str(script), default_timeout=30)
        at.session_state[runtime.ACTOR_KEY] = actor
        at.session_state[LOCALE_KEY] = "en"
        at.session_state["limit"] = limit
        return _run(at)

    return shown


def _rep_box() -> None:
    import streamlit as st

    from ui import runtime
    from ui.customers.diary import follow_up_rep

    st.session_state["chosen"] = follow_up_rep(runtime.current_actor())


def _run(started: Any) -> AppTest:
    """Run the app (an AppTest, or a widget just used in it) and check it did not fail."""
    at = started.run()
    assert not at.exception, at.exception
    return at


def _contacts(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Interaction)).one()


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _actor(engine: Engine, org: Org, who: str) -> Actor:
    with Session(engine) as session:
        return org.actor(session, getattr(org, who))


def _customer_id(engine: Engine, org: Org, name: str = "Acme") -> int:
    with Session(engine) as session:
        made = make_customer(session, org.east_rep.id, name)
        assert made.id is not None
        return made.id


def test_the_timeline_names_who_made_and_who_logged_each_contact(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    with Session(app_env, expire_on_commit=False) as session:
        manager, rep = (org.actor(session, user) for user in (org.east_manager, org.east_rep_user))
        now = datetime.now(UTC)
        diary.log_interaction(session, manager, customer_id=customer_id, data={
            "occurred_at": now - timedelta(hours=2), "channel": "visit", "summary": "Site tour",
            "rep_id": None,
        })  # fmt: skip
        diary.log_interaction(session, rep, customer_id=customer_id, data={
            "occurred_at": now, "channel": "call", "summary": "Quote", "outcome": "Interested",
            "next_follow_up_on": settings.office_today(session) + timedelta(days=3),
        })  # fmt: skip
        entries = diary.timeline(session, manager, customer_id)
    at = _run(piece(_timeline, entries, locale="zh_CN"))
    zh = lambda text: translate("zh_CN", text)  # noqa: E731
    table = at.dataframe[0].value
    assert list(table[zh("Summary")]) == ["Quote", "Site tour"]  # the newest first
    assert list(table[zh("Channel")]) == [zh("Call"), zh("Visit")]
    assert list(table[zh("Rep")]) == ["East Rep", zh("Nobody from sales")]
    assert list(table[zh("Logged by")]) == ["Eastrep", "Eastboss"]
    assert list(table[zh("Outcome")]) == ["Interested", ""]
    assert table[zh("Next follow-up")][1] == ""  # none planned
    assert table[zh("Next follow-up")][0] != ""


def test_an_empty_timeline_says_so(app_env: Engine) -> None:
    at = _run(piece(_timeline, []))
    assert [info.value for info in at.info] == ["No contact logged yet."]
    assert len(at.dataframe) == 0


def test_a_manager_chooses_who_made_the_contact_a_rep_does_not(app_env: Engine, org: Org) -> None:
    customer_id = _customer_id(app_env, org)
    manager = _run(piece(_log_form, customer_id, actor=_actor(app_env, org, "east_manager")))
    maker = by_label(manager.selectbox, "Made by")
    # Nobody from sales first and chosen, so nobody is credited by accident.
    assert (maker.options, maker.value) == (["Nobody from sales", "East Rep", "East Sub Rep"], 0)
    rep = _run(piece(_log_form, customer_id, actor=_actor(app_env, org, "east_rep_user")))
    assert "Made by" not in [box.label for box in rep.selectbox]


def test_a_contact_without_a_summary_is_refused_in_the_users_language(
    app_env: Engine, org: Org
) -> None:
    customer_id = _customer_id(app_env, org)
    rep = _actor(app_env, org, "east_rep_user")
    at = _run(piece(_log_form, customer_id, actor=rep, locale="zh_CN"))
    _run(by_label(at.button, translate("zh_CN", "Log contact")).click())
    assert [error.value for error in at.error] == [translate("zh_CN", "Write what was discussed.")]
    assert _contacts(app_env) == 0

    at.text_area(key=f"customer__contact_{customer_id}_summary").input("Called back")
    _run(by_label(at.button, translate("zh_CN", "Log contact")).click())
    assert _contacts(app_env) == 1
    assert at.session_state[FLASH_KEY] == translate("zh_CN", "The contact was logged.")


def _promise(engine: Engine, org: Org, name: str, days_late: int) -> int:
    """East Rep's new customer with a follow-up `days_late` days overdue; the contact's id."""
    customer_id = _customer_id(engine, org, name)
    with Session(engine, expire_on_commit=False) as session:
        due = settings.office_today(session) - timedelta(days=days_late)
        contact = diary.log_interaction(
            session, org.actor(session, org.east_rep_user), customer_id=customer_id,
            data={"occurred_at": datetime.now(UTC) - timedelta(days=days_late + 1),
                  "channel": "email", "summary": f"Promised {name}", "next_follow_up_on": due},
        )  # fmt: skip
    return contact.id


def test_a_follow_up_section_lists_what_it_holds_and_how_many_more(
    app_env: Engine, org: Org, follow_ups: Callable[[Actor, int], AppTest]
) -> None:
    oldest = _promise(app_env, org, "Oldest Co", 5)
    _promise(app_env, org, "Newer Co", 2)
    at = follow_ups(_actor(app_env, org, "east_manager"), 1)
    assert [header.value for header in at.subheader] == ["Overdue (2)"]
    [link] = at.get("page_link")
    assert (link.proto.label, link.proto.page) == ("Oldest Co", "customer_page")
    with Session(app_env) as session:
        customer_id = session.get(Interaction, oldest).customer_id  # type: ignore[union-attr]
    assert link.proto.query_string == f"id={customer_id}"
    assert "East Rep" in [markdown.value for markdown in at.markdown]  # show_rep
    assert [caption.value for caption in at.caption][-1] == "Showing the first 1 of 2."

    _run(at.button(key=f"follow_ups__done_{oldest}").click())
    with Session(app_env) as session:
        done = session.get(Interaction, oldest)
        assert done is not None and done.follow_up_done_at is not None
    assert at.session_state[FLASH_KEY] == "Follow-up with Oldest Co marked done."


def test_an_empty_follow_up_section_says_so(
    app_env: Engine, org: Org, follow_ups: Callable[[Actor, int], AppTest]
) -> None:
    at = follow_ups(_actor(app_env, org, "east_rep_user"), 30)
    assert [header.value for header in at.subheader] == ["Overdue (0)"]
    assert [info.value for info in at.info] == ["Nothing overdue."]


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
