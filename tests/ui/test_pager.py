"""ui/pager.py: Previous and Next turn the page through the callback, stop at either end,
show the caption between them and hand back the row's last column; labels in both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from services.i18n import translate
from tests.ui.conftest import piece

KEY = "list__"


def _paged_list(pages: int) -> None:
    import streamlit as st

    from ui.pager import pager

    def turn(new_page: int) -> None:
        st.session_state["page"] = new_page

    page = st.session_state.setdefault("page", 1)
    rest = pager(page, pages, key="list__", turn=turn, caption=f"Page {page} of {pages}")
    rest.text("page size box")


def _state(at: AppTest) -> tuple[str, bool, bool]:
    """The caption, and whether Previous and Next are disabled."""
    previous, following = at.button(key=f"{KEY}previous"), at.button(key=f"{KEY}next")
    return at.caption[0].value, previous.disabled, following.disabled


def test_the_buttons_turn_the_page_and_stop_at_either_end() -> None:
    at = piece(_paged_list, 3).run()
    assert _state(at) == ("Page 1 of 3", True, False)
    at.button(key=f"{KEY}next").click().run()
    assert _state(at) == ("Page 2 of 3", False, False)
    at.button(key=f"{KEY}next").click().run()
    assert _state(at) == ("Page 3 of 3", False, True)
    at.button(key=f"{KEY}previous").click().run()
    assert _state(at) == ("Page 2 of 3", False, False)
    assert not at.exception


def test_a_single_page_disables_both_and_the_last_column_is_the_caller_s() -> None:
    at = piece(_paged_list, 1).run()
    assert _state(at) == ("Page 1 of 1", True, True)
    [column] = [c for c in at.columns if any(text.value == "page size box" for text in c.text)]
    assert column is at.columns[-1]


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_labels_follow_the_language(locale: str) -> None:
    at = piece(_paged_list, 2, locale=locale).run()
    labels = [button.label for button in at.button]
    assert labels == [translate(locale, "Previous"), translate(locale, "Next")]
    if locale != "en":
        assert labels != ["Previous", "Next"]
