"""services/config.py: one place reads DATABASE_URL and the cookie key."""

from __future__ import annotations

import stat
from pathlib import Path

from services.config import load_config

NO_SECRETS = Path("/nonexistent/secrets.toml")


def test_embedded_sqlite_by_default(tmp_path: Path) -> None:
    config = load_config({"REPBOARD_DATA_DIR": str(tmp_path)}, NO_SECRETS)
    assert config.embedded
    assert config.database_url == f"sqlite:///{tmp_path / 'repboard.db'}"


def test_postgres_urls_are_driven_by_psycopg_3(tmp_path: Path) -> None:
    for given in ["postgres://u:p@h:5432/db", "postgresql://u:p@h:5432/db"]:
        config = load_config(
            {"DATABASE_URL": given, "REPBOARD_DATA_DIR": str(tmp_path)}, NO_SECRETS
        )
        assert config.database_url == "postgresql+psycopg://u:p@h:5432/db"
        assert not config.embedded


def test_database_url_from_secrets_toml(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql://s@h/db"\n', encoding="utf-8")
    config = load_config({"REPBOARD_DATA_DIR": str(tmp_path)}, secrets)
    assert config.database_url == "postgresql+psycopg://s@h/db"
    # The environment wins over the file.
    env = {"REPBOARD_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://e@h/db"}
    assert load_config(env, secrets).database_url == "postgresql+psycopg://e@h/db"


def test_cookie_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = load_config({"REPBOARD_DATA_DIR": str(tmp_path)}, NO_SECRETS).cookie_key
    second = load_config({"REPBOARD_DATA_DIR": str(tmp_path)}, NO_SECRETS).cookie_key
    assert first == second and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / ".cookie_key").stat().st_mode)
    assert mode == 0o600


def test_cookie_key_from_the_environment_wins(tmp_path: Path) -> None:
    env = {"REPBOARD_DATA_DIR": str(tmp_path), "REPBOARD_COOKIE_KEY": "k" * 40}
    assert load_config(env, NO_SECRETS).cookie_key == "k" * 40
    assert not (tmp_path / ".cookie_key").exists()
