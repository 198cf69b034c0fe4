"""The one place that reads configuration: the environment, then `.streamlit/secrets.toml`."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_SQLITE_PATH = DATA_DIR / "repboard.db"


@dataclass(frozen=True)
class Config:
    database_url: str
    cookie_key: str
    # True only when DATABASE_URL is absent: the embedded SQLite default, where demo data may live.
    embedded: bool


def _read_secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever scheme the provider hands out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _cookie_key_from_file(path: Path) -> str:
    """Generate the cookie key once and keep it beside the database, readable only by us."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_config(environ: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Config:
    environ = dict(os.environ) if environ is None else environ
    file_secrets = _read_secrets(secrets_file)

    def lookup(name: str) -> str | None:
        value = environ.get(name) or file_secrets.get(name)
        return str(value) if value else None

    database_url = lookup("DATABASE_URL")
    data_dir = Path(lookup("REPBOARD_DATA_DIR") or DATA_DIR)
    cookie_key = lookup("REPBOARD_COOKIE_KEY") or _cookie_key_from_file(data_dir / ".cookie_key")
    if database_url:
        return Config(normalise_database_url(database_url), cookie_key, embedded=False)
    data_dir.mkdir(parents=True, exist_ok=True)
    return Config(sqlite_url(data_dir / "repboard.db"), cookie_key, embedded=True)
