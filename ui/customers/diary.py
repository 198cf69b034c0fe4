"""The sales diary: the contact timeline and its "Log a contact" form."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from services import settings
from services.customers import diary, follow_ups
from services.customers import records as customers
from services.customers.diary import TimelineEntry
from services.customers.follow_ups import FollowUp
from services.customers.records import CustomerFile
from ui import edits, layout, runtime
from ui import format as fmt
from ui.choice import labels_now
from ui.customers.profile import CHANNEL_LABELS
from ui.errors import attempt
from ui.feedback import flash, forget_form
from ui.i18n import t
from ui.tables import table_height
from ui.text import plain

# Stands for "nobody from sales" in the box of who made a contact.
NOBODY = 0


def _channel(channel: str) -> str:
    return t(CHANNEL_LABELS[channel])


def timeline_section(customer: CustomerFile) -> None:
    """The "Log a contact" form, then the customer's contacts, newest first."""
    st.subheader(t("Contact timeline"))
    if customer.archived_at is None:
        with layout.expander(
            t("Log a contact"), key="customer__log_open", icon=":material/add_call:"
        ):
            log_contact_form(customer)
    contact_timeline(runtime.call(diary.timeline, customer.id))


def log_contact_form(customer: CustomerFile) -> None:
    prefix = f"customer__contact_{customer.id}_"
    zone = runtime.call_anonymous(settings.timezone)
    # Defaults are set once per form, so "now" does not move under the user's typing.
    now = datetime.now(zone)
    st.session_state.setdefault(f"{prefix}day", now.date())
    st.session_state.setdefault(f"{prefix}time", now.time().replace(second=0, microsecond=0))
    channels = {channel: _channel(channel) for channel in CHANNEL_LABELS}
    answerable = runtime.cached(follow_ups.open_follow_up, customer.id)
    with st.form(f"{prefix}form"):
        left, middle, right = st.columns(3)
        day = left.date_input(t("Date"), key=f"{prefix}day", format="YYYY-MM-DD")
        moment = middle.time_input(t("Time"), key=f"{prefix}time", step=300)
        channel = right.selectbox(
            t("Channel"), list(channels), format_func=channels.__getitem__, key=f"{prefix}channel"
        )
        maker = _maker_box(f"{prefix}maker")
        summary = st.text_area(t("Summary"), key=f"{prefix}summary")
        outcome = st.text_input(t("Outcome"), key=f"{prefix}outcome")
        follow_up = st.date_input(
            t("Next follow-up"),
            value=None,
            format="YYYY-MM-DD",
            key=f"{prefix}follow_up",
            help=t("Leave empty when no follow-up is planned."),
        )
        answers = answerable is not None and _answers_box(answerable, f"{prefix}answers")
        if not st.form_submit_button(t("Log contact"), type="primary"):
            return
    data = {
        "occurred_at": datetime.combine(day, moment, tzinfo=zone) if day and moment else None,
        "channel": channel,
        "summary": summary,
        "outcome": outcome,
        "next_follow_up_on": follow_up,
    }
    if maker is not None:
        data["rep_id"] = None if maker == NOBODY else maker
    if answers and answerable is not None:
        # Checked against the follow-up as the form first showed it.
        record = edits.opened("interactions", answerable.id, answerable.version)
        logged, _ = edits.save(
            diary.log_interaction, record, customer_id=customer.id, data=data,
            answers=answerable.id,
        )  # fmt: skip
    else:
        logged, _ = attempt(diary.log_interaction, customer_id=customer.id, data=data)
    if logged:
        # Logging a contact moves the customer's version: the user's own change, not a rival's.
        edits.refreshed(("customers", customer.id))
        forget_form(prefix)
        if answers and answerable is not None:
            flash(t("The contact was logged and the follow-up due {day} is done.",
                    day=fmt.day(answerable.due_on)))  # fmt: skip
        else:
            flash(t("The contact was logged."))
        st.rerun()


def _answers_box(answerable: FollowUp, key: str) -> bool:
    """Ticked by default: a contact with a customer who is owed one mostly is that follow-up;
    unticked, the follow-up stays open."""
    edits.opened("interactions", answerable.id, answerable.version)
    return st.checkbox(
        t("This answers the follow-up due {day}", day=fmt.day(answerable.due_on)),
        value=True, key=f"{key}_{answerable.id}", help=plain(answerable.summary),
    )  # fmt: skip


def _maker_box(key: str) -> int | None:
    """Who made the contact, for a manager or admin logging it: a rep in their scope or
    nobody from sales (the default, so nobody is credited by accident). None for a rep,
    who always logs their own."""
    if runtime.current_actor().role == "rep":
        return None
    names = {NOBODY: t("Nobody from sales"), **dict(runtime.cached(customers.owner_choices))}
    return st.selectbox(
        t("Made by"), list(names), format_func=labels_now(list(names), names.__getitem__),
        key=key, help=t("The rep whose activity this contact counts for."),
    )  # fmt: skip


def _moved_column(entries: list[TimelineEntry]) -> dict[str, list[str]]:
    """Why each follow-up was last moved, when any was."""
    if not any(entry.rescheduled_reason for entry in entries):
        return {}
    return {t("Why it was moved"): [entry.rescheduled_reason or "" for entry in entries]}


def contact_timeline(entries: list[TimelineEntry]) -> None:
    if not entries:
        st.info(t("No contact logged yet."), icon=":material/history:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [fmt.moment(entry.occurred_at) for entry in entries],
                t("Channel"): [_channel(entry.channel) for entry in entries],
                t("Rep"): [entry.rep_name or t("Nobody from sales") for entry in entries],
                t("Logged by"): [entry.logged_by_name or "" for entry in entries],
                t("Summary"): [entry.summary for entry in entries],
                t("Outcome"): [entry.outcome or "" for entry in entries],
                t("Next follow-up"): [
                    fmt.day(entry.next_follow_up_on) if entry.next_follow_up_on else ""
                    for entry in entries
                ],
            }
            | _moved_column(entries)
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(entries)),
    )
    if len(entries) == diary.TIMELINE_LIMIT:
        st.caption(t("Showing the latest {shown} contacts.", shown=len(entries)))
