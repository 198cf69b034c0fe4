"""Revenue goals that cascade rep → team → company, per month, fiscal quarter and year.

A rep's monthly target is what they usually sell in such a month, stretched by 5-20 %, so
some reps beat it and some miss; teams and the company sum their children.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from seed.calendar import MEAN_SEASON, SEASON, Calendar, add_months, at_start, month_end
from seed.dataset import TableRows
from seed.deals import WonDeal
from seed.org import ACTIVE, Org, RepSeed

COLUMNS = (
    "id", "created_at", "updated_at", "version", "owner_kind", "owner_id",
    "metric_key", "target", "period_kind", "period_start", "period_end", "parent_id", "title",
    "status",
)  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# Revenue targets in whole thousands of yuan (minor units).
ROUND_TO = 100_000
DAYS_PER_MONTH = 30.44
# Reps with less history than this get a ramp target from their team's typical rep.
RAMP_DAYS = 90
RAMP_SHARE = 0.6
STRETCH = (1.05, 1.2)
# Goals are set about a week before their period starts.
SET_DAYS_BEFORE = 7


@dataclass(frozen=True)
class GoalPeriod:
    kind: str
    start: date
    end: date
    label: str


def goal_periods(calendar: Calendar, fiscal_start_month: int) -> list[GoalPeriod]:
    """Months, fiscal quarters and fiscal years inside the window through this fiscal year."""
    today = calendar.today
    year_start = date(today.year if today.month >= fiscal_start_month else today.year - 1,
                      fiscal_start_month, 1)  # fmt: skip
    last = add_months(year_start, 12) - timedelta(days=1)
    periods = []
    first = calendar.window_start
    while first <= last:
        periods.append(GoalPeriod("month", first, month_end(first), _month_label(first)))
        first = add_months(first, 1)
    for months, kind in ((3, "quarter"), (12, "year")):
        start = add_months(year_start, -12 * 3)
        while start <= last:
            end = add_months(start, months) - timedelta(days=1)
            if start >= calendar.window_start and end <= last:
                label = _fiscal_label(kind, start, fiscal_start_month)
                periods.append(GoalPeriod(kind, start, end, label))
            start = add_months(start, months)
    return periods


def _month_label(first: date) -> str:
    return f"{MONTH_NAMES[first.month - 1]} {first.year}"


def _fiscal_label(kind: str, start: date, fiscal_start_month: int) -> str:
    months_in = (start.month - fiscal_start_month) % 12
    year = start.year if start.month >= fiscal_start_month else start.year - 1
    year_name = str(year) if fiscal_start_month == 1 else f"FY{year}"
    return f"Q{months_in // 3 + 1} {year_name}" if kind == "quarter" else year_name


@dataclass(frozen=True)
class Baseline:
    """What a rep sells in an average month: revenue (minor units) and deals won."""

    revenue: float
    deals: float


def _baselines(calendar: Calendar, org: Org, won: list[WonDeal]) -> dict[int, Baseline]:
    revenue: dict[int, int] = defaultdict(int)
    deals: dict[int, int] = defaultdict(int)
    for deal in won:
        if deal.closed >= calendar.window_index:
            revenue[deal.rep.id] += deal.amount
            deals[deal.rep.id] += 1
    baselines: dict[int, Baseline] = {}
    for rep in org.reps:
        months = _days_in_window(calendar, rep) / DAYS_PER_MONTH
        if _days_in_window(calendar, rep) >= RAMP_DAYS:
            baselines[rep.id] = Baseline(revenue[rep.id] / months, deals[rep.id] / months)
    for rep in org.reps:
        if rep.id not in baselines:
            baselines[rep.id] = _ramp(org, rep, baselines)
    return baselines


def _days_in_window(calendar: Calendar, rep: RepSeed) -> int:
    last = min(rep.last_index, calendar.today_index - 1)
    return max(last - max(rep.first_index, calendar.window_index) + 1, 1)


def _ramp(org: Org, rep: RepSeed, known: dict[int, Baseline]) -> Baseline:
    team = [known[other.id] for other in org.reps if other.team is rep.team and other.id in known]
    everyone = team or list(known.values()) or [Baseline(ROUND_TO * 50, 2)]
    return Baseline(
        statistics.median(b.revenue for b in everyone) * RAMP_SHARE,
        statistics.median(b.deals for b in everyone) * RAMP_SHARE,
    )


def _stretched(rng: random.Random, amount: float, month: int) -> float:
    return amount * SEASON[month] / MEAN_SEASON * rng.uniform(*STRETCH)


class _GoalRows:
    """Numbers goals in insertion order, so a parent always has the smaller id."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.rows: list[tuple[object, ...]] = []

    def add(
        self,
        owner: tuple[str, int | None],
        metric: tuple[str, str],
        target: int,
        period: GoalPeriod,
        parent_id: int | None,
    ) -> int:
        goal_id = len(self.rows) + 1
        start, end = self.calendar.index(period.start), self.calendar.index(period.end)
        created = at_start(min(max(start - SET_DAYS_BEFORE, 0), self.calendar.today_index))
        metric_key, name = metric
        self.rows.append((
            goal_id, created, created, 1, owner[0], owner[1], metric_key, target,
            period.kind, start, end, parent_id, f"{name} {period.label}", "active",
        ))  # fmt: skip
        return goal_id


