"""services/people/passwords.py: the rules come before bcrypt (cost 12), and a password
longer than bcrypt reads never matches the hash of its first 72 bytes."""

from __future__ import annotations

import pytest

from services.errors import ValidationError
from services.people import passwords


def test_a_hash_is_bcrypt_at_cost_12_salted_and_matches_only_its_password() -> None:
    first = passwords.validated_hash("correct horse", "chen")
    second = passwords.validated_hash("correct horse", "chen")
    assert first.startswith("$2b$12$") and second.startswith("$2b$12$")
    assert first != second
    assert passwords.matches("correct horse", first)
    assert passwords.matches("correct horse", second)
    assert not passwords.matches("correct horsE", first)
    assert not passwords.matches("", first)


@pytest.mark.parametrize(
    ("password", "msgid"),
    [
        ("seven77", "The password must be at least 8 characters."),
        ("x" * 65, "The password must be at most 64 characters."),
        # 25 characters, 75 bytes: bcrypt would read only the first 72.
        ("密" * 25, "The password is too long: at most 72 bytes (about 24 Chinese characters)."),
        (" leading space", "The password must not start or end with a space."),
        ("trailing space ", "The password must not start or end with a space."),
        ("Chen.Jing.99", "The password must not be the username."),
    ],
)
def test_a_password_breaking_a_rule_is_a_message_on_the_password_field(
    password: str, msgid: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        passwords.validated_hash(password, " chen.jing.99 ")
    assert (raised.value.field, raised.value.msgid) == ("password", msgid)
    assert password not in str(raised.value.params)


def test_a_password_past_72_bytes_never_matches_the_hash_of_its_start() -> None:
    at_the_limit = "密" * 24  # 72 bytes, the most bcrypt reads
    stored = passwords.validated_hash(at_the_limit, "chen")
    assert passwords.matches(at_the_limit, stored)
    # bcrypt alone would cut this to the 72 bytes above and accept it.
    assert not passwords.matches(at_the_limit + "x", stored)
