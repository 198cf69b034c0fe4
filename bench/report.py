"""The bench's output: a table on the terminal and every number in bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.datasets import BENCH_DIR, Backend
from bench.metrics import RATIO_TARGET, RUNS, MetricTiming
from bench.pages import COLD_TARGET_S, WARM_TARGET_S, PageTiming
from bench.writes import RUNS as WRITE_RUNS
from bench.writes import TARGET_S as WRITE_TARGET_S
from bench.writes import WriteTiming

RESULTS = BENCH_DIR / "results.json"
PACKAGES = ("streamlit", "sqlalchemy", "sqlmodel", "psycopg", "alembic")
COLUMNS = ("kind", "name", "backend", "role", "cold | registry", "warm | floor", "ratio", "target")


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    meminfo = Path("/proc/meminfo")
    if not meminfo.is_file():
        return None
    for line in meminfo.read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _server_version(backend: Backend) -> str:
    with backend.engine.connect() as connection:
        if backend.dialect == "postgresql":
            return str(connection.exec_driver_sql("SHOW server_version").scalar_one())
        return str(connection.exec_driver_sql("SELECT sqlite_version()").scalar_one())


def machine(backends: list[Backend]) -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        # Other work on the machine skews timings: the 1, 5 and 15 minute load at the end.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "memory_gib": _memory_gib(),
        "sqlite_library": sqlite3.sqlite_version,
        "servers": {backend.name: _server_version(backend) for backend in backends},
        "packages": {name: metadata.version(name) for name in PACKAGES},
    }


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _millis(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _page_row(timing: PageTiming) -> tuple[str, ...]:
    target = f"≤{COLD_TARGET_S:g} s | ≤{WARM_TARGET_S:g} s"
    verdict = "ERROR" if timing.error else ("ok" if timing.ok else "SLOW")
    cells = ("page", timing.page.removeprefix("pages/"), timing.backend, timing.role)
    return (*cells, _seconds(timing.cold_s), _seconds(timing.warm_s), "-", target, verdict)


def _metric_row(timing: MetricTiming) -> tuple[str, ...]:
    verdict = "ok" if timing.ok else "SLOW"
    if timing.mismatches:
        verdict += f", MISMATCH {timing.mismatches} reps"
    return (
        "metric",
        timing.key + (" (manual)" if timing.manual else ""),
        timing.backend,
        "admin",
        _millis(timing.registry_s),
        _millis(timing.floor_s),
        f"{timing.ratio:.2f}×",
        f"≤{timing.target:g}×",
        verdict,
    )


def _write_row(timing: WriteTiming) -> tuple[str, ...]:
    # The warm column holds the statement count: a save must not grow with its rows.
    return (
        "write",
        f"{timing.name} ({timing.rows} rows)",
        timing.backend,
        "admin",
        _seconds(timing.seconds),
        f"{timing.statements} statements",
        "-",
        f"≤{timing.target:g} s",
        "ok" if timing.ok else "SLOW",
    )


def table(pages: list[PageTiming], metrics: list[MetricTiming], writes: list[WriteTiming]) -> str:
    rows = (
        [_page_row(timing) for timing in pages]
        + [_metric_row(timing) for timing in metrics]
        + [_write_row(timing) for timing in writes]
    )
    header = (*COLUMNS, "ok?")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def results(
    backends: list[Backend],
    pages: list[PageTiming],
    metrics: list[MetricTiming],
    writes: list[WriteTiming],
    skipped: dict[str, str],
    period: dict[str, str],
) -> dict[str, Any]:
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(backends),
        "targets": {
            "page_cold_s": COLD_TARGET_S,
            "page_warm_s": WARM_TARGET_S,
            "metric_ratio": RATIO_TARGET,
            "metric_runs": f"best of {RUNS} after one warm-up",
            "write_s": WRITE_TARGET_S,
            "write_runs": f"best of {WRITE_RUNS}, each rolled back",
        },
        "period": period,
        "datasets": {
            backend.name: {"seed": backend.seed, "rows": backend.rows} for backend in backends
        },
        "skipped": skipped,
        "pages": [timing.as_dict() for timing in pages],
        "metrics": [timing.as_dict() for timing in metrics],
        "writes": [timing.as_dict() for timing in writes],
    }


def write(data: dict[str, Any], path: Path = RESULTS) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    return path
