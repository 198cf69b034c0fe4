"""services.data_version: a counter every write transaction bumps in SQL, seen by every other
session as soon as the write commits and not at all when it rolls back."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services import data_version
from services.db import begin_write, make_engine
from services.schema import upgrade_to_head


def test_a_new_database_reads_zero(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as session:
            assert data_version.current(session) == 0
    finally:
        engine.dispose()


def test_a_bump_counts_once_it_commits_and_not_if_it_rolls_back(engine: Engine) -> None:
    with Session(engine) as writer, Session(engine) as reader:
        start = data_version.current(reader)
        reader.commit()
        begin_write(writer)
        data_version.bump(writer)
        writer.rollback()
        assert data_version.current(reader) == start
        reader.commit()

        begin_write(writer)
        data_version.bump(writer)
        writer.commit()
        # Another session (another process or replica) sees the write at once.
        assert data_version.current(reader) == start + 1


def test_bumps_add_up_even_from_a_session_that_read_an_older_value(engine: Engine) -> None:
    with Session(engine) as early, Session(engine) as late:
        start = data_version.current(early)
        early.commit()
        begin_write(late)
        data_version.bump(late)
        late.commit()
        # `early` last read `start`: the increment happens in the database, so it is not lost.
        begin_write(early)
        data_version.bump(early)
        data_version.bump(early)
        early.commit()
        assert data_version.current(late) == start + 3
