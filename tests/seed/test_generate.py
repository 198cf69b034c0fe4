"""`seed.generate`: deterministic, refuses a database with data, `force` replaces it whole."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import seed
from models import AuditEvent, Setting, Team, User
from models.enums import Role
from seed.dataset import Dataset
from services import data_version
from tests.conftest import empty_all_tables
from tests.factories import make_user
from tests.seed.conftest import SEEDED_TABLES, TODAY, quiet, totals
from tests.services.helpers import count


def test_the_same_seed_and_day_build_the_same_rows(demo_set: Dataset) -> None:
    again = seed.build("demo", seed=seed.DEFAULT_SEED, today=TODAY)
    assert again.tables == demo_set.tables
    assert again.links == demo_set.links


def test_same_seed_same_counts_and_totals_another_seed_other_totals(engine: Engine) -> None:
    seed.generate(engine, "demo", seed=7, today=TODAY, progress=quiet)
    first = totals(engine)
    empty_all_tables(engine)
    seed.generate(engine, "demo", seed=7, today=TODAY, progress=quiet)
    assert totals(engine) == first
    empty_all_tables(engine)
    seed.generate(engine, "demo", seed=8, today=TODAY, progress=quiet)
    other = totals(engine)
    assert other["won_amount"] != first["won_amount"]
    assert other["survey_scores"] != first["survey_scores"]


def test_progress_names_every_table_with_its_rows(engine: Engine) -> None:
    lines: list[str] = []
    written = seed.generate(engine, "demo", today=TODAY, progress=lines.append)
    assert set(written) == set(SEEDED_TABLES)
    assert {name: totals(engine)[name] for name in SEEDED_TABLES} == written
    for name, rows in written.items():
        assert any(line.split()[:2] == [name, f"{rows:,}"] for line in lines), (name, lines)
    assert lines[-1].startswith("Seeded in ")


def test_a_database_with_data_is_refused_and_nothing_is_written(demo_db: Engine) -> None:
    before = totals(demo_db), count(demo_db, AuditEvent), _version(demo_db)
    with pytest.raises(seed.DatabaseNotEmpty, match="--force"):
        seed.generate(demo_db, "demo", seed=9, today=TODAY, progress=quiet)
    assert (totals(demo_db), count(demo_db, AuditEvent), _version(demo_db)) == before


def test_one_user_is_data_enough_to_refuse(engine: Engine, session: Session) -> None:
    make_user(session, Role.ADMIN, username="alice")
    with pytest.raises(seed.DatabaseNotEmpty, match="users"):
        seed.generate(engine, "demo", today=TODAY, progress=quiet)
    assert count(engine, User) == 1


def test_audit_events_alone_do_not_block_the_demo_data(engine: Engine, session: Session) -> None:
    # A failed login on the empty database before `prepare` seeded it.
    session.add(AuditEvent(action="login.failed", entity="users", username="who"))
    session.commit()
    seed.generate(engine, "demo", today=TODAY, progress=quiet)
    assert count(engine, User) > 0


def test_force_replaces_everything_and_never_mixes_two_sets(
    demo_db: Engine, session: Session
) -> None:
    make_user(session, Role.ADMIN, username="intruder")
    seed.generate(demo_db, "demo", seed=9, today=TODAY, force=True, progress=quiet)
    replaced = totals(demo_db)
    with Session(demo_db) as fresh:
        assert fresh.exec(select(User).where(User.username == "intruder")).first() is None
    empty_all_tables(demo_db)
    seed.generate(demo_db, "demo", seed=9, today=TODAY, progress=quiet)
    assert totals(demo_db) == replaced


def test_the_load_says_what_it_loaded_and_invalidates_cached_reads(
    engine: Engine, demo_set: Dataset
) -> None:
    before = _version(engine)
    seed.load(engine, demo_set, progress=quiet)
    assert _version(engine) == before + 1
    with Session(engine) as session:
        setting = session.get(Setting, "seed")
        assert setting is not None
        assert setting.value == {"size": "demo", "seed": 42, "today": TODAY.isoformat()}
        [event] = session.exec(select(AuditEvent)).all()
    assert (event.action, event.entity, event.user_id) == ("seed.load", "system", None)
    assert event.after is not None and event.after["rows"] == demo_set.counts()


def test_new_rows_get_fresh_ids_after_the_seed(demo_db: Engine, session: Session) -> None:
    # COPY on PostgreSQL writes explicit ids; the sequences must have moved past them.
    highest = max(team.id or 0 for team in session.exec(select(Team)).all())
    team = Team(name="Team North")
    session.add(team)
    session.commit()
    assert team.id == highest + 1


def _version(engine: Engine) -> int:
    with Session(engine) as session:
        return data_version.current(session)
