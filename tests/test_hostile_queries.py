"""What a read-only query may read and say, against the real local Neo4j: LOAD CSV stays in
the server's import folder, a number Neo4j cannot hold is a usage error, a misspelt name
gets the closest names, and no server at all says how to start one.

Server tests use the ``neo4j_driver`` fixture (tests/conftest.py): skipped without a server,
failing under CI. The last test starts a second, separate local server of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"


def kg(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def loaded(neo4j_driver, tmp_path) -> Path:
    """The sample corpus built and loaded."""
    assert kg("build", EXAMPLES, "--no-html", "--out", tmp_path / "build", "--neo4j").exit_code == 0
    return tmp_path / "build"


# --------------------------------------------------------------------------- LOAD CSV


def test_load_csv_cannot_read_a_file_outside_the_import_folder(neo4j_driver, tmp_path):
    query = tmp_path / "passwd.cypher"
    query.write_text('LOAD CSV FROM "file:///etc/passwd" AS line RETURN line[0] AS line LIMIT 5\n', encoding="utf-8")
    result = kg("query", "--file", query, "--format", "json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "root:" not in result.stderr
    assert result.stderr == (
        "error: query passwd failed: Cannot load from URL 'file:///etc/passwd': Couldn't load the external resource "
        "at: file:///etc/passwd () (LOAD CSV reads file:/// URLs only inside the server's import folder, "
        "server.directories.import; the local server's is .neo4j/home/import)\n"
    )


def test_load_csv_reads_a_file_in_the_import_folder(neo4j_driver, tmp_path):
    folder = Path(os.environ.get("NEO4J_STATE") or ROOT / ".neo4j") / "home" / "import"
    if not folder.is_dir():
        pytest.skip(f"not the local server of scripts/neo4j-local ({folder} missing)")
    (folder / "kg-test.csv").write_text("Goldman Sachs,Nvidia\n", encoding="utf-8")
    query = tmp_path / "mine.cypher"
    query.write_text('LOAD CSV FROM "file:///kg-test.csv" AS row RETURN row[0] AS holder, row[1] AS target\n', encoding="utf-8")
    try:
        result = kg("query", "--file", query, "--format", "json")
    finally:
        (folder / "kg-test.csv").unlink()
    assert (result.exit_code, json.loads(result.stdout)) == (0, [{"holder": "Goldman Sachs", "target": "Nvidia"}])


# --------------------------------------------------------------------------- parameters


def test_an_integer_beyond_64_bits_is_a_usage_error_before_any_connection():
    result = kg("query", "who-said-what", "--param", "target=Nvidia", "--param", "limit=99999999999999999999999")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --param limit=99999999999999999999999 is out of range: Neo4j integers run from "
        "-9223372036854775808 to 9223372036854775807\n",
    )


def test_a_misspelt_query_name_gets_the_close_one():
    result = kg("query", "who-said")
    assert (result.exit_code, result.stderr) == (2, "error: no query named 'who-said'; did you mean who-said-what?\n")


def test_a_misspelt_target_gets_the_closest_names(loaded):
    result = kg("query", "who-said-what", "--param", "target=Nvdia", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert result.stderr == "warning: no entity in the database is called 'Nvdia' (--param target); did you mean Nvidia?\n"


def test_a_name_that_is_known_gets_no_warning(loaded):
    result = kg("query", "who-said-what", "--param", "target=英伟达", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert result.stderr == ""


def test_markup_in_a_query_and_in_its_answer_is_printed_as_it_is(neo4j_driver, tmp_path):
    query = tmp_path / "mine.cypher"
    query.write_text(
        '// name: [bold]mine[/]\nRETURN "[/] [link=https://evil.example]x[/link]" AS `[red]said`\n', encoding="utf-8"
    )
    result = kg("query", "--file", query)
    assert result.exit_code == 0
    assert [line.strip(" │┃") for line in result.stdout.splitlines() if "[" in line] == [
        "[bold]mine[/]: 1 row", "[red]said", "[/] [link=https://evil.example]x[/link]",
    ]  # fmt: skip


# --------------------------------------------------------------------------- no server


def test_no_server_says_how_to_start_the_local_one(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    result = kg("query", "who-said-what", "--param", "target=Nvidia")
    assert result.exit_code == 4
    assert result.stderr.endswith(
        "; start the local server with scripts/neo4j-local start (in a clone of kg; Java 17 and Maven), "
        "or point NEO4J_URI at the server you have (bolt://host:port)\n"
    )


def _python_without_the_driver() -> str | None:
    for candidate in (getattr(sys, "_base_executable", None), "/usr/bin/python3"):
        if candidate and os.access(candidate, os.X_OK):
            if subprocess.run([candidate, "-c", "import neo4j"], capture_output=True).returncode != 0:
                return candidate
    return None


@pytest.mark.skipif(not shutil.which("java"), reason="the local server needs Java 17 (and Maven to build it once)")
def test_the_local_server_starts_without_a_python_that_has_the_driver(tmp_path):
    python = _python_without_the_driver()
    if python is None:
        pytest.skip("every python here has the neo4j driver")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(sys.prefix))
    env = {**os.environ, "PATH": path, "NEO4J_PYTHON": python, "NEO4J_STATE": str(tmp_path / "state"),
           "NEO4J_BOLT_PORT": str(free_port()), "NEO4J_HEAP_MAX": "512m", "NEO4J_PAGECACHE_MB": "32"}  # fmt: skip
    env.pop("VIRTUAL_ENV", None)
    try:
        started = subprocess.run([NEO4J_LOCAL, "start"], env=env, capture_output=True, text=True, timeout=600)
        assert started.returncode == 0, started.stderr
        assert "checking the Bolt handshake only, not the login" in started.stderr
        assert subprocess.run([NEO4J_LOCAL, "status"], env=env, capture_output=True).returncode == 0
    finally:
        subprocess.run([NEO4J_LOCAL, "stop"], env=env, capture_output=True, timeout=120)
