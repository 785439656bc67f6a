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

from kg.cli.common import (
    BUILD,
    BuildDir,
    CatalogueFiles,
    catalogue_or_exit,
    fail,
    graph_file_of,
    say,
)
from kg.exit_codes import ExitCode
from kg.sinks.view_type import AUTO_EDGE_LABELS, FONT_SIZE
from kg.sinks.html.overview import cut, is_whole, left_out, overview_view
from kg.sinks.html.streamed import claim_filter, index_file, latest_claims, selected_links, shown_subgraph
from kg.views import LANGUAGES, STANCES, Request, RequestError, describe, entity_name, resolve, shown_summary

DEFAULT_TITLE = "Who said what about whom"
Stance = Enum("Stance", {s: s for s in STANCES}, type=str)


class Layout(str, Enum):
    force = "force"
    columns = "columns"


class EdgeLabel(str, Enum):
    auto = "auto"
    on = "on"
    off = "off"


Out = Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write the page.")]
Focus = Annotated[
    str | None,
    typer.Option("--focus", metavar="NAME", help="Show the neighbourhood of this entity (any alias, e.g. 英伟达, UBS)."),
]
Depth = Annotated[int, typer.Option("--depth", min=1, metavar="N", help="With --focus: how many links away from it to go.")]
Holders = Annotated[
    list[str] | None, typer.Option("--holder", metavar="NAME", help="Only claims by this holder (repeat for several).")
]
Targets = Annotated[
    list[str] | None, typer.Option("--target", metavar="NAME", help="Only claims about this target (repeat for several).")
]
Stances = Annotated[
    list[Stance] | None,
    typer.Option(
        "--stance", metavar="STANCE", help=f"Only claims of this stance: {', '.join(STANCES[:-1])} or {STANCES[-1]} (repeatable)."
    ),
]
DateFrom = Annotated[
    str | None,
    typer.Option("--from", metavar="DATE", help="Only claims from articles dated on or after this day (YYYY-MM-DD)."),
]
DateTo = Annotated[
    str | None,
    typer.Option("--to", metavar="DATE", help="Only claims from articles dated on or before this day (YYYY-MM-DD)."),
]
Languages = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help=f"Only claims from articles in this language: {', '.join(LANGUAGES[:-1])} or {LANGUAGES[-1]}, "
        "or a tag as articles give it (zh-CN, zh-TW, zh-HK, en-US) (repeatable).",
    ),
]
Topics = Annotated[
    list[str] | None,
    typer.Option("--topic", metavar="NAME", help="Only claims framed by this topic, e.g. DeepSeek (repeatable)."),
]
MinClaims = Annotated[
    int,
    typer.Option("--min-claims", min=1, metavar="N", help="Only links (holder → target) with at least this many claims."),
]
Layouts = Annotated[
    Layout,
    typer.Option(
        "--layout", metavar="LAYOUT", help="force: linked entities close together; columns: holders left, targets right."
    ),
]
Title = Annotated[str | None, typer.Option("--title", metavar="TITLE", help="The page's title.")]
FontSize = Annotated[
    int,
    typer.Option(
        "--font-size", min=6, max=96, metavar="PX",
        help="Height of entity names on screen as the page opens, in pixels (link labels: 4/5 of it); "
        "the default reads on a projector.",
    ),
]  # fmt: skip
EdgeLabels = Annotated[
    EdgeLabel,
    typer.Option(
        "--edge-labels", metavar="WHEN",
        help=f"on, off or auto: each link's main assessment written on it; auto: when the page shows at most {AUTO_EDGE_LABELS} links.",
    ),
]  # fmt: skip
BuiltAt = Annotated[
    str | None,
    typer.Option(
        "--built-at", metavar="TIME", help="When the graph was built, as shown in the subtitle. Default: graph.json's time."
    ),
]


