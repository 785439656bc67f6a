"""The HTML view: one self-contained page showing who said what about whom.

Holders and targets are the nodes; each holder→target pair is one edge, coloured by the
stance of its claims and labelled with their most frequent assessment. Hovering shows
every claim with its evidence sentence and article.

The page is built with pyvis (node and edge records) and vis-network 9.1.2 as vendored by
pyvis, but rendered through our own autoescaping template rather than pyvis's:

* pyvis's template links Bootstrap from a CDN and inserts ``heading=`` as raw HTML, and
  switches to an ``innerHTML`` popup as soon as any tooltip contains the text "href".
* Here vis-network's script and stylesheet are inlined, nothing is fetched (no ``src`` or
  ``href`` leaves the file), title, subtitle and legend are escaped by Jinja2, and the
  graph data sits in a ``<script type="application/json">`` block whose ``<``, ``>`` and
  ``&`` are written as ``\\u003c`` etc., so ``</script>`` in an article cannot close it.
* Tooltips are plain strings: vis-network 9 shows a non-Element ``title`` with
  ``innerText`` (``Popup.setText``), so article text is never parsed as HTML.

Above ``physics_threshold`` nodes, physics is off and positions come precomputed from a
layered holder→target layout, so large pages open at once. The same graph always gives the
same bytes: iteration is sorted, JSON keys are sorted, vis-network's random seed is fixed.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kg.graph import schema
from kg.sinks.files import write_atomic

PHYSICS_THRESHOLD = 120  # nodes; above this, physics off and a precomputed layout
TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "graph.html.j2"

STANCE_COLOURS: dict[str, str] = {
    "positive": "#2e9d44",
    "negative": "#d62728",
    "neutral": "#9e9e9e",
    "mixed": "#f0a202",
}
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
ROWS_PER_COLUMN = 30  # layered layout: a column wraps after this many nodes (or more, if big)
ROW_GAP, LABEL_ROOM, SUB_COLUMN_GAP, GROUP_GAP = 50, 26, 260, 700
LAYOUT_SWEEPS = 4


@dataclass(frozen=True)
class ClaimView:
    """What the page shows of one claim."""

    stance: str
    assessment: str
    date: str
    evidence: str
    article_title: str
    outlet: str
    url: str
    order: tuple[str, str, int] = ("", "", 0)  # sort key: date, article, position in the article


@dataclass
class EntityView:
    """A holder or target with its type, aliases and claim counts."""

    node: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    made: int = 0  # claims it holds
    about: int = 0  # claims about it

    @property
    def role(self) -> str:
        """``holder``, ``target`` or ``both``: which column of the layout it goes in."""
        if self.made and self.about:
            return "both"
        return "holder" if self.made else "target"


@dataclass
class View:
    """The holder→target pairs of a graph, with their claims, and the entities on them."""

    entities: dict[str, EntityView] = field(default_factory=dict)
    pairs: dict[tuple[str, str], list[ClaimView]] = field(default_factory=dict)


# ---------------------------------------------------------------- public API


def write_html(
    graph: nx.MultiDiGraph,
    path: Path | str,
    *,
    title: str,
    subtitle: str = "",
    physics_threshold: int = PHYSICS_THRESHOLD,
) -> Path:
    """Write the interactive view of ``graph`` to ``path`` (atomically) and return the path."""
    path = Path(path)
    write_atomic(path, render_html(graph, title=title, subtitle=subtitle, physics_threshold=physics_threshold))
    return path


def render_html(
    graph: nx.MultiDiGraph, *, title: str, subtitle: str = "", physics_threshold: int = PHYSICS_THRESHOLD
) -> str:
    """The page as a string: the same graph and arguments always give the same text."""
    view = collect_view(graph)
    physics = len(view.entities) <= physics_threshold
    positions = {} if physics else layered_layout(view)
    nodes, edges = network_records(view, positions)
    data = {"nodes": nodes, "edges": edges, "options": vis_options(physics)}
    js, css = vis_assets()
    return _environment().get_template(TEMPLATE).render(
        title=title,
        subtitle=subtitle,
        node_legend=node_legend(view),
        stance_legend=[(stance, STANCE_COLOURS[stance]) for stance in STANCE_COLOURS],
        counts={"nodes": len(nodes), "edges": len(edges), "claims": sum(map(len, view.pairs.values()))},
        physics=physics,
        data_json=Markup(script_json(data)),
        vis_js=Markup(js),
        vis_css=Markup(css),
        font_stack=Markup(FONT_STACK),  # our constant, inside <style> where entities do not work
    )


# ---------------------------------------------------------------- graph → view


def collect_view(graph: nx.MultiDiGraph) -> View:
    """Group the graph's claims by (holder node, target node), in sorted order."""
    view = View()
    pairs: dict[tuple[str, str], list[ClaimView]] = defaultdict(list)
    for node in sorted(n for n, d in graph.nodes(data=True) if d.get("label") == schema.CLAIM):
        claim = graph.nodes[node]
        holder = _endpoint(graph, node, "holder", claim)
        target = _endpoint(graph, node, "target", claim)
        _entity(view, graph, holder, claim.get("holder"), claim.get("holder_type")).made += 1
        _entity(view, graph, target, claim.get("target"), claim.get("target_type")).about += 1
        pairs[holder, target].append(claim_view(claim, _article(graph, node)))
    view.pairs = {pair: sorted(claims, key=lambda c: c.order) for pair, claims in sorted(pairs.items())}
    view.entities = dict(sorted(view.entities.items()))
    return view


