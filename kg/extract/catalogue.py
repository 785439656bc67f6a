"""The entity catalogue: who and what can be a holder or a target, under all its names.

The catalogue ships as ``kg/extract/data/entities/*.yaml``, one file per population
(banks, Chinese brokers, index constituents, …); users add their own files in the same
format. Mentions are found with one Aho-Corasick automaton over every alias,
leftmost-longest, on the folded text (see :mod:`kg.extract.fold`), so 瑞銀 and 瑞银,
ＵＢＳ and UBS are one alias.

>>> catalogue = Catalogue([Entity("UBS", "Institution", ("UBS", "瑞银"))])
>>> [(m.entity.name, m.start, m.end) for m in catalogue.mentions("瑞銀認為")]
[('UBS', 0, 2)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import ahocorasick_rs
import yaml

from kg.extract.fold import fold
from kg.model import Entity, Mention

ENTITY_TYPES = ("Institution", "Person", "Company", "Product", "Index", "Sector")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]")
# "(NASDAQ:NVDA)": an exchange labelling a ticker, not the index being discussed.
_EXCHANGE_PREFIX = re.compile(r":(?:[A-Z]{1,5}|[0-9]{4,6})\b")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used, with the file and entry at fault."""


def _variants(alias: str) -> set[str]:
    """Spellings news text uses for one Latin alias: 'DeepSeek-R1' is also 'DeepSeekR1'."""
    folded = fold(alias)
    found = {folded}
    if _LATIN_WORD.search(folded):
        for joined in (folded.replace(" ", ""), folded.replace("-", ""), folded.replace("-", " ")):
            found.add(joined)
        found.add(folded.replace(" ", "").replace("-", ""))
    return {v for v in found if v.strip()}


# The characters that are ASCII and alphabetic (one set lookup for c.isascii() and c.isalpha()).
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def stands_alone(text: str, start: int, end: int) -> bool:
    """A Latin alias must not be part of a longer word: 'Meta' is not in 'metaverse'."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if text[start] in _ASCII_LETTERS and before in _ASCII_LETTERS:
        return False
    last = text[end - 1]
    if last in _ASCII_LETTERS and after in _ASCII_LETTERS:
        return False
    if last.isdigit() and (after.isdigit() or (after == "." and text[end + 1 : end + 2].isdigit())):
        return False
    return True


# A capitalised word or two and a company's legal form after a one-word alias: a longer name.
_LONGER_NAME = re.compile(r" [A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+)?,? (?:Inc|Corp|Corporation|Ltd|Limited|Co|PLC|plc|AG|SE|NV|SA|Holdings)\b")
_TICKER = re.compile(r"^(?:[A-Z]+\s*:\s*)?([A-Z0-9]{1,6}(?:\.[A-Z])?)(?:[.\-](HK|SH|SZ|SS|TW|TWO|KS|KQ|T|AS|L|PA|DE))?$")


def ticker_keys(ticker: str) -> tuple[str, ...]:
    """Lookup keys of a ticker: its symbol with market, and a bare number without leading
    zeros (HK codes are written 700, 0700 and 00700).

    >>> ticker_keys("00700.HK"), ticker_keys("NASDAQ:NVDA")
    (('700.HK', '700'), ('NVDA',))
    """
    match = _TICKER.match(ticker.strip().upper())
    if not match:
        return ()
    symbol, market = match.groups()
    if symbol.isdigit():
        symbol = symbol.lstrip("0") or "0"
        market = {"SS": "SH"}.get(market or "", market)
        return (f"{symbol}.{market}", symbol) if market else (symbol,)
    return (symbol,)


class Catalogue:
    """Entities by canonical name and a matcher over all their aliases."""

    def __init__(self, entities: Iterable[Entity], not_names: Iterable[str] = ()):
        self.entities: dict[str, Entity] = {}
        for entity in entities:
            self.entities[entity.name] = entity
        self._by_alias: dict[str, Entity] = {}
        for entity in self.entities.values():
            for alias in (entity.name, *entity.aliases):
                for variant in _variants(alias):
                    # A later entity takes over a shared spelling: user files load last.
                    self._by_alias[variant] = entity
        self._by_ticker: dict[str, Entity | None] = {}
        for entity in self.entities.values():
            for ticker in entity.tickers:
                for key in ticker_keys(ticker):
                    # A symbol two entities share (a bare number listed in two markets) names neither.
                    self._by_ticker[key] = entity if self._by_ticker.get(key, entity) is entity else None
        self._by_lowered: dict[str, Entity] = {}
        for alias, entity in self._by_alias.items():
            self._by_lowered.setdefault(alias.lower(), entity)
        # Words that swallow a name ("旧金山" holds 金山) match as themselves and name nothing.
        self._shadows = {fold(word) for word in not_names} - set(self._by_alias)
        self._patterns = [*self._by_alias, *sorted(self._shadows)]
        self._matcher = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        # By pattern, what a match of it names (None for a shadow) and whether it is a
        # Latin word at either end, to be checked against the letters around it.
        self._named = [self._by_alias.get(pattern) for pattern in self._patterns]
        self._latin_edge = [bool(_LATIN_WORD.match(p[0]) or _LATIN_WORD.match(p[-1])) for p in self._patterns]

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, name: str) -> bool:
        return name in self.entities

    def get(self, name: str) -> Entity | None:
        return self.entities.get(name)

    def lookup(self, name_or_alias: str) -> Entity | None:
        """The entity a user means by any of its names, in any script or case."""
        if name_or_alias in self.entities:
            return self.entities[name_or_alias]
        folded = fold(name_or_alias.strip())
        if folded in self._by_alias:
            return self._by_alias[folded]
        return self._by_lowered.get(folded.lower())

    def by_ticker(self, ticker: str) -> Entity | None:
        """The entity listed under a ticker as news writes it: "NVDA", "00700.HK", "0700-HK", "2330"."""
        keys = ticker_keys(ticker)
        return self._by_ticker.get(keys[0]) if keys else None

    def mentions(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every catalogue entity named in ``text``, in order, longest name first."""
        folded = fold(text) if folded is None else folded
        found = []
        named, latin_edge = self._named, self._latin_edge
        # a match is its pattern exactly (the matcher minds case): its ends are the pattern's
        for index, start, end in self._matcher.find_matches_as_indexes(folded, overlapping=False):
            if latin_edge[index]:
                if not stands_alone(folded, start, end) or (folded[end : end + 1] == ":" and _EXCHANGE_PREFIX.match(folded, end)):
                    continue
                if folded[end : end + 1] == " " and _LONGER_NAME.match(folded, end) and " " not in folded[start:end]:
                    continue  # "Northland Power Inc." is no "Northland": the word opens another company's name
            entity = named[index]
            if entity is not None:
                found.append(Mention.of(entity, start, end, text[start:end]))
        return found


