"""kg build and kg extract: the pipeline from articles to claims, the graph and its view.

    kg build PATH...     claims.jsonl and graph.json in build/, the HTML view in exports/
    kg extract PATH...   the claims alone, as JSON Lines or a table
"""

from __future__ import annotations

import functools
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kg.cli.common import (
    CatalogueFiles,
    MaxBytes,
    Paths,
    Strict,
    catalogue_or_exit,
    cells,
    count_files,
    fail,
    format_option,
    json_flag,
    plain_console,
    progress_bar,
    report_errors,
    say,
)
from kg.exit_codes import ExitCode
from kg.extract import RuleExtractor
from kg.model import SourceError
from kg.pipeline import default_workers, extract_corpus
from kg.sinks.files import CLAIMS_FILE, GRAPH_FILE, claim_line, sorted_claims, write_atomic
from kg.sinks.spool import Spool
from kg.sinks.streamed import StreamedBuild, stream_build, write_streamed
from kg.sources import DEFAULT_MAX_BYTES
from kg.views import shown_path


TITLE = "Who said what about whom"
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", "-w", min=1, metavar="N",
        help="Extract in N worker processes (default: one per core); the output is the same for any N.",
    ),
]  # fmt: skip


def build_command(
    paths: Paths,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for claims.jsonl and graph.json.")
    ] = Path("build"),
    html: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Where to write the interactive HTML view.")
    ] = Path("exports/graph.html"),
    no_html: Annotated[bool, typer.Option("--no-html", help="Do not write the HTML view.")] = False,
    catalogue_files: CatalogueFiles = None,
    strict: Strict = False,
    as_json: Annotated[bool, json_flag("a summary")] = False,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    neo4j: Annotated[
        bool, typer.Option("--neo4j", help="Also load the graph into Neo4j, as kg load does (NEO4J_* variables).")
    ] = False,
    workers: Workers = None,
) -> None:
    """Read articles, extract claims, and write the graph (claims.jsonl, graph.json) and its HTML view.

    Bad files (empty, binary, broken front matter, too large) are reported and skipped;
    every good article is kept. Claims and graph are written as they are extracted, so
    memory does not grow with the corpus; the page of a big corpus shows its most-discussed
    holders and targets (see kg view). Example: [bold]kg build examples/corpus[/]
    """
    catalogue = catalogue_or_exit(catalogue_files)
    html_path = None if no_html or html is None else html
    created = not out.exists()
    bar, task = progress_bar(count_files(paths), "Extracting")
    with Spool(out) as spool:
        with bar:
            built = stream_build(
                paths, catalogue, spool, workers=workers or default_workers(), max_bytes=max_bytes,
                on_file=lambda: bar.advance(task),
            )  # fmt: skip
        report_errors(built.errors)
        if built.tally.articles:
            _write_outputs(built, spool, catalogue, out, html_path, _subtitle(built, paths))
    if not built.tally.articles:
        if created and not any(out.iterdir()):
            out.rmdir()  # made for the spool only
        _nothing_written(paths, built, out, html_path, as_json)
    _print_build_summary(built, out, html_path, as_json)
    if neo4j:
        from kg.cli.neo4j import load_build

        load_build(out / GRAPH_FILE)
    if strict and built.errors:
        raise typer.Exit(ExitCode.FAILED)


def _write_outputs(built: StreamedBuild, spool: Spool, catalogue, out: Path, html_path: Path | None, subtitle: str) -> None:
    """claims.jsonl, graph.json and the page. An overview page needs the spool only, not
    graph.json: it is made while the files are written (:func:`write_streamed`), and
    written itself once they are."""
    from kg.sinks.html.overview import build_page, is_whole, write_build_page

    overview = html_path is not None and not is_whole(built.tally)
    page = functools.partial(build_page, title=TITLE, subtitle=subtitle) if overview else None
    text = write_streamed(built, spool, catalogue, out, page=page)
    if text is not None:
        write_atomic(html_path, text)
    elif html_path:
        write_build_page(out / GRAPH_FILE, spool, built, html_path, title=TITLE, subtitle=subtitle)


def _nothing_written(paths, built: StreamedBuild, out: Path, html_path: Path | None, as_json: bool):
    """Exit 3: no article read; the previous build may be good, a typo in the path must not empty it."""
    kept = ", ".join(map(str, [out / CLAIMS_FILE, out / GRAPH_FILE, *([html_path] if html_path else [])]))
    if as_json:
        _print_build_summary(built, None, None, as_json)
    raise fail(f"{nothing_read(paths, built.errors)}; nothing written ({kept} left as they were)", ExitCode.NO_INPUT)


def nothing_read(paths: list[Path], errors: list[SourceError]) -> str:
    """Why a command read no article, in one line."""
    where = ", ".join(map(str, paths))
    if not errors:
        return f"no articles found under {where}"
    return f"no article could be read from {where} ({len(errors)} input(s) skipped, each said above)"


def _subtitle(built: StreamedBuild, paths: list[Path]) -> str:
    tally = built.tally
    where = ", ".join(shown_path(path) for path in paths)
    return f"{tally.articles} articles from {where}, {tally.span()}; {tally.claims} claims"


def _print_build_summary(built: StreamedBuild, out: Path | None, html: Path | None, as_json: bool) -> None:
    """The summary (as JSON with --json); ``out`` is None when nothing was written."""
    summary = {
        "articles": built.tally.articles,
        "claims": built.tally.claims,
        "failed": len(built.errors),
        "failures": [{"path": e.path, "reason": e.reason} for e in built.errors],
        "nodes": built.nodes if out else 0,
        "relationships": built.tally.relationships if out else 0,
        "claims_file": str(out / CLAIMS_FILE) if out else None,
        "graph_file": str(out / GRAPH_FILE) if out else None,
        "html_file": str(html) if html else None,
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    say(
        ("built", "green"),
        f" {summary['articles']} articles → {summary['claims']} claims, "
        f"{summary['nodes']} nodes, {summary['relationships']} relationships"
        + (f"; {summary['failed']} skipped" if summary["failed"] else ""),
    )
    say(f"  {summary['claims_file']}\n  {summary['graph_file']}" + (f"\n  {html}" if html else ""))


def extract_command(
    paths: Paths,
    fmt: Annotated[str, format_option("jsonl (one claim record per line) or table.")] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option(
            "--out", "--output", "-o", metavar="FILE", help="Write here instead of stdout (--output, the older name, still works)."
        ),
    ] = None,
    catalogue_files: CatalogueFiles = None,
    strict: Strict = False,
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
    if not articles:
        raise fail(nothing_read(paths, errors) + ("; nothing written" if output else ""), ExitCode.NO_INPUT)
    _write_extracted(sorted_claims(claims), fmt, output)
    if strict and errors:
        raise typer.Exit(ExitCode.FAILED)


def _write_extracted(claims: list, fmt: str, output: Path | None) -> None:
    """The claims as JSON Lines or a table, to ``output`` (written whole or not at all) or stdout."""
    if fmt == "jsonl":
        text = "".join(claim_line(c) + "\n" for c in claims)
    else:
        table = Table("holder", "target", "stance", "assessment", "evidence", title=f"{len(claims)} claims")
        for c in claims:
            table.add_row(*cells(c.holder, c.target, c.stance, c.assessment, c.evidence[:80]))
        screen = plain_console(file=io.StringIO(), width=200)
        screen.print(table)
        text = screen.file.getvalue()
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
