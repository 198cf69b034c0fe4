"""services/goals/records.py: goals added, edited, revised with a reason, reviewed, archived and
checked in; bad input refused with nothing written; a stale edit refused; the audit trail.
Who may do what is in test_goal_rules.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Goal, GoalCheckin, GoalRevision, Rep, Team
from models.enums import OwnerKind, PeriodKind
from services import settings
from services.errors import NotFound, StaleEdit, ValidationError
from services.goals import records as goals
from services.goals.records import Checkin, GoalFile, GoalFilters
from services.periods import containing
from tests.factories import Org, make_goal
from tests.services.goals.cases import JANUARY, Q1, YEAR, goal_state, q1_goal
from tests.services.helpers import audit_actions, count


def _revisions(session: Session, goal_id: int) -> list[tuple[Any, ...]]:
    rows = session.exec(
        select(GoalRevision).where(GoalRevision.goal_id == goal_id).order_by(col(GoalRevision.id))
    ).all()
    return [(r.old_target, r.new_target, r.reason, r.by_user_id) for r in rows]


def _add(session: Session, org: Org, owner: Rep | Team | None, **changes: Any) -> GoalFile:
    return goals.create(session, org.actor(session, org.admin), data=q1_goal(owner, **changes))


# ---- create ----


def test_goals_cascade_from_the_company_to_a_team_and_its_reps(
    session: Session, engine: Engine, org: Org
) -> None:
    company = _add(
        session, org, None, target="1,000,000", period_kind=PeriodKind.YEAR,
        period_start=YEAR.start, period_end=YEAR.end, title="2026 revenue",
    )  # fmt: skip
    manager = org.actor(session, org.east_manager)
    team = goals.create(session, manager, data=q1_goal(org.east, parent_id=company.id))
    monthly = {
        "period_kind": PeriodKind.MONTH, "period_start": JANUARY.start,
        "period_end": JANUARY.end, "parent_id": team.id, "target": "12500.50",
    }  # fmt: skip
    rep = goals.create(session, manager, data=q1_goal(org.east_rep, **monthly))
    # A rep of East's sub-team sits under East's goal too.
    sub = goals.create(session, manager, data=q1_goal(org.east_sub_rep, **monthly))

    assert (company.owner_kind, company.owner_id, company.target) == (
        OwnerKind.COMPANY, None, 100_000_000,
    )  # fmt: skip
    assert (team.owner_name, team.target, team.parent_title) == (
        "East", 5_000_000, "2026 revenue",
    )  # fmt: skip
    assert (rep.owner_name, rep.rep_team_id, rep.target) == (
        "East Rep", org.east.id, 1_250_050,
    )  # fmt: skip
    assert (rep.period_kind, rep.period_start, rep.period_end) == (
        PeriodKind.MONTH, date(2026, 1, 1), date(2026, 1, 31),
    )  # fmt: skip
    assert (rep.description, rep.version, rep.archived_at) == ("New logos first.", 1, None)
    assert (rep.revisions, rep.checkins) == ((), ())
    assert sub.parent_id == team.id
    assert audit_actions(engine) == ["goals.create"] * 4
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None
    assert (event.user_id, event.entity, event.entity_id) == (
        org.east_manager.id, "goals", sub.id,
    )  # fmt: skip
    assert event.after is not None and event.after["target"] == 1_250_050


@pytest.mark.parametrize(
    ("changes", "msgid"),
    [
        ({"target": "0"}, "The target must be above zero."),
        # Money goes through the amount check first: its message names the amount.
        ({"target": "-5"}, "The amount cannot be negative."),
        ({"target": "1000000000000"}, "The amount is too large."),
        ({"target": "1.005"}, "Use at most two decimal places."),
        ({"target": "lots"}, "Enter the amount as a number, like 12500.50."),
        ({"metric_key": "deals_won", "target": "0"}, "The target must be above zero."),
        ({"metric_key": "deals_won", "target": "-3"}, "The target must be above zero."),
        ({"metric_key": "deals_won", "target": "1000001"}, "The target is too large."),
        ({"metric_key": "deals_won", "target": "2.5"}, "Enter a whole number."),
        ({"metric_key": "deals_won", "target": "many"}, "Enter the target as a number."),
        ({"metric_key": "deals_won", "target": True}, "Enter the target as a number."),
        ({"metric_key": "sales_cycle_days", "target": "3651"}, "The target is too large."),
        ({"metric_key": "win_rate", "target": "101"}, "Enter a percentage between 0 and 100."),
        ({"metric_key": "win_rate", "target": "-1"}, "Enter a percentage between 0 and 100."),
        ({"metric_key": "win_rate", "target": "0"}, "The target must be above zero."),
        ({"metric_key": "win_rate", "target": "33.333"}, "Use at most two decimal places."),
        ({"metric_key": "csat", "target": "6"}, "Enter a score between {low} and {high}."),
        ({"metric_key": "csat", "target": "0.5"}, "Enter a score between {low} and {high}."),
        ({"metric_key": "nps", "target": "101"}, "Enter a score between {low} and {high}."),
        ({"metric_key": "nonsense"}, "Unknown metric: {key}."),
        ({"title": "   "}, "Enter a title for the goal."),
        ({"description": "x" * 2001}, "Use at most {limit} characters."),
        ({"period_kind": PeriodKind.CUSTOM, "period_end": date(2025, 12, 31)},
         "The end date is before the start date."),
        ({"period_end": date(2025, 12, 31)}, "The end date is before the start date."),
        ({"period_end": date(2026, 2, 28)}, "The dates do not make one whole period."),
        ({"period_kind": PeriodKind.MONTH}, "The dates do not make one whole period."),
        ({"period_kind": PeriodKind.CUSTOM, "period_end": date(2031, 1, 1)},
         "A period can be at most 5 years long."),
        ({"period_start": None}, "Choose the goal's period."),
        ({"owner_id": None}, "Choose whose goal this is."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(
    session: Session, engine: Engine, org: Org, changes: dict[str, Any], msgid: str
) -> None:
    before = goal_state(engine)
    with pytest.raises(ValidationError) as raised:
        _add(session, org, org.east_rep, **changes)
    assert raised.value.msgid == msgid
    assert goal_state(engine) == before


def test_a_second_goal_for_the_same_owner_metric_and_period_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    first = _add(session, org, org.east_rep)
    company = _add(session, org, None)
    before = goal_state(engine)
    for owner in (org.east_rep, None):  # the company's owner is NULL: no database constraint
        with pytest.raises(ValidationError) as raised:
            _add(session, org, owner, title="Again", target="60,000")
        assert raised.value.msgid == "There is already a goal for this owner, metric and period."
    assert goal_state(engine) == before
    # Another metric, or another period, is another goal.
    _add(session, org, org.east_rep, metric_key="deals_won", target="5")
    _add(session, org, org.east_rep, period_kind=PeriodKind.MONTH,
         period_start=JANUARY.start, period_end=JANUARY.end)  # fmt: skip
    # An archived one is restored rather than added twice.
    admin = org.actor(session, org.admin)
    goals.archive(session, admin, goal_id=first.id, version=1)
    goals.archive(session, admin, goal_id=company.id, version=1)
    before = goal_state(engine)
    for owner in (org.east_rep, None):
        with pytest.raises(ValidationError, match="restore it instead"):
            _add(session, org, owner)
    assert goal_state(engine) == before


# ---- update ----


def test_update_changes_the_words_and_the_parent_not_the_target(
    session: Session, engine: Engine, org: Org
) -> None:
    team = _add(session, org, org.east)
    goal = _add(session, org, org.east_rep)
    manager = org.actor(session, org.east_manager)
    edited = goals.update(
        session, manager, goal_id=goal.id, version=1,
        data={"title": "Q1 new logos", "description": "", "parent_id": team.id,
              "target": "1"},  # not a field of an edit: revise changes the target
    )  # fmt: skip
    assert (edited.title, edited.description, edited.parent_id) == (
        "Q1 new logos", None, team.id,
    )  # fmt: skip
    assert (edited.target, edited.version) == (5_000_000, 2)
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None and event.action == "goals.update"
    assert event.before == {"title": "Q1 revenue", "description": "New logos first.",
                            "parent_id": None}  # fmt: skip
    assert event.after == {"title": "Q1 new logos", "description": None, "parent_id": team.id}


def test_update_refuses_a_stale_version_bad_input_and_an_archived_goal(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = _add(session, org, org.east_rep)
    west = _add(session, org, org.west)
    admin = org.actor(session, org.admin)
    goals.update(session, admin, goal_id=goal.id, version=1, data={"title": "First edit"})
    before = goal_state(engine)
    with pytest.raises(StaleEdit):
        goals.update(session, admin, goal_id=goal.id, version=1, data={"title": "Late edit"})
    for data, msgid in [
        ({"title": ""}, "Enter a title for the goal."),
        ({"title": "x", "parent_id": west.id}, "The parent goal belongs to another team."),
        ({"title": "x", "parent_id": goal.id},
         "A goal's parent is one level up: a rep's under a team's, a team's under a region's "
         "or the company's."),
    ]:  # fmt: skip
        with pytest.raises(ValidationError) as raised:
            goals.update(session, admin, goal_id=goal.id, version=2, data=data)
        assert raised.value.msgid == msgid
    assert goal_state(engine) == before
    goals.archive(session, admin, goal_id=goal.id, version=2)
    before = goal_state(engine)
    with pytest.raises(ValidationError, match="This goal is archived"):
        goals.update(session, admin, goal_id=goal.id, version=3, data={"title": "Revived"})
    assert goal_state(engine) == before
    with pytest.raises(NotFound):
        goals.update(session, admin, goal_id=99_999, version=1, data={"title": "x"})


# ---- revise ----


def test_a_revision_keeps_old_new_reason_and_who(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = _add(session, org, org.east_rep)
    manager = org.actor(session, org.east_manager)
    revised = goals.revise(
        session, manager, goal_id=goal.id, version=1, target="45,000",
        reason="  Lost the Acme account. ",
    )  # fmt: skip
    assert (revised.target, revised.version) == (4_500_000, 2)
    assert _revisions(session, goal.id) == [
        (5_000_000, 4_500_000, "Lost the Acme account.", org.east_manager.id)
    ]
    assert [(r.old_target, r.new_target, r.by) for r in revised.revisions] == [
        (5_000_000, 4_500_000, "Eastboss")
    ]
    assert audit_actions(engine)[-2:] == ["goal.revise", "goal_revisions.create"]
    with Session(engine) as fresh:
        event = fresh.exec(select(AuditEvent).where(AuditEvent.action == "goal.revise")).one()
    assert (event.before, event.after) == ({"target": 5_000_000}, {"target": 4_500_000})


def test_a_review_that_keeps_the_target_is_kept_as_a_revision(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = _add(session, org, org.east_rep)
    admin = org.actor(session, org.admin)
    goals.revise(session, admin, goal_id=goal.id, version=1, target="45000", reason="Acme")
    # Typed as shown on the form, "45,000.00" is the same target: a review.
    reviewed = goals.revise(
        session, admin, goal_id=goal.id, version=2, target="45,000.00", reason="On plan."
    )
    assert (reviewed.target, reviewed.version) == (4_500_000, 3)
    assert _revisions(session, goal.id) == [
        (5_000_000, 4_500_000, "Acme", org.admin.id),
        (4_500_000, 4_500_000, "On plan.", org.admin.id),
    ]
    # Newest first on the goal.
    assert [r.reason for r in reviewed.revisions] == ["On plan.", "Acme"]
    assert audit_actions(engine)[-2:] == ["goal.review", "goal_revisions.create"]


@pytest.mark.parametrize(
    ("target", "reason", "msgid"),
    [
        ("45,000", None, "Say why the target changes."),
        ("45,000", "   ", "Say why the target changes."),
        ("45,000", "x" * 1001, "Use at most {limit} characters."),
        ("0", "Cut", "The target must be above zero."),
        ("-1", "Cut", "The amount cannot be negative."),
        ("1000000000000", "Raise", "The amount is too large."),
        ("", "Cut", "Enter the amount as a number, like 12500.50."),
    ],
)
def test_a_revision_without_a_reason_or_with_a_bad_target_is_refused(
    session: Session, engine: Engine, org: Org, target: str, reason: str | None, msgid: str
) -> None:
    goal = _add(session, org, org.east_rep)
    before = goal_state(engine)
    with pytest.raises(ValidationError) as raised:
        goals.revise(
            session, org.actor(session, org.admin), goal_id=goal.id, version=1, target=target,
            reason=reason,
        )  # fmt: skip
    assert raised.value.msgid == msgid
    assert goal_state(engine) == before


def test_a_ratio_revision_stays_on_its_scale(session: Session, engine: Engine, org: Org) -> None:
    goal = _add(session, org, org.east_rep, metric_key="win_rate", target="40")
    admin = org.actor(session, org.admin)
    before = goal_state(engine)
    with pytest.raises(ValidationError, match="percentage between 0 and 100"):
        goals.revise(session, admin, goal_id=goal.id, version=1, target="120", reason="Up")
    assert goal_state(engine) == before
    revised = goals.revise(session, admin, goal_id=goal.id, version=1, target="45.5",
                           reason="Up")  # fmt: skip
    assert revised.target == 4_550


def test_a_stale_or_archived_revision_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = _add(session, org, org.east_rep)
    admin = org.actor(session, org.admin)
    goals.revise(session, admin, goal_id=goal.id, version=1, target="40000", reason="Cut")
    before = goal_state(engine)
    with pytest.raises(StaleEdit):
        goals.revise(session, admin, goal_id=goal.id, version=1, target="30000", reason="Cut")
    assert goal_state(engine) == before
    goals.archive(session, admin, goal_id=goal.id, version=2)
    before = goal_state(engine)
    with pytest.raises(ValidationError, match="This goal is archived"):
        goals.revise(session, admin, goal_id=goal.id, version=3, target="30000", reason="Cut")
    assert goal_state(engine) == before


# ---- archive and unarchive ----


def test_archive_takes_a_goal_out_of_lists_and_unarchive_brings_it_back(
    session: Session, engine: Engine, org: Org
) -> None:
    goal = _add(session, org, org.east_rep)
    goals.revise(session, org.actor(session, org.admin), goal_id=goal.id, version=1,
                 target="40000", reason="Cut")  # fmt: skip
    manager = org.actor(session, org.east_manager)
    archived = goals.archive(session, manager, goal_id=goal.id, version=2)
    assert (archived.archived_at is not None, archived.version) == (True, 3)
    # Its history stays; it leaves the live list and shows among the archived.
    assert len(archived.revisions) == 1
    assert goals.list_goals(session, manager, filters=GoalFilters()) == []
    listed = goals.list_goals(session, manager, filters=GoalFilters(archived=True))
    assert [row.id for row in listed] == [goal.id]
    # Archiving it again changes nothing.
    before = goal_state(engine)
    assert goals.archive(session, manager, goal_id=goal.id, version=3).version == 3
    assert goal_state(engine) == before
    with pytest.raises(StaleEdit):
        goals.unarchive(session, manager, goal_id=goal.id, version=2)
    assert goal_state(engine) == before
    restored = goals.unarchive(session, manager, goal_id=goal.id, version=3)
    assert (restored.archived_at, restored.version) == (None, 4)
    assert audit_actions(engine)[-2:] == ["goal.archive", "goal.unarchive"]
    assert count(engine, Goal) == 1


def test_unarchive_is_refused_when_another_goal_took_the_place(
    session: Session, engine: Engine, org: Org
) -> None:
    # The company's goals have no owner id, so only the service keeps them one per period.
    old = make_goal(session, None, Q1.start, Q1.end, 100, kind=PeriodKind.QUARTER, title="Old")
    admin = org.actor(session, org.admin)
    goals.archive(session, admin, goal_id=old.id, version=1)
    session.add(
        Goal(owner_kind=OwnerKind.COMPANY, metric_key="revenue", target=200,
             period_kind=PeriodKind.QUARTER, period_start=Q1.start, period_end=Q1.end,
             title="New")
    )  # fmt: skip
    session.commit()
    before = goal_state(engine)
    with pytest.raises(ValidationError) as raised:
        goals.unarchive(session, admin, goal_id=old.id, version=2)
    assert raised.value.msgid == "There is already a goal for this owner, metric and period."
    assert goal_state(engine) == before


# ---- add_checkin ----


def _share_goal(session: Session, org: Org, owner: Rep | Team | None) -> GoalFile:
    """A market share goal for the 60 days around the office's today, open to check-ins."""
    today = settings.office_today(session)
    return _add(
        session, org, owner, metric_key="market_share", target="20",
        period_kind=PeriodKind.CUSTOM, period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=30),
    )  # fmt: skip


