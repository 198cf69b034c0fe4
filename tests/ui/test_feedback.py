"""ui.feedback: a flash shows on the rerun after a save, once; forget_form empties only the
form it names."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.feedback import FLASH_KEY


def _saving_form() -> None:
    import streamlit as st

    from ui.feedback import flash, forget_form, show_flash

    show_flash()
    st.text_input("Name", key="form__name")
    st.text_input("Search", key="other__search")
    if st.button("Save"):
        flash("Saved Acme.")
        forget_form("form__")
        st.rerun()


def _successes(at: AppTest) -> list[tuple[str, str]]:
    return [(success.value, success.icon) for success in at.success]


def test_a_flash_survives_the_save_s_rerun_and_is_shown_once() -> None:
    at = AppTest.from_function(_saving_form).run()
    assert _successes(at) == []
    at.text_input[0].input("Acme")
    at.button[0].click().run()
    # The click's run ended in st.rerun(): the rerun shows the flash.
    assert _successes(at) == [("Saved Acme.", "✅")]
    assert FLASH_KEY not in at.session_state
    at.run()
    assert _successes(at) == []


def test_after_a_save_only_the_saved_form_is_emptied() -> None:
    at = AppTest.from_function(_saving_form).run()
    at.text_input[0].input("Acme")
    at.text_input[1].input("east")
    at.button[0].click().run()
    assert [box.value for box in at.text_input] == ["", "east"]
    assert at.session_state["other__search"] == "east"
