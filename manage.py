"""Command line: `python manage.py prepare | seed --size demo|large | create-admin --username U
| recompute-tiers`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlalchemy.engine import Engine
from sqlmodel import Session

import seed
from services.bootstrap import open_database
from services.config import Config, load_config
from services.customers import tiering
from services.errors import RepboardError
from services.i18n import translate
from services.people import users

ADMIN_PASSWORD_ENV = "REPBOARD_ADMIN_PASSWORD"  # noqa: S105 - the variable's name


def _where(config: Config) -> str:
    return "SQLite data/repboard.db" if config.embedded else "DATABASE_URL"


def _prepare(_args: argparse.Namespace) -> int:
    """Upgrade the schema; on the embedded default with nothing in it, load the demo data."""
    config = load_config()
    engine = open_database(config.database_url)
    print(f"Database ready ({_where(config)}), schema at head.")
    if config.embedded:
        _seed_demo_if_empty(engine)
    return 0


def _seed_demo_if_empty(engine: Engine) -> None:
    with engine.connect() as connection:
        holding = seed.tables_with_rows(connection)
    if holding:
        return
    print("The embedded database is empty: loading the demo data.")
    seed.generate(engine, "demo", seed=seed.DEFAULT_SEED)
    print(f"Demo data loaded. Log in as admin, manager or rep with password {seed.DEMO_PASSWORD}.")


def _seed(args: argparse.Namespace) -> int:
    config = load_config()
    engine = open_database(config.database_url)
    if not config.embedded:
        # An explicit choice, so allowed; but say so, a shared database is no place for demos.
        print("Warning: seeding the database at DATABASE_URL, not the embedded SQLite.")
    try:
        seed.generate(engine, args.size, seed=args.seed, force=args.force)
    except seed.DatabaseNotEmpty as refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


def _ask_password() -> str:
    from_env = os.environ.get(ADMIN_PASSWORD_ENV)
    if from_env:
        return from_env
    first = getpass.getpass("Password for the new admin: ")
    if first != getpass.getpass("Repeat the password: "):
        raise SystemExit("The two passwords do not match; nothing was created.")
    return first


def _create_admin(args: argparse.Namespace) -> int:
    engine = open_database(load_config().database_url)
    data = {
        "username": args.username,
        "password": _ask_password(),
        "display_name": args.name or args.username,
        "role": "admin",
    }
    with Session(engine) as session:
        user = users.create(session, None, data=data)
    print(f"Admin {user.username} created. Log in at http://localhost:8501.")
    return 0


def _recompute_tiers(_args: argparse.Namespace) -> int:
    """Store every customer's tier as its won deals give it now (after an import, say)."""
    engine = open_database(load_config().database_url)
    with Session(engine) as session:
        changed = tiering.recompute(session, None)
    print(f"Tiers recomputed: {changed} customers changed tier.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare", help="upgrade the schema; demo data on an empty SQLite")
    seeding = commands.add_parser("seed", help="load the deterministic demo or large data set")
    seeding.add_argument("--size", required=True, choices=sorted(seed.SIZES))
    seeding.add_argument(
        "--seed", type=int, default=seed.DEFAULT_SEED, help="the same seed gives the same data"
    )
    seeding.add_argument(
        "--force", action="store_true", help="empty every table first (replaces all data)"
    )
    create_admin = commands.add_parser("create-admin", help="create an admin account")
    create_admin.add_argument("--username", required=True)
    create_admin.add_argument("--name", help="display name (defaults to the username)")
    commands.add_parser("recompute-tiers", help="recompute every customer's tier from its deals")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {
        "prepare": _prepare,
        "seed": _seed,
        "create-admin": _create_admin,
        "recompute-tiers": _recompute_tiers,
    }[args.command]
    try:
        return handler(args)
    except RepboardError as error:
        print(translate("en", error.msgid, **error.params), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
