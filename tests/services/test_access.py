"""services/access.py and services/people/reps.py: a rep sees themself, a manager their teams."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import AuditEvent
from services.access import build_actor, rep_scope
from services.errors import PermissionDenied
from services.people import reps
from tests.factories import Org


def test_a_manager_manages_their_teams_and_sub_teams(session: Session) -> None:
    org = Org(session)
    actor = build_actor(session, org.east_manager)
    assert actor.team_ids == {org.east.id, org.east_sub.id}
    assert build_actor(session, org.admin).team_ids == frozenset()


def test_scope_per_role(session: Session) -> None:
    org = Org(session)
    assert rep_scope(session, org.actor(session, org.admin)) is None
    assert rep_scope(session, org.actor(session, org.east_manager)) == {
        org.east_rep.id,
        org.east_sub_rep.id,
    }
    assert rep_scope(session, org.actor(session, org.east_rep_user)) == {org.east_rep.id}


def test_list_reps_returns_only_the_scope(session: Session) -> None:
    org = Org(session)
    names = {
        who: [rep.name for rep in reps.list_reps(session, org.actor(session, getattr(org, who)))]
        for who in ["admin", "east_manager", "west_manager", "east_rep_user"]
    }
    assert names["admin"] == ["East Rep", "East Sub Rep", "West Rep"]
    assert names["east_manager"] == ["East Rep", "East Sub Rep"]
    assert names["west_manager"] == ["West Rep"]
    assert names["east_rep_user"] == ["East Rep"]


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("east_rep_user", "west_rep"),
        ("east_rep_user", "east_sub_rep"),
        ("east_manager", "west_rep"),
    ],
)
def test_reaching_outside_the_scope_is_denied_and_audited(
    session: Session, engine: Engine, who: str, target: str
) -> None:
    org = Org(session)
    actor = org.actor(session, getattr(org, who))
    target_id = getattr(org, target).id
    with pytest.raises(PermissionDenied):
        reps.get(session, actor, target_id)
    with Session(engine) as fresh:
        denial = fresh.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert (denial.user_id, denial.entity, denial.entity_id) == (actor.user_id, "rep", target_id)


def test_within_the_scope_is_allowed(session: Session) -> None:
    org = Org(session)
    manager = org.actor(session, org.east_manager)
    assert reps.get(session, manager, org.east_sub_rep.id).team_name == "East Sub"
    me = org.actor(session, org.east_rep_user)
    assert reps.get(session, me, org.east_rep.id).name == "East Rep"
