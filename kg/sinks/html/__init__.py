"""The HTML view: one self-contained page showing who said what about whom.

Holders and targets are the nodes, sized by how many claims they make and are the subject
of; each holder→target pair is one edge, coloured by the stance of its claims (dashed when
they differ: a *mixed* link), labelled with their most frequent assessment. Hovering shows
the claims as a tooltip; clicking an edge or node lists its claims in a side panel
(holder, stance, assessment, date, the evidence sentence with the target's name marked,
the article and its link), and for a company that banks set price targets on, its target
history as a small chart drawn in the page (``targets.py``); a search box finds an entity by
any of its names.

The page is built with pyvis (node and edge records) and vis-network 9.1.2 as vendored by
pyvis, but rendered through our own autoescaping template rather than pyvis's:

* pyvis's template links Bootstrap from a CDN and inserts ``heading=`` as raw HTML, and
  switches to an ``innerHTML`` popup as soon as any tooltip contains the text "href".
* Here vis-network's script and stylesheet are inlined, nothing is fetched (no ``src`` or
  ``href`` leaves the file), title, subtitle and legend are escaped by Jinja2, and the
  graph data sits in a ``<script type="application/json">`` block whose ``<``, ``>`` and
  ``&`` are written as ``\\u003c`` etc., so ``</script>`` in an article cannot close it.
* Tooltips are plain strings: vis-network 9 shows a non-Element ``title`` with
  ``innerText`` (``Popup.setText``), so article text is never parsed as HTML. The side
  panel is built from DOM text nodes (``textContent``, ``createTextNode``, a ``<mark>``
  element for the target); an article link gets its ``href`` only if it is http(s).

Layouts (``layout=``): ``force`` runs vis-network's physics in the page for a graph of at
most ``physics_threshold`` entities and otherwise opens with physics off at positions
computed here (:func:`~kg.sinks.html.layout.force_layout`); ``columns`` always opens
with physics off in the holder × target columns (:func:`~kg.sinks.html.layout.layered_layout`);
``auto`` (what ``kg build`` writes) is ``force`` for small graphs and ``columns`` above
the threshold. The same graph always gives the same bytes: iteration is sorted, JSON keys
are sorted, vis-network's random seed is fixed.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from kg.graph import schema
from kg.sinks.files import write_atomic
from kg.sinks.html.collect import (
    ClaimView,
    EntityView,
    View,
    claim_view,
    collect_view,
    name_span,
    search_names,
)
from kg.sinks.html.layout import force_layout, layered_layout
from kg.sinks.view_type import AUTO_EDGE_LABELS, EDGE_LABELS, FONT_SIZE, LABELLED_EDGES, edge_labels_shown, type_sizes
from kg.sinks.html.targets import chart_script, target_records

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made
    from jinja2 import Environment

__all__ = [
    "AUTO_EDGE_LABELS", "EDGE_LABELS", "FONT_SIZE", "LAYOUTS", "PHYSICS_THRESHOLD", "STANCE_COLOURS", "ClaimView", "EntityView", "View", "claim_view",
    "collect_view", "name_span", "render_html", "render_view", "script_json", "write_html", "write_view",
]

PHYSICS_THRESHOLD = 120  # nodes; above this, physics off and a precomputed layout
LAYOUTS = ("auto", "force", "columns")
TEMPLATES = Path(__file__).parent.parent / "templates"
TEMPLATE = "graph.html.j2"

STANCE_COLOURS: dict[str, str] = {
    "positive": "#2e9d44",
    "negative": "#d62728",
    "neutral": "#9e9e9e",
    "mixed": "#f0a202",
}
STANCE_SIGNS = {"positive": "+", "negative": "−", "neutral": "○", "mixed": "±"}
MIXED_DASHES = [8, 5]  # a link whose claims differ in stance is drawn dashed
# (vis-network shape, colour, legend glyph); shapes that draw their label underneath.
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "Institution": ("square", "#1f77b4", "■"),
    "Person": ("star", "#17becf", "★"),
    "Group": ("hexagon", "#6a5acd", "⬢"),
    "Unattributed": ("triangleDown", "#8d8db0", "▼"),
    "Company": ("diamond", "#9467bd", "◆"),
    "Product": ("triangle", "#e377c2", "▲"),
    "Index": ("square", "#8c564b", "■"),
    "Sector": ("dot", "#c49a6c", "●"),
}
DEFAULT_STYLE = ("dot", "#7f7f7f", "●")
FONT_STACK = (
    'system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", '
    '"Microsoft YaHei", "Segoe UI", Roboto, Arial, sans-serif'
)

EDGE_LABEL_CHARS = 24
EVIDENCE_CHARS = 300
TOOLTIP_CLAIMS = 25  # an edge tooltip lists at most this many claims, then "and N more"
ALIASES_SHOWN = 8
BIG_LABEL_THRESHOLD = 12  # pixels: a 10 px label shows from a zoom of about 1.2


# ---------------------------------------------------------------- public API


def write_html(graph: nx.MultiDiGraph, path: Path | str, **options) -> Path:
    """Write the interactive view of ``graph`` to ``path`` (atomically) and return the path;
    ``options`` as :func:`render_view` takes them."""
    path = Path(path)
    write_atomic(path, render_html(graph, **options))
    return path


def render_html(graph: nx.MultiDiGraph, **options) -> str:
    """The page as a string: the same graph and arguments always give the same text;
    ``options`` (title, focus, layout, …) as :func:`render_view` takes them, with the price
    target histories of the graph's companies."""
    view = collect_view(graph)
    return render_view(view, targets=target_records(graph, view.entities), **options)


