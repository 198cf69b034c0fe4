"""services/goals/bulk_targets.py: the grid per role, copying and scaling worked by hand, saving
all or nothing (created, revised, left alone, with revisions and audit rows), every kind of
bad row named with nothing written, stale rows, and reaches outside the scope denied."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Goal, GoalRevision, Rep
from models.base import utcnow
from models.enums import OwnerKind, PeriodKind, RepStatus
from services.errors import PermissionDenied, StaleEdit, ValidationError
from services.goals import bulk_targets
from services.goals import records as goals
from services.goals.bulk_targets import GridRow, RowError, RowErrors, SaveResult
from services.periods import containing
from tests.factories import Org, make_goal, make_rep
from tests.services.helpers import audit_actions, count

MARCH = containing(PeriodKind.MONTH, date(2026, 3, 10))
FEBRUARY = MARCH.previous()


def _goal(session: Session, owner: Any, target: int, **fields: Any) -> Goal:
    period = fields.pop("period", MARCH)
    return make_goal(session, owner, period.start, period.end, target, kind=period.kind, **fields)


def _written(engine: Engine) -> tuple[int, int, list[tuple[Any, ...]]]:
    """Revisions, audit events, and every goal's (id, target, version, archived_at)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Goal.id, Goal.target, Goal.version, Goal.archived_at).order_by(col(Goal.id))
        ).all()
    return count(engine, GoalRevision), count(engine, AuditEvent), [tuple(row) for row in rows]


def _grid(session: Session, org: Org, user: Any = None, **options: Any) -> list[GridRow]:
    actor = org.actor(session, user or org.admin)
    options = {"metric_key": "revenue", "period": MARCH} | options
    return bulk_targets.grid(session, actor, **options)


def _edited(rows: list[GridRow], targets: dict[int, Any]) -> list[dict[str, Any]]:
    """The grid's rows as `save` takes them, with the targets typed for some reps (by rep id)."""
    return [
        asdict(row) | ({"target": targets[row.rep_id]} if row.rep_id in targets else {})
        for row in rows
    ]


def _save(session: Session, org: Org, rows: Any, user: Any = None, **options: Any) -> SaveResult:
    actor = org.actor(session, user or org.admin)
    options = {"metric_key": "revenue", "period": MARCH, "reason": "Plan for spring"} | options
    return bulk_targets.save(session, actor, rows=rows, **options)


def _row_errors(session: Session, org: Org, rows: Any, **options: Any) -> list[RowError]:
    with pytest.raises(RowErrors) as raised:
        _save(session, org, rows, **options)
    assert raised.value.params == {"count": len(raised.value.rows)}
    return raised.value.rows


# ---- grid ----


def test_the_grid_holds_each_active_rep_with_this_and_last_periods_targets(
    session: Session, org: Org
) -> None:
    march = _goal(session, org.east_rep, 12_000_000)
    _goal(session, org.east_rep, 10_000_050, period=FEBRUARY)
    _goal(session, org.west_rep, 9_000_000, period=FEBRUARY)
    # None of these is the rep's March revenue goal.
    _goal(session, org.west_rep, 5, metric_key="deals_won")
    _goal(session, org.east_sub_rep, 1, period=containing(PeriodKind.QUARTER, MARCH.start))
    archived = _goal(session, org.east_sub_rep, 7_000_000)
    archived.archived_at = utcnow()
    session.add(archived)
    on_leave = make_rep(session, org.east, "Away Rep")
    on_leave.status = RepStatus.ON_LEAVE
    session.add(on_leave)
    session.commit()

    rows = _grid(session, org)
    assert rows == [
        GridRow(
            rep_id=org.east_rep.id, rep_name="East Rep", team_name="East",
            target=Decimal("120000"), goal_id=march.id, version=1,
            previous_target=Decimal("100000.50"),
        ),
        GridRow(
            rep_id=org.east_sub_rep.id, rep_name="East Sub Rep", team_name="East Sub",
            target=None, goal_id=None, version=None, previous_target=None,
        ),
        GridRow(
            rep_id=org.west_rep.id, rep_name="West Rep", team_name="West",
            target=None, goal_id=None, version=None, previous_target=Decimal("90000"),
        ),
    ]  # fmt: skip


