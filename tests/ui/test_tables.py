"""ui/tables.py: a table is as tall as its header and rows, up to a cap; every st.dataframe
of the ui and the pages is sized by it; a click on a row's name opens its record."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.tables import BORDER, MOST_ROWS, ROW_HEIGHT, table_height

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rows", [1, 2, 10, 25, 50, 100, 200])
def test_the_height_shows_the_header_and_every_row(rows: int) -> None:
    assert table_height(rows) == ROW_HEIGHT * (rows + 1) + BORDER
    # One more row, one more row's height: nothing is left to scroll inside the box.
    assert table_height(rows + 1) - table_height(rows) == (ROW_HEIGHT if rows < MOST_ROWS else 0)


def test_streamlit_s_own_ten_row_default_is_the_same_sum() -> None:
    # Streamlit's "auto" height shows ten rows in 388 px: the same rows are as tall here.
    assert table_height(10) == 388


def test_an_empty_table_keeps_a_row_for_its_message() -> None:
    assert table_height(0) == table_height(1) == 2 * ROW_HEIGHT + BORDER


def test_the_height_stops_growing_at_the_cap() -> None:
    assert table_height(MOST_ROWS + 500) == table_height(MOST_ROWS)
    assert table_height(60, most=20) == table_height(20)


def _dataframe_calls_without_height() -> list[str]:
    missing = []
    for folder in ("ui", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "dataframe"
                    and not any(keyword.arg == "height" for keyword in node.keywords)
                ):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_table_of_the_app_is_sized() -> None:
    # Streamlit's default box holds ten rows and scrolls inside while the page scrolls too.
    assert _dataframe_calls_without_height() == []


def _opening_script() -> None:
    import pandas as pd
    import streamlit as st

    from ui.tables import opening_table

    frame = pd.DataFrame({"Name": ["Alpha", "Beta"], "Phone": ["1", "2"]})
    opening_table(frame, [41, 42], column="Name", page="pages/target.py", key="people")
    st.text("still the list")


@pytest.fixture
def opening(tmp_path: Path) -> AppTest:
    """The table in a script beside a `pages/` holding the page its rows open."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "target.py").write_text(
        "import streamlit as st\nst.text(f\"opened {st.query_params['id']}\")\n", encoding="utf-8"
    )
    script = tmp_path / "list.py"
    script.write_text(f"{inspect.getsource(_opening_script)}\n_opening_script()\n", "utf-8")
    at = AppTest.from_file(str(script), default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, row: int, column: str) -> AppTest:
    at.session_state["people"] = {
        "selection": {"rows": [], "columns": [], "cells": [(row, column)]}
    }
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_click_on_a_name_opens_that_rows_record_in_the_same_run(opening: AppTest) -> None:
    assert [text.value for text in _click(opening, 1, "Name").text] == ["opened 42"]


def test_a_click_on_another_column_stays_on_the_list(opening: AppTest) -> None:
    assert [text.value for text in _click(opening, 0, "Phone").text] == ["still the list"]
