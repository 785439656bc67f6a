"""People English news introduces by full name first and says who they are only later,
by surname: "Kenji Moriyama has spent the year …" then "…," said Moriyama, a senior fund
manager at Sumitomo Mitsui Trust Asset Management. The role and the firm come with the
second reference; the person is the one of the full name before it.

>>> from kg.extract.catalogue import Catalogue
>>> text = 'Jane Roe has been selling. "Chips are dear," said Roe, a fund manager at Bluefin Capital.'
>>> [(e.name, e.type, e.affiliation, e.role) for e in second_references(text, Catalogue([]))]
[('Bluefin Capital', 'Institution', None, None), ('Jane Roe', 'Person', 'Bluefin Capital', None)]
"""

from __future__ import annotations

import re

from kg.extract.catalogue import Catalogue
from kg.extract.discover_en import COMMON_FIRST_WORDS, firm_entity
from kg.extract.windows import person_aliases, windowed
from kg.model import Entity

_SURNAME = r"[A-Z][a-z\u00DF-\u024F]+(?:-[A-Z]?[a-z]+)?"
_FIRM = r"[A-Z][\w&'’.\-]*(?:\s(?:of\s|and\s|&\s)?[A-Z][\w&'’.\-]*){0,4}"
_MANAGER = r"portfolio manager|fund manager|money manager|chief investment officer|investment officer|CIO|partner"
_ANALYST = r"analyst|strategist|economist"
_EXECUTIVE = r"chief executive(?: officer)?|CEO|chief financial officer|CFO|president|chairman|chairwoman|founder"
# A surname alone right after a word of saying or at a sentence's start, then who they are.
_SECOND_REFERENCE = re.compile(
    rf"(?:(?<=said\s)|(?<=says\s)|(?<=wrote\s)|(?<=added\s)|(?<=[.!?]\s)|(?<=^))({_SURNAME}),\s(?:an?\s|the\s)?"
    rf"(?:[a-z\-]+\s){{0,3}}?({_MANAGER}|{_ANALYST}|{_EXECUTIVE})\s(?:at|of|with)\s(?:the\s)?({_FIRM})",
    re.M)
ANCHOR = ("manager", "officer", "CIO", "partner", "analyst", "strategist", "economist", "executive", "CEO", "CFO",
          "president", "chairman", "chairwoman", "founder")


def second_references(text: str, catalogue: Catalogue, words: dict[str, list[int]] | None = None) -> list[Entity]:
    """The people the text names by surname with their role and firm, under the full name
    it gave them before (and the firm, if the catalogue lacks it). ``words``: where each
    word of :data:`ANCHOR` starts in the text, if already found (:class:`~kg.extract.windows.WordFinder`)."""
    found: list[Entity] = []
    for match in windowed(_SECOND_REFERENCE, ANCHOR, text, words=words):
        surname, role = match.group(1), match.group(2)
        firm = re.split(r"[.,;:](?:\s|$)", match.group(3))[0].rstrip("’'")  # up to the sentence's end: "… Capital. Her"
        full = _full_name(text, surname, match.start())
        if full is None or catalogue.lookup(full) is not None:
            continue
        known = catalogue.lookup(firm)
        if known is not None and known.type not in ("Institution", "Company"):
            continue
        if known is None:
            found.append(firm_entity(firm))
        kind = "analyst" if re.fullmatch(_ANALYST, role) else ("executive" if re.fullmatch(_EXECUTIVE, role) else None)
        found.append(Entity(full, "Person", person_aliases(full), affiliation=known.name if known else firm,
                            role=kind, discovered=True))
    return found


def _full_name(text: str, surname: str, before: int) -> str | None:
    """The full name the text gave the surname before ``before`` ("Kenji Moriyama"), if any."""
    names = re.findall(rf"\b([A-Z][a-z\u00DF-\u024F]+)\s{re.escape(surname)}\b", text[:before])
    given = [n for n in names if n.lower() not in COMMON_FIRST_WORDS]
    return f"{given[-1]} {surname}" if given else None
