"""The attention list on Home: one tab per kind, each row linking to the customer or goal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from services.customers import attention
from services.customers.attention import AttentionItems
from services.goals import listing as goal_list
from services.goals.listing import GoalPage
from ui import format as fmt
from ui import runtime
from ui.customers.profile import CUSTOMER_PAGE
from ui.goals import labels as goal_labels
from ui.goals.view import GOAL_PAGE, chosen_page, goal_pager
from ui.i18n import N_, t
from ui.tables import opening_table

# The page of the goals behind pace the user turned to.
BEHIND_PAGE = "home__behind_page"
# Each kind: its tab title and the columns it shows, as (row field, header, formatter).
Column = tuple[str, str, Callable[[Any], Any]]
KINDS: list[tuple[Callable[..., AttentionItems[Any]], str, list[Column]]] = [
    (
        attention.overdue_follow_ups,
        N_("Overdue follow-ups"),
        [("due_on", N_("Due"), fmt.day), ("days", N_("Days overdue"), int),
         ("summary", N_("Last contact"), str)],
    ),
    (
        attention.quiet_customers,
        N_("Quiet customers"),
        [("tier", N_("Tier"), lambda tier: tier or "—"),
         ("last_contact_on", N_("Last contact"), fmt.day)],
    ),
    (
        attention.birthdays,
        N_("Birthdays this week"),
        [("on", N_("Birthday"), fmt.day), ("contact", N_("Contact"), lambda name: name or "")],
    ),
    (
        attention.complaints_past_sla,
        N_("Complaints past SLA"),
        [("opened_on", N_("Opened"), fmt.day), ("days_late", N_("Days late"), int),
         ("category", N_("Category"), str)],
    ),
]  # fmt: skip


def _table(items: AttentionItems[Any], columns: list[Column], *, key: str) -> None:
    if not items.rows:
        st.success(t("Nothing here: all clear."), icon="✅")
        return
    frame = pd.DataFrame(
        {
            t("Customer"): [row.customer for row in items.rows],
            t("Rep"): [row.rep for row in items.rows],
            **{
                t(header): [show(getattr(row, name)) for row in items.rows]
                for name, header, show in columns
            },
        }
    )
    st.caption(t("Click a customer to open it."))
    opening_table(
        frame,
        [row.customer_id for row in items.rows],
        column=t("Customer"),
        page=CUSTOMER_PAGE,
        key=f"home__attention_{key}",
    )
    if items.total > len(items.rows):
        st.caption(
            t(
                "Showing the first {shown} of {total}.",
                shown=len(items.rows),
                total=fmt.number(items.total),
            )
        )


def _goals_behind(found: GoalPage) -> None:
    rows = found.rows
    if not rows:
        st.success(t("Nothing here: all clear."), icon="✅")
        return
    frame = pd.DataFrame(
        {
            t("Title"): [row.title for row in rows],
            t("Owner"): [goal_labels.owner(row) for row in rows],
            t("Pace"): [goal_labels.pace_label(row.pace) for row in rows],
            t("Behind pace"): [fmt.percent(row.behind) for row in rows],
        }
    )
    st.caption(t("Click a title to open its goal."))
    opening_table(
        frame,
        [row.id for row in rows],
        column=t("Title"),
        page=GOAL_PAGE,
        key=f"{BEHIND_PAGE}_table",
    )
    goal_pager(found, BEHIND_PAGE)


def attention_list(rep_ids: frozenset[int] | None) -> None:
    found = [runtime.cached(service, rep_ids=rep_ids) for service, _title, _cols in KINDS]
    behind = runtime.cached(goal_list.behind_pace, rep_ids=rep_ids, page=chosen_page(BEHIND_PAGE))
    titles = [
        f"{t(title)} ({fmt.number(items.total)})"
        for items, (_service, title, _cols) in zip(found, KINDS, strict=True)
    ]
    goals_title = t("Goals behind pace")
    *tabs, goals_tab = st.tabs([*titles, f"{goals_title} ({fmt.number(behind.total)})"])
    for tab, items, (service, _title, columns) in zip(tabs, found, KINDS, strict=True):
        with tab:
            _table(items, columns, key=service.__name__)
    with goals_tab:
        _goals_behind(behind)
