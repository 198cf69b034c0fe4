"""The one export helper: formulas neutralised, Excel-friendly CSV, XLSX cells kept as text."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from ui.export import csv_bytes, neutralised, xlsx_bytes

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert neutralised(text) == f"'{text}"


@pytest.mark.parametrize("value", ["Acme", "张三", "a=b", " =1", "", None, -5, 3.5])
def test_other_values_are_left_alone(value: object) -> None:
    assert neutralised(value) == value


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "名称": [*DANGEROUS, "北京聚力商贸", "<script>alert(1)</script>", None],
            "Deals": [1, 2, 3, 4, 5, 6, 7, 8, -9],
            "Since": [date(2026, 1, 2)] * 8 + [None],
        }
    )


def test_csv_starts_with_a_bom_and_round_trips_chinese_and_escaped_cells() -> None:
    data = csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["名称", "Deals", "Since"]
    assert [row[0] for row in rows[1:]] == [
        *(f"'{text}" for text in DANGEROUS), "北京聚力商贸", "<script>alert(1)</script>", "",
    ]  # fmt: skip
    # Numbers stay numbers, even negative ones; a carriage return does not split a row.
    assert [row[1] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6", "7", "8", "-9"]
    assert len(rows) == 10
    assert rows[1][2] == "2026-01-02"


def test_xlsx_opens_and_every_text_cell_is_text() -> None:
    sheet = load_workbook(
        io.BytesIO(xlsx_bytes(_frame(), "Customers and more than 31 chars"))
    ).active
    assert sheet is not None
    assert sheet.title == "Customers and more than 31 char"
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == ["名称", "Deals", "Since"]
    names = [row[0] for row in rows[1:]]
    # An XML reader gives a carriage return back as a line feed.
    assert [cell.value for cell in names] == [
        *(f"'{text}".replace("\r", "\n") for text in DANGEROUS),
        "北京聚力商贸", "<script>alert(1)</script>", None,
    ]  # fmt: skip
    assert {cell.data_type for cell in names[:-1]} == {"s"}
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert [row[1].value for row in rows[1:]] == [1, 2, 3, 4, 5, 6, 7, 8, -9]
    assert rows[1][2].value.date() == date(2026, 1, 2)
    assert rows[9][2].value is None
