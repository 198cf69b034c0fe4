"""ui/edits.py is the one way a page saves against a record's version: no page or ui module
passes a `version=` to a service itself (the version read on the current rerun would let a
change made meanwhile be overwritten). The two-session flows are in
tests/pages/test_stale_edits.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THE_PIECE = ROOT / "ui" / "edits.py"


def _versions_passed(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and any(kw.arg == "version" for kw in node.keywords)
    ]


def test_only_the_shared_piece_passes_a_version() -> None:
    modules = sorted([*ROOT.glob("ui/**/*.py"), *ROOT.glob("pages/**/*.py")])
    assert THE_PIECE in modules
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in modules
        if path != THE_PIECE
        for line in _versions_passed(path)
    }
    assert not found, f"save through ui.edits.save instead: {sorted(found)}"


def test_the_scan_sees_a_version_passed() -> None:
    assert _versions_passed(THE_PIECE), "ui/edits.py passes the version it opened"
