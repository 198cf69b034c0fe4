"""The version a record had when the user opened it: what every edit form and action saves
against.

Pages read their records again on every rerun. Saving with the version of *that* read would
let a change someone made meanwhile be overwritten without a word, so the first version seen
on a page is kept until the user's own save succeeds, they press Reload, or they open another
page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from streamlit.errors import StreamlitAPIException

from services.errors import RepboardError, StaleEdit
from ui import runtime
from ui.errors import show
from ui.feedback import forget_form
from ui.i18n import t

R = TypeVar("R")
# A record as the forms know it: (table, id); settings are keyed by name.
Ref = tuple[str, int | str]

SEEN_KEY = "edits__seen"  # {Ref: version first seen}
PAGE_KEY = "edits__page"  # the page those versions were seen on


@dataclass(frozen=True)
class Opened:
    """A record as the user has it open: what a save is checked against."""

    ref: Ref
    version: int


def on_page(page: str) -> None:
    """Opening another page opens its records afresh: what was seen elsewhere is dropped."""
    if st.session_state.get(PAGE_KEY) != page:
        st.session_state[PAGE_KEY] = page
        st.session_state[SEEN_KEY] = {}


def opened(table: str, row_id: int | str, version: int) -> Opened:
    """Call where the record is shown, on every run: the version it had when this page first
    showed it (`version`, the one read now, if this is that time)."""
    seen: dict[Ref, int] = st.session_state.setdefault(SEEN_KEY, {})
    return Opened((table, row_id), seen.setdefault((table, row_id), version))


def refreshed(*refs: Ref) -> None:
    """After the user's own write (or Reload): the next read of these records is what they
    now have open. Writes that also change another record (a contact logged moves the
    customer's version) name it too."""
    seen: dict[Ref, int] = st.session_state.get(SEEN_KEY, {})
    for ref in refs:
        seen.pop(ref, None)


def _reload(ref: Ref, form_key: str | None) -> None:
    refreshed(ref)
    if form_key:
        forget_form(form_key)


def _offer_reload(ref: Ref, form_key: str | None) -> None:
    table, row_id = ref
    options: dict[str, Any] = {
        "key": f"edits__reload_{table}_{row_id}",
        "icon": ":material/refresh:",
        "on_click": _reload,
        "args": (ref, form_key),
    }
    try:
        st.button(t("Reload"), **options)
    except StreamlitAPIException:  # a form may only draw submit buttons
        st.form_submit_button(t("Reload"), **options)


def save(
    service: Callable[..., R],
    record: Opened,
    *,
    form_key: str | None = None,
    touches: Iterable[Ref] = (),
    **kwargs: Any,
) -> tuple[bool, R | None]:
    """Call `service(..., version=record.version, **kwargs)` for the logged-in user.

    A stale save is refused with the message and a Reload button (which also empties the
    form `form_key`); any other error is shown as a message. On success the record, and the
    other records the write `touches`, count as opened afresh. Returns (succeeded, result).
    """
    try:
        result = runtime.call(service, version=record.version, **kwargs)
    except StaleEdit as error:
        show(error)
        _offer_reload(record.ref, form_key)
        return False, None
    except RepboardError as error:
        show(error)
        return False, None
    refreshed(record.ref, *touches)
    return True, result
