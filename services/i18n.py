"""Loading the gettext catalogs in `locales/` and translating a message for a locale."""

from __future__ import annotations

import gettext
from functools import cache

from models.enums import Locale
from services.config import ROOT

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"


@cache
def catalog(locale: str) -> gettext.NullTranslations:
    """The compiled catalog for `locale`; English msgids are their own translation."""
    if locale == Locale.EN:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[locale])


def translate(locale: str, msgid: str, **params: object) -> str:
    text = catalog(locale).gettext(msgid)
    return text.format(**params) if params else text
