"""Every list's download, CSV and XLSX, built by one helper.

CSV is UTF-8 with a BOM so Excel opens Chinese text correctly. A text cell that a
spreadsheet would read as a formula (starting with = + - @, tab or carriage return) is
prefixed with an apostrophe, so a customer named `=HYPERLINK(...)` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import streamlit as st
from openpyxl import Workbook

from ui.i18n import t

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit on a sheet name.
SHEET_NAME_CHARS = 31


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for position, dtype in enumerate(frame.dtypes):
        # Only text can hold a formula: numeric columns are left alone, which is faster.
        if not pd.api.types.is_numeric_dtype(dtype):
            safe.isetitem(position, frame.iloc[:, position].map(neutralised))
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # CRLF rows, as RFC 4180 and Excel expect; it also makes the writer quote a cell holding a
    # lone carriage return, which would otherwise split its row in two.
    return _safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell(value: Any) -> Any:
    # openpyxl cannot write pandas' missing values (NaN, NaT, NA): an empty cell instead.
    if value is not None and not isinstance(value, str) and pd.isna(value):
        return None
    return neutralised(value)


def _sheet_rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    yield [str(name) for name in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        yield [_cell(value) for value in row]


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    # Write-only mode streams the rows: twice as fast as pandas' writer on large lists.
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet[:SHEET_NAME_CHARS])
    for row in _sheet_rows(frame):
        worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_buttons(build: Callable[[], pd.DataFrame], file_stem: str, key: str) -> None:
    """An Export button; once clicked, CSV and Excel downloads of `build()`'s frame.

    The frame is built only on request (a whole filtered list can be large), on the script
    thread so its labels are in the user's language; each file is written only when its
    button is clicked, on Streamlit's download thread, and a download does not rerun the page.
    """
    if not st.button(t("Export"), icon=":material/download:", key=f"{key}__prepare"):
        return
    frame = build()
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("Download CSV"),
        data=lambda: csv_bytes(frame),
        file_name=f"{file_stem}.csv",
        mime=CSV_MIME,
        on_click="ignore",
        key=f"{key}__csv",
    )
    right.download_button(
        t("Download Excel"),
        data=lambda: xlsx_bytes(frame, file_stem),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key=f"{key}__xlsx",
    )
