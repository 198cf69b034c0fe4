"""Tables: how tall one is (every row of its page shown, so the table never scrolls inside a
box while the page around it scrolls too), and a table whose rows open their record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

# Streamlit's dataframe rows and header are 35 px; its frame adds 3 px of border. Streamlit's
# own default ("auto") is this sum for at most ten rows.
ROW_HEIGHT = 35
BORDER = 3
# Beyond this many rows a list that is not paged scrolls inside its box after all: lists that
# long are paged (the largest page is 200 rows), so only an unpaged one can get there.
MOST_ROWS = 200
# The hidden column of an opening table that holds each row's record id.
ID_COLUMN = "_id"


def table_height(rows: int, *, most: int = MOST_ROWS) -> int:
    """The height in pixels that shows the header and `rows` rows (at least one, the empty
    table's message; at most `most`)."""
    return ROW_HEIGHT * (min(max(rows, 1), most) + 1) + BORDER


def opening_table(
    frame: pd.DataFrame, ids: Sequence[int], *, column: str, page: str, key: str, **options: Any
) -> None:
    """`frame` with one click on a cell of `column` opening `page?id=…` for that row, in this
    tab: a link column always opens a new tab, where the user may have to log in again.
    Each row's id travels with it, in the hidden column `ID_COLUMN`.
    The selection lives only as long as the table is drawn, so coming back starts afresh."""
    options["column_config"] = {**options.get("column_config", {}), ID_COLUMN: None}
    event = st.dataframe(
        frame.assign(**{ID_COLUMN: list(ids)}),
        key=key,
        on_select="rerun",
        selection_mode="single-cell",
        hide_index=True,
        width="stretch",
        height=table_height(len(frame)),
        **options,
    )
    for row, name in event.selection.cells:
        if name == column:
            st.switch_page(page, query_params={"id": str(ids[row])})
