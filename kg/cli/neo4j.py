"""kg load, kg neo4j init|status, kg query: the Neo4j commands.

Where Neo4j is comes from the environment: NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USERNAME (neo4j), NEO4J_PASSWORD (default: the local test server's, see
scripts/neo4j-local) and NEO4J_DATABASE (neo4j). A server that cannot be reached, or
refuses the login, is one line on stderr and exit code 4.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text
from rich.table import Table

from kg.cli.common import (
    BUILD,
    BuildDir,
    Command,
    add_row,
    command_group,
    fail,
    format_option,
    graph_file_of,
    json_flag,
    new_progress,
    plain_console,
    say,
)
from kg.exit_codes import ExitCode
from kg.graph import schema
from kg.sinks.neo4j import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_RETRY_SECONDS,
    DEFAULT_WRITERS,
    SCHEMA_FILE,
    LoadError,
    LoadReport,
    GraphFileError,
    Neo4jConnectionError,
    Neo4jLoader,
    Neo4jUsageError,
    Settings,
    apply_schema,
    connect,
    graph_counts,
    schema_statements,
)

app = command_group(
    "Set up and inspect the Neo4j database kg loads into (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE)."
)

BatchSize = Annotated[
    int,
    typer.Option(
        "--batch-size",
        min=1,
        metavar="N",
        help="Nodes per write transaction (their relationships go with them: fewer of nodes that own many).",
    ),
]
Writers = Annotated[
    int,
    typer.Option(
        "--writers", min=1, metavar="N", help="Write transactions running at once (batches of one stage are independent)."
    ),
]
RetrySeconds = Annotated[
    float,
    typer.Option(
        "--retry-seconds", min=0, metavar="SECONDS", help="How long the driver retries a transaction on transient errors."
    ),
]


def open_driver(settings: Settings | None = None, *, retry_seconds: float = DEFAULT_RETRY_SECONDS):
    """A connected driver, or exit 4 (unreachable, login refused) / 2 (bad URI) with one line."""
    settings = settings or Settings.from_env()
    try:
        return settings, connect(settings, retry_seconds=retry_seconds)
    except Neo4jConnectionError as error:
        raise fail(str(error) + _start_hint(settings, error), ExitCode.UNREACHABLE) from None
    except Neo4jUsageError as error:
        raise fail(str(error), ExitCode.USAGE) from None


def _start_hint(settings: Settings, error: Neo4jConnectionError) -> str:
    """How to get a server, when nothing listens where the local one would be."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.uri).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1") or "refused" not in str(error).lower():
        return ""
    return (
        "; start the local server with scripts/neo4j-local start (in a clone of kg; Java 17 and Maven), "
        "or point NEO4J_URI at the server you have (bolt://host:port)"
    )


# --------------------------------------------------------------------------- kg load


def load_command(
    build_dir: BuildDir = BUILD,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Also remove articles not in this build, and the claims and entities hanging only on them."),
    ] = False,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck",
            help="Compare every node with the database even when it holds the stamp of a load of this very graph.json.",
        ),
    ] = False,
    batch_size: BatchSize = DEFAULT_BATCH_SIZE,
    writers: Writers = DEFAULT_WRITERS,
    retry_seconds: RetrySeconds = DEFAULT_RETRY_SECONDS,
    as_json: Annotated[bool, json_flag("what the load did")] = False,
) -> None:
    """Load a build's graph into Neo4j: idempotent and incremental.

    Writes in UNWIND batches (new nodes CREATEd, changed ones MERGEd on ids), each batch a
    managed write transaction (retried on transient errors). Loading the same build twice
    changes nothing: the second time, the database's stamp of the first says so at once.
    An article whose text changed replaces its claims. Example: [bold]kg load build --prune[/]
    """
    graph_file = graph_file_of(build_dir)
    settings, driver = open_driver(retry_seconds=retry_seconds)
    with driver:
        report = load_into(
            driver, settings, graph_file, prune=prune, recheck=recheck, batch_size=batch_size, writers=writers
        )
    if as_json:
        where = {"graph_file": str(graph_file), "uri": settings.uri, "database": settings.database}
        print(json.dumps({**where, **report.to_dict()}, indent=2))


