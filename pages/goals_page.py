"""Goals: the period's goals with live progress, the weekly review list, and a new goal
with its SMART check."""

import streamlit as st

from services.goals import listing as goal_list
from ui import layout, period, runtime
from ui.feedback import show_flash
from ui.goals.filters import goal_filters
from ui.goals.forms import new_goal_form
from ui.goals.view import chosen_page, goals_table, review_table
from ui.i18n import t

LIST_PAGE, REVIEW_PAGE = "goals__page", "goals__review_page"

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Goals"))
show_flash()
tabs = [t("Goals"), t("Weekly review")]
may_set = actor.role != "rep"
if may_set:
    tabs.append(t("New goal"))
list_tab, review_tab, *new_tab = layout.tabs(tabs, key="goals__tab")
with list_tab:
    filters = goal_filters(actor, chosen, key="goals__filter_")
    found = runtime.cached(goal_list.list_page, filters=filters, page=chosen_page(LIST_PAGE))
    goals_table(found, key=LIST_PAGE)
with review_tab:
    st.caption(t("Running goals are reviewed weekly: a revision, or a review that keeps the "
                 "target, counts as one."))  # fmt: skip
    reviews = runtime.cached(goal_list.review_list, page=chosen_page(REVIEW_PAGE))
    review_table(reviews, key=REVIEW_PAGE)
if new_tab:
    with new_tab[0]:
        new_goal_form(actor, key="goals__new_")
