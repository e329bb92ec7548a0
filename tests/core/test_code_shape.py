"""The shape of the code a newcomer walks (issue 14, done-when 1).

Four rules over ``src/shelfwise``, read from the AST (nothing is imported):

- **Module size.** No module over ``MAX_MODULE_LINES`` lines, except *data
  modules*: a module whose body is nothing but a docstring, imports and
  assignments of literals (strings, numbers, tuples, lists, dicts, sets of
  them) is data, whatever its length (``text/hanja_table.py``, generated from
  Unihan; ``testing/vocab_zh.py``, word lists). The exemption is recognised
  from the content, not granted by a list or a marker: a module that holds one
  function, one call or one comprehension is code and is measured.
- **Function size.** No function or method over ``MAX_FUNCTION_LINES`` lines
  (from its ``def`` to its last line, docstring included), outside
  ``storage/migrations`` (a migration is one linear script, read once).
- **No runtime import cycle** among shelfwise modules. The graph counts every
  import a module runs, including those inside functions (an import inside a
  function hides a cycle, it does not remove it); imports under
  ``if TYPE_CHECKING:`` are not run and are not counted. ``from pkg import name``
  is an edge to ``pkg.name`` when that is a module, else to ``pkg``.
- **Routes at module level.** No route function nested inside another function
  (a ``def router(services)`` factory whose routes are closures): a route is
  decorated with ``.get/.post/.put/.delete/.patch/.api_route/.route`` and
  must be importable, found by grep and measured. Nor a route added from a
  function (``.add_api_route/.add_route``): that is the same factory spelt
  without a decorator.

``KNOWN_VIOLATIONS`` names what was still in the code when the rules were
written, each with the helper fixing it. It only shrinks: the test fails when
an entry no longer occurs (remove it) and when anything not in it appears.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = SRC / "shelfwise"
MIGRATIONS = PACKAGE / "storage" / "migrations"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
ROUTE_DECORATORS = frozenset({"get", "post", "put", "delete", "patch", "api_route", "route"})
ROUTE_ADDERS = frozenset({"add_api_route", "add_route", "add_api_websocket_route"})

# What the rules found when they were written. Each entry is a TODO for the
# helper named after it; remove the entry in the commit that fixes it.
KNOWN_VIOLATIONS: dict[str, str] = {}


# -- reading the source ------------------------------------------------------------------------


@functools.cache
def modules() -> tuple[tuple[str, Path, ast.Module], ...]:
    """Every module under src/shelfwise: its dotted name, path and AST."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append(
            (".".join(parts), path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        )
    return tuple(found)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- module size --------------------------------------------------------------------------------


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(_is_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and _is_literal(key) for key in node.keys) and all(
            _is_literal(value) for value in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_literal(node.left) and _is_literal(node.right)
    return False


def is_data_module(tree: ast.Module) -> bool:
    """A docstring, imports and literal assignments, nothing that runs."""
    for position, statement in enumerate(tree.body):
        if position == 0 and isinstance(statement, ast.Expr) and _is_literal(statement.value):
            continue
        if isinstance(statement, ast.Import | ast.ImportFrom):
            continue
        if isinstance(statement, ast.Assign) and _is_literal(statement.value):
            continue
        if (
            isinstance(statement, ast.AnnAssign)
            and statement.value
            and _is_literal(statement.value)
        ):
            continue
        return False
    return True


def oversized_modules() -> set[str]:
    found = set()
    for _, path, tree in modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and not is_data_module(tree):
            found.add(f"module {relative(path)}")
    return found


# -- function size ------------------------------------------------------------------------------


def functions(
    tree: ast.AST, prefix: str = "", inside_function: bool = False
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Every function with its qualified name, and whether it is nested in a function."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            yield name, node, inside_function
            yield from functions(node, f"{name}.", True)
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.", inside_function)
        else:
            yield from functions(node, prefix, inside_function)


def long_functions() -> set[str]:
    found = set()
    for _, path, tree in modules():
        if path.is_relative_to(MIGRATIONS):
            continue
        for name, node, _ in functions(tree):
            assert node.end_lineno is not None
            if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                found.add(f"function {relative(path)}:{name}")
    return found


# -- routes at module level ---------------------------------------------------------------------


def _is_route_decorator(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS


def _adds_a_route(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``router.add_api_route(path, handler)`` in a function: the handler is a closure or
    the route is made per call, either way not one a reader finds at module level."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ROUTE_ADDERS
        for node in ast.walk(function)
    )


def nested_routes(sources: tuple[tuple[str, Path, ast.Module], ...] | None = None) -> set[str]:
    """One entry per module that nests a route in a function or adds one from a function."""
    found = set()
    for _, path, tree in sources or modules():
        for _, node, nested in functions(tree):
            if (nested and any(_is_route_decorator(d) for d in node.decorator_list)) or (
                _adds_a_route(node)
            ):
                found.add(f"nested routes in {relative(path) if path.is_absolute() else path}")
    return found


# -- import cycles ------------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth, except under TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.orelse:
                yield from _runtime_imports(statement)
        else:
            yield from _runtime_imports(node)


def import_graph(
    sources: tuple[tuple[str, Path, ast.Module], ...] | None = None,
) -> dict[str, set[str]]:
    trees = {name: (path, tree) for name, path, tree in (sources or modules())}
    graph: dict[str, set[str]] = {name: set() for name in trees}
    for name, (path, tree) in trees.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _runtime_imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in trees else base
                    for alias in node.names
                ]
            for target in targets:
                # ``import a.b.c`` runs a.b.c; a name inside it points at the module.
                while target and target not in trees:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def import_cycles() -> set[str]:
    return {f"import cycle {' <-> '.join(component)}" for component in cycles(import_graph())}


# -- the tests ----------------------------------------------------------------------------------


def violations() -> set[str]:
    return oversized_modules() | long_functions() | nested_routes() | import_cycles()


def test_nothing_new_breaks_the_shape() -> None:
    new = violations() - KNOWN_VIOLATIONS.keys()
    assert not new, (
        "split these (modules < 600 lines, functions < 60, no cycle, routes at module level):\n"
        + "\n".join(sorted(new))
    )


def test_every_known_violation_still_occurs() -> None:
    fixed = KNOWN_VIOLATIONS.keys() - violations()
    assert not fixed, "fixed: remove from KNOWN_VIOLATIONS:\n" + "\n".join(sorted(fixed))


# -- the checks themselves see what they are meant to -------------------------------------------


def _sources(**texts: str) -> tuple[tuple[str, Path, ast.Module], ...]:
    return tuple(
        (f"pkg.{name}", Path(f"pkg/{name}.py"), ast.parse(text)) for name, text in texts.items()
    )


def test_an_import_inside_a_function_is_an_edge_and_type_checking_is_not() -> None:
    hidden = _sources(
        a="from pkg import b\n",
        b="def f() -> None:\n    from pkg.a import x\n",
    )
    assert cycles(import_graph(hidden)) == [["pkg.a", "pkg.b"]]
    typing_only = _sources(
        a="from pkg import b\n",
        b="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import x\n",
    )
    assert cycles(import_graph(typing_only)) == []


def test_a_relative_import_resolves_to_its_sibling() -> None:
    graph = import_graph(_sources(a="from . import b\nfrom .b import name\n", b=""))
    assert graph["pkg.a"] == {"pkg.b"}


def test_data_is_literals_only() -> None:
    assert is_data_module(
        ast.parse(
            '"""Doc."""\nfrom __future__ import annotations\nX = ("a" "b", 1)\nY: dict[str, int] = {"a": 1}\n'
        )
    )
    assert not is_data_module(ast.parse("X = sorted([2, 1])\n"))
    assert not is_data_module(ast.parse("X = 1\ndef f() -> None: ...\n"))


def test_a_route_in_a_factory_is_nested_and_a_module_level_route_is_not() -> None:
    found = nested_routes(
        _sources(
            factory="def router() -> None:\n    @r.get('/')\n    def page() -> None: ...\n",
            flat="@r.post('/')\ndef page() -> None: ...\n",
            helper="def f() -> None:\n    @functools.cache\n    def g() -> None: ...\n",
            added="def router() -> None:\n    r.add_api_route('/', page, methods=['GET'])\n",
            included="def install() -> None:\n    app.include_router(r)\n",
        )
    )
    assert found == {"nested routes in pkg/factory.py", "nested routes in pkg/added.py"}
