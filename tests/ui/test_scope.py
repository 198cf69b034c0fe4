"""ui/scope.py: a rep gets no team box; a manager chooses among their teams, an admin among
all; the chosen team stands for its reps and its sub-teams' reps; labels in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import User
from services.i18n import translate
from tests.factories import Org, actor_for
from tests.pages.conftest import by_label
from tests.ui.conftest import piece


def _scoped() -> None:
    import streamlit as st

    from ui import runtime, scope

    team_id = scope.team_filter(runtime.current_actor(), key="test__team")
    reps = scope.rep_ids(team_id)
    st.text(f"team {team_id} reps {None if reps is None else sorted(reps)}")


@pytest.fixture
def org(fresh_app_env: Engine) -> Org:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        return Org(session)


def _open(engine: Engine, user: User, locale: str = "en") -> AppTest:
    with Session(engine) as session:
        actor = actor_for(session, user)
    at = piece(_scoped, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return at.text[0].value


def test_a_rep_has_no_team_box_and_sees_their_own_scope(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org.east_rep_user)
    assert not at.selectbox
    assert _shown(at) == "team None reps None"


def test_a_manager_narrows_to_one_of_their_teams(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org.east_manager)
    box = by_label(at.selectbox, "Team")
    assert box.options == ["All my teams", "East", "East Sub"]
    assert _shown(at) == "team None reps None"
    box.select(org.east.id).run()
    assert _shown(at) == f"team {org.east.id} reps {sorted([org.east_rep.id, org.east_sub_rep.id])}"
    by_label(at.selectbox, "Team").select(org.east_sub.id).run()
    assert _shown(at) == f"team {org.east_sub.id} reps {[org.east_sub_rep.id]}"


def test_an_admin_chooses_among_every_team(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org.admin)
    box = by_label(at.selectbox, "Team")
    assert box.options == ["All teams", "East", "East Sub", "Region", "West"]
    box.select(org.region.id).run()
    every_rep = sorted([org.east_rep.id, org.east_sub_rep.id, org.west_rep.id])
    assert _shown(at) == f"team {org.region.id} reps {every_rep}"


def test_the_box_reads_in_chinese(fresh_app_env: Engine, org: Org) -> None:
    at = _open(fresh_app_env, org.east_manager, locale="zh_CN")
    box = by_label(at.selectbox, translate("zh_CN", "Team"))
    assert box.options[0] == translate("zh_CN", "All my teams") != "All my teams"
