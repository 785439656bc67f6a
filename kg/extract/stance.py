"""The stance a holder takes towards a target named in a sentence.

The stance phrases of the target's clause decide, else those of the nearest clause that
has one; a negator flips a phrase ("不看好", "not expected to benefit"), so does a negated
belief cue ("并不认为…"); a concession makes the view mixed ("尽管…但"), so does a contrast
clause that speaks of the same target ("…增长较快，但广告收入持续受压"); a cause is not
judged by what it did to others ("R1的发布让投资者产生疑问"), nor the subject of a
transitive verb by its object ("X动摇了信心"); spending that grows is no praise of the
spender, spending that falls is good news for it.

>>> from kg.extract.lexicon import load_lexicon
>>> reader = StanceReader(load_lexicon())
>>> text = "瑞银认为Meta受影响最小"
>>> sentence = Sentence(text, load_lexicon().markers.find(text), NOT_NEGATED, reader.hits(text), (4,))
>>> reader.stance(sentence, [4])
('positive', 'least affected')
"""

from __future__ import annotations

import re

from kg.extract.fold import latin
from kg.extract.holders import CLAUSE_BREAK
from kg.extract.lexicon import Hit, Lexicon, find_stance

_CONTRAST = re.compile(r"(?:但是|但|然而|不过|另一方面|惟(?![一有独])|所幸|幸好|好在|可惜|however|but|though|although|yet|even though|"
                       r"on the other hand|nonetheless|nevertheless|that said|even so)(?![A-Za-z])", re.I)
# The long run set against the short run named before it ("短期利润承压，长期前景向好"): a contrast too.
_LONG_RUN = re.compile(r"(?:中长期|中长线|长期|长线|longer[- ]term|long[- ]term|in the long run|over the long run)(?![A-Za-z])", re.I)
_SHORT_RUN = re.compile(r"短期|短线|near[- ]term|short[- ]term", re.I)
# A transitive verb whose object is a part of the company spoken of ("拖累毛利率", "hurt
# margins"): the blow lands on the company, whatever its subject.
_OWN_PART = re.compile(
    r"[^,:;。]{1,10}?(?:毛利率|利润率|净利率|利润|盈利|业绩|收入|营收|股价|估值|(?i:margins?|earnings|profits?|revenue|sales|valuation|shares|stock))"
)
_NEGATION_REACH = 3  # characters a negator may stand before the phrase it flips
_NONE: list = []
# The words of a broker's action: a contrast that speaks of one is an action, not a doubt.
_ACTION_WORD = re.compile(r"目标价|评级|评等|(?i:\btarget|\brating)")

Verdict = tuple[str, str]  # (stance, English gloss)
NOT_NEGATED = (-1, -1)  # a sentence with no negated belief cue
_SENTENCE_END = 1 << 30
NEUTRAL: Verdict = ("neutral", "")


