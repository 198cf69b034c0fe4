"""The leaderboard page on the demo data: what each role sees, what a rep sees under each
visibility setting, the admin's switch (and a stale one refused), and bad links explained."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Rep, Setting, User
from services import settings
from services.access import Actor, build_actor
from services.performance import leaderboard
from services.performance.leaderboard import Leaderboard, Ranking
from services.periods import PeriodKind, containing
from tests.pages.conftest import by_label, errors

PAGE = "pages/leaderboard_page.py"
KEY = "leaderboard_visibility"


def _actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return build_actor(session, user)


def _expected(engine: Engine, username: str, key: str = "revenue", **options: Any) -> Leaderboard:
    """What the service ranks for the user this month: the page must show exactly that."""
    with Session(engine) as session:
        month = containing(PeriodKind.MONTH, settings.office_today(session))
        return leaderboard.standings(session, _actor(engine, username), key, month, **options)


def _rep_name(engine: Engine) -> str:
    with Session(engine) as session:
        rep_id = session.exec(select(User.rep_id).where(User.username == "rep")).one()
        return session.exec(select(Rep.name).where(Rep.id == rep_id)).one()


def _set_visibility(engine: Engine, value: str) -> None:
    with Session(engine) as session:
        version = settings.stored(session, KEY).version
        admin = _actor(engine, "admin")
        settings.set_value(session, admin, key=KEY, value=value, version=version)


def _open(logged_in: Callable[..., AppTest], username: str, **params: str) -> AppTest:
    at = logged_in(username)
    by_label(at.selectbox, "Language / 语言").select("en").run()
    at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest) -> Any:
    [table] = [frame.value for frame in at.dataframe if "Place" in frame.value]
    return table


def _shown(at: AppTest, who: str = "Rep") -> list[tuple[str, str]]:
    table = _table(at)
    return list(zip(table[who], table["Place"], strict=True))


def _places(board: Leaderboard) -> list[tuple[str, str]]:
    """(name, place) as the table should show them: medals for the top three, the actor's
    own row marked."""
    medals = {1: "🥇 1", 2: "🥈 2", 3: "🥉 3"}
    mine = " (you)" if board.ranking == Ranking.REPS else " (your team)"
    return [
        (
            row.name + (mine if row.own else ""),
            "—" if row.rank is None else medals.get(row.rank, str(row.rank)),
        )
        for row in board.standings
    ]


def _captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def test_an_admin_sees_every_working_rep_ranked(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, "admin")
    expected = _expected(demo_app, "admin")
    assert _shown(at) == _places(expected)
    assert expected.ranked_among == len(expected.standings) > 10
    assert any(f"ranked among {expected.ranked_among} reps" in c for c in _captions(at))
    # Win rate, and the teams.
    at.selectbox(key="leaderboard__metric__en").select("win_rate").run()
    assert _shown(at) == _places(_expected(demo_app, "admin", "win_rate"))
    at.selectbox(key="leaderboard__ranking__en").select(Ranking.TEAMS).run()
    teams = _expected(demo_app, "admin", "win_rate", ranking=Ranking.TEAMS)
    assert _shown(at, "Team") == _places(teams) and len(teams.standings) == 3


def test_a_manager_ranks_the_reps_of_their_team(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, "manager")
    expected = _expected(demo_app, "manager")
    assert _shown(at) == _places(expected)
    assert set(_table(at)["Team"]) == {"Team East"}
    assert "What reps may see" not in [expander.label for expander in at.expander]


@pytest.mark.parametrize(
    ("visibility", "note"),
    [
        ("everyone", "You see every rep's place."),
        ("team", "You see your team's reps, ranked within the team."),
        ("self", "You see only your own place among all reps."),
    ],
)
def test_a_rep_sees_what_the_setting_allows(
    demo_app: Engine, logged_in: Any, visibility: str, note: str
) -> None:
    if visibility != "team":  # "team" is the default
        _set_visibility(demo_app, visibility)
    at = _open(logged_in, "rep")
    expected = _expected(demo_app, "rep")
    assert expected.visibility == visibility
    assert _shown(at) == _places(expected)
    assert [name for name, _place in _shown(at) if name.endswith(" (you)")] == [
        f"{_rep_name(demo_app)} (you)"
    ]
    everyone = _expected(demo_app, "admin")
    if visibility == "self":
        [own] = expected.standings
        assert own.own and own.rank == next(r.rank for r in everyone.standings if r.id == own.id)
    elif visibility == "team":
        assert set(_table(at)["Team"]) == {"Team East"}
    else:
        assert len(expected.standings) == len(everyone.standings)
    assert any(note in caption for caption in _captions(at))
    assert "leaderboard__team__en" not in [box.key for box in at.selectbox]
    assert "What reps may see" not in [expander.label for expander in at.expander]


def _stored(engine: Engine) -> tuple[Any, int] | None:
    with Session(engine) as session:
        row = session.get(Setting, KEY)
        return None if row is None else (row.value, row.version)


def _audits(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent.id)).all())


def test_an_admin_switches_what_reps_see(demo_app: Engine, logged_in: Any) -> None:
    at = _open(logged_in, "admin")
    by_label(at.radio, "Reps may see").set_value("self")
    by_label(at.button, "Save").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert [success.value for success in at.success] == ["Reps now see: Only themselves."]
    assert _stored(demo_app) == ("self", 1)
    assert _expected(demo_app, "rep").visibility == "self"

    at.run()
    by_label(at.radio, "Reps may see").set_value("everyone")
    by_label(at.button, "Save").click().run()
    assert _stored(demo_app) == ("everyone", 2)
    rep = _open(logged_in, "rep")
    assert len(_table(rep)) == len(_expected(demo_app, "admin").standings)


def test_a_switch_changed_meanwhile_by_another_admin_is_refused(
    demo_app: Engine, logged_in: Any
) -> None:
    at = _open(logged_in, "admin")
    _set_visibility(demo_app, "everyone")  # another admin, after this form was opened
    before = _audits(demo_app)
    by_label(at.radio, "Reps may see").set_value("self")
    by_label(at.button, "Save").click().run()
    assert not at.exception, at.exception
    assert errors(at) == [
        "Someone else changed this record since you opened it. Reload it and make your "
        "change again."
    ]
    assert _stored(demo_app) == ("everyone", 1) and _audits(demo_app) == before
    # Reload shows what is stored, and saving from there works.
    by_label(at.button, "Reload").click().run()
    assert by_label(at.radio, "Reps may see").value == "everyone"
    by_label(at.radio, "Reps may see").set_value("team")
    by_label(at.button, "Save").click().run()
    assert _stored(demo_app) == ("team", 2)


def test_an_unknown_metric_in_the_link_is_explained_and_revenue_shown(
    demo_app: Engine, logged_in: Any
) -> None:
    at = _open(logged_in, "admin", metric="profit")
    assert "Unknown metric: profit." in [shown.value for shown in at.warning]
    assert at.selectbox(key="leaderboard__metric__en").value == "revenue"
    assert _shown(at) == _places(_expected(demo_app, "admin"))


def test_a_hand_entered_metric_in_the_link_falls_back_to_revenue(
    demo_app: Engine, logged_in: Any
) -> None:
    at = _open(logged_in, "admin", metric="market_share")
    assert at.selectbox(key="leaderboard__metric__en").value == "revenue"
    assert _shown(at) == _places(_expected(demo_app, "admin"))


def test_the_page_renders_in_chinese(demo_app: Engine, logged_in: Any) -> None:
    at = logged_in("rep")  # the demo rep reads Chinese
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1
