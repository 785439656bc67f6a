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


# --------------------------------------------------------------------------- a build that reads nothing


def test_a_build_that_reads_nothing_leaves_the_previous_build_and_page_as_they_were(runner, tmp_path):
    out, html = tmp_path / "build", tmp_path / "exports" / "graph.html"
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--html", str(html)]).exit_code == 0
    before = {path: path.read_bytes() for path in (out / "claims.jsonl", out / "graph.json", html)}
    typo = tmp_path / "example" / "corpus"
    result = runner.invoke(app, ["build", str(typo), "--out", str(out), "--html", str(html)])
    assert result.exit_code == 3
    assert {path: path.read_bytes() for path in before} == before
    assert f"skipped {typo.as_posix()}: no such file or folder\n" in result.stderr
    assert "nothing written" in result.stderr


def test_a_mistyped_path_suggests_the_one_that_exists(tmp_path):
    (tmp_path / "examples" / "corpus").mkdir(parents=True)
    (error,) = read_articles([tmp_path / "example" / "corpus"])
    assert error.reason == f"no such file or folder (did you mean {(tmp_path / 'examples' / 'corpus').as_posix()}?)"


def test_extract_exits_3_when_every_input_failed(runner, tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path / "empty.md"), str(tmp_path / "missing.md")])
    assert (result.exit_code, result.stdout) == (3, "")


def test_extract_to_a_file_writes_nothing_when_every_input_failed(runner, tmp_path):
    out = tmp_path / "claims.jsonl"
    out.write_text("the previous claims\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "missing"), "--out", str(out)])
    assert (result.exit_code, out.read_text("utf-8")) == (3, "the previous claims\n")


# --------------------------------------------------------------------------- text is never markup


def test_markup_in_a_file_name_is_printed_as_it_is_by_kg_build(runner, tmp_path):
    corpus = tmp_path / "corpus"
    article(corpus, "good.md")
    (corpus / "x[").mkdir()
    (corpus / "x[" / "]y [red]z.md").write_bytes(b"")  # the path reads x[/]y [red]z.md
    result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0
    assert f"skipped {corpus.as_posix()}/x[/]y [red]z.md: empty file\n" in result.stderr


def test_markup_in_evidence_is_shown_as_it_is_in_the_extract_table(runner, tmp_path):
    article(tmp_path, "a.md", MARKUP_SENTENCE)
    result = runner.invoke(app, ["extract", str(tmp_path / "a.md"), "--format", "table"])
    row = next(line for line in result.stdout.splitlines() if "Goldman Sachs" in line)
    assert (result.exit_code, row.split("│")[5].strip()) == (0, MARKUP_SENTENCE[:80])
    assert "\x1b]8;" not in result.stdout  # no hidden terminal hyperlink


def test_markup_in_a_failure_is_shown_as_it_is_by_kg_status(runner, tmp_path):
    (tmp_path / "kg.toml").write_text('[output]\nfolder = "build"\n', encoding="utf-8")
    report = RunReport(failures=[Failure("read", "incoming/[/]a.md", "[link=https://evil.example]empty file[/link]")])
    save_report(report.finish("failures", 0, "1 source(s) could not be read"), tmp_path / "build" / "rebuild" / "reports", 5)
    result = runner.invoke(app, ["status", "--config", str(tmp_path / "kg.toml")])
    assert result.exit_code == 0
    assert "incoming/[/]a.md: [link=https://evil.example]empty file[/link]" in result.stdout


def test_markup_typed_as_a_name_is_repeated_as_it_is_in_the_error(runner, tmp_path):
    runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html"])
    result = runner.invoke(app, ["view", str(tmp_path / "build"), "--focus", "[/]", "--out", str(tmp_path / "v.html")])
    assert (result.exit_code, result.stderr) == (2, "error: --focus: no entity is called '[/]'\n")


def test_an_emoji_code_in_a_file_name_stays_text(runner, tmp_path):
    (tmp_path / ":warning:.md").write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path / ":warning:.md")])
    assert f"skipped {tmp_path.as_posix()}/:warning:.md: empty file\n" in result.stderr


# --------------------------------------------------------------------------- a write killed half-way


def _killed_while_writing(args: list[str], name: str, cwd: Path) -> None:
    """Run ``python -m kg.cli ARGS`` until it has the temporary of ``name`` open, then kill -9 it."""
    env = {**os.environ, "KG_PAUSE_WRITING": name, "KG_PAUSE_SECONDS": "120"}
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if line.strip() == f"kg: paused writing {name}":
                break
        else:
            pytest.fail(f"kg {' '.join(args)} ended without pausing at {name}")
    finally:
        process.kill()
        process.wait(timeout=NO_HANG)
        process.stderr.close()


def test_the_temporary_a_kill_9_left_in_an_export_is_removed_by_the_next_export(runner, tmp_path):
    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html"]).exit_code == 0
    export = ["export", "rdf", str(tmp_path / "build"), "--out", str(tmp_path / "exports" / "graph.ttl")]
    _killed_while_writing(export, "graph.ttl", tmp_path)
    assert len(list((tmp_path / "exports").glob(".graph.ttl.*.tmp"))) == 1
    assert runner.invoke(app, export).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["graph.ttl"]


def test_the_temporary_a_kill_9_left_in_a_rebuild_export_is_removed_by_the_next_rebuild(runner, tmp_path):
    article(tmp_path / "articles", "a.md")
    (tmp_path / "kg.toml").write_text('[sources]\npaths = ["articles"]\n[exports]\nrdf = ["turtle"]\n', encoding="utf-8")
    _killed_while_writing(["rebuild", "--config", str(tmp_path / "kg.toml")], "graph.ttl", tmp_path)
    assert runner.invoke(app, ["rebuild", "--config", str(tmp_path / "kg.toml")]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["graph.html", "graph.ttl"]


def test_a_temporary_another_running_writer_holds_is_left_alone(runner, tmp_path):
    from kg.sinks.files import _writer

    assert runner.invoke(app, ["build", str(EXAMPLES), "--out", str(tmp_path / "build"), "--no-html"]).exit_code == 0
    live = tmp_path / "exports" / f".graph.ttl.{_writer()}.abcd1234.tmp"  # this very process, running
    live.parent.mkdir()
    live.write_bytes(b"half a file")
    assert runner.invoke(app, ["export", "rdf", str(tmp_path / "build"), "--out", str(tmp_path / "exports" / "graph.ttl")]).exit_code == 0
    assert live.read_bytes() == b"half a file"
