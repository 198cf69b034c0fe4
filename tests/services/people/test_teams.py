"""A team filter stands for the reps of the team and its sub-teams, for those who manage it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.errors import PermissionDenied
from services.people import teams
from tests.factories import Org, make_rep
from tests.services.helpers import audit_actions, changed_rows, table_rows


def test_a_team_stands_for_its_reps_and_its_sub_teams(session: Session, org: Org) -> None:
    admin = org.actor(session, org.admin)
    extra = make_rep(session, org.east_sub)
    assert teams.rep_ids_of_team(session, admin, org.east.id) == {
        org.east_rep.id, org.east_sub_rep.id, extra.id,
    }  # fmt: skip
    assert teams.rep_ids_of_team(session, admin, org.region.id) == {
        org.east_rep.id, org.east_sub_rep.id, extra.id, org.west_rep.id,
    }  # fmt: skip
    manager = org.actor(session, org.east_manager)
    assert teams.rep_ids_of_team(session, manager, org.east_sub.id) == {
        org.east_sub_rep.id, extra.id,
    }  # fmt: skip
    assert [name for _id, name in teams.list_teams(session, manager)] == ["East", "East Sub"]


@pytest.mark.parametrize(
    ("who", "team"),
    [("east_manager", "west"), ("east_manager", "region"), ("east_rep_user", "east")],
)
def test_rep_ids_of_team_outside_ones_teams_is_denied(
    session: Session, engine: Engine, org: Org, who: str, team: str
) -> None:
    actor = org.actor(session, getattr(org, who))
    before = table_rows(engine)
    with pytest.raises(PermissionDenied):
        teams.rep_ids_of_team(session, actor, getattr(org, team).id)
    assert set(changed_rows(before, table_rows(engine))) == {"audit_events"}
    assert audit_actions(engine) == ["access.denied"]
