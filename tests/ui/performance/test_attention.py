"""ui/performance/attention.py: Home's attention tabs count what needs doing and list it with
a link to the customer or goal; a team filter narrows every tab; a long list says how much it
leaves out; titles in both languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel import dates
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Complaint, Customer
from models.enums import Severity
from services.access import Actor
from services.i18n import translate
from tests.factories import Org, make_customer, make_goal, promise_a_follow_up
from tests.pages.conftest import office_today
from tests.ui.conftest import piece
from ui.tables import ID_COLUMN

TABS = ["Overdue follow-ups", "Quiet customers", "Birthdays this week", "Complaints past SLA",
        "Goals behind pace"]  # fmt: skip
ALL_CLEAR = "Nothing here: all clear."


def _attention(rep_ids: object) -> None:  # runs as a script: builtins only in the signature
    from ui.performance.attention import attention_list

    attention_list(rep_ids)


class Needs:
    """One item of each kind, all East Rep's: a follow-up three days overdue, a customer never
    contacted, a contact's birthday in two days, a complaint two days past its deadline and a
    goal far behind pace. The other customers were contacted today."""

    def __init__(self, session: Session, org: Org, today: date) -> None:
        rep = org.east_rep.id
        self.follow_up = promise_a_follow_up(session, rep, today - timedelta(days=3))
        self.quiet = make_customer(session, rep, "Quiet Co")
        # 1992 was a leap year: any day of the year has a birthday then.
        birthday = (today + timedelta(days=2)).replace(year=1992)
        self.birthday = make_customer(session, rep, "Party Co", contact_name="Li Lei",
                                      birthday=birthday, last_contact_on=today)  # fmt: skip
        self.late = make_customer(session, rep, "Late Co", last_contact_on=today)
        session.add(
            Complaint(customer_id=self.late.id, rep_id=rep, opened_on=today - timedelta(days=5),
                      due_on=today - timedelta(days=2), category="Delivery",
                      severity=Severity.HIGH, description="Late")
        )  # fmt: skip
        session.commit()
        start, end = today - timedelta(days=60), today + timedelta(days=30)
        self.goal = make_goal(session, org.east_rep, start, end, 100_000_000, title="Big quarter")


@pytest.fixture
def needs(fresh_app_env: Engine) -> tuple[Org, Actor, Needs]:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        org = Org(session)
        needs = Needs(session, org, office_today(fresh_app_env))
        return org, org.actor(session, org.admin), needs


def _shown(actor: Actor, rep_ids: frozenset[int] | None = None, locale: str = "en") -> AppTest:
    at = piece(_attention, rep_ids, actor=actor, locale=locale).run()
    assert not at.exception, at.exception
    return at


def _day(value: date) -> str:
    return dates.format_date(value, format="medium", locale="en")


def _rows(at: AppTest, tab: int) -> list[dict[str, object]]:
    return [row for frame in at.tabs[tab].dataframe for row in frame.value.to_dict("records")]


def test_each_tab_counts_and_lists_what_needs_attention(
    fresh_app_env: Engine, needs: tuple[Org, Actor, Needs]
) -> None:
    _org, admin, built = needs
    today = office_today(fresh_app_env)
    at = _shown(admin)
    # The promised customer was never marked contacted: it is quiet too.
    assert [tab.label for tab in at.tabs] == [
        "Overdue follow-ups (1)", "Quiet customers (2)", "Birthdays this week (1)",
        "Complaints past SLA (1)", "Goals behind pace (1)",
    ]  # fmt: skip
    [overdue] = _rows(at, 0)
    assert overdue["Customer"].startswith("Promised ")
    assert (overdue["Rep"], overdue["Due"], overdue["Days overdue"], overdue["Last contact"]) == (
        "East Rep", _day(today - timedelta(days=3)), 3, "Promised a quote",
    )  # fmt: skip
    quiet = _rows(at, 1)
    assert quiet[1] == {ID_COLUMN: built.quiet.id, "Customer": "Quiet Co",
                        "Rep": "East Rep", "Tier": "—", "Last contact": "—"}  # fmt: skip
    assert _rows(at, 2) == [{ID_COLUMN: built.birthday.id, "Customer": "Party Co",
                             "Rep": "East Rep", "Birthday": _day(today + timedelta(days=2)),
                             "Contact": "Li Lei"}]  # fmt: skip
    assert _rows(at, 3) == [{ID_COLUMN: built.late.id, "Customer": "Late Co",
                             "Rep": "East Rep", "Opened": _day(today - timedelta(days=5)),
                             "Days late": 2, "Category": "Delivery"}]  # fmt: skip
    [goal] = _rows(at, 4)
    assert (goal[ID_COLUMN], goal["Title"], goal["Owner"], goal["Pace"]) == (
        built.goal.id, "Big quarter", "East Rep", "Off track",
    )  # fmt: skip
    assert not [success for tab in at.tabs for success in tab.success]


def test_a_team_filter_narrows_every_tab(needs: tuple[Org, Actor, Needs]) -> None:
    org, admin, _built = needs
    at = _shown(admin, frozenset({org.west_rep.id}))
    assert [tab.label for tab in at.tabs] == [f"{title} (0)" for title in TABS]
    assert [[s.value for s in tab.success] for tab in at.tabs] == [[ALL_CLEAR]] * len(TABS)
    assert not at.dataframe


def test_a_long_list_says_how_much_it_leaves_out(fresh_app_env: Engine) -> None:
    with Session(fresh_app_env, expire_on_commit=False) as session:
        org = Org(session)
        session.add_all(
            Customer(name=f"Quiet {n}", owner_rep_id=org.west_rep.id) for n in range(51)
        )
        session.commit()
        admin = org.actor(session, org.admin)
    at = _shown(admin)
    assert at.tabs[1].label == "Quiet customers (51)"
    assert len(_rows(at, 1)) == 50
    assert [caption.value for caption in at.tabs[1].caption] == [
        "Click a customer to open it.", "Showing the first 50 of 51.",
    ]  # fmt: skip


def test_the_tabs_read_in_chinese(needs: tuple[Org, Actor, Needs]) -> None:
    _org, admin, _built = needs
    at = _shown(admin, locale="zh_CN")
    titles = [tab.label.rsplit(" (", 1)[0] for tab in at.tabs]
    assert titles == [translate("zh_CN", title) for title in TABS]
    assert not set(titles) & set(TABS)
    headers = list(at.tabs[0].dataframe[0].value.columns)
    assert headers[:3] == [translate("zh_CN", name) for name in ("Customer", "Rep", "Due")]