def _endpoint(graph: nx.MultiDiGraph, claim: str, role: str, data: dict) -> str:
    """The claim's holder (ASSERTS → claim) or target (claim → ABOUT) node."""
    if role == "holder":
        found = [u for u, _, d in graph.in_edges(claim, data=True) if d.get("type") == schema.ASSERTS]
    else:
        found = [v for _, v, d in graph.out_edges(claim, data=True) if d.get("type") == schema.ABOUT]
    return min(found) if found else schema.entity_id(str(data.get(role) or "?"))


def _article(graph: nx.MultiDiGraph, claim: str) -> dict:
    """The attributes of the article a claim is evidenced by (empty if the graph lacks it)."""
    found = sorted(v for _, v, d in graph.out_edges(claim, data=True) if d.get("type") == schema.EVIDENCED_BY)
    return dict(graph.nodes[found[0]]) if found else {}


def _entity(view: View, graph: nx.MultiDiGraph, node: str, name, kind) -> EntityView:
    """The view of an entity node, created on first sight from the graph (or the claim)."""
    if node not in view.entities:
        data = graph.nodes[node] if node in graph else {}
        view.entities[node] = EntityView(
            node=node,
            name=str(data.get("name") or name or node.removeprefix("entity:")),
            type=str(data.get("label") or kind or "Sector"),
            aliases=tuple(str(a) for a in data.get("aliases") or ()),
        )
    return view.entities[node]


def claim_view(claim: dict, article: dict) -> ClaimView:
    """The displayed fields of one claim node and its article node."""
    date = str(claim.get("article_date") or article.get("date") or "")
    return ClaimView(
        stance=str(claim.get("stance") or "neutral"),
        assessment=str(claim.get("assessment") or ""),
        date=date[:10],
        evidence=str(claim.get("evidence") or ""),
        article_title=str(article.get("title") or claim.get("article_file") or ""),
        outlet=str(article.get("outlet") or ""),
        url=str(article.get("url") or ""),
        order=(date, str(claim.get("article_id") or ""), int(claim.get("evidence_start") or 0)),
    )


# ---------------------------------------------------------------- view → vis records


