"""The sales diary: the contact timeline and its "Log a contact" form, and My follow-ups."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from services import settings
from services.access import Actor
from services.customers import diary
from services.customers import records as customers
from services.customers.attention import AttentionItems
from services.customers.diary import FollowUp, TimelineEntry
from services.customers.records import CustomerFile
from services.people import reps
from ui import edits, runtime
from ui import format as fmt
from ui.choice import labels_now, remembered_selectbox
from ui.customers.profile import CHANNEL_LABELS
from ui.errors import attempt
from ui.feedback import flash, forget_form
from ui.i18n import t
from ui.tables import table_height
from ui.text import plain

CUSTOMER_PAGE = "pages/customer_page.py"
# Stands for "every rep in my scope" in the rep box.
ALL_REPS = 0
# Stands for "nobody from sales" in the box of who made a contact.
NOBODY = 0


def _channel(channel: str) -> str:
    return t(CHANNEL_LABELS[channel])


def timeline_section(customer: CustomerFile) -> None:
    """The "Log a contact" form, then the customer's contacts, newest first."""
    st.subheader(t("Contact timeline"))
    if customer.archived_at is None:
        with st.expander(t("Log a contact"), icon=":material/add_call:"):
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
    logged, _ = attempt(diary.log_interaction, customer_id=customer.id, data=data)
    if logged:
        # Logging a contact moves the customer's version: the user's own change, not a rival's.
        edits.refreshed(("customers", customer.id))
        forget_form(prefix)
        flash(t("The contact was logged."))
        st.rerun()


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
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(entries)),
    )
    if len(entries) == diary.TIMELINE_LIMIT:
        st.caption(t("Showing the latest {shown} contacts.", shown=len(entries)))


# ---- My follow-ups ----


def follow_up_rep(actor: Actor) -> int | None:
    """The rep whose follow-ups to show: a rep their own; a manager or admin picks one rep
    of their scope, or everyone (None)."""
    if actor.role == "rep":
        return None
    names = {rep.id: rep.name for rep in runtime.cached(reps.list_reps)}
    everyone = t("All reps") if actor.is_admin else t("All my reps")
    chosen = remembered_selectbox(
        t("Rep"),
        [ALL_REPS, *names],
        format_func=lambda rep_id: names.get(rep_id, everyone),
        key="follow_ups__rep",
    )
    return None if chosen == ALL_REPS else chosen


def follow_up_list(
    title: str, items: AttentionItems[FollowUp], empty: str, *, show_rep: bool
) -> None:
    """One section of My follow-ups: a row per follow-up, linking to the customer, with a
    Done button."""
    st.subheader(f"{title} ({fmt.number(items.total)})")
    if not items.rows:
        st.info(empty, icon=":material/event_available:")
        return
    for row in items.rows:
        _follow_up_row(row, show_rep=show_rep)
    if items.total > len(items.rows):
        st.caption(
            t(
                "Showing the first {shown} of {total}.",
                shown=len(items.rows),
                total=fmt.number(items.total),
            )
        )


def _follow_up_row(row: FollowUp, *, show_rep: bool) -> None:
    widths = [3, 2, 2, 5, 1.5] if show_rep else [3, 2, 7, 1.5]
    customer, due, *rest, done = st.columns(widths, vertical_alignment="center")
    customer.page_link(
        CUSTOMER_PAGE, label=plain(row.customer), query_params={"id": str(row.customer_id)}
    )
    due.write(fmt.day(row.due_on))
    if show_rep:
        rest.pop(0).write(plain(row.rep))
    rest[0].caption(f"{plain(_channel(row.channel))} · {plain(row.summary)}")
    record = edits.opened("interactions", row.id, row.version)
    if done.button(t("Done"), key=f"follow_ups__done_{row.id}", width="stretch"):
        marked, _ = edits.save(diary.mark_follow_up_done, record, interaction_id=row.id)
        if marked:
            flash(t("Follow-up with {customer} marked done.", customer=plain(row.customer)))
            st.rerun()
