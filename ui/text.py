"""Showing user-entered text safely inside Markdown."""

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def plain(text: str | None) -> str:
    """Escape Markdown so user text shows exactly as typed, never as markup or links."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")
