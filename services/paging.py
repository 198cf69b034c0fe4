"""One page of a list: which page it is, of how many, and how many rows in all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R")


@dataclass(frozen=True)
class Paged(Generic[R]):
    """One page of a list (1-based; one asked for past the end becomes the last) of how many
    pages (one when the list is empty), and how many rows in all."""

    rows: list[R]
    total: int
    page: int
    pages: int


def page_within(total: int, page: int, page_size: int) -> tuple[int, int, int]:
    """The page held inside a list of `total` rows, how many pages it has (one when empty),
    and the page size (at least one)."""
    size = max(page_size, 1)
    pages = max(1, -(-total // size))
    return min(max(page, 1), pages), pages, size
