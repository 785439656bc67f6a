"""What every command shares: the console, ``fail()``, the options that mean the same thing
in every command, help in the words a user types, the progress display, and reading a build.

Commands print their results on stdout and everything else (progress, warnings, errors) on
stderr through :data:`console`; an error is one line and an exit code
(:class:`kg.exit_codes.ExitCode`), raised as ``raise fail(message, code)``.

Names of files, article text, entity names and what a user typed are never console markup
(a file called ``[red]x[/red].md``, a sentence holding ``[/]`` or ``[link=…]``): every
console here has markup and emoji codes off, and kg's own colours are styles given beside
the text (:func:`say`, :func:`cells`), never tags inside it.

Help shows what a user types: every option that takes a value has a ``metavar`` (``PATH``,
``FORMAT``, ``N``), and :class:`Command` and :class:`Group` keep typer from printing Python
types beside them (``<bool>`` for a flag, ``<list[Path]>``, ``{paths}...`` in the usage).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.exit_codes import ExitCode
from kg.extract import CatalogueError, load_catalogue
from kg.model import SourceError
from kg.sinks.files import GRAPH_FILE
from kg.sources import find_files


def plain_console(**options) -> Console:
    """A console that prints text as it is: no markup, no emoji codes, no highlighting."""
    return Console(markup=False, emoji=False, highlight=False, **options)


console = plain_console(stderr=True, soft_wrap=True)  # one message, one line, also in logs

Paths = Annotated[
    list[Path], typer.Argument(metavar="PATH", help="Files, folders (read recursively) or glob patterns of articles.")
]
CatalogueFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue", "-c", metavar="FILE", help="Extra entity catalogue YAML file(s), added to the built-in one."
    ),
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", metavar="BYTES", help="Skip (and report) files larger than this.")]
Strict = Annotated[bool, typer.Option("--strict", help="Exit 1 if any input could not be read.")]
BUILD = Path("build")
BuildDir = Annotated[
    Path,
    typer.Argument(metavar="BUILD_DIR", help="The build folder kg build wrote (or its graph.json).", show_default=True),
]


def json_flag(what: str):
    """``--json``, the same flag in every command that has it: ``what`` goes to stdout as JSON."""
    return typer.Option("--json", help=f"Print {what} as JSON on stdout.")


def format_option(choices: str):
    """``--format``/``-f``, the same option in every command that has it."""
    return typer.Option("--format", "-f", metavar="FORMAT", help=choices)


class _Argument(TyperArgument):
    """An argument as help shows it: its metavar alone (``PATH...``), in the usage too."""

    def display_type_rich(self, ctx) -> str | None:
        return None

    def get_usage_pieces(self, ctx) -> list[str]:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return [name if self.required else f"[{name}]"]


def _in_plain_words(params: list) -> None:
    for param in params:
        if isinstance(param, TyperArgument):
            # typer makes its arguments itself and takes no class for them: changing the class
            # of the one it made is the only way to change how help shows it
            param.__class__ = _Argument
        elif getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # a flag takes no value: nothing to show beside it


class Command(TyperCommand):
    """A command whose help shows no Python type: register every command with ``cls=Command``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _in_plain_words(self.params)

    def get_help_option(self, ctx):
        # --help is made on first use, not with the other options
        option = super().get_help_option(ctx)
        _in_plain_words([option] if option is not None else [])
        return option


class Group(TyperGroup):
    """A group (``kg``, ``kg export``, ``kg neo4j``) whose own options show no Python type."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _in_plain_words(self.params)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        _in_plain_words([option] if option is not None else [])
        return option


def command_group(help: str) -> typer.Typer:
    """A group of subcommands (``kg export``, ``kg neo4j``), shown as the top level is."""
    return typer.Typer(cls=Group, help=help, no_args_is_help=True, add_completion=False, rich_markup_mode="rich")


Part = str | tuple[str, str]


def say(*parts: Part) -> None:
    """One message on stderr: each part is text as it is, or (text, style) for kg's own words
    in colour, e.g. ``say(("skipped", "yellow"), " ", path)``."""
    console.print(Text.assemble(*parts))


def cells(*values: object) -> list[Text]:
    """Table cells that show their text as it is (a str cell would be read as markup)."""
    return [value if isinstance(value, Text) else Text("" if value is None else str(value)) for value in values]


def add_row(table, *values: object) -> None:
    """A table row of plain-text cells."""
    table.add_row(*cells(*values))


def fail(message: str, code: int) -> typer.Exit:
    """Print ``error: message`` (plain text) and return the exit to raise."""
    say(("error:", "bold red"), " ", str(message))
    return typer.Exit(code)


def catalogue_or_exit(files: list[Path] | None):
    try:
        return load_catalogue(files or ())
    except CatalogueError as error:
        raise fail(str(error), ExitCode.USAGE) from error


def new_progress() -> Progress:
    """The progress display every long command uses; silent when stderr is not a terminal."""
    return Progress(
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def progress_bar(total: int, label: str) -> tuple[Progress, object]:
    bar = new_progress()
    return bar, bar.add_task(label, total=total)


def graph_file_of(build: Path) -> Path:
    """The graph.json a build folder holds (or ``build`` itself, a file), or exit 3 saying what to run."""
    path = build if build.is_file() else build / GRAPH_FILE
    if not path.is_file():
        raise fail(f"{path} not found: run kg build first, or give the build folder", ExitCode.NO_INPUT)
    return path


def read_build_graph(build: Path):
    """The networkx graph of a build (folder or graph.json), or exit with why it cannot be read."""
    from kg.sinks.files import read_graph

    path = graph_file_of(build)
    try:
        return read_graph(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise fail(f"cannot read {path}: {error}", ExitCode.FAILED) from error


def count_files(paths: list[Path]) -> int:
    return sum(1 for found in find_files(paths) if not isinstance(found, SourceError))


def report_errors(errors: list[SourceError]) -> None:
    for error in errors:
        say(("skipped", "yellow"), f" {error.path}: {error.reason}")
