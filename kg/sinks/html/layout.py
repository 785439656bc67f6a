"""Positions computed in Python, for pages that open with physics off.

* :func:`layered_layout`, the holder × target "columns": holders left, entities that are
  both holder and target in the middle, targets right, each column ordered so edges stay
  short, long columns wrapped into sub-columns.
* :func:`force_layout`: a force-directed layout (Fruchterman–Reingold with a grid for the
  repulsion, so each step costs about the number of nodes plus links, not its square), for
  the force view of a graph too big to simulate in the browser.

Both are pure Python and deterministic: the same view always gets the same integer
positions. ``sizes`` maps each node to its radius in pixels.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from kg.sinks.html.collect import View

ROWS_PER_COLUMN = 30  # layered layout: a column wraps after this many nodes (or more, if big)
ROW_GAP, LABEL_ROOM, SUB_COLUMN_GAP, GROUP_GAP = 50, 26, 260, 700
LAYOUT_SWEEPS = 4

FORCE_SPACING = 220  # the ideal link length, pixels
FORCE_ITERATIONS = 80
FORCE_GRAVITY = 0.02
FORCE_SEED = 7


# ---------------------------------------------------------------- holder × target columns


def layered_layout(view: View, sizes: dict[str, float]) -> dict[str, tuple[int, int]]:
    """Positions for a physics-free page: holders left, holder-and-target middle, targets right.

    Each column is ordered by the barycentre of its neighbours (a few sweeps), which keeps
    most edges short and uncrossed; long columns wrap into sub-columns.
    """
    groups = {role: [n for n, e in view.entities.items() if e.role == role] for role in ("holder", "both", "target")}
    groups["target"].sort(key=lambda n: (-view.entities[n].about, n))
    groups["holder"].sort(key=lambda n: (-view.entities[n].made, n))
    neighbours = weighted_neighbours(view)
    for _ in range(LAYOUT_SWEEPS):
        for role in ("holder", "both", "target"):
            rank = _ranks(groups)
            groups[role].sort(key=lambda n: (_barycentre(neighbours[n], rank), n))
    return _place(groups, sizes)


def weighted_neighbours(view: View) -> dict[str, dict[str, int]]:
    """For each entity, the entities it shares claims with and how many."""
    found: dict[str, dict[str, int]] = {n: {} for n in view.entities}
    for holder, target in view.pairs:
        if holder != target:
            claims = view.count((holder, target))
            found[holder][target] = found[holder].get(target, 0) + claims
            found[target][holder] = found[target].get(holder, 0) + claims
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


# ---------------------------------------------------------------- force-directed


def force_layout(view: View, sizes: dict[str, float], iterations: int = FORCE_ITERATIONS) -> dict[str, tuple[int, int]]:
    """Force-directed positions: linked entities pull together (more claims, harder), every
    entity pushes away those near it, and a weak pull to the centre keeps the parts together.

    Repulsion only acts within two link lengths, found through a grid, so the layout of a
    few hundred entities and thousands of links takes well under a second.
    """
    nodes = list(view.entities)
    count = len(nodes)
    if count == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    radius = [sizes[node] for node in nodes]
    links = [
        (index[h], index[t], 1 + math.log(view.count((h, t))))
        for h, t in view.pairs
        if h != t
    ]
    spacing = FORCE_SPACING
    side = spacing * math.sqrt(count)
    rng = random.Random(FORCE_SEED)
    xs = [rng.uniform(-side / 2, side / 2) for _ in nodes]
    ys = [rng.uniform(-side / 2, side / 2) for _ in nodes]
    reach = 2 * spacing
    degree = [0] * count
    for i, j, _ in links:
        degree[i] += 1
        degree[j] += 1
    share = [1 / d if d else 0.0 for d in degree]  # a hub is not pulled by each link in full
    for step in range(iterations):
        temperature = side / 8 * (1 - step / iterations) + 2
        dx, dy = [0.0] * count, [0.0] * count
        _repel(xs, ys, radius, dx, dy, spacing, reach)
        for i, j, weight in links:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            pull = math.hypot(ddx, ddy) * weight / spacing
            dx[i] -= ddx * pull * share[i]
            dy[i] -= ddy * pull * share[i]
            dx[j] += ddx * pull * share[j]
            dy[j] += ddy * pull * share[j]
        for i in range(count):
            fx, fy = dx[i] - xs[i] * FORCE_GRAVITY, dy[i] - ys[i] * FORCE_GRAVITY
            length = math.hypot(fx, fy)
            if length > 0:
                scale = min(length, temperature) / length
                xs[i] += fx * scale
                ys[i] += fy * scale
    return {node: (round(xs[i]), round(ys[i])) for i, node in enumerate(nodes)}


def _repel(xs, ys, radius, dx, dy, spacing: float, reach: float) -> None:
    """Add to ``dx``/``dy`` the push of every node within ``reach`` (grid cells of ``reach``)."""
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(zip(xs, ys)):
        grid[int(x // reach), int(y // reach)].append(i)
    square = spacing * spacing
    for (cx, cy), members in grid.items():
        near = [j for ox in (-1, 0, 1) for oy in (-1, 0, 1) for j in grid.get((cx + ox, cy + oy), ())]
        for i in members:
            xi, yi, ri = xs[i], ys[i], radius[i]
            for j in near:
                if j == i:
                    continue
                ddx, ddy = xi - xs[j], yi - ys[j]
                distance2 = ddx * ddx + ddy * ddy
                if distance2 >= reach * reach:
                    continue
                if distance2 < 1e-6:  # on top of each other: part them by index
                    ddx, ddy, distance2 = (1.0 if i > j else -1.0), 0.0, 1.0
                push = square / distance2
                touching = ri + radius[j] + 24
                if distance2 < touching * touching:  # overlapping discs: push harder
                    push *= 4
                dx[i] += ddx * push
                dy[i] += ddy * push
