"""The records that flow through the pipeline: sources → extract → graph → sinks.

Every stage takes and returns these small frozen records, never loose dicts, so a
reader can follow one article from the file it came from to the claims drawn from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Literal

EntityType = Literal["Institution", "Person", "Company", "Product", "Index", "Sector"]
HolderType = Literal["Institution", "Person", "Group", "Unattributed"]
TargetType = Literal["Company", "Product", "Index", "Sector"]
Stance = Literal["positive", "negative", "neutral", "mixed"]
Language = Literal["zh-Hans", "zh-Hant", "en"]

STANCES: tuple[str, ...] = ("positive", "negative", "neutral", "mixed")
HOLDER_TYPES: tuple[str, ...] = ("Institution", "Person", "Group", "Unattributed")
TARGET_TYPES: tuple[str, ...] = ("Company", "Product", "Index", "Sector")


@dataclass(frozen=True)
class Article:
    """One news article as read from its source.

    ``body`` is the text exactly as read (after decoding and after the front matter);
    every offset in the project indexes it. ``prose`` has the same length as ``body``
    with non-prose (Markdown link targets, HTML comments, markup) blanked to spaces, so
    the extractor never reads a URL as a sentence yet its offsets stay valid on ``body``.
    """

    id: str
    path: str
    title: str
    date: str | None  # ISO 8601: "2025-02-11" or "2025-02-11T22:05:59"
    lang: Language
    url: str | None
    outlet: str | None
    body: str
    prose: str
    region: str | None = None  # the market it comes from: "HK", "TW", "CN", from its tag or URL

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.body):
            raise ValueError("prose must be the same length as body")


@dataclass(frozen=True)
class SourceError:
    """An item a source could not turn into an Article, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Entity:
    """A catalogue entry: one real-world actor or thing with all its names."""

    name: str  # canonical English name, the entity's id
    type: EntityType
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    parent: str | None = None  # Llama → Meta, AWS → Amazon
    affiliation: str | None = None  # a person's institution
    role: str | None = None  # "analyst": a person who speaks for their affiliation; "executive" (found in text): runs it
    discovered: bool = False  # recognised in an article's text, not from the catalogue


@dataclass(frozen=True)
class Mention:
    """A catalogue entity found in an article's text at ``[start, end)``."""

    entity: Entity
    start: int
    end: int
    surface: str

    @classmethod
    def of(cls, entity: Entity, start: int, end: int, surface: str) -> Mention:
        """``Mention(entity, start, end, surface)``, built without the dataclass __init__'s
        guarded setattr per field: the catalogue finds dozens in every article."""
        mention = _new(cls)
        _set(mention, "__dict__", {"entity": entity, "start": start, "end": end, "surface": surface})
        return mention

    def moved(self, offset: int) -> Mention:
        """The same mention with its offsets ``offset`` earlier (relative to a sentence),
        built without the dataclass __init__'s guarded setattr per field: the extractor
        moves every mention of an article into its sentence."""
        return Mention.of(self.entity, self.start - offset, self.end - offset, self.surface)


_new, _set = object.__new__, object.__setattr__  # how frozen records are built in bulk (see Mention.of)


ActionKind = Literal["upgrade", "downgrade", "initiate", "reiterate", "target_raised", "target_cut", "target_set"]
ACTIONS: tuple[str, ...] = ("upgrade", "downgrade", "initiate", "reiterate", "target_raised", "target_cut", "target_set")
RATING_ACTIONS: tuple[str, ...] = ("upgrade", "downgrade", "initiate", "reiterate")


@dataclass(frozen=True)
class Action:
    """An analyst action a claim's holder takes on its target in its evidence sentence:
    a rating (changed, started or kept) or a price target (raised, cut or set).

    ``rating`` is a standard English term (buy, overweight, hold, sell, …) and
    ``rating_class`` its side; ``price_target`` and ``previous_target`` are numbers as
    stated, ``currency`` an ISO code, or ``points`` for an index level.
    """

    action: ActionKind
    rating: str | None = None
    rating_class: Literal["positive", "neutral", "negative"] | None = None
    price_target: float | None = None
    previous_target: float | None = None
    currency: str | None = None

    def to_record(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _ACTION_FIELDS}


_ACTION_FIELDS = tuple(f.name for f in fields(Action))


@dataclass(frozen=True)
class Claim:
    """One view a holder expressed about a target, traceable to its sentence.

    The field names are the public record format: ``kg extract --format jsonl`` writes
    exactly these, in this order.
    """

    article_id: str
    article_file: str
    article_date: str | None
    holder: str
    holder_type: HolderType
    target: str
    target_type: TargetType
    stance: Stance
    assessment: str
    topic: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    extractor: str
    holder_person: str | None = None  # the analyst who spoke for an institution holder
    actions: tuple[Action, ...] = ()  # ratings and price targets the holder set on the target

    @cached_property
    def id(self) -> str:
        """Deterministic id: the same claim from the same text always gets the same id."""
        key = "\x1f".join(
            (self.article_id, self.holder, self.target, str(self.evidence_start), str(self.evidence_end))
        )
        return "claim:" + hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()

    def to_record(self) -> dict[str, object]:
        """The record's fields in order, as plain JSON values."""
        record = {name: getattr(self, name) for name in _CLAIM_FIELDS}
        record["actions"] = [action.to_record() for action in self.actions]
        return record

    @classmethod
    def of(cls, **values: object) -> Claim:
        """The claim ``Claim(**values)`` makes, every field given in order, built without
        the dataclass __init__'s guarded setattr per field (the extractor builds tens of
        thousands)."""
        if values.keys() != _CLAIM_FIELD_SET:
            raise TypeError(f"Claim.of needs exactly the fields {_CLAIM_FIELDS}")
        claim = _new(cls)
        _set(claim, "__dict__", values)
        return claim

    @classmethod
    def from_record(cls, record: dict[str, object]) -> Claim:
        """The claim a record (``to_record``, a line of claims.jsonl) describes."""
        actions = tuple(Action(**a) for a in record.get("actions") or ())  # type: ignore[arg-type]
        return cls(**{**record, "actions": actions})  # type: ignore[arg-type]


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
_CLAIM_FIELD_SET = frozenset(_CLAIM_FIELDS)


@dataclass(frozen=True)
class ArticleExtraction:
    """One article with what the extractor drew from it."""

    article: Article
    claims: tuple[Claim, ...]
    mentioned: tuple[str, ...]  # canonical names of the entities the article names, sorted
    discovered: tuple[Entity, ...] = ()  # names the catalogue lacks, recognised in the text
