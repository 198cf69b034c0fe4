"""Deal forms: add a deal, edit one, move it to another stage (won asks for the close date
and amount, lost for the reason), archive it, and read its stage history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from services import settings
from services.customers import records as customers
from services.pipeline import deals
from services.pipeline.deals import DealFilters, DealRow
from ui import edits, layout, runtime
from ui import format as fmt
from ui.errors import attempt
from ui.feedback import flash
from ui.i18n import t
from ui.pipeline.labels import stage_label
from ui.tables import table_height
from ui.text import plain

MINOR_UNITS = 100
DEFAULT_PROBABILITY = 10
# The deal picker's search: how long a text it takes and how many deals it offers.
SEARCH_CHARS = 100
FOUND_DEALS = 20


def major_units(minor_units: int) -> Decimal:
    """Yuan from fen: what a user types and a spreadsheet adds up."""
    return Decimal(minor_units) / MINOR_UNITS


def _typed_amount(minor_units: int) -> str:
    """An amount as the user types it: major units, no grouping."""
    return f"{major_units(minor_units):f}"


def _amount_label() -> str:
    return t("Amount ({currency})", currency=runtime.currency())


def _rep_choices(current: tuple[int, str] | None = None) -> dict[int, str]:
    """Active reps the user may give a deal to; the deal's own rep stays choosable."""
    choices = dict(runtime.cached(customers.owner_choices))
    if current is not None and current[0] not in choices:
        choices = {current[0]: current[1]} | choices
    return choices


def _rep_box(label: str, choices: dict[int, str], default: int | None, key: str) -> Any:
    options = list(choices)
    return st.selectbox(
        label,
        options,
        index=options.index(default) if default in options else 0,
        format_func=choices.__getitem__,
        key=key,
    )


def _stage_box(label: str, stages: Sequence[str], key: str) -> Any:
    # Labels made now, in this run's language: Streamlit may format the options again
    # outside the run, where the user's language is not known.
    labels = {stage: stage_label(stage) for stage in stages}
    return st.selectbox(label, list(stages), format_func=labels.__getitem__, key=key)


def _customer_box(key: str) -> tuple[int, str] | None:
    """Find a customer by name; None until one matches."""
    text = st.text_input(t("Find the customer by name"), key=f"{key}__search")
    found = runtime.call(customers.search, text) if text.strip() else []
    if text.strip() and not found:
        st.info(t("No customer matches."), icon=":material/search:")
    if not found:
        return None
    names = dict(found)
    chosen = st.selectbox(t("Customer"), list(names), format_func=names.__getitem__, key=key)
    return chosen, names[chosen]


def add_deal_form(*, key: str, customer: customers.CustomerFile | None = None) -> None:
    """Add a deal for `customer`, or for a customer found by name first."""
    if customer is None:
        found = _customer_box(f"{key}__customer")
        if found is None:
            return
        customer_id, owner = found[0], None
    else:
        customer_id, owner = customer.id, customer.owner_rep_id
    actor = runtime.current_actor()
    reps = _rep_choices()
    if not reps:
        st.info(t("No active rep to give a deal to."), icon=":material/info:")
        return
    # Not cleared on submit: a refused form keeps what the user typed.
    with st.form(key):
        title = st.text_input(t("Title"), key=f"{key}__title")
        rep_id = _rep_box(t("Rep"), reps, actor.rep_id or owner, f"{key}__rep")
        product = st.text_input(t("Product"), key=f"{key}__product")
        amount = st.text_input(_amount_label(), value="0", key=f"{key}__amount")
        probability = st.number_input(
            t("Probability (%)"), 0, 100, DEFAULT_PROBABILITY, step=5, key=f"{key}__probability"
        )
        stage = _stage_box(t("Stage"), deals.OPEN_STAGES, f"{key}__stage")
        expected = st.date_input(
            t("Expected close"), value=None, format="YYYY-MM-DD", key=f"{key}__expected"
        )
        if st.form_submit_button(t("Add the deal"), type="primary"):
            data = {
                "customer_id": customer_id, "rep_id": rep_id, "title": title, "product": product,
                "amount": amount, "probability": probability, "stage": stage,
                "expected_close_on": expected,
            }  # fmt: skip
            added, deal = attempt(deals.create, data=data)
            if added and deal is not None:
                _forget(key)
                flash(t("The deal {title} was added.", title=plain(deal.title)))
                st.rerun()


def _forget(key: str) -> None:
    """Empty the form's fields after it was saved."""
    for name in [name for name in st.session_state if str(name).startswith(f"{key}__")]:
        del st.session_state[name]


def _saved(result: tuple[bool, Any], message: str) -> None:
    saved, deal = result
    if saved and deal is not None:
        flash(message)
        st.rerun()


