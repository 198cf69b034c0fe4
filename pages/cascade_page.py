"""The goal cascade: pick a top goal of the period and see the tree below it, each goal's
target, actual and attainment, and whether the children's targets cover it."""

import streamlit as st

from services.goals import cascade
from ui import period, runtime
from ui.choice import remembered_selectbox
from ui.goals import labels
from ui.goals.view import cascade_table
from ui.i18n import t

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Goal cascade"))
roots = runtime.cached(cascade.roots, period=chosen)
if not roots:
    st.info(t("No goals in this period. Choose another period in the sidebar."),
            icon=":material/info:")  # fmt: skip
    st.stop()
by_id = {row.id: row for row in roots}
root_id = remembered_selectbox(
    t("Top goal"), list(by_id), key="cascade__root",
    format_func=lambda goal_id: f"{by_id[goal_id].title} · {labels.owner(by_id[goal_id])}",
)  # fmt: skip
cascade_table(runtime.cached(cascade.tree, root_id))
st.caption(t("Children's targets of sums and counts are added up and compared with the "
             "parent's; ratios and averages are not summed. Goals you may not open are "
             "counted but not shown."))  # fmt: skip
