"""Nothing of ours in English on a Chinese page: every page each role may open, rendered in
zh_CN, shows no ASCII word outside the data, the brand and a short list of symbols.

Streamlit's own "View more / View less" under the sidebar's navigation is drawn by the browser
and not in this tree; app.py keeps the navigation expanded, so it never shows."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe

from seed.dataset import Dataset
from tests.pages.conftest import ROLES_PAGES, by_label
from ui.language import LANGUAGES

# The same in both languages: the brand, file formats, measures' acronyms, the currency's
# code (the office's setting, and CN in CN¥).
ALLOWED = frozenset({
    "Repboard", "CSV", "XLSX", "NPS", "CSAT", "KPI", "RFM", "SLA", "SMART", "CN", "CNY",
})  # fmt: skip
# Columns whose values are codes the app translates, not text somebody typed.
CODES = frozenset({
    "stage", "from_stage", "to_stage", "status", "role", "locale", "channel", "metric_key",
    "owner_kind", "period_kind", "kind", "severity", "category", "password_hash",
})  # fmt: skip
# The language switch is in both languages, and each language is named in itself, for a user
# who does not read the one shown.
BILINGUAL = frozenset({"Language / 语言", *LANGUAGES.values()})
WORD = re.compile(r"[A-Za-z]{2,}")
# Markdown that is not text: icons, colours, and the backslashes plain() escapes data with.
MARKUP = [
    (re.compile(r":material/\w+:"), ""),
    (re.compile(r":(?:red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)\["), "["),
    (re.compile(r"\\(.)"), r"\1"),
]
# What a column's config shows a user (its other keys are formats and kinds).
READ = frozenset({"help", "display_text", "placeholder", "label"})
# The proto fields that hold what a user reads on an element.
TEXT_FIELDS = ("label", "help", "placeholder", "body", "delta", "caption")


def _data_by_first_word(dataset: Dataset) -> dict[str, list[str]]:
    """Every text value of the data set, under its first ASCII word: a value is taken out of a
    text whole, so "Revenue" in a goal's title hides no untranslated "Revenue" elsewhere."""
    index: defaultdict[str, set[str]] = defaultdict(set)
    for table in dataset.tables:
        for row in table.rows:
            for column, value in zip(table.columns, row, strict=True):
                if isinstance(value, str) and column not in CODES:
                    first = WORD.search(value)
                    if first:
                        index[first.group()].add(value.strip())
    return {word: sorted(values) for word, values in index.items()}


def _texts(node: Any) -> Iterator[str]:
    """What the node and everything inside it show in words, but a table's cells (data)."""
    proto = getattr(node, "proto", None)
    for name in TEXT_FIELDS:
        value = getattr(proto, name, None)
        if isinstance(value, str):
            yield value
    if hasattr(node, "label") and isinstance(node.label, str):
        yield node.label
    options = getattr(proto, "options", None)
    if options is not None:
        yield from (option for option in options if isinstance(option, str))
    if isinstance(node, Dataframe):
        yield from _headers(node)
    spec = getattr(proto, "spec", None)
    if isinstance(spec, str) and spec:
        # A chart's titles, axis titles and tooltips' titles; its data are not read here.
        yield from _titles(json.loads(spec))
    if isinstance(node, Block) or hasattr(node, "children"):
        for child in getattr(node, "children", {}).values():
            yield from _texts(child)


def _headers(table: Dataframe) -> Iterator[str]:
    """A table's column headers as shown: the column config's label where it sets one, and
    its other texts (a cell's help); a hidden column (a row's id) is not shown."""
    config: dict[str, dict[str, Any]] = json.loads(table.proto.columns or "{}")
    for column in table.value.columns:
        shown = config.get(str(column), {})
        if not shown.get("hidden"):
            yield shown.get("label") or str(column)
    for shown in config.values():
        yield from (text for text in _strings(shown) if text is not shown.get("label"))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            # Formats (printf, dates) and kinds are for the table, not read as words.
            if key in READ or isinstance(item, dict | list):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _titles(spec: Any) -> Iterator[str]:
    if isinstance(spec, dict):
        for key, item in spec.items():
            if key == "title":
                yield from _strings(item["text"] if isinstance(item, dict) else item)
            else:
                yield from _titles(item)
    elif isinstance(spec, list):
        for item in spec:
            yield from _titles(item)


def _english(text: str, data: dict[str, list[str]]) -> set[str]:
    if text in BILINGUAL:
        return set()
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    # Longest first, across words: "Hardware Bundle" inside a summary must not break it up.
    candidates = {value for word in set(WORD.findall(text)) & data.keys() for value in data[word]}
    for value in sorted(candidates, key=len, reverse=True):
        text = text.replace(value, " ")
    return {word for word in WORD.findall(text) if word not in ALLOWED}


def _english_on(at: AppTest, data: dict[str, list[str]]) -> dict[str, set[str]]:
    """Each text of the page that has English in it, with its English words."""
    return {text: words for text in _texts(at._tree) if (words := _english(text, data))}


@pytest.mark.parametrize("role", list(ROLES_PAGES))
def test_no_english_on_a_chinese_page(logged_in, demo_dataset: Dataset, role: str) -> None:
    data = _data_by_first_word(demo_dataset)
    at: AppTest = logged_in(role)
    by_label(at.selectbox, "Language / 语言").select("zh_CN").run()
    found: dict[str, dict[str, set[str]]] = {}
    for page in ROLES_PAGES[role]:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if english := _english_on(at, data):
            found[page] = english
    assert found == {}
    # The scan reads the page: the same page in English is full of English words.
    by_label(at.selectbox, "Language / 语言").select("en").run()
    assert len(_english_on(at, data)) > 5
