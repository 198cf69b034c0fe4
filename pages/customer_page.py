"""A customer: profile and tier, then contacts, deals, surveys and complaints, each with its add
form; `?new=1` adds a customer."""

import streamlit as st

from services.customers import records as customers
from services.customers import tiering
from ui import layout, runtime
from ui.customers.diary import timeline_section
from ui.customers.forms import edit_controls, new_customer_form
from ui.customers.profile import CUSTOMER_PAGE, profile, tier_explanation
from ui.customers.surveys_and_complaints import complaints_section, surveys_section
from ui.errors import attempt
from ui.feedback import show_flash
from ui.i18n import t
from ui.pipeline.deals import customer_deals_section
from ui.text import plain

st.title(t("Customer file"))
show_flash()
if st.query_params.get("new") == "1":
    new_customer_form()
    st.stop()
customer_id = st.query_params.get("id")
if customer_id is None or not customer_id.isdigit():
    st.page_link(
        CUSTOMER_PAGE, label=t("Add a customer"), query_params={"new": "1"}, icon=":material/add:"
    )
    text = st.text_input(t("Find a customer by name"), key="customer__search")
    found = runtime.call(customers.search, text) if text.strip() else []
    if text.strip() and not found:
        st.info(t("No customer matches."), icon=":material/search:")
    for found_id, name in found:
        st.page_link(CUSTOMER_PAGE, label=plain(name), query_params={"id": str(found_id)})
    st.stop()

loaded, customer = attempt(customers.get, int(customer_id))
if not loaded or customer is None:
    st.stop()
profile(customer)
tier_explanation(runtime.call(tiering.explain, customer.id))
edit_controls(customer)
timeline_tab, deals_tab, surveys_tab, complaints_tab = layout.tabs(
    [t("Contact timeline"), t("Deals"), t("Surveys"), t("Complaints")], key="customer__tab"
)
with timeline_tab:
    timeline_section(customer)
with deals_tab:
    customer_deals_section(customer)
with surveys_tab:
    surveys_section(customer)
with complaints_tab:
    complaints_section(customer)
