"""Showing user-entered text safely inside Markdown.

Streamlit renders Markdown with react-markdown and remark-gfm. A backslash before every ASCII
punctuation mark stops all syntax read while parsing (links, images, HTML, emphasis, headings,
lists, tables, `$` maths, `:color[...]` directives). Three things are found later, in the parsed
text where escapes are already gone: GFM's bare-address links (`www.`, `https://`, `a@b.c`),
emoji shortcodes (`:smile:`) and icons (`:material/...:`). An invisible word joiner after each
`:` and `@` and between `www` and its `.` breaks those patterns without changing what the reader
sees (numbers and names with dots stay free of it, for copying).
"""

import re

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WORD_JOINER = "\u2060"
_BREAK_AFTER = re.compile(r"(\\[:@])")
_BREAK_BEFORE = re.compile(r"(?<=www)(\\\.)", re.IGNORECASE)
# Leading blanks would start an indented code block; no-break spaces keep the indent as text.
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def plain(text: str | None) -> str:
    """User or URL text as Markdown that shows exactly as typed, never as markup or a link."""
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", text or "")
    escaped = _BREAK_AFTER.sub(rf"\1{_WORD_JOINER}", escaped)
    escaped = _BREAK_BEFORE.sub(rf"{_WORD_JOINER}\1", escaped)
    escaped = _INDENT.sub(lambda indent: "\u00a0" * len(indent.group()), escaped)
    # Every typed line break stays a line break (Markdown would join the lines).
    return "  \n".join(escaped.splitlines())
