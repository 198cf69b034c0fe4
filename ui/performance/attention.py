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
from ui.customers.profile import CUSTOMER_URL
from ui.goals import labels as goal_labels
from ui.goals.view import chosen_page, goal_pager
from ui.i18n import N_, t
from ui.tables import table_height

GOAL_URL = "goal?id={id}"
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


def _table(items: AttentionItems[Any], columns: list[Column]) -> None:
    if not items.rows:
        st.success(t("Nothing here: all clear."), icon="✅")
        return
    frame = pd.DataFrame(
        {
            t("Customer"): [CUSTOMER_URL.format(id=row.customer_id) for row in items.rows],
            t("Name"): [row.customer for row in items.rows],
            t("Rep"): [row.rep for row in items.rows],
            **{
                t(header): [show(getattr(row, name)) for row in items.rows]
                for name, header, show in columns
            },
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=table_height(len(frame)),
        column_config={
            t("Customer"): st.column_config.LinkColumn(t("Customer"), display_text=t("Open"))
        },
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
            t("Goal"): [GOAL_URL.format(id=row.id) for row in rows],
            t("Title"): [row.title for row in rows],
            t("Owner"): [goal_labels.owner(row) for row in rows],
            t("Pace"): [goal_labels.pace_label(row.pace) for row in rows],
            t("Behind pace"): [fmt.percent(row.behind) for row in rows],
        }
    )
    link = st.column_config.LinkColumn(t("Goal"), display_text=t("Open"))
    st.dataframe(
        frame, hide_index=True, width="stretch", height=table_height(len(frame)),
        column_config={t("Goal"): link},
    )  # fmt: skip
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
    for tab, items, (_service, _title, columns) in zip(tabs, found, KINDS, strict=True):
        with tab:
            _table(items, columns)
    with goals_tab:
        _goals_behind(behind)
