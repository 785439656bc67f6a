"""What every command shares: the console, ``fail()``, the options that mean the same thing
in every command, the progress display, and reading a build.

Commands print their results on stdout and everything else (progress, warnings, errors) on
stderr through :data:`console`; an error is one line and an exit code
(:class:`kg.exit_codes.ExitCode`), raised as ``raise fail(message, code)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.exit_codes import ExitCode
from kg.extract import CatalogueError, load_catalogue
from kg.model import SourceError
from kg.sinks.files import GRAPH_FILE
from kg.sources import find_files

console = Console(stderr=True, soft_wrap=True)  # one message, one line, also in logs

Paths = Annotated[list[Path], typer.Argument(help="Files, folders (read recursively) or glob patterns of articles.")]
CatalogueFiles = Annotated[
    list[Path] | None,
    typer.Option("--catalogue", "-c", help="Extra entity catalogue YAML file(s), added to the built-in one."),
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Skip (and report) files larger than this.")]


def fail(message: str, code: int) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
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
        console.print(f"[yellow]skipped[/] {error.path}: {error.reason}", highlight=False)
