"""My follow-ups: overdue, due today and coming up, each marked done in place."""

import streamlit as st

from services.customers import diary
from ui import runtime
from ui.customers.diary import follow_up_list, follow_up_rep
from ui.feedback import show_flash
from ui.i18n import t

st.title(t("My follow-ups"))
show_flash()
actor = runtime.current_actor()
rep_id = follow_up_rep(actor)
follow_ups = runtime.cached(diary.my_follow_ups, rep_id=rep_id)
show_rep = actor.role != "rep" and rep_id is None
follow_up_list(t("Overdue"), follow_ups.overdue, t("Nothing overdue."), show_rep=show_rep)
follow_up_list(t("Today"), follow_ups.today, t("Nothing due today."), show_rep=show_rep)
follow_up_list(
    t("Upcoming"),
    follow_ups.upcoming,
    t("Nothing planned for the next two weeks."),
    show_rep=show_rep,
)
