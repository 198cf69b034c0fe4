"""Repboard: page config, the login gate, navigation per role, the shared sidebar."""

import streamlit as st

from services.errors import DatabaseUnavailable
from ui import auth, edits, navigation, runtime, sidebar
from ui.errors import message
from ui.i18n import t

st.set_page_config(page_title="Repboard", page_icon="📈", layout="wide")

try:
    runtime.engine()
except DatabaseUnavailable as error:
    st.title(t("Repboard is not available"))
    st.error(message(error), icon="🛑")
    st.stop()

actor = auth.current_actor()
if actor is None:
    # Navigation is always declared, so no page can be reached around the login; the form
    # answers at every page's path, so a link keeps its page through the login.
    st.navigation(navigation.login_pages(), position="hidden").run()
    st.stop()

sidebar.render(actor)
# Every section open: collapsed, an admin's Users and My account hid behind Streamlit's
# "View 3 more", a button we cannot translate.
page = st.navigation(navigation.pages_for(actor, auth.must_change_password()), expanded=True)
edits.on_page(page.url_path)
page.run()