def network_records(view: View, positions: dict[str, tuple[int, int]]) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records, built with pyvis, with ``x``/``y`` when laid out."""
    from pyvis.network import Network  # imports IPython: only when a page is written

    net = Network(directed=True, cdn_resources="in_line")
    for node, entity in view.entities.items():
        shape, colour, _ = NODE_STYLES.get(entity.type, DEFAULT_STYLE)
        extra = dict(zip(("x", "y"), positions[node])) if node in positions else {}
        net.add_node(
            node, label=entity.name, shape=shape, color=colour,
            size=node_size(entity.made + entity.about), title=node_tooltip(entity), **extra,
        )
    for (holder, target), claims in view.pairs.items():
        net.add_edge(
            holder, target, id=f"{holder} → {target}", color=STANCE_COLOURS[pair_stance(c.stance for c in claims)],
            label=truncate(main_assessment(claims), EDGE_LABEL_CHARS), width=edge_width(len(claims)),
            title=edge_tooltip(view.entities[holder].name, view.entities[target].name, claims),
        )
    return list(net.nodes), list(net.edges)


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


def edge_tooltip(holder: str, target: str, claims: list[ClaimView]) -> str:
    """Plain-text tooltip: the pair, its stance counts, then each claim with its evidence."""
    stances = Counter(c.stance for c in claims)
    summary = ", ".join(f"{stances[s]} {s}" for s in sorted(stances, key=lambda s: (-stances[s], s)))
    lines = [f"{holder} → {target}", f"{len(claims)} claim{'s' * (len(claims) != 1)}: {summary}"]
    for number, claim in enumerate(claims[:TOOLTIP_CLAIMS], 1):
        lines += ["", f"{number}. {claim.stance} · {truncate(claim.assessment, 80)} · {claim.date or 'undated'}"]
        lines.append(f"   “{truncate(claim.evidence, EVIDENCE_CHARS)}”")
        source = " — ".join(x for x in (truncate(claim.article_title, 120), claim.outlet) if x)
        lines.append(f"   {source}" + (f"\n   {claim.url}" if claim.url else ""))
    if len(claims) > TOOLTIP_CLAIMS:
        lines += ["", f"… and {len(claims) - TOOLTIP_CLAIMS} more claims"]
    return "\n".join(lines)


def node_legend(view: View) -> list[tuple[str, str, str]]:
    """(type, colour, glyph) for each entity type present, in schema order."""
    present = {e.type for e in view.entities.values()}
    order = [t for t in schema.ENTITY_LABELS if t in present] + sorted(present - set(schema.ENTITY_LABELS))
    return [(t, NODE_STYLES.get(t, DEFAULT_STYLE)[1], NODE_STYLES.get(t, DEFAULT_STYLE)[2]) for t in order]


# ---------------------------------------------------------------- layout


def layered_layout(view: View) -> dict[str, tuple[int, int]]:
    """Positions for a physics-free page: holders left, holder-and-target middle, targets right.

    Each column is ordered by the barycentre of its neighbours (a few sweeps), which keeps
    most edges short and uncrossed; long columns wrap into sub-columns. Pure Python, no
    randomness: the same view always gets the same integer positions.
    """
    groups = {role: [n for n, e in view.entities.items() if e.role == role] for role in ("holder", "both", "target")}
    groups["target"].sort(key=lambda n: (-view.entities[n].about, n))
    groups["holder"].sort(key=lambda n: (-view.entities[n].made, n))
    neighbours = _weighted_neighbours(view)
    for _ in range(LAYOUT_SWEEPS):
        for role in ("holder", "both", "target"):
            rank = _ranks(groups)
            groups[role].sort(key=lambda n: (_barycentre(neighbours[n], rank), n))
    sizes = {n: node_size(e.made + e.about) for n, e in view.entities.items()}
    return _place(groups, sizes)


def _weighted_neighbours(view: View) -> dict[str, dict[str, int]]:
    """For each entity, the entities it shares claims with and how many."""
    found: dict[str, dict[str, int]] = {n: {} for n in view.entities}
    for (holder, target), claims in view.pairs.items():
        if holder != target:
            found[holder][target] = found[holder].get(target, 0) + len(claims)
            found[target][holder] = found[target].get(holder, 0) + len(claims)
    return found


def _ranks(groups: dict[str, list[str]]) -> dict[str, float]:
    """Each node's position in its column, scaled to 0..1 so columns of any length align."""
    return {n: i / max(len(nodes) - 1, 1) for nodes in groups.values() for i, n in enumerate(nodes)}


def _barycentre(neighbours: dict[str, int], rank: dict[str, float]) -> float:
    """The claim-weighted mean rank of a node's neighbours (0.5 for an isolated node)."""
    total = sum(neighbours.values())
    return sum(rank[n] * w for n, w in sorted(neighbours.items())) / total if total else 0.5


def _place(groups: dict[str, list[str]], sizes: dict[str, float]) -> dict[str, tuple[int, int]]:
    """Integer x, y for each column's nodes; a long column wraps into sub-columns.

    Neighbours in a column are spaced by their radii plus room for a label, so big nodes
    never overlap; each sub-column is centred on y = 0.
    """
    positions: dict[str, tuple[int, int]] = {}
    x = 0
    for nodes in groups.values():
        if not nodes:
            continue
        columns = math.ceil(len(nodes) / _rows_per_column(len(nodes)))
        rows = math.ceil(len(nodes) / columns)
        for column in range(columns):
            chunk = nodes[column * rows : (column + 1) * rows]
            for node, y in zip(chunk, _stack(chunk, sizes)):
                positions[node] = (x + column * SUB_COLUMN_GAP, y)
        x += (columns - 1) * SUB_COLUMN_GAP + GROUP_GAP
    return positions


def _rows_per_column(count: int) -> int:
    """Rows before a column wraps: ROWS_PER_COLUMN, or more so a big group comes out square."""
    return max(ROWS_PER_COLUMN, math.ceil(math.sqrt(count * SUB_COLUMN_GAP / ROW_GAP)))


def _stack(nodes: list[str], sizes: dict[str, float]) -> list[int]:
    """y of each node in one column: radius + label room + radius apart, centred on 0."""
    ys = [0.0]
    for above, below in zip(nodes, nodes[1:]):
        ys.append(ys[-1] + max(ROW_GAP, sizes[above] + sizes[below] + LABEL_ROOM))
    middle = ys[-1] / 2
    return [round(y - middle) for y in ys]


# ---------------------------------------------------------------- page


def vis_options(physics: bool) -> dict:
    """vis-network options: fixed random seed; physics only for small graphs."""
    font = {"face": FONT_STACK}
    return {
        "nodes": {"font": {**font, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {**font, "size": 10, "align": "middle", "strokeWidth": 3, "color": "#333333"},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 if physics else 0.08},
            "selectionWidth": 2,
        },
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
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
