"""Board mode: a full-screen leaderboard for an office screen that refreshes itself and
rotates through the chosen metrics; its link keeps the choice, so it survives a reload."""

import streamlit as st

from ui import runtime
from ui.i18n import t
from ui.performance import board as board_view

runtime.current_actor()

setup = board_view.from_url()
if setup is None:
    st.title(t("Board mode"))
    board_view.setup_form("board__setup")
else:
    board_view.show(setup)
