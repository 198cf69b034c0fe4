"""Builders for test data, written straight to the database under test."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from models import Complaint, Customer, Deal, Goal, Interaction, Rep, Survey, Team, User
from models.base import utcnow
from models.enums import (
    Channel,
    ComplaintStatus,
    DealStage,
    Locale,
    OwnerKind,
    PeriodKind,
    Role,
    Severity,
)
from services import settings
from services.access import Actor, build_actor
from services.customers import records as customers
from services.people.passwords import validated_hash
from services.periods import Period
from services.pipeline import deals
from services.unit_of_work import unit_of_work

PASSWORD = "correct horse"
_sequence = count(1)
# Hashing at cost 12 takes ~0.25 s; tests reuse one hash per password.
_hashes: dict[tuple[str, str], str] = {}


def _hash(password: str, username: str) -> str:
    key = (password, username)
    if key not in _hashes:
        _hashes[key] = validated_hash(password, username)
    return _hashes[key]


def make_team(session: Session, name: str | None = None, **fields: object) -> Team:
    team = Team(name=name or f"Team {next(_sequence)}", **fields)
    session.add(team)
    session.commit()
    return team


def make_rep(session: Session, team: Team | None = None, name: str | None = None) -> Rep:
    rep = Rep(name=name or f"Rep {next(_sequence)}", team_id=team.id if team else None)
    session.add(rep)
    session.commit()
    return rep


def make_user(
    session: Session,
    role: Role = Role.REP,
    *,
    username: str | None = None,
    rep: Rep | None = None,
    password: str = PASSWORD,
    locale: Locale = Locale.EN,
) -> User:
    username = username or f"user{next(_sequence)}"
    user = User(
        username=username,
        display_name=username.title(),
        password_hash=_hash(password, username),
        role=role,
        rep_id=rep.id if rep else None,
        locale=locale,
    )
    session.add(user)
    session.commit()
    return user


def make_customer(
    session: Session, owner_rep_id: int | None, name: str = "Acme", **fields: object
) -> Customer:
    customer = Customer(name=name, owner_rep_id=owner_rep_id, **fields)
    session.add(customer)
    session.commit()
    return customer


def make_goal(
    session: Session,
    owner: Rep | Team | None,
    start: date,
    end: date,
    target: int,
    *,
    metric_key: str = "revenue",
    kind: PeriodKind = PeriodKind.CUSTOM,
    parent: Goal | None = None,
    title: str = "Goal",
) -> Goal:
    """A goal written straight to the table; `owner` None is the company. `target` stored."""
    owner_kind = (
        OwnerKind.COMPANY if owner is None else
        OwnerKind.REP if isinstance(owner, Rep) else OwnerKind.TEAM
    )  # fmt: skip
    goal = Goal(
        owner_kind=owner_kind,
        owner_id=owner.id if owner is not None else None,
        metric_key=metric_key,
        target=target,
        period_kind=kind,
        period_start=start,
        period_end=end,
        parent_id=parent.id if parent else None,
        title=title,
    )
    session.add(goal)
    session.commit()
    return goal


def goal_data(owner: Rep | Team | None, period: Period, **changes: object) -> dict[str, Any]:
    """A revenue goal of 50,000 over `period` for `owner` (None: the company), as the goal
    form sends it; `changes` replace any field."""
    kind = (
        OwnerKind.COMPANY if owner is None else
        OwnerKind.REP if isinstance(owner, Rep) else OwnerKind.TEAM
    )  # fmt: skip
    return {
        "owner_kind": kind, "owner_id": owner.id if owner else None, "metric_key": "revenue",
        "target": "50,000", "period_kind": period.kind, "period_start": period.start,
        "period_end": period.end, "title": "Q1 revenue", "description": "  New logos first. ",
        "parent_id": None,
    } | changes  # fmt: skip


def win_a_deal(session: Session, username: str, amount: str, title: str = "Won order") -> int:
    """`username`'s rep opens a deal for their first live customer and wins it today, through
    the services as that user; returns the rep's id."""
    actor = build_actor(session, session.exec(select(User).where(User.username == username)).one())
    customer_id = session.exec(
        select(Customer.id)
        .where(Customer.owner_rep_id == actor.rep_id, col(Customer.archived_at).is_(None))
        .order_by(col(Customer.id))
    ).first()
    deal = deals.create(
        session, actor,
        data={"customer_id": customer_id, "rep_id": actor.rep_id, "title": title,
              "amount": amount, "stage": "lead"},
    )  # fmt: skip
    deals.move_stage(
        session, actor, deal_id=deal.id, version=deal.version, stage="won",
        closed_on=settings.office_today(session),
    )  # fmt: skip
    assert actor.rep_id is not None
    return actor.rep_id


