"""The pipeline's filters: team, rep, product, stage, and which day puts a deal in the period
(for the funnel and the list; the open pipeline and the stage board do not follow it)."""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from services.people import reps
from services.periods import Period
from services.pipeline import deals
from services.pipeline.deals import DatedBy, DealFilters
from ui import format as fmt
from ui import runtime, scope
from ui.choice import remembered_selectbox
from ui.i18n import N_, t
from ui.pipeline.labels import stage_label

# Stands for "no filter" in a box (a None value would show Streamlit's empty placeholder).
EVERY = ""
ALL_REPS = 0
ANY_DATE = "any"
DATED_LABELS = {
    DatedBy.CREATED: N_("Opened in the period"),
    DatedBy.CLOSED: N_("Closed in the period"),
    ANY_DATE: N_("Any date"),
}


def _rep(actor: Actor, team_id: int | None) -> int | None:
    if actor.role == "rep":
        return None
    in_team = scope.rep_ids(team_id)
    names = {
        rep.id: rep.name
        for rep in runtime.cached(reps.list_reps)
        if in_team is None or rep.id in in_team
    }
    chosen = remembered_selectbox(
        t("Rep"),
        [ALL_REPS, *names],
        format_func=lambda rep_id: names.get(rep_id, t("All reps")),
        key="pipeline__rep",
    )
    return None if chosen == ALL_REPS else chosen


def deal_filters(actor: Actor, chosen: Period) -> DealFilters:
    """The filter row; the period is the sidebar's."""
    team_column, rep_column, product_column, stage_column, dated_column = st.columns(5)
    with team_column:
        team_id = scope.team_filter(actor, key="pipeline__team")
    with rep_column:
        rep_id = _rep(actor, team_id)
    with product_column:
        product = remembered_selectbox(
            t("Product"),
            [EVERY, *runtime.cached(deals.products)],
            format_func=lambda name: name or t("All products"),
            key="pipeline__product",
        )
    with stage_column:
        stage = remembered_selectbox(
            t("Stage"),
            [EVERY, *deals.STAGE_ORDER],
            format_func=lambda stage: stage_label(stage) if stage else t("All stages"),
            key="pipeline__stage",
        )
    with dated_column:
        dated = remembered_selectbox(
            t("Dates"),
            list(DATED_LABELS),
            format_func=lambda option: t(DATED_LABELS[option]),
            key="pipeline__dated",
        )
    filters = DealFilters(
        rep_id=rep_id,
        team_id=team_id,
        product=product or None,
        stage=deals.DealStage(stage) if stage else None,
        period=None if dated == ANY_DATE else chosen,
        dated_by=DatedBy.CREATED if dated == ANY_DATE else DatedBy(dated),
    )
    st.caption(dates_caption(filters))
    return filters


def dates_caption(filters: DealFilters) -> str:
    """What the Dates box picks, said where it applies."""
    if filters.period is None:
        return t("Dates: the funnel and the deal list show every deal, whatever its dates.")
    period = fmt.period_label(filters.period)
    if filters.dated_by == DatedBy.CLOSED:
        return t(
            "Dates: the funnel and the deal list show the deals closed in {period}.",
            period=period,
        )
    return t(
        "Dates: the funnel and the deal list show the deals opened in {period}.", period=period
    )
