"""Periods: months, fiscal quarters and years, custom ranges, and their URL form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.enums import PeriodKind
from services.errors import ValidationError
from services.periods import containing, custom, fiscal_quarter_number, from_query, to_query

TODAY = date(2026, 11, 23)


def test_month_quarter_and_year_with_a_calendar_fiscal_year() -> None:
    month = containing(PeriodKind.MONTH, TODAY)
    assert (month.start, month.end) == (date(2026, 11, 1), date(2026, 11, 30))
    quarter = containing(PeriodKind.QUARTER, TODAY)
    assert (quarter.start, quarter.end) == (date(2026, 10, 1), date(2026, 12, 31))
    year = containing(PeriodKind.YEAR, TODAY)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))


def test_a_fiscal_year_starting_in_april() -> None:
    quarter = containing(PeriodKind.QUARTER, date(2027, 2, 14), fiscal_start_month=4)
    assert (quarter.start, quarter.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert fiscal_quarter_number(quarter) == 4
    year = containing(PeriodKind.YEAR, date(2027, 2, 14), fiscal_start_month=4)
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))


def test_previous_periods() -> None:
    march = containing(PeriodKind.MONTH, date(2024, 3, 31))
    assert containing(PeriodKind.MONTH, date(2024, 2, 1)) == march.previous()
    assert march.previous().end == date(2024, 2, 29)
    q1 = containing(PeriodKind.QUARTER, date(2026, 1, 5))
    assert (q1.previous().start, q1.previous().end) == (date(2025, 10, 1), date(2025, 12, 31))
    ten_days = custom(date(2026, 1, 11), date(2026, 1, 20))
    assert (ten_days.previous().start, ten_days.previous().end) == (
        date(2026, 1, 1),
        date(2026, 1, 10),
    )


def test_year_before_and_month_starts() -> None:
    leap = custom(date(2024, 2, 1), date(2024, 2, 29))
    assert leap.year_before().end == date(2023, 2, 28)
    assert containing(PeriodKind.QUARTER, TODAY).month_starts() == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]


def test_day_bounds_are_the_offices_days() -> None:
    start, end = containing(PeriodKind.MONTH, TODAY).utc_bounds(ZoneInfo("Asia/Shanghai"))
    assert start == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 3, 2), date(2026, 3, 1), "The end date is before the start date."),
        (date(2020, 1, 1), date(2025, 1, 2), "A period can be at most 5 years long."),
    ],
)
def test_bad_custom_ranges(start: date, end: date, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        custom(start, end)
    assert raised.value.msgid == message


def test_five_years_exactly_is_allowed() -> None:
    assert custom(date(2021, 1, 1), date(2025, 12, 31)).days == 1826


def test_the_url_round_trip() -> None:
    for period in (
        containing(PeriodKind.QUARTER, TODAY, 4),
        custom(date(2026, 1, 5), date(2026, 2, 7), 4),
    ):
        assert from_query(to_query(period), TODAY, 4) == period
    assert from_query({}, TODAY) == containing(PeriodKind.MONTH, TODAY)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "fortnight"},
        {"period": "month", "from": "yesterday"},
        {"period": "custom", "from": "2026-05-01", "to": "2026-04-01"},
        {"period": "custom", "from": "2026-05-01"},
        {"period": "custom", "from": "2010-01-01", "to": "2026-01-01"},
    ],
)
def test_bad_urls_are_validation_errors(query: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        from_query(query, TODAY)


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        # 1 December: the 1st against the 1st; the 15th against 1–15 November.
        (PeriodKind.MONTH, date(2026, 12, 1), date(2026, 11, 1), date(2026, 11, 1)),
        (PeriodKind.MONTH, date(2026, 12, 15), date(2026, 11, 1), date(2026, 11, 15)),
        # A previous month that is shorter is cut at its end: 29–31 March, all of February.
        (PeriodKind.MONTH, date(2024, 3, 29), date(2024, 2, 1), date(2024, 2, 29)),
        (PeriodKind.MONTH, date(2025, 3, 31), date(2025, 2, 1), date(2025, 2, 28)),
        (PeriodKind.MONTH, date(2025, 3, 28), date(2025, 2, 1), date(2025, 2, 28)),
        (PeriodKind.MONTH, date(2025, 3, 27), date(2025, 2, 1), date(2025, 2, 27)),
        # The last day of February: 28 days of January, not all 31.
        (PeriodKind.MONTH, date(2025, 2, 28), date(2025, 1, 1), date(2025, 1, 28)),
        # 5 January is day 5 of Q1 and of the year.
        (PeriodKind.QUARTER, date(2026, 1, 5), date(2025, 10, 1), date(2025, 10, 5)),
        (PeriodKind.YEAR, date(2026, 1, 5), date(2025, 1, 1), date(2025, 1, 5)),
        # The last evening of a 92-day Q3 against all of the 91-day Q2.
        (PeriodKind.QUARTER, date(2026, 9, 30), date(2026, 4, 1), date(2026, 6, 30)),
        # 31 December of a leap year: day 366 against all 365 days before.
        (PeriodKind.YEAR, date(2024, 12, 31), date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_a_running_period_is_compared_with_the_same_days_of_the_one_before(
    kind: PeriodKind, today: date, start: date, end: date
) -> None:
    running = containing(kind, today)
    compared = running.comparison(today)
    assert (compared.start, compared.end) == (start, end)
    # A span cut short is a custom range; the whole previous period keeps its kind.
    whole = compared == running.previous()
    assert compared.kind == (kind if whole else PeriodKind.CUSTOM)


def test_a_period_that_is_not_running_is_compared_with_all_of_the_one_before() -> None:
    november = containing(PeriodKind.MONTH, TODAY)
    for today in (date(2026, 12, 1), date(2026, 10, 31)):
        assert november.comparison(today) == november.previous()
    ten_days = custom(date(2026, 1, 11), date(2026, 1, 20))
    assert ten_days.comparison(date(2026, 1, 13)) == custom(date(2026, 1, 1), date(2026, 1, 3))


def test_elapsed_days_count_today_and_stay_within_the_period() -> None:
    november = containing(PeriodKind.MONTH, TODAY)
    assert [
        november.elapsed_days(day)
        for day in (date(2026, 10, 31), date(2026, 11, 1), TODAY, date(2026, 12, 25))
    ] == [0, 1, 23, 30]
