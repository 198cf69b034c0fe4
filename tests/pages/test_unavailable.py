"""A DATABASE_URL that cannot be reached gets a readable page, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.conftest import errors, new_app, titles


@pytest.mark.parametrize(
    "url",
    ["postgresql://repboard:secret-pw@127.0.0.1:1/nowhere", "this is not a database url"],
)
def test_unreachable_database_shows_a_message(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REPBOARD_DATA_DIR", str(tmp_path))
    at = new_app().run()
    assert not at.exception
    assert titles(at) == ["Repboard is not available"]
    assert errors(at)[0].startswith("Repboard cannot reach its database.")
    assert "secret-pw" not in " ".join(errors(at))
