"""services/metrics/catalog.py: the registry holds each metric once, named in both languages,
and every metric's SQL builds and runs on both databases, reading the office clock exactly
when it declares it."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from models.enums import PeriodKind
from services.i18n import translate
from services.metrics.catalog import METRICS, REGISTRY
from services.metrics.definitions import MetricContext, Unit
from services.periods import containing

MARCH = containing(PeriodKind.MONTH, date(2025, 3, 1))
CLOCK = (ZoneInfo("Asia/Shanghai"), date(2025, 3, 15))
KEYS = sorted(REGISTRY)


def _contexts(key: str, clock: tuple[ZoneInfo, date] | None) -> list[MetricContext]:
    """The contexts the app asks a metric in: the period, and by month and by day if it trends."""
    contexts = [
        MetricContext(MARCH, None, clock=clock),
        MetricContext(MARCH, frozenset({1, 2}), clock=clock),
    ]
    if REGISTRY[key].monthly:
        contexts += [
            MetricContext(MARCH, None, by_month=True, clock=clock),
            MetricContext(MARCH, None, by_day=True, clock=clock),
        ]
    return contexts


def test_the_registry_is_the_catalog_by_key() -> None:
    assert [metric.key for metric in METRICS] == list(REGISTRY)
    assert len(REGISTRY) == len(METRICS)
    assert all(REGISTRY[metric.key] is metric for metric in METRICS)


@pytest.mark.parametrize("key", KEYS)
def test_every_metric_is_named_and_explained_in_both_languages(key: str) -> None:
    metric = REGISTRY[key]
    for msgid in (metric.label, metric.description):
        assert msgid.strip()
        assert translate("zh_CN", msgid) != msgid, f"no zh_CN for {msgid!r}"


def test_ratios_and_scores_never_add_up_and_only_scores_have_a_scale() -> None:
    for metric in METRICS:
        if metric.unit in (Unit.RATIO, Unit.SCORE):
            assert not metric.additive, metric.key
        assert (metric.scale is not None) == (metric.unit == Unit.SCORE), metric.key


@pytest.mark.parametrize("key", KEYS)
def test_a_metric_reads_the_office_clock_exactly_when_it_declares_it(key: str) -> None:
    # The app hands a metric the clock only if it declares office_clock (reading it costs a
    # query): one that needs it undeclared would fail, one declared without need would waste it.
    metric = REGISTRY[key]
    assert metric.query is not None
    needs_clock = False
    for context in [MetricContext(MARCH, None), MetricContext(MARCH, None, by_month=True)]:
        if context.by_month and not metric.monthly:
            continue
        try:
            metric.query(context)
        except RuntimeError:
            needs_clock = True
    assert needs_clock == metric.office_clock


@pytest.mark.parametrize("key", KEYS)
def test_every_metric_runs_on_an_empty_database_in_every_grouping(
    session: Session, key: str
) -> None:
    metric = REGISTRY[key]
    assert metric.query is not None
    for context in _contexts(key, CLOCK if metric.office_clock else None):
        result = session.connection().execute(metric.query(context))
        grouped = ["bucket"] if context.by_month or context.by_day else []
        assert list(result.keys()) == ["rep_id", *grouped, "numerator", "denominator"]
        assert result.all() == []
