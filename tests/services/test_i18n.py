"""services.i18n: the catalogs in locales/ load for every language, and translate() falls back
to the English msgid and fills placeholders only when given values."""

from __future__ import annotations

import gettext

import pytest

from models.enums import Locale
from services import i18n
from services.i18n import translate

LIMIT = "Use at most {limit} characters."


def test_english_is_the_msgid_and_every_other_language_has_a_compiled_catalog() -> None:
    assert type(i18n.catalog(Locale.EN)) is gettext.NullTranslations
    for locale in Locale:
        if locale != Locale.EN:
            assert isinstance(i18n.catalog(locale), gettext.GNUTranslations), locale
            assert (i18n.LOCALES_DIR / locale / "LC_MESSAGES" / "messages.mo").is_file()
    # Loaded once per process, not on every message.
    assert i18n.catalog("zh_CN") is i18n.catalog("zh_CN")


@pytest.mark.parametrize("locale", list(Locale))
def test_placeholders_are_filled_after_translating(locale: str) -> None:
    text = translate(locale, LIMIT, limit=40)
    assert "40" in text and "{limit}" not in text
    assert text == i18n.catalog(locale).gettext(LIMIT).format(limit=40)


def test_english_shows_the_msgid_and_chinese_its_translation() -> None:
    assert translate("en", LIMIT, limit=40) == "Use at most 40 characters."
    assert translate("zh_CN", LIMIT, limit=40) != translate("en", LIMIT, limit=40)


def test_a_message_without_a_translation_falls_back_to_its_msgid() -> None:
    unknown = "A message no catalog has heard of, for {name}."
    assert translate("zh_CN", unknown, name="Li") == "A message no catalog has heard of, for Li."


def test_without_values_braces_stay_as_they_are() -> None:
    # A message shown without values is not formatted, so literal braces cannot break it.
    assert translate("zh_CN", "{limit} {not a placeholder}") == "{limit} {not a placeholder}"
    with pytest.raises(KeyError):
        translate("en", LIMIT, other=1)
