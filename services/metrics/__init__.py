"""The metrics registry and its SQL engine: every number the app shows is defined here once."""

from services.metrics.catalog import METRICS, REGISTRY
from services.metrics.compute import by_month, by_rep, get_metric, rep_names, scope_value
from services.metrics.definitions import Direction, Fraction, Metric, Unit, total

__all__ = [
    "METRICS",
    "REGISTRY",
    "Direction",
    "Fraction",
    "Metric",
    "Unit",
    "by_month",
    "by_rep",
    "get_metric",
    "rep_names",
    "scope_value",
    "total",
]
