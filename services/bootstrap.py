"""Start-up: upgrade the schema, then create the demo accounts on an empty embedded database."""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from models import Rep, Team, User
from models.enums import Locale, Role
from services import users
from services.config import Config
from services.db import make_engine
from services.errors import DatabaseUnavailable
from services.schema import upgrade_to_head
from services.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

DEMO_PASSWORD = "demo1234"  # noqa: S105 - published in the README; embedded demo data only


def open_database(config: Config) -> Engine:
    """The engine for `config`, upgraded and prepared; DatabaseUnavailable if unreachable."""
    try:
        engine = make_engine(config.database_url)
        prepare(engine, config)
    except (sa.exc.DBAPIError, sa.exc.ArgumentError) as error:
        # The URL may hold a password: log only the kind of failure.
        log.error("Database unavailable: %s", type(error).__name__)
        raise DatabaseUnavailable() from None
    return engine


def prepare(engine: Engine, config: Config) -> bool:
    """Upgrade to head; on the embedded default with no users, add the demo accounts.

    Returns True when demo accounts were created. Never creates accounts when
    DATABASE_URL is set: a shared deployment starts with `manage.py create-admin`.
    """
    upgrade_to_head(engine)
    if not config.embedded:
        return False
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(User)).one() > 0:
            return False
        create_demo_accounts(session)
    return True


def create_demo_accounts(session: Session) -> None:
    """admin, manager (of Team East) and rep (Li Wei in Team East), password demo1234.

    Team West has a rep the manager must not see, so scope is visible in the demo.
    """
    with unit_of_work(session, None) as uow:
        region = uow.add(Team(name="North Region"))
        east = uow.add(Team(name="Team East", parent_id=region.id))
        west = uow.add(Team(name="Team West", parent_id=region.id))
        li_wei = uow.add(
            Rep(
                name="Li Wei 李伟",
                team_id=east.id,
                title="Account Manager",
                hire_date=date(2023, 3, 1),
            )
        )
        uow.add(
            Rep(name="Emma Clark", team_id=east.id, title="Sales Rep", hire_date=date(2024, 6, 3))
        )
        uow.add(
            Rep(
                name="Zhang Min 张敏",
                team_id=west.id,
                title="Sales Rep",
                hire_date=date(2025, 1, 6),
            )
        )
    demo = [
        ("admin", "Ada Admin", Role.ADMIN, None, Locale.EN),
        ("manager", "Wang Fang 王芳", Role.MANAGER, None, Locale.ZH_CN),
        ("rep", "Li Wei 李伟", Role.REP, li_wei.id, Locale.ZH_CN),
    ]
    for username, name, role, rep_id, locale in demo:
        users.create(
            session,
            None,
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "display_name": name,
                "role": role,
                "rep_id": rep_id,
                "locale": locale,
            },
        )
    manager = session.exec(select(User).where(User.username == "manager")).one()
    with unit_of_work(session, None) as uow:
        team = uow.load(Team, east.id, version=None)
        uow.change(team, {"manager_user_id": manager.id})
