"""ui/period.py: the period picker opens the link's period, puts the chosen one back in the
URL, follows the fiscal year, explains a bad link and refuses a reversed custom range."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Setting
from services.i18n import translate
from services.periods import PeriodKind, containing
from tests.pages.conftest import by_label, office_today
from tests.ui.conftest import piece


def _picked() -> None:
    import streamlit as st

    from ui import period

    chosen = period.picker()
    assert period.current() == chosen
    st.text(f"{chosen.kind.value} {chosen.start} {chosen.end}")


def _open(locale: str = "en", **params: str) -> AppTest:
    at = piece(_picked, locale=locale)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return at.text[0].value


def test_a_link_s_period_opens_even_older_than_the_choices(app_env: Engine) -> None:
    today = office_today(app_env)
    old = containing(PeriodKind.QUARTER, date(today.year - 3, 5, 20))
    at = _open(period="quarter", **{"from": date(today.year - 3, 5, 20).isoformat()})
    assert _shown(at) == f"quarter {old.start} {old.end}"
    showing = by_label(at.selectbox, "Showing")
    # The last eight quarters, then the linked one; the URL names its first day.
    assert len(showing.options) == 9 and showing.value == old
    assert at.query_params == {"period": "quarter", "from": old.start.isoformat()}


def test_the_chosen_period_is_put_in_the_url(app_env: Engine) -> None:
    today = office_today(app_env)
    at = _open()
    month = containing(PeriodKind.MONTH, today)
    assert _shown(at) == f"month {month.start} {month.end}"
    assert at.query_params == {"period": "month", "from": month.start.isoformat()}

    by_label(at.selectbox, "Period").select(PeriodKind.YEAR).run()
    year = containing(PeriodKind.YEAR, today)
    assert by_label(at.selectbox, "Showing").value == year
    by_label(at.selectbox, "Showing").select(year.previous()).run()
    assert at.query_params == {"period": "year", "from": year.previous().start.isoformat()}

    by_label(at.selectbox, "Period").select(PeriodKind.CUSTOM).run()
    at.date_input[0].set_value((date(2026, 2, 3), date(2026, 3, 4))).run()
    assert _shown(at) == "custom 2026-02-03 2026-03-04"
    assert at.query_params == {"period": "custom", "from": "2026-02-03", "to": "2026-03-04"}
    by_label(at.selectbox, "Period").select(PeriodKind.MONTH).run()
    assert "to" not in at.query_params


def test_a_reversed_range_is_refused_and_the_period_kept(app_env: Engine) -> None:
    at = _open(period="custom", **{"from": "2026-02-03", "to": "2026-03-04"})
    at.date_input[0].set_value((date(2026, 5, 1), date(2026, 4, 1))).run()
    assert [error.value for error in at.error] == ["The end date is before the start date."]
    assert _shown(at) == "custom 2026-02-03 2026-03-04"
    assert at.query_params["to"] == "2026-03-04"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_bad_link_is_explained_and_the_month_shown(app_env: Engine, locale: str) -> None:
    at = _open(locale, period="week")
    reason = translate(locale, "Unknown kind of period.")
    expected = translate(locale, "The link's period was not used: {reason}", reason=reason)
    assert [warning.value for warning in at.warning] == [expected]
    month = containing(PeriodKind.MONTH, office_today(app_env))
    assert _shown(at) == f"month {month.start} {month.end}"
    assert at.query_params["period"] == "month"


def test_years_and_quarters_follow_the_fiscal_year(app_env: Engine) -> None:
    with Session(app_env) as session:
        session.add(Setting(key="fiscal_year_start_month", value=4))
        session.commit()
    at = _open(period="year", **{"from": "2026-02-10"})
    # February belongs to the fiscal year that began the April before.
    assert _shown(at) == "year 2025-04-01 2026-03-31"
    assert by_label(at.selectbox, "Showing").options[0].startswith("FY")
