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
