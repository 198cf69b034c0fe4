"""The sales diary: last contact agrees with it, follow-ups are done, late or still to come,
and every contact names who made it and who logged it."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import Customer, Interaction, Rep, Team, User
from tests.seed.conftest import TODAY


def test_last_contact_is_the_day_of_the_latest_interaction(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        latest = dict(
            session.exec(
                select(Interaction.customer_id, func.max(Interaction.occurred_at)).group_by(
                    Interaction.customer_id
                )
            ).all()
        )
        customers = session.exec(select(Customer)).all()
    for customer in customers:
        expected = latest[customer.id].date() if customer.id in latest else None
        assert customer.last_contact_on == expected, customer.id


def test_some_customers_went_quiet_months_ago(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        days = [
            (TODAY - customer.last_contact_on).days
            for customer in session.exec(select(Customer)).all()
            if customer.last_contact_on
        ]
    assert sum(1 for quiet in days if quiet > 90) >= 20
    assert sum(1 for recent in days if recent <= 14) > len(days) / 3


def test_interactions_in_working_hours_with_follow_ups(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        interactions = session.exec(select(Interaction)).all()
    assert 11_000 <= len(interactions) <= 13_000
    assert {i.channel for i in interactions} == {"call", "visit", "email", "meeting", "message"}
    # 09:00-18:00 in Shanghai.
    assert all(1 <= i.occurred_at.hour < 10 and i.occurred_at.date() < TODAY for i in interactions)
    follow_ups = [(i, i.next_follow_up_on) for i in interactions if i.next_follow_up_on]
    assert 0.3 < len(follow_ups) / len(interactions) < 0.5
    assert all(due > i.occurred_at.date() for i, due in follow_ups)
    past = [i for i, due in follow_ups if due < TODAY]
    overdue = [i for i in past if i.follow_up_done_at is None]
    assert 0 < len(overdue) < len(past) / 10
    # Old promises were kept: nothing is left overdue for more than three weeks.
    assert all((TODAY - (i.next_follow_up_on or TODAY)).days <= 21 for i in overdue)
    coming = [i for i, due in follow_ups if due >= TODAY]
    assert coming and all(i.follow_up_done_at is None for i in coming)
    summaries = {i.summary for i in interactions}
    assert any(s.isascii() for s in summaries) and any(not s.isascii() for s in summaries)


def test_every_contact_names_who_logged_it_and_a_few_were_by_nobody_from_sales(
    demo_db: Engine,
) -> None:
    with Session(demo_db) as session:
        reps_of = dict(session.exec(select(User.id, User.rep_id)).all())
        managers = {
            manager: team
            for team, manager in session.exec(select(Team.id, Team.manager_user_id)).all()
        }
        team_of = dict(session.exec(select(Rep.id, Rep.team_id)).all())
        contacts = session.exec(select(Interaction.rep_id, Interaction.logged_by_user_id)).all()
    assert all(logged_by is not None for _rep, logged_by in contacts)
    by_nobody = [logged_by for rep, logged_by in contacts if rep is None]
    assert 0 < len(by_nobody) < len(contacts) / 10
    # A manager's own contacts are logged by a manager.
    assert all(logged_by in managers for logged_by in by_nobody)
    for rep, logged_by in contacts:
        if rep is not None:
            # The rep typed it in, or, for a rep without an account, their team's manager.
            assert reps_of[logged_by] == rep or managers.get(logged_by) == team_of[rep]