def build_goals(
    rng: random.Random,
    calendar: Calendar,
    org: Org,
    won: list[WonDeal],
    fiscal_start_month: int,
) -> TableRows:
    periods = goal_periods(calendar, fiscal_start_month)
    baselines = _baselines(calendar, org, won)
    reps = [rep for rep in org.reps if rep.status == ACTIVE]
    by_rep = _rep_targets(rng, periods, reps, baselines)
    goals = _GoalRows(calendar)
    revenue = ("revenue", "Revenue")
    for period in periods:
        total = sum(targets.get(period, 0) for targets in by_rep.values())
        if not total:
            continue
        company_id = goals.add(("company", None), revenue, total, period, None)
        for team in org.sales_teams:
            members = [rep for rep in reps if rep.team is team and period in by_rep[rep.id]]
            if not members:
                continue
            team_total = sum(by_rep[rep.id][period] for rep in members)
            team_id = goals.add(("team", team.id), revenue, team_total, period, company_id)
            for rep in members:
                goals.add(("rep", rep.id), revenue, by_rep[rep.id][period], period, team_id)
    _deals_won_goals(rng, calendar, goals, periods, reps, baselines)
    return TableRows("goals", COLUMNS, goals.rows)


def _rep_targets(
    rng: random.Random,
    periods: list[GoalPeriod],
    reps: list[RepSeed],
    baselines: dict[int, Baseline],
) -> dict[int, dict[GoalPeriod, int]]:
    """Each rep's monthly targets from the month they were hired; longer periods sum them."""
    months = [period for period in periods if period.kind == "month"]
    longer = [period for period in periods if period.kind != "month"]
    targets: dict[int, dict[GoalPeriod, int]] = {}
    for rep in reps:
        mine: dict[GoalPeriod, int] = {}
        for month in months:
            if month.end >= rep.hire_date:
                stretched = _stretched(rng, baselines[rep.id].revenue, month.start.month)
                mine[month] = max(round(stretched / ROUND_TO), 1) * ROUND_TO
        for period in longer:
            inside = [t for month, t in mine.items() if period.start <= month.start <= period.end]
            if inside:
                mine[period] = sum(inside)
        targets[rep.id] = mine
    return targets


def _deals_won_goals(
    rng: random.Random,
    calendar: Calendar,
    goals: _GoalRows,
    periods: list[GoalPeriod],
    reps: list[RepSeed],
    baselines: dict[int, Baseline],
) -> None:
    """Deals won per rep for the current and the previous month."""
    current = calendar.today.replace(day=1)
    wanted = (add_months(current, -1), current)
    months = [p for p in periods if p.kind == "month" and p.start in wanted]
    for rep in reps:
        for month in months:
            if month.end >= rep.hire_date:
                stretched = _stretched(rng, baselines[rep.id].deals, month.start.month)
                target = max(math.ceil(stretched), 1)
                goals.add(("rep", rep.id), ("deals_won", "Deals won"), target, month, None)
