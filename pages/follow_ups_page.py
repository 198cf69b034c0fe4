"""Follow-ups: overdue, due today and coming up, each a paged list whose rows are marked done
or moved to another day in place. A rep's own; a manager or admin picks a rep or all."""

import streamlit as st

from services.customers.follow_ups import DUES
from ui import runtime
from ui.customers.follow_ups import follow_up_rep, follow_up_section, follow_ups_title
from ui.feedback import show_flash

actor = runtime.current_actor()
st.title(follow_ups_title(actor))
show_flash()
rep_id = follow_up_rep(actor)
for due in DUES:
    follow_up_section(due, rep_id, show_rep=actor.role != "rep" and rep_id is None)
