"""What customers say after buying: satisfaction surveys and complaints."""

from __future__ import annotations

import random
from operator import itemgetter
from typing import Any

from seed.calendar import Calendar, at_work
from seed.dataset import TableRows
from seed.deals import WonDeal
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
COMMENT_SHARE = 0.3
SEVERITY_POOL = weighted(SEVERITIES)
CATEGORIES = tuple(COMPLAINTS)
# Complaints older than 90 days are settled, bar a few stuck ones; younger ones less so.
SETTLED_AFTER_DAYS = 90
STUCK_SHARE = 0.02
STUCK_RECENT_SHARE = 0.12
RECENT_DAYS = 30
MIN_PAST_SLA = 3
# Positions in a complaint row.
STATUS, DUE = 9, 12


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
        raw = 3.3 + 1.3 * (deal.rep.skill - 1) + rng.gauss(0, 0.85)
        score = min(max(round(raw), 1), 5)
        at = at_work(rng, day)
        rows.append((
            at, at, 1, deal.customer.id, deal.rep.id, day, score,
            _nps(rng, score) if rng.random() < NPS_SHARE else None, _comment(rng, score),
        ))  # fmt: skip
    rows.sort(key=itemgetter(0))
    return TableRows("surveys", SURVEY_COLUMNS, rows)


def _nps(rng: random.Random, score: int) -> int:
    # Follows the score: fives are mostly promoters, threes and below detractors.
    return min(max(score * 2 + pick(rng, (-1, 0, 0, 1)) - (1 if score <= 3 else 0), 0), 10)


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
    return TableRows("complaints", COMPLAINT_COLUMNS, rows)


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
