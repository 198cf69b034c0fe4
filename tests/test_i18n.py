"""Every string marked for translation in the source has a zh_CN translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from services.i18n import translate

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ["pages", "ui", "services", "models"]
KEYWORDS = {"t": None, "N_": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _source_msgids() -> set[str]:
    found: set[str] = set()
    for folder in SOURCE_DIRS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    app = ROOT / "app.py"
    found |= set(re.findall(r'\bt\("([^"]+)"', app.read_text(encoding="utf-8")))
    return found


def _zh_catalog():  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def test_source_strings_are_found() -> None:
    assert "Username or password is incorrect." in _source_msgids()


def test_every_source_string_has_a_chinese_translation() -> None:
    catalog = _zh_catalog()
    missing = sorted(
        msgid
        for msgid in _source_msgids()
        if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy
    )
    assert missing == [], f"run `make i18n` and translate: {missing}"


def test_translations_keep_their_placeholders() -> None:
    for message in _zh_catalog():
        if message.id and message.string:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(message.string)
            ), message.id


def test_compiled_catalog_is_used() -> None:
    assert translate("zh_CN", "Home") == "首页"
    assert translate("zh_CN", "Welcome, {name}", name="李伟") == "欢迎，李伟"
    assert translate("en", "Welcome, {name}", name="Ada") == "Welcome, Ada"
