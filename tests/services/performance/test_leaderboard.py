"""The leaderboard against a small organisation worked out by hand.

March 2025 is the period, February its previous one. Teams: Region → East → East Sub, and
Region → West. Working reps: East Rep, Ann, Bob and Lea (on leave) in East; East Sub Rep in
East Sub; West Rep and Neo (hired 10 March) in West. Gone (West) has left: not ranked, but
what Gone sold still counts for West.

Revenue (won deals, in minor units), and days from opening to winning in March:

    rep            March   cycle   February
    East Rep         500     9        100
    East Sub Rep     300    30        400
    West Rep         300     9        200
    Ann              200    12        600
    Bob                —     —         50
    Lea              100    20          —
    Neo               50    12    (not hired)
    Gone            1000    12          —
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models import Complaint, Customer, Deal, Goal, Rep
from models.enums import DealStage, OwnerKind, PeriodKind, RepStatus, Severity
from services import settings
from services.access import Actor
from services.errors import PermissionDenied, ValidationError
from services.metrics import Direction
from services.performance import leaderboard
from services.performance.leaderboard import Leaderboard, Ranking, competition_ranks
from services.periods import containing
from tests.factories import Org, make_rep
from tests.services.helpers import StatementCounter, audit_actions, count

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
MARCH_SALES = {
    "East Rep": (500, 9), "East Sub Rep": (300, 30), "West Rep": (300, 9), "Ann": (200, 12),
    "Lea": (100, 20), "Neo": (50, 12), "Gone": (1000, 12),
}  # fmt: skip
FEBRUARY_SALES = {"East Rep": 100, "East Sub Rep": 400, "West Rep": 200, "Ann": 600, "Bob": 50}


class Book:
    def __init__(self, session: Session) -> None:
        self.org = org = Org(session)
        self.reps: dict[str, Rep] = {
            "East Rep": org.east_rep, "East Sub Rep": org.east_sub_rep, "West Rep": org.west_rep,
            "Ann": make_rep(session, org.east, "Ann"), "Bob": make_rep(session, org.east, "Bob"),
            "Lea": make_rep(session, org.east, "Lea"), "Neo": make_rep(session, org.west, "Neo"),
            "Gone": make_rep(session, org.west, "Gone"),
        }  # fmt: skip
        self._status(session, "Lea", status=RepStatus.ON_LEAVE)
        self._status(session, "Neo", hire_date=date(2025, 3, 10))
        self._status(session, "Gone", status=RepStatus.LEFT)
        self.customers: dict[str, Customer] = {}
        for name, rep in self.reps.items():
            self.customers[name] = Customer(name=f"Customer of {name}", owner_rep_id=rep.id)
            session.add(self.customers[name])
        session.commit()
        for name, (amount, cycle) in MARCH_SALES.items():
            self.won(session, name, amount, date(2025, 3, 20), cycle)
        for name, amount in FEBRUARY_SALES.items():
            self.won(session, name, amount, date(2025, 2, 14), 10)
        session.commit()

    def _status(self, session: Session, name: str, **fields: object) -> None:
        for field, value in fields.items():
            setattr(self.reps[name], field, value)
        session.add(self.reps[name])

    def won(self, session: Session, name: str, amount: int, closed: date, cycle: int) -> None:
        # Opened at noon in Shanghai, `cycle` days before the close.
        opened = datetime.combine(closed - timedelta(days=cycle), datetime.min.time(), UTC)
        session.add(
            Deal(
                customer_id=self.customers[name].id, rep_id=self.reps[name].id, title="d",
                amount=amount, stage=DealStage.WON, closed_on=closed,
                created_at=opened + timedelta(hours=4),
            )
        )  # fmt: skip

    def id(self, name: str) -> int:
        rep_id = self.reps[name].id
        assert rep_id is not None
        return rep_id

    def actor(self, session: Session, who: str) -> Actor:
        org = self.org
        users = {"admin": org.admin, "east manager": org.east_manager,
                 "west manager": org.west_manager, "east rep": org.east_rep_user,
                 "west rep": org.west_rep_user}  # fmt: skip
        return org.actor(session, users[who])


@pytest.fixture
def book(session: Session) -> Book:
    return Book(session)


def _board(session: Session, book: Book, who: str, key: str = "revenue", **options) -> Leaderboard:
    return leaderboard.standings(session, book.actor(session, who), key, MARCH, **options)


def _ranks(board: Leaderboard) -> list[tuple[str, int | None]]:
    return [(row.name, row.rank) for row in board.standings]


def _visibility(session: Session, book: Book, value: str) -> None:
    key = "leaderboard_visibility"
    version = settings.stored(session, key).version
    admin = book.actor(session, "admin")
    settings.set_value(session, admin, key=key, value=value, version=version)


def test_ties_share_a_place_and_reps_without_sales_are_unranked_last(
    session: Session, book: Book
) -> None:
    board = _board(session, book, "admin")
    assert _ranks(board) == [
        ("East Rep", 1), ("East Sub Rep", 2), ("West Rep", 2), ("Ann", 4), ("Lea", 5),
        ("Neo", 6), ("Bob", None),
    ]  # fmt: skip
    assert board.ranked_among == 7 and board.visibility is None
    bob = board.standings[-1]
    assert (bob.value, bob.movement, bob.is_new) == (0, None, False)


def test_movement_against_the_previous_period(session: Session, book: Book) -> None:
    # February among the same reps (Neo not yet hired): Ann 1, East Sub 2, West 3, East 4,
    # Bob 5, Lea unranked.
    rows = {row.name: row for row in _board(session, book, "admin").standings}
    moves = {name: (row.previous_rank, row.movement, row.is_new) for name, row in rows.items()}
    assert moves == {
        "East Rep": (4, 3, False), "East Sub Rep": (2, 0, False), "West Rep": (3, 1, False),
        "Ann": (1, -3, False), "Lea": (None, None, True), "Neo": (None, None, True),
        "Bob": (5, None, False),
    }  # fmt: skip


def test_lower_is_better_ranks_low_values_first_and_no_value_is_unranked(
    session: Session, book: Book
) -> None:
    board = _board(session, book, "admin", "sales_cycle_days")
    assert _ranks(board) == [
        ("East Rep", 1), ("West Rep", 1), ("Ann", 3), ("Neo", 3), ("Lea", 5),
        ("East Sub Rep", 6), ("Bob", None),
    ]  # fmt: skip
    assert board.standings[-1].value is None


def test_fewer_complaints_rank_first_and_none_at_all_is_the_best_result(
    session: Session, book: Book
) -> None:
    for name, complaints in {"East Rep": 2, "East Sub Rep": 2, "West Rep": 1}.items():
        for _ in range(complaints):
            session.add(
                Complaint(
                    customer_id=book.customers[name].id, rep_id=book.id(name),
                    opened_on=date(2025, 3, 3), category="c", severity=Severity.LOW,
                    description="d", due_on=date(2025, 3, 13),
                )
            )  # fmt: skip
    session.commit()
    board = _board(session, book, "admin", "complaints_opened")
    assert _ranks(board) == [
        ("Ann", 1), ("Bob", 1), ("Lea", 1), ("Neo", 1), ("West Rep", 5), ("East Rep", 6),
        ("East Sub Rep", 6),
    ]  # fmt: skip


def test_attainment_against_the_goal_of_exactly_this_period(session: Session, book: Book) -> None:
    quarter = containing(PeriodKind.QUARTER, date(2025, 3, 1))
    for owner, target, period in [
        (book.id("East Rep"), 1000, MARCH),
        (book.id("Ann"), 100, quarter),  # another period: not Ann's March target
    ]:
        session.add(
            Goal(
                owner_kind=OwnerKind.REP, owner_id=owner, metric_key="revenue", target=target,
                period_kind=period.kind, period_start=period.start, period_end=period.end,
                title="g",
            )
        )  # fmt: skip
    session.commit()
    rows = {row.name: row for row in _board(session, book, "admin").standings}
    assert (rows["East Rep"].target, rows["East Rep"].attainment) == (1000, 0.5)
    assert (rows["Ann"].target, rows["Ann"].attainment) == (None, None)


def test_teams_count_their_sub_teams_and_reps_who_left(session: Session, book: Book) -> None:
    # March: West 300 + 50 + Gone's 1000 = 1350; East 500 + 200 + 100 + East Sub's 300 = 1100;
    # East Sub 300. February: East 1150, East Sub 400, West 200. Region holds no reps itself.
    west = book.org.west
    session.add(
        Goal(
            owner_kind=OwnerKind.TEAM, owner_id=west.id, metric_key="revenue", target=1000,
            period_kind=MARCH.kind, period_start=MARCH.start, period_end=MARCH.end, title="g",
        )
    )  # fmt: skip
    session.commit()
    board = _board(session, book, "admin", ranking=Ranking.TEAMS)
    rows = [(r.name, r.group, r.rank, r.value, r.movement) for r in board.standings]
    assert rows == [
        ("West", "Region", 1, 1350, 2), ("East", "Region", 2, 1100, -1),
        ("East Sub", "East", 3, 300, -1),
    ]  # fmt: skip
    assert board.standings[0].attainment == 1.35


def test_a_rep_sees_their_team_ranked_within_it_by_default(session: Session, book: Book) -> None:
    board = _board(session, book, "east rep")
    assert board.visibility == "team" and board.ranked_among == 5
    assert _ranks(board) == [
        ("East Rep", 1), ("East Sub Rep", 2), ("Ann", 3), ("Lea", 4), ("Bob", None),
    ]  # fmt: skip
    # February within the team: Ann 1, East Sub 2, East Rep 3, Bob 4.
    own = board.standings[0]
    assert (own.own, own.movement) == (True, 2)
    assert [row.own for row in board.standings[1:]] == [False] * 4
    west = _board(session, book, "west rep")
    assert _ranks(west) == [("West Rep", 1), ("Neo", 2)]


def test_a_rep_sees_everyone_when_the_setting_says_so(session: Session, book: Book) -> None:
    _visibility(session, book, "everyone")
    board = _board(session, book, "west rep")
    assert board.visibility == "everyone" and board.ranked_among == 7
    assert _ranks(board) == _ranks(_board(session, book, "admin"))


def test_a_rep_sees_only_their_own_place_among_everyone(session: Session, book: Book) -> None:
    _visibility(session, book, "self")
    board = _board(session, book, "west rep")
    assert board.visibility == "self" and board.ranked_among == 7
    assert [(row.name, row.rank, row.own) for row in board.standings] == [("West Rep", 2, True)]
    teams = _board(session, book, "west rep", ranking=Ranking.TEAMS)
    assert [(row.name, row.rank) for row in teams.standings] == [("West", 1)]
    assert teams.ranked_among == 3


def test_a_rep_sees_every_team_only_when_they_see_everyone(session: Session, book: Book) -> None:
    teams = _board(session, book, "east rep", ranking=Ranking.TEAMS)
    assert [(row.name, row.rank, row.own) for row in teams.standings] == [("East", 2, True)]
    _visibility(session, book, "everyone")
    teams = _board(session, book, "east rep", ranking=Ranking.TEAMS)
    assert [row.name for row in teams.standings] == ["West", "East", "East Sub"]


def test_a_manager_ranks_the_reps_and_teams_they_manage(session: Session, book: Book) -> None:
    _visibility(session, book, "self")  # the setting is about reps
    assert _ranks(_board(session, book, "west manager")) == [("West Rep", 1), ("Neo", 2)]
    east = _board(session, book, "east manager")
    assert [name for name, _rank in _ranks(east)] == ["East Rep", "East Sub Rep", "Ann", "Lea",
                                                        "Bob"]  # fmt: skip
    narrowed = _board(session, book, "east manager", team_id=book.org.east_sub.id)
    assert _ranks(narrowed) == [("East Sub Rep", 1)] and narrowed.ranked_among == 1
    teams = _board(session, book, "east manager", ranking=Ranking.TEAMS)
    assert [(row.name, row.rank) for row in teams.standings] == [("East", 1), ("East Sub", 2)]


def test_an_admin_narrows_the_field_to_a_team(session: Session, book: Book) -> None:
    board = _board(session, book, "admin", team_id=book.org.west.id)
    assert _ranks(board) == [("West Rep", 1), ("Neo", 2)]
    teams = _board(session, book, "admin", ranking=Ranking.TEAMS, team_id=book.org.east.id)
    assert [(row.name, row.rank) for row in teams.standings] == [("East", 1), ("East Sub", 2)]


@pytest.mark.parametrize("who", ["east rep", "west manager"])
def test_a_team_outside_ones_own_is_denied_and_audited(
    session: Session, engine: Engine, book: Book, who: str
) -> None:
    before = count(engine, Deal), count(engine, Goal)
    with pytest.raises(PermissionDenied):
        _board(session, book, who, team_id=book.org.east.id)
    assert audit_actions(engine) == ["access.denied"]
    assert (count(engine, Deal), count(engine, Goal)) == before


@pytest.mark.parametrize(
    ("key", "msgid"),
    [
        ("market_share", "Metrics entered by hand are not ranked."),
        ("profit", "Unknown metric: {key}."),
    ],
)
def test_a_metric_that_cannot_be_ranked_is_refused(
    session: Session, book: Book, key: str, msgid: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _board(session, book, "admin", key)
    assert refused.value.msgid == msgid


def test_a_rep_without_a_rep_record_sees_an_empty_board(session: Session) -> None:
    org = Org(session)
    org.east_rep_user.rep_id = None
    session.add(org.east_rep_user)
    session.commit()
    board = leaderboard.standings(session, org.actor(session, org.east_rep_user), "revenue", MARCH)
    assert (board.standings, board.ranked_among) == ([], 0)


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        ({1: 5.0, 2: 3.0, 3: 3.0, 4: 1.0}, Direction.HIGHER, {1: 1, 2: 2, 3: 2, 4: 4}),
        ({1: 5.0, 2: 3.0, 3: 3.0, 4: 1.0}, Direction.LOWER, {4: 1, 2: 2, 3: 2, 1: 4}),
        ({1: 1 / 3, 2: 2 / 6, 3: 0.0}, Direction.HIGHER, {1: 1, 2: 1, 3: 3}),
        ({}, Direction.HIGHER, {}),
    ],
)
def test_competition_ranking(values, direction, expected) -> None:  # type: ignore[no-untyped-def]
    assert competition_ranks(values, direction) == expected


def _counted_board(engine: Engine, session: Session, actor: Actor) -> tuple[int, Leaderboard]:
    with StatementCounter(engine) as counter:
        board = leaderboard.standings(session, actor, "revenue", MARCH)
    return counter.count, board


@pytest.mark.parametrize("who", ["admin", "east manager"])
def test_reps_without_a_result_are_listed_too_at_a_count_of_statements_that_stays(
    engine: Engine, session: Session, book: Book, who: str
) -> None:
    # The office screen lists everyone in scope: reps with nothing yet are shown, unranked,
    # and more of them cost no more statements.
    actor = book.actor(session, who)
    quiet = [make_rep(session, book.org.east, f"Quiet {n}").name for n in range(2)]
    few, _board_before = _counted_board(engine, session, actor)
    quiet += [make_rep(session, book.org.east, f"Quiet {n}").name for n in range(2, 8)]
    many, board = _counted_board(engine, session, actor)
    assert many == few
    unranked = [(row.name, row.value) for row in board.standings if row.rank is None]
    assert unranked == [("Bob", 0), *((name, 0) for name in quiet)]