def write_view(view: View, path: Path | str, **options) -> Path:
    """Write the page of a view made without a whole graph in memory (:mod:`kg.sinks.html.overview`)."""
    path = Path(path)
    write_atomic(path, render_view(view, **options))
    return path


def render_view(
    view: View,
    *,
    title: str,
    subtitle: str = "",
    physics_threshold: int = PHYSICS_THRESHOLD,
    layout: str = "auto",
    focus: str | None = None,
    font_size: int = FONT_SIZE,
    edge_labels: str = "auto",
    targets: dict[str, dict] | None = None,
) -> str:
    """The page of a view (:func:`render_html` makes it of a graph): the same view and
    arguments always give the same text.

    ``focus``, an entity node id, is selected when the page opens, its claims in the panel.
    ``font_size``: node labels' height in pixels as the page opens; ``edge_labels``: on, off,
    or auto (on for at most ``AUTO_EDGE_LABELS`` links; :mod:`kg.sinks.view_type`).
    ``targets``: the price target histories its companies' panels chart
    (:mod:`kg.sinks.html.targets`; none in an overview of a big graph)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    physics = layout != "columns" and len(view.entities) <= physics_threshold
    sizes = {n: node_size(e.made + e.about) for n, e in view.entities.items()}
    if physics:
        positions: dict[str, tuple[int, int]] = {}
    elif layout == "force":
        positions = force_layout(view, sizes)
    else:
        positions = layered_layout(view, sizes)
    labelled = edge_labels_shown(edge_labels, len(view.pairs))
    nodes, edges = network_records(view, positions, edge_labels=labelled)
    claims, articles = claim_records(view)
    data = {
        "nodes": nodes,
        "edges": edges,
        "claims": claims,
        "articles": articles,
        "stances": STANCE_COLOURS,
        "signs": STANCE_SIGNS,
        "options": vis_options(physics, len(edges)),
        "type": type_sizes(font_size, labelled, len(edges)),
        "targets": targets or {},  # a company's price-target chart
    }
    if focus is not None and focus in view.entities:
        data["focus"] = focus
    js, css = vis_assets()
    return _environment().get_template(TEMPLATE).render(
        title=title,
        subtitle=subtitle,
        node_legend=node_legend(view),
        stance_legend=[(stance, STANCE_COLOURS[stance]) for stance in STANCE_COLOURS],
        counts={"nodes": len(nodes), "edges": len(edges), "claims": len(claims)},
        physics=physics,
        data_json=Markup(script_json(data)),
        vis_js=Markup(js),
        vis_css=Markup(css),
        chart_js=Markup(chart_script()),
        font_stack=Markup(FONT_STACK),  # our constant, inside <style> where entities do not work
    )


# ---------------------------------------------------------------- view → page data


def network_records(
    view: View, positions: dict[str, tuple[int, int]], *, edge_labels: bool = True
) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records, built with pyvis, with ``x``/``y`` when laid out.

    Besides vis-network's fields, a node carries ``names`` (what the search box matches),
    ``made`` and ``about`` (its claim counts); an edge carries ``claims`` (indices into the
    page's claim list, in date order) and ``mix`` (claims per stance).
    """
    from pyvis.network import Network  # imports IPython: only when a page is written

    net = Network(directed=True, cdn_resources="in_line")
    for node, entity in view.entities.items():
        shape, colour, _ = NODE_STYLES.get(entity.type, DEFAULT_STYLE)
        extra = dict(zip(("x", "y"), positions[node])) if node in positions else {}
        net.add_node(
            node, label=entity.name, shape=shape, color=colour,
            size=node_size(entity.made + entity.about), title=node_tooltip(entity),
            names=search_names(entity), type=entity.type, made=entity.made, about=entity.about, **extra,
        )
    first = 0
    for (holder, target), claims in view.pairs.items():
        mix = view.mix((holder, target))
        stance = pair_stance(mix)
        extra = {"dashes": MIXED_DASHES} if stance == "mixed" else {}
        if edge_labels:
            extra["label"] = truncate(main_assessment(claims), EDGE_LABEL_CHARS)
        if (holder, target) in view.notes:  # a link of a big graph: some claims not listed
            extra.update(total=view.count((holder, target)), listed=view.notes[holder, target])
        net.add_edge(
            holder, target, id=f"{holder} → {target}", color=STANCE_COLOURS[stance], width=edge_width(view.count((holder, target))),
            title=edge_tooltip(view.entities[holder].name, view.entities[target].name, claims, mix, view.notes.get((holder, target))),
            claims=list(range(first, first + len(claims))), mix=dict(mix), **extra,
        )
        first += len(claims)
    return list(net.nodes), list(net.edges)


