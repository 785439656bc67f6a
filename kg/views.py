"""Which slice of the graph a page shows: plain functions over the claim graph.

A :class:`Selection` says which claims to keep; :func:`select` returns the subgraph of
those claims with their holders, targets, articles and topics, which any sink (the HTML
view, an export) draws as it would the whole graph. The steps, in this order:

1. **claim filters**, each a set of allowed values (several values of one filter: any of
   them; several filters: all of them): holder, target, stance, date range (the claim's
   article date, inclusive; an undated claim is dropped by any date bound), article
   language, topic (the driver the claim is framed by, e.g. DeepSeek);
2. **minimum claims per link**: a holder→target pair with fewer kept claims is dropped;
3. **focus**: the entities within ``depth`` links of the focus entity (links taken in
   either direction) and the links that reach them, i.e. a link is kept when one of its
   ends is fewer than ``depth`` links from the focus. Depth 1 is the focus, everyone who
   spoke about it, everything it spoke about, and those links only.

Entities are named by any alias, Chinese or English (:func:`resolve_entity`); an unknown
name raises :class:`UnknownEntity` with the closest known names. A :class:`Request` is a
view as ``kg view``'s options ask for it (names as typed, dates as text); :func:`resolve`
turns it into the Selection it means in a graph.

>>> import networkx as nx
>>> select(nx.MultiDiGraph(), Selection()).number_of_nodes()
0
"""

from __future__ import annotations

import datetime
import difflib
import os
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kg.extract.fold import fold
from kg.graph import schema

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made

STANCES = ("positive", "negative", "neutral", "mixed")
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
SUGGESTIONS = 5


class UnknownEntity(ValueError):
    """A name that is no alias of any entity, with the closest names that are."""

    def __init__(self, name: str, suggestions: list[str], what: str = "entity"):
        self.name, self.suggestions, self.what = name, suggestions, what
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no {what} is called {name!r}{hint}")


@dataclass(frozen=True)
class Selection:
    """What a view keeps. Entity filters hold node ids (``entity:Nvidia``), topics names."""

    focus: str | None = None
    depth: int = 1
    holders: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    stances: frozenset[str] = frozenset()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    langs: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    min_claims: int = 1

    @property
    def dated(self) -> bool:
        return bool(self.date_from or self.date_to)


# ---------------------------------------------------------------- reading a claim graph


def claim_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """The graph's claim nodes, sorted."""
    return sorted(n for n, d in graph.nodes(data=True) if d.get("label") == schema.CLAIM)


def entity_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """Every node that is not a claim, an action or an article, sorted."""
    return sorted(n for n, d in graph.nodes(data=True) if d.get("label") not in schema.NOT_ENTITIES)


def holder_of(graph: nx.MultiDiGraph, claim: str) -> str:
    """The claim's holder: the node that ASSERTS it (or the id its record names)."""
    found = [u for u, _, d in graph.in_edges(claim, data=True) if d.get("type") == schema.ASSERTS]
    return min(found) if found else schema.entity_id(str(graph.nodes[claim].get("holder") or "?"))


def target_of(graph: nx.MultiDiGraph, claim: str) -> str:
    """The claim's target: the node it is ABOUT (or the id its record names)."""
    found = [v for _, v, d in graph.out_edges(claim, data=True) if d.get("type") == schema.ABOUT]
    return min(found) if found else schema.entity_id(str(graph.nodes[claim].get("target") or "?"))


def article_of(graph: nx.MultiDiGraph, claim: str) -> str | None:
    """The article node a claim is EVIDENCED_BY, if the graph has it."""
    found = sorted(v for _, v, d in graph.out_edges(claim, data=True) if d.get("type") == schema.EVIDENCED_BY)
    return found[0] if found else None


def claim_date(graph: nx.MultiDiGraph, claim: str) -> str:
    """YYYY-MM-DD of the claim's article ("" when undated)."""
    article = article_of(graph, claim)
    date = graph.nodes[claim].get("article_date") or (graph.nodes[article].get("date") if article else None)
    return str(date or "")[:10]


def claim_lang(graph: nx.MultiDiGraph, claim: str) -> str:
    """The language tag of the claim's article ("" when unknown)."""
    article = article_of(graph, claim)
    return str(graph.nodes[article].get("lang") or "") if article else ""


# ---------------------------------------------------------------- selecting


def keep_claim(graph: nx.MultiDiGraph, claim: str, selection: Selection) -> bool:
    """Whether one claim passes the claim filters (step 1)."""
    data = graph.nodes[claim]
    if selection.holders and holder_of(graph, claim) not in selection.holders:
        return False
    if selection.targets and target_of(graph, claim) not in selection.targets:
        return False
    if selection.stances and data.get("stance") not in selection.stances:
        return False
    if selection.topics and data.get("topic") not in selection.topics:
        return False
    if selection.langs and claim_lang(graph, claim) not in selection.langs:
        return False
    if selection.dated:
        date = claim_date(graph, claim)
        if not date or (selection.date_from and date < selection.date_from):
            return False
        if selection.date_to and date > selection.date_to:
            return False
    return True


