"""Satisfaction surveys and complaints on the customer page, each with its add form."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from services import settings
from services.customers import complaints, surveys
from services.customers.complaints import ComplaintRow
from services.customers.records import CustomerFile
from ui import edits, layout, runtime
from ui import format as fmt
from ui.errors import attempt
from ui.feedback import flash, forget_form
from ui.i18n import N_, t
from ui.tables import table_height
from ui.text import plain

NPS_ANSWERS: list[int | None] = [None, *range(11)]
# Stored as the English key, shown translated; an imported category outside the list shows as is.
CATEGORY_LABELS = {
    "Delivery": N_("Delivery"), "Quality": N_("Quality"), "Billing": N_("Billing"),
    "Service": N_("Service"), "Other": N_("Other"),
}  # fmt: skip
SEVERITY_LABELS = {
    "low": N_("Low"), "medium": N_("Medium"), "high": N_("High"), "critical": N_("Critical"),
}  # fmt: skip
STATUS_LABELS = {
    "open": N_("Open, not started"), "in_progress": N_("In progress"), "resolved": N_("Resolved"),
}  # fmt: skip


def _today() -> date:
    return runtime.call_anonymous(settings.office_today)


def _category(category: str) -> str:
    return t(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else category


def _labels(msgids: dict[str, str]) -> dict[str, str]:
    # Made now, in this run's language: Streamlit may format options later, outside the run.
    return {value: t(msgid) for value, msgid in msgids.items()}


# ---- Surveys ----


def surveys_section(customer: CustomerFile) -> None:
    st.subheader(t("Surveys"))
    if customer.archived_at is None:
        with layout.expander(
            t("Add a survey"), key="customer__survey_open", icon=":material/add_reaction:"
        ):
            _survey_form(customer)
    found = runtime.call(surveys.list_for_customer, customer_id=customer.id)
    if not found:
        st.info(t("No survey yet."), icon=":material/sentiment_neutral:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("Date"): [fmt.day(survey.surveyed_on) for survey in found],
                t("Score"): [survey.score for survey in found],
                t("NPS"): ["" if survey.nps is None else str(survey.nps) for survey in found],
                t("Comment"): [survey.comment or "" for survey in found],
                t("Rep"): [survey.rep_name for survey in found],
            }
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(found)),
    )


def _survey_form(customer: CustomerFile) -> None:
    prefix = f"customer__survey_{customer.id}_"
    st.session_state.setdefault(f"{prefix}day", _today())
    no_answer = t("No answer")
    with st.form(f"{prefix}form"):
        left, middle, right = st.columns(3)
        day = left.date_input(t("Date"), key=f"{prefix}day", format="YYYY-MM-DD")
        score = middle.number_input(
            t("Satisfaction score (1–5)"), min_value=1, max_value=5, value=4, key=f"{prefix}score"
        )
        nps = right.selectbox(
            t("Would recommend us (NPS, 0–10)"),
            NPS_ANSWERS,
            format_func=lambda answer: no_answer if answer is None else str(answer),
            key=f"{prefix}nps",
        )
        comment = st.text_area(t("Comment"), key=f"{prefix}comment")
        if not st.form_submit_button(t("Add survey"), type="primary"):
            return
    data = {"surveyed_on": day, "score": score, "nps": nps, "comment": comment}
    if attempt(surveys.add_survey, customer_id=customer.id, data=data)[0]:
        forget_form(prefix)
        flash(t("The survey was added."))
        st.rerun()


# ---- Complaints ----


def complaints_section(customer: CustomerFile) -> None:
    st.subheader(t("Complaints"))
    today = _today()
    if customer.archived_at is None:
        with layout.expander(
            t("Open a complaint"), key="customer__complaint_open", icon=":material/report:"
        ):
            _complaint_form(customer, today)
    found = runtime.call(complaints.list_for_customer, customer_id=customer.id)
    if not found:
        st.info(t("No complaint on file."), icon=":material/sentiment_satisfied:")
        return
    _complaints_table(found)
    for complaint in found:
        if complaint.status != "resolved":
            _complaint_actions(complaint, today)


def _complaints_table(found: list[ComplaintRow]) -> None:
    statuses, severities = _labels(STATUS_LABELS), _labels(SEVERITY_LABELS)
    past_sla = t("Past SLA")
    st.dataframe(
        pd.DataFrame(
            {
                t("Opened"): [fmt.day(c.opened_on) for c in found],
                t("Category"): [_category(c.category) for c in found],
                t("Severity"): [severities[c.severity] for c in found],
                t("Status"): [statuses[c.status] for c in found],
                t("Due by"): [fmt.day(c.due_on) for c in found],
                t("SLA"): [past_sla if c.past_sla else "" for c in found],
                t("Description"): [c.description for c in found],
                t("Resolved"): [fmt.day(c.resolved_on) if c.resolved_on else "" for c in found],
                t("Resolution"): [c.resolution or "" for c in found],
            }
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(found)),
    )


def _complaint_form(customer: CustomerFile, today: date) -> None:
    prefix = f"customer__complaint_{customer.id}_"
    st.session_state.setdefault(f"{prefix}day", today)
    categories, severities = _labels(CATEGORY_LABELS), _labels(SEVERITY_LABELS)
    with st.form(f"{prefix}form"):
        left, middle, right = st.columns(3)
        day = left.date_input(t("Opened"), key=f"{prefix}day", format="YYYY-MM-DD")
        category = middle.selectbox(
            t("Category"), list(categories), format_func=categories.__getitem__, key=f"{prefix}cat"
        )
        severity = right.selectbox(
            t("Severity"),
            list(severities),
            format_func=severities.__getitem__,
            key=f"{prefix}severity",
            help=t("The SLA days of the severity set the due date."),
        )
        description = st.text_area(t("Description"), key=f"{prefix}description")
        if not st.form_submit_button(t("Open complaint"), type="primary"):
            return
    data = {
        "opened_on": day,
        "category": category,
        "severity": severity,
        "description": description,
    }
    if attempt(complaints.open_complaint, customer_id=customer.id, data=data)[0]:
        forget_form(prefix)
        flash(t("The complaint was opened."))
        st.rerun()


def _complaint_actions(complaint: ComplaintRow, today: date) -> None:
    """Start (when open) and resolve one unresolved complaint."""
    prefix = f"customer__resolve_{complaint.id}_"
    title = t(
        "{category} complaint opened {day}",
        category=_category(complaint.category),
        day=fmt.day(complaint.opened_on),
    )
    record = edits.opened("complaints", complaint.id, complaint.version)
    with layout.expander(plain(title), key=f"{prefix}open", icon=":material/build:"):
        st.caption(plain(complaint.description))
        if complaint.status == "open" and st.button(
            t("Start work on it"), key=f"{prefix}start", icon=":material/play_arrow:"
        ):
            started, _ = edits.save(complaints.start_complaint, record, complaint_id=complaint.id)
            if started:
                flash(t("The complaint is in progress."))
                st.rerun()
        st.session_state.setdefault(f"{prefix}day", today)
        with st.form(f"{prefix}form"):
            day = st.date_input(t("Resolved on"), key=f"{prefix}day", format="YYYY-MM-DD")
            resolution = st.text_area(t("Resolution"), key=f"{prefix}text")
            if not st.form_submit_button(t("Resolve"), type="primary"):
                return
        data = {"resolved_on": day, "resolution": resolution}
        resolved, _ = edits.save(
            complaints.resolve_complaint,
            record,
            complaint_id=complaint.id,
            data=data,
            form_key=prefix,
        )
        if resolved:
            forget_form(prefix)
            flash(t("The complaint was resolved."))
            st.rerun()