def view_command(
    build_dir: BuildDir = BUILD,
    out: Out = Path("exports/view.html"),
    focus: Focus = None,
    depth: Depth = 1,
    holders: Holders = None,
    targets: Targets = None,
    stances: Stances = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    langs: Languages = None,
    topics: Topics = None,
    min_claims: MinClaims = 1,
    layout: Layouts = Layout.force,
    title: Title = None,
    font_size: FontSize = FONT_SIZE,
    edge_labels: EdgeLabels = EdgeLabel.auto,
    built_at: BuiltAt = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Write an interactive page of the graph, or of the claims that match the filters.

    Filters of different kinds must all hold; several values of one kind are alternatives.

    Then --min-claims drops thin links, and --focus keeps what lies within --depth links.

    The page works offline: click a link or a node to read its claims. The graph.json is read
    as it streams, never whole; a selection of more than 3,000 claims or 150 holders and
    targets is drawn as its overview (the most-discussed, their busiest links, a few claims
    each), and the page says what it left out.

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
        langs=tuple(langs or ()),
        topics=tuple(topics or ()),
        min_claims=min_claims,
    )
    index, selection, typed = _selection(graph_file, request, catalogue_files)
    keep = claim_filter(selection, index)
    whole, shown = _read(graph_file, lambda: selected_links(graph_file, selection, keep))
    filters = describe(selection, index.skeleton, typed)
    built = built_at or _modified(graph_file)
    focus_node = selection.focus
    page_title = title or (f"{DEFAULT_TITLE}: around {entity_name(index.skeleton, focus_node)}" if focus_node else DEFAULT_TITLE)
    options = dict(title=page_title, layout=layout.value, focus=focus_node, font_size=font_size, edge_labels=edge_labels.value)

    summary = _write_page(graph_file, out, index, keep, (whole, shown), page_subtitle(whole.corpus(), "{shown}", filters, built), options)
    say(("wrote", "green"), f" {out}: {summary}" + (f" ({'; '.join(filters)})" if filters else ""))
    if not shown.claims:
        say(("warning:", "yellow"), " no claim matches these filters; the page says so")


def _write_page(graph_file: Path, out: Path, index, keep, tallies, subtitle: str, options: dict) -> str:
    """The page: the selection whole when small, else its overview; what it shows, in words.
    ``subtitle`` has ``{shown}`` where that goes."""
    from kg.sinks.html import write_html, write_view

    whole, shown = tallies
    if is_whole(shown):
        graph = _read(graph_file, lambda: shown_subgraph(graph_file, set(shown.links), keep))
        summary = shown_summary(graph)
        write_html(graph, out, subtitle=subtitle.replace("{shown}", summary, 1), **options)
        return summary
    chosen = cut(shown)
    listed = _read(graph_file, lambda: latest_claims(graph_file, chosen, keep))
    summary = f"{shown.claims} claims between {len(shown.entities)} holders and targets"
    subtitle = subtitle.replace("{shown}", summary, 1) + "\n" + left_out(shown, chosen)
    write_view(overview_view(shown, chosen, index.entities, listed), out, subtitle=subtitle, **options)
    return summary


def _selection(graph_file: Path, request: Request, catalogue_files: list[Path] | None):
    """What the graph.json holds of names, the Selection the request means in it and what was
    typed for each name; a request that cannot be honoured exits 2 (before the graph is read,
    when it can tell)."""
    try:
        request = request.checked()
        index = _read(graph_file, lambda: index_file(graph_file))
        catalogue = catalogue_or_exit(catalogue_files) if request.names else None
        return (index, *resolve(request, index.skeleton, catalogue, source=str(graph_file)))
    except RequestError as error:
        raise fail(str(error), ExitCode.USAGE) from error


def _read(graph_file: Path, reading):
    """What ``reading`` reads of the graph.json, or exit 1 saying why it cannot be read."""
    try:
        return reading()
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise fail(f"cannot read {graph_file}: {error}", ExitCode.FAILED) from error


def page_subtitle(corpus: str, shown: str, filters: list[str], built_at: str) -> str:
    """Three lines: the corpus, what the page shows and by which filters, when it was built."""
    lines = [
        "Corpus: " + corpus + ".",
        "Shown: " + shown + (f"; {'; '.join(filters)}." if filters else " (no filter)."),
        f"Graph built {built_at}.",
    ]
    return "\n".join(lines)


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
