"""ui/customers/surveys_and_complaints.py: both tables show the customer's rows in the user's
language, an archived file gets no add form, and bad input to a complaint's forms gets the
translated message and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from babel import dates
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from models import Complaint, Survey
from models.base import utcnow
from models.enums import ComplaintStatus, Severity
from services import settings
from services.access import Actor
from services.i18n import translate
from tests.factories import Org, make_customer
from tests.pages.conftest import by_label
from tests.ui.conftest import piece
from ui.customers.surveys_and_complaints import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS


def _surveys(customer_id: int) -> None:  # the body runs as a script: builtins only
    from services.customers import records as customers
    from ui import runtime
    from ui.customers.surveys_and_complaints import surveys_section

    surveys_section(runtime.call(customers.get, customer_id))


def _complaints(customer_id: int) -> None:
    from services.customers import records as customers
    from ui import runtime
    from ui.customers.surveys_and_complaints import complaints_section

    complaints_section(runtime.call(customers.get, customer_id))


def _run(started: Any) -> AppTest:
    """Run the app (an AppTest, or a widget just used in it) and check it did not fail."""
    at = started.run()
    assert not at.exception, at.exception
    return at


def _filed(engine: Engine, **fields: object) -> tuple[Org, Actor, int]:
    """East Rep's customer: the org, the rep's actor and the customer's id."""
    with Session(engine, expire_on_commit=False) as session:
        org = Org(session)
        made = make_customer(session, org.east_rep.id, "Acme", **fields)
        assert made.id is not None
        return org, org.actor(session, org.east_rep_user), made.id


def _complaint(engine: Engine, org: Org, customer_id: int, **fields: Any) -> int:
    with Session(engine) as session:
        today = settings.office_today(session)
        complaint = Complaint(**{
            "customer_id": customer_id, "rep_id": org.east_rep.id, "opened_on": today,
            "due_on": today, "category": "Delivery", "severity": Severity.HIGH,
            "description": "Late",
        } | fields)  # fmt: skip
        session.add(complaint)
        session.commit()
        assert complaint.id is not None
        return complaint.id


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_the_surveys_table_shows_each_survey_with_its_rep(app_env: Engine) -> None:
    org, rep, customer_id = _filed(app_env)
    with Session(app_env) as session:
        today = settings.office_today(session)
        session.add_all([
            Survey(customer_id=customer_id, rep_id=org.east_rep.id, surveyed_on=today,
                   score=5, nps=9, comment="Fast delivery"),
            Survey(customer_id=customer_id, rep_id=org.east_rep.id,
                   surveyed_on=today - timedelta(days=30), score=2),
        ])  # fmt: skip
        session.commit()
    at = _run(piece(_surveys, customer_id, actor=rep))
    table = at.dataframe[0].value
    assert list(table["Score"]) == [5, 2]  # the newest first
    assert list(table["NPS"]) == ["9", ""]  # no answer stays empty, not 0
    assert list(table["Comment"]) == ["Fast delivery", ""]
    assert list(table["Rep"]) == ["East Rep", "East Rep"]
    assert [expander.label for expander in at.expander] == ["Add a survey"]


def test_an_archived_file_gets_no_add_forms(app_env: Engine) -> None:
    _org, rep, customer_id = _filed(app_env, archived_at=utcnow())
    surveys = _run(piece(_surveys, customer_id, actor=rep, locale="zh_CN"))
    assert len(surveys.expander) == 0
    assert [info.value for info in surveys.info] == [translate("zh_CN", "No survey yet.")]
    complaints = _run(piece(_complaints, customer_id, actor=rep, locale="zh_CN"))
    assert len(complaints.expander) == 0
    assert [info.value for info in complaints.info] == [translate("zh_CN", "No complaint on file.")]


def test_the_complaints_table_speaks_the_users_language(app_env: Engine) -> None:
    org, rep, customer_id = _filed(app_env)
    with Session(app_env) as session:
        today = settings.office_today(session)
    opened, late = today - timedelta(days=5), today - timedelta(days=3)
    _complaint(app_env, org, customer_id, opened_on=opened, due_on=late,
               status=ComplaintStatus.IN_PROGRESS)  # fmt: skip
    _complaint(app_env, org, customer_id, category="Packaging (imported)",
               severity=Severity.LOW, status=ComplaintStatus.RESOLVED, resolved_on=today,
               resolution="Repacked")  # fmt: skip
    at = _run(piece(_complaints, customer_id, actor=rep, locale="zh_CN"))
    zh = lambda text: translate("zh_CN", text)  # noqa: E731
    table = at.dataframe[0].value
    # The newest first; a category outside the list shows as it was imported.
    assert list(table[zh("Category")]) == ["Packaging (imported)", zh("Delivery")]
    assert list(table[zh("Severity")]) == [zh("Low"), zh("High")]
    assert list(table[zh("Status")]) == [zh("Resolved"), zh("In progress")]
    assert list(table[zh("SLA")]) == ["", zh("Past SLA")]
    assert list(table[zh("Resolution")]) == ["Repacked", ""]
    # The unresolved one gets its actions; it is in progress already, so no Start button.
    day = dates.format_date(opened, format="medium", locale="zh_CN")
    assert [expander.label for expander in at.expander] == [
        zh("Open a complaint"),
        translate("zh_CN", "{category} complaint opened {day}", category=zh("Delivery"), day=day),
    ]
    assert zh("Start work on it") not in [button.label for button in at.button]


def test_a_resolution_without_text_is_refused_and_nothing_written(app_env: Engine) -> None:
    org, rep, customer_id = _filed(app_env)
    complaint_id = _complaint(app_env, org, customer_id)
    at = _run(piece(_complaints, customer_id, actor=rep, locale="zh_CN"))
    _run(by_label(at.button, translate("zh_CN", "Resolve")).click())
    assert [error.value for error in at.error] == [
        translate("zh_CN", "Write how the complaint was resolved.")
    ]
    with Session(app_env) as session:
        stored = session.get(Complaint, complaint_id)
        assert stored is not None
        assert (stored.status, stored.resolution, stored.version) == ("open", None, 1)

    _run(by_label(at.button, translate("zh_CN", "Start work on it")).click())
    with Session(app_env) as session:
        assert session.get(Complaint, complaint_id).status == "in_progress"  # type: ignore[union-attr]


def test_a_complaint_without_a_description_is_refused_and_nothing_written(
    app_env: Engine,
) -> None:
    _org, rep, customer_id = _filed(app_env)
    at = _run(piece(_complaints, customer_id, actor=rep))
    _run(by_label(at.button, "Open complaint").click())
    assert [error.value for error in at.error] == ["Describe the complaint."]
    assert _count(app_env, Complaint) == 0


@pytest.mark.parametrize("labels", [CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS])
def test_every_choice_has_a_chinese_label(labels: dict[str, str]) -> None:
    assert all(translate("zh_CN", label) != label for label in labels.values())
