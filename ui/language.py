"""The language switch: English or 简体中文."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.i18n import current_locale, set_locale

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


def language_picker(key: str, on_change: Callable[[str], None] | None = None) -> None:
    """A language selector; the choice applies at once and `on_change` may store it."""

    def changed() -> None:
        chosen = st.session_state[key]
        set_locale(chosen)
        if on_change is not None:
            on_change(chosen)

    st.session_state[key] = current_locale()
    st.selectbox(
        "Language / 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=key,
        on_change=changed,
    )
