"""The pages each role may open, built on every rerun for `st.navigation`."""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from ui.i18n import t


def pages_for(actor: Actor, must_change_password: bool) -> dict[str, list[st.Page]]:
    account = st.Page("pages/account.py", title=t("My account"), icon=":material/person:")
    if must_change_password:
        # Nothing else opens until the temporary password is replaced.
        return {t("You"): [account]}
    sections = {
        t("Overview"): [
            st.Page("pages/home.py", title=t("Home"), icon=":material/home:", default=True)
        ],
        t("You"): [account],
    }
    if actor.is_admin:
        sections[t("Admin")] = [
            st.Page("pages/admin_users.py", title=t("Users"), icon=":material/group:")
        ]
    return sections