def test_a_manager_sees_their_teams_reps_and_a_team_filter_narrows(
    session: Session, org: Org
) -> None:
    names = [row.rep_name for row in _grid(session, org, org.east_manager)]
    assert names == ["East Rep", "East Sub Rep"]
    by_team = _grid(session, org, team_id=org.east_sub.id)
    assert [row.rep_name for row in by_team] == ["East Sub Rep"]
    by_region = _grid(session, org, org.west_manager, team_id=org.west.id)
    assert [row.rep_name for row in by_region] == ["West Rep"]


@pytest.mark.parametrize(
    ("metric_key", "stored", "typed"),
    [
        ("win_rate", 6050, Decimal("60.5")),  # basis points → percent
        ("csat", 450, Decimal("4.5")),  # hundredths of a point
        ("sales_cycle_days", 3025, Decimal("30.25")),
        ("deals_won", 12, Decimal(12)),
    ],
)
def test_targets_come_typed_in_the_metrics_unit(
    session: Session, org: Org, metric_key: str, stored: int, typed: Decimal
) -> None:
    _goal(session, org.east_rep, stored, metric_key=metric_key)
    [row] = [r for r in _grid(session, org, metric_key=metric_key) if r.rep_id == org.east_rep.id]
    assert row.target == typed


def test_a_rep_may_not_open_the_grid(engine: Engine, session: Session, org: Org) -> None:
    with pytest.raises(PermissionDenied):
        _grid(session, org, org.east_rep_user)
    assert audit_actions(engine) == ["access.denied"]


def test_a_manager_may_not_open_another_teams_grid(
    engine: Engine, session: Session, org: Org
) -> None:
    with pytest.raises(PermissionDenied):
        _grid(session, org, org.east_manager, team_id=org.west.id)
    assert audit_actions(engine) == ["access.denied"]


# ---- copy and scale: pure ----


@pytest.mark.parametrize(
    ("metric_key", "target", "percent", "expected"),
    [
        # 100,000.50 × 1.10 = 110,000.55 → whole yuan, half up.
        ("revenue", "100000.50", "10", "110001"),
        ("revenue", "120000", "-12.5", "105000"),
        ("revenue", "99.50", "0", "100"),
        # 7 × 1.15 = 8.05 → 8 deals; 3 × 1.5 = 4.5 → 5.
        ("deals_won", "7", "15", "8"),
        ("deals_won", "3", "50", "5"),
        # 60.5 % × 1.1 = 66.55 %; CSAT 4.5 × 1.03 = 4.635 → 4.64; 30 days × 0.96667 = 29.0001.
        ("win_rate", "60.5", "10", "66.55"),
        ("csat", "4.5", "3", "4.64"),
        ("sales_cycle_days", "30", "-3.333", "29.00"),
    ],
)
def test_scaling_rounds_money_and_counts_whole(
    metric_key: str, target: str, percent: str, expected: str
) -> None:
    result = bulk_targets.scaled(metric_key, Decimal(target), Decimal(percent))
    assert result == Decimal(expected)
    assert str(result) == expected


def test_scaling_and_copying_rows() -> None:
    rows = [
        GridRow(rep_id, f"Rep {rep_id}", None, target, None, None, previous)
        for rep_id, target, previous in [
            (1, Decimal("1000"), Decimal("800")),
            (2, None, Decimal("500.40")),
            (3, Decimal("300"), None),
            (4, None, None),
        ]
    ]
    copied = bulk_targets.copied_from_previous(rows)
    assert [row.target for row in copied] == [
        Decimal(800),
        Decimal("500.40"),
        Decimal(300),
        None,
    ]
    scaled = bulk_targets.scaled_rows("revenue", copied, Decimal(5))
    # 840; 500.40 × 1.05 = 525.42 → 525; 315; blank stays blank.
    assert [row.target for row in scaled] == [Decimal(840), Decimal(525), Decimal(315), None]
    assert [row.previous_target for row in scaled] == [row.previous_target for row in rows]
    # Only the target changes; the input is left as it was.
    assert [replace(row, target=None) for row in scaled] == [
        replace(row, target=None) for row in rows
    ]
    assert rows[0].target == Decimal(1000)


# ---- save ----


