"""A customer's profile and the explanation of its tier, user text always shown as plain text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.customers.records import CustomerFile
from services.customers.tiering import RuleCheck, TierExplanation
from ui import format as fmt
from ui import layout
from ui.i18n import N_, t
from ui.tables import table_height
from ui.text import plain

# The customer file; its `id` query parameter names the customer.
CUSTOMER_PAGE = "pages/customer_page.py"
STATUS_LABELS = {
    "lead": N_("Lead"), "active": N_("Active"), "dormant": N_("Dormant"), "lost": N_("Churned"),
}  # fmt: skip
KIND_LABELS = {"company": N_("Company"), "person": N_("Person"), "dealer": N_("Dealer")}
CHANNEL_LABELS = {
    "call": N_("Call"), "visit": N_("Visit"), "email": N_("Email"),
    "meeting": N_("Meeting"), "message": N_("Message"),
}  # fmt: skip


def status_label(status: str) -> str:
    label = STATUS_LABELS[status]
    return t(label)


def kind_label(kind: str) -> str:
    label = KIND_LABELS[kind]
    return t(label)


def _field(label: str, value: str | None) -> None:
    st.markdown(f"**{plain(label)}**  \n{plain(value) if value else fmt.MISSING}")


def profile(customer: CustomerFile) -> None:
    st.header(plain(customer.name), anchor=False)
    if customer.archived_at is not None:
        st.warning(
            t("This customer was archived on {day}.", day=fmt.day(customer.archived_at)),
            icon=":material/archive:",
        )
    left, middle, right = st.columns(3)
    with left:
        _field(t("Owner"), customer.owner_name)
        _field(t("Status"), status_label(customer.status))
        _field(t("Tier"), customer.effective_tier)
        _field(t("Kind"), kind_label(customer.kind))
        _field(t("Source"), customer.source)
    with middle:
        _field(t("Contact"), customer.contact_name)
        _field(t("Phone"), customer.phone)
        _field(t("Email"), customer.email)
        _field(t("Birthday"), fmt.day(customer.birthday) if customer.birthday else None)
        _field(t("Last contact"), fmt.day(customer.last_contact_on))
    with right:
        _field(t("Industry"), customer.industry)
        _field(t("Region"), customer.region)
        _field(t("City"), customer.city)
    _field(t("Preferences"), customer.preferences)
    _field(t("Notes"), customer.notes)


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


def _rule_cells(rule: RuleCheck) -> list[str]:
    return [
        f"≤ {fmt.number(rule.recency_days)} {_mark(rule.recency_met)}",
        f"≥ {fmt.number(rule.frequency)} {_mark(rule.frequency_met)}",
        f"≥ {fmt.money(rule.monetary, whole=True)} {_mark(rule.monetary_met)}",
    ]


def tier_explanation(explanation: TierExplanation) -> None:
    """An expander "Why tier B?": the customer's RFM values against each tier's thresholds."""
    tier = explanation.effective or explanation.computed
    why = t("Why tier {tier}?", tier=plain(tier))
    with layout.expander(why, key="customer__why_tier_open", icon=":material/help:"):
        st.caption(
            t(
                "Won deals from {since} to {today}. A customer meeting every threshold of "
                "tier A is A, else every threshold of tier B is B, else C.",
                since=fmt.day(explanation.since),
                today=fmt.day(explanation.today),
            )
        )
        columns = {
            t("Measure"): [
                t("Days since the last won deal"),
                t("Won deals"),
                t("Won amount"),
            ],
            t("This customer"): [
                fmt.number(explanation.recency_days),
                fmt.number(explanation.frequency),
                fmt.money(explanation.monetary, whole=True),
            ],
        }
        for rule in explanation.rules:
            columns[t("Tier {tier} needs", tier=rule.tier)] = _rule_cells(rule)
        frame = pd.DataFrame(columns)
        st.dataframe(frame, hide_index=True, width="stretch", height=table_height(len(frame)))
        st.markdown(plain(t("These values give tier {tier}.", tier=explanation.computed)))
        if explanation.stored != explanation.computed:
            st.info(
                t(
                    "The stored tier is {stored}; recompute the tier to bring it up to date.",
                    stored=plain(explanation.stored) or fmt.MISSING,
                ),
                icon=":material/update:",
            )
        if explanation.override:
            st.markdown(
                plain(t("Set by hand to tier {tier}, which wins.", tier=explanation.override))
                + "  \n"
                + plain(t("Reason: {reason}", reason=explanation.override_reason))
            )