def select_claims(graph: nx.MultiDiGraph, selection: Selection) -> list[str]:
    """The claim nodes a view shows, sorted: filters, then minimum per link, then focus."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for claim in claim_nodes(graph):
        if keep_claim(graph, claim, selection):
            pairs[holder_of(graph, claim), target_of(graph, claim)].append(claim)
    pairs = {pair: claims for pair, claims in pairs.items() if len(claims) >= selection.min_claims}
    if selection.focus is not None:
        reached = focus_pairs(pairs, selection.focus, selection.depth)
        pairs = {pair: claims for pair, claims in pairs.items() if pair in reached}
    return sorted(claim for claims in pairs.values() for claim in claims)


def focus_pairs(pairs: Iterable[tuple[str, str]], focus: str, depth: int) -> set[tuple[str, str]]:
    """The holder→target pairs with an end fewer than ``depth`` links from ``focus``.

    >>> sorted(focus_pairs([("a", "b"), ("c", "b"), ("c", "d"), ("e", "f")], "a", 2))
    [('a', 'b'), ('c', 'b')]
    """
    pairs = list(pairs)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for holder, target in pairs:
        neighbours[holder].add(target)
        neighbours[target].add(holder)
    distance = distances(neighbours, focus, depth)
    return {(h, t) for h, t in pairs if h in distance and t in distance and min(distance[h], distance[t]) < depth}


def distances(neighbours: Mapping[str, Iterable[str]], start: str, limit: int) -> dict[str, int]:
    """Breadth-first distance from ``start`` of every node at most ``limit`` links away."""
    if start not in neighbours:
        return {}
    found = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if found[node] == limit:
            continue
        for other in sorted(neighbours[node]):
            if other not in found:
                found[other] = found[node] + 1
                queue.append(other)
    return found


def select(graph: nx.MultiDiGraph, selection: Selection) -> nx.MultiDiGraph:
    """The subgraph a view shows: the selected claims, their holders, targets, articles,
    topics and actions, and the relationships among those nodes (a new graph, in sorted order)."""
    import networkx as nx

    claims = select_claims(graph, selection)
    keep = set(claims)
    for claim in claims:
        keep.update(graph.successors(claim))  # target, article, topic, actions
        keep.update(graph.predecessors(claim))  # holder
    subgraph = nx.MultiDiGraph()
    for node in sorted(keep):
        subgraph.add_node(node, **graph.nodes[node])
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        if source in keep and target in keep:
            subgraph.add_edge(source, target, key=key, **data)
    return subgraph


# ---------------------------------------------------------------- names


def resolve_entity(name: str, graph: nx.MultiDiGraph, catalogue=None) -> str:
    """The entity node meant by ``name``: its node id, canonical name or any alias, in any
    script or case (the graph's own names and aliases, then the catalogue's lookup).

    Raises :class:`UnknownEntity` with the closest names when nothing matches. The node
    returned may be absent from ``graph`` (a catalogue entity nobody spoke of).
    """
    text = name.strip()
    if text in graph and graph.nodes[text].get("label") not in schema.NOT_ENTITIES:
        return text
    if schema.entity_id(text) in graph:
        return schema.entity_id(text)
    key = _key(text)
    for node in entity_nodes(graph):
        if key and key in {_key(alias) for alias in _names(graph, node)}:
            return node
    entity = catalogue.lookup(text) if catalogue is not None and text else None
    if entity is not None:
        return schema.entity_id(entity.name)
    raise UnknownEntity(text, close_matches(text, _alias_table(graph, catalogue)))


def resolve_topic(name: str, graph: nx.MultiDiGraph, catalogue=None) -> str:
    """The topic name meant by ``name``: a topic of the graph's claims, or a catalogue alias."""
    topics = sorted({str(graph.nodes[c]["topic"]) for c in claim_nodes(graph) if graph.nodes[c].get("topic")})
    key = _key(name.strip())
    for topic in topics:
        if _key(topic) == key:
            return topic
    entity = catalogue.lookup(name.strip()) if catalogue is not None and name.strip() else None
    if entity is not None:
        return entity.name
    table = _alias_table(graph, catalogue)
    for topic in topics:
        table.setdefault(_key(topic), topic)
    raise UnknownEntity(name.strip(), close_matches(name.strip(), table), what="topic")