def test_saving_creates_revises_and_leaves_alone(
    engine: Engine, session: Session, org: Org
) -> None:
    sub_team_goal = _goal(session, org.east_sub, 50_000_000)
    east = _goal(session, org.east_rep, 12_000_000)
    west = _goal(session, org.west_rep, 8_000_000)
    extra = make_rep(session, org.west, "New Rep")
    rows = _edited(
        _grid(session, org),
        {org.east_rep.id: "130,000", org.east_sub_rep.id: Decimal("50000.5"),
         org.west_rep.id: 80000.0, extra.id: None},
    )  # fmt: skip
    revisions, audits, _goals = _written(engine)

    result = _save(session, org, rows, title="Revenue March 2026")

    assert result == SaveResult(created=1, revised=1, unchanged=2)
    new = session.exec(select(Goal).where(Goal.owner_id == org.east_sub_rep.id)).one()
    assert (new.owner_kind, new.metric_key, new.target, new.period_kind) == (
        OwnerKind.REP, "revenue", 5_000_050, PeriodKind.MONTH,
    )  # fmt: skip
    assert (new.period_start, new.period_end) == (MARCH.start, MARCH.end)
    assert (new.parent_id, new.title) == (sub_team_goal.id, "Revenue March 2026")
    session.expire_all()
    assert (east.target, east.version, west.target, west.version) == (13_000_000, 2, 8_000_000, 1)
    [revision] = session.exec(select(GoalRevision)).all()
    assert (revision.goal_id, revision.old_target, revision.new_target) == (
        east.id, 12_000_000, 13_000_000,
    )  # fmt: skip
    assert (revision.reason, revision.by_user_id) == ("Plan for spring", org.admin.id)
    assert count(engine, GoalRevision) == revisions + 1
    assert audit_actions(engine)[audits:] == [
        "goals.create",
        "goal.revise",
        "goal_revisions.create",
    ]
    # The new rep has no goal: a blank row is skipped.
    assert session.exec(select(Goal).where(Goal.owner_id == extra.id)).first() is None


def test_a_manager_saves_their_reps_and_a_new_goal_without_a_team_goal_has_no_parent(
    session: Session, org: Org
) -> None:
    rows = _edited(_grid(session, org, org.east_manager), {org.east_rep.id: 1000})
    assert _save(session, org, rows, org.east_manager) == SaveResult(1, 0, 1)
    goal = session.exec(select(Goal).where(Goal.owner_id == org.east_rep.id)).one()
    assert (goal.target, goal.parent_id, goal.title) == (100_000, None, "Revenue 2026-03")


def test_only_creating_needs_no_reason(session: Session, org: Org) -> None:
    rows = _edited(_grid(session, org), {org.west_rep.id: "70000"})
    assert _save(session, org, rows, reason="") == SaveResult(1, 0, 2)


def test_a_changed_target_needs_a_reason(engine: Engine, session: Session, org: Org) -> None:
    _goal(session, org.east_rep, 12_000_000)
    rows = _edited(_grid(session, org), {org.east_rep.id: "125000", org.west_rep.id: "1"})
    before = _written(engine)
    with pytest.raises(ValidationError) as raised:
        _save(session, org, rows, reason="  ")
    assert not isinstance(raised.value, RowErrors)
    assert (raised.value.msgid, raised.value.field) == ("Say why the target changes.", "reason")
    assert _written(engine) == before


def test_one_bad_row_among_good_ones_saves_nothing_and_is_named(
    engine: Engine, session: Session, org: Org
) -> None:
    _goal(session, org.east_rep, 12_000_000)
    rows = _edited(
        _grid(session, org),
        {org.east_rep.id: "130000", org.east_sub_rep.id: "-5", org.west_rep.id: "80000"},
    )
    before = _written(engine)
    errors = _row_errors(session, org, rows)
    assert errors == [
        RowError(org.east_sub_rep.id, "East Sub Rep", "The amount cannot be negative.", {})
    ]
    assert _written(engine) == before


@pytest.mark.parametrize(
    ("metric_key", "typed", "msgid", "params"),
    [
        ("revenue", "0", "The target must be above zero.", {}),
        ("revenue", "1000000000000", "The amount is too large.", {}),
        ("revenue", "12.345", "Use at most two decimal places.", {}),
        ("deals_won", "2000000", "The target is too large.", {}),
        ("deals_won", "2.5", "Enter a whole number.", {}),
        ("deals_won", "lots", "Enter the target as a number.", {}),
        ("sales_cycle_days", "5000", "The target is too large.", {}),
        ("win_rate", "120", "Enter a percentage between 0 and 100.", {}),
        ("win_rate", "-1", "Enter a percentage between 0 and 100.", {}),
        ("csat", "6", "Enter a score between {low} and {high}.", {"low": "1", "high": "5"}),
        ("csat", "0.5", "Enter a score between {low} and {high}.", {"low": "1", "high": "5"}),
    ],
)
def test_each_kind_of_bad_target_is_refused_with_its_message(
    engine: Engine, session: Session, org: Org, metric_key: str, typed: str, msgid: str,
    params: dict[str, str],
) -> None:  # fmt: skip
    rows = _edited(_grid(session, org, metric_key=metric_key), {org.west_rep.id: typed})
    before = _written(engine)
    errors = _row_errors(session, org, rows, metric_key=metric_key)
    assert errors == [RowError(org.west_rep.id, "West Rep", msgid, params)]
    assert _written(engine) == before


