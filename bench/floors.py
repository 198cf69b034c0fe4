"""The floor: one hand-written SQL query per registry metric, per rep, for a period.

Written from each metric's description, not from `services/metrics/catalog.py`, so they also
check it. Every query returns (rep_id, numerator, denominator); the metric's value is
numerator / denominator, or the numerator alone when the denominator is NULL.

Dates bind as 'YYYY-MM-DD' text on SQLite and as dates on PostgreSQL; timestamps as UTC
'YYYY-MM-DD HH:MM:SS.ffffff' text on SQLite and as aware datetimes on PostgreSQL. Where the
two databases spell date arithmetic differently, a floor keeps a PostgreSQL spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.periods import Period


@dataclass(frozen=True)
class Floor:
    sql: str
    # Only where PostgreSQL needs another spelling than `sql`.
    postgresql: str | None = None

    def for_dialect(self, dialect: str) -> str:
        return self.postgresql if dialect == "postgresql" and self.postgresql else self.sql


WON = "stage = 'won' AND archived_at IS NULL AND closed_on BETWEEN :start AND :end"

FLOORS: dict[str, Floor] = {
    "revenue": Floor(
        f"SELECT rep_id, SUM(amount), NULL FROM deals WHERE {WON} GROUP BY rep_id"  # noqa: S608
    ),
    "deals_won": Floor(
        f"SELECT rep_id, COUNT(*), NULL FROM deals WHERE {WON} GROUP BY rep_id"  # noqa: S608
    ),
    "win_rate": Floor("""
        SELECT rep_id, SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END), COUNT(*)
        FROM deals
        WHERE stage IN ('won', 'lost') AND archived_at IS NULL
          AND closed_on BETWEEN :start AND :end
        GROUP BY rep_id"""),
    "avg_deal_size": Floor(
        f"SELECT rep_id, SUM(amount), COUNT(*) FROM deals WHERE {WON} GROUP BY rep_id"  # noqa: S608
    ),
    "new_customers": Floor("""
        SELECT owner_rep_id, COUNT(*), NULL
        FROM customers
        WHERE created_at >= :start_utc AND created_at < :end_utc AND archived_at IS NULL
        GROUP BY owner_rep_id"""),
    "active_customers": Floor(
        f"SELECT rep_id, COUNT(DISTINCT customer_id), NULL FROM deals WHERE {WON} "  # noqa: S608
        "GROUP BY rep_id"
    ),
    # Customers (by their owner) with a win in the previous period, and of those, a win now.
    "retention_rate": Floor("""
        SELECT c.owner_rep_id, SUM(b.again), COUNT(*)
        FROM (
            SELECT customer_id, MAX(CASE WHEN closed_on >= :start THEN 1 ELSE 0 END) AS again
            FROM deals
            WHERE stage = 'won' AND archived_at IS NULL
              AND closed_on BETWEEN :previous_start AND :end
            GROUP BY customer_id
            HAVING MIN(closed_on) <= :previous_end
        ) AS b
        JOIN customers AS c ON c.id = b.customer_id
        GROUP BY c.owner_rep_id"""),
    "interactions": Floor("""
        SELECT rep_id, COUNT(*), NULL
        FROM interactions
        WHERE occurred_at >= :start_utc AND occurred_at < :end_utc AND rep_id IS NOT NULL
        GROUP BY rep_id"""),
    "overdue_follow_ups": Floor("""
        SELECT c.owner_rep_id, COUNT(*), NULL
        FROM interactions AS i
        JOIN customers AS c ON c.id = i.customer_id
        WHERE i.next_follow_up_on BETWEEN :start AND :end AND i.next_follow_up_on < :today
          AND i.follow_up_done_at IS NULL
        GROUP BY c.owner_rep_id"""),
    "csat": Floor("""
        SELECT rep_id, SUM(score), COUNT(*)
        FROM surveys
        WHERE surveyed_on BETWEEN :start AND :end
        GROUP BY rep_id"""),
    "nps": Floor("""
        SELECT rep_id, SUM(CASE WHEN nps >= 9 THEN 100 WHEN nps <= 6 THEN -100 ELSE 0 END),
               COUNT(*)
        FROM surveys
        WHERE surveyed_on BETWEEN :start AND :end AND nps IS NOT NULL
        GROUP BY rep_id"""),
    "complaints_opened": Floor("""
        SELECT rep_id, COUNT(*), NULL
        FROM complaints
        WHERE opened_on BETWEEN :start AND :end
        GROUP BY rep_id"""),
    # Resolved by the deadline, over resolved ones plus open ones past their deadline.
    "complaints_in_sla": Floor("""
        SELECT rep_id,
               SUM(CASE WHEN resolved AND resolved_on <= due_on THEN 1 ELSE 0 END),
               SUM(CASE WHEN resolved OR due_on < :today THEN 1 ELSE 0 END)
        FROM (SELECT rep_id, due_on, resolved_on,
                     status = 'resolved' AND resolved_on IS NOT NULL AS resolved
              FROM complaints WHERE opened_on BETWEEN :start AND :end) AS c
        GROUP BY rep_id"""),
    # Weighted by probability (a whole percent), in whole minor units.
    "pipeline_value": Floor("""
        SELECT rep_id, CAST(SUM(amount * probability) AS BIGINT) / 100, NULL
        FROM deals
        WHERE stage IN ('lead', 'qualified', 'proposal', 'negotiation') AND archived_at IS NULL
          AND expected_close_on BETWEEN :start AND :end
        GROUP BY rep_id"""),
    # Days from the office day a won deal was opened to the day it was won.
    "sales_cycle_days": Floor(
        f"""
        SELECT rep_id,
               SUM(julianday(closed_on) - julianday(date(created_at, :utc_offset))), COUNT(*)
        FROM deals WHERE {WON} GROUP BY rep_id""",  # noqa: S608
        postgresql=f"""
        SELECT rep_id, SUM(closed_on - CAST(created_at AT TIME ZONE :zone AS DATE)), COUNT(*)
        FROM deals WHERE {WON} GROUP BY rep_id""",  # noqa: S608
    ),
    # The latest check-in in the period on the rep's own goal (ratios stored in basis points).
    "market_share": Floor("""
        SELECT rep_id, value / 10000.0, NULL
        FROM (
            SELECT g.owner_id AS rep_id, c.value,
                   ROW_NUMBER() OVER (
                       PARTITION BY g.owner_id ORDER BY c.checked_on DESC, c.value DESC
                   ) AS newest
            FROM goal_checkins AS c JOIN goals AS g ON g.id = c.goal_id
            WHERE g.metric_key = 'market_share' AND g.owner_kind = 'rep'
              AND g.archived_at IS NULL AND c.checked_on BETWEEN :start AND :end
        ) AS ranked
        WHERE newest = 1"""),
}

PARAMETER = re.compile(r"(?<!:):([a-z_]+)")


def parameters(dialect: str, period: Period, today: date, zone: ZoneInfo) -> dict[str, Any]:
    """Every value a floor may bind, spelled as the dialect stores it."""
    start_utc, end_utc = period.utc_bounds(zone)
    previous = period.previous()
    offset = datetime.combine(period.start, datetime.min.time(), zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    days = {
        "start": period.start,
        "end": period.end,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "today": today,
    }
    values: dict[str, Any] = {"zone": zone.key, "utc_offset": f"{minutes:+d} minutes"}
    if dialect == "postgresql":
        return values | days | {"start_utc": start_utc, "end_utc": end_utc}
    return (
        values
        | {name: day.isoformat() for name, day in days.items()}
        | {"start_utc": _sqlite_timestamp(start_utc), "end_utc": _sqlite_timestamp(end_utc)}
    )


def _sqlite_timestamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def bound(sql: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values `sql` names, and no others."""
    return {name: values[name] for name in PARAMETER.findall(sql)}
