"""ui.i18n: t() speaks the language kept in this browser session, English until one is set."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from services.i18n import translate
from ui.i18n import LOCALE_KEY, N_


def _speak() -> None:
    import streamlit as st

    from ui.i18n import current_locale, set_locale, t

    st.text(current_locale())
    st.text(t("Home"))
    st.text(t("Use at most {limit} characters.", limit=40))
    if st.button("中文"):
        set_locale("zh_CN")
        st.text(t("Home"))


def _texts(at: AppTest) -> list[str]:
    return [text.value for text in at.text]


def test_t_follows_the_session_s_language_from_the_moment_it_is_set() -> None:
    at = AppTest.from_function(_speak).run()
    assert _texts(at) == ["en", "Home", "Use at most 40 characters."]
    at.button[0].click().run()
    home = translate("zh_CN", "Home")
    # The switch applies within the run that made it, after the call.
    assert _texts(at) == ["en", "Home", "Use at most 40 characters.", home]
    # And it is kept for every later run of the session.
    at.run()
    assert _texts(at) == ["zh_CN", home, translate("zh_CN", "Use at most {limit} characters.",
                                                   limit=40)]  # fmt: skip
    assert at.session_state[LOCALE_KEY] == "zh_CN"


def test_each_browser_session_keeps_its_own_language() -> None:
    chinese = AppTest.from_function(_speak)
    chinese.session_state[LOCALE_KEY] = "zh_CN"
    assert _texts(chinese.run())[:2] == ["zh_CN", translate("zh_CN", "Home")]
    assert _texts(AppTest.from_function(_speak).run())[:2] == ["en", "Home"]


def test_n_marks_a_message_without_translating_it() -> None:
    assert N_("Home") == "Home" != translate("zh_CN", "Home")
