"""ui/runtime.py: `cached` answers a read again only when the data version, the actor or the
office day changes (its key holds all three), `call` always reads afresh, and a page without
a logged-in actor stops."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models import Setting, Team
from models.enums import Role
from services import settings
from services.access import Actor
from tests.factories import actor_for, make_team, make_user
from tests.ui.conftest import bump_data_version, piece
from ui import runtime


def _team_names() -> None:
    import streamlit as st

    from services.people import teams
    from ui import runtime

    st.text("cached: " + ", ".join(name for _id, name in runtime.cached(teams.list_teams)))
    st.text("called: " + ", ".join(name for _id, name in runtime.call(teams.list_teams)))


def _shown(actor: Actor) -> list[str]:
    at = piece(_team_names, actor=actor).run()
    assert not at.exception, at.exception
    return [text.value for text in at.text]


def _admins(engine: Engine, count: int) -> list[Actor]:
    with Session(engine) as session:
        make_team(session, "East")
        return [actor_for(session, make_user(session, Role.ADMIN)) for _ in range(count)]


def _rename_behind_the_cache(engine: Engine, name: str) -> None:
    """A change written straight to the table: it moves no data version."""
    with Session(engine) as session:
        team = session.exec(select(Team)).one()
        team.name = name
        session.add(team)
        session.commit()


def test_a_read_is_cached_until_the_data_version_moves(fresh_app_env: Engine) -> None:
    [admin] = _admins(fresh_app_env, 1)
    assert _shown(admin) == ["cached: East", "called: East"]
    _rename_behind_the_cache(fresh_app_env, "Eastern")
    assert _shown(admin) == ["cached: East", "called: Eastern"]
    bump_data_version(fresh_app_env)
    assert _shown(admin) == ["cached: Eastern", "called: Eastern"]


def test_each_actor_has_answers_of_its_own(fresh_app_env: Engine) -> None:
    first, second = _admins(fresh_app_env, 2)
    assert _shown(first)[0] == "cached: East"
    _rename_behind_the_cache(fresh_app_env, "Eastern")
    assert _shown(first)[0] == "cached: East"
    assert _shown(second)[0] == "cached: Eastern"


@pytest.fixture
def office_zone(fresh_app_env: Engine) -> Iterator[Engine]:
    """The time zone setting, read afresh by the runtime on each change: the minute it is
    cached for has passed (and has again once the test's zones are gone)."""
    runtime._timezone_for.clear()
    yield fresh_app_env
    runtime._timezone_for.clear()


def _move_the_office(engine: Engine, zone: str) -> None:
    with Session(engine) as session:
        row = session.get(Setting, "timezone") or Setting(key="timezone")
        row.value = zone
        session.add(row)
        session.commit()
    runtime._timezone_for.clear()


def test_a_new_office_day_asks_again(office_zone: Engine) -> None:
    [admin] = _admins(office_zone, 1)
    # UTC-12 and UTC+14 are 26 hours apart: never the same day.
    _move_the_office(office_zone, "Etc/GMT+12")
    assert _shown(admin)[0] == "cached: East"
    _rename_behind_the_cache(office_zone, "Eastern")
    assert _shown(admin)[0] == "cached: East"
    _move_the_office(office_zone, "Etc/GMT-14")
    assert _shown(admin)[0] == "cached: Eastern"
    with Session(office_zone) as session:
        assert settings.timezone(session).key == "Etc/GMT-14"


def _reads_without_an_actor() -> None:
    import streamlit as st

    from services.people import teams
    from ui import runtime

    st.text("before")
    runtime.call(teams.list_teams)
    st.text("after")


def test_without_a_logged_in_actor_the_page_stops(app_env: Engine) -> None:
    at = piece(_reads_without_an_actor).run()
    assert not at.exception
    assert [text.value for text in at.text] == ["before"]
