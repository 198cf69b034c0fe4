"""ui/goals/labels.py: every goal word has its Chinese, and a goal row's owner, period and
stored target read in the user's language and the metric's unit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.enums import PeriodKind
from services.goals import records as goals
from services.goals.records import GoalFilters, GoalRow
from services.i18n import translate
from services.periods import containing
from tests.factories import Org, make_goal
from tests.ui.conftest import piece
from ui.goals import labels

ZH = "zh_CN"
Q1 = containing(PeriodKind.QUARTER, date(2026, 1, 1))
MARCH = containing(PeriodKind.MONTH, date(2026, 3, 1))


@pytest.mark.parametrize(
    "table",
    [
        labels.PACE_LABELS, labels.STATUS_LABELS, labels.OWNER_KIND_LABELS,
        labels.PERIOD_KIND_LABELS, labels.SMART_LABELS,
    ],
)  # fmt: skip
def test_every_goal_word_has_its_chinese(table: dict[str, str]) -> None:
    chinese = [translate(ZH, msgid) for msgid in table.values()]
    assert all(word != msgid for word, msgid in zip(chinese, table.values(), strict=True))
    assert len(set(chinese)) == len(chinese)  # no two words read alike


def _words(rows: list, paces: list) -> None:  # the body runs as a script: builtins only
    import streamlit as st

    from ui.goals import labels

    for row in rows:
        st.text(" | ".join([labels.owner(row), labels.period_of(row), labels.target(row)]))
    for pace in paces:
        st.markdown(labels.pace_badge(pace))


def _listed(engine: Engine) -> list[GoalRow]:
    """The company's quarter of revenue, a team's month of win rate, a rep's month of deals."""
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        make_goal(session, None, Q1.start, Q1.end, 5_000_050, kind=PeriodKind.QUARTER)
        make_goal(session, org.east, MARCH.start, MARCH.end, 4_050, metric_key="win_rate",
                  kind=PeriodKind.MONTH)  # fmt: skip
        make_goal(session, org.east_rep, MARCH.start, MARCH.end, 12, metric_key="deals_won",
                  kind=PeriodKind.MONTH)  # fmt: skip
        return goals.list_goals(session, org.actor(session, org.admin), filters=GoalFilters())


@pytest.mark.parametrize("locale", ["en", ZH])
def test_a_goal_row_reads_in_the_users_language(fresh_app_env: Engine, locale: str) -> None:
    rows = _listed(fresh_app_env)
    at = piece(_words, rows, ["at_risk", "ended"], locale=locale).run()
    assert not at.exception, at.exception

    company, team, rep = (text.value.split(" | ") for text in at.text)
    quarter = translate(locale, "Q{number} {year}", number=1, year="2026")
    assert company[:2] == [translate(locale, "Company"), quarter]
    # Stored in fen: 50,000.50 in the currency of the settings.
    assert "50,000.50" in company[2] and company[2] != "50,000.50"
    assert team[0] == "East" and team[2] == "40.5%"  # basis points as a percentage
    assert rep[0] == "East Rep" and rep[2] == "12"
    assert team[1] == rep[1] and "2026" in team[1]
    assert [badge.value for badge in at.markdown] == [
        f":orange-badge[{translate(locale, 'At risk')}]",
        f":blue-badge[{translate(locale, 'Ended')}]",
    ]