class Sentence:
    """One sentence as the stance rules see it (positions relative to its start).

    Every target of every holder of a sentence is judged against the same clauses and
    markers: they are worked out once, on first use, and kept here."""

    __slots__ = ("text", "markers", "negated", "stance_hits", "mention_starts", "theme_starts", "polar", "_breaks",
                 "_clauses", "_spans", "by_tag")

    def __init__(self, text: str, markers: list[Hit], negated: tuple[int, int], stance_hits: list[Hit],
                 mention_starts: tuple[int, ...], theme_starts: tuple[int, ...] = ()):
        self.text = text
        self.markers = markers
        self.negated = negated  # (start, end) of the views a negated belief cue flips, or (-1, -1)
        self.stance_hits = stance_hits
        self.mention_starts = mention_starts
        self.theme_starts = theme_starts  # where sectors and themes are named ("data centers")
        self.polar: dict = {}  # (clause start, end) → its stance phrases
        self._breaks: tuple[list[int], list[int]] | None = None
        self._clauses: list[tuple[int, int]] | None = None
        self._spans: dict = {}  # a holder's span → the clauses it overlaps
        # The markers of each kind ("negator", "cost", …), in order: the rules ask for them
        # by kind several times for every target, so they are grouped once, here (and read
        # as ``by_tag.get(kind, _NONE)``: a method call per question costs more than the answer).
        self.by_tag: dict[str, list[Hit]] = {}
        for marker in markers:
            found = self.by_tag.get(marker.tag)
            if found is None:
                self.by_tag[marker.tag] = [marker]
            else:
                found.append(marker)

    def _break_spans(self) -> tuple[list[int], list[int]]:
        if self._breaks is None:
            found = [brk.span() for brk in CLAUSE_BREAK.finditer(self.text)]
            self._breaks = [start for start, _ in found], [end for _, end in found]
        return self._breaks

    def break_ends(self) -> list[int]:
        """Where each clause break (a comma, a colon, 但, however) of the sentence ends."""
        return self._break_spans()[1]

    @property
    def clauses(self) -> list[tuple[int, int]]:
        if self._clauses is None:
            self._clauses = _clauses(self._break_spans()[0], len(self.text))
        return self._clauses

    def clauses_in(self, span: tuple[int, int] | None) -> list[tuple[int, int]]:
        """The clauses that overlap ``span`` (all of them for no span)."""
        if span is None:
            return self.clauses
        found = self._spans.get(span)
        if found is None:
            low, high = span
            # clipped to the span: what follows the next holder is that holder's ("高盛预测…，大摩则较保守")
            found = self._spans[span] = [(max(c[0], low), min(c[1], high)) for c in self.clauses if c[0] < high and low < c[1]]
        return found


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses: cut at commas and colons, and before 但/however."""
    return _clauses([brk.start() for brk in CLAUSE_BREAK.finditer(text)], len(text))


def _clauses(break_starts: list[int], length: int) -> list[tuple[int, int]]:
    cuts = [0, *break_starts, length]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a] or [(0, length)]


def _nearest_first(index: int, count: int) -> tuple[int, ...]:
    """Clause positions by distance from ``index``, the later of two equally near first
    (worked out once for each place and number of clauses: every target asks)."""
    order = _ORDERS.get((index, count))
    if order is None:
        found = [index]
        for distance in range(1, count):
            if index + distance < count:
                found.append(index + distance)
            if index - distance >= 0:
                found.append(index - distance)
        order = _ORDERS[index, count] = tuple(found)
    return order


_ORDERS: dict[tuple[int, int], tuple[int, ...]] = {}


class StanceReader:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def hits(self, text: str) -> list[Hit]:
        return find_stance(self.lexicon, text)

    def negated_belief(self, cues: list[Hit], markers: list[Hit]) -> tuple[int, int]:
        """Where the words a negated belief cue flips ("并不认为", "does not expect") begin
        and end, or (-1, -1). A later belief cue that is not negated opens a belief of its
        own ("不看好记忆体，认为…面临压力": the pressure is meant as said)."""
        belief = self.lexicon.belief
        for number, cue in enumerate(cues):
            if cue.phrase.lower() in belief and negated(cue.start, markers):
                later = [c.start for c in cues[number + 1:] if c.phrase.lower() in belief and not negated(c.start, markers)]
                return cue.end, later[0] if later else _SENTENCE_END
        return NOT_NEGATED

    def stance(self, sentence: Sentence, starts: list[int], span: tuple[int, int] | None = None, parts=(),
               judged: bool = False) -> Verdict:
        """The stance towards a target named at ``starts``: the first mention that has one
        (``parts``: where its products are named, which a contrast may speak of; ``judged``:
        a named holder speaks, whose words weigh more than a market move beside them)."""
        first = None
        own = (*starts, *parts)
        for start in starts:
            found = self._stance_at(sentence, start, span, own, judged)
            if found[0] != "neutral":
                return found
            first = first or found
        return first

    def in_span(self, sentence: Sentence, span: tuple[int, int]) -> Verdict:
        """The stance a span states with no target named in it ("目标价上调至…", "the stock looks cheap")."""
        hits = self._polar_hits(sentence, span[0], span[1], None)
        return verdict(hits) if hits else NEUTRAL

    def only_causes(self, sentence: Sentence, starts: list[int]) -> bool:
        """Is the target at ``starts`` only the cause of the stance phrases of its clause
        ("X让投资者产生疑问", "X拖累了板块", "X对Y构成利空")? It is then no target of a view."""
        if not sentence.stance_hits and not sentence.by_tag.get("decline", _NONE):
            return False  # no clause judges anything (only phrases and falling costs do)
        for start in starts:
            clause = next(((s, e) for s, e in sentence.clauses if s <= start < e), None)
            if clause is None:
                continue
            judged = self._polar_hits(sentence, *clause, start)
            if not judged and any(hit[2] > start for hit in sentence.polar[clause].found):
                return True
        return False

    def _stance_at(self, sentence: Sentence, start: int, span: tuple[int, int] | None, own=(), judged=False) -> Verdict:
        if not sentence.stance_hits and not (sentence.by_tag.get("decline", _NONE) or sentence.by_tag.get("concessive", _NONE)):
            return NEUTRAL  # no phrase to read a view from, nothing conceded
        spans = sentence.clauses_in(span)
        if not spans:
            return NEUTRAL
        index = 0  # the target's clause (the first, if it stands in none of them)
        for i, (clause_start, clause_end) in enumerate(spans):
            if clause_start <= start < clause_end:
                index = i
                break
        clause_start = spans[index][0]
        for marker in sentence.by_tag.get("concessive", _NONE):
            if clause_start <= marker.start < start and not any(
                    m >= spans[index][1] and m not in own for m in sentence.mention_starts):
                return "mixed", "qualified view"  # (what the main clause grants another is no doubt of this one)
        for i in _nearest_first(index, len(spans)):
            clause_start, clause_end = spans[i]
            hits = self._polar_hits(sentence, clause_start, clause_end, start if i == index else None)
            if not hits:
                continue
            if i == index:
                sided = [hit for hit in hits if hit[0] != "neutral"] or hits
                moves = self._move_starts(sentence)
                if judged and len(sided) > 1 and moves:
                    # "近期回调提供了布局良机": the move is the fact, a named holder's words beside it the view
                    sided = [hit for hit in sided if hit[2] not in moves] or sided
                nearest = sided[0] if len(sided) == 1 else min(sided, key=lambda hit: abs(hit[2] - start))
                if all(hit[2] in moves for hit in sided) and (judged := self._judged_after(sentence, spans, index, moves)):
                    return verdict(judged)  # "股价累升逾60%，估值已反映…，上升空间有限": the move is the fact, the rest the view
                if start not in sentence.mention_starts and (conceded := self._conceded_hits(sentence, spans, index, own)):
                    return verdict([nearest, *conceded])  # "…were excellent, but curbs could cap upside for the stock"
                if index + 1 == len(spans):
                    return nearest[0], nearest[1]  # no clause after it to contrast: the phrase is the verdict
                contrast, doubted = self._contrast_hits(sentence, spans, index, own)
                if doubted and all(hit[0] == "neutral" for hit in contrast):
                    return "mixed", f"{nearest[1]}, with a reservation"  # "增长较快，但付费转化率偏低": a but is a doubt
                return verdict(_unconditional([nearest, *contrast], sentence.text))
            if i > index and i + 1 < len(spans):
                # "X是…的公司，具备先发优势，但公司仍处于亏损": the view a clause on, then its contrast
                return verdict([*hits, *self._contrast_hits(sentence, spans, i, own)[0]])
            return verdict(hits)
        return NEUTRAL

    def _judged_after(self, sentence: Sentence, spans, index, moves: set[int]) -> list[tuple[str, str, int]]:
        """The view words (no ``moves``) of the clauses after the target's, up to one naming
        another entity."""
        found = []
        for start, end in spans[index + 1 :]:
            if any(start <= m < end for m in sentence.mention_starts):
                break
            found += [hit for hit in self._polar_hits(sentence, start, end, None) if hit[2] not in moves]
        return found

    def _move_starts(self, sentence: Sentence) -> set[int]:
        """Where the sentence's market moves stand ("累升逾60%", "the selloff")."""
        return {h.start for h in sentence.stance_hits if self.lexicon.is_move(h)}

    def _contrast_hits(self, sentence: Sentence, spans, index, own=()) -> tuple[list[tuple[str, str, int]], bool]:
        """'X的云业务增长较快，但广告收入持续受压': a contrast clause naming no other entity
        (X again at most) still speaks of X. Its stance phrases, and whether a contrast was
        drawn at all (one speaking of an action aside), which is a doubt in any words."""
        found = []
        contrasting = contrasted = False
        for start, end in spans[index + 1 :]:
            clause = sentence.text[start:end].lstrip(",:; ")
            if not clause:
                continue
            # (a theme is no other entity: "…，但在AI供应链基本面支撑下，中长线仍偏多看待")
            if any(start <= m < end and m not in own and m not in sentence.theme_starts for m in sentence.mention_starts):
                break
            if not (contrasting or _CONTRAST.match(clause) or _LONG_RUN.match(clause) and _SHORT_RUN.search(sentence.text, 0, start)):
                continue  # "X增长较快，毛利率提升，但…": the contrast may come a clause later
            # "…; however, search faces disruption": a contrast word alone opens the clause after it
            contrasting = True  # the contrast runs on to the sentence's end: "但股价已涨六成，短线修正压力不可忽视"
            contrasted = contrasted or not _ACTION_WORD.search(clause)  # "…, but left its target unchanged" doubts nothing
            found += self._polar_hits(sentence, start, end, None)
            # "…，但短期股价或受手机业务拖累": a passive verb's blow lands on the subject spoken of
            passives = [m.start for m in sentence.by_tag.get("passive", _NONE) if start <= m.start < end]
            found += [hit[:3] for hit in sentence.polar[(start, end)].found if hit[3] and any(p < hit[2] for p in passives)]
        return found, contrasted

    def _conceded_hits(self, sentence: Sentence, spans, index, own=()) -> list[tuple[str, str, int]]:
        """A company pointed at, not named, in a clause that opens with a contrast ("…, but
        export curbs could cap upside for the stock") is weighed against what the clauses
        before it conceded, back to one naming an entity: the side those clauses take. (A
        company named there is set against whatever came before: "AI will spread, but it
        will squeeze Baidu's margins" is no praise of Baidu.)"""
        start, end = spans[index]
        clause = sentence.text[start:end].lstrip(",:; ")
        if index == 0 or not _CONTRAST.match(clause) or _ACTION_WORD.search(clause):
            return []
        found = []
        for start, end in reversed(spans[:index]):
            if any(start <= m < end and m not in own and m not in sentence.theme_starts for m in sentence.mention_starts):
                break
            found += self._polar_hits(sentence, start, end, None)
        return [hit for hit in found if hit[0] != "neutral"]

    def _polar_hits(self, sentence: Sentence, start: int, end: int, target: int | None) -> list[tuple[str, str, int]]:
        """(polarity, gloss, position) of each stance phrase in ``text[start:end]``; with a
        ``target`` position, the phrases that speak of the target there."""
        key = (start, end)
        clause = sentence.polar.get(key)
        if clause is None:
            clause = sentence.polar[key] = _Clause(self._clause_hits(sentence, start, end))
        if target is None:  # (a clause without the target: a verb acting on a part of the company still counts)
            return clause.untargeted if not clause.transitive else [
                hit[:3] for hit in clause.found if not hit[3] or _OWN_PART.match(sentence.text, hit[2])]
        causes = sentence.by_tag.get("causative", _NONE)
        objects = sentence.by_tag.get("object", _NONE)
        if not causes and not clause.transitive:
            hits = clause.hits  # nothing that could make a phrase no view of the target
        else:
            passives = sentence.by_tag.get("passive", _NONE) + objects  # what makes the target the object
            hits = [
                hit[:3] for hit in clause.found
                if not (causes and _caused_by(target, hit[2], causes))
                and (not hit[3] or _done_to(target, hit[2], passives) or _OWN_PART.match(sentence.text, hit[2]))
            ]
        if objects and any(m.end == target for m in objects):
            # "价格战对小米是利好": what comes before "对X" is the subject's, what follows is X's
            return [hit for hit in hits if hit[2] > target] or hits
        return hits

    def _clause_hits(self, sentence: Sentence, start: int, end: int) -> list[tuple[str, str, int, bool]]:
        """The stance phrases of a clause, once: (polarity, gloss, position, transitive)."""
        found = []
        costs = [m for m in sentence.by_tag.get("cost", _NONE) if m.start < end]
        negators, diminishers = sentence.by_tag.get("negator", _NONE), sentence.by_tag.get("diminisher", _NONE)
        if diminishers and negators:  # "竞争压力亦未缓解", "concerns have not eased": the worry stands
            diminishers = [d for d in diminishers if not negated(d.start, negators)]
        negated_from, negated_until = sentence.negated
        transitives = self.lexicon.transitive
        priced_in = [h.end for h in sentence.stance_hits if h.value == "priced in" and start <= h.start < end]
        relieving = _relieving(sentence, diminishers, self.lexicon.relievers) if diminishers else ()
        for hit in sentence.stance_hits:
            if not start <= hit.start < end or hit.start in relieving:
                continue
            if priced_in and hit.tag == "positive" and _priced(hit, priced_in, sentence.text):
                continue  # "估值已反映乐观预期", "prices in the optimism": the hope is the market's, already paid
            if hit.tag in ("neutral", "mixed"):
                found.append((hit.tag, hit.value, hit.start, False))  # no side to flip: "not in line" is no view either
                continue
            if costs and (self._is_growth(hit) or hit.value == "down" or hit.phrase.lower() in self.lexicon.decline) and _costs_before(costs, hit.start, sentence):
                continue  # "资本开支明显增加": spending more is no praise of the spender; "成本下降" is read below
            transitive = hit.phrase.lower() in transitives
            flipped = (bool(negators) and negated(hit.start, negators)) != (0 <= negated_from <= hit.start < negated_until)
            prefix = "not "
            if diminishers and hit.tag == "negative" and _diminished(hit, diminishers, self.lexicon.relievers, sentence.text):
                flipped = not flipped
            elif diminishers and hit.tag == "positive" and _limited(hit, diminishers, self.lexicon.limiters, sentence.text):
                flipped, prefix = not flipped, "limited "  # "上升空间有限", "upside is limited": too little of a good thing
            if flipped:
                found.append(("negative" if hit.tag == "positive" else "positive", prefix + hit.value, hit.start, transitive))
            else:
                found.append((hit.tag, hit.value, hit.start, transitive))
        for decline in sentence.by_tag.get("decline", _NONE):
            if start <= decline.start < end and _costs_before(costs, decline.start, sentence) and not negated(decline.start, negators):
                found.append(("positive", "lower costs", decline.start, False))
        return _judged_by_expectation(_unconditional(found, sentence.text), latin(sentence.text)) if len(found) > 1 else found

    def _is_growth(self, hit: Hit) -> bool:
        return hit.value == "up" or hit.phrase.lower() in self.lexicon.growth


