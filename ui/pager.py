"""Previous and Next around "Page x of y": one pager for every paged list."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.i18n import t


def pager(
    page: int, pages: int, *, key: str, turn: Callable[[int], None], caption: str
) -> DeltaGenerator:
    """The buttons call `turn(new_page)` before the rerun. Returns the row's last column, for
    what a list adds there (a page-size box)."""
    previous, where, following, rest = st.columns([1, 2, 1, 3], vertical_alignment="center")
    previous.button(
        t("Previous"), icon=":material/chevron_left:", key=f"{key}previous",
        disabled=page <= 1, on_click=turn, args=(page - 1,),
    )  # fmt: skip
    where.caption(caption)
    following.button(
        t("Next"), icon=":material/chevron_right:", key=f"{key}next",
        disabled=page >= pages, on_click=turn, args=(page + 1,),
    )  # fmt: skip
    return rest
