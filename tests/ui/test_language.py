"""ui.language.language_picker: shows the session's language, switches it at once, and hands
the choice to the caller's callback only when the user changes it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from services.i18n import translate
from ui.i18n import LOCALE_KEY

LABEL = "Language / 语言"


def _picker_page() -> None:
    import streamlit as st

    from ui.i18n import t
    from ui.language import language_picker

    def store(chosen: str) -> None:
        st.session_state.setdefault("stored", []).append(chosen)

    language_picker("picker", on_change=store)
    st.text(t("Home"))


def test_the_picker_names_each_language_in_itself_and_starts_at_the_session_s() -> None:
    at = AppTest.from_function(_picker_page)
    at.session_state[LOCALE_KEY] = "zh_CN"
    at.run()
    [picker] = at.selectbox
    assert picker.label == LABEL
    assert (picker.options, picker.value) == (["English", "简体中文"], "zh_CN")
    assert at.text[0].value == translate("zh_CN", "Home")


def test_choosing_a_language_applies_at_once_and_is_stored_once() -> None:
    at = AppTest.from_function(_picker_page).run()
    assert (at.selectbox[0].value, at.text[0].value) == ("en", "Home")
    at.selectbox[0].select("zh_CN").run()
    assert at.text[0].value == translate("zh_CN", "Home")
    assert (at.session_state[LOCALE_KEY], at.session_state["stored"]) == ("zh_CN", ["zh_CN"])
    # Reruns without a change call nobody.
    at.run()
    assert at.session_state["stored"] == ["zh_CN"]
    at.selectbox[0].select("en").run()
    assert (at.text[0].value, at.session_state["stored"]) == ("Home", ["zh_CN", "en"])


def test_a_language_set_elsewhere_shows_in_the_picker() -> None:
    at = AppTest.from_function(_picker_page).run()
    # Another widget (the sidebar's, a login) sets the language: the picker follows it.
    at.session_state[LOCALE_KEY] = "zh_CN"
    at.run()
    assert at.selectbox[0].value == "zh_CN"
    assert "stored" not in at.session_state
