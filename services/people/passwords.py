"""bcrypt hashing with the password rules checked first (bcrypt reads only 72 bytes)."""

from __future__ import annotations

import bcrypt

from models.users import PASSWORD_MAX_BYTES, check_password_rules
from services.errors import ValidationError

BCRYPT_ROUNDS = 12


def validated_hash(password: str, username: str) -> str:
    """Hash `password` after checking the rules; ValidationError names the field `password`."""
    try:
        check_password_rules(password, username)
    except ValueError as error:
        raise ValidationError(str(error), field="password") from None
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def matches(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > PASSWORD_MAX_BYTES:
        return False
    return bcrypt.checkpw(encoded, password_hash.encode("ascii"))


# Compared against when the username is unknown, so both paths cost one bcrypt check.
_DUMMY_HASH = bcrypt.hashpw(b"not a real password", bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def waste_a_check(password: str) -> None:
    matches(password, _DUMMY_HASH)
