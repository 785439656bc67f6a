"""The rule extractor's vocabulary, loaded from ``data/lexicon.yaml`` into phrase matchers.

Every phrase is folded like article text (Traditional → Simplified, full-width →
half-width), and Latin phrases match case-insensitively on word boundaries.

>>> lexicon = load_lexicon()
>>> [(hit.phrase, hit.start) for hit in lexicon.stance.find("机构认为Meta受影响最小")]
[('受影响最小', 8)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from importlib import resources

import ahocorasick_rs
import yaml

from kg.extract.catalogue import stands_alone
from kg.extract.fold import fold
from kg.extract import estimates, openings
from kg.extract.windows import finds


_PERCENT = re.compile(r"%")
_PATTERN_REACH = 40  # characters a numeric stance pattern spans around its per cent sign


class Hit(NamedTuple):
    """A lexicon phrase found at ``[start, end)`` of the searched text, with its tag."""

    phrase: str
    start: int
    end: int
    tag: str
    value: str = ""


_new_hit = tuple.__new__  # a Hit from its five fields without the keyword handling of Hit(...)


def deal(hits: list[Hit], starts: list[int], ends: list[int], names: list = ()) -> dict[int, list[Hit]]:
    """Hits found once over a whole article (sorted), dealt out to the sentences (``starts``,
    ``ends``, sorted and apart) that hold them whole: sentence number → its hits, with
    offsets relative to the sentence. A hit overlapping one of ``names`` (spans with a
    ``start`` and an ``end``, sorted and apart) is dropped: a word inside a name is part
    of the name (恒指 holds no 指, 中金公司 no 公司).

    >>> deal([Hit("a", 0, 1, "t"), Hit("b", 5, 6, "t"), Hit("c", 8, 10, "t")], [0, 4], [3, 9])
    {0: [Hit(phrase='a', start=0, end=1, tag='t', value='')], 1: [Hit(phrase='b', start=1, end=2, tag='t', value='')]}
    """
    dealt: dict[int, list[Hit]] = {}
    name, last = 0, len(names)
    current, bucket = -1, []
    for phrase, start, end, tag, value in hits:
        if last:
            while name < last and names[name].end <= start:
                name += 1
            # names do not overlap each other: the first not ending before the hit decides
            if name < last and names[name].start < end:
                continue
        number = bisect_right(starts, start) - 1
        if number < 0 or end > ends[number]:
            continue  # between sentences, or running past the end of its own
        if number != current:  # the hits come sorted: a sentence's come together
            current, bucket = number, dealt.setdefault(number, [])
        offset = starts[number]
        bucket.append(_new_hit(Hit, (phrase, start - offset, end - offset, tag, value)))
    return dealt


class PhraseMatcher:
    """Leftmost-longest matching of tagged phrases; Latin phrases ignore case."""

    def __init__(self, tagged: dict[str, tuple[str, str]]):
        self._tags: dict[str, tuple[str, str]] = {}
        for phrase, tag in tagged.items():
            key = fold(phrase)
            self._tags[key.lower() if key.isascii() else key] = tag
        self._patterns = list(self._tags)
        self._tag_of = [self._tags[p][0] for p in self._patterns]  # by pattern: its tag, its value
        self._value_of = [self._tags[p][1] for p in self._patterns]
        self._latin = [p.isascii() and p[0].isalnum() for p in self._patterns]  # checked on word boundaries
        # A DFA: a third quicker to search than the default automaton for a few hundred
        # phrases, at a little memory (the lexicon is small), and it searches every article.
        self._matcher = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def find(self, folded: str, lowered: str | None = None) -> list[Hit]:
        """Every phrase in ``folded``, leftmost-longest, Latin ones on word boundaries.
        ``lowered`` is ``lower_case(folded)`` when the caller has it already."""
        if lowered is None:
            lowered = lower_case(folded)
        latin, tags, values = self._latin, self._tag_of, self._value_of
        return [
            _new_hit(Hit, (folded[start:end], start, end, tags[index], values[index]))
            for index, start, end in self._matcher.find_matches_as_indexes(lowered, overlapping=False)
            if not latin[index] or stands_alone(lowered, start, end)
        ]


    def find_dealt(self, folded: str, lowered: str, starts: list[int], ends: list[int], names: list = (),
                   topics: list[Hit] | None = None) -> dict[int, list[Hit]]:
        """``deal(find(folded, lowered), starts, ends, names)`` in one pass over the matches,
        without the hits tagged "none" (words that only shadow others: "not a cue").
        ``topics``, when given, gets the hits tagged "topic" outside ``names``, with their
        offsets in the article (sentence or not)."""
        latin, tags, values = self._latin, self._tag_of, self._value_of
        dealt: dict[int, list[Hit]] = {}
        name, last = 0, len(names)
        current, bucket, offset = -1, [], 0
        for index, start, end in self._matcher.find_matches_as_indexes(lowered, overlapping=False):
            if latin[index] and not stands_alone(lowered, start, end):
                continue
            tag = tags[index]
            if tag == "none":
                continue
            if last:  # as in :func:`deal`
                while name < last and names[name].end <= start:
                    name += 1
                if name < last and names[name].start < end:
                    continue
            if topics is not None and tag == "topic":
                topics.append(_new_hit(Hit, (folded[start:end], start, end, tag, values[index])))
            number = bisect_right(starts, start) - 1
            if number < 0 or end > ends[number]:
                continue
            if number != current:
                current, bucket, offset = number, dealt.setdefault(number, []), starts[number]
            bucket.append(_new_hit(Hit, (folded[start:end], start - offset, end - offset, tag, values[index])))
        return dealt


def lower_case(folded: str) -> str:
    """``folded`` in lower case, or as it is where lowering would change its length (İ)."""
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


def find_stance(lexicon: "Lexicon", folded: str, lowered: str | None = None) -> list[Hit]:
    """Stance phrases and numeric stance patterns ("up 60%", "下跌逾5%") in ``folded``."""
    hits = [hit for hit in lexicon.stance.find(folded, lowered) if hit.tag != "none"]  # in order
    phrases = len(hits)
    pattern, meanings = lexicon.stance_patterns
    seen = -1
    # Every numeric pattern holds a per cent sign: read only the words around each.
    for percent in _PERCENT.finditer(folded):
        low = max(percent.start() - _PATTERN_REACH, seen)
        # (its patterns open on \b or a group: tried only where one can open, see kg.extract.openings)
        for m in openings.finditer(pattern, folded, low, percent.end() + _PATTERN_REACH):
            if m.start() >= seen and m.start() <= percent.start() <= m.end():
                polarity, gloss = meanings[m.lastgroup]
                hits.append(Hit(m.group(0), m.start(), m.end(), polarity, gloss))
                seen = m.end()
    lowered = lowered if lowered is not None else lower_case(folded)
    hits += _anchored(lexicon.expectation_patterns, _EXPECTATION, lowered, hits)
    if any(word in lowered for word in _MARGIN):
        hits += _from_words(lexicon.margin_patterns, _MARGIN, lowered, hits)
    hits += [Hit(*h) for h in estimates.compared_with_estimates(lowered) if not _overlaps(h[1], h[2], hits)]
    hits += _anchored(lexicon.holding_patterns, _HOLDING, lowered, hits, lexicon.holding_verbs)
    if any(word in lowered for word in _VALUATION_WORDS):
        hits += _anchored(lexicon.valuation_patterns, _YARDSTICKS, lowered, hits)
    if " would " in lowered:
        hits = [_conditional(hit, lowered) for hit in hits]
    return sorted(hits, key=lambda hit: hit.start) if len(hits) > phrases else hits


# "would turn more positive only if margins hold", "would become more constructive once…": a
# side the holder would take on a condition, not the one it takes.
_WOULD_TURN = re.compile(r"\bwould\s(?:turn|become|get|grow|be)\s(?:more\s|less\s)?$")
_ON_CONDITION = re.compile(r"\s(?:[\w-]+\s){0,3}?(?:only\s)?(?:if|once|when|should|unless)\b")


def _conditional(hit: Hit, lowered: str) -> Hit:
    if hit.tag in ("positive", "negative") and _WOULD_TURN.search(lowered, max(0, hit.start - 24), hit.start) \
            and _ON_CONDITION.match(lowered, hit.end):
        return hit._replace(tag="neutral", value="conditional view")
    return hit


def _anchored(patterns, anchor: tuple[str, ...], lowered: str, found: list[Hit], gate: frozenset[str] = frozenset()) -> list[Hit]:
    """What no phrase of the vocabulary covers, read by patterns ending at an anchor word
    only within reach of it: comparisons with an expectation ("低于预期", "beat estimates"),
    holdings bought or sold ("trimmed her Nvidia position": the verb only, the holding's
    name inside being a mention). With a ``gate``, only where one of its words stands in
    reach before the anchor (a set lookup: "shares" is in every other sentence of news)."""
    pattern, meanings = patterns
    hits: list[Hit] = []
    seen = -1
    for start, end in _anchor_spans(anchor, lowered):
        low = max(start - _PATTERN_REACH, seen, 0)
        if gate and gate.isdisjoint(lowered[low:start].split()):
            continue
        # (two characters on: "较共识高出" compares after its anchor)
        for m in openings.finditer(pattern, lowered, low, end + 2):
            if _overlaps(m.start(), m.end(), found):
                continue
            polarity, gloss = meanings[m.lastgroup]
            hits.append(Hit(m.group(0), m.start(), m.end(), polarity, gloss))
            seen = m.end()
    return hits


_EXPECTATION = ("预期", "预估", "估计", "共识", "expectation", "estimate", "forecast", "consensus", "guidance",
                "think", "expect", "appreciat", "realiz", "realis", "believ", "assum", "fear", "hope")  # "better than investors think"
def _overlaps(start: int, end: int, found: list[Hit]) -> bool:
    """Does ``[start, end)`` overlap a hit already found (a phrase of the vocabulary covers it)?"""
    return any(h.start < end and start < h.end for h in found)


_MARGIN = ("margin", "利润率", "毛利率", "净利率")  # what the margin patterns open with


def _from_words(patterns, words: tuple[str, ...], lowered: str, found: list[Hit]) -> list[Hit]:
    """What patterns opening on one of ``words`` find there (no phrase of the vocabulary
    covering it already)."""
    pattern, meanings = patterns
    hits = []
    for start, _ in _anchor_spans(words, lowered):
        m = pattern.match(lowered, start)
        if m is not None and not _overlaps(m.start(), m.end(), found):
            polarity, gloss = meanings[m.lastgroup]
            hits.append(Hit(m.group(0), m.start(), m.end(), polarity, gloss))
    return hits


_HOLDING = ("position", "stake", "holding", "exposure", "shares")  # (a word's start: "stakes", not "mistake")
_VALUATION_WORDS = ("估值", "市盈率", "市销率", "市净率", "本益比", "倍", "valuation", "multiple", "p/e")  # what the yardstick patterns need
_YARDSTICKS = ("同业", "同行", "行业", "历史", "平均", "同类", "peers", "average", "histor")  # what a valuation is set against


def _anchor_spans(words: tuple[str, ...], lowered: str) -> list[tuple[int, int]]:
    """Where the anchor words stand (a Latin one at a word's start), in order: found by
    plain substring search, far quicker than a regex of alternatives tried at every place.
    Where one anchor opens another ("expect", "expectation"), the longer stands for both:
    the patterns are read once around it."""
    ends: dict[int, int] = {}
    for word in words:
        for at in finds(lowered, word):
            if not word.isascii() or at == 0 or not lowered[at - 1].isalnum():
                ends[at] = max(ends.get(at, 0), at + len(word))
    return sorted(ends.items())


@dataclass(frozen=True)
class Lexicon:
    cues: PhraseMatcher  # attribution cues: tag "before", "act" (a broker's action), "after"; "none" shadows
    holders: PhraseMatcher  # holder words: tag implicit/group/unattributed/collective
    markers: PhraseMatcher  # instrument, comparator, counterparty, concessive, negator, causative, topic, passive, object
    stance: PhraseMatcher  # tag positive/negative/neutral, value the English gloss
    stance_patterns: tuple[re.Pattern[str], dict[str, tuple[str, str]]]  # one alternation; group → (polarity, gloss)
    expectation_patterns: tuple[re.Pattern[str], dict[str, tuple[str, str]]]  # read around _EXPECTATION only
    holding_patterns: tuple[re.Pattern[str], dict[str, tuple[str, str]]]  # read around _HOLDING only
    valuation_patterns: tuple[re.Pattern[str], dict[str, tuple[str, str]]]  # read around _YARDSTICKS only
    margin_patterns: tuple[re.Pattern[str], dict[str, tuple[str, str]]]  # read from each _MARGIN word only
    holding_verbs: frozenset[str]  # the first words of the verbs holding patterns open with
    given_names: dict[str, frozenset[str]]  # "female" / "male" → common given names: whom "she", "he" can be
    guidance: frozenset[str]
    growth: frozenset[str]
    decline: frozenset[str]
    relievers: frozenset[str]  # diminishers that also relieve what follows them
    limiters: frozenset[str]  # diminishers that also limit a positive phrase before them
    belief: frozenset[str]
    fact_cues: frozenset[str]  # cues of noting facts: no positive default after them
    moves: frozenset[str]  # market moves: "rose", "下跌": the market's facts, not a view
    transitive: frozenset[str]
    continuation: PhraseMatcher
    plural_holders: PhraseMatcher  # "三家机构", "both firms": the holders just named
    market_report: PhraseMatcher  # closes and turnover: the article's own facts
    target_anaphora: PhraseMatcher  # tag "one", "many" or "index": "该股", "these companies", "the index"
    anonymous: tuple[re.Pattern[str], ...]
    group_holder: str
    unattributed_holder: str
    anonymous_source: str

    def is_move(self, hit: Hit) -> bool:
        """Is a stance phrase a market move ("rose 2%", "累升逾60%", "the selloff"): the
        market's fact, not a view?"""
        return hit.value in _PER_CENT_MOVES or hit.phrase.lower() in self.moves


_PER_CENT_MOVES = ("up", "down")  # the glosses of moves stated in per cent (positive_patterns, negative_patterns)


def _alternation(patterns: list[tuple[str, str, str]]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """The numeric stance patterns as one regular expression (one pass over the text), each
    in a named group that says its polarity and gloss."""
    groups = {f"p{i}": (polarity, gloss) for i, (_, polarity, gloss) in enumerate(patterns)}
    joined = "|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _, _) in enumerate(patterns))
    return re.compile(joined), groups


def _sided_patterns(section: dict[str, dict[str, str]]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """A section of patterns by polarity ({positive: {pattern: gloss}, negative: …}) as one alternation."""
    return _alternation([(fold(pattern), polarity, gloss) for polarity in ("positive", "negative")
                         for pattern, gloss in section[polarity].items()])


def _opening_words(section: dict[str, dict[str, str]]) -> frozenset[str]:
    """The first words of the verbs that open a section's patterns, each written
    ``\\b(?:bought|added to|…)(?=…)``: where none stands, none of them can match."""
    words = set()
    for patterns in section.values():
        for pattern in patterns:
            opening = re.match(r"\\b\(\?:([^()]*)\)", pattern)
            if opening is None:
                raise ValueError(f"a holding pattern must open with \\b(?:verb|…): {pattern}")
            words.update(verb.split()[0] for verb in opening.group(1).split("|"))
    return frozenset(words)


def _both(section: dict[str, list[str]]) -> list[str]:
    return [*section.get("zh", []), *section.get("en", [])]


# The Lexicon's word sets (folded, lower case) and the sections of lexicon.yaml they are read from.
_WORD_SETS = {"guidance": "guidance", "growth": "growth_words", "decline": "decline_words", "relievers": "relievers",
              "limiters": "limiters", "belief": "belief_cues", "fact_cues": "fact_cues", "moves": "market_moves"}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("kg.extract").joinpath("data/lexicon.yaml").read_text("utf-8")
    # BaseLoader keeps every word a string: YAML 1.1 would read "no" as False.
    data = yaml.load(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    cues = {w: ("before", "") for w in _both(data["attribution"])}
    cues.update({w: ("act", "") for w in _both(data["action_cues"]) if w not in cues})
    cues.update({w: ("after", "") for w in _both(data["attribution_after"]) if w not in cues})
    cues.update({w: ("none", "") for w in _both(data["not_cues"])})
    holders: dict[str, tuple[str, str]] = {}
    for group in data["implicit_holders"]:
        holders.update({w: ("implicit", group["kind"]) for w in group["words"]})
    holders.update({w: ("collective", "") for w in _both(data["unattributed_collectives"])})
    holders.update({w: ("group", "") for w in _both(data["group_cues"])})
    counted = data["group_counted"]  # "two firms", "12 brokerages": banks counted, not named
    holders.update({f"{n} {noun}": ("group", "") for n in counted["counts"] for noun in counted["nouns"]})
    holders.update({w: ("consensus", "") for w in _both(data["consensus_cues"])})
    holders.update({w: ("unattributed", "") for w in _both(data["unattributed_cues"])})
    holders.update({w: ("none", "") for w in _both(data["not_holders"])})  # (words that shadow a collective)
    markers: dict[str, tuple[str, str]] = {}
    for section in ("instrument", "comparator", "counterparty", "concessive", "negator", "causative", "topic", "passive", "object"):
        markers.update({w: (section, "") for w in _both(data[section + "_markers"])})
    markers.update({w: ("diminisher", "") for w in _both(data["diminishers"]) + _both(data["relievers"]) + _both(data["limiters"])})
    markers.update({w: ("none", "") for w in _both(data["not_negators"])})
    markers.update({w: ("cost", "") for w in _both(data["cost_nouns"])})
    markers.update({w: ("decline", "") for w in _both(data["decline_words"]) if w not in markers})
    stance: dict[str, tuple[str, str]] = {}
    for side in ("positive", "negative", "neutral", "mixed"):
        stance.update({w: (side, gloss) for lang in data[side].values() for w, gloss in lang.items()})
    stance.update({w: ("none", "") for w in _both(data["not_stance"])})
    return Lexicon(
        cues=PhraseMatcher(cues),
        holders=PhraseMatcher(holders),
        markers=PhraseMatcher(markers),
        stance=PhraseMatcher(stance),
        stance_patterns=_alternation(
            [(pattern, polarity, gloss) for polarity in ("positive", "negative")
             for pattern, gloss in data[polarity + "_patterns"].items()]
        ),
        expectation_patterns=_sided_patterns(data["expectation_patterns"]),
        holding_patterns=_sided_patterns(data["holding_patterns"]),
        holding_verbs=_opening_words(data["holding_patterns"]),
        valuation_patterns=_sided_patterns(data["valuation_patterns"]),
        margin_patterns=_sided_patterns(data["margin_patterns"]),
        given_names={sex: frozenset(names) for sex, names in data["given_names"].items()},
        **{name: frozenset(fold(w).lower() for w in _both(data[section])) for name, section in _WORD_SETS.items()},
        transitive=frozenset(fold(w).lower() for w in data["transitive"]),
        continuation=PhraseMatcher({w: ("continuation", "") for w in _both(data["continuation_markers"])}),
        plural_holders=PhraseMatcher({w: ("plural", "") for w in _both(data["plural_holders"])}),
        market_report=PhraseMatcher({w: ("market", "") for w in _both(data["market_report_words"])}),
        target_anaphora=PhraseMatcher(
            {w: (group["number"], "") for group in data["target_anaphora"] for w in group["words"]}
        ),
        anonymous=tuple(re.compile(p) for p in data["anonymous_patterns"]),
        group_holder=data["group_holder"],
        unattributed_holder=data["unattributed_holder"],
        anonymous_source=data["anonymous_source"],
    )
