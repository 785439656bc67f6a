"""kg view: a self-contained HTML page of a build's graph, or of one slice of it.

    kg view                                  the whole graph → exports/view.html
    kg view --focus 英伟达 --depth 2          around Nvidia (any alias, Chinese or English)
    kg view --holder UBS --stance negative --from 2025-01-01 --to 2025-03-31
    kg view --topic DeepSeek --lang zh-Hans --min-claims 2 --layout columns

Which claims a filter keeps, and how focus and depth work, is said in :mod:`kg.views`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import CatalogueFiles, catalogue_or_exit, console, fail, graph_file_of, read_build_graph
from kg.exit_codes import ExitCode
from kg.views import (
    LANGUAGES,
    STANCES,
    Request,
    RequestError,
    corpus_summary,
    describe,
    entity_name,
    resolve,
    select,
    shown_summary,
)

DEFAULT_TITLE = "Who said what about whom"
Stance = Enum("Stance", {s: s for s in STANCES}, type=str)
Language = Enum("Language", {lang.replace("-", "_"): lang for lang in LANGUAGES}, type=str)


class Layout(str, Enum):
    force = "force"
    columns = "columns"


def view_command(
    build_dir: Annotated[
        Path, typer.Argument(help="The build folder kg build wrote (or its graph.json).", show_default=True)
    ] = Path("build"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the page.")] = Path("exports/view.html"),
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show the neighbourhood of this entity (any alias, e.g. 英伟达, UBS).")
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", min=1, help="With --focus: how many links away from it to go.")
    ] = 1,
    holders: Annotated[
        list[str] | None, typer.Option("--holder", help="Only claims by this holder (repeat for several).")
    ] = None,
    targets: Annotated[
        list[str] | None, typer.Option("--target", help="Only claims about this target (repeat for several).")
    ] = None,
    stances: Annotated[list[Stance] | None, typer.Option("--stance", help="Only claims of this stance (repeatable).")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Only claims from articles dated on or after this day (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only claims from articles dated on or before this day (YYYY-MM-DD).")
    ] = None,
    langs: Annotated[
        list[Language] | None, typer.Option("--lang", help="Only claims from articles in this language (repeatable).")
    ] = None,
    topics: Annotated[
        list[str] | None, typer.Option("--topic", help="Only claims framed by this topic, e.g. DeepSeek (repeatable).")
    ] = None,
    min_claims: Annotated[
        int, typer.Option("--min-claims", min=1, help="Only links (holder → target) with at least this many claims.")
    ] = 1,
    layout: Annotated[
        Layout, typer.Option("--layout", help="force: linked entities close together; columns: holders left, targets right.")
    ] = Layout.force,
    title: Annotated[str | None, typer.Option("--title", help="The page's title.")] = None,
    built_at: Annotated[
        str | None,
        typer.Option("--built-at", help="When the graph was built, as shown in the subtitle. Default: graph.json's time."),
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Write an interactive page of the graph, or of the claims that match the filters.

    Filters of different kinds must all hold; several values of one kind are alternatives.

    Then --min-claims drops thin links, and --focus keeps what lies within --depth links.

    The page works offline: click a link or a node to read its claims.

    Example: [bold]kg view --focus 英伟达 --depth 2 --out exports/nvidia.html[/]
    """
    graph_file = graph_file_of(build_dir)
    request = Request(
        focus=focus,
        depth=depth,
        holders=tuple(holders or ()),
        targets=tuple(targets or ()),
        stances=tuple(s.value for s in stances or ()),
        date_from=date_from,
        date_to=date_to,
        langs=tuple(lang.value for lang in langs or ()),
        topics=tuple(topics or ()),
        min_claims=min_claims,
    )
    try:
        request = request.checked()
    except RequestError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    graph = read_build_graph(graph_file)
    catalogue = catalogue_or_exit(catalogue_files) if request.names else None
    try:
        selection, typed = resolve(request, graph, catalogue, source=str(graph_file))
    except RequestError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    shown = select(graph, selection)
    filters = describe(selection, graph, typed)
    subtitle = page_subtitle(graph, shown, filters, built_at or _modified(graph_file))
    focus_node = selection.focus
    page_title = title or (f"{DEFAULT_TITLE}: around {entity_name(graph, focus_node)}" if focus_node else DEFAULT_TITLE)

    from kg.sinks.html import write_html

    write_html(shown, out, title=page_title, subtitle=subtitle, layout=layout.value, focus=focus_node)
    summary = shown_summary(shown)
    console.print(f"[green]wrote[/] {out}: {summary}" + (f" ({'; '.join(filters)})" if filters else ""), highlight=False)
    if shown.number_of_nodes() == 0:
        console.print("[yellow]warning:[/] no claim matches these filters; the page says so", highlight=False)


def page_subtitle(graph, shown, filters: list[str], built_at: str) -> str:
    """Three lines: the corpus, what the page shows and by which filters, when it was built."""
    lines = [
        "Corpus: " + corpus_summary(graph) + ".",
        "Shown: " + shown_summary(shown) + (f"; {'; '.join(filters)}." if filters else " (no filter)."),
        f"Graph built {built_at}.",
    ]
    return "\n".join(lines)


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
