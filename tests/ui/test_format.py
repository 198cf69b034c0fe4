"""Numbers, money and dates are formatted by Babel for the user's locale."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from datetime import UTC, date, datetime
from ui import format as fmt
from ui.i18n import set_locale

set_locale(st.session_state["locale"])
st.text(fmt.money(123456, "CNY"))
st.text(fmt.number(1234567))
st.text(fmt.percent(0.256))
st.text(fmt.day(date(2026, 3, 9)))
st.text(fmt.moment(datetime(2026, 3, 9, 1, 30, tzinfo=UTC)))
st.text(fmt.number(None))
st.text(fmt.money(591_170_000, "CNY", short=True))
st.text(fmt.money(95_000, "CNY", short=True))
"""


def _formatted(locale: str) -> list[str]:
    at = AppTest.from_string(SCRIPT)
    at.session_state["locale"] = locale
    at.run()
    assert not at.exception
    return [element.value for element in at.text]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["CN¥1,234.56", "1,234,567", "25.6%", "Mar 9, 2026", "Mar 9, 2026, 9:30:00 AM"]),
        ("zh_CN", ["¥1,234.56", "1,234,567", "25.6%", "2026年3月9日", "2026年3月9日 09:30:00"]),
    ],
)
def test_formats_follow_the_locale(locale: str, expected: list[str]) -> None:
    formatted = _formatted(locale)
    assert [value.replace("\u202f", " ") for value in formatted[:5]] == expected
    assert formatted[5] == "—"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", ["CN¥5.91M", "CN¥950"]), ("zh_CN", ["¥591.17万", "¥950"])],
)
def test_tiles_shorten_money_in_the_locale_s_own_units(locale: str, expected: list[str]) -> None:
    assert _formatted(locale)[6:] == expected
