"""Customers: search, filter, sort and page through the customers in scope, and export them."""

import streamlit as st

from services.customers import listing as customer_list
from ui import runtime
from ui.customers import listing as view
from ui.customers.profile import CUSTOMER_PAGE
from ui.feedback import show_flash
from ui.i18n import t

st.title(t("Customers"))
show_flash()
st.page_link(
    CUSTOMER_PAGE,
    label=t("Add a customer"),
    query_params={"new": "1"},
    icon=":material/add:",
)

choices = runtime.cached(customer_list.filter_choices)
request = view.list_request(choices)
rows, total, page, pages = view.load_page(request)
view.customer_table(rows, total, request.filters.with_archived)
if total:
    view.pager(page, pages)
    view.export(request, total)
