"""`plain` turns any text into Markdown that reads exactly as typed and holds no markup.

The browser test (tests/browser/test_markdown_injection.py) shows Chromium drawing no link or
image from it; these check the two halves of the promise on the text itself.
"""

from __future__ import annotations

import re

import pytest

from ui.text import plain

PAYLOADS = [
    "[x](http://evil.example)",
    "![x](http://evil.example/x.png)",
    "www.evil.example",
    "https://evil.example/a",
    "user@evil.example",
    "mailto:user@evil.example",
    "<http://evil.example> <b>bold</b> <img src=x>",
    "*em* **strong** _u_ ~~del~~ `code`",
    "# Heading\n- item\n1. one\n> quote\n---",
    "| a | b |\n|---|---|\n| c | d |",
    "$x^2$ and $$y$$",
    ":red[red] :blue-badge[b] :material/home: :smile: :+1:",
    "    indented code",
    "Title\n===",
    "AT&amp;T &lt;x&gt;",
    "[ref]\n\n[ref]: http://evil.example",
    "x\\y \\*",
    "李伟 www.evil.example 王芳",
]
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _as_read(markdown: str) -> str:
    """What a reader sees: escapes resolved, line breaks kept, invisible joiners dropped."""
    text = ESCAPE.sub(r"\1", markdown).replace("\u2060", "").replace("\u00a0", " ")
    return text.replace("  \n", "\n")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_reads_exactly_as_typed(payload: str) -> None:
    assert _as_read(plain(payload)) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_ascii_punctuation_mark_is_escaped(payload: str) -> None:
    assert not re.search(r"[!-/:-@\[-`{-~]", ESCAPE.sub("", plain(payload)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_what_markdown_finds_after_parsing_is_broken(payload: str) -> None:
    """remark-gfm's bare-address links and the emoji and icon shortcodes are found in the text
    once escapes are resolved (these are their patterns in Streamlit's bundle)."""
    parsed = ESCAPE.sub(r"\1", plain(payload))
    assert not re.search(r"(https?://|www(?=\.))([-.\w]+)", parsed, re.IGNORECASE)
    assert not re.search(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", parsed)
    assert not re.search(r":[\w+-]+:", parsed)
    assert ":material/" not in plain(payload)


def test_nothing_is_nothing() -> None:
    assert plain(None) == plain("") == ""
