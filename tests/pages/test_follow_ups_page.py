"""The follow-ups page on the demo data: a rep's own and a manager's team under their titles,
the three sections paged, Done, Reschedule, and a manager's rep picker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select, update
from streamlit.testing.v1 import AppTest

from models import Customer, Interaction, Rep, User
from models.base import utcnow
from services import data_version, settings
from services.access import Actor, build_actor
from services.customers import follow_ups
from services.customers.follow_ups import PAGE_SIZE, FollowUp
from services.paging import Paged
from tests.factories import promise_a_follow_up
from tests.pages.conftest import by_label, errors, office_today, titles
from ui.text import plain

PAGE = "pages/follow_ups_page.py"


def _actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _follow_ups(
    engine: Engine, username: str, rep_id: int | None = None, page: int = 1
) -> dict[str, Paged[FollowUp]]:
    """Each section's page as the service reads it, by due window."""
    with Session(engine) as session:
        actor = _actor(engine, username)
        return {
            due: follow_ups.list_follow_ups(session, actor, due=due, rep_id=rep_id, page=page)
            for due in follow_ups.DUES
        }


def _headings(found: dict[str, Paged[FollowUp]]) -> list[str]:
    return [
        f"{title} ({found[due].total:,})"
        for due, title in zip(follow_ups.DUES, ["Overdue", "Today", "Upcoming"], strict=True)
    ]


def _open_page(logged_in: Callable[..., AppTest], username: str) -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _sections(at: AppTest) -> list[str]:
    return [header.value for header in at.subheader]


def _promised(engine: Engine, *rep_ids: int | None) -> None:
    """An overdue follow-up for each rep, so there is one whatever the demo's day."""
    with Session(engine) as session:
        overdue = settings.office_today(session) - timedelta(days=3)
        for rep_id in rep_ids:
            assert rep_id is not None
            promise_a_follow_up(session, rep_id, overdue)