class _Clause:
    """A clause's stance phrases, read once and kept in the forms the rules ask for (never
    changed by them)."""

    __slots__ = ("found", "hits", "untargeted", "transitive")

    def __init__(self, found: list[tuple[str, str, int, bool]]):
        self.found = found  # (polarity, gloss, position, transitive)
        self.hits = [hit[:3] for hit in found]
        self.untargeted = [hit[:3] for hit in found if not hit[3]]  # a transitive verb needs its object
        self.transitive = len(self.untargeted) < len(found)


# "…but would cut it if margins fell below 50%": what a condition supposes is no view beside one stated
_CONDITION = re.compile(r"\b(?:if|unless)\b[^,;:]*")


def _unconditional(found: list, text: str) -> list:
    spans = [m.span() for m in _CONDITION.finditer(text)] if " if " in text or " unless " in text else ()
    if not spans:
        return found
    stated = [hit for hit in found if not any(s <= hit[2] < e for s, e in spans)]
    return stated if any(hit[0] != "neutral" for hit in stated) else found


# What judges the news right before it: an expectation ("低于预期", "slower than expected") or
# its pace ("商业化进度落后于同业", "monetisation is lagging")
_EXPECTED = re.compile(r"expect|estimate|consensus|lagging|slowing|hindered")
# characters from a phrase to the comparison after it ("改善步伐或较预期慢", "improvement was slower than expected")
_JUDGED_REACH = {False: 12, True: 30}


