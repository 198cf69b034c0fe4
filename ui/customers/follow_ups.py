"""The follow-ups page's pieces: whose follow-ups and the title that says so, and one paged
section per due window, each row linking to the customer with Done and Reschedule beside it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from services.access import Actor
from services.customers import follow_ups
from services.customers.follow_ups import Due, FollowUp
from services.paging import Paged
from services.people import reps
from ui import edits, runtime
from ui import format as fmt
from ui.choice import remembered_selectbox
from ui.customers.profile import CHANNEL_LABELS, CUSTOMER_PAGE
from ui.edits import Opened
from ui.feedback import flash, forget_form
from ui.i18n import N_, t
from ui.pager import pager
from ui.text import plain

# Stands for "every rep in my scope" in the rep box.
ALL_REPS = 0
# Each section's heading and what it says when empty.
SECTIONS: dict[Due, tuple[str, str]] = {
    "overdue": (N_("Overdue"), N_("Nothing overdue.")),
    "today": (N_("Today"), N_("Nothing due today.")),
    "upcoming": (N_("Upcoming"), N_("Nothing planned for the next two weeks.")),
}


def follow_ups_title(actor: Actor) -> str:
    """A rep's own follow-ups are theirs; a manager or admin looks at their reps'."""
    return t("My follow-ups") if actor.role == "rep" else t("Follow-ups")


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


def follow_up_section(due: Due, rep_id: int | None, *, show_rep: bool) -> None:
    """One due window: its count, the page of rows the user turned to, and the pager. Each
    rep choice keeps its own page."""
    key = f"follow_ups__{due}_{rep_id or ALL_REPS}_page"
    found: Paged[FollowUp] = runtime.cached(
        follow_ups.list_follow_ups, due=due, rep_id=rep_id, page=int(st.session_state.get(key, 1))
    )
    title, empty = SECTIONS[due]
    st.subheader(f"{t(title)} ({fmt.number(found.total)})")
    if not found.rows:
        st.info(t(empty), icon=":material/event_available:")
        return
    for row in found.rows:
        _follow_up_row(row, show_rep=show_rep)
    if found.pages > 1:

        def turn(page: int) -> None:
            st.session_state[key] = page

        caption = t("Page {page} of {pages}", page=fmt.number(found.page),
                    pages=fmt.number(found.pages))  # fmt: skip
        pager(found.page, found.pages, key=f"{key}_", turn=turn, caption=caption)


def _follow_up_row(row: FollowUp, *, show_rep: bool) -> None:
    # Wide enough for "Reschedule" and its arrow beside Done.
    widths = [3, 2, 2, 3.5, 1.5, 2.5] if show_rep else [3.5, 2, 5, 1.5, 2.5]
    customer, due, *rest, done, move = st.columns(widths, vertical_alignment="center")
    customer.page_link(
        CUSTOMER_PAGE, label=plain(row.customer), query_params={"id": str(row.customer_id)}
    )
    due.write(fmt.day(row.due_on))
    if show_rep:
        rest.pop(0).write(plain(row.rep))
    rest[0].caption(_what(row))
    record = edits.opened("interactions", row.id, row.version)
    if done.button(t("Done"), key=f"follow_ups__done_{row.id}", width="stretch"):
        marked, _ = edits.save(follow_ups.mark_follow_up_done, record, interaction_id=row.id)
        if marked:
            flash(t("Follow-up with {customer} marked done.", customer=plain(row.customer)))
            st.rerun()
    with move.popover(t("Reschedule"), width="stretch"):
        _reschedule_form(row, record)


def _what(row: FollowUp) -> str:
    """The channel and summary of the promise, and why it was last moved, as safe Markdown."""
    what = f"{plain(t(CHANNEL_LABELS[row.channel]))} · {plain(row.summary)}"
    if row.rescheduled_reason:
        what += " · " + t("Moved: {reason}", reason=plain(row.rescheduled_reason))
    return what


def _reschedule_form(row: FollowUp, record: Opened) -> None:
    """A new day and the reason; a past day or no reason is refused and nothing moves."""
    prefix = f"follow_ups__move_{row.id}_"
    with st.form(f"{prefix}form"):
        day: date | None = st.date_input(
            t("New date"), value=None, format="YYYY-MM-DD", key=f"{prefix}day"
        )
        reason = st.text_input(t("Reason"), key=f"{prefix}reason")
        if not st.form_submit_button(t("Move"), type="primary"):
            return
    moved, _ = edits.save(
        follow_ups.reschedule_follow_up, record, interaction_id=row.id,
        data={"due_on": day, "reason": reason}, form_key=prefix,
    )  # fmt: skip
    if moved and day is not None:
        forget_form(prefix)
        flash(t("Follow-up with {customer} moved to {day}.", customer=plain(row.customer),
                day=fmt.day(day)))  # fmt: skip
        st.rerun()
