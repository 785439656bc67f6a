"""The ``kg`` command line: the app, and every command wired to it here, in the order of ``kg --help``.

Each command is a plain function in the module of its group (:mod:`~kg.cli.build`,
:mod:`~kg.cli.evaluation`, :mod:`~kg.cli.view`, :mod:`~kg.cli.export`, :mod:`~kg.cli.neo4j`,
:mod:`~kg.cli.rebuild`, :mod:`~kg.cli.chart`), which knows nothing of the app; what the commands share (the
console, ``fail()``, the options) is :mod:`kg.cli.common`. The library does the work: a
command reads its options, calls it, and prints. Exit codes: :class:`kg.exit_codes.ExitCode`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kg import __version__
from kg.cli import build, chart, evaluation, export, neo4j, rebuild, view
from kg.cli.common import Command, Group

app = typer.Typer(
    cls=Group,
    help="Build a knowledge graph of who said what about whom from AI-investment news "
    "(Chinese and English): claims with their holder, target, stance and evidence sentence.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,  # a traceback must not print the Neo4j password it held
)


def version_callback(value: bool) -> None:
    if value:
        print(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kg: who said what about whom in AI-investment news."""


def command(name: str, function) -> None:
    """Register ``function`` as ``kg NAME``, its help in plain words (:class:`~kg.cli.common.Command`)."""
    app.command(name, cls=Command)(function)


command("build", build.build_command)
command("extract", build.extract_command)
command("eval", evaluation.eval_command)
command("view", view.view_command)
command("validate", export.validate_command)
command("load", neo4j.load_command)
command("query", neo4j.query_command)
command("init", rebuild.init_command)
command("rebuild", rebuild.rebuild_command)
command("status", rebuild.status_command)
command("schedule", rebuild.schedule_command)
app.add_typer(chart.app, name="chart")  # kg chart targets
app.add_typer(export.app, name="export")  # kg export rdf | graphml | gexf | jsonl | neo4j-csv
app.add_typer(neo4j.app, name="neo4j")  # kg neo4j init | status
