"""How tall a table is: every row of its page shown, so the table never scrolls inside a box
while the page around it scrolls too."""

from __future__ import annotations

# Streamlit's dataframe rows and header are 35 px; its frame adds 3 px of border. Streamlit's
# own default ("auto") is this sum for at most ten rows.
ROW_HEIGHT = 35
BORDER = 3
# Beyond this many rows a list that is not paged scrolls inside its box after all: lists that
# long are paged (the largest page is 200 rows), so only an unpaged one can get there.
MOST_ROWS = 200


def table_height(rows: int, *, most: int = MOST_ROWS) -> int:
    """The height in pixels that shows the header and `rows` rows (at least one, the empty
    table's message; at most `most`)."""
    return ROW_HEIGHT * (min(max(rows, 1), most) + 1) + BORDER
