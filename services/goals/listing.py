"""Goals with their live progress: the goals list, one goal's numbers, the goals behind pace
on Home's attention list, and the weekly review list per team."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models import Goal, GoalRevision, Team, User
from models.enums import GoalStatus, OwnerKind, PeriodKind, Role
from services import settings
from services.access import Actor
from services.goals import records as goals
from services.goals import rules
from services.goals.progress import BEHIND, Pace, Progress, progress
from services.goals.records import Checkin, GoalFilters, GoalRow, Revision
from services.metrics import get_metric
from services.paging import Paged, page_within
from services.periods import Period

# Goals are reviewed weekly: a week after the last review (or the start) the next is due.
REVIEW_EVERY_DAYS = 7
# Rows a goals list shows at a time.
PAGE_SIZE = 25
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class GoalProgress(GoalRow):
    """A goal with its live numbers (see progress.Progress), in the metric's unit; `target`
    stays the stored integer, as pages format it."""

    actual: float | None
    attainment: float | None
    days: int
    elapsed_days: int
    expected: float | None
    behind: float | None
    pace: Pace
    forecast: float | None
    status: GoalStatus
    early: bool


@dataclass(frozen=True, slots=True)
class GoalReport(GoalProgress):
    """One goal's page: its progress, revisions (newest first) and check-ins, and what the
    reader may do with it: revise, edit and archive it (`may_change`), check in on it."""

    revisions: tuple[Revision, ...]
    checkins: tuple[Checkin, ...]
    may_change: bool
    may_check_in: bool


@dataclass(frozen=True, slots=True)
class ReviewRow(GoalProgress):
    """A running goal on the weekly review list: its team (None for the company's), its last
    review, when the next is due and whether that is today or past."""

    team_name: str | None
    last_reviewed_at: datetime | None
    last_reviewed_by: str | None
    review_due_on: date
    review_due: bool


_ROW_FIELDS = tuple(field.name for field in fields(GoalRow))
# Progress holds the target in the metric's unit (0.4 for 40 %); the row keeps the stored one
# (4000 basis points), so it is left out.
_NUMBER_FIELDS = tuple(field.name for field in fields(Progress) if field.name != "target")


def row_values(row: GoalRow) -> dict[str, Any]:
    """The `GoalRow` fields of `row`, to build a wider read model from it."""
    # A shallow copy (asdict copies deeply, a third of a long list's time).
    return {name: getattr(row, name) for name in _ROW_FIELDS}


def progress_values(found: Progress) -> dict[str, Any]:
    """The fields `GoalProgress` adds to a row, from the goal's progress."""
    return {name: getattr(found, name) for name in _NUMBER_FIELDS}


def with_progress(row: GoalRow, found: Progress) -> GoalProgress:
    """A goal row with its progress fields alongside."""
    return GoalProgress(**row_values(row), **progress_values(found))


@dataclass(frozen=True)
class GoalPage(Paged[GoalProgress]):
    """One page of goals, each row with its progress."""


@dataclass(frozen=True)
class ReviewPage(Paged[ReviewRow]):
    # How many of all `total` running goals are due for their review.
    due: int = 0


def _page_of(rows: list[T], page: int, page_size: int) -> tuple[list[T], int, int]:
    """The rows of one page of a list already in memory, that page, and how many pages."""
    page, pages, size = page_within(len(rows), page, page_size)
    return rows[(page - 1) * size : page * size], page, pages


def _with_progress(session: Session, rows: list[GoalRow]) -> list[GoalProgress]:
    found = progress(session, rows, settings.office_today(session))
    return [with_progress(row, found[row.id]) for row in rows]


def list_page(
    session: Session,
    actor: Actor,
    *,
    filters: GoalFilters,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> GoalPage:
    """One page of `goals.list_goals` (same order and denials), progress computed for that
    page's goals only."""
    total = goals.count_goals(session, actor, filters=filters)
    page, pages, size = page_within(total, page, page_size)
    rows = goals.list_goals(session, actor, filters=filters, offset=(page - 1) * size, limit=size)
    return GoalPage(_with_progress(session, rows), total, page, pages)


def goal_progress(session: Session, actor: Actor, goal_id: int) -> GoalReport:
    """One goal (as `goals.get`) with its progress; NotFound or PermissionDenied."""
    goal = goals.get(session, actor, goal_id)
    found = progress(session, [goal], settings.office_today(session))
    stored = session.get(Goal, goal_id)
    assert stored is not None  # `goals.get` found it
    may_change = rules.may_write(session, actor, stored)
    own = goal.owner_kind == OwnerKind.REP and goal.owner_id == actor.rep_id
    return GoalReport(
        **row_values(goal),
        **progress_values(found[goal_id]),
        revisions=goal.revisions,
        checkins=goal.checkins,
        may_change=may_change,
        may_check_in=(may_change or own)
        and get_metric(goal.metric_key).manual
        and goal.archived_at is None,
    )


def _running(session: Session, actor: Actor) -> list[GoalRow]:
    """The live goals the actor works on whose period holds the office's today: all they may
    read, but a rep's own only (the team's and the company's they read, not chase)."""
    today = settings.office_today(session)
    own = actor.rep_id if actor.role == Role.REP else None
    return goals.list_goals(session, actor, filters=GoalFilters(period=_day(today), rep_id=own))


def behind_pace(
    session: Session,
    actor: Actor,
    *,
    rep_ids: frozenset[int] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> GoalPage:
    """One page of the running goals the actor may read that are at risk or off track,
    furthest behind first. `rep_ids` narrows to those reps' goals (a team filter).

    Pace comes from the metrics, not a column, so every running goal's progress is computed
    to find and order the behind ones; that costs one metric query per metric and period
    among them (see goal_progress), however many goals share it."""
    running = [
        row
        for row in _running(session, actor)
        if rep_ids is None or (row.owner_kind == OwnerKind.REP and row.owner_id in rep_ids)
    ]
    behind = [row for row in _with_progress(session, running) if row.pace in BEHIND]
    behind.sort(key=lambda row: (-(row.behind or 0), row.id))
    shown, page, pages = _page_of(behind, page, page_size)
    return GoalPage(shown, len(behind), page, pages)


def _day(today: date) -> Period:
    """The goals running today are those whose period overlaps this one day."""
    return Period(PeriodKind.CUSTOM, today, today)


def _last_reviews(session: Session, goal_ids: list[int]) -> dict[int, tuple[datetime, str]]:
    newest = (
        select(
            col(GoalRevision.goal_id),
            col(GoalRevision.at),
            col(User.display_name),
            sa.func.row_number()
            .over(
                partition_by=col(GoalRevision.goal_id),
                order_by=(col(GoalRevision.at).desc(), col(GoalRevision.id).desc()),
            )
            .label("newest"),
        )
        .join(User, col(User.id) == col(GoalRevision.by_user_id))
        .where(col(GoalRevision.goal_id).in_(goal_ids))
        .subquery()
    )
    rows = session.exec(
        select(newest.c.goal_id, newest.c.at, newest.c.display_name).where(newest.c.newest == 1)
    ).all()
    return {goal_id: (at, who) for goal_id, at, who in rows}


def review_list(
    session: Session, actor: Actor, *, page: int = 1, page_size: int = PAGE_SIZE
) -> ReviewPage:
    """One page of the running goals the actor may read, each with its team, its last review
    (a revision, whether or not it changed the target), when the next is due and whether it
    is overdue: due ones first, then by team and owner. Progress is computed for the page's
    goals only; `due` counts the due ones of all."""
    today = settings.office_today(session)
    rows = _running(session, actor)
    reviews = _last_reviews(session, [row.id for row in rows])
    team_names = dict(session.exec(select(Team.id, Team.name)).all())
    # Timestamps are UTC: the day of a review is the office's day, as `today` is.
    zone = settings.timezone(session)
    # Each row with the fields `ReviewRow` adds to it, but for the progress.
    listed: list[tuple[GoalRow, dict[str, Any]]] = []
    for row in rows:
        reviewed_at, reviewer = reviews.get(row.id, (None, None))
        since = (
            reviewed_at.astimezone(zone).date()
            if reviewed_at
            else max(row.period_start, row.created_at.astimezone(zone).date())
        )
        due_on = since + timedelta(days=REVIEW_EVERY_DAYS)
        team_id = row.owner_id if row.owner_kind == OwnerKind.TEAM else row.rep_team_id
        review = {
            "team_name": team_names.get(team_id), "last_reviewed_at": reviewed_at,
            "last_reviewed_by": reviewer, "review_due_on": due_on, "review_due": due_on <= today,
        }  # fmt: skip
        listed.append((row, review))
    listed.sort(
        key=lambda item: (
            not item[1]["review_due"],
            item[1]["team_name"] or "",
            item[0].owner_name or "",
        )
    )
    shown, page, pages = _page_of(listed, page, page_size)
    due = sum(review["review_due"] for _row, review in listed)
    found = progress(session, [row for row, _review in shown], today)
    return ReviewPage(
        [
            ReviewRow(**row_values(row), **progress_values(found[row.id]), **review)
            for row, review in shown
        ],
        len(listed),
        page,
        pages,
        due,
    )