def close_matches(name: str, table: Mapping[str, str], limit: int = SUGGESTIONS) -> list[str]:
    """Canonical names whose aliases contain, or are spelled like, ``name`` (best first).

    ``table`` maps folded, lower-cased aliases to canonical names.

    >>> close_matches("nvidea", {"nvidia": "Nvidia", "英伟达": "Nvidia", "amd": "AMD"})
    ['Nvidia']
    """
    key = _key(name)
    if not key:
        return []
    found: list[str] = []
    contained = [alias for alias in table if len(key) >= 2 and (key in alias or (len(alias) >= 2 and alias in key))]
    for alias in sorted(contained, key=lambda a: (abs(len(a) - len(key)), a)):
        found.append(table[alias])
    for alias in difflib.get_close_matches(key, list(table), n=limit * 3, cutoff=0.6):
        found.append(table[alias])
    return list(dict.fromkeys(found))[:limit]


def _names(graph: nx.MultiDiGraph, node: str) -> list[str]:
    data = graph.nodes[node]
    return [str(data.get("name") or node.removeprefix("entity:")), *map(str, data.get("aliases") or ())]


def _alias_table(graph: nx.MultiDiGraph, catalogue=None) -> dict[str, str]:
    """Folded, lower-cased alias → canonical name, for the graph's entities and the catalogue's."""
    table: dict[str, str] = {}
    for node in entity_nodes(graph):
        names = _names(graph, node)
        for alias in names:
            table.setdefault(_key(alias), names[0])
    for entity in (catalogue.entities.values() if catalogue is not None else ()):
        for alias in (entity.name, *entity.aliases):
            table.setdefault(_key(alias), entity.name)
    table.pop("", None)
    return table


def _key(text: str) -> str:
    return fold(text).strip().lower()


def entity_name(graph: nx.MultiDiGraph, node: str) -> str:
    """The display name of an entity node (its canonical name)."""
    return _names(graph, node)[0] if node in graph else node.removeprefix("entity:")


# ---------------------------------------------------------------- from the options


class RequestError(ValueError):
    """A view that cannot be made as asked; the message starts with the option (``--from ...``)."""


@dataclass(frozen=True)
class Request:
    """A view as ``kg view``'s options ask for it: entities and topics by any name, as typed,
    dates as text. :meth:`checked` tests what needs no graph, :func:`resolve` the rest."""

    focus: str | None = None
    depth: int = 1
    holders: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    langs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    min_claims: int = 1

    @property
    def names(self) -> bool:
        """Whether it names entities or topics (to resolve, perhaps with the catalogue)."""
        return bool(self.focus or self.holders or self.targets or self.topics)

    def checked(self) -> Request:
        """The same request with its dates as YYYY-MM-DD, or :class:`RequestError`.

        >>> Request(date_from=" 2025-03-01").checked().date_from
        '2025-03-01'
        >>> Request(date_from="2025-03-02", date_to="2025-03-01").checked()
        Traceback (most recent call last):
        kg.views.RequestError: --from 2025-03-02 is after --to 2025-03-01
        """
        if self.focus is None and self.depth != 1:
            raise RequestError("--depth needs --focus")
        first, last = _day(self.date_from, "--from"), _day(self.date_to, "--to")
        if first and last and first > last:
            raise RequestError(f"--from {first} is after --to {last}")
        return replace(self, date_from=first, date_to=last, langs=tuple(dict.fromkeys(map(_language, self.langs))))


def _language(tag: str) -> str:
    """One of kg's languages for a BCP 47 tag as articles declare them (zh-CN, zh-HK, en-US).

    >>> _language("zh-CN"), _language("zh-TW"), _language("zh-Hant"), _language("EN")
    ('zh-Hans', 'zh-Hant', 'zh-Hant', 'en')
    """
    from kg.sources.lang import language_from_tag

    found = language_from_tag(tag)
    if found is None:
        raise RequestError(
            f"--lang {tag!r} is not a language kg reads: {', '.join(LANGUAGES)}, or a tag such as zh-CN, zh-TW, zh-HK, en-US"
        )
    return found


def _day(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text.strip()).isoformat()
    except ValueError as error:
        raise RequestError(f"{option} {text!r} is not a date: use YYYY-MM-DD") from error


