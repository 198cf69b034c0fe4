"""The names of deal stages as users read them."""

from __future__ import annotations

from ui.i18n import N_, t

STAGE_LABELS = {
    "lead": N_("Lead"), "qualified": N_("Qualified"), "proposal": N_("Proposal"),
    "negotiation": N_("Negotiation"), "won": N_("Won"), "lost": N_("Lost"),
}  # fmt: skip


def stage_label(stage: str) -> str:
    return t(STAGE_LABELS[stage])