def test_a_rep_sees_their_follow_ups_and_marks_one_done(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    _promised(demo_app, _actor(demo_app, "rep").rep_id)
    mine = _follow_ups(demo_app, "rep")
    at = _open_page(logged_in, "rep")
    assert titles(at) == ["My follow-ups"]
    assert _sections(at) == _headings(mine)
    assert "Rep" not in [box.label for box in at.selectbox]
    oldest = mine["overdue"].rows[0]
    at.button(key=f"follow_ups__done_{oldest.id}").click().run()
    assert not at.exception, at.exception
    assert [success.value for success in at.success] == [
        f"Follow-up with {plain(oldest.customer)} marked done."
    ]
    assert _sections(at) == _headings(_follow_ups(demo_app, "rep"))
    assert _sections(at)[0] == f"Overdue ({mine['overdue'].total - 1:,})"
    with Session(demo_app) as session:
        done = session.get(Interaction, oldest.id)
    assert done is not None and done.follow_up_done_at is not None


def test_a_follow_up_done_elsewhere_meanwhile_just_leaves_the_list(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    _promised(demo_app, _actor(demo_app, "rep").rep_id)
    mine = _follow_ups(demo_app, "rep")
    oldest = mine["overdue"].rows[0]
    at = _open_page(logged_in, "rep")
    # Marked done in another tab after this page showed it (a write bumps the data version).
    with Session(demo_app) as session:
        session.exec(
            update(Interaction)
            .where(col(Interaction.id) == oldest.id)
            .values(follow_up_done_at=utcnow(), version=Interaction.version + 1)
        )
        data_version.bump(session)
        session.commit()
    at.button(key=f"follow_ups__done_{oldest.id}").click().run()
    assert (errors(at), [success.value for success in at.success]) == ([], [])
    assert _sections(at)[0] == f"Overdue ({mine['overdue'].total - 1:,})"
    assert f"follow_ups__done_{oldest.id}" not in [button.key for button in at.button]


def test_nothing_open_shows_friendly_empty_sections(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    rep_id = _actor(demo_app, "rep").rep_id
    # Every follow-up the rep owes: those on the customers they own, whoever made the contact.
    owned = select(Customer.id).where(col(Customer.owner_rep_id) == rep_id)
    with Session(demo_app) as session:
        session.exec(
            update(Interaction)
            .where(
                col(Interaction.customer_id).in_(owned),
                col(Interaction.follow_up_done_at).is_(None),
            )
            .values(follow_up_done_at=utcnow())
        )
        data_version.bump(session)
        session.commit()
    at = _open_page(logged_in, "rep")
    assert _sections(at) == ["Overdue (0)", "Today (0)", "Upcoming (0)"]
    assert [info.value for info in at.info] == [
        "Nothing overdue.",
        "Nothing due today.",
        "Nothing planned for the next two weeks.",
    ]


def test_a_long_section_has_a_next_page(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    # More overdue than one page holds, whatever the demo's day left open.
    _promised(demo_app, *[_actor(demo_app, "rep").rep_id] * (PAGE_SIZE + 1))
    first, second = (_follow_ups(demo_app, "rep", page=page)["overdue"] for page in (1, 2))
    assert first.pages >= 2 and second.rows
    at = _open_page(logged_in, "rep")
    done_keys = lambda: [b.key for b in at.button if b.key.startswith("follow_ups__done_")]  # noqa: E731
    overdue_shown = done_keys()[:PAGE_SIZE]
    assert overdue_shown == [f"follow_ups__done_{row.id}" for row in first.rows]
    caption = f"Page 1 of {first.pages}"
    assert caption in [c.value for c in at.caption]
    at.button(key="follow_ups__overdue_0_page_next").click().run()
    assert not at.exception, at.exception
    assert done_keys()[: len(second.rows)] == [f"follow_ups__done_{row.id}" for row in second.rows]
    assert f"Page 2 of {first.pages}" in [c.value for c in at.caption]
    assert _sections(at)[0] == f"Overdue ({first.total:,})"


def test_a_rep_moves_a_follow_up_with_a_reason(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    _promised(demo_app, _actor(demo_app, "rep").rep_id)
    mine = _follow_ups(demo_app, "rep")
    oldest = mine["overdue"].rows[0]
    at = _open_page(logged_in, "rep")
    prefix = f"follow_ups__move_{oldest.id}_"
    later = office_today(demo_app) + timedelta(days=3)
    at.date_input(key=f"{prefix}day").set_value(later)
    at.text_input(key=f"{prefix}reason").input("Customer travels this week")
    [move] = [b for b in at.button if b.label == "Move" and b.proto.form_id == f"{prefix}form"]
    move.click().run()
    assert not at.exception, at.exception
    assert errors(at) == []
    assert _sections(at)[0] == f"Overdue ({mine['overdue'].total - 1:,})"
    with Session(demo_app) as session:
        moved = session.get(Interaction, oldest.id)
    assert moved is not None
    assert (moved.next_follow_up_on, moved.rescheduled_reason, moved.follow_up_done_at) == (
        later, "Customer travels this week", None,
    )  # fmt: skip


def test_a_manager_sees_the_team_or_picks_one_rep(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    # Two reps of the manager's teams owe one, so one rep's list is shorter than the team's.
    with Session(demo_app) as session:
        two = session.exec(
            select(Rep.id)
            .where(
                col(Rep.team_id).in_(_actor(demo_app, "manager").team_ids),
                Rep.status == "active",
            )
            .order_by(col(Rep.id))
            .limit(2)
        ).all()
    _promised(demo_app, *two)
    team = _follow_ups(demo_app, "manager")
    at = _open_page(logged_in, "manager")
    assert titles(at) == ["Follow-ups"]
    box = by_label(at.selectbox, "Rep")
    assert (box.value, box.options[0]) == (0, "All my reps")  # everyone in the teams
    assert _sections(at) == _headings(team)
    one_rep = _follow_ups(demo_app, "manager", rep_id=two[0])
    assert 0 < one_rep["overdue"].total < team["overdue"].total
    by_label(at.selectbox, "Rep").select(two[0]).run()
    assert not at.exception, at.exception
    assert titles(at) == ["Follow-ups"]
    assert _sections(at) == _headings(one_rep)
