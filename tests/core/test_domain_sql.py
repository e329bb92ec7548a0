"""Each domain owns its SQL (issue 14 item 5), read from the AST (nothing is imported).

- **Repos are private.** A domain's SQL lives in its ``repo.py`` or ``repo_*.py``
  modules; no module outside ``shelfwise/<domain>/`` imports them. Other domains call
  what the domain publishes (``readers/reading.py``, a service).
- **Services express rules.** No service module (every ``*/service.py``, and the
  modules listed in ``RULE_MODULES``) builds SQL: no call of ``select``, ``insert``,
  ``update``, ``delete`` or ``text`` imported from SQLAlchemy, and no table imported
  from ``shelfwise.storage.tables``.
- **Tables are written by their owner.** An ``insert``/``update``/``delete`` of a table
  declared in ``storage/tables/<domain>.py`` happens only in ``shelfwise/<domain>/``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "shelfwise"
TABLES = PACKAGE / "storage" / "tables"
SQL_BUILDERS = frozenset({"select", "insert", "update", "delete", "text"})
WRITES = frozenset({"insert", "update", "delete"})

# Modules of rules, besides every */service.py: they call their domain's repo.
RULE_MODULES = frozenset(
    {
        "access/reader_data.py",
        "catalogue/service.py",
        "circulation/calendars.py",
        "circulation/deposits.py",
        "circulation/fees.py",
        "circulation/holds.py",
        "circulation/loan_rules.py",
        "circulation/notices.py",
        "circulation/reader_data.py",
        "circulation/renewals.py",
        "circulation/service.py",
        "circulation/standing.py",
        "readers/moving_in.py",
        "readers/privacy.py",
        "readers/reading.py",
        "readers/service.py",
    }
)


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(PACKAGE).as_posix()
        yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def _imports(tree: ast.Module) -> Iterator[tuple[str, str | None]]:
    """(module, imported name or None) for every import in the module, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


def _repo_of(module: str, name: str | None) -> str | None:
    """The domain whose repo this import reaches (``shelfwise.readers.repo``,
    ``from shelfwise.circulation import repo_holds``), else None."""
    parts = module.split(".")
    if name is not None:
        parts = [*parts, name]
    if len(parts) >= 3 and parts[0] == "shelfwise":
        leaf = parts[2]
        if leaf == "repo" or leaf.startswith("repo_"):
            return parts[1]
    return None


def repo_imports_from_outside() -> list[str]:
    found = []
    for rel, tree in _modules():
        domain = rel.split("/")[0]
        for module, name in _imports(tree):
            owner = _repo_of(module, name)
            if owner is not None and owner != domain:
                found.append(f"{rel} imports {owner}'s repo ({module} {name or ''})".strip())
    return found


def _sql_names(tree: ast.Module) -> set[str]:
    """Local names bound to SQLAlchemy's statement builders."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                if alias.name in SQL_BUILDERS:
                    names.add(alias.asname or alias.name)
    return names


def sql_in_rule_modules() -> list[str]:
    found = []
    for rel, tree in _modules():
        if not (rel.endswith("/service.py") or rel in RULE_MODULES):
            continue
        builders = _sql_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = (
                    func.id
                    if isinstance(func, ast.Name) and func.id in builders
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    and func.attr in SQL_BUILDERS
                    and isinstance(func.value, ast.Name)
                    and func.value.id in {"sa", "sqlalchemy"}
                    else None
                )
                if called is not None:
                    found.append(f"{rel}:{node.lineno} builds SQL ({called})")
        for module, _ in _imports(tree):
            if module.startswith("shelfwise.storage.tables"):
                found.append(f"{rel} imports tables ({module})")
    return found


def table_owners() -> dict[str, str]:
    """Table variable name -> owning domain (the module of storage/tables/ declaring it)."""
    owners = {}
    for path in TABLES.glob("*.py"):
        if path.stem in {"__init__", "base"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "Table"
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        owners[target.id] = path.stem
    return owners


def writes_from_outside() -> list[str]:
    owners = table_owners()
    found = []
    for rel, tree in _modules():
        domain = rel.split("/")[0]
        builders = _sql_names(tree) & WRITES
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in builders
                and node.args
                and isinstance(node.args[0], ast.Name)
            ):
                table = node.args[0].id
                owner = owners.get(table)
                if owner is not None and owner != domain and owner != "system":
                    found.append(f"{rel}:{node.lineno} {node.func.id}s {owner}'s {table}")
    return found


def test_no_module_outside_a_domain_imports_its_repo() -> None:
    assert repo_imports_from_outside() == []


def test_services_and_rule_modules_build_no_sql() -> None:
    assert sql_in_rule_modules() == []


def test_a_domain_s_tables_are_written_only_by_that_domain() -> None:
    assert writes_from_outside() == []


def test_the_checks_see_what_they_look_for() -> None:
    """The three checks read real code: each finds a planted violation."""
    planted = ast.parse(
        "from sqlalchemy import update as u\n"
        "from shelfwise.readers import repo\n"
        "from shelfwise.storage.tables import readers\n"
        "u(readers)\n"
    )
    assert _repo_of("shelfwise.readers", "repo") == "readers"
    assert _repo_of("shelfwise.circulation.repo_holds", "send") == "circulation"
    assert _repo_of("shelfwise.readers", "reading") is None
    assert _sql_names(planted) == {"u"}
    assert table_owners()["readers"] == "readers"
    assert table_owners()["loans"] == "circulation"
