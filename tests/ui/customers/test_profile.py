"""ui/customers/profile.py: the file shows its fields as plain text with the tier that wins, and
the tier's explanation sets the customer's values against each rule, in the user's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel import dates
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from models import Deal
from models.base import utcnow
from models.enums import CustomerKind, CustomerStatus, DealStage, Tier
from services import settings
from services.customers import records as customers
from services.customers import tiering
from services.i18n import translate
from tests.factories import Org, make_customer
from tests.ui.conftest import piece
from ui.customers.profile import KIND_LABELS, STATUS_LABELS
from ui.text import plain

TYPED = "**Bold** [link](https://evil.example)"


def _profile(customer) -> None:  # type: ignore[no-untyped-def]  # the body runs as a script
    from ui.customers.profile import profile

    profile(customer)


def _explanation(explanation) -> None:  # type: ignore[no-untyped-def]
    from ui.customers.profile import tier_explanation

    tier_explanation(explanation)


def _labels() -> None:
    import streamlit as st

    from ui.customers.profile import KIND_LABELS, STATUS_LABELS, kind_label, status_label

    st.text([status_label(status) for status in STATUS_LABELS])
    st.text([kind_label(kind) for kind in KIND_LABELS])


def _shown(script, *args, locale: str = "en") -> AppTest:  # type: ignore[no-untyped-def]
    at = piece(script, *args, locale=locale).run()
    assert not at.exception, at.exception
    return at


def test_the_profile_shows_the_file_as_plain_text_with_the_tier_that_wins(
    app_env: Engine,
) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        made = make_customer(
            session, org.east_rep.id, TYPED, kind=CustomerKind.DEALER,
            status=CustomerStatus.ACTIVE, tier=Tier.C, tier_override=Tier.A,
            tier_override_reason="Group contract", city="Hangzhou", notes="*not bold*",
        )  # fmt: skip
        assert made.id is not None
        customer = customers.get(session, org.actor(session, org.admin), made.id)
    at = _shown(_profile, customer)
    assert at.header[0].value == plain(TYPED)
    fields = [markdown.value for markdown in at.markdown]
    assert f"**Owner**  \n{plain('East Rep')}" in fields
    assert "**Tier**  \nA" in fields  # the override wins over the computed C
    assert "**Kind**  \nDealer" in fields and "**Status**  \nActive" in fields
    assert f"**Notes**  \n{plain('*not bold*')}" in fields
    assert "**Phone**  \n—" in fields  # nothing on file
    assert at.warning == []


def test_an_archived_file_says_since_when(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        made = make_customer(session, org.east_rep.id, "Gone Co", archived_at=utcnow())
        assert made.id is not None
        customer = customers.get(session, org.actor(session, org.admin), made.id)
    at = _shown(_profile, customer, locale="zh_CN")
    assert customer.archived_at is not None
    day = dates.format_date(customer.archived_at, format="medium", locale="zh_CN")
    assert [warning.value for warning in at.warning] == [
        translate("zh_CN", "This customer was archived on {day}.", day=day)
    ]
    assert "**" + translate("zh_CN", "Owner") + "**  \n" + plain("East Rep") in [
        markdown.value for markdown in at.markdown
    ]


def test_the_explanation_sets_the_values_against_each_rule(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        today = settings.office_today(session)
        made = make_customer(session, org.east_rep.id, "Two deals", tier=Tier.C)
        for days_ago, amount in [(40, 15_000_000), (100, 50_000)]:
            session.add(
                Deal(
                    customer_id=made.id, rep_id=org.east_rep.id, title="Won", amount=amount,
                    stage=DealStage.WON, probability=100,
                    closed_on=today - timedelta(days=days_ago),
                )
            )  # fmt: skip
        session.commit()
        assert made.id is not None
        explanation = tiering.explain(session, org.actor(session, org.admin), made.id)
    at = _shown(_explanation, explanation)
    assert (explanation.computed, explanation.stored) == (Tier.B, Tier.C)
    assert at.expander[0].label == "Why tier C?"  # the stored tier, until recomputed
    table = at.dataframe[0].value
    assert list(table.columns) == ["Measure", "This customer", "Tier A needs", "Tier B needs"]
    # Won amounts in whole yuan, as every table shows money.
    assert list(table["This customer"]) == ["40", "2", "CN¥150,500"]
    # A needs three won deals (✗ for two); B's every threshold is met.
    assert [cell[-1] for cell in table["Tier A needs"]] == ["✓", "✗", "✗"]
    assert [cell[-1] for cell in table["Tier B needs"]] == ["✓", "✓", "✓"]
    assert at.info[0].value.startswith("The stored tier is C; recompute")
    assert plain("These values give tier B.") in [markdown.value for markdown in at.markdown]


def test_an_override_in_the_explanation_gives_its_reason(app_env: Engine) -> None:
    with Session(app_env, expire_on_commit=False) as session:
        org = Org(session)
        made = make_customer(
            session, org.east_rep.id, "Strategic", tier=Tier.C, tier_override=Tier.A,
            tier_override_reason="Group headquarters",
        )  # fmt: skip
        assert made.id is not None
        explanation = tiering.explain(session, org.actor(session, org.admin), made.id)
    at = _shown(_explanation, explanation, locale="zh_CN")
    assert at.expander[0].label == translate("zh_CN", "Why tier {tier}?", tier="A")
    assert at.info == []  # stored C is what the (no) deals give
    said = plain(translate("zh_CN", "Set by hand to tier {tier}, which wins.", tier="A"))
    reason = plain(translate("zh_CN", "Reason: {reason}", reason="Group headquarters"))
    assert f"{said}  \n{reason}" in [markdown.value for markdown in at.markdown]


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_every_status_and_kind_has_a_label_in_both_languages(app_env: Engine, locale: str) -> None:
    at = _shown(_labels, locale=locale)
    statuses, kinds = (text.value for text in at.text)
    assert statuses == str([translate(locale, label) for label in STATUS_LABELS.values()])
    assert kinds == str([translate(locale, label) for label in KIND_LABELS.values()])
    if locale == "zh_CN":
        assert all(translate(locale, label) != label for label in STATUS_LABELS.values())
        assert all(translate(locale, label) != label for label in KIND_LABELS.values())
