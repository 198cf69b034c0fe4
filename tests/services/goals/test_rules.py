"""services/goals/rules.py: whose goals an actor may set, read and change (every reach
outside the scope denied with one audit row and nothing else written), how a target is typed
in its metric's unit, which periods make a goal, and which parent goal can hold it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Rep, Team
from models.enums import OwnerKind, PeriodKind, RepStatus
from services.errors import PermissionDenied, ValidationError
from services.goals import records as goals
from services.goals import rules as goal_rules
from services.goals.records import GoalFile, GoalFilters, GoalRow
from services.metrics import get_metric
from services.periods import containing
from tests.factories import Org, make_goal
from tests.services.goals.cases import JANUARY, Q1, YEAR, goal_state, q1_goal
from tests.services.helpers import audit_actions


def _nothing_but_one_denial(engine: Engine, before: tuple[Any, ...]) -> None:
    after = goal_state(engine)
    assert after[:3] == before[:3] and after[4] == before[4]
    assert after[3] == before[3] + 1
    assert audit_actions(engine)[-1] == "access.denied"


def _add(session: Session, org: Org, owner: Rep | Team | None, **changes: Any) -> GoalFile:
    return goals.create(session, org.actor(session, org.admin), data=q1_goal(owner, **changes))


def _share_goal(session: Session, org: Org, owner: Rep | Team | None) -> GoalFile:
    return _add(session, org, owner, metric_key="market_share", target="20")


# ---- Targets and periods ----


@pytest.mark.parametrize(
    ("metric_key", "typed", "stored"),
    [
        ("revenue", "12,500.50", 1_250_050),  # yuan → fen
        ("deals_won", "12", 12),
        ("win_rate", "35.5", 3_550),  # percent → basis points
        ("csat", "4.25", 425),  # score → hundredths
        ("nps", "40", 4_000),
        ("sales_cycle_days", "30.5", 3_050),
        ("market_share", "100", 10_000),
    ],
)
def test_a_target_is_typed_in_the_metrics_unit_and_stored_whole(
    session: Session, org: Org, metric_key: str, typed: str, stored: int
) -> None:
    goal = _add(session, org, org.east_rep, metric_key=metric_key, target=typed)
    assert goal.target == stored
    # And back as the form shows it.
    typed_back = goal_rules.typed_target(get_metric(metric_key), stored)
    assert typed_back == Decimal(typed.replace(",", ""))


def test_a_score_outside_its_scale_names_the_scale(session: Session, org: Org) -> None:
    for metric_key, target, scale in [
        ("csat", "5.5", ("1", "5")),
        ("nps", "-101", ("-100", "100")),
    ]:
        with pytest.raises(ValidationError) as raised:
            _add(session, org, org.east_rep, metric_key=metric_key, target=target)
        assert (raised.value.params["low"], raised.value.params["high"]) == scale
        assert raised.value.field == "target"


def test_periods_of_each_kind_and_a_custom_range_up_to_five_years(
    session: Session, org: Org
) -> None:
    for kind, period in [(PeriodKind.MONTH, JANUARY), (PeriodKind.YEAR, YEAR)]:
        goal = _add(
            session, org, org.west, period_kind=kind, period_start=period.start,
            period_end=period.end,
        )  # fmt: skip
        assert (goal.period_start, goal.period_end) == (period.start, period.end)
    five_years = date(2030, 12, 31)
    custom = _add(
        session, org, org.west, period_kind=PeriodKind.CUSTOM, period_start=date(2026, 1, 1),
        period_end=five_years,
    )  # fmt: skip
    assert custom.period_end == five_years


# ---- Parents and owners ----


def test_a_parent_must_fit_its_child(session: Session, engine: Engine, org: Org) -> None:
    east_year = _add(
        session, org, org.east, period_kind=PeriodKind.YEAR, period_start=YEAR.start,
        period_end=YEAR.end,
    )  # fmt: skip
    east_q1 = _add(session, org, org.east)
    west_q1 = _add(session, org, org.west)
    company = _add(session, org, None)
    sub_q1 = _add(session, org, org.east_sub, parent_id=east_q1.id)
    region_q1 = _add(session, org, org.region, parent_id=company.id)
    deals_q1 = _add(session, org, org.east, metric_key="deals_won", target="20")
    gone = _add(session, org, org.west, metric_key="deals_won", target="20")
    goals.archive(session, org.actor(session, org.admin), goal_id=gone.id, version=1)
    q2 = containing(PeriodKind.QUARTER, date(2026, 4, 1))
    rep_q2 = {"period_start": q2.start, "period_end": q2.end}
    before = goal_state(engine)
    for owner, changes, msgid in [
        (org.east_rep, {"parent_id": east_q1.id, **rep_q2},
         "The goal's period must lie inside its parent's ({start} to {end})."),
        (org.east_rep, {"parent_id": west_q1.id}, "The parent goal belongs to another team."),
        (org.west_rep, {"parent_id": sub_q1.id}, "The parent goal belongs to another team."),
        # A team's parent is a team above it: neither itself, nor a team below, nor a sibling.
        (org.east, {"parent_id": sub_q1.id, "period_kind": PeriodKind.MONTH,
                    "period_start": JANUARY.start, "period_end": JANUARY.end},
         "The parent goal belongs to another team."),
        (org.west, {"parent_id": east_year.id, "period_kind": PeriodKind.MONTH,
                    "period_start": JANUARY.start, "period_end": JANUARY.end},
         "The parent goal belongs to another team."),
        (org.east_rep, {"parent_id": company.id},
         "A goal's parent is one level up: a rep's under a team's, a team's under a region's "
         "or the company's."),
        (org.east_rep, {"parent_id": deals_q1.id}, "The parent goal measures another metric."),
        (org.west_rep, {"parent_id": gone.id, "metric_key": "deals_won", "target": "5"},
         "That parent goal does not exist."),
        (org.east_rep, {"parent_id": 99_999}, "That parent goal does not exist."),
    ]:  # fmt: skip
        with pytest.raises(ValidationError) as raised:
            _add(session, org, owner, **changes)
        assert (raised.value.msgid, raised.value.field) == (msgid, "parent_id")
    assert goal_state(engine) == before
    with pytest.raises(ValidationError) as raised:
        _add(session, org, org.east_rep, parent_id=east_q1.id, **rep_q2)
    # Dates, for the ui to write in the reader's language.
    assert raised.value.params == {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}
    # What does fit: a rep's quarter inside the team's year, a team under a region.
    assert _add(session, org, org.east_rep, parent_id=east_year.id).parent_id
    assert _add(session, org, org.east, period_kind=PeriodKind.MONTH,
                period_start=JANUARY.start, period_end=JANUARY.end,
                parent_id=region_q1.id).parent_title == "Q1 revenue"  # fmt: skip


def test_the_owner_must_exist_and_a_rep_be_working(
    session: Session, engine: Engine, org: Org
) -> None:
    org.east_sub_rep.status = RepStatus.LEFT
    session.add(org.east_sub_rep)
    session.commit()
    before = goal_state(engine)
    for owner_kind, owner_id, msgid in [
        (OwnerKind.REP, org.east_sub_rep.id,
         "That rep has left the company. Choose an active rep as the owner."),
        (OwnerKind.TEAM, 99_999, "That team does not exist."),
        (OwnerKind.REP, 99_999, "That rep does not exist."),
    ]:  # fmt: skip
        data = q1_goal(None, owner_kind=owner_kind, owner_id=owner_id)
        with pytest.raises(ValidationError) as raised:
            goals.create(session, org.actor(session, org.admin), data=data)
        assert (raised.value.msgid, raised.value.field) == (msgid, "owner_id")
    assert goal_state(engine) == before


def test_parent_choices_are_the_goals_that_could_hold_it(session: Session, org: Org) -> None:
    def goal(owner: Any, title: str, period: Any = Q1, **fields: Any) -> int:
        kind = PeriodKind.YEAR if period == YEAR else PeriodKind.QUARTER
        made = make_goal(session, owner, period.start, period.end, 1_000, kind=kind,
                         title=title, **fields)  # fmt: skip
        assert made.id is not None
        return made.id

    ids = {
        "East 2026": goal(org.east, "East 2026", YEAR),
        "East Q1": goal(org.east, "East Q1"),
        "Sub Q1": goal(org.east_sub, "Sub Q1"),
        "Region Q1": goal(org.region, "Region Q1"),
        "Company Q1": goal(None, "Company Q1"),
        "West Q1": goal(org.west, "West Q1"),
        "East deals": goal(org.east, "East deals", metric_key="deals_won"),
    }
    q2_gone = goal(org.east, "East Q2", containing(PeriodKind.QUARTER, date(2026, 4, 1)))
    goals.archive(session, org.actor(session, org.admin), goal_id=q2_gone, version=1)

    def choices(user: Any, owner_kind: OwnerKind, owner: Rep | Team) -> list[str]:
        found = goal_rules.parent_choices(
            session, org.actor(session, user), owner_kind=owner_kind, owner_id=owner.id,
            metric_key="revenue", period=JANUARY,
        )  # fmt: skip
        assert all(ids[title] == goal_id for goal_id, title in found)
        return [title for _goal_id, title in found]

    # A rep's goal sits under a team above them, the shortest period first.
    assert choices(org.admin, OwnerKind.REP, org.east_sub_rep) == [
        "East Q1", "Sub Q1", "Region Q1", "East 2026",
    ]  # fmt: skip
    assert choices(org.east_manager, OwnerKind.REP, org.east_sub_rep) == [
        "East Q1", "Sub Q1", "East 2026",
    ]  # fmt: skip
    # A team's under the team above it or the company, never its own or a sub-team's.
    assert choices(org.admin, OwnerKind.TEAM, org.east) == ["Region Q1", "Company Q1"]
    assert choices(org.east_manager, OwnerKind.TEAM, org.east) == ["Company Q1"]
    assert choices(org.admin, OwnerKind.TEAM, org.east_sub) == [
        "East Q1", "Region Q1", "Company Q1", "East 2026",
    ]  # fmt: skip


# ---- What each role reads ----


def _spread(session: Session, org: Org) -> dict[str, int]:
    """One Q1 revenue goal for the company, each team and each rep; their ids by owner."""
    owners: dict[str, Rep | Team | None] = {
        "Company": None, "Region": org.region, "East": org.east, "East Sub": org.east_sub,
        "West": org.west, "East Rep": org.east_rep, "East Sub Rep": org.east_sub_rep,
        "West Rep": org.west_rep,
    }  # fmt: skip
    return {
        name: make_goal(
            session, owner, Q1.start, Q1.end, 1_000, kind=PeriodKind.QUARTER, title=f"{name} Q1"
        ).id
        for name, owner in owners.items()
    }


def _owners(rows: list[GoalRow]) -> list[str]:
    return [row.owner_name or "Company" for row in rows]


def test_each_role_lists_the_goals_it_may_read(session: Session, org: Org) -> None:
    _spread(session, org)
    listed = {
        who: _owners(
            goals.list_goals(session, org.actor(session, getattr(org, who)), filters=GoalFilters())
        )
        for who in ("admin", "east_manager", "west_manager", "east_rep_user", "west_rep_user")
    }
    # Company first, then teams, then reps, each by name.
    assert listed == {
        "admin": ["Company", "East", "East Sub", "Region", "West", "East Rep", "East Sub Rep",
                  "West Rep"],
        "east_manager": ["Company", "East", "East Sub", "East Rep", "East Sub Rep"],
        "west_manager": ["Company", "West", "West Rep"],
        # A rep: the company's, their team's and the teams' above it, then their own.
        "east_rep_user": ["Company", "East", "Region", "East Rep"],
        "west_rep_user": ["Company", "Region", "West", "West Rep"],
    }  # fmt: skip


def test_list_filters(session: Session, org: Org) -> None:
    ids = _spread(session, org)
    make_goal(session, org.east_rep, JANUARY.start, JANUARY.end, 5, metric_key="deals_won",
              kind=PeriodKind.MONTH)  # fmt: skip
    make_goal(session, org.east_rep, date(2025, 1, 1), date(2025, 12, 31), 5,
              kind=PeriodKind.YEAR)  # fmt: skip
    admin = org.actor(session, org.admin)

    def owners(**filters: Any) -> list[str]:
        return _owners(goals.list_goals(session, admin, filters=GoalFilters(**filters)))

    # A team's own goal and its reps' (not its sub-team's reps).
    assert owners(team_id=org.east.id, period=Q1, metric_key="revenue") == ["East", "East Rep"]
    assert owners(rep_id=org.east_rep.id) == ["East Rep"] * 3
    assert owners(owner_kind=OwnerKind.TEAM) == ["East", "East Sub", "Region", "West"]
    assert owners(metric_key="deals_won") == ["East Rep"]
    assert owners(period_kind=PeriodKind.YEAR) == ["East Rep"]
    february = containing(PeriodKind.MONTH, date(2026, 2, 1))
    assert len(owners(period=february)) == len(ids)
    row = goals.list_goals(session, admin, filters=GoalFilters(rep_id=org.west_rep.id))[0]
    assert (row.id, row.title, row.rep_team_id) == (
        ids["West Rep"], "West Rep Q1", org.west.id,
    )  # fmt: skip


def test_children_are_those_the_actor_may_read_and_targets_count_them_all(
    session: Session, org: Org
) -> None:
    company = make_goal(session, None, Q1.start, Q1.end, 1_000, kind=PeriodKind.QUARTER)
    east = make_goal(session, org.east, Q1.start, Q1.end, 600, kind=PeriodKind.QUARTER,
                     parent=company)  # fmt: skip
    west = make_goal(session, org.west, Q1.start, Q1.end, 300, kind=PeriodKind.QUARTER,
                     parent=company)  # fmt: skip
    rep = make_goal(session, org.east_rep, Q1.start, Q1.end, 250, kind=PeriodKind.QUARTER,
                    parent=east)  # fmt: skip
    gone = make_goal(session, org.east_sub_rep, Q1.start, Q1.end, 999, kind=PeriodKind.QUARTER,
                     parent=east)  # fmt: skip
    goals.archive(session, org.actor(session, org.admin), goal_id=gone.id, version=1)
    manager = org.actor(session, org.east_manager)
    assert [row.id for row in goals.children_of(session, manager, [company.id])] == [east.id]
    admin = org.actor(session, org.admin)
    assert [row.id for row in goals.children_of(session, admin, [company.id, east.id])] == [
        east.id, rep.id, west.id,
    ]  # fmt: skip
    rep_user = org.actor(session, org.east_rep_user)
    assert [row.id for row in goals.children_of(session, rep_user, [east.id])] == [rep.id]
    # Their team's goal under the company's, not another team's.
    assert [row.id for row in goals.children_of(session, rep_user, [company.id])] == [east.id]
    targets = goals.child_targets(session, [company.id, east.id, rep.id])
    assert {parent: sorted(values) for parent, values in targets.items()} == {
        company.id: [300, 600], east.id: [250],
    }  # fmt: skip


# ---- Denied: every function, every way outside the scope ----


def _attempts(session: Session, actor: Any, goal: GoalFile) -> list[Callable[[], Any]]:
    goal_id = goal.id
    return [
        lambda: goals.update(session, actor, goal_id=goal_id, version=1, data={"title": "Mine"}),
        lambda: goals.revise(session, actor, goal_id=goal_id, version=1, target="1", reason="Mine"),
        lambda: goals.archive(session, actor, goal_id=goal_id, version=1),
        lambda: goals.unarchive(session, actor, goal_id=goal_id, version=1),
    ]


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("east_rep_user", "east_rep"),  # their own goal: a rep reads it but does not change it
        ("east_rep_user", "west_rep"),
        ("east_rep_user", "east"),
        ("east_manager", "west_rep"),
        ("east_manager", "west"),
        ("east_manager", "region"),
        ("east_manager", None),  # the company's goal: read, not changed
        ("west_manager", "east_sub_rep"),
        ("west_manager", "east_sub"),
    ],
)
def test_writes_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, owner: str | None
) -> None:
    goal = _add(session, org, getattr(org, owner) if owner else None)
    actor = org.actor(session, getattr(org, who))
    for attempt in _attempts(session, actor, goal):
        before = goal_state(engine)
        with pytest.raises(PermissionDenied):
            attempt()
        _nothing_but_one_denial(engine, before)


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("east_rep_user", "west_rep"),
        ("east_rep_user", "west"),
        ("east_rep_user", "east_sub"),
        ("east_manager", "west_rep"),
        ("east_manager", "west"),
        ("east_manager", "region"),
        ("west_manager", "east_rep"),
    ],
)
def test_reading_or_checking_in_on_a_goal_outside_the_scope_is_denied(
    session: Session, engine: Engine, org: Org, who: str, owner: str | None, today: date
) -> None:
    shared = _share_goal(session, org, getattr(org, owner) if owner else None)
    actor = org.actor(session, getattr(org, who))
    for attempt in [
        lambda: goals.get(session, actor, shared.id),
        lambda: goals.add_checkin(session, actor, goal_id=shared.id, checked_on=today, value="10"),
    ]:
        before = goal_state(engine)
        with pytest.raises(PermissionDenied):
            attempt()
        _nothing_but_one_denial(engine, before)


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("east_manager", None),
        ("east_rep_user", None),
        ("east_rep_user", "east"),  # their team's
        ("east_rep_user", "region"),  # the team above theirs
    ],
)
def test_goals_above_ones_own_are_read_but_never_checked_in_on(
    session: Session, engine: Engine, org: Org, today: date, who: str, owner: str | None
) -> None:
    above = _share_goal(session, org, getattr(org, owner) if owner else None)
    actor = org.actor(session, getattr(org, who))
    assert goals.get(session, actor, above.id).id == above.id
    before = goal_state(engine)
    with pytest.raises(PermissionDenied):
        goals.add_checkin(session, actor, goal_id=above.id, checked_on=today, value="1")
    _nothing_but_one_denial(engine, before)


@pytest.mark.parametrize(
    ("who", "filters"),
    [
        ("east_rep_user", {"rep_id": "west_rep"}),
        ("east_rep_user", {"team_id": "east"}),
        ("east_manager", {"rep_id": "west_rep"}),
        ("east_manager", {"team_id": "west"}),
        ("east_manager", {"team_id": "region"}),
    ],
)
def test_list_filters_outside_the_scope_are_denied(
    session: Session, engine: Engine, org: Org, who: str, filters: dict[str, str]
) -> None:
    _spread(session, org)
    actor = org.actor(session, getattr(org, who))
    named = {key: getattr(org, value).id for key, value in filters.items()}
    before = goal_state(engine)
    with pytest.raises(PermissionDenied):
        goals.list_goals(session, actor, filters=GoalFilters(**named))
    _nothing_but_one_denial(engine, before)


@pytest.mark.parametrize(
    ("who", "owner"),
    [
        ("east_rep_user", "east_rep"),  # a rep does not set goals, not even their own
        ("east_rep_user", "east"),
        ("east_rep_user", None),
        ("east_manager", "west_rep"),
        ("east_manager", "west"),
        ("east_manager", "region"),  # the team above theirs
        ("east_manager", None),  # the company's goals are the admin's
        ("west_manager", "east_sub_rep"),
    ],
)
def test_create_outside_the_scope_is_denied(
    session: Session, engine: Engine, org: Org, who: str, owner: str | None
) -> None:
    actor = org.actor(session, getattr(org, who))
    before = goal_state(engine)
    with pytest.raises(PermissionDenied):
        goals.create(session, actor, data=q1_goal(getattr(org, owner) if owner else None))
    _nothing_but_one_denial(engine, before)
    assert audit_actions(engine) == ["access.denied"]


# ---- A known gap in services/goals/records.py, reported to the lead ----


def test_a_parent_the_actor_may_not_read_is_refused(
    session: Session, engine: Engine, org: Org
) -> None:
    # East's manager cannot read the Region's goal: naming its id is answered as if it did
    # not exist, so its dates stay private.
    region = make_goal(session, org.region, Q1.start, Q1.end, 1_000, kind=PeriodKind.QUARTER)
    manager = org.actor(session, org.east_manager)
    before = goal_state(engine)
    with pytest.raises((ValidationError, PermissionDenied)):
        goals.create(session, manager, data=q1_goal(org.east, parent_id=region.id))
    assert goal_state(engine)[:3] == before[:3]
    assert goal_state(engine)[4] == before[4]


def test_a_rep_reads_the_goals_above_theirs_but_changes_none(session: Session, org: Org) -> None:
    company = make_goal(session, None, Q1.start, Q1.end, 1_000, kind=PeriodKind.QUARTER)
    east = make_goal(session, org.east, Q1.start, Q1.end, 600, kind=PeriodKind.QUARTER,
                     parent=company)  # fmt: skip
    below = make_goal(session, org.east_sub, Q1.start, Q1.end, 200, kind=PeriodKind.QUARTER,
                      parent=east)  # fmt: skip
    rep = org.actor(session, org.east_rep_user)
    readable = {goal.id: goal_rules.may_read(session, rep, goal) for goal in (company, east, below)}
    assert readable == {company.id: True, east.id: True, below.id: False}
    assert not any(goal_rules.may_write(session, rep, goal) for goal in (company, east))
    with pytest.raises(PermissionDenied):
        data = {"title": "Ours now", "description": "", "parent_id": company.id}
        goals.update(session, rep, goal_id=east.id, version=east.version, data=data)
    # Access follows the rep: moved to West, they read West's goals and no longer East's.
    moved = session.get(Rep, org.east_rep.id)
    moved.team_id = org.west.id
    session.add(moved)
    session.commit()
    west = make_goal(session, org.west, Q1.start, Q1.end, 300, kind=PeriodKind.QUARTER)
    assert goal_rules.may_read(session, rep, west) and not goal_rules.may_read(session, rep, east)
