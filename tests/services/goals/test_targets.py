"""Targets for dashboards: the actor's own, a team's or the company's, and each rep's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Rep, Team
from services.access import Actor
from services.errors import PermissionDenied
from services.goals import targets
from services.periods import PeriodKind, containing
from tests.factories import Org, make_goal
from tests.services.helpers import audit_actions, changed_rows, table_rows

MONTH = containing(PeriodKind.MONTH, date(2026, 3, 10))


def _goal(session: Session, owner: Rep | Team | None, target: int, key: str = "revenue") -> None:
    make_goal(session, owner, MONTH.start, MONTH.end, target, metric_key=key, kind=MONTH.kind)


def test_each_view_gets_its_own_target(session: Session, org: Org) -> None:
    _goal(session, None, 900_000)
    _goal(session, org.east, 300_000)
    _goal(session, org.west, 200_000)
    _goal(session, org.east_rep, 120_000)
    _goal(session, org.east, 4_000, key="win_rate")  # 40 %, stored in basis points
    admin = org.actor(session, org.admin)
    manager = org.actor(session, org.east_manager)
    rep = org.actor(session, org.east_rep_user)
    # Money stays in minor units; a rate comes back as a fraction.
    assert targets.scope_target(session, admin, "revenue", MONTH) == 900_000
    assert targets.scope_target(session, admin, "revenue", MONTH, team_id=org.west.id) == 200_000
    assert targets.scope_target(session, manager, "revenue", MONTH) == 300_000
    assert targets.scope_target(session, rep, "revenue", MONTH) == 120_000
    assert (
        targets.scope_target(session, org.actor(session, org.west_rep_user), "revenue", MONTH)
        is None
    )
    assert targets.scope_targets(session, manager, ["revenue", "win_rate", "csat"], MONTH) == {
        "revenue": 300_000, "win_rate": 0.4, "csat": None,
    }  # fmt: skip
    assert targets.rep_targets(session, manager, "revenue", MONTH) == {org.east_rep.id: 120_000}


def _attempts(org: Org) -> list[tuple[str, Callable[[Session, Actor], object]]]:
    revenue = "revenue"
    return [
        (
            "east_manager",
            lambda s, a: targets.scope_target(s, a, revenue, MONTH, team_id=org.west.id),
        ),
        (
            "east_rep_user",
            lambda s, a: targets.scope_target(s, a, revenue, MONTH, team_id=org.east.id),
        ),
        (
            "east_manager",
            lambda s, a: targets.scope_targets(s, a, [revenue], MONTH, team_id=org.region.id),
        ),
        (
            "east_manager",
            lambda s, a: targets.rep_targets(s, a, revenue, MONTH, rep_ids=[org.west_rep.id]),
        ),
        (
            "east_rep_user",
            lambda s, a: targets.rep_targets(s, a, revenue, MONTH, rep_ids=[org.east_sub_rep.id]),
        ),
    ]


@pytest.mark.parametrize("attempt", range(5))
def test_targets_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, attempt: int
) -> None:
    _goal(session, org.west, 200_000)
    who, read = _attempts(org)[attempt]
    actor = org.actor(session, getattr(org, who))
    before = table_rows(engine)
    with pytest.raises(PermissionDenied):
        read(session, actor)
    assert set(changed_rows(before, table_rows(engine))) == {"audit_events"}
    assert audit_actions(engine) == ["access.denied"]
