"""kg chart: static images of what the graph says, for slides.

    kg chart targets 台积电 --out tsmc.png      a company's price targets by bank, over time (PNG or SVG)

The chart is :func:`kg.sinks.chart.write_target_chart` of :func:`kg.target_history.target_history`,
the same history the side panel of ``kg view`` draws.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    BUILD,
    BuildDir,
    CatalogueFiles,
    Command,
    catalogue_or_exit,
    command_group,
    fail,
    format_option,
    read_build_graph,
    say,
)
from kg.exit_codes import ExitCode

app = command_group("Draw charts of a build's graph as images (PNG, SVG) for slides.")


@app.command("targets", cls=Command)
def targets_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The company (or index): any name, alias or ticker, e.g. 台积电, TSMC, 2330.")],
    build_dir: BuildDir = BUILD,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write: a .png or .svg file.")] = Path("exports/targets.png"),
    fmt: Annotated[str | None, format_option("png or svg. Default: from the file name.")] = None,
    currencies: Annotated[
        list[str] | None, typer.Option("--currency", metavar="CODE", help="Only targets in this currency, e.g. TWD or points (repeatable).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TITLE", help="The chart's title. Default: Price targets: NAME.")] = None,
    font: Annotated[
        str | None,
        typer.Option("--font", metavar="FAMILY", help="The font for Chinese characters. Default: the first installed of Noto Sans CJK, WenQuanYi, ..."),
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Draw a company's price targets by bank over time: one line per bank, rating changes marked.

    One panel per currency; a dashed stem runs from the target each one replaced.

    Chinese names need a CJK font (Noto Sans CJK, WenQuanYi); without one kg says which names it could not draw in Chinese.

    Example: [bold]kg chart targets 台积电 --out exports/tsmc.svg[/]
    """
    from kg.sinks.chart import CJK_FONTS, chart_format, write_target_chart

    try:
        chart_format(out, fmt)
    except ValueError as error:
        raise fail(str(error), ExitCode.USAGE) from error
    graph = read_build_graph(build_dir)
    canonical, history = _history(graph, name, currencies or [], catalogue_files, build_dir)
    typed = f" ({name.strip()})" if name.strip() != canonical else ""
    try:
        result = write_target_chart(
            history, out, fmt=fmt, title=title or f"Price targets: {canonical}{typed}", latin=_latin_names(graph),
            cjk_fonts=(font,) if font else CJK_FONTS,
        )  # fmt: skip
    except OSError as error:
        raise fail(f"cannot write {out}: {error}", ExitCode.FAILED) from error
    _report(result, out, font)


def _history(graph, name: str, currencies: list[str], catalogue_files, build_dir: Path):
    """The canonical name of the entity ``name`` stands for and its targets (in ``currencies``
    when given); exit 2 for an unknown name, 3 when it has no target to draw."""
    from kg.target_history import TargetHistory, target_history
    from kg.views import UnknownEntity, entity_name, resolve_entity

    try:
        node = resolve_entity(name, graph, catalogue_or_exit(catalogue_files))
    except UnknownEntity as error:
        raise fail(str(error), ExitCode.USAGE) from error
    history = target_history(graph, node)
    wanted = {c.lower() for c in currencies}
    points = tuple(p for p in history.points if not wanted or p.currency.lower() in wanted)
    canonical = entity_name(graph, node)
    if not points:
        only = f" in {', '.join(currencies)}" if wanted else ""
        raise fail(f"no price target on {canonical}{only} in {build_dir}: nothing to draw", ExitCode.NO_INPUT)
    return canonical, TargetHistory(history.target, history.name, points, history.marks)


def _report(result, out: Path, font: str | None) -> None:
    say(
        ("wrote", "green"),
        f" {out}: {result.points} price target{'s' * (result.points != 1)} by {result.banks} "
        f"bank{'s' * (result.banks != 1)} in {', '.join(result.currencies)}, {result.marks} rating change{'s' * (result.marks != 1)}",
    )
    if result.unreadable:
        wanted = f"the font {font!r} is not installed" if font else "no CJK font found (install fonts-noto-cjk or fonts-wqy-microhei)"
        say(
            ("warning:", "yellow"),
            f" {wanted}: drew {'; '.join(result.unreadable)} without Chinese characters (a name by its Latin alias where it has one)",
        )


def _latin_names(graph) -> dict[str, str]:
    """Each entity's first alias written without Chinese characters, by canonical name."""
    from kg.sinks.chart import has_cjk
    from kg.views import entity_nodes

    found = {}
    for node in entity_nodes(graph):
        data = graph.nodes[node]
        latin = [a for a in data.get("aliases") or () if not has_cjk(str(a))]
        if latin and data.get("name"):
            found[str(data["name"])] = str(latin[0])
    return found
