"""Schema upgrades through Alembic; the app never calls `create_all`."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models  # noqa: F401 - the whole schema on SQLModel.metadata
from services.config import ROOT


def _alembic_config(connection: object) -> AlembicConfig:
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Every migration up to `revision` (tests stop earlier to check a data migration)."""
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def downgrade_to_base(engine: Engine) -> None:
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "base")


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would still write: empty when models and database agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, SQLModel.metadata))
