"""Which of the extractor's modules run compiled, and none runs stale.

``pip install`` compiles the modules of kg/extract with Cython (setup.py) and writes
beside the extensions ``_compiled.json``: the SHA-256 of the source each was compiled
from. Python imports an extension before the .py of the same name, so an edited rule
would silently not run: a module whose .py no longer has that hash (edited, pulled,
checked out) is imported from its .py instead, with a warning saying how to compile it
again. ``KG_PURE_PYTHON=1`` imports every module from its .py (to compare, or for
tracebacks into the source). Without extensions nothing is checked: all is Python.

:func:`install` runs from ``kg/extract/__init__.py``, before any module of it is imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import warnings
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = __name__.rpartition(".")[0]
MANIFEST = HERE / "_compiled.json"


def extension_modules(folder: Path = HERE) -> list[str]:
    """The modules of ``folder`` present as extensions for this interpreter, by dotted name."""
    names = set()
    for path in folder.iterdir():
        # (the suffixes go from the most specific, ".cpython-311-x86_64-linux-gnu.so", to ".so")
        suffix = next((s for s in EXTENSION_SUFFIXES if path.name.endswith(s)), None)
        if suffix is not None:
            names.add(path.name[: -len(suffix)])
    return sorted(f"{PACKAGE}.{name}" for name in names)


def stale_modules(folder: Path = HERE) -> list[str]:
    """The extensions of ``folder`` not compiled from the .py beside them (a missing or
    unreadable record counts as not: a module is only run compiled when it is known fresh)."""
    compiled = extension_modules(folder)
    if not compiled:
        return []
    try:
        recorded = json.loads((folder / MANIFEST.name).read_text("utf-8"))
    except (OSError, ValueError):
        recorded = {}
    stale = []
    for name in compiled:
        source = folder / (name.rpartition(".")[2] + ".py")
        if not source.exists() or recorded.get(name) != hashlib.sha256(source.read_bytes()).hexdigest():
            stale.append(name)
    return stale


class SourceFirst:
    """A meta path finder that imports the given modules from their .py files."""

    def __init__(self, names: list[str], folder: Path = HERE):
        self.names = frozenset(names)
        self.folder = folder

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.folder / (fullname.rpartition(".")[2] + ".py"))


def install() -> None:
    """Import stale modules (every one under ``KG_PURE_PYTHON=1``) from their .py files."""
    if os.environ.get("KG_PURE_PYTHON") == "1":
        names = extension_modules()
    else:
        names = stale_modules()
        if names:
            warnings.warn(
                f"{', '.join(names)}: changed since compiled, running as Python (slower); "
                "`pip install -e .` compiles them again",
                stacklevel=2,
            )
    if names:
        sys.meta_path.insert(0, SourceFirst(names))


def status() -> dict[str, bool]:
    """Each imported module of the extractor: does it run compiled?"""
    prefix = PACKAGE + "."
    return {
        name: not (module.__file__ or "").endswith(".py")
        for name, module in sorted(sys.modules.items())
        if name.startswith(prefix) and name != __name__ and module is not None
    }
