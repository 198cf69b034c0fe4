"""services/people/auth.py: password checks, the database lockout and server-side sessions."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import bcrypt
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models import AuditEvent, Setting, User, UserSession
from models.base import utcnow
from services import data_version
from services.db import begin_write, make_engine
from services.errors import LoginFailed, SessionEnded, ValidationError
from services.people import account, auth, users
from services.unit_of_work import unit_of_work
from tests.factories import PASSWORD, Org, make_user
from tests.services.helpers import StatementCounter, audit_actions, snapshot


def _fresh_user(engine: Engine, username: str) -> User:
    # A new Session: what a restarted process would read.
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def _session_record(engine: Engine, token: str) -> UserSession:
    with Session(engine) as session:
        return session.exec(
            select(UserSession).where(UserSession.token_id == auth.token_id(token))
        ).one()


def _age(session: Session, token: str, **changes: timedelta) -> None:
    """Move a session's timestamps back in time by the given amounts."""
    record = session.exec(
        select(UserSession).where(UserSession.token_id == auth.token_id(token))
    ).one()
    for name, age in changes.items():
        setattr(record, name, getattr(record, name) - age)
    session.add(record)
    session.commit()


def _lock(session: Session, username: str) -> None:
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            auth.authenticate(session, username, "wrong")


def test_correct_password_logs_in_and_is_audited(session: Session, engine: Engine) -> None:
    Org(session)
    user = auth.authenticate(session, "  EastRep ", PASSWORD)
    assert user.username == "eastrep"
    assert audit_actions(engine)[-1] == "login"