def _judged_by_expectation(found: list[tuple[str, str, int, bool]], latin: bool) -> list[tuple[str, str, int, bool]]:
    """"毛利率改善低于预期", "margin improvement was slower than expected": a comparison
    with an expectation judges the good or bad news right before it, which is then no
    view of its own."""
    compared = [hit for hit in found if _EXPECTED.search(hit[1])]
    if not compared:
        return found
    reach = _JUDGED_REACH[latin]
    return [hit for hit in found if hit in compared or hit[0] == "neutral" or not any(
        c[0] not in (hit[0], "neutral") and 0 < c[2] - hit[2] <= reach for c in compared)]


def verdict(hits: list[tuple[str, str, int]]) -> Verdict:
    """The view the stance phrases state together: a side taken outweighs a phrase that takes none."""
    if len(hits) > 1 and any(p == "neutral" for p, _, _ in hits):
        hits = [hit for hit in hits if hit[0] != "neutral"] or hits[:1]
    if len(hits) == 1:
        return hits[0][0], hits[0][1]
    polarities = {p for p, _, _ in hits}
    gloss = "; ".join(dict.fromkeys(g for _, g, _ in hits))
    return ("mixed" if len(polarities) > 1 else hits[0][0]), gloss


def negated(start: int, markers: list[Hit]) -> bool:
    return any(m.tag == "negator" and 0 <= start - m.end <= _NEGATION_REACH for m in markers)


