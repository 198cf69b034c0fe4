"""My account: change my password (language is in the sidebar)."""

import streamlit as st

from services.people import account
from ui import auth
from ui.errors import attempt
from ui.feedback import flash, show_flash
from ui.i18n import t

st.title(t("My account"))
show_flash()
if auth.must_change_password():
    st.warning(t("An administrator reset your password. Choose a new one to continue."))

with st.form("account__password", clear_on_submit=True):
    st.subheader(t("Change password"))
    current = st.text_input(t("Current password"), type="password")
    new = st.text_input(
        t("New password"), type="password", help=t("8 to 64 characters, not your username.")
    )
    repeat = st.text_input(t("Repeat the new password"), type="password")
    submitted = st.form_submit_button(t("Change password"), type="primary")

if submitted:
    if new != repeat:
        st.error(t("The two new passwords do not match."), icon="⚠️")
    else:
        changed, _ = attempt(
            account.change_password, current=current, new=new, keep_token=auth.current_token()
        )
        if changed:
            flash(t("Your password was changed. Your other sessions were logged out."))
            st.rerun()
