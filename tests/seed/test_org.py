"""The organisation and the accounts: the ones the app, its tests and the README rely on."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import seed
from models import Rep, Team, User
from seed.calendar import Calendar
from seed.org import build_org
from seed.sizes import LARGE
from services.people.auth import authenticate
from tests.seed.conftest import TODAY

HANZI = re.compile(r"[\u4e00-\u9fff]")


def _by_username(session: Session) -> dict[str, User]:
    return {user.username: user for user in session.exec(select(User)).all()}


def test_every_demo_account_logs_in_with_the_demo_password(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        usernames = sorted(_by_username(session))
        for username in usernames:
            assert authenticate(session, username, seed.DEMO_PASSWORD).username == username
    assert {"admin", "manager", "manager2", "manager3", "rep", "rep2", "rep3"} <= set(usernames)


def test_the_accounts_others_depend_on(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        users = _by_username(session)
        teams = {team.name: team for team in session.exec(select(Team)).all()}
        reps = {rep.name: rep for rep in session.exec(select(Rep)).all()}
    admin, manager, rep = users["admin"], users["manager"], users["rep"]
    assert (admin.display_name, admin.role, admin.locale) == ("Ada Admin", "admin", "en")
    assert (manager.display_name, manager.role, manager.locale) == (
        "Wang Fang 王芳", "manager", "zh_CN",
    )  # fmt: skip
    assert teams["Team East"].manager_user_id == manager.id
    assert teams["Team West"].manager_user_id == users["manager2"].id
    assert teams["Team South"].manager_user_id == users["manager3"].id
    assert (rep.display_name, rep.role, rep.locale) == ("Li Wei 李伟", "rep", "zh_CN")
    assert rep.rep_id == reps["Li Wei 李伟"].id
    assert reps["Li Wei 李伟"].team_id == teams["Team East"].id
    assert set(teams) == {"North Region", "Team East", "Team West", "Team South"}
    assert {teams[name].parent_id for name in ("Team East", "Team West", "Team South")} == {
        teams["North Region"].id
    }


def test_some_reps_are_free_to_link_a_new_user_to(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        linked = {user.rep_id for user in session.exec(select(User)).all()}
        free = [rep for rep in session.exec(select(Rep)).all() if rep.id not in linked]
    assert "Emma Clark" in {rep.name for rep in free}
    assert len([rep for rep in free if rep.status == "active"]) >= 2


def test_reps_are_a_real_mix(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        reps = session.exec(select(Rep)).all()
    assert 12 <= len(reps) <= 18
    assert any(HANZI.search(rep.name) for rep in reps)
    assert any(rep.name.isascii() for rep in reps)
    statuses = [rep.status for rep in reps]
    assert statuses.count("active") > len(reps) / 2
    assert "on_leave" in statuses
    left = [rep for rep in reps if rep.status == "left"]
    assert left and all(rep.archived_at is not None for rep in left)
    newcomers = [rep for rep in reps if rep.hire_date and rep.hire_date > TODAY - timedelta(183)]
    assert newcomers and all(rep.mentor_rep_id for rep in newcomers)
    assert len({rep.title for rep in reps}) >= 3


def test_the_large_organisation() -> None:
    org = build_org(random.Random(1), LARGE, Calendar(TODAY))
    regions = [team for team in org.teams if team.parent_id is None]
    assert len(regions) == 4
    assert len(org.sales_teams) == 20
    assert len(org.reps) == 400
    assert all(team.manager_user_id for team in org.sales_teams)
    [users] = [table for table in org.tables if table.name == "users"]
    usernames = {row[users.columns.index("username")] for row in users.rows}
    assert {"admin", "manager", "rep", "manager20"} <= usernames
    assert len({rep.person.name for rep in org.reps}) == 400