def claim_records(view: View) -> tuple[list[dict], list[dict]]:
    """The page's claims, pair by pair in edge order, and the articles they cite (each once).

    A claim: ``holder`` and ``target`` node ids, ``stance``, ``assessment``, ``date``,
    ``evidence``, ``mark`` ([start, end] of the target's name in the evidence, in UTF-16
    code units as JavaScript counts them, or null)
    and ``article`` (an index into the article list, or null).
    """
    claims: list[dict] = []
    articles: list[dict] = []
    numbers: dict[tuple[str, str, str, str], int] = {}
    for (holder, target), pair in view.pairs.items():
        for claim in pair:
            key = (claim.article, claim.article_title, claim.outlet, claim.url)
            if claim.article or claim.article_title or claim.url:
                if key not in numbers:
                    numbers[key] = len(articles)
                    articles.append({"title": claim.article_title, "outlet": claim.outlet, "url": claim.url})
                article = numbers[key]
            else:
                article = None
            claims.append(
                {
                    "holder": holder, "target": target, "stance": claim.stance, "assessment": claim.assessment,
                    "date": claim.date, "evidence": claim.evidence, "article": article,
                    "mark": utf16_span(claim.evidence, claim.mark),
                }
            )
    return claims, articles


def utf16_span(text: str, span: tuple[int, int] | None) -> list[int] | None:
    """``span`` (code point offsets) as offsets into the page's UTF-16 string.

    >>> utf16_span("😀 Nvidia", (2, 8))
    [3, 9]
    """
    if span is None:
        return None
    return [len(text[: span[0]].encode("utf-16-le")) // 2, len(text[: span[1]].encode("utf-16-le")) // 2]


def pair_stance(stances: Iterable[str]) -> str:
    """One stance for a pair's edge: the claims' common stance, else ``mixed``."""
    found = sorted(set(stances))
    return found[0] if len(found) == 1 and found[0] in STANCE_COLOURS else "mixed"


def main_assessment(claims: list[ClaimView]) -> str:
    """The most frequent non-empty assessment (ties: alphabetically first)."""
    counts = Counter(c.assessment.strip() for c in claims if c.assessment.strip())
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else ""


def truncate(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_size(claims: int) -> float:
    """Node radius in pixels, growing with the square root of its claim count."""
    return round(min(10 + 5 * math.sqrt(claims), 60), 2)


def edge_width(claims: int) -> float:
    """Edge width in pixels: 1 for one claim, +2 per doubling, at most 10."""
    return round(min(1 + 2 * math.log2(max(claims, 1)), 10), 2)


def node_tooltip(entity: EntityView) -> str:
    """Plain-text tooltip: name, type, aliases, claim counts."""
    aliases = [a for a in entity.aliases if a != entity.name]
    lines = [entity.name, f"Type: {entity.type}"]
    if aliases:
        more = len(aliases) - ALIASES_SHOWN
        lines.append("Also: " + ", ".join(aliases[:ALIASES_SHOWN]) + (f" (+{more} more)" if more > 0 else ""))
    lines.append(f"Claims made: {entity.made}; claims about it: {entity.about}")
    return "\n".join(lines)


def edge_tooltip(
    holder: str, target: str, claims: list[ClaimView], stances: Counter | None = None, note: str | None = None
) -> str:
    """Plain-text tooltip: the pair, its stance counts, then each claim with its evidence
    (``stances``: of all the link's claims, when ``claims`` lists only some, as ``note`` says)."""
    stances = stances if stances is not None else Counter(c.stance for c in claims)
    summary = ", ".join(f"{stances[s]} {s}" for s in sorted(stances, key=lambda s: (-stances[s], s)))
    total = sum(stances.values())
    lines = [f"{holder} → {target}", f"{total} claim{'s' * (total != 1)}: {summary}"] + ([note] if note else [])
    for number, claim in enumerate(claims[:TOOLTIP_CLAIMS], 1):
        lines += ["", f"{number}. {claim.stance} · {truncate(claim.assessment, 80)} · {claim.date or 'undated'}"]
        lines.append(f"   “{truncate(claim.evidence, EVIDENCE_CHARS)}”")
        source = " — ".join(x for x in (truncate(claim.article_title, 120), claim.outlet) if x)
        lines.append(f"   {source}" + (f"\n   {claim.url}" if claim.url else ""))
    if len(claims) > TOOLTIP_CLAIMS and not note:
        lines += ["", f"… and {len(claims) - TOOLTIP_CLAIMS} more claims"]
    return "\n".join(lines)


def node_legend(view: View) -> list[tuple[str, str, str]]:
    """(type, colour, glyph) for each entity type present, in schema order."""
    present = {e.type for e in view.entities.values()}
    order = [t for t in schema.ENTITY_LABELS if t in present] + sorted(present - set(schema.ENTITY_LABELS))
    return [(t, NODE_STYLES.get(t, DEFAULT_STYLE)[1], NODE_STYLES.get(t, DEFAULT_STYLE)[2]) for t in order]


# ---------------------------------------------------------------- page


def vis_options(physics: bool, edges: int = 0) -> dict:
    """vis-network options: fixed random seed; physics only for small graphs.

    With more than ``LABELLED_EDGES`` edges, edge labels are drawn only once zoomed in to
    about 1:1 (``drawThreshold``): thousands of outlined labels cost a second per frame,
    while zoomed in, vis-network skips what is off screen.
    """
    font = {"face": FONT_STACK}
    edge_options: dict = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "font": {**font, "size": 10, "align": "horizontal", "strokeWidth": 3, "color": "#333333"},
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 if physics else 0.08},
        "selectionWidth": 2,
    }
    if edges > LABELLED_EDGES:
        edge_options["scaling"] = {"label": {"drawThreshold": BIG_LABEL_THRESHOLD}}
    return {
        "nodes": {"font": {**font, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": edge_options,
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": not physics},
        "layout": {"randomSeed": 7, "improvedLayout": physics},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 140, "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 600, "fit": True},
        },
    }


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and U+2028/9 escaped.

    >>> script_json({"t": "</script><b>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def vis_assets() -> tuple[str, str]:
    """vis-network 9.1.2's script and stylesheet as vendored by pyvis, checked safe to inline."""
    import pyvis

    folder = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (folder / "vis-network.min.js").read_text("utf-8")
    css = (folder / "vis-network.css").read_text("utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise ValueError(f"vis-network assets in {folder} cannot be inlined safely")
    return js, css


def _environment() -> Environment:
    """Jinja2 with autoescaping on for our template (``.j2`` files are HTML here)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape  # ~0.1 s to import: only pages need it

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
