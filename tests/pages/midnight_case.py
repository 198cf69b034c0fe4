"""Run by test_midnight.py in a process whose clock libfaketime reads from the file named by
FAKETIME_TIMESTAMP_FILE, shortly before midnight at the office; not collected on its own
(its name does not start with test_)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.enums import Role
from services import settings
from tests.factories import PASSWORD, make_rep, make_team, make_user, promise_a_follow_up
from tests.pages.conftest import new_app, point_app_at, submit_login

# 00:00:30 the next day in Asia/Shanghai, the office's default time zone.
AFTER_MIDNIGHT = "@2027-03-31 16:00:30\n"


def _headings(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [heading.value for heading in at.subheader]


def test_a_follow_up_due_today_is_overdue_once_midnight_passes(
    engine: Engine, backend_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    point_app_at(backend_url, monkeypatch, tmp_path)
    with Session(engine, expire_on_commit=False) as session:
        rep = make_rep(session, make_team(session))
        make_user(session, Role.ADMIN, username="office")
        make_user(session, username="night", rep=rep)
        today = settings.office_today(session)
        promise_a_follow_up(session, rep.id, today)
    at = new_app().run()
    submit_login(at, "night", PASSWORD).run()
    at.switch_page("pages/follow_ups_page.py").run()
    assert not at.exception, at.exception
    assert {"Overdue (0)", "Today (1)"} <= set(_headings(at)), _headings(at)

    Path(os.environ["FAKETIME_TIMESTAMP_FILE"]).write_text(AFTER_MIDNIGHT)
    with Session(engine) as session:
        assert settings.office_today(session) == today + timedelta(days=1)
    # No write since: only the office date can tell the cached read to go.
    at.run()
    assert {"Overdue (1)", "Today (0)"} <= set(_headings(at)), _headings(at)
