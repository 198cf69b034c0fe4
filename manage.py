"""Command line: `python manage.py prepare | create-admin --username U`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlmodel import Session

from services import users
from services.bootstrap import open_database
from services.config import load_config
from services.errors import RepboardError
from services.i18n import translate

ADMIN_PASSWORD_ENV = "REPBOARD_ADMIN_PASSWORD"  # noqa: S105 - the variable's name


def _prepare(_args: argparse.Namespace) -> int:
    config = load_config()
    open_database(config)
    where = "SQLite data/repboard.db" if config.embedded else "DATABASE_URL"
    print(f"Database ready ({where}), schema at head.")
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
    engine = open_database(load_config())
    data = {
        "username": args.username,
        "password": _ask_password(),
        "display_name": args.name or args.username,
        "role": "admin",
    }
    with Session(engine) as session:
        user = users.create(session, None, data=data)
    print(f"Admin {user['username']} created. Log in at http://localhost:8501.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manage.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare", help="upgrade the schema; demo accounts on an empty SQLite")
    create_admin = commands.add_parser("create-admin", help="create an admin account")
    create_admin.add_argument("--username", required=True)
    create_admin.add_argument("--name", help="display name (defaults to the username)")
    args = parser.parse_args(argv)
    handler = {"prepare": _prepare, "create-admin": _create_admin}[args.command]
    try:
        return handler(args)
    except RepboardError as error:
        print(translate("en", error.msgid, **error.params), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
