"""The sidebar every page shares: who is logged in, language, period, logout."""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from services.people import account
from ui import auth, period, runtime
from ui.i18n import N_, t
from ui.language import language_picker
from ui.text import plain

ROLE_LABELS = {"admin": N_("Administrator"), "manager": N_("Manager"), "rep": N_("Sales rep")}


def role_label(role: str) -> str:
    return t(ROLE_LABELS[role])


def _store_locale(locale: str) -> None:
    # A callback runs before app.py's login check: an ended session stores nothing.
    if auth.rechecked_actor() is not None:
        runtime.call(account.set_locale, locale=locale)


def render(actor: Actor) -> None:
    with st.sidebar:
        st.markdown(f"**{plain(actor.display_name)}**")
        st.caption(role_label(actor.role))
        language_picker(key="sidebar__language", on_change=_store_locale)
        period.picker()
        if st.button(t("Log out"), key="sidebar__logout", icon=":material/logout:"):
            auth.logout()
            st.rerun()
