"""Start-up: open the configured database and upgrade its schema to head.

Demo data is not this module's job: `manage.py prepare` (run by `make run`) loads it
through `seed` on an empty embedded database.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.db import make_engine
from services.errors import DatabaseUnavailable
from services.schema import upgrade_to_head

log = logging.getLogger(__name__)


def open_database(database_url: str) -> Engine:
    """The engine for `database_url`, upgraded to head; DatabaseUnavailable if unreachable."""
    try:
        engine = make_engine(database_url)
        prepare(engine)
    except (sa.exc.DBAPIError, sa.exc.ArgumentError) as error:
        # The URL may hold a password: log only the kind of failure.
        log.error("Database unavailable: %s", type(error).__name__)
        raise DatabaseUnavailable() from None
    return engine


def prepare(engine: Engine) -> None:
    """Upgrade the schema to head; never creates accounts or data."""
    upgrade_to_head(engine)