def load_graph(
    graph, *, prune: bool = False, batch_size: int = DEFAULT_BATCH_SIZE, writers: int = DEFAULT_WRITERS
) -> LoadReport:
    """``kg build --neo4j``: load a freshly built networkx graph as ``kg load`` would.

    Exits like kg load: 4 when Neo4j cannot be reached or refuses the login, 1 when a write
    is refused; prints the same one-line summary on success.
    """
    from kg.sinks.files import graph_document

    settings, driver = open_driver()
    with driver:
        return load_into(driver, settings, graph_document(graph), prune=prune, batch_size=batch_size, writers=writers)


def load_build(graph_file: Path) -> LoadReport:
    """``kg build --neo4j``: load the graph.json the build just wrote, as ``kg load`` would
    (and exiting as it does)."""
    from kg.sinks.files import stream_document

    settings, driver = open_driver()
    with driver:
        return load_into(driver, settings, stream_document(graph_file))


def load_into(
    driver,
    settings: Settings,
    build,
    *,
    prune: bool = False,
    recheck: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    writers: int = DEFAULT_WRITERS,
) -> LoadReport:
    """Run a load with a progress bar and print its summary; exit non-zero if it fails.

    ``build`` is a graph.json file, a plan or a graph.json document
    (``kg.sinks.files.graph_document(graph)``).
    """
    bar = new_progress()
    tasks: dict[str, Any] = {}

    def progress(stage: str, rows: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], advance=rows, total=total)

    report = LoadReport()
    loader = Neo4jLoader(driver, settings.database, batch_size=batch_size, writers=writers)
    try:
        with bar:
            if isinstance(build, Path):
                loader.load_file(build, prune=prune, recheck=recheck, progress=progress, report=report)
            else:
                loader.load(build, prune=prune, progress=progress, report=report)
    except GraphFileError as error:
        raise fail(f"{build}: {error}", ExitCode.NO_INPUT) from None
    except LoadError as error:
        code = ExitCode.UNREACHABLE if error.unreachable else ExitCode.FAILED
        raise fail(
            f"load into {settings.where()} stopped: {error}; {report.progress_line()}. "
            "The load is NOT complete; run kg load again to finish it (batches already committed are kept).",
            code,
        ) from None
    _print_load_summary(report, settings)
    return report


def _print_load_summary(report: LoadReport, settings: Settings) -> None:
    def part(kind: str, noun: str) -> str:
        return (
            f"{report.new[kind] + report.changed[kind] + report.unchanged[kind]:,} {noun} "
            f"({report.new[kind]:,} new, {report.changed[kind]:,} changed, {report.unchanged[kind]:,} unchanged)"
        )

    removed = report.removed
    say(
        ("loaded", "green"),
        f" into {settings.where()}: {part(schema.CLAIM, 'claims')}, "
        f"{part(schema.ACTION, 'actions')}, {part(schema.ARTICLE, 'articles')}, {part(schema.ENTITY, 'entities')}; "
        f"removed {removed[schema.CLAIM]:,} claims, {removed[schema.ACTION]:,} actions, {removed[schema.ARTICLE]:,} articles, "
        f"{removed[schema.ENTITY]:,} entities; "
        f"{report.batches:,} transactions in {report.seconds.get('total', 0):.1f} s"
        + ("; the database holds the stamp of this very graph.json, so nothing was compared" * report.same_as_last_load),
    )


# --------------------------------------------------------------------------- kg neo4j


@app.command("init", cls=Command)
def init_command(
    schema_file: Annotated[
        Path,
        typer.Option(
            "--schema", metavar="FILE", show_default=False, help="The constraints and indexes to apply. Default: kg's schema/neo4j.cypher."
        ),
    ] = SCHEMA_FILE,
) -> None:
    """Create kg's constraints and indexes (schema/neo4j.cypher); safe to run again.

    Example: [bold]kg neo4j init[/]
    """
    if not schema_file.is_file():
        raise fail(f"{schema_file} not found", ExitCode.NO_INPUT)
    settings, driver = open_driver()
    with driver:
        try:
            count = apply_schema(driver, settings.database, schema_file)
        except Exception as error:  # a constraint that existing data violates, a syntax error
            from kg.sinks.neo4j import describe_failure

            raise fail(f"applying {schema_file} failed: {describe_failure(error)}", ExitCode.FAILED) from None
    say(("applied", "green"), f" {count} schema statements of {schema_file} to {settings.where()}")


