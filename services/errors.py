"""Errors services raise; `ui.errors` turns each into a message in the user's language.

Each carries a msgid (marked for extraction with `N_`) and the values its placeholders take,
never a password or a hash.
"""

from __future__ import annotations

from models.base import N_


class RepboardError(Exception):
    default_msgid = N_("Something went wrong.")

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        self.msgid = msgid or self.default_msgid
        self.params = params
        super().__init__(self.msgid)


class PermissionDenied(RepboardError):
    default_msgid = N_("You do not have access to this.")


class NotFound(RepboardError):
    default_msgid = N_("This record no longer exists.")


class StaleEdit(RepboardError):
    default_msgid = N_(
        "Someone else changed this record since you opened it. "
        "Reload it and make your change again."
    )


class ValidationError(RepboardError):
    default_msgid = N_("Please check the form.")

    def __init__(self, msgid: str | None = None, *, field: str | None = None, **params: object):
        super().__init__(msgid, **params)
        self.field = field


class LoginFailed(RepboardError):
    # One message for an unknown user, a wrong password and a locked account, so usernames
    # cannot be probed.
    default_msgid = N_("Username or password is incorrect.")


class Conflict(RepboardError):
    """Someone else's write won a race past a uniqueness check; nothing of ours was written."""

    default_msgid = N_(
        "Someone else saved the same thing a moment ago, so this was not saved. "
        "Reload the page to see it."
    )


class SessionEnded(RepboardError):
    default_msgid = N_("Your session has ended. Please log in again.")


class DatabaseUnavailable(RepboardError):
    default_msgid = N_(
        "Repboard cannot reach its database. Check DATABASE_URL and that the database "
        "server is running, then reload this page."
    )
