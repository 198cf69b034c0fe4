"""Changing a setting: admins only, checked, versioned, audited, and seen by the next read."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Setting
from services import data_version, settings
from services.errors import PermissionDenied, StaleEdit, ValidationError
from tests.factories import Org
from tests.services.helpers import audit_actions

KEY = "leaderboard_visibility"


def _rows(engine: Engine) -> list[tuple[str, Any, int]]:
    with Session(engine) as fresh:
        rows = fresh.exec(select(Setting).order_by(col(Setting.key))).all()
        return [(row.key, row.value, row.version) for row in rows]


def _audits(engine: Engine) -> list[tuple[str, str, Any, Any]]:
    with Session(engine) as fresh:
        events = fresh.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        return [(event.action, event.username, event.before, event.after) for event in events]


def test_the_default_holds_until_an_admin_changes_it(
    session: Session, engine: Engine, org: Org
) -> None:
    admin = org.actor(session, org.admin)
    assert settings.leaderboard_visibility(session) == "team"  # read, and kept in the session
    assert settings.stored(session, KEY) == settings.StoredSetting(KEY, "team", None)
    version = data_version.current(session)

    saved = settings.set_value(session, admin, key=KEY, value="self")
    assert saved == settings.StoredSetting(KEY, "self", 1)
    assert settings.leaderboard_visibility(session) == "self"
    assert _rows(engine) == [(KEY, "self", 1)]
    assert _audits(engine) == [
        ("setting.update", "admin", None, {"key": KEY, "value": "self"}),
    ]  # fmt: skip
    # Cached reads are keyed by the data version: a new setting must move it.
    assert data_version.current(session) > version

    settings.set_value(session, admin, key=KEY, value="everyone", version=1)
    assert settings.leaderboard_visibility(session) == "everyone"
    assert _rows(engine) == [(KEY, "everyone", 2)]
    assert _audits(engine)[-1] == (
        "setting.update", "admin", {"key": KEY, "value": "self"}, {"key": KEY, "value": "everyone"},
    )  # fmt: skip


def test_saving_the_same_value_writes_nothing(session: Session, engine: Engine, org: Org) -> None:
    admin = org.actor(session, org.admin)
    settings.set_value(session, admin, key=KEY, value="self")
    assert settings.set_value(session, admin, key=KEY, value="self", version=1).version == 1
    assert _rows(engine) == [(KEY, "self", 1)]
    assert audit_actions(engine) == ["setting.update"]


@pytest.mark.parametrize("version", [None, 2])
def test_a_stale_edit_is_refused(session: Session, engine: Engine, org: Org, version) -> None:  # type: ignore[no-untyped-def]
    admin = org.actor(session, org.admin)
    settings.set_value(session, admin, key=KEY, value="self")
    with pytest.raises(StaleEdit):
        settings.set_value(session, admin, key=KEY, value="everyone", version=version)
    assert _rows(engine) == [(KEY, "self", 1)]
    assert audit_actions(engine) == ["setting.update"]


def test_a_first_value_stored_meanwhile_makes_an_edit_stale(
    session: Session, engine: Engine, org: Org
) -> None:
    with pytest.raises(StaleEdit):
        settings.set_value(session, org.actor(session, org.admin), key=KEY, value="self", version=1)
    assert _rows(engine) == [] and audit_actions(engine) == []


@pytest.mark.parametrize(
    ("key", "value", "msgid"),
    [
        (KEY, "managers", "Choose one of the offered values."),
        (KEY, None, "Choose one of the offered values."),
        (KEY, ["team"], "Choose one of the offered values."),
        ("colour", "blue", "Unknown setting: {key}."),
        ("currency", "USD", "Unknown setting: {key}."),
    ],
)
def test_bad_input_is_refused_and_nothing_written(  # type: ignore[no-untyped-def]
    session: Session, engine: Engine, org: Org, key, value, msgid
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings.set_value(session, org.actor(session, org.admin), key=key, value=value)
    assert refused.value.msgid == msgid
    assert _rows(engine) == [] and audit_actions(engine) == []


@pytest.mark.parametrize("who", ["east_manager", "east_rep_user"])
def test_only_an_admin_changes_a_setting(
    session: Session, engine: Engine, org: Org, who: str
) -> None:
    actor = org.actor(session, getattr(org, who))
    with pytest.raises(PermissionDenied):
        settings.set_value(session, actor, key=KEY, value="everyone")
    assert _rows(engine) == []
    [(action, username, before, after)] = _audits(engine)
    assert (action, username, before) == ("access.denied", actor.username, None)
    assert after == {"attempted": "setting.update"}
    assert settings.leaderboard_visibility(session) == "team"
