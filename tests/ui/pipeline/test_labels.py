"""ui/pipeline/labels.py: every deal stage has a name, shown in the user's language."""

from __future__ import annotations

import pytest

from models.enums import DealStage
from services.i18n import translate
from tests.ui.conftest import piece
from ui.pipeline.labels import STAGE_LABELS


def _every_stage() -> None:
    import streamlit as st

    from models.enums import DealStage
    from ui.pipeline.labels import stage_label

    for stage in DealStage:
        st.text(stage_label(stage))


def test_every_stage_has_a_label_and_a_chinese_one() -> None:
    assert set(STAGE_LABELS) == {stage.value for stage in DealStage}
    for msgid in STAGE_LABELS.values():
        assert translate("zh_CN", msgid) != msgid, f"no zh_CN for {msgid!r}"


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_stage_reads_in_the_users_language(locale: str) -> None:
    at = piece(_every_stage, locale=locale).run()
    assert not at.exception, at.exception
    assert [text.value for text in at.text] == [
        translate(locale, STAGE_LABELS[stage]) for stage in DealStage
    ]
    if locale == "en":
        assert at.text[4].value == "Won"
