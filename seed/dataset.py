"""What the generator hands the loader: plain rows per table, in an order the keys allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class TableRows:
    """Rows of one table as tuples in the order of `columns`.

    Date columns hold days and timestamp columns stamps (see `seed.calendar`): integers
    counted from the data set's origin. Columns that would be NULL in every row are left
    out: SQLite binds None slowly.
    """

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass
class Link:
    """`UPDATE table SET column = value WHERE id = id` for each (value, id): keys in a cycle."""

    table: str
    column: str
    pairs: list[tuple[int, int]]


@dataclass
class Dataset:
    size: str
    seed: int
    today: date
    # Day 0 of every date and timestamp in the rows.
    origin: date
    tables: list[TableRows] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}
