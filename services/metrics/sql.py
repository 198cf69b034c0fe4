"""SQL pieces the two databases spell differently: local dates, month keys, day differences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class local_date(FunctionElement[Any]):  # noqa: N801 - reads as a SQL function
    """The office's calendar day of a UTC timestamp column."""

    type = sa.Date()
    inherit_cache = True
    name = "local_date"


class month_key(FunctionElement[Any]):  # noqa: N801
    """'YYYY-MM' of a date expression."""

    type = sa.String()
    inherit_cache = True
    name = "month_key"


class days_between(FunctionElement[Any]):  # noqa: N801
    """Whole days from the first date expression to the second."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


def local_date_of(column: Any, zone: ZoneInfo) -> local_date:
    # SQLite has no time zones: it takes the zone's current offset (exact for zones without DST).
    offset = datetime.now(UTC).astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return local_date(column, sa.literal(f"{minutes:+d} minutes"), sa.literal(zone.key))


def _parts(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: local_date, compiler: SQLCompiler, **kw: Any) -> str:
    column, offset, _zone = _parts(element, compiler, **kw)
    return f"date({column}, {offset})"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: local_date, compiler: SQLCompiler, **kw: Any) -> str:
    column, _offset, zone = _parts(element, compiler, **kw)
    return f"CAST(({column} AT TIME ZONE {zone}) AS DATE)"


@compiles(month_key, "sqlite")
def _month_key_sqlite(element: month_key, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _parts(element, compiler, **kw)
    return f"strftime('%Y-%m', {day})"


@compiles(month_key, "postgresql")
def _month_key_postgresql(element: month_key, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _parts(element, compiler, **kw)
    return f"to_char({day}, 'YYYY-MM')"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _parts(element, compiler, **kw)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _parts(element, compiler, **kw)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


class month_day(FunctionElement[Any]):  # noqa: N801
    """'MM-DD' of a date expression, for anniversaries such as birthdays."""

    type = sa.String()
    inherit_cache = True
    name = "month_day"


@compiles(month_day, "sqlite")
def _month_day_sqlite(element: month_day, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _parts(element, compiler, **kw)
    return f"strftime('%m-%d', {day})"


@compiles(month_day, "postgresql")
def _month_day_postgresql(element: month_day, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = _parts(element, compiler, **kw)
    return f"to_char({day}, 'MM-DD')"
