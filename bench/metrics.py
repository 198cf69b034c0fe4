"""Each registry metric for every rep over the fiscal year, timed against its floor."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, select

from bench.datasets import Backend
from bench.floors import FLOORS, bound, parameters
from models import User
from models.enums import PeriodKind, Role
from services import metrics, periods, settings
from services.access import Actor, build_actor
from services.periods import Period

# At least RUNS turns each; more, up to MAX_RUNS, while under BUDGET_S seconds.
RUNS = 5
MAX_RUNS = 200
BUDGET_S = 0.5
RATIO_TARGET = 1.5
# Values agree when within this relative (or, near zero, absolute) difference.
TOLERANCE = 1e-9
EXAMPLES = 3

T = TypeVar("T")
U = TypeVar("U")


@dataclass
class MetricTiming:
    key: str
    backend: str
    registry_s: float
    floor_s: float
    reps_registry: int
    reps_floor: int
    mismatches: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    target: float = RATIO_TARGET
    manual: bool = False

    @property
    def ratio(self) -> float:
        return self.registry_s / self.floor_s if self.floor_s else math.inf

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio, "ok": self.ok}


def _timed(run: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    answer = run()
    return time.perf_counter() - started, answer


def best_of_both(registry: Callable[[], T], floor: Callable[[], U]) -> tuple[float, T, float, U]:
    """The fastest call of each, taken in turns after an untimed warm-up, and the answers.

    Turns keep drift in the server from favouring one side; quick queries get more turns
    (up to a time budget), since one scheduler hiccup is larger than the query itself.
    """
    by_registry, by_floor = registry(), floor()
    best_registry = best_floor = math.inf
    started = time.perf_counter()
    turns = 0
    while turns < RUNS or (turns < MAX_RUNS and time.perf_counter() - started < BUDGET_S):
        took, by_registry = _timed(registry)
        best_registry = min(best_registry, took)
        took, by_floor = _timed(floor)
        best_floor = min(best_floor, took)
        turns += 1
    return best_registry, by_registry, best_floor, by_floor


def admin_actor(backend: Backend) -> Actor:
    with Session(backend.engine) as session:
        admin = session.exec(select(User).where(User.role == Role.ADMIN).order_by(User.id)).first()
        if admin is None:
            raise RuntimeError(f"[{backend.name}] the data set has no admin user")
        return build_actor(session, admin)


def fiscal_year(backend: Backend) -> Period:
    with Session(backend.engine) as session:
        zone = settings.timezone(session)
        start_month = settings.fiscal_year_start_month(session)
    return periods.containing(PeriodKind.YEAR, periods.today_in(zone), start_month)


def _value(numerator: Any, denominator: Any) -> float | None:
    if denominator is None:
        return float(numerator or 0)
    return None if float(denominator) == 0 else float(numerator or 0) / float(denominator)


def _differ(first: float | None, second: float | None) -> bool:
    if first is None or second is None:
        return first is not second
    return not math.isclose(first, second, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def compare(
    registry: dict[int, metrics.Fraction], floor: dict[int, float | None]
) -> tuple[int, list[dict[str, Any]]]:
    """How many reps' values differ (a rep missing on one side counts), with a few examples."""
    differing = []
    for rep_id in sorted(set(registry) | set(floor)):
        both = rep_id in registry and rep_id in floor
        if not both or _differ(registry[rep_id].value, floor[rep_id]):
            differing.append(
                {
                    "rep_id": rep_id,
                    "registry": registry[rep_id].value if rep_id in registry else "absent",
                    "floor": floor.get(rep_id, "absent"),
                }
            )
    return len(differing), differing[:EXAMPLES]


def time_metric(backend: Backend, actor: Actor, key: str, period: Period) -> MetricTiming:
    engine = backend.engine
    with Session(engine) as session:
        values = parameters(
            backend.dialect,
            period,
            settings.office_today(session),
            settings.timezone(session),
        )
    sql = FLOORS[key].for_dialect(backend.dialect)
    statement, bound_values = sa.text(sql), bound(sql, values)

    def registry() -> dict[int, metrics.Fraction]:
        # A fresh session per call, as the app opens one per service call.
        with Session(engine) as session:
            return metrics.by_rep(session, actor, key, period)

    def floor() -> dict[int, float | None]:
        with Session(engine) as session:
            rows = session.execute(statement, bound_values).all()
        return {int(rep): _value(numerator, denominator) for rep, numerator, denominator in rows}

    registry_s, by_registry, floor_s, by_floor = best_of_both(registry, floor)
    mismatches, examples = compare(by_registry, by_floor)
    return MetricTiming(
        key=key,
        backend=backend.name,
        registry_s=registry_s,
        floor_s=floor_s,
        reps_registry=len(by_registry),
        reps_floor=len(by_floor),
        mismatches=mismatches,
        examples=examples,
        manual=metrics.REGISTRY[key].manual,
    )


def time_all(backend: Backend, progress: Callable[[str], None] = print) -> list[MetricTiming]:
    """Every registry metric; a metric without a floor is an error, not a silent skip."""
    missing = sorted(set(metrics.REGISTRY) - set(FLOORS))
    if missing:
        raise RuntimeError(f"no floor query for: {', '.join(missing)}")
    actor, period = admin_actor(backend), fiscal_year(backend)
    progress(f"[{backend.name}] metrics for all reps over {period.start} … {period.end}")
    timings = []
    for key in metrics.REGISTRY:
        timing = time_metric(backend, actor, key, period)
        progress(
            f"  {key:<20} registry {timing.registry_s * 1000:8.1f} ms  "
            f"floor {timing.floor_s * 1000:8.1f} ms  ×{timing.ratio:.2f}"
            + (f"  MISMATCH ({timing.mismatches} reps)" if timing.mismatches else "")
        )
        timings.append(timing)
    return timings
