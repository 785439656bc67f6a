"""Names the catalogue does not know, recognised from the language around them.

News names far more brokers, research shops, analysts and listed companies than any
catalogue holds. The words around a name say what it is: "analysts at X", "X analyst
Y", "Y, an analyst at X", "X Research / Securities / Capital", "X证券 / X研究 / X资本 /
X基金 / X投顾", "X分析师Y", a ticker in brackets after a company ("X (NVDA)", "X（00981.HK）").
Each such name becomes a provisional entity of the article (``discovered=True``), named
by the surface form the text gives, and is then found wherever the article repeats it
(an analyst also by surname). A catalogue entity always wins over a discovered one, so a
later catalogue entry takes the name over.

>>> from kg.extract.catalogue import Catalogue
>>> found = discover("Argus Research analyst Jane Roe said the stock looks cheap. Roe added more.", Catalogue([]))
>>> [(e.name, e.type, e.affiliation) for e in found]
[('Argus Research', 'Institution', None), ('Jane Roe', 'Person', 'Argus Research')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kg.extract.catalogue import Catalogue, stands_alone
from kg.extract import discover_en, discover_second
from kg.extract.discover_en import english
from kg.extract.discover_second import interviewed, people_of_firms, second_references
from kg.extract.discover_zh import chinese
from kg.extract.fold import latin
from kg.extract.windows import Spans, WordFinder
from kg.model import Entity, Mention

# The words English discovery finds by plain substring search, all found in one pass
_WORDS = WordFinder(discover_en.WORDS + discover_second.ANCHOR)


def discover(folded: str, catalogue: Catalogue, known: Iterable[Mention] = ()) -> list[Entity]:
    """The provisional entities an article's folded text introduces, in order of appearance."""
    found: dict[str, Entity] = {}
    known = list(known)
    taken = Spans((m.start, m.end) for m in known)
    words = _WORDS.places(folded)
    in_english = english(folded, catalogue, taken, words)
    firms = {m.surface: m.entity.name for m in known if m.entity.type == "Institution" and latin(m.surface)}
    firms.update((e.name, e.name) for e in in_english if e.type == "Institution")
    people = (second_references(folded, catalogue, words) + interviewed(folded, catalogue, taken)
              + (people_of_firms(folded, catalogue, firms) if firms else []))
    for entity in in_english + chinese(folded, catalogue, taken, known) + people:
        if entity.name in catalogue:
            continue
        kept = found.get(entity.name)
        if kept is None or kept.affiliation is None and entity.affiliation is not None and kept.type == entity.type:
            found[entity.name] = entity  # a person found twice keeps the record that says where they work
    return _short_names_merged(list(found.values()), known)


def _short_names_merged(entities: list[Entity], known: list[Mention]) -> list[Entity]:
    """A firm found by its short name ("Hana analyst Kim said") is the one named in full in
    the article ("Hana Securities"), found or catalogued: one firm, its people the full name's."""
    if not any(e.type == "Institution" for e in entities):
        return entities  # (most articles find no firm of their own)
    full = {alias: e.name for e in entities if e.type == "Institution" for alias in e.aliases if alias != e.name}
    for name in {m.entity.name for m in known if m.entity.type == "Institution"}:
        if short := discover_en.short_name(name):
            full.setdefault(short, name)
    if not full or not any(e.name in full or e.affiliation in full for e in entities):
        return entities
    return [replace(e, affiliation=full.get(e.affiliation, e.affiliation)) for e in entities
            if not (e.type == "Institution" and e.name in full)]


def as_written(entities: list[Entity], folded: str, prose: str) -> list[Entity]:
    """Discovered entities named as the article writes them: found in the folded text
    (Simplified), named by the original characters there ("郭子謙" in a Traditional
    article), their folded spellings kept as aliases to find them by."""
    renamed: dict[str, str] = {}
    for entity in entities:
        at = -1 if entity.name.isascii() else folded.find(entity.name)
        if at >= 0 and prose[at : at + len(entity.name)] != entity.name:
            renamed[entity.name] = prose[at : at + len(entity.name)]
    if not renamed:
        return entities
    return [
        replace(e, name=renamed.get(e.name, e.name), aliases=tuple(dict.fromkeys((*e.aliases, e.name))),
                affiliation=renamed.get(e.affiliation, e.affiliation))
        for e in entities
    ]


def names_over_themes(known: list[Mention], local: list[Mention]) -> list[Mention]:
    """The catalogue's mentions less the themes inside the name of a company found in the
    text, which :func:`local_mentions` lets over them ("Orbit Semiconductor")."""
    names = [(m.start, m.end) for m in local if m.entity.type == "Company"]
    if not names:
        return known
    return [m for m in known if m.entity.type != "Sector" or not any(s <= m.start and m.end <= e for s, e in names)]


def local_mentions(folded: str, entities: list[Entity], known: list[Mention]) -> list[Mention]:
    """Every place the article names one of its discovered entities, outside catalogue mentions."""
    taken = Spans((m.start, m.end) for m in known)
    # a company's name may hold a theme's word ("Orbit Semiconductor"): the name wins
    named = Spans((m.start, m.end) for m in known if m.entity.type != "Sector")
    found: list[Mention] = []
    for entity in entities:
        free = named.free if entity.type == "Company" else (lambda s, e: taken.free(s, e) and named.free(s, e))
        for alias in sorted(set(entity.aliases), key=len, reverse=True):
            start = folded.find(alias)
            while start >= 0:
                end = start + len(alias)
                if free(start, end) and (not alias[:1].isascii() or stands_alone(folded, start, end)):
                    found.append(Mention(entity, start, end, folded[start:end]))
                    if taken.free(start, end):
                        taken.add(start, end)  # (spans kept apart: not over the theme a name holds)
                    named.add(start, end)
                start = folded.find(alias, end)
    return sorted(found, key=lambda m: m.start)
