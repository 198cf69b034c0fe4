"""services.bootstrap: an empty database opens at the schema's head with no data; one that cannot
be reached or named raises DatabaseUnavailable, with nothing of its URL in the error or the log."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services import data_version
from services.bootstrap import open_database, prepare
from services.db import session_scope
from services.errors import DatabaseUnavailable
from services.schema import schema_differences

SECRET = "pa55-w0rd-never-shown"


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(
                sa.select(sa.func.count()).select_from(sa.table(table))
            ).scalar_one()
            for table in sa.inspect(connection).get_table_names()
            if table not in {"alembic_version", "data_version"}
        }


def test_an_empty_database_opens_at_head_and_stays_empty(empty_database_url: str) -> None:
    engine = open_database(empty_database_url)
    try:
        assert schema_differences(engine) == []
        counts = _row_counts(engine)
        assert "users" in counts and set(counts.values()) == {0}
        with session_scope(engine) as session:
            assert data_version.current(session) == 0
        # Every process start prepares again: a database at head is left as it is.
        prepare(engine)
        assert schema_differences(engine) == [] and set(_row_counts(engine).values()) == {0}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://repboard:{SECRET}@127.0.0.1:1/repboard?connect_timeout=2",
        f"nosuchdialect://repboard:{SECRET}@localhost/repboard",
        f"not a url {SECRET}",
    ],
    ids=["unreachable", "unknown-driver", "malformed"],
)
def test_a_database_that_cannot_be_opened_is_unavailable_and_its_url_is_kept_quiet(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="services.bootstrap"),
        pytest.raises(DatabaseUnavailable) as raised,
    ):
        open_database(url)
    error = raised.value
    assert (error.msgid, error.params) == (DatabaseUnavailable.default_msgid, {})
    # Raised `from None`: the driver's error (which may quote the URL) is not chained.
    assert error.__cause__ is None and error.__suppress_context__
    [record] = caplog.records
    assert record.getMessage().startswith("Database unavailable: ")
    assert SECRET not in caplog.text and SECRET not in str(error)
