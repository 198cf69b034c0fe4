"""One goal (`?id=`): its progress against pace with the chart, the SMART check, history of
revisions and reviews, and the forms to revise, edit, check in and archive."""

import streamlit as st

from services.errors import RepboardError
from services.goals import listing as goal_list
from services.goals import smart as goal_smart
from ui import layout, runtime
from ui.errors import message
from ui.feedback import show_flash
from ui.goals import forms as goal_form
from ui.goals import labels
from ui.goals.view import GOAL_PAGE, history, progress_chart, progress_tiles, smart_marks
from ui.i18n import t
from ui.text import plain

st.title(t("Goal"))
show_flash()
try:
    goal_id = int(st.query_params.get("id", ""))
    goal = runtime.cached(goal_list.goal_progress, goal_id)
except ValueError:
    st.info(t("Open a goal from the goals list."), icon=":material/info:")
    st.page_link("pages/goals_page.py", label=t("Goals"), icon=":material/flag:")
    st.stop()
except RepboardError as error:
    st.error(message(error), icon="⚠️")
    st.stop()

st.subheader(plain(goal.title))
st.caption(" · ".join([plain(labels.owner(goal)), labels.metric_label(goal.metric_key),
                       labels.period_of(goal)]))  # fmt: skip
if goal.parent_id:
    st.page_link(
        GOAL_PAGE, label=t("Part of: {title}", title=plain(goal.parent_title)),
        query_params={"id": str(goal.parent_id)}, icon=":material/account_tree:",
    )  # fmt: skip
if goal.description:
    st.text(goal.description)
if goal.archived_at is not None:
    st.warning(t("This goal is archived."), icon=":material/archive:")

progress_tiles(goal)
chart_column, smart_column = st.columns([3, 2])
with chart_column:
    progress_chart(goal)
with smart_column:
    st.markdown(t("**SMART check**"))
    smart_marks(runtime.cached(goal_smart.check, goal_id), goal.metric_key)

tabs = [t("History")]
if goal.may_change:
    tabs += [t("Revise target"), t("Edit")]
if goal.may_check_in:
    tabs.append(t("Check-ins"))
history_tab, *others = layout.tabs(tabs, key="goal__tab")
with history_tab:
    history(goal)
if goal.may_change:
    with others.pop(0):
        goal_form.revise_form(goal, key="goal__revise_")
    with others.pop(0):
        goal_form.edit_form(goal, key="goal__edit_")
        goal_form.archive_button(goal, key="goal__")
if goal.may_check_in:
    with others.pop(0):
        goal_form.checkin_form(goal, key="goal__checkin_")
