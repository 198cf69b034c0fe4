"""Pipeline: the deals open now by stage and those won or lost in the period, the funnel
from the stage history of the deals the filters pick, win rate, cycle and lost reasons;
deals added, edited, moved and exported."""

import streamlit as st

from services.pipeline import funnel
from services.pipeline.deals import DealFilters
from ui import charts, layout, period, runtime
from ui import format as fmt
from ui.feedback import show_flash
from ui.i18n import t
from ui.pipeline.deals import export, paged_deals, pipeline_numbers, stage_board
from ui.pipeline.filters import ANY_DATE, DATED_LABELS, deal_filters
from ui.pipeline.forms import add_deal_form, deal_actions
from ui.pipeline.labels import stage_label

actor = runtime.current_actor()
chosen = period.current()

st.title(t("Pipeline"))
show_flash()
filters = deal_filters(actor, chosen)
summary = runtime.cached(funnel.summary, filters=filters, period=chosen)
pipeline_numbers(summary, chosen)

funnel_column, lost_column = st.columns(2)
with funnel_column:
    st.subheader(t("Funnel"))
    if summary.funnel[0].reached:
        st.altair_chart(charts.funnel(summary.funnel, stage_label), width="stretch")
    else:
        # All zeros would read as a broken chart: say why and what to change.
        st.info(
            t(
                "No deal matches these filters and dates; choose “{any_date}” under Dates to "
                "see every deal.",
                any_date=t(DATED_LABELS[ANY_DATE]),
            ),
            icon=":material/info:",
        )
    st.caption(
        t(
            "Each deal counts at every stage up to the furthest it reached, skipped ones "
            "included; the percentage is the share of the step before."
        )
    )
with lost_column:
    st.subheader(t("Lost reasons"))
    if summary.lost_reasons:
        st.altair_chart(charts.lost_reasons(summary.lost_reasons), width="stretch")
        st.caption(t("The deals lost in {period}.", period=fmt.period_label(chosen)))
    else:
        st.info(
            t("No deal was lost in {period}.", period=fmt.period_label(chosen)),
            icon=":material/info:",
        )

st.subheader(t("Deals by stage"))
stage_board(summary, chosen)
page = paged_deals(filters, key="pipeline__deals")
export(filters, page.total, key="pipeline")

edit_tab, add_tab = layout.tabs([t("Edit or move a deal"), t("Add a deal")], key="pipeline__tab")
with edit_tab:
    if page.rows:
        deal_actions(page.rows, key="pipeline__deals", within=DealFilters())
with add_tab:
    add_deal_form(key="pipeline__add")
