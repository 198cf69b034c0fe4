"""Every public service function taking an Actor has a deny test, or is on the short list
below of functions that only narrow to the actor's own scope.

A deny test is a test function under tests/ that expects `PermissionDenied` and names the
service function (`module.function`, in its body, its parametrize list or a module helper it
calls), the module imported from `services`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path

import services
from services.access import Actor

TESTS = Path(__file__).resolve().parents[1]
# The access machinery itself, tested in test_access.py and test_unit_of_work.py.
MACHINERY = {"services.access", "services.unit_of_work"}
# Checks other services call first; each refusal is tested through those callers.
CHECKS = {
    "services.pipeline.deals.filtered_reps",
    "services.customers.diary.live_customer",
    "services.goals.rules.require_owner",
    "services.metrics.compute.visible_reps",
    "services.people.reps.require_active",
}
# These take no id and no filter: they only narrow to what the actor may see (or act on the
# actor's own account), so there is nothing to deny.
SCOPE_ONLY = {
    "services.people.account.change_password",  # the actor's own password
    "services.people.account.set_locale",  # the actor's own language
    "services.goals.cascade.roots",  # the goals the actor may read
    "services.customers.listing.filter_choices",  # owners, industries, regions in scope
    "services.customers.records.owner_choices",  # reps in scope
    "services.customers.records.search",  # customers in scope
    "services.customers.records.same_name",  # customers in scope
    "services.pipeline.deals.products",  # products on deals in scope
    "services.goals.rules.may_read",  # answers yes or no, denies nothing
    "services.goals.rules.may_write",  # the same
    "services.goals.records.children_of",  # readable goals under the given ones
    "services.goals.listing.review_list",  # running goals the actor may read
    "services.goals.listing.behind_pace",  # its rep filter only narrows the readable goals
    "services.goals.rules.parent_choices",  # readable goals only
    "services.people.reps.list_reps",  # reps in scope
    "services.people.teams.list_teams",  # teams the actor manages
}


def _takes_actor(function: object) -> bool:
    parameters = list(inspect.signature(function).parameters.values())  # type: ignore[arg-type]
    if len(parameters) < 2:
        return False
    hint = typing.get_type_hints(function).get(parameters[1].name)
    return hint is Actor or hint == Actor | None


def service_functions() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        if info.name in MACHINERY:
            continue
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            public = not name.startswith("_") and inspect.isfunction(function)
            if public and function.__module__ == info.name and _takes_actor(function):
                found.add(f"{info.name}.{name}")
    return found


def _service_aliases(tree: ast.Module) -> dict[str, str]:
    """What a test module binds from `services`: modules (`from services import deals`) and
    functions (`from services.pipeline.deals import get`)."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("services"):
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("services.") and alias.asname:
                    aliases[alias.asname] = alias.name
    return aliases


def _named(node: ast.AST, aliases: dict[str, str]) -> set[str]:
    """`module.function` for each use of a bound module's attribute or a bound function."""
    named = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name):
            if item.value.id in aliases:
                named.add(f"{aliases[item.value.id]}.{item.attr}")
        elif isinstance(item, ast.Name) and item.id in aliases:
            named.add(aliases[item.id])
    return named


def denied_functions() -> set[str]:
    covered: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _service_aliases(tree)
        # Module-level helpers and tables of attempts a test may draw on.
        helpers: dict[str, ast.AST] = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("test_"):
                helpers[node.name] = node
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                helpers |= {t.id: node for t in targets if isinstance(t, ast.Name)}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            if "PermissionDenied" not in ast.unparse(node):
                continue
            covered |= _named(node, aliases)
            for call in ast.walk(node):
                if isinstance(call, ast.Name) and call.id in helpers:
                    covered |= _named(helpers[call.id], aliases)
    # `from services import metrics` reaches compute's functions through the package.
    return covered | {
        name.replace("services.metrics.", "services.metrics.compute.") for name in covered
    }


def test_every_service_function_taking_an_actor_has_a_deny_test() -> None:
    functions = service_functions()
    assert functions >= SCOPE_ONLY | CHECKS, sorted((SCOPE_ONLY | CHECKS) - functions)
    missing = functions - SCOPE_ONLY - CHECKS - denied_functions()
    assert not missing, f"no deny test: {sorted(missing)}"