def test_unknown_user_and_wrong_password_look_the_same(session: Session, engine: Engine) -> None:
    Org(session)
    with pytest.raises(LoginFailed) as unknown:
        auth.authenticate(session, "ghost", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        auth.authenticate(session, "eastrep", "not the password")
    assert unknown.value.msgid == wrong.value.msgid
    with Session(engine) as fresh:
        failed = fresh.exec(
            select(AuditEvent.username).where(AuditEvent.action == "login.failed")
        ).all()
    assert failed == ["ghost", "eastrep"]


def test_five_failures_lock_for_15_minutes_in_the_database(
    session: Session, engine: Engine
) -> None:
    Org(session)
    before = utcnow()
    _lock(session, "eastrep")
    after = utcnow()
    stored = _fresh_user(engine, "eastrep")
    assert stored.locked_until is not None
    # Fifteen minutes from the fifth failure, however long the five bcrypt checks took.
    lock = timedelta(minutes=15)
    assert before + lock <= stored.locked_until.replace(tzinfo=before.tzinfo) <= after + lock
    # Even the right password is refused while locked, and the lock survives a restart.
    with pytest.raises(LoginFailed):
        auth.authenticate(session, "eastrep", PASSWORD)
    with Session(engine) as other_process, pytest.raises(LoginFailed):
        auth.authenticate(other_process, "eastrep", PASSWORD)
    assert audit_actions(engine)[-3:] == ["login.locked", "login.failed", "login.failed"]


def test_a_locked_account_and_an_unknown_user_cannot_be_told_apart(session: Session) -> None:
    Org(session)
    _lock(session, "eastrep")
    with pytest.raises(LoginFailed) as locked:
        auth.authenticate(session, "eastrep", PASSWORD)
    with pytest.raises(LoginFailed) as unknown:
        auth.authenticate(session, "nobody", PASSWORD)
    assert (locked.value.msgid, locked.value.params) == (unknown.value.msgid, unknown.value.params)


def _bcrypt_checks(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The passwords bcrypt is asked to check from now on (the real check still runs)."""
    checked: list[bytes] = []
    real_check = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        checked.append(password)
        return real_check(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return checked


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("eastrep", PASSWORD),
        ("eastrep", "wrong"),
        ("nobody", PASSWORD),
        ("locked", PASSWORD),
        ("inactive", PASSWORD),
    ],
)
def test_every_login_costs_one_bcrypt_check(
    session: Session, monkeypatch: pytest.MonkeyPatch, username: str, password: str
) -> None:
    # The same work whatever the outcome, so its time tells nothing either.
    org = Org(session)
    make_user(session, username="locked")
    _lock(session, "locked")
    org.west_rep_user.active = False
    org.west_rep_user.username = "inactive"
    session.add(org.west_rep_user)
    session.commit()
    checked = _bcrypt_checks(monkeypatch)
    with contextlib.suppress(LoginFailed):
        auth.authenticate(session, username, password)
    assert checked == [password.encode()]


def test_a_failed_login_leaves_cached_reads_and_open_edits_valid(
    session: Session, engine: Engine
) -> None:
    Org(session)
    version_before = _fresh_user(engine, "eastrep").version
    data_before = data_version.current(session)
    _lock(session, "eastrep")
    auth.authenticate(session, "admin", PASSWORD)
    assert data_version.current(session) == data_before
    # An admin's form opened before the failures still saves.
    assert _fresh_user(engine, "eastrep").version == version_before
    assert audit_actions(engine).count("login.failed") == auth.MAX_FAILED_LOGINS - 1


def test_typed_usernames_are_audited_cut_to_the_username_limit(
    session: Session, engine: Engine
) -> None:
    Org(session)
    with pytest.raises(LoginFailed):
        auth.authenticate(session, "  " + "X" * 300, PASSWORD)
    with Session(engine) as fresh:
        typed = fresh.exec(select(AuditEvent.username)).one()
    assert typed == "x" * auth.USERNAME_MAX_CHARS == "x" * 64


def test_the_lock_ends_when_its_time_has_passed(session: Session, engine: Engine) -> None:
    Org(session)
    user = _fresh_user(engine, "eastrep")
    user.locked_until = utcnow() - timedelta(seconds=1)
    session.add(user)
    session.commit()
    assert auth.authenticate(session, "eastrep", PASSWORD).locked_until is None


def test_a_too_long_password_is_a_message_and_writes_nothing(
    session: Session, engine: Engine
) -> None:
    Org(session)
    before = snapshot(engine)
    for password in ["a" * 73, "密" * 30]:
        with pytest.raises(ValidationError) as error:
            auth.authenticate(session, "eastrep", password)
        assert error.value.field == "password"
        assert password not in str(error.value) + repr(error.value) + str(error.value.params)
    assert snapshot(engine) == before


def test_an_inactive_user_cannot_log_in(session: Session) -> None:
    org = Org(session)
    org.east_rep_user.active = False
    session.add(org.east_rep_user)
    session.commit()
    with pytest.raises(LoginFailed):
        auth.authenticate(session, "eastrep", PASSWORD)


def test_sessions_open_check_and_end(session: Session) -> None:
    org = Org(session)
    token = auth.start_session(session, org.east_rep_user)
    signed_in = auth.check_session(session, token)
    assert (signed_in.actor.username, signed_in.actor.rep_id) == ("eastrep", org.east_rep.id)
    assert not signed_in.must_change_password
    auth.end_session(session, token)
    with pytest.raises(SessionEnded):
        auth.check_session(session, token)
    with pytest.raises(SessionEnded):
        auth.check_session(session, "never-opened")


def test_a_session_token_is_random_and_only_its_hash_is_stored(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    tokens = [auth.start_session(session, org.east_rep_user) for _ in range(2)]
    assert tokens[0] != tokens[1]
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64
    record = _session_record(engine, tokens[0])
    assert record.token_id == hashlib.sha256(tokens[0].encode()).hexdigest()
    with Session(engine) as fresh:
        stored = [row.model_dump_json() for row in fresh.exec(select(UserSession)).all()]
        stored += [row.model_dump_json() for row in fresh.exec(select(AuditEvent)).all()]
    assert not any(token in row for token in tokens for row in stored)


def test_a_session_ends_after_12_hours(session: Session, engine: Engine) -> None:
    org = Org(session)
    token = auth.start_session(session, org.east_rep_user)
    _age(session, token, created_at=timedelta(hours=12, minutes=1))
    with pytest.raises(SessionEnded):
        auth.check_session(session, token)
    assert _session_record(engine, token).end_reason == "expired"


def test_a_session_ends_after_the_idle_timeout_setting(session: Session, engine: Engine) -> None:
    org = Org(session)
    token = auth.start_session(session, org.east_rep_user)
    _age(session, token, last_seen_at=timedelta(minutes=29))
    auth.check_session(session, token)  # 30 minutes by default
    _age(session, token, last_seen_at=timedelta(minutes=31))
    with pytest.raises(SessionEnded):
        auth.check_session(session, token)
    assert _session_record(engine, token).end_reason == "idle"

    session.add(Setting(key="session_idle_minutes", value=60))
    session.commit()
    longer = auth.start_session(session, org.east_rep_user)
    _age(session, longer, last_seen_at=timedelta(minutes=45))
    with Session(engine) as next_rerun:  # settings are read once per session
        assert auth.check_session(next_rerun, longer).actor.username == "eastrep"


def test_sessions_ended_30_days_ago_are_purged_at_the_next_login(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    old, recent, forgotten = (auth.start_session(session, org.east_rep_user) for _ in range(3))
    for token in (old, recent):
        auth.end_session(session, token)
    _age(session, old, ended_at=timedelta(days=31))
    _age(session, recent, ended_at=timedelta(days=29))
    # Never logged out, opened long ago: it expired after 12 hours.
    _age(session, forgotten, created_at=timedelta(days=31))
    current = auth.start_session(session, org.west_rep_user)
    with Session(engine) as fresh:
        kept = fresh.exec(select(UserSession.token_id).order_by(col(UserSession.id))).all()
    assert kept == [auth.token_id(recent), auth.token_id(current)]
    assert "session.purge" in audit_actions(engine)


def test_deactivation_reset_and_password_change_end_sessions(session: Session) -> None:
    org = Org(session)
    admin = org.actor(session, org.admin)
    tokens = [auth.start_session(session, org.east_rep_user) for _ in range(2)]
    users.set_active(
        session, admin, user_id=org.east_rep_user.id, version=org.east_rep_user.version,
        active=False,
    )  # fmt: skip
    for token in tokens:
        with pytest.raises(SessionEnded):
            auth.check_session(session, token)

    west = auth.start_session(session, org.west_rep_user)
    users.reset_password(
        session, admin, user_id=org.west_rep_user.id, version=org.west_rep_user.version,
        new_password="temporary-pw",
    )  # fmt: skip
    with pytest.raises(SessionEnded):
        auth.check_session(session, west)

    keep = auth.start_session(session, org.east_manager)
    other = auth.start_session(session, org.east_manager)
    manager = org.actor(session, org.east_manager)
    account.change_password(
        session, manager, current=PASSWORD, new="a brand new one", keep_token=keep
    )
    assert auth.check_session(session, keep).actor.username == "eastboss"
    with pytest.raises(SessionEnded):
        auth.check_session(session, other)


def _gate_statements(engine: Engine, username: str) -> list[str]:
    """What a login and the next rerun's session check run, each in its own session as the
    app runs them."""
    with StatementCounter(engine) as counter:
        with Session(engine) as login:
            token = auth.start_session(login, auth.authenticate(login, username, PASSWORD))
        with Session(engine) as rerun:
            auth.check_session(rerun, token)
    return counter.statements


def test_the_login_gate_reads_only_the_user_concerned(session: Session, engine: Engine) -> None:
    Org(session)
    few = _gate_statements(engine, "eastrep")
    for _ in range(40):
        make_user(session)
    many = _gate_statements(engine, "eastrep")
    assert len(many) == len(few)
    assert not any("FROM users" in statement and "WHERE" not in statement for statement in many)


def _updates_of_last_seen(statements: list[str]) -> int:
    return sum("UPDATE user_sessions SET last_seen_at" in statement for statement in statements)


def test_a_session_is_marked_seen_at_most_once_a_minute(session: Session, engine: Engine) -> None:
    org = Org(session)
    token = auth.start_session(session, org.east_rep_user)
    _age(session, token, last_seen_at=timedelta(minutes=2))

    def checks() -> list[str]:
        with StatementCounter(engine) as counter:
            auth.check_session(session, token)
        return counter.statements

    assert _updates_of_last_seen(checks()) == 1
    assert _updates_of_last_seen(checks()) == 0
    assert utcnow() - _session_record(engine, token).last_seen_at < timedelta(minutes=1)


@contextlib.contextmanager
def _impatient_engine(engine: Engine) -> Iterator[Engine]:
    """A second engine on the same database that gives up waiting for a lock after 50 ms."""
    impatient = make_engine(engine.url.render_as_string(hide_password=False))

    @sa.event.listens_for(impatient, "connect")
    def _short_wait(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA busy_timeout=50")
        else:
            cursor.execute("SET lock_timeout = '50ms'")
        cursor.close()

    yield impatient
    impatient.dispose()


def test_a_lock_held_too_long_never_fails_the_session_check(
    session: Session, engine: Engine
) -> None:
    org = Org(session)
    token = auth.start_session(session, org.east_rep_user)
    _age(session, token, last_seen_at=timedelta(minutes=2))
    seen_before = _session_record(engine, token).last_seen_at
    with _impatient_engine(engine) as impatient, Session(engine) as writer:
        # Another writer holds the session row (and, on SQLite, the database) meanwhile.
        begin_write(writer)
        writer.exec(select(UserSession).with_for_update()).all()
        with Session(impatient) as page:
            assert auth.check_session(page, token).actor.username == "eastrep"
        writer.rollback()
    assert _session_record(engine, token).last_seen_at == seen_before
    with Session(engine) as later:
        auth.check_session(later, token)
    assert _session_record(engine, token).last_seen_at > seen_before


CHECKERS = 6
ROUNDS = 15


def test_session_checks_among_concurrent_writers_raise_nothing(
    session: Session, engine: Engine
) -> None:
    """Pages check their sessions while other users save: no "database is locked"."""
    org = Org(session)
    tokens = [auth.start_session(session, org.east_rep_user) for _ in range(CHECKERS)]
    start = threading.Barrier(CHECKERS + 2)
    failures: list[BaseException] = []

    def checker(token: str) -> None:
        start.wait()
        for _ in range(ROUNDS):
            with Session(engine) as page:
                auth.check_session(page, token)

    def writer(name: str) -> None:
        start.wait()
        for round_number in range(ROUNDS * 2):
            with Session(engine) as other, unit_of_work(other, None, username=name) as uow:
                # Every session looks unseen again, so each check writes its mark. The rows
                # are locked in id order first, or the two writers may deadlock each other.
                other.exec(select(UserSession.id).order_by(col(UserSession.id)).with_for_update())
                other.exec(
                    sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2))
                )
                uow.audit("test.write", entity="test", entity_id=round_number)

    def guarded(work: Callable[[str], None], argument: str) -> None:
        try:
            work(argument)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(checker, token)) for token in tokens]
    threads += [threading.Thread(target=guarded, args=(writer, f"w{n}")) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
