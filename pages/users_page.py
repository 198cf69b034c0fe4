"""Admin → Users: every account, and forms to add, edit, deactivate and reset."""

import pandas as pd
import streamlit as st

from services.people import users
from ui import format as fmt
from ui import layout, runtime
from ui.feedback import show_flash
from ui.i18n import t
from ui.language import LANGUAGES
from ui.people.users import create_form, edit_form
from ui.sidebar import role_label
from ui.tables import table_height

st.title(t("Users"))
show_flash()

all_users = runtime.call(users.list_users)
reps = runtime.call(users.rep_choices)

table = pd.DataFrame(
    {
        t("Username"): [u.username for u in all_users],
        t("Display name"): [u.display_name for u in all_users],
        t("Role"): [role_label(u.role) for u in all_users],
        t("Linked rep"): [u.rep_name or "" for u in all_users],
        t("Language"): [LANGUAGES[u.locale] for u in all_users],
        t("Account active"): [u.active for u in all_users],
        t("Must change password"): [u.must_change_password for u in all_users],
        t("Locked until"): [fmt.moment(u.locked_until) if u.locked else "" for u in all_users],
    }
)
st.dataframe(table, hide_index=True, width="stretch", height=table_height(len(table)))

tab_edit, tab_add = layout.tabs([t("Edit a user"), t("Add a user")], key="users__tab")
with tab_edit:
    by_id = {u.id: u for u in all_users}
    chosen = st.selectbox(
        t("User"),
        list(by_id),
        format_func=lambda user_id: f"{by_id[user_id].username} · {by_id[user_id].display_name}",
        key="users__selected_id",
    )
    if chosen is not None:
        edit_form(by_id[chosen], reps)
with tab_add:
    create_form(reps)
