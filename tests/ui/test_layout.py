"""ui/layout.py: the open tab and expander stay open when something above them changes."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from ui import layout

    if st.session_state.get("saved"):
        st.success("Saved.")  # what a save shows above the tabs
    first, second = layout.tabs(["One", "Two"], key="where")
    more = layout.expander("More", key="more")
    with second, more:
        st.button("Save", on_click=lambda: st.session_state.update(saved=True))
    st.text(f"open {first.open} {second.open} {more.open}")


def _open(at: AppTest) -> str:
    assert not at.exception, at.exception
    return at.text[-1].value


def test_the_chosen_tab_and_expander_stay_open_after_a_message_appears_above() -> None:
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert _open(at) == "open True False False"
    at.session_state["where"] = "Two"
    at.session_state["more"] = True
    assert _open(at.run()) == "open False True True"
    at.button[0].click().run()
    assert [message.value for message in at.success] == ["Saved."]
    assert _open(at) == "open False True True"