def _entity_from_entry(entry: object, source: str) -> Entity:
    if not isinstance(entry, dict) or "name" not in entry or "type" not in entry:
        raise CatalogueError(f"{source}: each entry needs at least 'name' and 'type': {entry!r}")
    if entry["type"] not in ENTITY_TYPES:
        raise CatalogueError(
            f"{source}: {entry['name']!r} has type {entry['type']!r}; use one of {', '.join(ENTITY_TYPES)}"
        )
    return Entity(
        name=str(entry["name"]),
        type=entry["type"],
        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
        tickers=tuple(str(t) for t in entry.get("tickers") or ()),
        parent=entry.get("parent") or None,
        affiliation=entry.get("affiliation") or None,
        role=_role(entry, source),
    )


def _role(entry: dict, source: str) -> str | None:
    role = entry.get("role") or None
    if role not in (None, "analyst"):
        raise CatalogueError(f"{source}: {entry['name']!r} has role {role!r}; the only role is 'analyst'")
    return role


def read_entities(path: Path | str, text: str | None = None) -> list[Entity]:
    """Entities from one catalogue YAML file (a list of entries)."""
    source = str(path)
    try:
        data = yaml.load(text if text is not None else Path(path).read_text("utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(f"{source}: cannot read catalogue: {error}") from error
    if not isinstance(data, list):
        raise CatalogueError(f"{source}: a catalogue file is a YAML list of entities")
    return [_entity_from_entry(entry, source) for entry in data]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def builtin_files() -> list:
    """The built-in catalogue's files, in the order they load."""
    folder = resources.files("kg.extract").joinpath("data/entities")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def builtin_not_names() -> list[str]:
    """Words that contain a name but name no entity (``data/not-names.yaml``)."""
    text = resources.files("kg.extract").joinpath("data/not-names.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    return [str(word) for words in data.values() for word in words]


def builtin_entities() -> list[Entity]:
    """Every built-in entity; a name defined twice is a mistake in the shipped data."""
    entities: dict[str, Entity] = {}
    for file in builtin_files():
        source = f"kg/extract/data/entities/{file.name}"
        for entity in read_entities(source, file.read_text("utf-8")):
            if entity.name in entities:
                raise CatalogueError(f"{source}: {entity.name!r} is defined twice in the built-in catalogue")
            entities[entity.name] = entity
    return list(entities.values())


def load_catalogue(extra_files: Iterable[Path | str] = ()) -> Catalogue:
    """The built-in catalogue plus the user's files; a user entry replaces a built-in one of the same name."""
    entities = {entity.name: entity for entity in builtin_entities()}
    for path in extra_files:
        for entity in read_entities(path):
            entities[entity.name] = entity
    catalogue = Catalogue(entities.values(), builtin_not_names())
    _check_references(catalogue)
    return catalogue


def _check_references(catalogue: Catalogue) -> None:
    for entity in catalogue.entities.values():
        for ref in (entity.parent, entity.affiliation):
            if ref and ref not in catalogue:
                raise CatalogueError(f"{entity.name!r} refers to {ref!r}, which is not in the catalogue")