def deal_actions(rows: list[DealRow], *, key: str, within: DealFilters) -> None:
    """Choose a deal, of the page shown or found by title or customer among every deal
    `within` covers, then move, edit or archive it, or read its history."""
    text = st.text_input(
        t("Find any deal"), key=f"{key}__find", max_chars=SEARCH_CHARS,
        placeholder=t("Title or customer; empty: the deals listed above"),
    )  # fmt: skip
    if text.strip():
        found = runtime.cached(
            deals.list_deals, filters=replace(within, search=text), page_size=FOUND_DEALS
        )
        rows = found.rows
        if not rows:
            st.info(t("No deal matches."), icon=":material/search_off:")
            return
    by_id = {row.id: row for row in rows}
    labels = {
        deal_id: f"{row.title} · {row.customer_name} · {stage_label(row.stage)}"
        for deal_id, row in by_id.items()
    }
    chosen = st.selectbox(
        t("Deal"), list(by_id), format_func=labels.__getitem__, key=f"{key}__chosen"
    )
    deal = by_id[chosen]
    record = edits.opened("deals", deal.id, deal.version)
    move_tab, edit_tab, history_tab = layout.tabs(
        [t("Move stage"), t("Edit"), t("Stage history")], key=f"{key}__tab"
    )
    with move_tab:
        _move_form(deal, record, key)
    with edit_tab:
        _edit_form(deal, record, key)
    with history_tab:
        _history(deal.id)


def _move_form(deal: DealRow, record: edits.Opened, key: str) -> None:
    prefix = f"{key}__move_{deal.id}_{record.version}"
    targets = [stage for stage in deals.STAGE_ORDER if stage != deal.stage]
    # Outside the form, so the fields below follow the stage chosen.
    stage = _stage_box(t("Move to"), targets, f"{prefix}__stage")
    today = runtime.call_anonymous(settings.office_today)
    with st.form(prefix):
        closed_on, amount, reason = None, None, None
        if stage in deals.CLOSED_STAGES:
            closed_on = st.date_input(
                t("Close date"), value=today, format="YYYY-MM-DD", key=f"{prefix}__closed"
            )
        if stage == deals.DealStage.WON:
            typed = st.text_input(
                _amount_label(), value=_typed_amount(deal.amount), key=f"{prefix}__amount"
            )
            # Left empty, it is no amount at all: the service asks for one above zero.
            amount = typed.strip() or "0"
        if stage == deals.DealStage.LOST:
            reason = st.text_input(
                t("Lost reason"), key=f"{prefix}__reason", placeholder=t("Price too high")
            )
        if st.form_submit_button(t("Move the deal"), type="primary"):
            result = edits.save(
                deals.move_stage, record, deal_id=deal.id, stage=stage, closed_on=closed_on,
                amount=amount, lost_reason=reason,
            )  # fmt: skip
            _saved(result, t("The deal was moved to {stage}.", stage=stage_label(stage)))


def _edit_form(deal: DealRow, record: edits.Opened, key: str) -> None:
    prefix = f"{key}__edit_{deal.id}_{record.version}"
    reps = _rep_choices((deal.rep_id, deal.rep_name))
    with st.form(prefix):
        title = st.text_input(t("Title"), value=deal.title, key=f"{prefix}__title")
        rep_id = _rep_box(t("Rep"), reps, deal.rep_id, f"{prefix}__rep")
        product = st.text_input(t("Product"), value=deal.product or "", key=f"{prefix}__product")
        amount = st.text_input(
            _amount_label(), value=_typed_amount(deal.amount), key=f"{prefix}__amount"
        )
        probability = st.number_input(
            t("Probability (%)"), 0, 100, deal.probability, step=5, key=f"{prefix}__probability"
        )
        expected = st.date_input(
            t("Expected close"), value=deal.expected_close_on, format="YYYY-MM-DD",
            key=f"{prefix}__expected",
        )  # fmt: skip
        if st.form_submit_button(t("Save changes"), type="primary"):
            data = {
                "customer_id": deal.customer_id, "rep_id": rep_id, "title": title,
                "product": product, "amount": amount, "probability": probability,
                "stage": deal.stage, "expected_close_on": expected,
                "closed_on": deal.closed_on, "lost_reason": deal.lost_reason,
            }  # fmt: skip
            result = edits.save(deals.update, record, deal_id=deal.id, data=data)
            _saved(result, t("Changes to the deal were saved."))
    st.caption(t("An archived deal leaves the pipeline and its numbers; its history stays."))
    if st.button(t("Archive the deal"), key=f"{prefix}__archive", icon=":material/archive:"):
        result = edits.save(deals.archive, record, deal_id=deal.id)
        _saved(result, t("The deal was archived."))


def _history(deal_id: int) -> None:
    moves = runtime.cached(deals.get, deal_id).history
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [fmt.moment(move.changed_at) for move in moves],
                t("From"): [stage_label(m.from_stage) if m.from_stage else "" for m in moves],
                t("To"): [stage_label(move.to_stage) for move in moves],
                t("By"): [move.changed_by or t("Imported") for move in moves],
            }
        ),
        hide_index=True,
        width="stretch",
        height=table_height(len(moves)),
    )
