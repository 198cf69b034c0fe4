"""Selectboxes whose choice survives a language switch.

Their labels are translated, so each language gets a widget of its own; the choice itself is
kept under a plain key and handed to whichever widget is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from ui.i18n import current_locale

T = TypeVar("T")


def labels_now(options: Sequence[T], format_func: Callable[[T], str]) -> Callable[[T], str]:
    """`format_func`'s labels made now, in this run's language: Streamlit may format the
    options again later, outside the run, where the user's language is not known."""
    labels = {option: format_func(option) for option in options}
    return labels.__getitem__


def remembered_selectbox(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[Any], str],
    default: T | None = None,
) -> T:
    """A selectbox over `options` whose value is kept in `st.session_state[key]`."""
    widget_key = f"{key}__{current_locale()}"
    remembered = st.session_state.get(key, default)
    st.session_state[widget_key] = remembered if remembered in options else options[0]

    def remember() -> None:
        st.session_state[key] = st.session_state[widget_key]

    chosen = st.selectbox(
        label, options, key=widget_key, format_func=labels_now(options, format_func),
        on_change=remember,
    )  # fmt: skip
    st.session_state[key] = chosen
    return chosen
