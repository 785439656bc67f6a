"""The ``kg`` command line: build, extract, eval (and, from other modules, load, query, export).

Exit codes: :class:`kg.exit_codes.ExitCode`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import __version__
from kg.exit_codes import ExitCode
from kg.extract import CatalogueError, RuleExtractor, load_catalogue
from kg.model import SourceError
from kg.pipeline import BuildResult, build, extract_corpus
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, claim_line, sorted_claims, write_claims, write_graph
from kg.sources import DEFAULT_MAX_BYTES, find_files

app = typer.Typer(
    help="Build a knowledge graph of who said what about whom from AI-investment news "
    "(Chinese and English): claims with their holder, target, stance and evidence sentence.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console(stderr=True, soft_wrap=True)  # one message, one line, also in logs

Paths = Annotated[list[Path], typer.Argument(help="Files, folders (read recursively) or glob patterns of articles.")]
CatalogueFiles = Annotated[
    list[Path] | None,
    typer.Option("--catalogue", "-c", help="Extra entity catalogue YAML file(s), added to the built-in one."),
]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Skip (and report) files larger than this.")]


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


@app.command("build")
def build_command(
    paths: Paths,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for claims.jsonl and graph.json.")] = Path("build"),
    html: Annotated[
        Path | None, typer.Option("--html", help="Where to write the interactive HTML view.")
    ] = Path("exports/graph.html"),
    no_html: Annotated[bool, typer.Option("--no-html", help="Do not write the HTML view.")] = False,
    catalogue_files: CatalogueFiles = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any input could not be read.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout.")] = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    neo4j: Annotated[
        bool, typer.Option("--neo4j", help="Also load the graph into Neo4j, as kg load does (NEO4J_* variables).")
    ] = False,
) -> None:
    """Read articles, extract claims, and write the graph (claims.jsonl, graph.json) and its HTML view.

    Bad files (empty, binary, broken front matter, too large) are reported and skipped;
    every good article is kept. Example: [bold]kg build examples/corpus[/]
    """
    catalogue = catalogue_or_exit(catalogue_files)
    bar, task = progress_bar(count_files(paths), "Extracting")
    with bar:
        result = build(paths, catalogue, max_bytes=max_bytes, progress=lambda _: bar.advance(task))
    if not result.extractions and not result.errors:
        raise fail("no articles found under " + ", ".join(map(str, paths)), ExitCode.NO_INPUT)
    write_claims(result.claims, out / CLAIMS_FILE)
    write_graph(result.graph, out / GRAPH_FILE)
    html_path = None if no_html or html is None else html
    if html_path:
        from kg.sinks.html import write_html

        write_html(result.graph, html_path, title="Who said what about whom", subtitle=_subtitle(result, paths))
    report_errors(result.errors)
    _print_build_summary(result, out, html_path, as_json)
    if neo4j and result.extractions:
        from kg.cli_neo4j import load_graph

        load_graph(result.graph)
    if not result.extractions:
        raise typer.Exit(ExitCode.NO_INPUT)
    if strict and result.errors:
        raise typer.Exit(ExitCode.FAILED)


def _subtitle(result: BuildResult, paths: list[Path]) -> str:
    dates = sorted(a.date[:10] for a in result.articles if a.date)
    span = f"{dates[0]} to {dates[-1]}" if dates else "undated"
    return f"{len(result.articles)} articles from {', '.join(map(str, paths))}, {span}; {len(result.claims)} claims"


def _print_build_summary(result: BuildResult, out: Path, html: Path | None, as_json: bool) -> None:
    summary = {
        "articles": len(result.extractions),
        "claims": len(result.claims),
        "failed": len(result.errors),
        "failures": [{"path": e.path, "reason": e.reason} for e in result.errors],
        "nodes": result.graph.number_of_nodes(),
        "relationships": result.graph.number_of_edges(),
        "claims_file": str(out / CLAIMS_FILE),
        "graph_file": str(out / GRAPH_FILE),
        "html_file": str(html) if html else None,
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    console.print(
        f"[green]built[/] {summary['articles']} articles → {summary['claims']} claims, "
        f"{summary['nodes']} nodes, {summary['relationships']} relationships"
        + (f"; {summary['failed']} skipped" if summary["failed"] else ""),
        highlight=False,
    )
    console.print(f"  {summary['claims_file']}\n  {summary['graph_file']}" + (f"\n  {html}" if html else ""), highlight=False)


@app.command("extract")
def extract_command(
    paths: Paths,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl (one claim record per line) or table.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    catalogue_files: CatalogueFiles = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any input could not be read.")] = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
) -> None:
    """Extract claims only, as JSON Lines (exactly the claim record's fields) or a table.

    Example: [bold]kg extract examples/corpus --format table[/]
    """
    if fmt not in ("jsonl", "table"):
        raise fail(f"--format must be jsonl or table, not {fmt!r}", ExitCode.USAGE)
    extractor = RuleExtractor(catalogue_or_exit(catalogue_files))
    claims, errors, articles = [], [], 0
    for item in extract_corpus(paths, extractor, max_bytes=max_bytes):
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            articles += 1
            claims.extend(item.claims)
    report_errors(errors)
    if not articles and not errors:
        raise fail("no articles found under " + ", ".join(map(str, paths)), ExitCode.NO_INPUT)
    claims = sorted_claims(claims)
    if fmt == "jsonl":
        text = "".join(claim_line(c) + "\n" for c in claims)
        if output:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        table = Table("holder", "target", "stance", "assessment", "evidence", title=f"{len(claims)} claims")
        for c in claims:
            table.add_row(c.holder, c.target, c.stance, c.assessment, c.evidence[:80])
        Console(file=output.open("w", encoding="utf-8") if output else sys.stdout, width=200).print(table)
    if strict and errors:
        raise typer.Exit(ExitCode.FAILED)


@app.command("eval")
def eval_command(
    corpus: Annotated[Path, typer.Argument(help="A folder of articles with a gold.jsonl of hand-annotated claims.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List each missed gold claim and each false positive.")] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="GLOB", help="Score only the articles whose file name matches (repeatable), e.g. '2*.md'."),
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Score extraction against gold claims: precision, recall, F1, holder and stance accuracy.

    Scored as the corpus's ANNOTATION.md defines it: the names must equal the gold's (or
    one of its *_alt names), the stance too, and the evidence must overlap. Scores are
    given overall, for the headline slice, and for each per language (zh, en); the gold of
    an article that failed to read counts as missed.

    Example: [bold]kg eval examples/corpus --errors[/]
    """
    from kg.evaluate import evaluate, read_gold

    gold_file = corpus / "gold.jsonl"
    if not gold_file.is_file():
        raise fail(f"{gold_file} not found: kg eval needs the corpus folder holding gold.jsonl", ExitCode.NO_INPUT)
    selected = _selector(only)
    gold = [g for g in read_gold(gold_file) if selected(g.article)]
    paths = sorted({(corpus / g.article).as_posix() for g in gold}) if only else [corpus]
    result = build(paths, catalogue_or_exit(catalogue_files))
    report_errors(result.errors)
    evaluation = evaluate(result.articles, result.claims, gold)
    if as_json:
        document = evaluation.to_dict()
        if errors:
            document["misses"] = [g.to_dict() for g in evaluation.misses]
            document["false_positives"] = [c.to_record() for c in evaluation.false_positives]
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _print_scores(evaluation)
    if errors:
        _print_errors(evaluation)


def _selector(patterns: list[str] | None):
    """Does an article's file name match one of ``patterns`` (all match when none)?"""
    import fnmatch

    return lambda name: not patterns or any(fnmatch.fnmatch(name, p) for p in patterns)


def _print_scores(evaluation) -> None:
    out = Console(width=120)
    table = Table("slice", "precision", "recall", "F1", "matched", "predicted", "gold", title="Claim extraction")
    rows = [("overall", evaluation.overall), ("headline", evaluation.headline)]
    for lang, parts in evaluation.by_language.items():
        rows += [(f"{part} {lang}", s) for part, s in parts.items() if s.gold or s.predicted]
    for name, s in rows:
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.matched), str(s.predicted), str(s.gold))
    out.print(table)
    for label, value in (("holder accuracy", evaluation.holder_accuracy), ("stance accuracy", evaluation.stance_accuracy)):
        out.print(f"{label}: " + ("n/a" if value is None else f"{value:.3f}"))


def _print_errors(evaluation) -> None:
    out = Console(width=160)
    out.print(f"\n[bold]Missed gold claims ({len(evaluation.misses)})[/]")
    for gold in evaluation.misses:
        out.print(f"- {gold.article}: {gold.holder} → {gold.target} [{gold.stance}]\n    {gold.evidence}", highlight=False)
    out.print(f"\n[bold]False positives ({len(evaluation.false_positives)})[/]")
    for c in evaluation.false_positives:
        out.print(
            f"- {Path(c.article_file).name}: {c.holder} → {c.target} [{c.stance}] {c.assessment}\n    {c.evidence}",
            highlight=False,
        )


# Commands of other areas register themselves on ``app`` when imported.
from kg import cli_export, cli_neo4j, cli_rebuild, cli_view  # noqa: E402,F401

if __name__ == "__main__":
    app()
