"""Tabs and expanders that keep their place across reruns.

Unkeyed, Streamlit draws them afresh (the first tab, closed) whenever what stands above them
changes, as a save's message does: after adding a deal the customer page jumped back to its
first tab. Keyed and tracked, the open tab or expander is kept in the session under `key`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def tabs(labels: Sequence[str], *, key: str) -> Sequence[DeltaGenerator]:
    return st.tabs(labels, key=key, on_change="rerun")


def expander(label: str, *, key: str, icon: str | None = None) -> DeltaGenerator:
    return st.expander(label, key=key, icon=icon, on_change="rerun")
