"""`t()`: every user-visible string goes through it, in the current user's language."""

from __future__ import annotations

import streamlit as st

from services.i18n import translate

LOCALE_KEY = "app__locale"
DEFAULT_LOCALE = "en"


def current_locale() -> str:
    return str(st.session_state.get(LOCALE_KEY, DEFAULT_LOCALE))


def set_locale(locale: str) -> None:
    st.session_state[LOCALE_KEY] = locale


def t(msgid: str, **params: object) -> str:
    return translate(current_locale(), msgid, **params)


def N_(msgid: str) -> str:  # noqa: N802 - gettext's "mark now, translate when shown"
    return msgid
