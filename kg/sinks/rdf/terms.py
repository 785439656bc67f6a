"""RDF terms from the graph's values: IRIs from canonical ids under a base, names as
literals tagged with the script they are written in, dates and numbers as typed literals,
and :class:`Subject`, one subject with all its triples.

Every maker is cached where values repeat (a vocabulary IRI on every subject, a name on
every claim that mentions it): over a large export the terms are most of the work.

>>> path_segment("S&P 500"), label_languages("瑞銀")
('S%26P%20500', ('zh-Hant',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from kg.sinks.rdf.vocabulary import DEFAULT_BASE, XSD

Term = NamedNode | Literal


@lru_cache(maxsize=65536)
def named(iri_: str) -> NamedNode:
    """The pyoxigraph term of an IRI (cached: vocabulary IRIs repeat on every subject)."""
    return NamedNode(iri_)


@dataclass(slots=True)
class Subject:
    """One subject with all its triples: ``props`` maps a predicate to its objects, in order."""

    node: NamedNode
    props: dict[NamedNode, list[Term]] = field(default_factory=dict)

    def add(self, predicate: str, *objects: str | Term | None) -> None:
        """Add objects (an IRI as ``str`` or a term; ``None`` is skipped) under ``predicate``."""
        values = [named(o) if type(o) is str else o for o in objects if o is not None]
        if values:
            self.props.setdefault(named(predicate), []).extend(values)

    def __len__(self) -> int:
        return sum(len(objects) for objects in self.props.values())


# --- IRIs -----------------------------------------------------------------------------

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_base(base: str) -> str:
    """The base IRI, checked: absolute, ending in / or #, nothing Turtle cannot hold."""
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", base) or _BAD_IRI_CHARS.search(base):
        raise ValueError(f"base IRI {base!r} is not an absolute IRI")
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end with / or #")
    return base


def iri(node_id: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a graph node by its canonical id ("kind:rest")."""
    kind, sep, rest = node_id.partition(":")
    if not sep or not kind:
        raise ValueError(f"{node_id!r} is not a canonical id (kind:rest)")
    return f"{base}{kind}/{path_segment(rest)}"


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def path_segment(text: str) -> str:
    """``text`` percent-encoded as one path segment (nothing but unreserved characters kept)."""
    return text if _UNRESERVED.fullmatch(text) else quote(text, safe="")


# --- Language tags ----------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Latin letters, digits, punctuation and symbols: a name with nothing else is tagged en.
_NOT_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]")


@lru_cache(maxsize=2)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def label_languages(text: str) -> tuple[str, ...]:
    """The language tags a name is written in: ``("en",)``, ``("zh-Hans",)``, ``("zh-Hant",)``,
    both Chinese tags for a name that is the same in either script (百度), or ``()`` for
    a script we do not tag.

    Simplified or Traditional is told per character with OpenCC: a character t2s changes
    is Traditional, one s2t changes is Simplified; the larger count wins, a tie is zh-Hans.

    >>> [label_languages(n) for n in ("UBS", "瑞银", "瑞銀", "高盛", "台積電")]
    [('en',), ('zh-Hans',), ('zh-Hant',), ('zh-Hans', 'zh-Hant'), ('zh-Hant',)]
    """
    han = _HAN.findall(text)
    if not han:
        return () if _NOT_LATIN.search(text) else ("en",)
    joined = "\n".join(han)  # one character a line: no phrase rules across neighbours
    traditional = sum(a != b for a, b in zip(han, _opencc("t2s").convert(joined).split("\n")))
    simplified = sum(a != b for a, b in zip(han, _opencc("s2t").convert(joined).split("\n")))
    if traditional == simplified == 0:
        return ("zh-Hans", "zh-Hant")
    return ("zh-Hant",) if traditional > simplified else ("zh-Hans",)


@lru_cache(maxsize=65536)
def name_literals(text: str | None) -> tuple[Literal, ...]:
    if not text:
        return ()
    return tuple(Literal(text, language=lang) for lang in label_languages(text)) or (Literal(text),)


@lru_cache(maxsize=256)
def language_tag(tag: object) -> str | None:
    """``tag`` if it is a well-formed BCP 47 language tag, else None. An article whose
    language is not one (``zh_CN``) has its title and evidence tagged by their script, as
    an article without a language does, rather than failing the export."""
    if not tag or not isinstance(tag, str):
        return None
    try:
        Literal("", language=tag)
    except ValueError:
        return None
    return tag


# --- Literals -----------------------------------------------------------------------------

_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
XSD_DATE, XSD_DATETIME = NamedNode(XSD + "date"), NamedNode(XSD + "dateTime")
XSD_INTEGER, XSD_DECIMAL = NamedNode(XSD + "integer"), NamedNode(XSD + "decimal")
XSD_ANYURI = NamedNode(XSD + "anyURI")


@lru_cache(maxsize=65536)
def date_literal(value: object) -> Literal | None:
    """An ISO date or date-time as xsd:date / xsd:dateTime; anything else stays a plain
    string, which the shapes then report."""
    if value is None or value == "":
        return None
    text = str(value)
    if _DATE.fullmatch(text):
        return Literal(text, datatype=XSD_DATE)
    if _DATETIME.fullmatch(text):
        return Literal(text, datatype=XSD_DATETIME)
    return Literal(text)


def integer_literal(value: object) -> Literal | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Literal(str(value), datatype=XSD_INTEGER)
    return Literal(str(value))  # not an integer: kept as found, for the shapes to report


@lru_cache(maxsize=4096)
def decimal_literal(value: object) -> Literal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return Literal(str(value))
    if not number.is_finite():
        return None
    text = format(number, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD_DECIMAL)
