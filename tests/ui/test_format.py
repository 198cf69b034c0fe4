"""Numbers, money and dates are formatted by Babel for the user's locale."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Setting

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


def _formatted(locale: str, viewer_zone: str | None = None) -> list[str]:
    at = AppTest.from_string(SCRIPT)
    at.session_state["locale"] = locale
    if viewer_zone:
        at.context = {"timezone": viewer_zone}
    at.run()
    assert not at.exception, at.exception
    return [element.value for element in at.text]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["CN¥1,234.56", "1,234,567", "25.6%", "Mar 9, 2026", "Mar 9, 2026, 9:30:00 AM"]),
        ("zh_CN", ["¥1,234.56", "1,234,567", "25.6%", "2026年3月9日", "2026年3月9日 09:30:00"]),
    ],
)
def test_formats_follow_the_locale(app_env: Engine, locale: str, expected: list[str]) -> None:
    formatted = _formatted(locale)
    assert [value.replace("\u202f", " ") for value in formatted[:5]] == expected
    assert formatted[5] == "—"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", ["CN¥5.91M", "CN¥950"]), ("zh_CN", ["¥591.17万", "¥950"])],
)
def test_tiles_shorten_money_in_the_locale_s_own_units(
    app_env: Engine, locale: str, expected: list[str]
) -> None:
    assert _formatted(locale)[6:] == expected


@pytest.mark.parametrize(
    ("locale", "viewer", "expected"),
    [
        ("en", "Asia/Shanghai", "Mar 9, 2026, 9:30:00 AM"),
        ("en", "Asia/Taipei", "Mar 9, 2026, 9:30:00 AM"),  # another name, the same clock
        ("en", "Europe/London", "Mar 9, 2026, 9:30:00 AM (China Time)"),
        ("zh_CN", "America/New_York", "2026年3月9日 09:30:00（中国时间）"),
    ],
)
def test_a_time_says_its_zone_to_a_viewer_in_another(
    app_env: Engine, locale: str, viewer: str, expected: str
) -> None:
    assert _formatted(locale, viewer)[4].replace("\u202f", " ") == expected


@pytest.fixture
def office_in_berlin(app_env: Engine) -> Iterator[Engine]:
    """The office's zone set to Berlin. The app reads it at most once a minute (it is set at
    installation, not in the app), so the cached one is dropped before and after."""
    with Session(app_env) as session:
        session.add(Setting(key="timezone", value="Europe/Berlin"))
        session.commit()
    st.cache_data.clear()
    yield app_env
    st.cache_data.clear()


def test_times_are_shown_in_the_office_s_zone_from_its_setting(office_in_berlin: Engine) -> None:
    # 01:30 UTC is 02:30 in Berlin in March; a viewer there reads no zone.
    assert _formatted("en", "Europe/Berlin")[4].replace("\u202f", " ") == "Mar 9, 2026, 2:30:00 AM"
    assert _formatted("en", "Asia/Shanghai")[4].replace("\u202f", " ") == (
        "Mar 9, 2026, 2:30:00 AM (Central European Time)"
    )


RULE = """
import streamlit as st
from services.metrics import Unit
from ui import format as fmt
from ui.i18n import set_locale

set_locale(st.session_state["locale"])
for fen in (12_345_600, 1_234_567_890_000, 99_999_999, -250_000_000, 0):
    st.text(fmt.money(fen, "CNY", short=True))
for fen in (1_022_772_903, 1_022_772_950, 50, 49):
    st.text(fmt.money(fen, "CNY", whole=True))
st.text(fmt.money(1_022_772_903, "CNY"))
for count in (12_345, 999_999, 7):
    st.text(fmt.number(count, short=True))
st.text(fmt.metric_value(Unit.MONEY, 1_022_772_903.4, whole=True))
st.text(fmt.metric_value(Unit.COUNT, 123_456, short=True))
st.text(repr(fmt.tile_value(Unit.MONEY, 1_022_772_903)))
st.text(repr(fmt.tile_value(Unit.RATIO, 0.5)))
"""


def _ruled(locale: str) -> list[str]:
    at = AppTest.from_string(RULE)
    at.session_state["locale"] = locale
    at.run()
    assert not at.exception
    return [element.value for element in at.text]


@pytest.mark.parametrize(
    ("locale", "short", "whole", "counts", "tiles"),
    [
        (
            "en",
            # Tiles and axes: short, rounded before the unit is chosen (CN¥1M, not CN¥1000K).
            ["CN¥123.46K", "CN¥12.35B", "CN¥1M", "-CN¥2.5M", "CN¥0"],
            # Table cells: whole yuan, halves rounded up; tooltips and statements: cents.
            ["CN¥10,227,729", "CN¥10,227,730", "CN¥1", "CN¥0", "CN¥10,227,729.03"],
            # Counts short too; a metric's value in its unit, whole or short.
            ["12.35K", "1M", "7", "CN¥10,227,729", "123.46K"],
            # A tile: short, the full value for its help unless both read the same.
            ["('CN¥10.23M', 'CN¥10,227,729.03')", "('50.0%', None)"],
        ),
        (
            "zh_CN",
            ["¥12.35万", "¥123.46亿", "¥100万", "-¥250万", "¥0"],
            ["¥10,227,729", "¥10,227,730", "¥1", "¥0", "¥10,227,729.03"],
            ["1.23万", "100万", "7", "¥10,227,729", "12.35万"],
            ["('¥1022.77万', '¥10,227,729.03')", "('50.0%', None)"],
        ),
    ],
)
def test_one_rule_short_on_tiles_and_axes_whole_in_tables_full_in_tooltips(
    locale: str, short: list[str], whole: list[str], counts: list[str], tiles: list[str]
) -> None:
    assert _ruled(locale) == [*short, *whole, *counts, *tiles]
