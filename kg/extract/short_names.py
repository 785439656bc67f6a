"""The shorter names an article uses again for entities it named in full: a person's
surname ("Rasgon said"), a company's first word ("Lam's sales", "Furukawa was the cheaper
way"). Each is the same entity under that name, for this article only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kg.extract.catalogue import Catalogue
from kg.extract.fold import latin
from kg.extract.names import COMMON_FIRST_WORDS, name_word
from kg.model import Entity, Mention


def surnames(mentions: Iterable[Mention]) -> list[Entity]:
    """Catalogue persons named in full ("Stacy Rasgon") whom the article then names by
    surname ("Rasgon said"): the same entity under its surname, for this article only."""
    found: dict[str, Entity] = {}
    for mention in mentions:
        words = mention.surface.split()
        if mention.entity.type == "Person" and latin(mention.surface) and len(words) >= 2:
            found.setdefault(mention.entity.name, replace(mention.entity, aliases=(words[-1],)))
    return list(found.values())


def company_short_names(mentions: Iterable[Mention], catalogue: Catalogue) -> list[Entity]:
    """Catalogue companies named in full ("Lam Research", "Furukawa Electric") whom the
    article then calls by their first word ("Lam's sales", "Furukawa was the cheaper way"):
    the same entity under that word, for this article only. The word must be a capitalised
    name of four letters or more, no common word ("Applied", "Advanced") and no other
    entity's name."""
    found: dict[str, Entity] = {}
    for mention in mentions:
        entity = mention.entity
        if entity.type != "Company" or entity.name in found or not latin(mention.surface):
            continue
        words = mention.surface.split()
        first = words[0] if len(words) >= 2 else ""
        if name_word(first, _COMMON_WORDS) and catalogue.lookup(first) is None:
            found[entity.name] = replace(entity, aliases=(first,))
    return list(found.values())


# Capitalised words that open companies' names and stand alone in text as plain words.
_COMMON_WORDS = COMMON_FIRST_WORDS | frozenset(
    "applied advanced micro digital data network networks semiconductor systems technology technologies "
    "tech software cloud power energy electric electronics solutions intelligent super smart united "
    "taiwan japan korea hong kong shanghai shenzhen beijing tokyo texas arm meta palo".split())
