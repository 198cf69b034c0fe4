"""`python -m bench.run`: the large data set on SQLite and PostgreSQL, pages and metrics timed.

Prints a table and writes bench/results.json. Exits 0 when it ran (slow numbers included);
with --strict, 1 when any target is missed or a floor disagrees with the registry.
"""

from __future__ import annotations

import argparse
import sys
import time

import sqlalchemy as sa

from bench import metrics, pages, report, writes
from bench.datasets import Backend, postgres_backend, prepare, sqlite_backend

BACKENDS = {"sqlite": sqlite_backend, "postgresql": postgres_backend}


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--backend", action="append", choices=sorted(BACKENDS), help="only this (repeatable)"
    )
    parser.add_argument("--rebuild", action="store_true", help="seed again even if loaded")
    parser.add_argument("--skip-pages", action="store_true", help="skip the page timings")
    parser.add_argument("--skip-metrics", action="store_true", help="skip the metric timings")
    parser.add_argument("--skip-writes", action="store_true", help="skip the bulk save timings")
    parser.add_argument(
        "--role", action="append", choices=pages.ROLES, help="page timings for this role only"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on a miss or mismatch")
    return parser.parse_args(argv)


def _backends(names: list[str], rebuild: bool, skipped: dict[str, str]) -> list[Backend]:
    ready = []
    for name in names:
        try:
            ready.append(prepare(BACKENDS[name](), rebuild=rebuild))
        except sa.exc.OperationalError as error:
            # A missing PostgreSQL is reported, not fatal: the other backend still runs.
            reason = str(error.orig).strip().splitlines()[0]
            skipped[name] = reason
            print(f"[{name}] skipped: {reason}")
    return ready


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.perf_counter()
    skipped: dict[str, str] = {}
    backends = _backends(args.backend or list(BACKENDS), args.rebuild, skipped)
    if not backends:
        print("No database to run on.", file=sys.stderr)
        return 1
    metric_timings: list[metrics.MetricTiming] = []
    page_timings: list[pages.PageTiming] = []
    write_timings: list[writes.WriteTiming] = []
    for backend in backends:
        if not args.skip_metrics:
            metric_timings += metrics.time_all(backend)
        if not args.skip_pages:
            page_timings += pages.time_all(backend, tuple(args.role or pages.ROLES))
        if not args.skip_writes:
            write_timings += writes.time_all(backend)
    year = metrics.fiscal_year(backends[0])
    period = {"kind": year.kind.value, "start": str(year.start), "end": str(year.end)}
    data = report.results(backends, page_timings, metric_timings, write_timings, skipped, period)
    print()
    print(report.table(page_timings, metric_timings, write_timings))
    print(f"\nWrote {report.write(data)} in {time.perf_counter() - started:.0f} s.")
    missed = [t for t in [*page_timings, *metric_timings, *write_timings] if not t.ok]
    mismatched = [t.key for t in metric_timings if t.mismatches]
    print(f"{len(missed)} over target; floors disagree with the registry on: {mismatched or '-'}")
    return 1 if args.strict and (missed or mismatched or skipped) else 0


if __name__ == "__main__":
    sys.exit(main())
