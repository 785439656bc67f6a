"""Graph → view: the holder→target pairs of a claim graph, their claims, and the entities.

Everything the page shows of a claim is read here, once, in sorted order, so the same
graph always gives the same view whatever order its nodes were added in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.extract.catalogue import stands_alone
from kg.extract.fold import fold
from kg.views import article_of, claim_nodes, holder_of, target_of

if TYPE_CHECKING:
    import networkx as nx  # ~0.2 s to import: paid only where a graph object is made


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
    article: str = ""  # article node id, so the page lists each article once
    mark: tuple[int, int] | None = None  # where the evidence names the target


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
    """The holder→target pairs of a graph, with their claims, and the entities on them.

    A page of a big graph lists only some of a link's claims: ``totals`` then holds the
    stances of all of them (:mod:`kg.sinks.html.overview`), and ``notes`` what each says
    of the claims it leaves out."""

    entities: dict[str, EntityView] = field(default_factory=dict)
    pairs: dict[tuple[str, str], list[ClaimView]] = field(default_factory=dict)
    totals: dict[tuple[str, str], Counter] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)

    def mix(self, pair: tuple[str, str]) -> Counter:
        """The link's claims per stance: all of them, listed or not."""
        found = self.totals.get(pair)
        return found if found is not None else Counter(c.stance for c in self.pairs[pair])

    def count(self, pair: tuple[str, str]) -> int:
        """How many claims the link has, listed or not."""
        found = self.totals.get(pair)
        return sum(found.values()) if found is not None else len(self.pairs[pair])


def collect_view(graph: nx.MultiDiGraph) -> View:
    """Group the graph's claims by (holder node, target node), in sorted order."""
    view = View()
    pairs: dict[tuple[str, str], list[ClaimView]] = defaultdict(list)
    for node in claim_nodes(graph):
        claim = graph.nodes[node]
        holder, target = holder_of(graph, node), target_of(graph, node)
        _entity(view, graph, holder, claim.get("holder"), claim.get("holder_type")).made += 1
        target_view = _entity(view, graph, target, claim.get("target"), claim.get("target_type"))
        target_view.about += 1
        article = article_of(graph, node)
        pairs[holder, target].append(
            claim_view(claim, dict(graph.nodes[article]) if article else {}, article or "", target_view)
        )
    view.pairs = {pair: sorted(claims, key=lambda c: c.order) for pair, claims in sorted(pairs.items())}
    view.entities = dict(sorted(view.entities.items()))
    return view


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


def claim_view(claim: dict, article: dict, article_id: str = "", target: EntityView | None = None) -> ClaimView:
    """The displayed fields of one claim node and its article node."""
    date = str(claim.get("article_date") or article.get("date") or "")
    evidence = str(claim.get("evidence") or "")
    names = (target.name, *target.aliases) if target else (str(claim.get("target") or ""),)
    return ClaimView(
        stance=str(claim.get("stance") or "neutral"),
        assessment=str(claim.get("assessment") or ""),
        date=date[:10],
        evidence=evidence,
        article_title=str(article.get("title") or claim.get("article_file") or ""),
        outlet=str(article.get("outlet") or ""),
        url=str(article.get("url") or ""),
        order=(date, str(claim.get("article_id") or ""), int(claim.get("evidence_start") or 0)),
        article=article_id or str(claim.get("article_id") or ""),
        mark=name_span(evidence, names),
    )


def name_span(text: str, names: tuple[str, ...] | list[str]) -> tuple[int, int] | None:
    """Where ``text`` first names one of ``names`` (the longest name at that place), as
    offsets into ``text``; Traditional and full-width forms match, Latin names ignore case
    and must stand alone ('Meta' is not in 'metaverse').

    >>> name_span("輝達與英偉達", ["英伟达", "Nvidia"])
    (3, 6)
    >>> name_span("the metaverse and META", ["Meta"])
    (18, 22)
    """
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a character whose lower case is longer: match case
        lowered = folded
    best: tuple[int, int] | None = None
    for name in sorted(set(names)):
        needle = fold(name).strip().lower()
        if not needle:
            continue
        start = lowered.find(needle)
        while start != -1 and not stands_alone(lowered, start, start + len(needle)):
            start = lowered.find(needle, start + 1)
        if start != -1 and (best is None or (start, -len(needle)) < (best[0], best[0] - best[1])):
            best = (start, start + len(needle))
    return best


def search_names(entity: EntityView) -> list[str]:
    """Every name the page's search box finds an entity by: canonical name, aliases, and
    their Simplified / half-width forms, without repeats.

    >>> search_names(EntityView("entity:TSMC", "TSMC", "Company", ("台積電", "台积电")))
    ['TSMC', '台積電', '台积电']
    """
    names = [entity.name, *entity.aliases]
    return list(dict.fromkeys([*names, *(fold(n) for n in names)]))