@app.command("status", cls=Command)
def status_command(
    as_json: Annotated[bool, json_flag("the status")] = False,
) -> None:
    """Check the connection and show the server, kg's node and relationship counts, and the schema.

    Example: [bold]kg neo4j status[/]
    """
    settings, driver = open_driver()
    with driver:
        with driver.session(database=settings.database) as session:
            component = session.run("CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition").single()
            names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
            names |= {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
        counts = graph_counts(driver, settings.database)
    wanted = [s.split()[2] for s in schema_statements(SCHEMA_FILE.read_text("utf-8")) if s.upper().startswith("CREATE")]
    missing = [name for name in wanted if name not in names]
    status = {
        "uri": settings.uri,
        "database": settings.database,
        "user": settings.username,
        "server": f"Neo4j {component['v']} {component['edition']}",
        "counts": counts,
        "schema_missing": missing,
    }
    if as_json:
        print(json.dumps(status, indent=2))
        return
    out = plain_console()
    out.print(f"{status['server']} at {settings.where()}, user {settings.username}")
    table = Table("label / type", "count")
    for key, value in counts.items():
        add_row(table, key, f"{value:,}")
    out.print(table)
    out.print("schema: " + ("complete" if not missing else f"{len(missing)} missing ({', '.join(missing)}): run kg neo4j init"))


# --------------------------------------------------------------------------- kg query


def query_command(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="A query of the library (see --list).")] = None,
    params: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="KEY=VALUE", help="A parameter as key=value (repeat for more)."),
    ] = None,
    fmt: Annotated[str, format_option("table, csv or json.")] = "table",
    list_queries: Annotated[bool, typer.Option("--list", "-l", help="List the queries of the library.")] = False,
    file: Annotated[Path | None, typer.Option("--file", metavar="FILE", help="Run your own Cypher file instead.")] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Run --file in a write transaction (queries are read-only otherwise).")
    ] = False,
) -> None:
    """Run a named Cypher query of the library (queries/*.cypher), or your own file.

    Queries run in a READ transaction and print a table (or --format csv|json) on stdout;
    parameters are always sent as parameters, never pasted into the Cypher.
    Examples: [bold]kg query --list[/], [bold]kg query who-said-what --param target=Nvidia[/],
    [bold]kg query --file my.cypher --param since=2025-06-01 --format csv[/]
    """
    if fmt not in ("table", "csv", "json"):
        raise fail(f"--format must be table, csv or json, not {fmt!r}", ExitCode.USAGE)
    if list_queries:
        _print_library(_library())
        return
    query, values = _chosen_query(name, file, write, params or [])
    settings, driver = open_driver()
    with driver:
        columns, rows = _run(driver, settings, query, values, write)
        print_rows(columns, rows, fmt, title=query.name)
        if not rows:
            _suggest_names(driver, settings.database, query, values)


def _library():
    from kg.sinks.neo4j.queries import QueryError, library

    try:
        return library()
    except QueryError as error:
        raise fail(str(error), ExitCode.USAGE) from None


def _chosen_query(name: str | None, file: Path | None, write: bool, params: list[str]):
    """The query asked for (by name or file) and its typed parameters, or exit 2 / 3 saying why not."""
    import difflib

    from kg.sinks.neo4j.queries import QueryError, parse_assignments, parse_query

    if (name is None) == (file is None):
        raise fail("give a query NAME or --file PATH (kg query --list shows the names)", ExitCode.USAGE)
    if write and file is None:
        raise fail("--write is only for --file; the library's queries are read-only", ExitCode.USAGE)
    try:
        if file is not None:
            if not file.is_file():
                raise fail(f"{file} not found", ExitCode.NO_INPUT)
            try:
                query = parse_query(file.read_text("utf-8"), file)
            except (OSError, UnicodeDecodeError) as error:
                raise fail(f"cannot read {file}: {getattr(error, 'strerror', None) or error}", ExitCode.USAGE) from None
        else:
            queries = _library()
            if name not in queries:
                close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(close)}?" if close else "; kg query --list shows them"
                raise fail(f"no query named {name!r}{hint}", ExitCode.USAGE)
            query = queries[name]
        return query, query.parameters(parse_assignments(params))
    except QueryError as error:
        raise fail(str(error), ExitCode.USAGE) from None


