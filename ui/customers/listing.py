"""The customers list: the filter bar, one page of the table, the pager and the export frame.

The choices live under plain `customers__…` keys, so they survive a visit to another page,
and are mirrored in the link (`?tier=A&quiet=1&page=3`), so a filtered list can be shared
or bookmarked. A link that names a filter wins over the remembered ones; what it gets wrong
is left out and said so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from services.customers import listing
from services.customers.listing import (
    EXPORT_LIMIT,
    PAGE_SIZES,
    SORT_KEYS,
    CustomerFilters,
    CustomerRow,
    CustomerSort,
    CustomerStatus,
    FilterChoices,
    Tier,
)
from ui import format as fmt
from ui import runtime
from ui.choice import remembered_selectbox
from ui.customers.profile import CUSTOMER_PAGE, KIND_LABELS, STATUS_LABELS
from ui.export import download_buttons
from ui.i18n import N_, t
from ui.pager import pager as paged
from ui.tables import opening_table

PREFIX = "customers__"
# The link as this page last wrote it: a different one was opened from elsewhere.
LINK_KEY = f"{PREFIX}link"
# Filters, sort and page size of the last run: when they change, the list starts at page 1.
SIGNATURE_KEY = f"{PREFIX}signature"
PAGE_KEY = f"{PREFIX}page"
# Stands for "any" in a box: a None value would show Streamlit's empty placeholder.
ANY = ""
SORT_LABELS = {
    "name": N_("Name"), "tier": N_("Tier"), "owner": N_("Owner"),
    "last_contact": N_("Last contact"), "created": N_("Customer since"),
}  # fmt: skip
# State key (after the prefix) -> (name in the link, label the user knows it by).
PARAMS = {
    "search": ("q", N_("Search")),
    "tier": ("tier", N_("Tier")),
    "status": ("status", N_("Status")),
    "owner": ("owner", N_("Owner")),
    "industry": ("industry", N_("Industry")),
    "region": ("region", N_("Region")),
    "quiet": ("quiet", N_("Quiet")),
    "birthday": ("birthday", N_("Birthday this week")),
    "archived": ("archived", N_("Show archived")),
    "sort": ("sort", N_("Sort by")),
    "descending": ("desc", N_("Descending")),
    "page": ("page", N_("Page")),
    "page_size": ("size", N_("Rows per page")),
}
DEFAULTS: dict[str, Any] = {
    "search": "", "tier": ANY, "status": ANY, "owner": 0, "industry": ANY, "region": ANY,
    "quiet": False, "birthday": False, "archived": False, "sort": "name",
    "descending": False, "page": 1, "page_size": PAGE_SIZES[0],
}  # fmt: skip
FLAGS = ("1", "0")
SEARCH_CHARS = 200


@dataclass(frozen=True)
class ListRequest:
    filters: CustomerFilters
    sort: CustomerSort
    page: int
    page_size: int


def _state(name: str) -> Any:
    return st.session_state.get(PREFIX + name, DEFAULTS[name])


def _one_of(options: Any) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(text)
        return text

    return parse


def _flag(text: str) -> bool:
    return _one_of(FLAGS)(text) == "1"


def _page_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(text)
    return int(text)


def _parsers(choices: FilterChoices) -> dict[str, Callable[[str], Any]]:
    """How each link value is read; ValueError when it is not understood (or out of scope)."""
    owner_ids = {str(rep_id) for rep_id, _name in choices.owners}
    return {
        "search": lambda text: text.strip()[:SEARCH_CHARS],
        "tier": _one_of({tier.value for tier in Tier}),
        "status": _one_of({status.value for status in CustomerStatus}),
        "owner": lambda text: int(_one_of(owner_ids)(text)),
        "industry": _one_of(set(choices.industries)),
        "region": _one_of(set(choices.regions)),
        "quiet": _flag,
        "birthday": _flag,
        "archived": _flag,
        "sort": _one_of(SORT_KEYS),
        "descending": _flag,
        "page": _page_number,
        "page_size": lambda text: int(_one_of({str(size) for size in PAGE_SIZES})(text)),
    }


def _link_state() -> dict[str, str]:
    return {key: st.query_params[key] for key, _label in PARAMS.values() if key in st.query_params}


def _follow_link(choices: FilterChoices) -> None:
    """Take the filters of a link opened from elsewhere; warn about what it got wrong."""
    link = _link_state()
    if not link or link == st.session_state.get(LINK_KEY):
        return
    parsers, wrong = _parsers(choices), []
    for name, (key, label) in PARAMS.items():
        st.session_state.pop(f"{PREFIX}{name}__widget", None)
        st.session_state[PREFIX + name] = DEFAULTS[name]
        if key in link:
            try:
                st.session_state[PREFIX + name] = parsers[name](link[key])
            except ValueError:
                wrong.append(t(label))
    # The link's page stands: the changed filters must not send the list back to page 1.
    st.session_state.pop(SIGNATURE_KEY, None)
    if wrong:
        st.warning(
            t("Parts of the link were not understood and were left out: {parts}.",
              parts=", ".join(wrong)),
            icon=":material/link_off:",
        )  # fmt: skip


def _write_link() -> None:
    link = {
        key: str(int(value) if isinstance(value, bool) else value)
        for name, (key, _label) in PARAMS.items()
        if (value := _state(name)) != DEFAULTS[name]
    }
    if link != _link_state():
        # Only this list's keys: the sidebar keeps its period in the link too.
        for key, _label in PARAMS.values():
            st.query_params.pop(key, None)
        st.query_params.update(link)
    st.session_state[LINK_KEY] = link


def _remembered(widget: Callable[..., Any], label: str, name: str, **options: Any) -> Any:
    """A text box or toggle whose value is kept under the plain key after a page change."""
    widget_key = f"{PREFIX}{name}__widget"
    if widget_key not in st.session_state:
        st.session_state[widget_key] = _state(name)
    value = widget(label, key=widget_key, **options)
    st.session_state[PREFIX + name] = value
    return value


def _box(label: str, name: str, options: list[Any], labels: dict[Any, str]) -> Any:
    return remembered_selectbox(
        label, options, key=PREFIX + name, format_func=labels.__getitem__, default=DEFAULTS[name]
    )


def _filter_boxes(choices: FilterChoices) -> None:
    any_label = t("Any")
    tier, status, owner, industry = st.columns(4)
    with tier:
        _box(t("Tier"), "tier", [ANY, *Tier], {ANY: any_label, **{x: x.value for x in Tier}})
    with status:
        statuses = {ANY: any_label, **_translated(STATUS_LABELS)}
        _box(t("Status"), "status", list(statuses), statuses)
    if len(choices.owners) > 1:  # A rep owns only their own customers: no box for them.
        with owner:
            owners = {0: any_label, **dict(choices.owners)}
            _box(t("Owner"), "owner", list(owners), owners)
    with industry:
        industries = {ANY: any_label, **{name: name for name in choices.industries}}
        _box(t("Industry"), "industry", list(industries), industries)
    region, sort, descending, _ = st.columns(4)
    with region:
        regions = {ANY: any_label, **{name: name for name in choices.regions}}
        _box(t("Region"), "region", list(regions), regions)
    with sort:
        sorts = {key: t(label) for key, label in SORT_LABELS.items()}
        _box(t("Sort by"), "sort", list(sorts), sorts)
    with descending:
        _remembered(st.toggle, t("Descending"), "descending")


def _toggles() -> None:
    quiet, birthday, archived = st.columns(3)
    with quiet:
        _remembered(
            st.toggle, t("Quiet"), "quiet", help=t("Not contacted within its tier's interval.")
        )
    with birthday:
        _remembered(st.toggle, t("Birthday this week"), "birthday")
    with archived:
        _remembered(st.toggle, t("Show archived"), "archived")


def list_request(choices: FilterChoices) -> ListRequest:
    """Show the filter bar; the filters, sort and page the list is asked for."""
    _follow_link(choices)
    _remembered(
        st.text_input,
        t("Search"),
        "search",
        placeholder=t("Name, contact or phone"),
        max_chars=SEARCH_CHARS,
    )
    _filter_boxes(choices)
    _toggles()
    filters = CustomerFilters(
        search=_state("search"),
        tier=Tier(_state("tier")) if _state("tier") else None,
        status=CustomerStatus(_state("status")) if _state("status") else None,
        owner_rep_id=_state("owner") or None,
        industry=_state("industry") or None,
        region=_state("region") or None,
        quiet=_state("quiet"),
        birthday_soon=_state("birthday"),
        with_archived=_state("archived"),
    )
    sort = CustomerSort(_state("sort"), _state("descending"))
    signature = (filters, sort, _state("page_size"))
    if st.session_state.get(SIGNATURE_KEY, signature) != signature:
        st.session_state[PAGE_KEY] = 1
    st.session_state[SIGNATURE_KEY] = signature
    return ListRequest(filters, sort, _state("page"), _state("page_size"))


def load_page(request: ListRequest) -> tuple[list[CustomerRow], int, int, int]:
    """The rows of the asked page, the total, and the page (within the list) of how many.

    A page past the end (the list shrank, a link asked for it) becomes the last one.
    """
    rows, total = _page_rows(request, request.page)
    pages = max(1, -(-total // request.page_size))
    page = min(request.page, pages)
    if page != request.page:
        rows, total = _page_rows(request, page)
    st.session_state[PAGE_KEY] = page
    _write_link()
    return rows, total, page, pages


def _page_rows(request: ListRequest, page: int) -> tuple[list[CustomerRow], int]:
    return runtime.cached(
        listing.list_customers,
        filters=request.filters,
        sort=request.sort,
        page=page,
        page_size=request.page_size,
    )


def _translated(labels: dict[str, str]) -> dict[str, str]:
    return {key: t(label) for key, label in labels.items()}


def customer_table(rows: list[CustomerRow], total: int, with_archived: bool) -> None:
    if not rows:
        st.info(t("No customer matches these filters."), icon=":material/search_off:")
        return
    st.caption(t("{count} customers: click a name to open it.", count=fmt.number(total)))
    statuses = _translated(STATUS_LABELS)
    columns = {
        t("Name"): [row.name for row in rows],
        t("Contact"): [row.contact_name or "" for row in rows],
        t("Phone"): [row.phone or "" for row in rows],
        t("Tier"): [row.tier or fmt.MISSING for row in rows],
        t("Status"): [statuses[row.status] for row in rows],
        t("Owner"): [row.owner for row in rows],
        t("Industry"): [row.industry or "" for row in rows],
        t("Region"): [row.region or "" for row in rows],
        t("Last contact"): [fmt.day(row.last_contact_on) for row in rows],
        t("Customer since"): [fmt.day(row.created_on) for row in rows],
    }
    if with_archived:
        columns[t("Archived")] = [row.archived_at is not None for row in rows]
    opening_table(
        pd.DataFrame(columns),
        [row.id for row in rows],
        column=t("Name"),
        page=CUSTOMER_PAGE,
        key=f"{PREFIX}table",
    )


def _go_to(page: int) -> None:
    st.session_state[PAGE_KEY] = page


def pager(page: int, pages: int) -> None:
    """Page x of y with previous and next, and the page size."""
    caption = t("Page {page} of {pages}", page=fmt.number(page), pages=fmt.number(pages))
    with paged(page, pages, key=PREFIX, turn=_go_to, caption=caption):
        _box(t("Rows per page"), "page_size", list(PAGE_SIZES), {n: str(n) for n in PAGE_SIZES})


def export_frame(rows: list[CustomerRow], with_archived: bool) -> pd.DataFrame:
    """The filtered list as a download: raw dates, labels in the user's language."""
    statuses, kinds = _translated(STATUS_LABELS), _translated(KIND_LABELS)
    columns = {
        t("Name"): [row.name for row in rows],
        t("Kind"): [kinds[row.kind] for row in rows],
        t("Contact"): [row.contact_name for row in rows],
        t("Phone"): [row.phone for row in rows],
        t("Email"): [row.email for row in rows],
        t("Tier"): [row.tier for row in rows],
        t("Status"): [statuses[row.status] for row in rows],
        t("Owner"): [row.owner for row in rows],
        t("Industry"): [row.industry for row in rows],
        t("Region"): [row.region for row in rows],
        t("City"): [row.city for row in rows],
        t("Last contact"): [row.last_contact_on for row in rows],
        t("Customer since"): [row.created_on for row in rows],
    }
    if with_archived:
        columns[t("Archived")] = [row.archived_at is not None for row in rows]
    return pd.DataFrame(columns)


def export(request: ListRequest, total: int) -> None:
    """The Export button and its downloads: every filtered customer, up to EXPORT_LIMIT."""
    if total > EXPORT_LIMIT:
        st.caption(
            t("The export holds the first {limit} of these customers; narrow the filters "
              "to export the others.", limit=fmt.number(EXPORT_LIMIT))
        )  # fmt: skip

    def build() -> pd.DataFrame:
        rows = runtime.call(listing.export_rows, filters=request.filters, sort=request.sort)
        return export_frame(rows, request.filters.with_archived)

    download_buttons(build, "customers", key=f"{PREFIX}export")
