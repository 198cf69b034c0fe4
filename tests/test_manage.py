"""`manage.py`: prepare, seed and create-admin on a fresh database, as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from models import Setting, User
from services.db import make_engine
from services.people.passwords import matches
from tests.conftest import empty_all_tables

ROOT = Path(__file__).resolve().parents[1]


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return env | {"REPBOARD_DATA_DIR": str(data_dir)} | extra


def _seed_setting(url: str) -> dict[str, object]:
    engine = make_engine(url)
    with Session(engine) as session:
        setting = session.get(Setting, "seed")
        value = dict(setting.value) if setting else {}
    engine.dispose()
    return value


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(table))
            ).scalar_one()
            for table in ("users", "customers", "deals", "interactions", "audit_events")
        }
    engine.dispose()
    return counts


def _users(url: str) -> list[User]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = list(session.exec(select(User).order_by(User.username)).all())
    engine.dispose()
    return found


def test_prepare_seeds_the_demo_data_once_on_the_embedded_database(data_dir: Path) -> None:
    env = _environment(data_dir)
    result = _manage(["prepare"], env)
    assert result.returncode == 0, result.stderr
    assert "loading the demo data" in result.stdout
    url = f"sqlite:///{data_dir / 'repboard.db'}"
    users = _users(url)
    usernames = {user.username for user in users}
    assert {"admin", "manager", "manager2", "manager3", "rep", "rep2"} <= usernames
    # One hash serves every demo account.
    [password_hash] = {user.password_hash for user in users}
    assert matches("demo1234", password_hash)
    seeded = _seed_setting(url)
    assert (seeded["size"], seeded["seed"]) == ("demo", 42)
    again = _manage(["prepare"], env)
    assert again.returncode == 0 and "demo data" not in again.stdout
    assert len(_users(url)) == len(users)


def test_seed_refuses_a_database_with_data_unless_forced(data_dir: Path) -> None:
    env = _environment(data_dir)
    assert _manage(["prepare"], env).returncode == 0
    url = f"sqlite:///{data_dir / 'repboard.db'}"
    before = _counts(url)
    refused = _manage(["seed", "--size", "demo", "--seed", "7"], env)
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    assert _counts(url) == before and _seed_setting(url)["seed"] == 42
    forced = _manage(["seed", "--size", "demo", "--seed", "7", "--force"], env)
    assert forced.returncode == 0, forced.stderr
    assert "interactions" in forced.stdout and "Seeded in" in forced.stdout
    assert _seed_setting(url)["seed"] == 7
    assert _counts(url)["customers"] == before["customers"]


def test_seed_needs_a_known_size(data_dir: Path) -> None:
    result = _manage(["seed", "--size", "huge"], _environment(data_dir))
    assert result.returncode == 2
    assert "invalid choice: 'huge'" in result.stderr and "demo" in result.stderr
    assert _manage(["seed"], _environment(data_dir)).returncode == 2


def test_seeding_a_database_url_is_allowed_with_a_warning(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    result = _manage(["seed", "--size", "demo"], _environment(tmp_path / "data", DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Warning: seeding the database at DATABASE_URL")
    assert _seed_setting(url)["size"] == "demo"


def test_create_admin_on_an_empty_shared_database(
    migrated_engine, backend_url: str, data_dir: Path
) -> None:
    empty_all_tables(migrated_engine)
    env = _environment(data_dir, DATABASE_URL=backend_url, REPBOARD_ADMIN_PASSWORD="first-admin-1")
    assert _manage(["prepare"], env).returncode == 0
    assert _users(backend_url) == [], "no demo accounts when DATABASE_URL is set"
    result = _manage(["create-admin", "--username", "Alice"], env)
    assert result.returncode == 0, result.stderr
    [alice] = _users(backend_url)
    assert (alice.username, alice.role) == ("alice", "admin")
    assert matches("first-admin-1", alice.password_hash)
    assert "first-admin-1" not in result.stdout + result.stderr


def test_create_admin_refuses_a_bad_password_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    env = _environment(tmp_path / "data", DATABASE_URL=url, REPBOARD_ADMIN_PASSWORD="密" * 30)
    result = _manage(["create-admin", "--username", "alice"], env)
    assert result.returncode == 1
    assert "at most 72 bytes" in result.stderr
    assert "密" * 30 not in result.stdout + result.stderr
    assert _users(url) == []


def test_recompute_tiers_stores_what_the_deals_give(data_dir: Path) -> None:
    env = _environment(data_dir)
    assert _manage(["prepare"], env).returncode == 0
    url = f"sqlite:///{data_dir / 'repboard.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        seeded = dict(connection.exec_driver_sql("SELECT id, tier FROM customers").all())
        connection.exec_driver_sql("UPDATE customers SET tier = NULL")
    result = _manage(["recompute-tiers"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Tiers recomputed: {len(seeded)} customers changed tier.\n"
    with engine.connect() as connection:
        assert dict(connection.exec_driver_sql("SELECT id, tier FROM customers").all()) == seeded
        actions = connection.exec_driver_sql("SELECT action FROM audit_events ORDER BY id").all()
    engine.dispose()
    # One event per customer whose tier moved, then the run's own.
    assert [action for (action,) in actions] == (
        ["seed.load"] + ["customer.tier"] * len(seeded) + ["customer.recompute_tiers"]
    )
