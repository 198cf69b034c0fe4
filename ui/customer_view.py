"""A customer's profile and contact timeline, user text always shown as plain text."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui import format as fmt
from ui.i18n import N_, t
from ui.text import plain

STATUS_LABELS = {
    "lead": N_("Lead"), "active": N_("Active"), "dormant": N_("Dormant"), "lost": N_("Lost"),
}  # fmt: skip
CHANNEL_LABELS = {
    "call": N_("Call"), "visit": N_("Visit"), "email": N_("Email"),
    "meeting": N_("Meeting"), "message": N_("Message"),
}  # fmt: skip


def _channel(channel: str) -> str:
    label = CHANNEL_LABELS[channel]
    return t(label)


def _field(label: str, value: str | None) -> None:
    st.markdown(f"**{plain(label)}**  \n{plain(value) if value else fmt.MISSING}")


def profile(customer: dict[str, Any]) -> None:
    st.header(plain(customer["name"]), anchor=False)
    tier = customer["tier_override"] or customer["tier"]
    status = STATUS_LABELS[customer["status"]]
    left, middle, right = st.columns(3)
    with left:
        _field(t("Owner"), customer["owner_name"])
        _field(t("Status"), t(status))
        _field(t("Tier"), tier)
    with middle:
        _field(t("Contact"), customer["contact_name"])
        _field(t("Phone"), customer["phone"])
        _field(t("Email"), customer["email"])
    with right:
        _field(t("City"), customer["city"])
        _field(t("Birthday"), fmt.day(customer["birthday"]) if customer["birthday"] else None)
        _field(t("Last contact"), fmt.day(customer["last_contact_on"]))


def contact_timeline(entries: list[dict[str, Any]]) -> None:
    st.subheader(t("Contact timeline"))
    if not entries:
        st.info(t("No contact logged yet."), icon=":material/history:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [fmt.moment(entry["occurred_at"]) for entry in entries],
                t("Channel"): [_channel(entry["channel"]) for entry in entries],
                t("Rep"): [entry["rep_name"] for entry in entries],
                t("Summary"): [entry["summary"] for entry in entries],
                t("Outcome"): [entry["outcome"] or "" for entry in entries],
                t("Next follow-up"): [
                    fmt.day(entry["next_follow_up_on"]) if entry["next_follow_up_on"] else ""
                    for entry in entries
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )
