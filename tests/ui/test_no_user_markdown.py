"""Every string a page or ui module hands to a Markdown-rendering call is the code's own words,
a formatted number, or text that went through `ui.text.plain`.

The rule is read from the source. An expression is safe when it is
- a literal, `plain(...)`, a `ui.format` (`fmt`) call or constant, or one of `SAFE_CALLS`;
- `t(msgid, ...)` of a literal or registry label whose keyword values are safe;
- built only from safe parts: f-strings, `+`, `x if c else y`, lists, the values of a dict
  (`t(msgid, **values)`), `" · ".join([...])`,
  a module constant in capitals (`MEDALS[rank]`);
- a local variable only ever assigned safe values;
- a parameter that every caller in pages/ and ui/ fills with a safe value;
- a call of one of our functions all of whose `return`s are safe.
Anything else (a row's field, a query parameter, a loop variable) fails the scan.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "app.py"])

# Calls whose first argument (or `body=`/`label=`/`help=`) Streamlit renders as Markdown,
# widget labels included; `flash` shows its text with st.success on the next run.
FIRST_ARGUMENT = {
    "markdown", "subheader", "header", "title", "caption", "info", "warning", "error",
    "success", "toast", "expander", "button", "form_submit_button", "metric", "link_button",
    "popover", "download_button", "checkbox", "toggle", "radio", "selectbox", "multiselect",
    "text_input", "text_area", "number_input", "date_input", "time_input", "slider",
    "select_slider", "segmented_control", "pills", "file_uploader", "dialog", "flash",
    "_leave",
}  # fmt: skip
# Text kept in the session and shown on a later run: its writer (`flash`, ui.auth's `_leave`)
# is scanned like a renderer above, so what these readers take back from the session is safe.
READERS = {"show_flash", "login_screen"}
EVERY_ARGUMENT = {"write", "tabs"}
KEYWORDS = {"body", "label", "help", "captions"}
# st.metric renders its value and delta as Markdown too; radio, pills and segmented_control
# their options (selectbox and multiselect options are plain text).
FIRST_THREE = {"metric"}
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control"}
SAFE_CALLS = {
    "plain",  # the escaping helper itself
    "message",  # ui.errors.message: our msgid, with its values passed through plain()
    "len", "int",  # numbers
}  # fmt: skip
SAFE_MODULES = {"fmt"}  # ui.format: numbers, money, dates, periods and its MISSING dash
# Attributes that name a msgid the code defines: registry metrics, errors.
MSGID_ATTRIBUTES = {"label", "description", "msgid"}

Scope = ast.Module | ast.FunctionDef | ast.Lambda


@dataclass
class Index:
    """Every function of the scanned modules, and every call with the scope it sits in."""

    functions: dict[str, list[ast.FunctionDef]] = field(default_factory=dict)
    calls: list[tuple[ast.Call, Scope]] = field(default_factory=list)
    scope_of: dict[int, Scope] = field(default_factory=dict)
    path_of: dict[int, Path] = field(default_factory=dict)
    # Per module, each name `from x import name as alias` binds: alias -> (x's file, name).
    imported: dict[Path, dict[str, tuple[Path, str]]] = field(default_factory=dict)


@cache
def _index() -> Index:
    index = Index()
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        _visit(tree, tree, index)
        kinds = ast.Call | ast.FunctionDef
        index.path_of |= {id(node): path for node in ast.walk(tree) if isinstance(node, kinds)}
        index.imported[path] = {
            alias.asname or alias.name: (ROOT / f"{node.module.replace('.', '/')}.py", alias.name)
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
    return index


def _visit(node: ast.AST, scope: Scope, index: Index) -> None:
    for child in ast.iter_child_nodes(node):
        index.scope_of[id(child)] = scope
        if isinstance(child, ast.FunctionDef):
            index.functions.setdefault(child.name, []).append(child)
        if isinstance(child, ast.Call):
            index.calls.append((child, scope))
        _visit(child, child if isinstance(child, ast.FunctionDef | ast.Lambda) else scope, index)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _rendered(call: ast.Call) -> list[ast.expr]:
    name = _name(call.func)
    keywords = KEYWORDS | ({"value", "delta"} if name in FIRST_THREE else set())
    shown = [kw.value for kw in call.keywords if kw.arg in keywords]
    if name in MARKDOWN_OPTIONS:
        for option in [kw.value for kw in call.keywords if kw.arg == "format_func"]:
            lambdas = [node.body for node in ast.walk(option) if isinstance(node, ast.Lambda)]
            shown += lambdas or [option]
    if name in EVERY_ARGUMENT:
        return shown + call.args
    if name in FIRST_THREE:
        return shown + call.args[:3]
    if name in FIRST_ARGUMENT:
        return shown + call.args[:1]
    return shown if name == "page_link" else []


def _own(scope: Scope, node: ast.AST) -> bool:
    return _index().scope_of.get(id(node)) is scope


def _assigned(scope: Scope, name: str) -> list[ast.expr] | None:
    """Every value a local name is given in its scope; None when one cannot be traced."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if not _own(scope, node):
            continue
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if _binds(target, name):
                    values.append(_part(target, node.value, name))
        elif isinstance(node, ast.For | ast.comprehension) and _binds(node.target, name):
            values += _entries(node.iter, node.target, name, scope)
        elif isinstance(node, ast.With | ast.NamedExpr) and _binds(node, name):
            return None
        elif isinstance(node, ast.Call) and _name(node.func) == "append":
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id == name:
                values += node.args
    return values or None


def _part(target: ast.expr, value: ast.expr, name: str) -> ast.expr:
    """What `name` gets from `target = value`: `a, b = x, y` pairs up; a constant stays one;
    a part of a call's answer (`short, full = fmt.tile_value(...)`) is as safe as the call,
    and one from `(x, *call())` as safe as what the star and the rest hold."""
    if isinstance(target, ast.Name) or _constant(value) or isinstance(value, ast.Call):
        return value
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        stars = [i for i, part in enumerate(value.elts) if isinstance(part, ast.Starred)]
        for index, element in enumerate(target.elts):
            if not _binds(element, name):
                continue
            if stars and index >= stars[0]:
                rest = value.elts[stars[0] :]
                return ast.Tuple([p.value if isinstance(p, ast.Starred) else p for p in rest])
            if index < len(value.elts):
                return _part(element, value.elts[index], name)
    return ast.Name("?")  # unpacked from something else: not traced, so not safe


def _entries(items: ast.expr, target: ast.expr, name: str, scope: Scope) -> list[ast.expr]:
    """What a loop gives `name`: an entry of a module constant, or a part of each element of
    a local list (through `zip`); anything else is not traced."""
    if isinstance(items, ast.Call) and _name(items.func) in {"items", "values", "keys"}:
        items = items.func.value  # type: ignore[attr-defined]
    if _constant(items):
        return [items]
    if isinstance(items, ast.Call) and _name(items.func) == "zip" and isinstance(target, ast.Tuple):
        pairs = zip(items.args, target.elts, strict=False)
        return [
            v for arg, elt in pairs if _binds(elt, name) for v in _entries(arg, elt, name, scope)
        ]
    lists = _assigned(scope, items.id) if isinstance(items, ast.Name) else None
    if lists and all(isinstance(value, ast.List | ast.Tuple) for value in lists):
        return [_part(target, element, name) for value in lists for element in value.elts]  # type: ignore[attr-defined]
    return [ast.Name("?")]


def _binds(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.With):
        return any(_binds(item.optional_vars, name) for item in node.items if item.optional_vars)
    if isinstance(node, ast.NamedExpr):
        node = node.target
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _parameter_safe(function: ast.FunctionDef, name: str, seen: frozenset[int]) -> bool:
    """A parameter is as safe as what every caller passes for it (or its default)."""
    arguments = function.args
    positional = [arg.arg for arg in [*arguments.posonlyargs, *arguments.args]]
    defaults = dict(zip(reversed(positional), reversed(arguments.defaults), strict=False))
    defaults |= {
        a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d
    }
    callers = [(c, s) for c, s in _index().calls if function in _called(c)]
    if not callers:
        return False  # passed around as a value: its arguments are not traced
    for call, scope in callers:
        given = {kw.arg: kw.value for kw in call.keywords}
        if name in positional and positional.index(name) < len(call.args):
            given[name] = call.args[positional.index(name)]
        value = given.get(name, defaults.get(name))
        if value is None or None in given or any(isinstance(a, ast.Starred) for a in call.args):
            return False
        if not _safe(value, scope, seen):
            return False
    return True


def _called(call: ast.Call) -> list[ast.FunctionDef]:
    """The functions a call may run: `f()` is its module's own `f` or the one it imported,
    `module.f()` any module's `f`."""
    index, name, path = _index(), _name(call.func), _index().path_of[id(call)]
    found = index.functions.get(name, [])
    if isinstance(call.func, ast.Attribute):
        receiver = call.func.value
        package, module = index.imported[path].get(getattr(receiver, "id", ""), (path, ""))
        inside = package.with_suffix("") / f"{module}.py"  # `from ui import view; view.f()`
        return [f for f in found if index.path_of[id(f)] == inside] or found
    own = [f for f in found if index.path_of[id(f)] == path]
    source, original = index.imported[path].get(name, (path, name))
    if own or source == path:
        return own
    return [f for f in index.functions.get(original, []) if index.path_of[id(f)] == source]


def _returns_safe(call: ast.Call, seen: frozenset[int]) -> bool:
    functions = _called(call)
    returns = [
        node
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.Return) and _own(function, node)
    ]
    return bool(returns) and all(
        node.value is None or _safe(node.value, _index().scope_of[id(node)], seen)
        for node in returns
    )


def _safe_call(call: ast.Call, scope: Scope, seen: frozenset[int]) -> bool:
    func, name = call.func, _name(call.func)
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if name in SAFE_CALLS or (isinstance(receiver, ast.Name) and receiver.id in SAFE_MODULES):
        return True
    if name == "t":
        # A catalog is ours: t() of safe text is safe, as are the registries' labels.
        msgid = call.args[0]
        registry = isinstance(msgid, ast.Attribute) and msgid.attr in MSGID_ATTRIBUTES
        return (registry or _safe(msgid, scope, seen)) and all(
            _safe(kw.value, scope, seen) for kw in call.keywords
        )
    if receiver is not None and name in {"join", "get", "items", "values", "keys"}:
        shown = call.args if name == "join" else call.args[1:]  # a key is looked up, not shown
        return _safe(receiver, scope, seen) and all(_safe(a, scope, seen) for a in shown)
    return _returns_safe(call, seen)


def _constant(node: ast.expr) -> bool:
    """A module constant in capitals, or an entry of one (`MEDALS[rank]`)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in SAFE_MODULES or node.attr.isupper()
    return isinstance(node, ast.Name) and node.id.isupper()


def _safe(node: ast.expr, scope: Scope, seen: frozenset[int] = frozenset()) -> bool:
    if id(node) in seen:
        return True  # a cycle adds no new source of text
    seen |= {id(node)}
    if isinstance(node, ast.Constant) or _constant(node):
        return True
    if isinstance(node, ast.JoinedStr | ast.FormattedValue):
        parts = node.values if isinstance(node, ast.JoinedStr) else [node.value]
        return all(_safe(part, scope, seen) for part in parts)
    if isinstance(node, ast.Call):
        return _safe_call(node, scope, seen)
    if isinstance(node, ast.BinOp):
        return _safe(node.left, scope, seen) and _safe(node.right, scope, seen)
    if isinstance(node, ast.BoolOp):
        return all(_safe(value, scope, seen) for value in node.values)
    if isinstance(node, ast.Subscript | ast.DictComp | ast.ListComp):
        # An entry of safe values is safe; a comprehension is as safe as what it builds.
        built = {ast.Subscript: "value", ast.DictComp: "value", ast.ListComp: "elt"}
        return _safe(getattr(node, built[type(node)]), scope, seen)
    if isinstance(node, ast.IfExp):
        return _safe(node.body, scope, seen) and _safe(node.orelse, scope, seen)
    if isinstance(node, ast.List | ast.Tuple | ast.Starred):
        parts = node.elts if isinstance(node, ast.List | ast.Tuple) else [node.value]
        return all(_safe(part, scope, seen) for part in parts)
    if isinstance(node, ast.Dict):  # what `t(msgid, **values)` shows are the values
        return all(_safe(value, scope, seen) for value in node.values)
    if isinstance(node, ast.Name):
        return _name_safe(node.id, scope, seen)
    return False


def _name_safe(name: str, scope: Scope, seen: frozenset[int]) -> bool:
    if not isinstance(scope, ast.Module) and name in _parameters(scope):
        return isinstance(scope, ast.FunctionDef) and _parameter_safe(scope, name, seen)
    values = _assigned(scope, name)
    if isinstance(scope, ast.FunctionDef) and scope.name in READERS and values:
        return all("session_state" in ast.unparse(value) for value in values)
    if values is None and not isinstance(scope, ast.Module):
        module = _index().scope_of.get(id(scope))
        return module is not None and _name_safe(name, module, seen)
    return values is not None and all(_safe(value, scope, seen) for value in values)


def _parameters(scope: ast.FunctionDef | ast.Lambda) -> set[str]:
    return {node.arg for node in ast.walk(scope.args) if isinstance(node, ast.arg)}


def _unescaped(path: Path) -> Iterator[str]:
    index = _index()
    for call, scope in index.calls:
        if index.path_of[id(call)] != path:
            continue
        for shown in _rendered(call):
            if not _safe(shown, scope):
                yield f"{path.relative_to(ROOT)}:{shown.lineno}: {ast.unparse(shown)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_markdown_gets_only_escaped_text(path: Path) -> None:
    assert list(_unescaped(path)) == []
