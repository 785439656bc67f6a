"""kg export and kg validate: open-format exports.

    kg export rdf --format turtle|nt|jsonld|trig   exports/graph.ttl (.nt, .jsonld, .trig)
    kg export graphml                              exports/graph.graphml
    kg export gexf                                 exports/graph.gexf
    kg export jsonl                                exports/graph.jsonl (the claim records)
    kg export neo4j-csv                            exports/neo4j-import/ (for neo4j-admin database import)
    kg validate FILE                               check an RDF export against schema/shapes.ttl

Each export reads the build folder given as BUILD_DIR (default ``build``), as kg view and
kg load take it; ``--build DIR``, the form kg export took first, still works.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    BUILD, Command, command_group, fail, format_option, graph_file_of, json_flag, say,
)
from kg.exit_codes import ExitCode
from kg.sinks.files import CLAIMS_FILE, copy_claims
from kg.sinks.rdf import DEFAULT_BASE, FORMATS

app = command_group(
    "Write a build's graph in open formats: RDF (Turtle, N-Triples, JSON-LD, TriG), "
    "GraphML and GEXF (Gephi, Cytoscape), and JSON Lines."
)

EXPORTS = Path("exports")
BuildFolder = Annotated[
    Path | None,
    typer.Argument(
        metavar="BUILD_DIR", help="The build folder written by kg build (graph.json, claims.jsonl). Default: build.",
        show_default=False,
    ),
]
OldBuildOption = Annotated[
    Path | None,
    typer.Option("--build", "-b", metavar="BUILD_DIR", help="The same as BUILD_DIR: the older form, still works."),
]
Out = Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Where to write. Default: exports/graph.<ext>.")]


def build_folder(argument: Path | None, option: Path | None) -> Path:
    """The build folder, given as BUILD_DIR or as ``--build`` (the older form), or ``build``."""
    if argument is not None and option is not None and argument != option:
        raise fail(f"the build folder is given twice ({argument} and --build {option}): give one", ExitCode.USAGE)
    return argument or option or BUILD


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _done(what: str, path: Path) -> None:
    say(("exported", "green"), f" {what} → {path} ({_size(path)})")


def _claim_count(graph) -> int:
    return sum(1 for _, label in graph.nodes(data="label") if label == "Claim")


@app.command("rdf", cls=Command)
def export_rdf(
    build_dir: BuildFolder = None,
    fmt: Annotated[str, format_option("turtle, nt (N-Triples), jsonld or trig.")] = "turtle",
    out: Out = None,
    base: Annotated[
        str,
        typer.Option(
            "--base", envvar="KG_BASE_IRI", metavar="IRI", help="Base IRI of the instances (claims, articles, entities)."
        ),
    ] = DEFAULT_BASE,
    graph_iri: Annotated[
        str | None, typer.Option("--graph", metavar="IRI", help="TriG only: the named graph's IRI. Default: <base>graph.")
    ] = None,
    build: OldBuildOption = None,
) -> None:
    """Write the graph as RDF, in the vocabulary of schema/kg.ttl.

    Every format streams, one subject at a time, so large graphs fit in memory.
    Example: [bold]kg export rdf --format turtle[/] → exports/graph.ttl
    """
    from kg.sinks.rdf import check_base, write_rdf_file

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", ExitCode.USAGE)
    try:
        check_base(base)
        if graph_iri is not None:
            check_base(graph_iri + "/" if not graph_iri.endswith(("/", "#")) else graph_iri)
    except ValueError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    graph_file = graph_file_of(build_folder(build_dir, build))
    path = out or EXPORTS / f"graph.{FORMATS[fmt]}"
    try:
        triples, claims = write_rdf_file(graph_file, path, fmt, base=base, graph_iri=graph_iri)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise fail(f"cannot export {graph_file}: {error}", ExitCode.FAILED) from error
    _done(f"{claims} claims, {triples} triples", path)


@app.command("graphml", cls=Command)
def export_graphml(build_dir: BuildFolder = None, out: Out = None, build: OldBuildOption = None) -> None:
    """Write the graph as GraphML for Gephi, Cytoscape or yEd (types, stance, dates as attributes).

    Example: [bold]kg export graphml[/] → exports/graph.graphml
    """
    _export_network(build_folder(build_dir, build), out or EXPORTS / "graph.graphml", "graphml")


@app.command("gexf", cls=Command)
def export_gexf(build_dir: BuildFolder = None, out: Out = None, build: OldBuildOption = None) -> None:
    """Write the graph as GEXF for Gephi (types, stance, dates as attributes; dates on the timeline).

    Example: [bold]kg export gexf[/] → exports/graph.gexf
    """
    _export_network(build_folder(build_dir, build), out or EXPORTS / "graph.gexf", "gexf")


def _export_network(build: Path, path: Path, fmt: str) -> None:
    """GraphML or GEXF of a build, its graph.json read as it streams (kg.sinks.gephi)."""
    from kg.sinks.gephi import export_file

    graph_file = graph_file_of(build)
    try:
        nodes, edges = export_file(graph_file, path, fmt)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise fail(f"cannot export {graph_file}: {error}", ExitCode.FAILED) from error
    _done(f"{nodes} nodes, {edges} edges", path)


@app.command("jsonl", cls=Command)
def export_jsonl(build_dir: BuildFolder = None, out: Out = None, build: OldBuildOption = None) -> None:
    """Write the claim records as JSON Lines, one claim a line (the fields of kg extract).

    Example: [bold]kg export jsonl[/] → exports/graph.jsonl
    """
    source = build_folder(build_dir, build) / CLAIMS_FILE
    if not source.is_file():
        raise fail(f"{source} not found: run kg build first, or point --build at its folder", ExitCode.NO_INPUT)
    path = out or EXPORTS / "graph.jsonl"
    try:
        count = copy_claims(source, path)
    except (OSError, ValueError, TypeError) as error:
        raise fail(f"cannot read {source}: {error}", ExitCode.FAILED) from error
    _done(f"{count} claims", path)


@app.command("neo4j-csv", cls=Command)
def export_neo4j_csv(
    build_dir: BuildFolder = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="DIR", help="The folder to write. Default: exports/neo4j-import."),
    ] = None,
) -> None:
    """Write the graph as CSV files for Neo4j's bulk importer (neo4j-admin database import full).

    For the first load of a big build into an empty, stopped database: the importer writes
    the store directly. Then start the server and run kg load on the same build: it adds the
    constraints and indexes and the few nodes the CSV cannot hold exactly. See docs/neo4j.md.
    graph.json is read as it streams, in two passes, so a big build fits in memory.
    Example: [bold]kg export neo4j-csv[/], then [bold]scripts/neo4j-local import exports/neo4j-import[/]
    """
    from kg.sinks.neo4j import LoadError
    from kg.sinks.neo4j.bulk_stream import export_file

    graph_file = graph_file_of(build_folder(build_dir, None))
    folder = out or EXPORTS / "neo4j-import"
    try:
        written = export_file(graph_file, folder)
    except (LoadError, ValueError) as error:
        raise fail(f"{graph_file}: {error}", ExitCode.FAILED) from None
    say(
        ("exported", "green"),
        f" {sum(written.nodes.values()):,} nodes in {len(written.nodes)} files and {written.relationships:,} relationships "
        f"→ {folder}; import with (in that folder, the DBMS stopped): {written.command()}; "
        "then start it and kg load this build",
    )


def validate_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An RDF export (.ttl, .nt, .jsonld, .trig).")],
    fmt: Annotated[str | None, format_option("turtle, nt, jsonld or trig. Default: from the suffix.")] = None,
    shapes: Annotated[
        Path | None,
        typer.Option("--shapes", metavar="FILE", help="SHACL shapes to check against. Default: kg's schema/shapes.ttl."),
    ] = None,
    as_json: Annotated[bool, json_flag("the result")] = False,
) -> None:
    """Check an RDF export against the SHACL shapes and list each violation in plain words.

    Every claim needs exactly one holder, at least one target, a stance from the allowed set,
    evidence offsets 0 ≤ start < end, and an article with a date.

    Exit 0 if the file conforms, 1 if it does not. Example: [bold]kg validate exports/graph.ttl[/]
    """
    from kg.sinks.rdf import format_for, validate_file

    if not file.is_file():
        raise fail(f"{file} not found", ExitCode.NO_INPUT)
    if shapes is not None and not shapes.is_file():
        raise fail(f"{shapes} not found", ExitCode.NO_INPUT)
    try:
        format_for(file, fmt)
    except ValueError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    try:
        claims, violations = validate_file(file, fmt, shapes)
    except Exception as error:  # rdflib raises many kinds for a file it cannot parse
        raise fail(f"cannot read {file} as RDF: {error}", ExitCode.FAILED) from error
    if as_json:
        document = {
            "file": str(file),
            "claims": claims,
            "conforms": not violations,
            "violations": [
                {"focus": v.focus, "iri": v.focus_iri, "path": v.path, "message": v.message, "value": v.value}
                for v in violations
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for violation in violations:
            print(violation)
        if violations:
            count = f"{len(violations)} violation{'s' if len(violations) != 1 else ''}"
            say((count, "bold red"), f" in {file} ({claims} claims checked)")
        else:
            say(("valid", "green"), f": {file} conforms to the kg shapes ({claims} claims checked)")
    if violations:
        raise typer.Exit(ExitCode.FAILED)
