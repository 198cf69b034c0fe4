"""Surveys follow the rep's skill; complaints are mostly resolved, a few are past their SLA."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import Complaint, Customer, Survey
from services.settings import DEFAULTS
from tests.seed.conftest import TODAY


def test_surveys(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        surveys = session.exec(select(Survey)).all()
    assert 300 <= len(surveys) <= 1_500
    assert {s.score for s in surveys} == {1, 2, 3, 4, 5}
    answered = [s.nps for s in surveys if s.nps is not None]
    assert 0.6 < len(answered) / len(surveys) < 0.8 and all(0 <= n <= 10 for n in answered)
    assert any(s.comment for s in surveys)
    by_rep: dict[int, list[int]] = defaultdict(list)
    for survey in surveys:
        by_rep[survey.rep_id].append(survey.score)
    means = [sum(scores) / len(scores) for scores in by_rep.values() if len(scores) >= 20]
    assert max(means) - min(means) > 0.5


def test_complaints(demo_db: Engine) -> None:
    with Session(demo_db) as session:
        complaints = session.exec(select(Complaint)).all()
    assert 20 <= len(complaints) <= 300
    sla = DEFAULTS["sla_days"]
    resolved = [c for c in complaints if c.status == "resolved"]
    assert len(resolved) > len(complaints) * 0.7
    for complaint in resolved:
        assert complaint.resolution and complaint.resolved_on
        assert complaint.opened_on <= complaint.resolved_on < TODAY
    late = [
        c
        for c in complaints
        if c.status != "resolved" and c.opened_on < TODAY - timedelta(days=sla[c.severity])
    ]
    assert len(late) >= 3
    assert {c.severity for c in complaints} == set(sla)


def test_open_complaints_are_the_owners_and_resolved_ones_stay_with_their_rep(
    demo_db: Engine,
) -> None:
    with Session(demo_db) as session:
        rows = session.exec(
            select(Complaint.status, Complaint.rep_id, Customer.owner_rep_id).join(
                Customer, col(Customer.id) == col(Complaint.customer_id)
            )
        ).all()
    assert all(rep == owner for status, rep, owner in rows if status != "resolved")
    # Customers of the rep who left went to a teammate; the complaints they resolved did not.
    assert any(rep != owner for status, rep, owner in rows if status == "resolved")
