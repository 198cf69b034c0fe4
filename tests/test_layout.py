"""The project's layout, pins and settings that DESIGN.md §3 and the README promise."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_layout_has_every_part() -> None:
    for part in [
        "app.py", "pages", "ui", "services", "models", "migrations/env.py", "locales",
        "seed", "tests", "bench", ".streamlit/config.toml", ".streamlit/secrets.toml.example",
        "pyproject.toml", "uv.lock", "Makefile", "README.md", ".gitignore", ".ci/run",
    ]:  # fmt: skip
        assert (ROOT / part).exists(), part


def test_dependencies_have_lower_bounds() -> None:
    project = _pyproject()["project"]
    runtime = project["dependencies"]
    dev = project["optional-dependencies"]["dev"]
    names = {re.split(r"[\[<>=]", spec)[0].lower() for spec in runtime + dev}
    for needed in [
        "streamlit", "sqlmodel", "alembic", "altair", "pandas", "bcrypt", "pyjwt",
        "babel", "psycopg", "openpyxl", "pytest", "pytest-timeout", "hypothesis",
        "playwright", "ruff", "import-linter",
    ]:  # fmt: skip
        assert needed in names, needed
    for spec in runtime + dev:
        assert ">=" in spec, f"{spec} needs a lower bound"
    assert "streamlit>=1.54" in runtime or any(
        spec.startswith("streamlit>=1.") and int(spec.split(".")[1]) >= 54 for spec in runtime
    )


def test_gitignore_keeps_data_venv_and_secrets_out() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for entry in ["data/", ".venv/", ".streamlit/secrets.toml"]:
        assert entry in ignored


def test_secrets_file_is_not_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", ".streamlit", "data"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ".streamlit/secrets.toml" not in tracked
    assert not [path for path in tracked if path.startswith("data/")]


def test_streamlit_config_has_a_theme_and_xsrf_protection() -> None:
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["theme"]["primaryColor"]


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    for topic in ["DATABASE_URL", "secrets.toml", "create-admin", "demo1234"]:
        assert topic in readme, topic


def test_no_user_text_can_reach_unsafe_html() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ["pages", "ui", "services", "models"]
        for path in (ROOT / folder).rglob("*.py")
        if "unsafe_allow_html=True" in path.read_text(encoding="utf-8")
    ]
    assert "unsafe_allow_html=True" not in (ROOT / "app.py").read_text(encoding="utf-8")
    assert offenders == []


def test_the_app_never_creates_tables_itself() -> None:
    callers = [
        str(path.relative_to(ROOT))
        for folder in ["pages", "ui", "services", "models", "seed"]
        for path in (ROOT / folder).rglob("*.py")
        if "create_all(" in path.read_text(encoding="utf-8")
    ]
    assert callers == []


def test_no_python_file_is_over_500_lines() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    long_files = [
        path
        for path in tracked
        if (ROOT / path).exists()
        and len((ROOT / path).read_text(encoding="utf-8").splitlines()) > 500
    ]
    assert long_files == []


# Modules without a test module of their own, each with the reason; keep it short.
TESTED_ELSEWHERE: dict[str, str] = {}


def _domain_modules() -> list[Path]:
    return sorted(
        path
        for layer in ["services", "ui"]
        for path in (ROOT / layer).rglob("*.py")
        if path.name != "__init__.py"
    )


def own_test_module(module: Path) -> Path:
    """services/goals/smart.py → tests/services/goals/test_smart.py."""
    relative = module.relative_to(ROOT)
    return ROOT / "tests" / relative.parent / f"test_{relative.name}"


def test_every_module_has_a_test_module_of_its_own() -> None:
    untested = {
        str(module.relative_to(ROOT))
        for module in _domain_modules()
        if not own_test_module(module).exists()
    }
    assert sorted(untested - set(TESTED_ELSEWHERE)) == []
    # An entry whose module has since got its own tests, or is gone, leaves the list.
    assert sorted(set(TESTED_ELSEWHERE) - untested) == []


def test_a_test_module_mirrors_its_module_path() -> None:
    assert own_test_module(ROOT / "services/goals/smart.py") == (
        ROOT / "tests/services/goals/test_smart.py"
    )
    assert own_test_module(ROOT / "ui/format.py") == ROOT / "tests/ui/test_format.py"


def test_every_domain_package_is_in_the_layers_contract() -> None:
    """A new domain package joins the import-linter layers, or nothing checks its imports."""
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    for layer in ["services", "ui"]:
        packages = {
            path.name for path in (ROOT / layer).iterdir() if (path / "__init__.py").exists()
        }
        layered = next(c for c in contracts if c.get("containers") == [layer])["layers"]
        named = {name.strip() for line in layered for name in line.split("|")}
        assert packages == named, layer
