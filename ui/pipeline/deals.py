"""Deals as tables and numbers: the paged list the pipeline and a customer's page share, the
stage board, the pipeline's headline numbers, the export, and a customer's deals tab."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from services import metrics
from services.customers.records import CustomerFile
from services.periods import Period
from services.pipeline import deals
from services.pipeline.deals import DealFilters, DealPage, DealRow
from services.pipeline.funnel import PipelineSummary
from ui import format as fmt
from ui import layout, runtime
from ui.export import download_buttons
from ui.i18n import t
from ui.pager import pager
from ui.pipeline.forms import add_deal_form, deal_actions, major_units
from ui.pipeline.labels import stage_label
from ui.tables import table_height


def _columns(rows: list[DealRow]) -> dict[str, list[Any]]:
    """The columns both the table and the export show, by translated header."""
    return {
        t("Deal"): [row.title for row in rows],
        t("Customer"): [row.customer_name for row in rows],
        t("Rep"): [row.rep_name for row in rows],
        t("Product"): [row.product or "" for row in rows],
        t("Stage"): [stage_label(row.stage) for row in rows],
    }


def _deal_table(rows: list[DealRow]) -> None:
    def day(value: date | None) -> str:
        return fmt.day(value) if value else ""

    currency = runtime.currency()
    table = _columns(rows) | {
        t("Amount"): [fmt.money(row.amount, currency, whole=True) for row in rows],
        t("Probability"): [fmt.percent(row.probability / 100) for row in rows],
        t("Expected close"): [day(row.expected_close_on) for row in rows],
        t("Closed"): [day(row.closed_on) for row in rows],
        t("Lost reason"): [row.lost_reason or "" for row in rows],
        t("Opened"): [fmt.moment(row.created_at) for row in rows],
    }
    st.dataframe(
        pd.DataFrame(table), hide_index=True, width="stretch", height=table_height(len(rows))
    )


def _export_frame(filters: DealFilters) -> pd.DataFrame:
    """Every deal the filters pick (up to the export limit); plain numbers and dates, so a
    spreadsheet can add them up."""
    rows = runtime.call(deals.export_rows, filters=filters)
    return pd.DataFrame(
        _columns(rows)
        | {
            t("Amount ({currency})", currency=runtime.currency()): [
                major_units(row.amount) for row in rows
            ],
            t("Probability (%)"): [row.probability for row in rows],
            t("Expected close"): [row.expected_close_on for row in rows],
            t("Closed"): [row.closed_on for row in rows],
            t("Lost reason"): [row.lost_reason or "" for row in rows],
            t("Opened"): [row.created_at.date() for row in rows],
        }
    )


def _turn(state_key: str, page: int) -> None:
    st.session_state[state_key]["page"] = page


def paged_deals(filters: DealFilters, *, key: str) -> DealPage:
    """One page of the deals the filters pick, with Previous and Next; a change of filters
    goes back to the first page."""
    state_key = f"{key}__page"
    state = st.session_state.get(state_key)
    if state is None or state["filters"] != filters:
        state = st.session_state[state_key] = {"filters": filters, "page": 1}
    page: DealPage = runtime.cached(deals.list_deals, filters=filters, page=state["page"])
    state["page"] = page.page
    if not page.rows:
        st.info(t("No deal matches."), icon=":material/search:")
        return page
    _deal_table(page.rows)
    caption = t(
        "Page {page} of {pages} · {total} deals",
        page=fmt.number(page.page), pages=fmt.number(page.pages), total=fmt.number(page.total),
    )  # fmt: skip
    pager(page.page, page.pages, key=f"{key}__", turn=partial(_turn, state_key), caption=caption)
    return page


def export(filters: DealFilters, total: int, *, key: str) -> None:
    """Export buttons for every deal the filters pick, saying so when there are too many."""
    if total > deals.EXPORT_LIMIT:
        st.caption(
            t(
                "The export holds the first {limit} of these deals; narrow the filters to "
                "export the others.",
                limit=fmt.number(deals.EXPORT_LIMIT),
            )
        )
    download_buttons(lambda: _export_frame(filters), "deals", key=f"{key}__export")


def pipeline_numbers(summary: PipelineSummary, chosen: Period) -> None:
    """Win rate and cycle (the registry's) over the period, and the open pipeline and deals
    open now that the filters pick, whatever the period."""
    win_rate, cycle = metrics.REGISTRY["win_rate"], metrics.REGISTRY["sales_cycle_days"]
    tiles = [
        (t(win_rate.label), fmt.metric_value(win_rate.unit, summary.win_rate),
         t(win_rate.description)),
        (t(cycle.label), fmt.metric_value(cycle.unit, summary.cycle_days), t(cycle.description)),
        # Short, with the full amount in its help.
        (t("Open pipeline"), *fmt.tile_value(metrics.Unit.MONEY, summary.open_amount)),
        (t("Open deals"), fmt.number(summary.open_deals), None),
    ]  # fmt: skip
    for column, (label, value, help_text) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, help=help_text, border=True)
    st.caption(
        t(
            "Win rate and average cycle count the deals the chosen reps closed in {period}, "
            "whatever their product.",
            period=fmt.period_label(chosen),
        )
    )
    st.caption(
        t(
            "Open pipeline and open deals count every deal open now, whenever it was opened: "
            "the period and the Dates box do not change them."
        )
    )


def stage_board(summary: PipelineSummary, chosen: Period) -> None:
    """How many deals each stage holds and what they are worth: the open stages now, won
    and lost in the period."""
    for column, total in zip(st.columns(len(summary.stages)), summary.stages, strict=True):
        with column:
            st.metric(stage_label(total.stage), fmt.number(total.deals), border=True)
            st.caption(fmt.money(total.amount, short=True))
    st.caption(
        t(
            "Lead to negotiation: every deal open now, whenever it was opened. Won and lost: "
            "the deals closed in {period}.",
            period=fmt.period_label(chosen),
        )
    )


def customer_deals_section(customer: CustomerFile) -> None:
    """The customer's deals (those of reps the user may see), a form to edit or move one,
    and one to add a deal."""
    st.subheader(t("Deals"))
    theirs = DealFilters(customer_id=customer.id)
    page = paged_deals(theirs, key="customer__deals")
    if page.rows:
        deal_actions(page.rows, key="customer__deals", within=theirs)
    if customer.archived_at is None:
        with layout.expander(t("Add a deal"), key="customer__deal_add_open", icon=":material/add:"):
            add_deal_form(key="customer__deal_add", customer=customer)
