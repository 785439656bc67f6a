"""The command line reads like its help: every --help in the words a user types, the README's
table of commands the same as kg --help, one form for the same option everywhere (and the
older forms still working)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
# How typer and click print Python types: <bool>, <list[Path]>, <int range>, <force|columns>,
# TEXT, INTEGER; and a required argument in the usage as {paths}.
PYTHON_TYPE = re.compile(
    r"<(?:bool|str|int|float|path|Path|file|dir|list\[[^\]]*\]|[a-z]+ range|[\w.-]+(?:\|[\w.-]+)+)>"
    r"|\{\w+\}|\b(?:TEXT|INTEGER|FLOAT|BOOLEAN)\b"
)


@pytest.fixture(scope="module")
def examples_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    assert CliRunner().invoke(app, ["build", str(EXAMPLES), "--out", str(out), "--no-html"]).exit_code == 0
    return out


def command_paths(command=None, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of kg, as the words that name it (``()`` is kg itself)."""
    command = command or typer.main.get_command(app)
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += command_paths(sub, (*path, name))
    return found


def help_of(*words: str) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], prog_name="kg", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def readme_commands() -> list[str]:
    """The command names of the README's CLI table, in its order."""
    text = (ROOT / "README.md").read_text("utf-8")
    table = text.split("## The CLI at a glance", 1)[1].split("\n\n", 2)[1]
    return [row.group(1) for row in re.finditer(r"^\| `kg ([a-z0-9-]+)", table, re.M)]


@pytest.mark.parametrize("words", command_paths(), ids=lambda words: " ".join(("kg", *words)))
def test_help_shows_no_python_type_names(words):
    assert PYTHON_TYPE.findall(help_of(*words)) == []


def test_the_readme_table_lists_the_commands_of_kg_help_in_its_order():
    listed = re.findall(r"^│ ([a-z0-9-]+) {2,}", help_of().split("Commands", 1)[1], re.M)
    assert readme_commands() == listed


def test_every_value_option_shows_a_metavar_in_capitals():
    for words in command_paths():
        command = typer.main.get_command(app)
        for word in words:
            command = command.commands[word]
        for param in command.params:
            if not getattr(param, "is_flag", False):
                assert param.metavar and param.metavar == param.metavar.upper(), (words, param.name)


@pytest.mark.parametrize("command", [["view"], ["load"], ["export", "rdf"], ["export", "jsonl"]])
def test_the_build_folder_is_the_argument_build_dir_wherever_a_build_is_read(command):
    assert re.search(r"Usage: kg .*\[OPTIONS\] \[BUILD_DIR\]", help_of(*command))


def test_kg_export_still_takes_the_build_folder_as_build_and_says_so(tmp_path, examples_build):
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["export", "jsonl", "--build", str(examples_build), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (examples_build / "claims.jsonl").read_bytes()
    assert "the older form, still works" in " ".join(help_of("export", "jsonl").split())


def test_kg_export_refuses_two_different_build_folders(tmp_path, examples_build):
    result = CliRunner().invoke(app, ["export", "graphml", str(examples_build), "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "the build folder is given twice" in result.output


def test_kg_extract_writes_with_out_and_with_the_older_output(tmp_path, examples_build):
    for option in ("--out", "--output"):
        out = tmp_path / f"claims{option}.jsonl"
        assert CliRunner().invoke(app, ["extract", str(EXAMPLES), option, str(out)]).exit_code == 0
        assert out.read_bytes() == (examples_build / "claims.jsonl").read_bytes()


def test_kg_init_writes_where_config_or_the_older_argument_says(tmp_path):
    for args, written in ((["--config", str(tmp_path / "a.toml")], "a.toml"), ([str(tmp_path / "b.toml")], "b.toml")):
        assert CliRunner().invoke(app, ["init", *args]).exit_code == 0
        assert (tmp_path / written).is_file()