def open_a_deal(
    session: Session,
    username: str,
    *,
    rep_id: int | None = None,
    product: str | None = None,
    title: str = "Open order",
) -> deals.DealFile:
    """`username` files a new customer for `rep_id` (default: their own rep) and opens a lead
    for it, through the services as that user, so the caches see the write; the deal's row."""
    actor = build_actor(session, session.exec(select(User).where(User.username == username)).one())
    owner = rep_id if rep_id is not None else actor.rep_id
    customer = customers.create(
        session, actor, data={"name": f"Client of {title}", "owner_rep_id": owner}
    )
    return deals.create(
        session, actor,
        data={"customer_id": customer.id, "rep_id": owner, "title": title,
              "product": product, "amount": "1000", "stage": "lead"},
    )  # fmt: skip


def promise_a_follow_up(session: Session, rep_id: int, due: date) -> int:
    """A new customer of `rep_id` contacted now with an open follow-up due on `due`, written
    by the admin in one unit of work (so the caches see it); the contact's id."""
    user = session.exec(select(User).where(User.role == Role.ADMIN).order_by(col(User.id))).first()
    assert user is not None, "an admin writes the follow-up"
    admin = build_actor(session, user)
    with unit_of_work(session, admin) as uow:
        customer = uow.add(Customer(name=f"Promised {due.isoformat()}", owner_rep_id=rep_id))
        contact = uow.add(
            Interaction(
                customer_id=customer.id, rep_id=rep_id, occurred_at=utcnow(),
                channel=Channel.CALL, summary="Promised a quote", next_follow_up_on=due,
            )
        )  # fmt: skip
    assert contact.id is not None
    return contact.id


def make_follow_up(
    session: Session, customer: Customer, due: date, *, done: bool = False
) -> Interaction:
    """A month-old contact by the customer's owner promising a follow-up due on `due` (done
    if `done`), written straight to the table."""
    interaction = Interaction(
        customer_id=customer.id, rep_id=customer.owner_rep_id,
        occurred_at=utcnow() - timedelta(days=30), channel=Channel.CALL,
        summary=f"Promised for {due}", next_follow_up_on=due,
        follow_up_done_at=utcnow() if done else None,
    )  # fmt: skip
    session.add(interaction)
    session.commit()
    return interaction


def actor_for(session: Session, user: User) -> Actor:
    return build_actor(session, user)


class Org:
    """Two teams, each with a manager and two reps with logins, and an admin."""

    def __init__(self, session: Session) -> None:
        self.admin = make_user(session, Role.ADMIN, username="admin")
        self.east_manager = make_user(session, Role.MANAGER, username="eastboss")
        self.west_manager = make_user(session, Role.MANAGER, username="westboss")
        self.region = make_team(session, "Region")
        self.east = make_team(session, "East", parent_id=self.region.id)
        self.east_sub = make_team(session, "East Sub", parent_id=self.east.id)
        self.west = make_team(session, "West", parent_id=self.region.id)
        self.east.manager_user_id = self.east_manager.id
        self.west.manager_user_id = self.west_manager.id
        session.add_all([self.east, self.west])
        session.commit()
        self.east_rep = make_rep(session, self.east, "East Rep")
        self.east_sub_rep = make_rep(session, self.east_sub, "East Sub Rep")
        self.west_rep = make_rep(session, self.west, "West Rep")
        self.east_rep_user = make_user(session, Role.REP, username="eastrep", rep=self.east_rep)
        self.west_rep_user = make_user(session, Role.REP, username="westrep", rep=self.west_rep)

    def actor(self, session: Session, user: User) -> Actor:
        return build_actor(session, user)


