"""ui.choice: a selectbox's choice survives a language switch, and its labels are the ones of
the run that drew it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from services.i18n import translate
from ui.choice import labels_now
from ui.i18n import LOCALE_KEY

STAGES = ["lead", "qualified", "won"]


def _stage_picker() -> None:
    import streamlit as st

    from ui.choice import remembered_selectbox
    from ui.i18n import t
    from ui.pipeline.labels import stage_label

    chosen = remembered_selectbox(
        t("Stage"), ["lead", "qualified", "won"], key="stage", format_func=stage_label,
        default=st.session_state.get("default"),
    )  # fmt: skip
    st.text(chosen)


def test_the_choice_survives_a_switch_of_language() -> None:
    at = AppTest.from_function(_stage_picker).run()
    [picker] = at.selectbox
    assert (picker.label, picker.options, picker.value) == ("Stage", ["Lead", "Qualified", "Won"],
                                                            "lead")  # fmt: skip
    picker.select("won").run()
    assert at.text[0].value == "won"

    at.session_state[LOCALE_KEY] = "zh_CN"
    at.run()
    [picker] = at.selectbox
    assert picker.label == translate("zh_CN", "Stage")
    assert picker.options == [translate("zh_CN", name) for name in ["Lead", "Qualified", "Won"]]
    assert (picker.value, at.text[0].value) == ("won", "won")
    # A choice made in Chinese is kept back in English.
    picker.select("qualified").run()
    at.session_state[LOCALE_KEY] = "en"
    at.run()
    assert (at.selectbox[0].value, at.session_state["stage"]) == ("qualified", "qualified")


def test_the_default_holds_until_a_choice_and_an_unknown_one_falls_to_the_first() -> None:
    at = AppTest.from_function(_stage_picker)
    at.session_state["default"] = "qualified"
    assert at.run().selectbox[0].value == "qualified"
    unknown = AppTest.from_function(_stage_picker)
    unknown.session_state["stage"] = "archived"
    assert unknown.run().selectbox[0].value == "lead"
    assert unknown.session_state["stage"] == "lead"


def test_labels_are_made_once_when_asked_for_not_when_shown() -> None:
    made: list[str] = []

    def label(option: str) -> str:
        made.append(option)
        return f"<{option}>"

    shown = labels_now(STAGES, label)
    assert made == STAGES
    assert [shown(option) for option in reversed(STAGES)] == ["<won>", "<qualified>", "<lead>"]
    assert made == STAGES