def _costs_before(costs: list[Hit], position: int, sentence: Sentence) -> bool:
    """Is the move at ``position`` one of costs: a cost noun before it, with no entity named
    in between to be its subject?"""
    return any(c.end <= position and not any(c.end <= m < position for m in sentence.mention_starts) for c in costs)


def _relieving(sentence: Sentence, diminishers: list[Hit], relievers: frozenset[str]) -> set[int]:
    """Where a reliever that is a stance word of its own ("dismissed") relieves the worry
    after it ("dismissed that concern"): it is no second, negative view there."""
    words = {m.start for m in diminishers if m.phrase.lower() in relievers}
    return {hit.start for hit in sentence.stance_hits if hit.start in words and hit.tag == "negative"
            and any(other.tag == "negative" and _OBJECT_BETWEEN.fullmatch(sentence.text, hit.end, other.start)
                    for other in sentence.stance_hits if other.start > hit.start)}


# What may stand between a reliever and the worry it relieves: a determiner ("dismissed that concern"),
# not a name ("dismissed Nvidia as overvalued": Nvidia judged).
_OBJECT_BETWEEN = re.compile(r"\s*(?:(?:that|the|those|these|such|this|any|all)\s+)?")


def _diminished(hit: Hit, markers: list[Hit], relievers: frozenset[str], text: str) -> bool:
    """"压力也较小", "风险将瞬间消除", "fears are overblown": a negative phrase followed by a
    diminisher reads as positive; so does one a reliever comes before in its clause
    ("缓解资本开支压力", "ease concerns")."""
    for m in markers:
        english = m.phrase.isascii()
        if 0 <= m.start - hit.end <= 4 or _in_clause_within(text, hit.end, m.start, 30 if english else 8):
            return True  # "the selloff in Nvidia is overdone": the diminisher may close the clause
        if m.phrase.lower() in relievers and _in_clause_within(text, m.end, hit.start, 20 if english else 12):
            return True
    return False