def resolve(
    request: Request, graph: nx.MultiDiGraph, catalogue=None, source: str = "the graph"
) -> tuple[Selection, dict[str, str]]:
    """The :class:`Selection` a checked request means in ``graph``, and what was typed for
    each entity it names (for :func:`describe`). An unknown name is a :class:`RequestError`
    with the option and the closest names; so is a focus of whom ``source`` holds no claims."""
    typed: dict[str, str] = {}

    def entity(name: str, option: str) -> str:
        try:
            node = resolve_entity(name, graph, catalogue)
        except UnknownEntity as error:
            raise RequestError(f"{option}: {error}") from error
        typed.setdefault(node, name)
        return node

    focus = entity(request.focus, "--focus") if request.focus else None
    if focus is not None and focus not in graph:
        raise RequestError(f"--focus: {request.focus} is {entity_name(graph, focus)}, of whom {source} holds no claims")
    try:
        topics = frozenset(resolve_topic(t, graph, catalogue) for t in request.topics)
    except UnknownEntity as error:
        raise RequestError(f"--topic: {error}") from error
    selection = Selection(
        focus=focus,
        depth=request.depth,
        holders=frozenset(entity(h, "--holder") for h in request.holders),
        targets=frozenset(entity(t, "--target") for t in request.targets),
        stances=frozenset(request.stances),
        date_from=request.date_from,
        date_to=request.date_to,
        langs=frozenset(request.langs),
        topics=topics,
        min_claims=request.min_claims,
    )
    return selection, typed


# ---------------------------------------------------------------- describing


def corpus_summary(graph: nx.MultiDiGraph) -> str:
    """What the graph was built from: articles, folder, date span, claims.

    >>> import networkx as nx
    >>> corpus_summary(nx.MultiDiGraph())
    'no articles, 0 claims'
    """
    articles = sorted(n for n, d in graph.nodes(data=True) if d.get("label") == schema.ARTICLE)
    claims = len(claim_nodes(graph))
    if not articles:
        return f"no articles, {claims} claim{'s' * (claims != 1)}"
    folders = sorted({os.path.dirname(str(graph.nodes[a].get("file") or "")) for a in articles} - {""})
    where = f" in {shown_path(_common_folder(folders))}" if folders else ""
    dates = sorted(str(graph.nodes[a].get("date"))[:10] for a in articles if graph.nodes[a].get("date"))
    span = f", {date_span(dates)}" if dates else ", undated"
    return f"{len(articles)} article{'s' * (len(articles) != 1)}{where}{span}, {claims} claim{'s' * (claims != 1)}"


def shown_summary(graph: nx.MultiDiGraph) -> str:
    """What a selected graph shows: claims, links, entities, date span."""
    claims = claim_nodes(graph)
    pairs = {(holder_of(graph, c), target_of(graph, c)) for c in claims}
    entities = {end for pair in pairs for end in pair}
    dates = sorted(d for d in (claim_date(graph, c) for c in claims) if d)
    text = (
        f"{len(claims)} claim{'s' * (len(claims) != 1)} on {len(pairs)} link{'s' * (len(pairs) != 1)} "
        f"between {len(entities)} holders and targets"
    )
    return text + (f", {date_span(dates)}" if dates else "")


def date_span(dates: list[str]) -> str:
    """'2025-01-06 to 2025-06-13' (or the one date) for sorted dates."""
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def shown_path(path: str | os.PathLike) -> str:
    """A path as a page shows it: relative as given, or relative to the current folder, or
    else its last folder only, so a page never shows where it was made on this machine.

    >>> shown_path("examples/corpus"), shown_path("/srv/kg/news")
    ('examples/corpus', '…/news')
    """
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    here = os.getcwd()
    if here != os.sep and os.path.commonpath([here, text]) == here:
        return os.path.relpath(text, here)
    return "…/" + (os.path.basename(text.rstrip(os.sep)) or "")


def _common_folder(folders: list[str]) -> str:
    try:
        return os.path.commonpath(folders) or folders[0]
    except ValueError:  # absolute and relative mixed
        return folders[0]


def describe(selection: Selection, graph: nx.MultiDiGraph, typed: Mapping[str, str] | None = None) -> list[str]:
    """The filters a selection applies, in words, one item each (empty: the whole graph).

    ``typed`` maps node ids to what the user typed, shown beside the canonical name.
    """
    typed = typed or {}

    def name(node: str) -> str:
        canonical = entity_name(graph, node)
        given = typed.get(node)
        return f"{canonical} ({given})" if given and given != canonical else canonical

    items = []
    if selection.focus is not None:
        items.append(f"focus {name(selection.focus)}, depth {selection.depth}")
    if selection.holders:
        items.append("holder " + " or ".join(sorted(map(name, selection.holders))))
    if selection.targets:
        items.append("target " + " or ".join(sorted(map(name, selection.targets))))
    if selection.stances:
        items.append("stance " + " or ".join(s for s in STANCES if s in selection.stances))
    if selection.dated:
        items.append(f"dates {selection.date_from or '…'} to {selection.date_to or '…'}")
    if selection.langs:
        items.append("language " + " or ".join(sorted(selection.langs)))
    if selection.topics:
        items.append("topic " + " or ".join(sorted(selection.topics)))
    if selection.min_claims > 1:
        items.append(f"at least {selection.min_claims} claims per link")
    return items

