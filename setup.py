"""Compiles the rule extractor's modules (kg/extract) to C extensions with Cython.

Everything else about the package is in pyproject.toml. The extractor reads every
sentence of every article with many small Python functions; the same source, compiled
unchanged, runs faster (1.3 to 1.4 times on the machine of the second session, 1.12 times on
today's: benchmarks/README.md). The .py files stay the
source and are installed beside the extensions:

- without a C compiler the extensions are skipped (``optional``) and kg runs as Python;
- ``KG_PURE_PYTHON=1 pip install ...`` compiles nothing;
- a module edited after it was compiled runs as Python until the next install, and
  ``KG_PURE_PYTHON=1`` at run time ignores the extensions (:mod:`kg.extract.compiled`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

PACKAGE = Path("kg/extract")
# Every module of the extractor but the package itself and the one that checks the
# extensions (it must run before any of them is imported).
SKIPPED = ("__init__.py", "compiled.py")
MANIFEST = "_compiled.json"  # read by kg/extract/compiled.py: module → hash of its source
DIRECTIVES = {
    "language_level": 3,
    "binding": True,  # functions keep their signatures and docstrings (doctests, inspect)
    "annotation_typing": False,  # annotations are documentation: never runtime type checks
    "autotestdict": False,  # doctests are found on the functions, once
}


def sources() -> list[str]:
    return sorted(str(path) for path in PACKAGE.glob("*.py") if path.name not in SKIPPED)


def extensions() -> list:
    if os.environ.get("KG_PURE_PYTHON") == "1":
        return []
    from Cython.Build import cythonize  # a build requirement (pyproject.toml)

    compiled = cythonize(sources(), build_dir=".cython-build", compiler_directives=DIRECTIVES, quiet=True)
    for extension in compiled:
        extension.optional = True  # no compiler: kg still installs, as Python
    return compiled


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildExt(build_ext):
    """build_ext that compiles in parallel and writes, beside the extensions it built, the
    hash of each one's source: kg.extract.compiled runs a module edited since as Python."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        super().run()
        built = {}
        for extension in self.extensions:
            if Path(self.get_ext_fullpath(extension.name)).exists():
                source = Path(*extension.name.split(".")).with_suffix(".py")
                built[extension.name] = source_hash(source)
        if built:
            target = Path(self.get_ext_fullpath(self.extensions[0].name)).parent / MANIFEST
            target.write_text(json.dumps(built, indent=1, sort_keys=True) + "\n")


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExt})
