"""services/paging.py: the page is held inside the list, an empty list has one page."""

from __future__ import annotations

import pytest

from services.paging import page_within


@pytest.mark.parametrize(
    ("total", "page", "page_size", "expected"),
    [
        (0, 1, 25, (1, 1, 25)),  # empty: one page, the first
        (25, 1, 25, (1, 1, 25)),
        (26, 2, 25, (2, 2, 25)),
        (26, 9, 25, (2, 2, 25)),  # past the end: the last
        (26, 0, 25, (1, 2, 25)),  # before the start: the first
        (3, 2, 0, (2, 3, 1)),  # a size below one is one
    ],
)
def test_the_page_is_held_inside_the_list(
    total: int, page: int, page_size: int, expected: tuple[int, int, int]
) -> None:
    assert page_within(total, page, page_size) == expected
