"""The extractor's compiled modules (setup.py, kg.extract.compiled): they say what the
Python source says, and a module edited since it was compiled runs as Python."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from kg.extract import RuleExtractor, compiled, load_catalogue
from kg.pipeline import extract_corpus

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
PURE = os.environ.get("KG_PURE_PYTHON") == "1"


def claims_of(folder: Path) -> list[str]:
    """Every claim, mention list and discovered entity of a corpus, as sorted JSON lines."""
    extractor = RuleExtractor(load_catalogue())
    lines = []
    for item in extract_corpus([folder], extractor):
        lines += [json.dumps(dataclasses.asdict(c), ensure_ascii=False, sort_keys=True) for c in item.claims]
        lines.append(json.dumps([item.mentioned, [dataclasses.asdict(e) for e in item.discovered]], ensure_ascii=False))
    return sorted(lines)


def test_ci_runs_the_extractor_compiled():
    # CI installs kg with its extensions: its tests are to run them, not a silent fallback.
    if not os.environ.get("CI") or PURE:
        pytest.skip("only CI requires the compiled extractor")
    import kg.extract.rules  # noqa: F401  (every module of the extractor imported)

    assert compiled.status() and all(compiled.status().values()), compiled.status()


def test_compiled_and_python_extractors_agree_on_the_examples():
    if PURE or not any(compiled.status().values()):
        pytest.skip("the extractor runs as Python here: nothing compiled to compare")
    script = "import json, sys; from tests.test_compiled import claims_of, EXAMPLES; json.dump(claims_of(EXAMPLES), sys.stdout)"
    env = {**os.environ, "KG_PURE_PYTHON": "1"}
    pure = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(pure.stdout) == claims_of(EXAMPLES)


def fake_extension(folder: Path, module: str, source: str) -> Path:
    """A module's .py and an extension file beside it (never imported: only looked at)."""
    (folder / f"{module}.py").write_text(source)
    extension = folder / f"{module}{EXTENSION_SUFFIXES[0]}"
    extension.write_bytes(b"")
    return extension


def test_an_extension_is_fresh_only_while_its_source_has_the_recorded_hash(tmp_path):
    fake_extension(tmp_path, "rules", "A = 1\n")
    fake_extension(tmp_path, "stance", "B = 1\n")
    (tmp_path / "view.py").write_text("C = 1\n")  # no extension: nothing to check
    digest = hashlib.sha256(b"A = 1\n").hexdigest()
    (tmp_path / "_compiled.json").write_text(json.dumps({f"{compiled.PACKAGE}.rules": digest}))
    assert compiled.extension_modules(tmp_path) == [f"{compiled.PACKAGE}.rules", f"{compiled.PACKAGE}.stance"]
    assert compiled.stale_modules(tmp_path) == [f"{compiled.PACKAGE}.stance"]  # not recorded: not known fresh
    (tmp_path / "rules.py").write_text("A = 2\n")  # edited after the build
    assert compiled.stale_modules(tmp_path) == [f"{compiled.PACKAGE}.rules", f"{compiled.PACKAGE}.stance"]


def test_without_a_record_every_extension_is_stale_and_without_extensions_none(tmp_path):
    assert compiled.stale_modules(tmp_path) == []
    fake_extension(tmp_path, "rules", "A = 1\n")
    assert compiled.stale_modules(tmp_path) == [f"{compiled.PACKAGE}.rules"]


def test_a_stale_module_is_imported_from_its_source(tmp_path):
    (tmp_path / "rules.py").write_text("WHERE = 'source'\n")
    finder = compiled.SourceFirst([f"{compiled.PACKAGE}.rules"], tmp_path)
    spec = finder.find_spec(f"{compiled.PACKAGE}.rules")
    assert spec is not None and spec.origin == str(tmp_path / "rules.py")
    assert finder.find_spec(f"{compiled.PACKAGE}.stance") is None  # others: the usual import
