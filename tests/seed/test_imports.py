"""The seed sits beside the layers: it may use models and services, they never use it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_services_and_models_never_import_the_seed() -> None:
    for package in ("services", "models"):
        for path in (ROOT / package).rglob("*.py"):
            assert "seed" not in _imported(path), path


def test_the_seed_never_imports_streamlit_and_stays_small() -> None:
    for path in (ROOT / "seed").glob("*.py"):
        assert not _imported(path) & {"streamlit", "ui", "pages"}
        assert len(path.read_text(encoding="utf-8").splitlines()) < 500, path
