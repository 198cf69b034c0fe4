"""The seed's calendar: the 18-month window, seasonality and weighted day sampling.

The generator counts time in integers, which are cheap to make, compare and sort by the
million: a *day* is the number of days since the calendar's origin (two years before the
window), a *stamp* the number of minutes since the origin's midnight in UTC. The loader
turns them into dates and timestamps.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

WINDOW_MONTHS = 18
# Customers may predate the window by up to two years.
HISTORY_DAYS = 730
# Open deals are expected to close up to this many days after today.
HORIZON_DAYS = 75
# Sales by calendar month: a Spring Festival dip in February, the mid-year (618) peak
# in June, a strong year end.
SEASON = {
    1: 0.95, 2: 0.6, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.3,
    7: 0.95, 8: 0.9, 9: 1.05, 10: 1.05, 11: 1.25, 12: 1.35,
}  # fmt: skip
MEAN_SEASON = sum(SEASON.values()) / 12
# Monday .. Sunday: a sales office works weekdays, a little on Saturdays.
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 0.95, 0.2, 0.06)
MINUTES_PER_DAY = 1440
# Working hours are the office's (Asia/Shanghai, UTC+8): 09:00-18:00 local is 01:00-10:00
# UTC of the same date, so a stamp's UTC date is its office date.
FIRST_WORK_MINUTE = 60
WORK_MINUTES = 9 * 60


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


@dataclass
class Calendar:
    """Every day from the origin to the horizon, with a weight for how busy it is."""

    today: date
    origin: date = field(init=False)
    window_start: date = field(init=False)
    cumulative: list[float] = field(init=False)
    today_index: int = field(init=False)
    window_index: int = field(init=False)
    last_index: int = field(init=False)

    def __post_init__(self) -> None:
        self.window_start = add_months(self.today, -WINDOW_MONTHS)
        self.origin = self.window_start - timedelta(days=HISTORY_DAYS)
        self.today_index = self.index(self.today)
        self.window_index = self.index(self.window_start)
        self.last_index = self.today_index + HORIZON_DAYS
        count = self.last_index + 1
        self.cumulative = list(
            accumulate(self._weight(self.date(day), day / count) for day in range(count))
        )

    @staticmethod
    def _weight(day: date, progress: float) -> float:
        # A growing business: the last day is about a third busier than the first.
        return SEASON[day.month] * WEEKDAY[day.weekday()] * (0.85 + 0.3 * progress)

    def index(self, day: date) -> int:
        return (day - self.origin).days

    def date(self, index: int) -> date:
        return self.origin + timedelta(days=index)

    def sample(self, rng: random.Random, first: int, last: int) -> int:
        """A day in [first, last], busy days more likely; `first` when the range is empty."""
        if last <= first:
            return first
        cumulative = self.cumulative
        below = cumulative[first - 1] if first > 0 else 0.0
        target = below + rng.random() * (cumulative[last] - below)
        return bisect_left(cumulative, target, first, last)


def at_work(rng: random.Random, day: int) -> int:
    """A stamp in working hours of `day`."""
    return day * MINUTES_PER_DAY + FIRST_WORK_MINUTE + int(rng.random() * WORK_MINUTES)


def at_start(day: int) -> int:
    """The stamp of `day`'s first working minute (for rows made by an admin, not a rep)."""
    return day * MINUTES_PER_DAY + FIRST_WORK_MINUTE
