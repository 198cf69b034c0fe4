"""What customers say after buying: satisfaction surveys and complaints."""

from __future__ import annotations

import random
from operator import itemgetter
from typing import Any

from seed.calendar import Calendar, at_start, at_work
from seed.dataset import TableRows
from seed.deals import WonDeal
from seed.org import ACTIVE
from seed.texts import COMPLAINTS, RESOLUTIONS, SEVERITIES, SURVEY_COMMENTS, pick, weighted
from services.settings import DEFAULTS

SURVEY_COLUMNS = (
    "created_at", "updated_at", "version", "customer_id", "rep_id", "surveyed_on", "score",
    "nps", "comment",
)  # fmt: skip
COMPLAINT_COLUMNS = (
    "created_at", "updated_at", "version", "customer_id", "rep_id", "opened_on", "category",
    "severity", "description", "status", "resolved_on", "resolution", "due_on",
)  # fmt: skip
NPS_SHARE = 0.7
NPS_JITTER = (-1, 0, 0, 1)
COMMENT_SHARE = 0.3
SEVERITY_POOL = weighted(SEVERITIES)
CATEGORIES = tuple(COMPLAINTS)
# Complaints older than 90 days are settled, bar a few stuck ones; younger ones less so.
SETTLED_AFTER_DAYS = 90
STUCK_SHARE = 0.02
STUCK_RECENT_SHARE = 0.12
RECENT_DAYS = 30
MIN_PAST_SLA = 3
# Positions in a survey row, and in a complaint row.
SURVEY_REP, SURVEYED, NPS = 4, 5, 7
CUSTOMER, REP, STATUS, DUE = 3, 4, 9, 12


def build_surveys(
    rng: random.Random, share: float, calendar: Calendar, won: list[WonDeal]
) -> TableRows:
    """A survey after about `share` of the won deals; better reps score higher."""
    rows = []
    yesterday = calendar.today_index - 1
    for deal in won:
        if rng.random() >= share:
            continue
        day = deal.closed + 3 + int(rng.random() * 18)
        if day > min(yesterday, deal.customer.active_until + 30):
            continue
        score = _score(deal.rep.skill, rng.gauss(0, 0.85))
        at = at_work(rng, day)
        rows.append((
            at, at, 1, deal.customer.id, deal.rep.id, day, score,
            _nps(score, pick(rng, NPS_JITTER)) if rng.random() < NPS_SHARE else None,
            _comment(rng, score),
        ))  # fmt: skip
    rows.extend(_answered_today(calendar, won, rows))
    rows.sort(key=itemgetter(0))
    return TableRows("surveys", SURVEY_COLUMNS, rows)


def _answered_today(
    calendar: Calendar, won: list[WonDeal], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """A survey with an NPS today from the latest buyer of each team that has none yet this
    month: on any day, even the 1st, Home shows every team its satisfaction."""
    today = calendar.today_index
    month_start = calendar.index(calendar.today.replace(day=1))
    team_of = {deal.rep.id: deal.rep.team.id for deal in won}
    answered = {
        team_of[row[SURVEY_REP]]
        for row in rows
        if row[SURVEYED] >= month_start and row[NPS] is not None
    }
    added = []
    for deal in sorted(won, key=lambda deal: deal.closed, reverse=True):
        team = deal.rep.team.id
        if team in answered or deal.rep.status != ACTIVE:
            continue
        answered.add(team)
        score, at = _score(deal.rep.skill, 0.0), at_start(today)
        added.append((at, at, 1, deal.customer.id, deal.rep.id, today, score, _nps(score), None))
    return added


def _score(skill: float, noise: float) -> int:
    """1-5, better reps score higher."""
    return min(max(round(3.3 + 1.3 * (skill - 1) + noise), 1), 5)


def _nps(score: int, jitter: int = 0) -> int:
    # Follows the score: fives are mostly promoters, threes and below detractors.
    return min(max(score * 2 + jitter - (1 if score <= 3 else 0), 0), 10)


def _comment(rng: random.Random, score: int) -> str | None:
    if rng.random() >= COMMENT_SHARE:
        return None
    mood = "good" if score >= 4 else "neutral" if score == 3 else "bad"
    return pick(rng, SURVEY_COMMENTS[mood])


def build_complaints(
    rng: random.Random, share: float, calendar: Calendar, won: list[WonDeal]
) -> TableRows:
    """Complaints after some won deals (more for weaker reps); old ones mostly resolved."""
    rows: list[tuple[Any, ...]] = []
    yesterday = calendar.today_index - 1
    for deal in won:
        if rng.random() >= share * (1.6 - 0.6 * deal.rep.skill):
            continue
        opened = deal.closed + 5 + int(rng.random() * 80)
        if opened > yesterday:
            continue
        rows.append(_complaint(rng, calendar, deal, opened))
    rows.sort(key=itemgetter(0))
    _keep_some_past_sla(rows, calendar.today_index)
    return TableRows("complaints", COMPLAINT_COLUMNS, _open_ones_with_the_owner(rows, won))


def _open_ones_with_the_owner(
    rows: list[tuple[Any, ...]], won: list[WonDeal]
) -> list[tuple[Any, ...]]:
    """Unresolved complaints moved to the customer's new owner at a handover, as the app
    moves them; resolved ones stay with the rep who had them."""
    owners = {deal.customer.id: deal.customer.owner.id for deal in won}
    return [
        row if row[STATUS] == "resolved" else (*row[:REP], owners[row[CUSTOMER]], *row[REP + 1 :])
        for row in rows
    ]


def _past_sla(row: tuple[Any, ...], today: int) -> bool:
    return row[DUE] < today


def _keep_some_past_sla(rows: list[tuple[Any, ...]], today: int) -> None:
    """However the dice fell, a few complaints are still open past their SLA."""
    missing = MIN_PAST_SLA - sum(
        1 for row in rows if row[STATUS] != "resolved" and _past_sla(row, today)
    )
    for position in range(len(rows) - 1, -1, -1):
        if missing <= 0:
            return
        row = rows[position]
        if row[STATUS] == "resolved" and _past_sla(row, today):
            rows[position] = (row[0], row[0], *row[2:STATUS], "in_progress", None, None, row[DUE])
            missing -= 1


def _complaint(
    rng: random.Random, calendar: Calendar, deal: WonDeal, opened: int
) -> tuple[object, ...]:
    category = pick(rng, CATEGORIES)
    severity = pick(rng, SEVERITY_POOL)
    age = calendar.today_index - opened
    sla = DEFAULTS["sla_days"][severity]
    # Some are fixed well within the SLA, some late.
    takes = round(sla * rng.uniform(0.2, 1.8))
    if age > SETTLED_AFTER_DAYS:
        resolved = rng.random() >= STUCK_SHARE
    elif age > RECENT_DAYS:
        resolved = rng.random() >= STUCK_RECENT_SHARE
    else:
        resolved = takes < age and rng.random() < 0.7
    opened_at = at_work(rng, opened)
    rep = deal.customer.rep_at(opened)
    head = (deal.customer.id, rep.id, opened, category, severity)
    description = pick(rng, COMPLAINTS[category])
    due = opened + sla
    if not resolved:
        status = pick(rng, ("open", "in_progress"))
        return (opened_at, opened_at, 1, *head, description, status, None, None, due)
    done = opened + takes
    resolved_at = max(at_work(rng, done), opened_at)
    resolution = pick(rng, RESOLUTIONS[category])
    return (
        opened_at, resolved_at, 1, *head, description, "resolved", done, resolution, due
    )  # fmt: skip