def _in_clause_within(text: str, end: int, start: int, reach: int) -> bool:
    """Does ``start`` follow ``end`` by at most ``reach`` characters, in the same clause?"""
    return 0 <= start - end <= reach and not CLAUSE_BREAK.search(text, end, start)


def _priced(hit: Hit, priced_in: list[int], text: str) -> bool:
    return any(_in_clause_within(text, end, hit.start, 24 if hit.phrase.isascii() else 10) for end in priced_in)


def _limited(hit: Hit, markers: list[Hit], limiters: frozenset[str], text: str) -> bool:
    """Is a positive phrase said to be small right after it ("上升空间有限")?"""
    return any(m.phrase.lower() in limiters and _in_clause_within(text, hit.end, m.start, 16 if m.phrase.isascii() else 4)
               for m in markers)


def _caused_by(target: int, hit_start: int, markers: list[Hit]) -> bool:
    return any(m.tag == "causative" and target < m.start < hit_start for m in markers)


def _done_to(target: int | None, h_start: int, markers: list[Hit]) -> bool:
    """Does a transitive stance verb ("动摇", "hurt") act on the target of its own clause?
    Its subject is only the cause: "X动摇了信心" is no view of X, "X受到…提振" and
    "…对X构成利空" are."""
    if target is None:
        return False
    if target > h_start:
        return True
    return any(m.tag == "passive" and target < m.start < h_start or m.tag == "object" and m.end == target for m in markers)