def test_other_bad_rows_are_named_together(engine: Engine, session: Session, org: Org) -> None:
    _goal(session, org.east_rep, 12_000_000)
    archived = _goal(session, org.west_rep, 8_000_000)
    archived.archived_at = utcnow()
    session.add(archived)
    session.commit()
    rows = _edited(_grid(session, org), {org.east_rep.id: None, org.west_rep.id: "90000"})
    leaving = make_rep(session, org.east, "Leaving Rep")
    rows.insert(3, {"rep_id": leaving.id, "target": "5000", "goal_id": None, "version": None})
    leaving.status = RepStatus.ON_LEAVE
    session.add(leaving)
    session.commit()
    rows.append(rows[1] | {"target": "1000"})
    before = _written(engine)

    errors = _row_errors(session, org, rows)

    assert [(error.rep_name, error.msgid) for error in errors] == [
        ("East Rep", "This rep has a goal for the period: enter a target, or archive the goal "
                     "on its own page."),
        ("West Rep", "An archived goal exists for this owner, metric and period: restore it "
                     "instead."),
        ("Leaving Rep", "That rep is on leave. Choose an active rep as the owner."),
        ("East Sub Rep", "This rep is in the grid twice."),
    ]  # fmt: skip
    assert _written(engine) == before


def test_a_goal_changed_since_the_grid_was_read_is_a_stale_row(
    engine: Engine, session: Session, org: Org
) -> None:
    east = _goal(session, org.east_rep, 12_000_000)
    rows = _edited(_grid(session, org), {org.east_rep.id: "130000", org.east_sub_rep.id: "1000"})
    admin = org.actor(session, org.admin)
    goals.revise(session, admin, goal_id=east.id, version=1, target="125000", reason="Meanwhile")
    _goal(session, org.east_sub_rep, 300_000)  # someone set this one meanwhile too
    before = _written(engine)

    errors = _row_errors(session, org, rows)

    assert [(error.rep_name, error.msgid) for error in errors] == [
        ("East Rep", StaleEdit.default_msgid),
        ("East Sub Rep", StaleEdit.default_msgid),
    ]
    assert _written(engine) == before


# ---- denied ----


def test_a_rep_may_not_save(engine: Engine, session: Session, org: Org) -> None:
    rows = _edited(_grid(session, org), {org.east_rep.id: "1000"})
    before = count(engine, Goal)
    with pytest.raises(PermissionDenied):
        _save(session, org, rows, org.east_rep_user)
    assert audit_actions(engine) == ["access.denied"]
    assert count(engine, Goal) == before


def test_a_manager_saving_another_teams_rep_is_denied_and_nothing_written(
    engine: Engine, session: Session, org: Org
) -> None:
    east = _goal(session, org.east_rep, 12_000_000)
    rows = _edited(
        _grid(session, org),
        {org.east_rep.id: "150000", org.east_sub_rep.id: "-1", org.west_rep.id: "1000"},
    )
    revisions, audits, goals_before = _written(engine)

    with pytest.raises(PermissionDenied):
        _save(session, org, rows, org.east_manager)

    assert _written(engine)[::2] == (revisions, goals_before)
    assert audit_actions(engine)[audits:] == ["access.denied"]
    with Session(engine) as fresh:
        denied = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
        assert denied is not None
        assert (denied.user_id, denied.entity, denied.entity_id) == (
            org.east_manager.id, "rep", org.west_rep.id,
        )  # fmt: skip
        assert fresh.get(Goal, east.id).target == 12_000_000  # type: ignore[union-attr]


def test_an_unknown_rep_is_a_bad_row(engine: Engine, session: Session, org: Org) -> None:
    missing = session.exec(select(Rep.id).order_by(col(Rep.id).desc())).first() + 100  # type: ignore[operator]
    rows = [
        {"rep_id": missing, "rep_name": "Ghost", "target": "1", "goal_id": None, "version": None}
    ]
    errors = _row_errors(session, org, rows)
    assert [(e.rep_name, e.msgid) for e in errors] == [("Ghost", "That rep does not exist.")]
    assert count(engine, Goal) == 0
