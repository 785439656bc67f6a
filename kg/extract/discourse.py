"""What an article has established so far: who spoke, for whom, and about what.

Reading an article sentence by sentence, the extractor keeps:

- the holders named so far (the latest institution, person and company), so "该行",
  "the firm" and "he" find who they stand for, and "三家机构" / "both firms" the holders
  of the last sentence that named several;
- which firm each analyst speaks for ("Barclays analyst Jiong Shao" … "Shao said");
- the quotation being spoken and the holder of the paragraph, which carry to sentences
  that name no holder of their own;
- the company in focus (the one the title is about, else the one named most) and the
  companies the last sentence listed, which "the stock", "该股" and "these companies" mean.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from kg.extract.holders import KIND_OF_TYPE, Holder
from kg.model import Entity, Mention

_TARGET_TYPES = ("Company", "Product", "Index")
_tuple = tuple.__new__


def holder_of(entity: Entity, start: int = -1, end: int = -1) -> Holder:
    """The holder an entity makes when it speaks (an analyst's firm is resolved later)."""
    kind = "Person" if entity.type == "Person" else "Institution"
    # Holder(entity.name, kind, entity.type, start, end) built as a plain tuple: every
    # mention of every sentence makes one
    return _tuple(Holder, (entity.name, kind, entity.type, start, end, "explicit", None))


# Between a firm and an analyst's name: the analyst's title ("交银国际分析师洪灏", "Jefferies
# analyst Edison Lee", "Nomura's chief strategist X", "Jefferies analysts led by X") or only the possessive.
_TITLED_GAP = re.compile(
    r"(?:\s|'s|’s|'|’|的)*(?:[^,:;。!?]{0,16}?(?:analyst|strategist|economist|分析师|分析员|策略师|经济学家|经济师|研究员|主管|首席|总监)s?\s?"
    r"(?:led\sby\s|including\s)?)?",
    re.I,
)


# "国金证券则相对谨慎，该券商首席分析师樊志远表示": the firm named again by 该券商 before the title
_TITLED_AGAIN = re.compile(
    r"[^。;]{0,20}?,\s?该(?:券商|行|机构|所|投行|大行)[^,:;。]{0,12}?(?:分析师|策略师|经济学家|研究员|主管|首席|总监)\s?"
)
# Between an analyst's name and the firm after it: "Hong Hao, an analyst at Jefferies", "Hong Hao of Jefferies".
_TITLED_AT = re.compile(r"\s(?:of|at)\s|,\s(?:an?\s|the\s)?[^,:;]{0,24}?(?:analyst|strategist|economist)\s(?:at|with|for|from)\s", re.I)


def firms_named(text: str, mentions: list[Mention]) -> dict[str, str]:
    """The firm each catalogued analyst is named with in this article: the article's word
    beats the catalogue's, for analysts change firms."""
    found = {}
    for first, second in zip(mentions, mentions[1:]):
        if first.entity.type == "Institution" and second.entity.type == "Person":
            firm, person, gaps = first, second, (_TITLED_GAP, _TITLED_AGAIN)
        elif first.entity.type == "Person" and second.entity.type == "Institution":
            person, firm, gaps = first, second, (_TITLED_AT,)
        else:
            continue
        if person.entity.name not in found and second.start - first.end <= 40 and any(
                gap.fullmatch(text, first.end, second.start) for gap in gaps):
            found[person.entity.name] = firm.entity.name
    return found


_OWN_NOTE = re.compile(r"晨会|晨报|早报|纪要|研报|点评|策略|周报|月报")  # (over the folded title: 晨報 reads as 晨报)


def author_of(title: str, title_mentions: list[Mention]) -> Holder | None:
    """The broker whose own note a Chinese article reproduces: the one firm its title names
    beside a word for a note ("广发证券晨会纪要"). Its "我们" is that firm."""
    firms = [m for m in title_mentions if m.entity.type == "Institution"]
    if len({m.entity.name for m in firms}) != 1 or not _OWN_NOTE.search(title):
        return None
    return holder_of(firms[0].entity, -1, -1)


def focus_of(title_mentions: list[Mention], mentions: list[Mention]) -> str | None:
    """The company (or index) an article is about: the first its title names, else the one
    its body names most often (at least twice)."""
    for mention in title_mentions:
        if mention.entity.type in ("Company", "Product", "Index"):
            return mention.entity.name
    counts = Counter(m.entity.name for m in mentions if m.entity.type in ("Company", "Index"))
    if not counts:
        return None
    name, count = counts.most_common(1)[0]
    return name if count >= 2 else None


@dataclass
class Discourse:
    """The state an article builds up as it is read."""

    chinese: bool = True
    focus: str | None = None
    last_speaker: Holder | None = None  # the latest bank, broker or person who held a view
    last_firm: Holder | None = None  # the latest bank or broker who held a view
    voices: list[Holder] = field(default_factory=list)  # the latest of each holder named with a view, up to two
    recent: dict[str, Holder] = field(default_factory=dict)  # kind → latest actor named
    firms: dict[str, str] = field(default_factory=dict)  # analyst → the firm they speak for
    targets_by_holder: dict[str, set[str]] = field(default_factory=dict)
    last_group: tuple[Holder, ...] = ()  # the holders of the last sentence that bound several
    last_targets: tuple[str, ...] = ()  # the companies of the last sentence that named any
    last_index: str | None = None  # the index named last: what "the index" points at
    paragraph_target: str | None = None
    carried_target: str | None = None  # the last paragraph's, until this one names a company
    paragraph_company: str | None = None  # the paragraph's latest company named alone (a product may follow it)
    quote_speaker: Holder | None = None
    quote_ahead: Holder | None = None  # who the open quotation is from, named where it closes
    opener: Holder | None = None  # the firm that opened the sentence just read, its subject
    company_spoke: Holder | None = None  # the company that spoke of itself in the sentence just read
    _company_speaking: Holder | None = None  # … in the sentence being read
    author: Holder | None = None  # the broker whose own note the article is ("广发证券晨会纪要"): its 我们
    paragraph: int = -1
    paragraph_holder: Holder | None = None
    previous_paragraph_holder: Holder | None = None
    initiated: set[tuple[str, str]] = field(default_factory=set)  # (firm, company) whose coverage started
    rated: set[str] = field(default_factory=set)  # companies a broker rated or set a target for here: listed
    discovered: dict[str, Entity] = field(default_factory=dict)  # name → entity found in this article, not catalogued
    _named: dict[str, Holder] = field(default_factory=dict, repr=False)  # entity name → its holder, unbound
    people: list[Holder] = field(default_factory=list)  # the latest persons named or heard, newest last (a few)

    # -- who speaks -----------------------------------------------------------------

    def speaker(self, entity: Entity, start: int = -1, end: int = -1, nearby: str | None = None) -> Holder:
        """The holder an entity is when it speaks: an analyst speaks for their firm (known,
        else the one ``nearby``, named before in the sentence, else the latest quoted)."""
        if entity.type == "Person" and entity.role == "analyst":
            firm = self.firms.get(entity.name) or entity.affiliation or nearby or self._latest_firm()
            if firm:
                self.firms[entity.name] = firm
                return Holder(firm, "Institution", "Institution", start, end, person=entity.name)
        return holder_of(entity, start, end)

    def _latest_firm(self) -> str | None:
        firm = self.recent.get("institution")
        return firm.name if firm and firm.entity_type == "Institution" else None

    def latest(self, kind: str) -> Holder | None:
        if kind == "any":
            # "it", "they", "其": the firm that opened the sentence before ("Stifel took a middle
            # road. It kept a hold rating"), else the latest bank, broker or person, not a company
            return self.opener or self.last_speaker or self.recent.get("institution")
        if kind == "institution":
            return self.last_firm or self.recent.get("institution")
        return self.recent.get(kind)

    def company_in_focus(self) -> Holder | None:
        """The company the article is about as a holder, once named; else the latest company."""
        return self._named.get(self.focus or "") or self.recent.get("company")

    def latest_person(self, unlike: frozenset[str]) -> Holder | None:
        """The latest person whose given name is none of ``unlike`` ("she" skips a John)."""
        for holder in reversed(self.people):
            if given_name(holder.person or holder.name) not in unlike:
                return holder
        return None

    def _met(self, holder: Holder) -> None:
        self.people = [*(p for p in self.people if p.name != holder.name or p.person != holder.person), holder][-4:]

    def single_voice(self) -> Holder | None:
        """The one holder every named view so far came from, if there is exactly one."""
        return self.voices[0] if len(self.voices) == 1 else None

    # -- what is spoken about ---------------------------------------------------------

    def referent(self, catalogue=None) -> str | None:
        """The company "the stock", "该股" or a price target means: the paragraph's, if it
        is a listed company (or nothing is known of it), else the article's focus."""
        target = self.paragraph_target or self.carried_target
        if target and catalogue is not None and self.focus:
            entity = catalogue.get(target)
            if entity is not None and not entity.tickers:
                return self.focus  # a private company (OpenAI) has no stock or price target
        if target and catalogue is not None and target != self.paragraph_company and self.paragraph_company:
            entity = catalogue.get(target)
            if entity is not None and entity.type != "Company":
                return self.paragraph_company  # "公司在GB300机柜…具备优势。维持买入评级": a rating is the company's
        return target or self.focus or (self.last_targets[-1] if self.last_targets else None)

    def coverage(self, holder: str, target: str, actions: list) -> list:
        """A rating given after the article said the firm started coverage is part of the
        initiation ("Raymond James initiated coverage of X … rated it a buy")."""
        if not actions:
            return actions
        self.rated.add(target)
        key = (holder, target)
        if any(a.action == "initiate" for a in actions):
            self.initiated.add(key)
        elif key in self.initiated:
            actions = [replace(a, action="initiate") if a.action == "reiterate" else a for a in actions]
        return actions

    # -- moving on --------------------------------------------------------------------

    def new_paragraph(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.previous_paragraph_holder = self.paragraph_holder
            self.paragraph, self.paragraph_holder = paragraph, None
            self.carried_target, self.paragraph_target = self.paragraph_target, None
            self.paragraph_company = None

    def remember(self, holder: Holder, targets: list[str]) -> None:
        self.paragraph_holder = holder
        if holder.type in ("Institution", "Person", "Group"):
            heard = self.targets_by_holder.get(holder.name)
            if heard is None:  # (not setdefault: that builds an empty set for every view)
                heard = self.targets_by_holder[holder.name] = set()
            heard.update(targets)
            self._heard(holder)
        if holder.type == "Person" and holder.entity_type is None:  # an unnamed source: "他" next is theirs
            self.recent["person"] = holder
            self._met(holder)
        if holder.entity_type in KIND_OF_TYPE:
            self.recent[KIND_OF_TYPE[holder.entity_type]] = holder
            if holder.entity_type == "Company":
                self._company_speaking = holder
            if holder.entity_type == "Person":
                self._met(holder)

    def _heard(self, holder: Holder) -> None:
        if holder.type in ("Institution", "Person") and holder.entity_type != "Company":
            self.last_speaker = holder
            if holder.type == "Institution":
                self.last_firm = holder
        if holder.how == "explicit" and holder.type in ("Institution", "Person"):
            others = [v for v in self.voices if v.name != holder.name]
            self.voices = [*others, holder][-2:]  # two names are enough to know there is no single voice

    def saw(self, mentions: list[Mention]) -> None:
        """Entities named in a sentence become the latest of their kind and, for companies,
        what the paragraph is about."""
        opener = None
        for mention in mentions:
            entity = mention.entity
            if entity.type == "Index":
                self.last_index = entity.name
            if entity.type in KIND_OF_TYPE:
                if entity.type == "Person" and entity.role == "analyst":
                    self.recent["person"] = self.speaker(entity)  # (it may learn the analyst's firm)
                    self._met(self.recent["person"])
                    continue
                # the holder an entity is by name alone, made once per article, not per mention
                holder = self._named.get(entity.name)
                if holder is None:
                    holder = self._named[entity.name] = holder_of(entity)
                self.recent[KIND_OF_TYPE[entity.type]] = holder
                if entity.type == "Person":
                    self._met(holder)
                if entity.type == "Institution" and mention.start <= 1:
                    self.last_firm = opener = holder  # a firm opening a sentence is its subject: "its analysts" next are its
        self.opener = opener
        self.company_spoke, self._company_speaking = self._company_speaking, None
        companies = [m.entity.name for m in mentions if m.entity.type in _TARGET_TYPES]
        if companies:
            self.carried_target = None
            self.last_targets = tuple(dict.fromkeys(companies))
            listed = {m.entity.name for m in mentions if m.entity.type == "Company"}
            if len(listed) == 1 and (self.paragraph_target is None or self.paragraph_target != self.focus):
                # one company beside an index or a theme ("加入恒指"): the company; but a paragraph
                # on the article's company stays on it when a peer is named later ("…peers such as Jabil")
                self.paragraph_target = self.paragraph_company = next(iter(listed))
            elif not listed and len(set(companies)) == 1:
                self.paragraph_target = companies[-1]


def given_name(name: str) -> str:
    """The first word of a person's name ("Jane" of "Jane Q. Roe")."""
    return name.split(" ", 1)[0]
