"""`manage.py`: prepare and create-admin on a fresh database, the way an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from models import User
from services.db import make_engine
from services.passwords import matches
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


def _users(url: str) -> list[User]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = list(session.exec(select(User).order_by(User.username)).all())
    engine.dispose()
    return found


def test_prepare_creates_the_demo_accounts_on_the_embedded_database(data_dir: Path) -> None:
    result = _manage(["prepare"], _environment(data_dir))
    assert result.returncode == 0, result.stderr
    users = _users(f"sqlite:///{data_dir / 'repboard.db'}")
    assert [user.username for user in users] == ["admin", "manager", "rep"]
    assert all(matches("demo1234", user.password_hash) for user in users)


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
