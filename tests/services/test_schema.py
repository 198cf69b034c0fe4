"""Migrations: an empty database upgrades to exactly the models, and downgrades to nothing."""

from __future__ import annotations

import sqlalchemy as sa

from services.db import make_engine
from services.schema import downgrade_to_base, schema_differences, upgrade_to_head


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_matches_the_models_and_downgrade_removes_everything(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    upgrade_to_head(engine)
    assert schema_differences(engine) == []
    assert "users" in _tables(engine)
    downgrade_to_base(engine)
    assert _tables(engine) == {"alembic_version"}
    upgrade_to_head(engine)
    assert schema_differences(engine) == []
    engine.dispose()


BEFORE_DUE_ON = "18c32791debe"
# Rows as they were before the SLA deadline existed, written in that revision's columns.
OLD_ROWS = [
    ("settings", {"key": "sla_days", "value": '{"high": 3}'}),
    ("reps", {"id": 1, "name": "R", "status": "active"}),
    ("customers", {"id": 1, "name": "C", "kind": "company", "owner_rep_id": 1, "status": "active"}),
    *[
        ("complaints", {"id": number, "customer_id": 1, "rep_id": 1, "opened_on": "2025-02-27",
                        "category": "x", "severity": severity, "description": "d",
                        "status": "open"})
        for number, severity in enumerate(("high", "low"), start=1)
    ],
]  # fmt: skip


STAMP = "2025-01-01 00:00:00"
STAMPED = {"created_at": STAMP, "updated_at": STAMP, "version": 1}


def _insert(engine: sa.Engine, rows: list[tuple[str, dict[str, object]]]) -> None:
    """Rows written in the columns of the revision the database is at."""
    with engine.begin() as connection:
        for name, values in rows:
            connection.execute(sa.text(
                f"INSERT INTO {name} ({', '.join(values)}) "  # noqa: S608 - fixed names
                f"VALUES ({', '.join(':' + column for column in values)})"
            ), values)  # fmt: skip


def test_open_complaints_get_their_sla_deadline_from_the_stored_setting(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    upgrade_to_head(engine, BEFORE_DUE_ON)
    _insert(engine, [(name, row | STAMPED) for name, row in OLD_ROWS])
    upgrade_to_head(engine)
    with engine.connect() as connection:
        due = dict(connection.exec_driver_sql("SELECT severity, due_on FROM complaints").all())
    # High: 3 days from the stored setting (over a month end); low: the default 10.
    assert {severity: str(day) for severity, day in due.items()} == {
        "high": "2025-03-02",
        "low": "2025-03-09",
    }
    engine.dispose()


BEFORE_LOGGED_BY = "3dcda41f9d80"
# Two contacts from before who logged a contact was kept: one left an audit event naming
# the manager who logged it, one (seeded) did not.
CONTACT = {"customer_id": 1, "rep_id": 1, "occurred_at": STAMP, "channel": "call", "summary": "s"}
LOGGED_ROWS = [
    ("reps", {"id": 1, "name": "R", "status": "active"} | STAMPED),
    ("customers", {"id": 1, "name": "C", "kind": "company", "owner_rep_id": 1, "status": "active"}
     | STAMPED),
    ("users", {"id": 7, "username": "boss", "display_name": "Boss", "password_hash": "x",
               "role": "manager", "locale": "en", "failed_logins": 0, "active": True,
               "must_change_password": False} | STAMPED),
    ("interactions", {"id": 1} | CONTACT | STAMPED),
    ("interactions", {"id": 2} | CONTACT | STAMPED),
    *[
        ("audit_events", {"at": STAMP, "user_id": 7, "action": action, "entity": entity,
                          "entity_id": 1})
        for action, entity in [("interactions.create", "interactions"),
                               ("customer.contacted", "customers")]
    ],
]  # fmt: skip


def test_contacts_logged_through_the_app_learn_who_logged_them_from_the_audit_log(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    upgrade_to_head(engine, BEFORE_LOGGED_BY)
    _insert(engine, LOGGED_ROWS)
    upgrade_to_head(engine)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, rep_id, logged_by_user_id FROM interactions ORDER BY id"
        ).all()
    # The rep stays as it was; the seeded contact has nobody to name.
    assert [tuple(row) for row in rows] == [(1, 1, 7), (2, 1, None)]
    assert schema_differences(engine) == []
    engine.dispose()
