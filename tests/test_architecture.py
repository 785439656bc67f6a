"""The shape of the package: no import circles in kg/, no module over 500 lines, no
function over 60 lines, unless a comment says why it is better whole (``WHOLE``).

Imports are read with :mod:`ast`, all of them: at the top of a module, inside a function
(a lazy import is still a dependency), relative or absolute. ``import a.b`` and
``from a import b`` (b a module) are arrows to ``a.b``; ``from a.b import name`` (name
not a module) is an arrow to ``a.b``. The packages around a module run before it, but
that is not counted as the module importing them: a submodule that imports its own
package's ``__init__`` back (``from kg.cli import app`` in a command module) is counted,
and that is the circle this test forbids.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kg"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
WHOLE = "# better whole:"  # a comment right above a def (or its decorators), and why
WHOLE_MODULE = "# better whole as one module:"  # a comment line anywhere in a module, and why


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: Path) -> dict[str, Path]:
    """Every module of a package by its dotted name (a package is its ``__init__.py``)."""
    return {module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, known: Mapping[str, Path]) -> set[str]:
    """The modules of ``known`` that the module ``name`` at ``path`` imports, anywhere in it."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {module for module in found if module in known and module != name}


def import_graph(package: Path) -> dict[str, set[str]]:
    known = modules_of(package)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def circles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_circle_in_kg():
    graph = import_graph(PACKAGE)
    found = circles(graph)
    described = [" -> ".join(group) + f": {[(a, sorted(set(graph[a]) & set(group))) for a in group]}" for group in found]
    assert found == [], "import circles:\n" + "\n".join(described)


def test_the_import_reader_sees_lazy_relative_and_from_imports(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from pkg.sub import b\n")
    (package / "a.py").write_text("def late():\n    from .sub import b\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("from pkg import a\nfrom ..a import late\n")
    graph = import_graph(package)
    assert graph == {"pkg": {"pkg.sub.b"}, "pkg.a": {"pkg.sub.b"}, "pkg.sub": set(), "pkg.sub.b": {"pkg.a"}}
    assert circles(graph) == [["pkg.a", "pkg.sub.b"]]


def python_files(package: Path = PACKAGE) -> list[Path]:
    return sorted(package.rglob("*.py"))


def kept_whole(lines: list[str], line: int) -> bool:
    """Whether the comment line right above line ``line`` (1-based) says why it is better whole."""
    return line >= 2 and lines[line - 2].strip().startswith(WHOLE)


def long_functions(path: Path, root: Path = ROOT) -> list[str]:
    """The functions of a file over the limit that no comment keeps whole, as ``path:line name``."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not kept_whole(lines, first):
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_of_kg_is_over_500_lines():
    too_long = []
    for path in python_files():
        lines = path.read_text("utf-8").splitlines()
        if len(lines) > MAX_MODULE_LINES and not any(line.startswith(WHOLE_MODULE) for line in lines):
            too_long.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert too_long == []


def test_no_function_of_kg_is_over_60_lines():
    assert [found for path in python_files() for found in long_functions(path)] == []


def test_a_long_function_may_stay_whole_when_a_comment_says_why(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "a.py").write_text(f"def long():\n{body}\n\n{WHOLE} one table, read top to bottom\n@cache\ndef kept():\n{body}")
    assert long_functions(tmp_path / "a.py", tmp_path) == [f"a.py:1 long ({MAX_FUNCTION_LINES + 1} lines)"]


def test_no_module_binds_a_top_level_name_twice():
    """A second ``_PATTERN = …`` silently replaces the first for every use above it too."""
    twice = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        names: list[str] = []
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Assign):
                names += [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            twice[str(path.relative_to(ROOT))] = repeated
    assert twice == {}