def _run(driver, settings: Settings, query, values: dict[str, Any], write: bool):
    """(columns, rows), or exit 1 (the server refused the query) / 4 (it went away) / 2 (a value it cannot take)."""
    from neo4j.exceptions import ClientError, DriverError, Neo4jError

    from kg.sinks.neo4j.queries import run_query

    try:
        return run_query(driver, settings.database, query, values, write=write)
    except ClientError as error:
        raise fail(f"query {query.name} failed: {error.message}{_hint(error)}", ExitCode.FAILED) from None
    except (Neo4jError, DriverError, OSError) as error:
        from kg.sinks.neo4j import describe_failure

        raise fail(f"query {query.name} failed: {describe_failure(error)}", ExitCode.UNREACHABLE) from None
    except (ValueError, OverflowError) as error:  # a parameter the driver cannot send
        raise fail(f"query {query.name}: a parameter cannot be sent to Neo4j: {error}", ExitCode.USAGE) from None


def _hint(error) -> str:
    """What to do about a query the server refused, when kg knows."""
    if "AccessMode" in (error.code or ""):
        return " (add --write to run a writing query)"
    if "file:" in (error.message or "") and "external resource" in (error.message or ""):
        return (
            " (LOAD CSV reads file:/// URLs only inside the server's import folder, server.directories.import; "
            "the local server's is .neo4j/home/import)"
        )
    return ""


ENTITY_PARAMS = ("holder", "target", "topic", "entity")  # string parameters that name an entity


def _suggest_names(driver, database: str, query, values: dict[str, Any]) -> None:
    """After an empty answer: for each parameter naming an entity that no entity is called
    (name, alias or ticker, any case, as the queries match them), the closest names."""
    from kg.extract.fold import fold
    from kg.views import close_matches

    named = {p.name: values[p.name] for p in query.params if p.name in ENTITY_PARAMS and isinstance(values.get(p.name), str)}
    if not named:
        return
    try:
        with driver.session(database=database) as session:
            records = session.run("MATCH (e:Entity) RETURN e.name AS name, e.aliases AS aliases, e.tickers AS tickers")
            entities = [(r["name"], [r["name"], *(r["aliases"] or []), *(r["tickers"] or [])]) for r in records]
    except Exception:  # a hint only: the answer is printed already
        return
    exact = {name.lower() for _, names in entities for name in names if name}
    table = {fold(alias).strip().lower(): name for name, names in entities for alias in names if alias}
    for param, value in named.items():
        if value.lower() not in exact:
            close = close_matches(value, table)
            hint = f"; did you mean {', '.join(close)}?" if close else " (kg query find-entity --param text=… finds names)"
            say(("warning:", "yellow"), f" no entity in the database is called {value!r} (--param {param}){hint}")


def _print_library(queries) -> None:
    out = plain_console(width=None if sys.stdout.isatty() else 200)
    table = Table("name", "answers", "parameters", title=f"{len(queries)} queries in queries/", show_lines=True)
    for query in queries.values():
        params = "\n".join(p.describe() for p in query.params) or "—"
        answers = Text(query.answers)
        if query.examples:
            answers.append("\n" + query.examples[0], style="dim")
        add_row(table, query.name, answers, params)
    out.print(table)


def print_rows(columns: list[str], rows: list[list[Any]], fmt: str, *, title: str = "") -> None:
    from kg.sinks.neo4j.queries import cell

    if fmt == "json":
        print(json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[cell(v) for v in row] for row in rows])
    else:
        out = plain_console(width=None if sys.stdout.isatty() else 200)
        table = Table(title=Text(f"{title}: {len(rows)} row{'s' if len(rows) != 1 else ''}"))
        for column in columns:
            table.add_column(Text(column))
        for row in rows:
            add_row(table, *(cell(v) for v in row))
        out.print(table)
