"""A customer: profile and contact timeline; Home's attention list links here."""

import streamlit as st

from services import customers
from ui import runtime
from ui.customer_view import contact_timeline, profile
from ui.errors import attempt
from ui.i18n import t

st.title(t("Customer"))
customer_id = st.query_params.get("id")
if customer_id is None or not customer_id.isdigit():
    text = st.text_input(t("Find a customer by name"), key="customer__search")
    found = runtime.call(customers.search, text) if text.strip() else []
    if text.strip() and not found:
        st.info(t("No customer matches."), icon=":material/search:")
    for found_id, name in found:
        st.page_link("pages/customer_page.py", label=name, query_params={"id": str(found_id)})
    st.stop()

loaded, customer = attempt(customers.get, int(customer_id))
if not loaded or customer is None:
    st.stop()
profile(customer)
contact_timeline(runtime.call(customers.timeline, int(customer_id)))