class CustomerWork:
    """A customer of `rep` with open work and history, written straight to the tables: an
    open follow-up and a done one, an open, an in-progress and a resolved complaint, an open,
    a won and a lost deal (won today for `won_amount` minor units), and a survey."""

    def __init__(self, session: Session, rep: Rep, today: date, won_amount: int = 40_000):
        self.won_amount = won_amount
        self.customer = make_customer(session, rep.id, f"Worked by {rep.name}")
        customer_id, rep_id = self.customer.id, rep.id
        contact = {"customer_id": customer_id, "rep_id": rep_id, "channel": Channel.CALL}
        self.follow_up = Interaction(
            **contact, occurred_at=utcnow(), summary="Sends the quote", next_follow_up_on=today
        )
        self.done_follow_up = Interaction(
            **contact, occurred_at=utcnow(), summary="Called back",
            next_follow_up_on=today, follow_up_done_at=utcnow(),
        )  # fmt: skip
        complaint = {
            "customer_id": customer_id, "rep_id": rep_id, "opened_on": today,
            "due_on": today, "category": "Delivery", "severity": Severity.HIGH,
            "description": "Late",
        }  # fmt: skip
        self.complaint = Complaint(**complaint)
        self.started_complaint = Complaint(**complaint, status=ComplaintStatus.IN_PROGRESS)
        self.resolved_complaint = Complaint(
            **complaint, status=ComplaintStatus.RESOLVED, resolved_on=today, resolution="Sent"
        )
        deal = {"customer_id": customer_id, "rep_id": rep_id, "title": "Order"}
        self.deal = Deal(
            **deal, stage=DealStage.PROPOSAL, amount=90_000, probability=50,
            expected_close_on=today,
        )  # fmt: skip
        self.won_deal = Deal(
            **deal, stage=DealStage.WON, amount=won_amount, probability=100, closed_on=today
        )
        self.lost_deal = Deal(
            **deal, stage=DealStage.LOST, probability=0, closed_on=today, lost_reason="Price"
        )
        self.survey = Survey(customer_id=customer_id, rep_id=rep_id, surveyed_on=today, score=4)
        session.add_all([
            self.follow_up, self.done_follow_up, self.complaint, self.started_complaint,
            self.resolved_complaint, self.deal, self.won_deal, self.lost_deal, self.survey,
        ])  # fmt: skip
        session.commit()

    @property
    def kept(self) -> list[SQLModel]:
        """Rows whose rep stays when the customer moves: the contacts' maker, closed deals,
        resolved complaints, surveys. (The open follow-up moves by being owed by the
        customer's owner, not by a change of its maker.)"""
        return [
            self.follow_up, self.done_follow_up, self.resolved_complaint, self.won_deal,
            self.lost_deal, self.survey,
        ]  # fmt: skip

    @property
    def moved(self) -> list[SQLModel]:
        """The rows whose rep moves with the customer."""
        return [self.complaint, self.started_complaint, self.deal]


def moved_to_west(session: Session, org: Org, today: date) -> CustomerWork:
    """East Rep's customer with its work (`CustomerWork`), handed to West Rep by the admin
    through the service; the rows are refreshed from the database."""
    work = CustomerWork(session, org.east_rep, today)
    customers.reassign(
        session, org.actor(session, org.admin), customer_id=work.customer.id,
        version=work.customer.version, owner_rep_id=org.west_rep.id,
    )  # fmt: skip
    for row in [work.customer, *work.kept, *work.moved]:
        session.refresh(row)
    return work
