"""A success message that survives the rerun after a saved form."""

from __future__ import annotations

import streamlit as st

FLASH_KEY = "app__flash"


def flash(text: str) -> None:
    st.session_state[FLASH_KEY] = text


def show_flash() -> None:
    text = st.session_state.pop(FLASH_KEY, None)
    if text:
        st.success(text, icon="✅")


def forget_form(prefix: str) -> None:
    """Drop a form's widget values, so it shows empty after a save (but keeps them after a
    refused one, for the user to correct)."""
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]
