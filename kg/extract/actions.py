"""Analyst actions in a sentence: ratings given, kept or changed, and price targets set.

The finder reads one sentence (folded text, see :mod:`kg.extract.fold`) and returns what
it states, with positions, but not who did it to whom: the extractor pairs each figure
and rating with the holder and target around it.

- A **figure** is a target level: a number next to a target word ("目标价由156元升至185元",
  "price target to $320 from $200", "a $272 price target"), or in a broker's list line
  ("Barclays, to $300 from $200"). Market sizes ("$1.2tn", "5000亿美元") are no targets.
- A **rating** is a broker's rating term ("买入", "overweight", "Neutral") where the text
  marks it as one: quoted, capitalised, followed by 评级/rating, or right after a rating
  verb; with the move that was made ("upgraded to", "维持", "首予").

>>> finder = load_action_finder()
>>> [(f.value, f.previous, f.currency, f.direction) for f in finder.figures("汇丰将目标价由156港元升至185港元")]
[(185.0, 156.0, 'HKD', 'raised')]
>>> [(r.rating, r.rating_class, r.move) for r in finder.ratings("downgraded Apple to Neutral from Buy")]
[('neutral', 'neutral', 'downgrade')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple
from functools import lru_cache
from importlib import resources

import yaml

from kg.extract.fold import fold, latin
from kg.extract.lexicon import Hit, PhraseMatcher

# A figure as written: an optional currency sign, digits with thousands separators and a
# decimal part, an optional multiplier, an optional currency or unit word after it.
_AMOUNT = re.compile(
    r"(?P<pre>US\$|HK\$|NT\$|NZ\$|R\$|S\$|A\$|C\$|\$|¥|€|£|₹|"
    r"(?<![A-Za-z])(?:USD|HKD|TWD|CNY|RMB|EUR|JPY|KRW|GBP|INR|AUD|CAD|SGD|NZD|SAR|SR|AED|MYR|RM|CHF|SEK|BRL|ZAR|THB|IDR|Rp|Rs\.?)(?=\s?\d))?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<mult>million|mln|mn|m|billion|bn|trillion|tn|k|万亿|亿|万|千)?(?![A-Za-z0-9])"
    r"\s?(?P<post>港元|港币|美元|美金|人民币|新台币|台币|日元|日圆|韩元|欧元|英镑|澳元|加元|新加坡元|新西兰元|纽元|卢比|"
    r"里亚尔|迪拉姆|令吉|马币|瑞士法郎|瑞典克朗|雷亚尔|兰特|泰铢|印尼盾|元|点|won|yen|points?|pts|"
    r"dollars|euros|rupees|riyals|dirhams|ringgit|francs|kronor|baht|rupiah|"
    r"HKD|USD|TWD|KRW|RMB|CNY|JPY|EUR|INR|SGD|NZD|SAR|AED|MYR|CHF|SEK|BRL|ZAR|THB|IDR)?",
    re.I,
)
_MULTIPLIERS = {"k": 1e3, "千": 1e3, "万": 1e4, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6}
_MARKET_SIZES = {"billion", "bn", "trillion", "tn", "亿", "万亿"}  # totals, never a share's target
_DIGIT = re.compile(r"\d")
_CLAUSE_PUNCTUATION = re.compile(r"[,;:，；：。]")  # a direction word clauses before a target word moves something else
# The words of the one currency needing no target word (点, points, pts in any case), each
# opening with a plain character the regex engine can skip to (p and P are all that match p).
_POINTS = re.compile(r"点|p(?i:oints|ts)|P(?i:oints|ts)")
_FROM_AFTER = re.compile(r"\s*,?\s*(?:up |down )?from\s*$", re.I)
_HARD_BREAK = re.compile(r"[。;!?]")
_INDEX_LEVEL = re.compile(r"(?:目标|可见|上望|看|见|升至|至|料|预测|定|设|target(?:\s(?:is|was|stands\sat|remains))?|to|at|of)\s*[为在达于]?\s*$", re.I)
_RANGE_END = re.compile(r"\d\s*(?:点|points?)?\s*(?:至|到|-|–|to)\s*$")
_RANGE = re.compile(r"\s*(?:至|到|-|–|to)\s*\d")
_SEPARATOR = re.compile(r"[;；。和及、]|\band\b")
_PREVIOUS_WORDS = re.compile(r"(?:from|由|从|原本的|原来的|此前的|up from|down from|原为|此前|前次)\s*$", re.I)
_REACH = 48  # characters a target word may stand before its figure
# A move of the target, not of the rating after it: "上调目标价至88港元，评级「买入」"
_MOVES_THE_TARGET = re.compile(r"[^,;:。]{0,12}?(?:目标价|price target|target)")
_RATING_BEFORE = re.compile(r"(?:评级|评等)(?:为|是)?\s*$")  # "评级买入"
_RATING_MARKS = re.compile(r"^\s*[”」』\"']?\s*(?:评级|评等|投资评级|rating\b|recommendation\b|call\b)", re.I)
_OPENING = "“「『\"'‘"


@dataclass(frozen=True)
class Figure:
    """A target level stated at ``[start, end)`` of the sentence."""

    start: int
    end: int
    value: float
    previous: float | None
    currency: str | None  # ISO code, "points", or None when only 元 is written
    direction: str | None  # "raised" | "cut" | None
    yuan: bool = False  # written with 元 alone: the share's market decides the currency


@dataclass(frozen=True)
class RatingMention:
    start: int
    end: int
    rating: str
    rating_class: str
    move: str  # upgrade | downgrade | initiate | reiterate


class ActionHits(NamedTuple):
    """The action vocabulary found in one sentence (positions relative to it)."""

    ratings: list[Hit]
    moves: list[Hit]  # rating moves: upgrade, downgrade, initiate, reiterate
    targets: list[Hit]  # target words: 目标价, price target
    directions: list[Hit]  # raised, cut

    @property
    def empty(self) -> bool:
        return not (self.ratings or self.moves or self.targets or self.directions)


NO_ACTIONS = ActionHits([], [], [], [])  # a sentence without action words (never changed)


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    currency: str | None
    yuan: bool
    percent: bool
    size: bool  # a market size (billions), never a target


class ActionFinder:
    """Finds figures and ratings with the vocabulary of ``data/actions.yaml``."""

    def __init__(self, data: dict):
        self._ratings = PhraseMatcher(
            {term: ("rating", f"{std}|{cls}") for lang in data["ratings"].values() for term, (std, cls) in lang.items()}
        )
        moves = {w: ("move", move) for move, langs in data["rating_moves"].items() for lang in langs.values() for w in lang}
        moves.update({w: ("none", "") for lang in data["not_moves"].values() for w in lang})
        self._moves = PhraseMatcher(moves)
        self._target_words = PhraseMatcher({w: ("target", "") for lang in data["target_words"].values() for w in lang})
        self._directions = PhraseMatcher(
            {w: ("direction", d) for d, langs in data["target_moves"].items() for lang in langs.values() for w in lang}
        )
        self._currency = {fold(w).lower(): code for code, words in data["currencies"].items() for w in words}

    def scan_dealt(self, folded: str, lowered: str, starts: list[int], ends: list[int]) -> tuple[dict[int, list[Hit]], ...]:
        """The action vocabulary of a whole article, found once and dealt out to its sentences
        (``starts``, ``ends``) as :func:`kg.extract.lexicon.deal` does: ratings, moves, target
        words, directions, each sentence number → its hits."""
        return tuple(matcher.find_dealt(folded, lowered, starts, ends)
                     for matcher in (self._ratings, self._moves, self._target_words, self._directions))

    def hits(self, text: str) -> ActionHits:
        return ActionHits(self._ratings.find(text), self._rating_moves(text), self._target_words.find(text),
                          self._directions.find(text))

    def _rating_moves(self, folded: str, lowered: str | None = None) -> list[Hit]:
        return [hit for hit in self._moves.find(folded, lowered) if hit.tag != "none"]

    # -- figures ------------------------------------------------------------------

    def figures(self, text: str, *, list_line: bool = False, hits: ActionHits | None = None) -> list[Figure]:
        """Target levels in ``text``; ``list_line`` accepts "to $X from $Y" without a target word."""
        if hits is not None and not hits.targets and not list_line and not _POINTS.search(text):
            return []  # (the usual sentence, tested before its digits are looked for: see below)
        if not _DIGIT.search(text):
            return []
        hits = hits or self.hits(text)
        if not hits.targets and not list_line and not _POINTS.search(text):
            return []  # only index levels are targets without a target word or a list line
        amounts = [a for a in self._amounts(text) if not a.percent and not a.size and not _BY_AMOUNT.search(text, max(0, a.start - 4), a.start)]
        if _INDEX_NAMED.search(text):
            amounts = [_as_points(a, text) for a in amounts]
        targets = hits.targets
        directions = hits.directions
        previous = {i: self._previous(text, amounts, i) for i in range(len(amounts))}
        replaced = {p for p in previous.values() if p is not None}
        found = []
        for i, amount in enumerate(amounts):
            if i in replaced or not self._is_target(text, amount, targets, list_line, previous[i] is not None):
                continue
            before = amounts[previous[i]] if previous[i] is not None else None
            found.append(
                Figure(
                    amount.start,
                    amount.end,
                    amount.value,
                    before.value if before else None,
                    amount.currency or (before.currency if before else None),
                    self._direction(text, amount, before, directions, targets),
                    (amount.yuan or bool(before and before.yuan)) and not (amount.currency or (before and before.currency)),
                )
            )
        return found

    def target_moves(self, text: str, hits: ActionHits | None = None) -> list[Hit]:
        """Target words with a direction and no figure: "raised its target for X", "上调目标价"."""
        hits = hits or self.hits(text)
        targets = hits.targets
        return [
            d for d in hits.directions
            if any((0 <= t.start - d.end <= 24 and not _CLAUSE_PUNCTUATION.search(text, d.end, t.start)) or 0 <= d.start - t.end <= 3
                   for t in targets if t.phrase.lower() != "target" or _english_target(text, t))
        ]

    def _amounts(self, text: str) -> list[_Amount]:
        found = []
        for match in _AMOUNT.finditer(text):
            pre, num, mult, post = match.group("pre"), match.group("num"), match.group("mult"), match.group("post")
            value = float(num.replace(",", ""))
            lowered_mult = (mult or "").lower()
            if mult and lowered_mult not in _MARKET_SIZES:
                value *= _MULTIPLIERS.get(lowered_mult, 1)
            after = text[match.end() : match.end() + 2]
            unit = (pre or post or "").lower()
            currency = self._currency.get(unit) if unit and unit != "元" else None
            found.append(
                _Amount(
                    match.start(),
                    match.end(),
                    value,
                    currency,
                    (post or "") == "元",
                    after.lstrip().startswith("%") or after.startswith("倍") or after.startswith("x"),
                    lowered_mult in _MARKET_SIZES,
                )
            )
        return [a for a in found if _plausible(a, text)]

    def _is_target(self, text: str, amount: _Amount, targets: list[Hit], list_line: bool, replaces: bool) -> bool:
        if amount.currency == "points":
            before = text[max(0, amount.start - 12) : amount.start]
            in_range = _RANGE.match(text[amount.end :]) or _RANGE_END.search(before)
            return bool(_INDEX_LEVEL.search(before)) and not in_range
        if not (amount.currency or amount.yuan or list_line):
            return False
        for word in targets:
            if word.phrase.lower() in ("target", "targets") and not (list_line or _english_target(text, word)):
                continue
            between = text[word.end : amount.start]
            reach = _REACH * 2 if latin(between) else _REACH
            if word.end <= amount.start and len(between) <= reach and not _HARD_BREAK.search(between):
                return True
            if word.start >= amount.end and word.start - amount.end <= 6:  # "a $272 price target", "700港元目标价"
                return True
        if replaces and targets:  # "高盛由158元上调至174元" beside another bank's 目标价
            return True
        return list_line and bool(re.match(r"\s*from\b", text[amount.end :], re.I))

    def _previous(self, text: str, amounts: list[_Amount], i: int) -> int | None:
        """Which amount a figure replaced: "to Y from X", "from X to Y", "由X升至Y"."""
        amount = amounts[i]
        if i + 1 < len(amounts) and _FROM_AFTER.match(text[amount.end : amounts[i + 1].start]):
            return i + 1
        if i > 0:
            earlier = amounts[i - 1]
            between = text[earlier.end : amount.start]
            if _PREVIOUS_WORDS.search(text[max(0, earlier.start - 12) : earlier.start]) and len(between) <= 24 and not _SEPARATOR.search(between):
                return i - 1
        return None

    def _direction(self, text, amount: _Amount, previous: _Amount | None, directions: list[Hit], targets) -> str | None:
        if previous is not None and previous.value != amount.value:
            return "raised" if amount.value > previous.value else "cut"
        window_start = max([t.start for t in targets if t.end <= amount.start] or [max(0, amount.start - _REACH)])
        reach = 40 if latin(text[window_start - 1 : window_start]) else 24  # "raised its year-end S&P 500 target"
        near = [d for d in directions if window_start - reach <= d.start < amount.start
                and not (d.end <= window_start and _CLAUSE_PUNCTUATION.search(text, d.end, window_start))]
        if amount.currency == "points":
            # "恒指将升至30000点": the index moves; only a target revised ("上调至") has a direction.
            near = [d for d in near if d.phrase.lower() not in _INDEX_MOVES]
        return near[-1].value if near else None

    # -- ratings ------------------------------------------------------------------

    def ratings(self, text: str, hits: ActionHits | None = None) -> list[RatingMention]:
        """Rating terms the text marks as ratings, each with the move made."""
        hits = hits or self.hits(text)
        moves = hits.moves
        found: list[RatingMention] = []
        for hit in hits.ratings:
            move = self._move_before(text, hit, moves)
            started = [m for m in moves if m.value == "initiate" and m.end <= hit.start]
            if started and (move is None or move.value == "reiterate"):
                move = started[-1]  # "首次覆盖…给予买入评级", "initiated coverage … with a buy rating"
            moved = _moved_between(text, hit, hits.ratings)
            if not (moved or self._is_rating(text, hit, move)):
                continue
            if re.search(r"\bfrom\s*[“\"']?\s*$", text[max(0, hit.start - 8) : hit.start], re.I) or _FROM_BEFORE.search(text, 0, hit.start):
                continue  # "to Neutral from Buy", "由买入下调至中性": the old rating
            rating, rating_class = hit.value.split("|")
            if moved and (move is None or move.value in ("reiterate", "initiate")):
                found.append(RatingMention(hit.start, hit.end, rating, rating_class, moved))
                continue
            found.append(RatingMention(hit.start, hit.end, rating, rating_class, move.value if move else "reiterate"))
        return found

    def rating_moves(self, text: str, hits: ActionHits | None = None) -> list[Hit]:
        """Upgrades, downgrades and initiations, with or without a rating term."""
        moves = (hits or self.hits(text)).moves
        return [m for m in moves if m.value != "reiterate" and _rating_move_word(m)]

    def _move_before(self, text: str, hit: Hit, moves: list[Hit]) -> Hit | None:
        before = [
            m for m in moves
            if m.end <= hit.start and hit.start - m.end <= 40 and not re.search(r"[。;]", text[m.end : hit.start])
            and not _MOVES_A_FIGURE.match(text, m.end) and not _MOVES_THE_TARGET.match(text, m.end, hit.start)
        ]
        return before[-1] if before else None

    def _is_rating(self, text: str, hit: Hit, move: Hit | None) -> bool:
        before = text[max(0, hit.start - 2) : hit.start]
        quoted = any(q in before for q in _OPENING)
        marked = bool(_RATING_MARKS.match(text[hit.end :]))
        if hit.phrase.isascii():
            capitalised = hit.phrase[:1].isupper() and hit.start > 0
            after_move = move is not None and (
                re.search(r"\b(?:to|at|as|a|an|with)\s*[“\"']?\s*$", text[max(0, hit.start - 8) : hit.start], re.I)
                or not text[move.end : hit.start].strip()  # "reiterated overweight"
                or move.phrase.lower() in ("rates", "rated", "rate") and _NAME_BETWEEN.fullmatch(text, move.end, hit.start)
            )
            return (quoted or marked or bool(after_move) or (capitalised and move is not None) or _closes_a_list_line(text, hit)
                    or capitalised and _OPENS_PARENTHESES.search(text, 0, hit.start) is not None and text[hit.end : hit.end + 1] in (",", ")"))
        return quoted or marked or move is not None or _RATING_BEFORE.search(text, max(0, hit.start - 8), hit.start) is not None


# "rates Meta outperform", "who rates the stock neutral"
_NAME_BETWEEN = re.compile(r"\s+(?:[A-Z][\w.&’'-]*(?:\s[A-Z][\w.&’'-]*){0,2}|the\s(?:stock|shares|company)|it)\s+")
_BY_AMOUNT = re.compile(r"\bby\s$")  # "trimmed its target by $10 to $190": by how much, not to what


# A move followed by a figure moves a target, not the rating ("目标价由60元上调至65元，评级「增持」").
_MOVES_A_FIGURE = re.compile(r"\s*(?:至|到|为|to)?\s*(?:HK\$|US\$|NT\$|\$|RMB\s?)?\d")
_RANK = {"negative": 0, "neutral": 1, "positive": 2}
_FROM_RATING_AFTER = re.compile(r"\s*[”」』\"']?\s*(?:rating\s+)?from\s+(?:an?\s+)?[“\"']?", re.I)
_FROM_BEFORE = re.compile(r"(?:由|从)\s*[“「『\"']?$")


def _moved_between(text: str, new: Hit, ratings: list[Hit]) -> str | None:
    """The move a rating states with the one it replaced: "to hold from buy" is a downgrade,
    "由中性上调至买入" an upgrade (whatever verb, or none, says it)."""
    after = _FROM_RATING_AFTER.match(text, new.end)
    old = next((r for r in ratings if after and r.start == after.end()), None)
    if old is None:
        old = next((r for r in ratings if r.end <= new.start and new.start - r.end <= 12
                    and _FROM_BEFORE.search(text, 0, r.start)), None)
    if old is None:
        return None
    was, now = _RANK[old.value.split("|")[1]], _RANK[new.value.split("|")[1]]
    return "upgrade" if now > was else "downgrade" if now < was else None


_INDEX_MOVES = frozenset({"升至", "升", "降至", "降", "up", "higher", "lower"})


# An index named in English: a bare level beside it ("its S&P 500 target to 7,000") is in points.
_INDEX_NAMED = re.compile(r"S&P|Nasdaq|Dow\b|Stoxx|Nikkei|Hang Seng|Kospi|KOSPI|TAIEX|Russell 2000|\bindex\b|year-end target", re.I)


def _as_points(amount: _Amount, text: str) -> _Amount:
    """A bare figure of four digits or more (not a year) beside an index is an index level."""
    written = text[amount.start : amount.end].strip()
    if amount.currency or amount.yuan or amount.value < 1000 or not written[:1].isdigit():
        return amount
    if "," not in written and 1900 <= amount.value <= 2100:
        return amount  # a year
    return replace(amount, currency="points")


# "Halvorsen Research (Hold, price target $340):": a round-up's rating, first in brackets after the firm
_OPENS_PARENTHESES = re.compile(r"\(\s*$")


def _closes_a_list_line(text: str, hit: Hit) -> bool:
    """"- JPMorgan: raised to $425 from $400, overweight": a rating standing last, after a comma."""
    return text[:2] in ("- ", "* ", "• ") and text[max(0, hit.start - 2) : hit.start] == ", " and not text[hit.end :].strip(" .;)")


def _english_target(text: str, word: Hit) -> bool:
    """The bare word "target" is a price target only beside price/share words, a rating, a
    rating verb or a dollar figure ("a hold rating with a $150 target")."""
    window = text[max(0, word.start - 30) : word.end + 30].lower()
    return any(w in window for w in ("price", "share", "stock", "rais", "lift", "cut", "lower", "set", "boost", "hik", "trim",
                                     "bump", "increas", "reduc", "rating", "rated", "rates", "$"))


def _rating_move_word(hit: Hit) -> bool:
    # Bare verbs and "… to" forms say a rating moved only with the rating after them.
    return hit.phrase.lower() not in {"raised", "lifted", "cut", "lowered", "raised to", "lifted to", "cut to", "lowered to",
                                      "starts", "started", "launches", "launched", "上调", "下调", "调升", "调降", "调高", "调低", "升至", "降至", "上调至", "下调至",
                                      "调升至", "调降至", "调高至", "调低至", "提升至", "上调为", "下调为", "升为", "降为",
                                      "调升为", "调降为", "调高为", "调低为", "升级", "降级"}


def _plausible(amount: _Amount, text: str) -> bool:
    """Years, dates and quarters are no levels: "2026年", "FY27", "Q3"."""
    if amount.currency or amount.yuan:
        return True
    after = text[amount.end : amount.end + 2]
    return not (after.startswith(("年", "月", "日", "季", "财年")) or 1900 <= amount.value <= 2100 and not amount.currency)


@lru_cache(maxsize=1)
def load_action_finder() -> ActionFinder:
    text = resources.files("kg.extract").joinpath("data/actions.yaml").read_text("utf-8")
    return ActionFinder(yaml.load(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)))
