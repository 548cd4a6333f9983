"""The layers of STYLE.md "The shape", checked by walking every module's imports with `ast`.

`cli -> core -> (render | engines | formats | store) -> model -> errors`: a module imports natoclaims
modules only from the layers below it (and its own), every import counted (inside functions and
under TYPE_CHECKING too); no two modules import each other at module level, however indirectly.
The package facades (`natoclaims/__init__.py`, `__main__.py`) only re-export lazily and are exempt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import natoclaims

PACKAGE = Path(natoclaims.__file__).parent
FACADES = ("__init__", "__main__")
TOP_LEVEL_MODULES = {"__init__", "__main__", "errors", "paths"}
MAX_LINES = 420
# What each layer may import besides itself: a layer ('model'), or one module of one ('model.vocabulary').
ALLOWED = {
    "errors": set(),
    "paths": {"errors"},
    "model": {"errors"},
    "engines": {"model", "errors"},
    "formats": {"model", "errors"},
    "store": {"model", "errors", "paths"},
    "render": {"model", "errors", "formats", "engines"},
    "core": {"model", "errors", "paths", "engines", "formats", "store"},
    "cli": {"core", "render", "model.vocabulary", "errors", "__version__"},
}


@dataclass(frozen=True)
class Import:
    """One import statement's one target: the module (or the facade's attribute) it names."""

    path: Path
    line: int
    statement: str
    target: str  # dotted, without the package name: 'core', 'model.vocabulary', '__version__'
    top_level: bool  # run when the module loads (not in a function, not under TYPE_CHECKING)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.statement}"


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package under `root` by dotted name relative to it ('core.claims', 'core' for
    core/__init__.py, '__init__' for the package's own)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(body: list[ast.stmt], top_level: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement in `body`, and whether it runs when the module loads (a function's
    imports run when it is called, those under `if TYPE_CHECKING:` never)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, top_level
            continue
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _walk(node.body, False)
            yield from _walk(node.orelse, top_level)
            continue
        inner = top_level and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for _, value in ast.iter_fields(node):
            for item in value if isinstance(value, list) else []:
                if isinstance(item, ast.stmt):
                    yield from _walk([item], inner)
                elif isinstance(item, (ast.excepthandler, ast.match_case)):
                    yield from _walk(item.body, inner)


def imports(root: Path, package: str, name: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    """The package's own modules (or facade attributes) that module `name` imports."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if name not in FACADES else []
    for node, top_level in _walk(ast.parse(path.read_text(encoding="utf-8")).body, True):
        statement = ast.unparse(node)
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names if alias.name.split(".")[0] == package]
            found = [".".join(t.split(".")[1:]) or "__init__" for t in targets]
        else:
            if node.level:  # relative: from the module's own package
                base = here if is_package else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                full = [package, *base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == package:
                full = node.module.split(".")
            else:
                continue
            prefix = ".".join(full[1:])
            found = []
            for alias in node.names:  # `from natoclaims.core import claims` names a module, `... import find` an attribute
                child = f"{prefix}.{alias.name}" if prefix else alias.name
                if child in modules:
                    found.append(child)
                elif not prefix:  # an attribute of the facade: `from natoclaims import __version__`
                    found.append(alias.name)
                else:
                    found.append(prefix)
        for target in dict.fromkeys(found):
            yield Import(path.relative_to(root.parent), node.lineno, statement, target, top_level)
    yield from _loaded_by_name(root, package, path)


IMPORTERS = ("import_module", "__import__")
UNSEEN = "?"  # the target of an import by a name only known at run time


def _loaded_by_name(root: Path, package: str, path: Path) -> Iterator[Import]:
    """The modules `importlib.import_module(...)` (or `__import__`) loads: a constant name, or the
    constant start of an f-string ('natoclaims.cli.{group}' is some module of cli); a name only known
    at run time is UNSEEN, which the rule allows only in a lazy facade, whose test holds it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if called not in IMPORTERS:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            name = first.value
        elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
            name = str(first.values[0].value).rsplit(".", 1)[0]
        else:
            name = UNSEEN
        if name == UNSEEN or name.split(".")[0] == package:
            target = UNSEEN if name == UNSEEN else ".".join(name.split(".")[1:]) or "__init__"
            yield Import(path.relative_to(root.parent), node.lineno, ast.unparse(node), target, False)


def layer_of(name: str) -> str:
    """The layer a module belongs to: its first part ('core' for core.claims)."""
    return name.split(".")[0]


def allowed(layer: str, target: str) -> bool:
    """Whether a module of `layer` may import `target` (dotted, relative to the package)."""
    if layer_of(target) == layer:
        return True
    rules = ALLOWED[layer]
    return any(target == rule or target.startswith(rule + ".") for rule in rules)


def upward_imports(root: Path) -> list[str]:
    """Every import against the rule, as `path:line: statement (layer -> target)`."""
    package, modules = root.name, module_names(root)
    problems = []
    for name, path in modules.items():
        if name in FACADES:
            continue
        layer = layer_of(name)
        if layer not in ALLOWED:
            problems.append(f"{path.relative_to(root.parent)}: {layer!r} is no layer of the rule")
            continue
        for found in imports(root, package, name, path, modules):
            if found.target == UNSEEN:
                if not is_lazy_facade(path):
                    problems.append(f"{found} (an import by a name known only at run time: the rule cannot see it)")
            elif not allowed(layer, found.target):
                problems.append(f"{found} ({layer} -> {found.target})")
    return problems


def is_lazy_facade(path: Path) -> bool:
    """A package's `__init__.py` that loads its names on first use (a module-level `__getattr__`)."""
    return path.name == "__init__.py" and any(
        isinstance(node, ast.FunctionDef) and node.name == "__getattr__" for node in ast.parse(path.read_text()).body)


def _cycles(edges: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, {}):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def import_cycles(root: Path) -> list[str]:
    """Every cycle of module-level imports, each with the imports that close it."""
    package, modules = root.name, module_names(root)
    edges: dict[str, dict[str, Import]] = {}
    for name, path in modules.items():
        for found in imports(root, package, name, path, modules):
            if found.top_level and found.target in modules:
                edges.setdefault(name, {}).setdefault(found.target, found)
    problems = []
    for component in _cycles(edges):
        members = set(component)
        lines = [str(edges[a][b]) for a in component for b in edges.get(a, {}) if b in members]
        problems.append(f"import cycle between {', '.join(component)}:\n    " + "\n    ".join(lines))
    return problems


# -- the package ------------------------------------------------------------------------------


def test_every_import_goes_down_the_layers() -> None:
    problems = upward_imports(PACKAGE)
    assert not problems, "imports against the layer rule (STYLE.md, 'The shape'):\n" + "\n".join(problems)


def declared_for_type_checkers(path: Path) -> dict[str, tuple[str, str]]:
    """What a facade's `if TYPE_CHECKING:` block imports: each name it offers -> (module, attribute)."""
    declared = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        declared[alias.asname or alias.name] = (statement.module, alias.name)
    return declared


def test_lazy_facades_load_exactly_what_the_rule_sees() -> None:
    """A lazy facade loads its names by a module name held in a table, which `ast` cannot follow; its
    `TYPE_CHECKING` imports, which the rule checks, must name every one of them, from the module it
    really comes from, so the facade can reach nothing the rule has not seen."""
    import importlib

    facades = [path for path in sorted(PACKAGE.rglob("__init__.py"))
               if is_lazy_facade(path) and declared_for_type_checkers(path)]
    assert len(facades) >= 4, facades  # natoclaims, core, model, render
    for path in facades:
        name = ".".join(path.relative_to(PACKAGE.parent).parent.parts)
        facade = importlib.import_module(name)
        declared = declared_for_type_checkers(path)
        offered = [n for n in facade.__all__ if n != "__version__"]
        assert sorted(set(offered) - set(declared)) == [], f"{path}: offers names its TYPE_CHECKING block does not import"
        for offered_name in offered:
            module, attribute = declared[offered_name]
            assert getattr(facade, offered_name) is getattr(importlib.import_module(module), attribute), (
                f"{path}: {offered_name} is loaded from elsewhere than {module}.{attribute}")


def test_no_import_cycles() -> None:
    problems = import_cycles(PACKAGE)
    assert not problems, "\n".join(problems)


def test_only_facades_errors_and_paths_at_the_top() -> None:
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL_MODULES, f"modules at the top of the package: {sorted(top - TOP_LEVEL_MODULES)}"


def test_no_module_over_the_limit() -> None:
    long = {str(path.relative_to(PACKAGE.parent)): n for path in sorted(PACKAGE.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (make each a package): {long}"


def test_every_layer_is_a_package_the_rule_names() -> None:
    layers = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert layers == set(ALLOWED) - {"errors", "paths"}


# -- the checker itself, so that the tests above cannot pass by seeing nothing ---------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "natoclaims"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_upward_imports_and_cycles(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "from natoclaims.core import x\n",  # a facade: exempt from the rule
        "errors.py": "",
        "model/__init__.py": "",
        "model/vocabulary.py": "",
        "model/text.py": "def f():\n    from natoclaims.store import backend\n",  # upward, in a function
        "store/__init__.py": "",
        "store/backend.py": "from natoclaims import errors\nfrom natoclaims.model import text\n",  # fine
        "core/__init__.py": "",
        "core/x.py": "from natoclaims.core import y\nfrom natoclaims.model.vocabulary import Status\n",
        "core/y.py": "from . import x\n",  # a cycle with x, written relatively
        "cli/__init__.py": (
            "from typing import TYPE_CHECKING\n"
            "from natoclaims import __version__\n"  # allowed
            "from natoclaims.model import vocabulary\n"  # allowed
            "if TYPE_CHECKING:\n    from natoclaims.store import Store\n"  # upward, though only for type checkers
            "def g():\n    import natoclaims.model.text\n"  # not model.vocabulary: not allowed
            "import importlib\n"
            "def h(name):\n    importlib.import_module('natoclaims.store.journal')\n"  # upward, by name
            "    importlib.import_module(f'natoclaims.cli.{name}')\n"  # some module of cli: allowed
            "    importlib.import_module(name)\n"  # unseen, and not in a lazy facade
        ),
    })
    upward = upward_imports(root)
    assert upward == [
        "natoclaims/cli/__init__.py:5: from natoclaims.store import Store (cli -> store)",
        "natoclaims/cli/__init__.py:7: import natoclaims.model.text (cli -> model.text)",
        "natoclaims/cli/__init__.py:10: importlib.import_module('natoclaims.store.journal') (cli -> store.journal)",
        "natoclaims/cli/__init__.py:12: importlib.import_module(name) (an import by a name known only at run time: "
        "the rule cannot see it)",
        "natoclaims/model/text.py:2: from natoclaims.store import backend (model -> store.backend)",
    ], upward
    cycles = import_cycles(root)
    assert cycles == ["import cycle between core.x, core.y:\n"
                      "    natoclaims/core/x.py:1: from natoclaims.core import y\n"
                      "    natoclaims/core/y.py:1: from . import x"], cycles


def test_imports_only_in_functions_or_for_type_checkers_make_no_cycle(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/a.py": "from natoclaims.core import b\n",
        "core/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from natoclaims.core import a\n"
                     "def f():\n    from natoclaims.core import a\n",
    })
    assert import_cycles(root) == []
    assert upward_imports(root) == []
