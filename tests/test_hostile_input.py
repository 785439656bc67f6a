"""Hostile files and text: a named pipe among the articles, a path with a typo, square
brackets in file names and sentences. Nothing hangs, nothing good is lost, and text is
shown as it is, never read as console markup.

Every file is written here into pytest's tmp_path; the texts are our own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.model import Article, SourceError
from kg.rebuild.report import Failure, RunReport, save_report
from kg.sources import read_articles

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
GOOD = '---\ntitle: "{title}"\ndate: "2025-03-01"\nlang: "en"\n---\n{sentence}\n'
MARKUP_SENTENCE = "Goldman Sachs said Nvidia [red]shares[/red] look attractive [link=https://evil.example]now[/link] [/]."
NO_HANG = 120  # seconds: a guard so that a hang fails the test instead of stopping the suite


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def article(folder: Path, name: str, sentence: str = "Goldman Sachs said Nvidia shares look attractive.") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.format(title=name, sentence=sentence), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- what is not a file


def test_a_named_pipe_in_a_folder_is_skipped_with_its_reason_and_the_others_are_read(tmp_path):
    article(tmp_path, "a.md")
    os.mkfifo(tmp_path / "pipe.md")
    items = list(read_articles([tmp_path]))
    assert [(type(i).__name__, Path(i.path).name) for i in items] == [("Article", "a.md"), ("SourceError", "pipe.md")]
    assert items[1].reason == "a named pipe, not a regular file (kg reads regular files and links to them)"


def test_a_named_pipe_given_by_name_is_refused_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (error,) = read_articles([tmp_path / "pipe.md"])
    assert isinstance(error, SourceError)
    assert error.reason == "a named pipe, not a regular file (kg reads regular files and links to them)"


def test_a_symlink_to_an_article_is_read_and_a_broken_one_is_named(tmp_path):
    target = article(tmp_path / "elsewhere", "real.md")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link.md").symlink_to(target)
    (tmp_path / "in" / "broken.md").symlink_to(tmp_path / "gone.md")
    items = {Path(i.path).name: i for i in read_articles([tmp_path / "in"])}
    assert isinstance(items["link.md"], Article)
    assert items["broken.md"].reason == "broken symbolic link: its target does not exist"


def test_kg_build_of_a_folder_holding_a_named_pipe_finishes_and_names_it(tmp_path):
    corpus = tmp_path / "corpus"
    article(corpus, "a.md")
    os.mkfifo(corpus / "b.md")
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "out"), "--no-html", "--json"],
        capture_output=True, text=True, timeout=NO_HANG, cwd=tmp_path,
    )  # fmt: skip
    summary = json.loads(done.stdout)
    assert (done.returncode, summary["articles"], summary["failures"]) == (
        0, 1, [{"path": (corpus / "b.md").as_posix(), "reason": "a named pipe, not a regular file (kg reads regular files and links to them)"}],
    )  # fmt: skip
