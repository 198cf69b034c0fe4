"""The database itself refuses what no service should ever write (both backends)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from models import Customer, Deal, Survey, User
from models.enums import Role
from tests.factories import make_rep, make_user


def _customer(session: Session) -> Customer:
    customer = Customer(name="Acme", owner_rep_id=make_rep(session).id)
    session.add(customer)
    session.commit()
    return customer


@pytest.mark.parametrize("score", [0, 6])
def test_survey_score_outside_1_to_5_is_refused(session: Session, score: int) -> None:
    customer = _customer(session)
    session.add(
        Survey(customer_id=customer.id, rep_id=customer.owner_rep_id, surveyed_on=date.today(),
               score=score)
    )  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_negative_deal_amount_is_refused(session: Session) -> None:
    customer = _customer(session)
    session.add(Deal(customer_id=customer.id, rep_id=customer.owner_rep_id, title="T", amount=-1))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_usernames_are_unique(session: Session) -> None:
    make_user(session, Role.ADMIN, username="same")
    session.add(User(username="same", display_name="Other", password_hash="x", role=Role.REP))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(Customer(name="Orphan", owner_rep_id=999_999))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_unknown_enum_value_is_refused(session: Session) -> None:
    session.execute(sa.text("SELECT 1"))
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(
            sa.text(
                "INSERT INTO users (username, display_name, password_hash, role, locale, "
                "failed_logins, active, must_change_password, version, created_at, updated_at) "
                "VALUES ('x', 'X', 'h', 'boss', 'en', 0, true, false, 1, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        session.commit()
