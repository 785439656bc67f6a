"""People English news names in relation to something said before: by surname, with who
they are only then ("Kenji Moriyama has spent the year …" then "…," said Moriyama, a senior
fund manager at Sumitomo Mitsui Trust Asset Management: the person of the full name before);
by an interview's answer labels ("Marsh: Power."); with a firm found by its suffix ("Jane Roe
of Bluefin Asset Management").

>>> from kg.extract.catalogue import Catalogue
>>> text = 'Jane Roe has been selling. "Chips are dear," said Roe, a fund manager at Bluefin Capital.'
>>> [(e.name, e.type, e.affiliation, e.role) for e in second_references(text, Catalogue([]))]
[('Bluefin Capital', 'Institution', None, None), ('Jane Roe', 'Person', 'Bluefin Capital', None)]
"""

from __future__ import annotations

import re

from kg.extract.catalogue import Catalogue
from kg.extract.discover_en import firm_entity
from kg.extract.names import COMMON_FIRST_WORDS, NOT_NAMES, PERSON
from kg.extract.windows import inside, person_aliases, windowed
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


_LABEL = re.compile(r"(?m)^([A-Z][a-z\u00DF-\u024F]+):\s")
_NOT_LABELS = frozenset("Question Answer Note Source Update Editor Reporter Interviewer Moderator Disclosure".split())


def interviewed(text: str, catalogue: Catalogue, taken) -> list[Entity]:
    """The person an interview's answer lines are labelled with ("Marsh: Power."), by the
    full name the article introduced them with ("Elena Marsh has spent …"): they speak for
    themselves."""
    if ":" not in text:
        return []
    labels = [m.group(1) for m in _LABEL.finditer(text)]
    found = []
    for label in {l for l in labels if labels.count(l) >= 2 and l not in _NOT_LABELS}:
        if catalogue.lookup(label) is not None:
            continue
        full = re.search(rf"\b([A-Z][a-z\u00DF-\u024F]+\s{label})\b", text)
        if full is not None and not inside(full.start(1), taken) and full.group(1).split()[0] not in NOT_NAMES:
            found.append(Entity(full.group(1), "Person", (full.group(1), label), discovered=True))
    return found


_PERSON_OF = re.compile(rf"({PERSON})\sof\s$")
_POSSESSED_PERSON = re.compile(rf"['’]s\s({PERSON})\b")
# A firm whose name says it researches or trades securities: its people are analysts; one whose
# name says it manages money: its people invest (a "Capital" or "Partners" may be either).
_RESEARCH_SUFFIX = re.compile(r"\s(?:Research|Securities|Capital Markets|Equity Research|Investment Research|Investment Bank)$")
_MANAGER_SUFFIX = re.compile(r"\s(?:Asset Management|Investment Management|Capital Management|Global Investors|Investors|"
                             r"Wealth Management|Wealth|Advisors|Advisers|Funds)$")


def people_of_firms(text: str, catalogue: Catalogue, firms: dict[str, str]) -> list[Entity]:
    """The people of firms found by their suffix: "Jane Roe of Bluefin Asset Management",
    "Bluefin Asset Management's Jane Roe". Of a research firm or broker she is an analyst; of
    a fund or an asset manager she speaks for herself; of a firm whose name does not say
    which, the firm speaks. ``firms``: each firm's name as written → the firm's name.

    >>> firms = {"Bluefin Asset Management": "Bluefin Asset Management"}
    >>> [(e.name, e.affiliation, e.role) for e in people_of_firms("Jane Roe of Bluefin Asset Management said", Catalogue([]), firms)]
    [('Jane Roe', 'Bluefin Asset Management', None)]
    """
    found = []
    for written, firm in firms.items():
        role = "analyst" if _RESEARCH_SUFFIX.search(written) else None
        if role is None and not _MANAGER_SUFFIX.search(written):
            continue
        start = text.find(written)
        while start >= 0:
            named = _PERSON_OF.search(text, max(0, start - 40), start) or _POSSESSED_PERSON.match(text, start + len(written))
            person = named.group(1) if named else ""
            if person and person.split()[0] not in NOT_NAMES and person.split()[0].lower() not in COMMON_FIRST_WORDS \
                    and catalogue.lookup(person) is None:
                found.append(Entity(person, "Person", person_aliases(person), affiliation=firm, role=role, discovered=True))
            start = text.find(written, start + len(written))
    return found
