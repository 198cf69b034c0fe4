"""The large data set on each backend: reused when the database already holds it, else seeded."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from models import Setting
from services.config import sqlite_url
from services.db import make_engine
from services.schema import upgrade_to_head

BENCH_DIR = Path(__file__).resolve().parent
# The app finds the SQLite file as `repboard.db` under REPBOARD_DATA_DIR.
SQLITE_DIR = BENCH_DIR / "data" / "sqlite"
POSTGRES_DIR = BENCH_DIR / "data" / "postgresql"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_SCHEMA = "repboard_bench"
SIZE = "large"
# The Setting row the seed writes to say what is loaded.
SEED_SETTING = "seed"
SEED_SOURCES = BENCH_DIR.parent / "seed"
# Which version of the generator built the data in each database (keyed by its URL).
FINGERPRINTS = BENCH_DIR / "data" / "fingerprints.json"

Progress = Callable[[str], None]


@dataclass
class Backend:
    """One database the bench runs on, and the environment that points app.py at it."""

    name: str
    url: str
    app_env: dict[str, str | None]
    engine: Engine
    seed: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def sqlite_backend() -> Backend:
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(SQLITE_DIR / "repboard.db")
    env: dict[str, str | None] = {"DATABASE_URL": None, "REPBOARD_DATA_DIR": str(SQLITE_DIR)}
    return Backend("sqlite", url, env, make_engine(url))


def postgres_base_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL


def _in_schema(base_url: str, schema: str) -> str:
    url = sa.make_url(base_url)
    if url.drivername in {"postgres", "postgresql"}:
        url = url.set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def postgres_backend() -> Backend:
    """PostgreSQL at BENCH_DATABASE_URL, in a schema of its own; raises if unreachable."""
    base = _in_schema(postgres_base_url(), "public")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{POSTGRES_SCHEMA}"')
    finally:
        admin.dispose()
    url = _in_schema(postgres_base_url(), POSTGRES_SCHEMA)
    POSTGRES_DIR.mkdir(parents=True, exist_ok=True)
    env: dict[str, str | None] = {"DATABASE_URL": url, "REPBOARD_DATA_DIR": str(POSTGRES_DIR)}
    return Backend("postgresql", url, env, make_engine(url))


def loaded_seed(engine: Engine) -> dict[str, Any]:
    """What the seed says it loaded ({"size", "seed", "today"}); empty when nothing was."""
    with Session(engine) as session:
        row = session.get(Setting, SEED_SETTING)
        return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def row_counts(engine: Engine) -> dict[str, int]:
    counts = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            query = sa.select(sa.func.count()).select_from(table)
            counts[table.name] = int(connection.execute(query).scalar_one())
    return counts


_built: list[Any] = []


def _large_dataset(progress: Progress) -> Any:
    """The large data set, built once per run and loaded into every backend that needs it."""
    # Imported here: the generator is only needed when a backend must be seeded.
    import seed

    if not _built:
        started = time.perf_counter()
        _built.append(seed.build(SIZE))
        progress(f"Generated the {SIZE} data set in {time.perf_counter() - started:.0f} s")
    return _built[0]


def generator_fingerprint() -> str:
    """A hash of the seed generator's source: data built by another version is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(SEED_SOURCES.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _fingerprints() -> dict[str, str]:
    return json.loads(FINGERPRINTS.read_text("utf-8")) if FINGERPRINTS.is_file() else {}


def _key(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


def _remember(url: str, fingerprint: str) -> None:
    FINGERPRINTS.parent.mkdir(parents=True, exist_ok=True)
    known = _fingerprints() | {_key(url): fingerprint}
    FINGERPRINTS.write_text(json.dumps(known, indent=2), "utf-8")


def _stale(backend: Backend, fingerprint: str) -> str | None:
    """Why the loaded data cannot be reused, or None when it can."""
    if backend.seed.get("size") != SIZE:
        return f"the database holds {backend.seed.get('size') or 'no seed data'}"
    if _fingerprints().get(_key(backend.url)) != fingerprint:
        return "the seed generator changed since it was loaded"
    return None


def prepare(backend: Backend, *, rebuild: bool = False, progress: Progress = print) -> Backend:
    """Upgrade to head, then reuse the large set if loaded, else seed it (replacing any data)."""
    upgrade_to_head(backend.engine)
    backend.seed = loaded_seed(backend.engine)
    fingerprint = generator_fingerprint()
    reason = "--rebuild" if rebuild else _stale(backend, fingerprint)
    if reason:
        import seed

        progress(f"[{backend.name}] seeding the {SIZE} data set ({reason}) …")
        started = time.perf_counter()
        seed.load(backend.engine, _large_dataset(progress), force=True, progress=progress)
        progress(f"[{backend.name}] seeded in {time.perf_counter() - started:.0f} s")
        backend.seed = loaded_seed(backend.engine)
        _remember(backend.url, fingerprint)
    else:
        progress(f"[{backend.name}] reusing the {SIZE} data set seeded as {backend.seed}")
    backend.seed["generator"] = fingerprint
    backend.rows = row_counts(backend.engine)
    return backend