def test_check_ins_of_a_manual_metric_by_the_rep_and_their_manager(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    goal = _share_goal(session, org, org.east_rep)
    rep = org.actor(session, org.east_rep_user)
    goals.add_checkin(session, rep, goal_id=goal.id, checked_on=today - timedelta(days=3),
                      value="12.5", note=" From the dealer survey ")  # fmt: skip
    manager = org.actor(session, org.east_manager)
    checked = goals.add_checkin(session, manager, goal_id=goal.id, checked_on=today,
                                value="13")  # fmt: skip
    assert checked.checkins == (
        Checkin(checked_on=today, value=1_300, note=None),
        Checkin(checked_on=today - timedelta(days=3), value=1_250, note="From the dealer survey"),
    )
    with Session(engine) as fresh:
        who = fresh.exec(select(GoalCheckin.by_user_id).order_by(col(GoalCheckin.id))).all()
    assert who == [org.east_rep_user.id, org.east_manager.id]
    assert audit_actions(engine)[-2:] == ["goal_checkins.create"] * 2


def test_bad_check_ins_are_refused_and_nothing_is_written(
    session: Session, engine: Engine, org: Org, today: date
) -> None:
    share = _share_goal(session, org, org.east_rep)
    computed = _add(session, org, org.east_rep)
    gone = _share_goal(session, org, org.east)
    admin = org.actor(session, org.admin)
    goals.archive(session, admin, goal_id=gone.id, version=1)
    before = goal_state(engine)
    for goal, day, value, msgid in [
        (share, today + timedelta(days=1), "12", "This date is in the future."),
        (share, today, "101", "Enter a percentage between 0 and 100."),
        (share, today, "twelve", "Enter the target as a number."),
        (share, None, "12", "This value is not valid."),
        (computed, today, "12", "This goal's metric is computed from the data."),
        (gone, today, "12", "This goal is archived."),
    ]:
        with pytest.raises(ValidationError) as raised:
            goals.add_checkin(session, admin, goal_id=goal.id, checked_on=day, value=value)
        assert raised.value.msgid == msgid
    # Outside the period: its first and last day as dates, for the ui to write.
    before_start = share.period_start - timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        goals.add_checkin(session, admin, goal_id=share.id, checked_on=before_start, value="12")
    assert raised.value.params == {"start": share.period_start, "end": share.period_end}
    assert goal_state(engine) == before


# ---- get ----


def test_get_has_the_goal_its_revisions_and_check_ins(
    session: Session, org: Org, today: date
) -> None:
    goal = _share_goal(session, org, org.west_rep)
    admin = org.actor(session, org.admin)
    goals.add_checkin(session, admin, goal_id=goal.id, checked_on=today, value="9")
    goals.revise(session, admin, goal_id=goal.id, version=1, target="18", reason="Smaller")
    got = goals.get(session, org.actor(session, org.west_rep_user), goal.id)
    assert (got.owner_name, got.metric_key, got.target, got.version) == (
        "West Rep", "market_share", 1_800, 2,
    )  # fmt: skip
    assert [(r.old_target, r.new_target, r.reason, r.by) for r in got.revisions] == [
        (2_000, 1_800, "Smaller", "Admin")
    ]
    assert got.checkins == (Checkin(checked_on=today, value=900, note=None),)
    with pytest.raises(NotFound):
        goals.get(session, admin, 99_999)


# ---- Known gaps in services/goals/records.py, reported to the lead ----


def test_a_check_in_outside_the_goals_period_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    # A 2025 goal takes no check-in dated 2024 or 2026: it would be listed but never count.
    year = containing(PeriodKind.YEAR, date(2025, 1, 1))
    goal = make_goal(session, org.east_rep, year.start, year.end, 2_000,
                     metric_key="market_share", kind=PeriodKind.YEAR)  # fmt: skip
    admin = org.actor(session, org.admin)
    before = goal_state(engine)
    for day in (date(2024, 12, 31), date(2026, 1, 1)):
        with pytest.raises(ValidationError):
            goals.add_checkin(session, admin, goal_id=goal.id, checked_on=day, value="10")
    assert goal_state(engine) == before
