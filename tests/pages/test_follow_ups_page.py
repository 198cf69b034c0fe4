"""My follow-ups on the demo data: the three sections, Done, a manager's rep picker."""

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
from services.customers import diary
from tests.factories import promise_a_follow_up
from tests.pages.conftest import by_label, errors
from ui.text import plain

PAGE = "pages/follow_ups_page.py"


def _actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _follow_ups(engine: Engine, username: str, rep_id: int | None = None) -> diary.FollowUps:
    with Session(engine) as session:
        return diary.my_follow_ups(session, _actor(engine, username), rep_id=rep_id)


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
    assert mine.overdue.total > 0
    at = _open_page(logged_in, "rep")
    assert _sections(at) == [
        f"Overdue ({mine.overdue.total})",
        f"Today ({mine.today.total})",
        f"Upcoming ({mine.upcoming.total})",
    ]
    assert "Rep" not in [box.label for box in at.selectbox]
    oldest = mine.overdue.rows[0]
    at.button(key=f"follow_ups__done_{oldest.id}").click().run()
    assert not at.exception, at.exception
    assert [success.value for success in at.success] == [
        f"Follow-up with {plain(oldest.customer)} marked done."
    ]
    assert _sections(at)[0] == f"Overdue ({mine.overdue.total - 1})"
    with Session(demo_app) as session:
        done = session.get(Interaction, oldest.id)
    assert done is not None and done.follow_up_done_at is not None


def test_a_follow_up_done_elsewhere_meanwhile_just_leaves_the_list(
    demo_app: Engine, logged_in: Callable[..., AppTest]
) -> None:
    _promised(demo_app, _actor(demo_app, "rep").rep_id)
    mine = _follow_ups(demo_app, "rep")
    oldest = mine.overdue.rows[0]
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
    assert _sections(at)[0] == f"Overdue ({mine.overdue.total - 1})"
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
    assert by_label(at.selectbox, "Rep").value == 0  # everyone in the manager's teams
    assert _sections(at)[0] == f"Overdue ({team.overdue.total})"
    # The rep of the oldest overdue follow-up of the team.
    with Session(demo_app) as session:
        rep_id = session.exec(
            select(Interaction.rep_id).where(col(Interaction.id) == team.overdue.rows[0].id)
        ).one()
    one_rep = _follow_ups(demo_app, "manager", rep_id=rep_id)
    assert 0 < one_rep.overdue.total < team.overdue.total
    by_label(at.selectbox, "Rep").select(rep_id).run()
    assert not at.exception, at.exception
    assert _sections(at) == [
        f"Overdue ({one_rep.overdue.total})",
        f"Today ({one_rep.today.total})",
        f"Upcoming ({one_rep.upcoming.total})",
    ]
