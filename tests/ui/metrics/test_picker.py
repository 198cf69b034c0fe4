"""ui/metrics/picker.py: the metric comes from the URL when it is a computed one, an unknown
one is explained in the user's language and replaced, and the choice goes back to the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from services import metrics
from services.i18n import translate
from tests.ui.conftest import piece


def _picked() -> None:
    import streamlit as st

    from ui.metrics.picker import metric_picker

    st.text(metric_picker("test__metric"))


def _open(url_metric: str | None = None, locale: str = "en") -> AppTest:
    at = piece(_picked, locale=locale)
    if url_metric is not None:
        at.query_params["metric"] = url_metric
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_box_offers_the_computed_metrics_and_starts_on_revenue() -> None:
    at = _open()
    [box] = at.selectbox
    computed = [metric.key for metric in metrics.METRICS if not metric.manual]
    assert box.options == [metrics.REGISTRY[key].label for key in computed]
    assert "market_share" not in computed
    assert (at.text[0].value, at.query_params["metric"]) == ("revenue", "revenue")


def test_a_metric_in_the_url_is_chosen_and_a_new_choice_goes_back_to_it() -> None:
    at = _open("win_rate")
    assert at.text[0].value == "win_rate"
    assert not at.warning
    at.selectbox[0].select("csat").run()
    assert (at.text[0].value, at.query_params["metric"]) == ("csat", "csat")


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_an_unknown_metric_in_the_url_is_explained_and_replaced(locale: str) -> None:
    at = _open("no_such_kpi", locale=locale)
    assert [warning.value for warning in at.warning] == [
        translate(locale, "Unknown metric: {key}.", key="no\\_such\\_kpi")
    ]
    assert at.text[0].value == "revenue"
    assert at.selectbox[0].label == translate(locale, "Metric")


def test_a_hand_entered_metric_in_the_url_falls_back_quietly() -> None:
    at = _open("market_share")
    assert not at.warning
    assert at.text[0].value == "revenue"
