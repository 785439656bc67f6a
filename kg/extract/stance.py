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
>>> sentence = Sentence(text, load_lexicon().markers.find(text), -1, reader.hits(text), (4,))
>>> reader.stance(sentence, [4])
('positive', 'least affected')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from kg.extract.holders import CLAUSE_BREAK
from kg.extract.lexicon import Hit, Lexicon, find_stance

_CONTRAST = re.compile(r"(?:但是|但|然而|不过|however|but)(?![A-Za-z])", re.I)
_NEGATION_REACH = 3  # characters a negator may stand before the phrase it flips

Verdict = tuple[str, str]  # (stance, English gloss)


@dataclass
class Sentence:
    """One sentence as the stance rules see it (positions relative to its start)."""

    text: str
    markers: list[Hit]
    negated_from: int  # flip views after this position (a negated belief cue), or -1
    stance_hits: list[Hit]
    mention_starts: tuple[int, ...]
    polar: dict = field(default_factory=dict)  # (clause start, end) → hits, for no target in particular

    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        return clauses(self.text)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses: cut at commas and colons, and before 但/however."""
    cuts = [0, *(brk.start() for brk in CLAUSE_BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a] or [(0, len(text))]


class StanceReader:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def hits(self, text: str) -> list[Hit]:
        return find_stance(self.lexicon, text)

    def negated_belief(self, cues: list[Hit], markers: list[Hit]) -> int:
        """Where a negated belief cue ends ("并不认为", "does not expect"), or -1."""
        for cue in cues:
            if cue.phrase.lower() in self.lexicon.belief and negated(cue.start, markers):
                return cue.end
        return -1

    def stance(self, sentence: Sentence, starts: list[int], span: tuple[int, int] | None = None) -> Verdict:
        """The stance towards a target named at ``starts``: the first mention that has one."""
        verdicts = [self._stance_at(sentence, start, span) for start in starts]
        return next((v for v in verdicts if v[0] != "neutral"), verdicts[0])

    def in_span(self, sentence: Sentence, span: tuple[int, int]) -> Verdict:
        """The stance a span states with no target named in it ("目标价上调至…", "the stock looks cheap")."""
        hits = self._polar_hits(sentence, span[0], span[1], None)
        return verdict(hits) if hits else ("neutral", "")

    def only_causes(self, sentence: Sentence, starts: list[int]) -> bool:
        """Is the target at ``starts`` only the cause of the stance phrases of its clause
        ("X让投资者产生疑问", "X拖累了板块", "X对Y构成利空")? It is then no target of a view."""
        for start in starts:
            clause = next(((s, e) for s, e in sentence.clauses if s <= start < e), None)
            if clause is None:
                continue
            judged = self._polar_hits(sentence, *clause, start)
            if not judged and any(hit[2] > start for hit in sentence.polar[clause]):
                return True
        return False

    def _stance_at(self, sentence: Sentence, start: int, span: tuple[int, int] | None) -> Verdict:
        if not sentence.stance_hits and not sentence.markers:
            return "neutral", ""
        spans = [c for c in sentence.clauses if span is None or (c[0] < span[1] and span[0] < c[1])]
        if not spans:
            return "neutral", ""
        index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), 0)
        if any(m.tag == "concessive" and spans[index][0] <= m.start < start for m in sentence.markers):
            return "mixed", "qualified view"
        order = sorted(range(len(spans)), key=lambda i: (abs(i - index), i < index))
        for i in order:
            clause_start, clause_end = spans[i]
            hits = self._polar_hits(sentence, clause_start, clause_end, start if i == index else None)
            if not hits:
                continue
            if i == index:
                nearest = min(hits, key=lambda hit: abs(hit[2] - start))
                return verdict([nearest, *self._contrast_hits(sentence, spans, index)])
            return verdict(hits)
        return "neutral", ""

    def _contrast_hits(self, sentence: Sentence, spans, index) -> list[tuple[str, str, int]]:
        """'X的云业务增长较快，但广告收入持续受压': a contrast clause naming no other entity
        still speaks of X."""
        found = []
        for start, end in spans[index + 1 :]:
            clause = sentence.text[start:end].lstrip(",:; ")
            if not clause:
                continue
            if not _CONTRAST.match(clause) or any(start <= m < end for m in sentence.mention_starts):
                break
            found += self._polar_hits(sentence, start, end, None)
        return found

    def _polar_hits(self, sentence: Sentence, start: int, end: int, target: int | None) -> list[tuple[str, str, int]]:
        """(polarity, gloss, position) of each stance phrase in ``text[start:end]``; with a
        ``target`` position, the phrases that speak of the target there."""
        key = (start, end)
        found = sentence.polar.get(key)
        if found is None:
            found = sentence.polar[key] = self._clause_hits(sentence, start, end)
        if target is None:
            return [hit[:3] for hit in found if not hit[3]]
        markers = sentence.markers
        return [
            hit[:3] for hit in found
            if not _caused_by(target, hit[2], markers) and (not hit[3] or _done_to(target, hit[2], markers))
        ]

    def _clause_hits(self, sentence: Sentence, start: int, end: int) -> list[tuple[str, str, int, bool]]:
        """The stance phrases of a clause, once: (polarity, gloss, position, transitive)."""
        found = []
        markers = sentence.markers
        costs = [m for m in markers if m.tag == "cost" and m.start < end]
        for hit in sentence.stance_hits:
            if not start <= hit.start < end:
                continue
            if self._is_growth(hit) and _costs_before(costs, hit.start, sentence):
                continue  # "资本开支明显增加": spending more is no praise of the spender
            transitive = hit.phrase.lower() in self.lexicon.transitive
            flipped = negated(hit.start, markers) != (0 <= sentence.negated_from <= hit.start)
            if hit.tag == "negative" and _diminished(hit.end, markers):
                flipped = not flipped
            if flipped:
                found.append(("negative" if hit.tag == "positive" else "positive", "not " + hit.value, hit.start, transitive))
            else:
                found.append((hit.tag, hit.value, hit.start, transitive))
        for decline in (m for m in markers if m.tag == "decline" and start <= m.start < end):
            if _costs_before(costs, decline.start, sentence) and not negated(decline.start, markers):
                found.append(("positive", "lower costs", decline.start, False))
        return found

    def _is_growth(self, hit: Hit) -> bool:
        return hit.value == "up" or hit.phrase.lower() in self.lexicon.growth


def verdict(hits: list[tuple[str, str, int]]) -> Verdict:
    polarities = {p for p, _, _ in hits}
    gloss = "; ".join(dict.fromkeys(g for _, g, _ in hits))
    return ("mixed" if len(polarities) > 1 else hits[0][0]), gloss


def negated(start: int, markers: list[Hit]) -> bool:
    return any(m.tag == "negator" and 0 <= start - m.end <= _NEGATION_REACH for m in markers)


def _costs_before(costs: list[Hit], position: int, sentence: Sentence) -> bool:
    """Is the move at ``position`` one of costs: a cost noun before it, with no entity named
    in between to be its subject?"""
    return any(c.end <= position and not any(c.end <= m < position for m in sentence.mention_starts) for c in costs)


def _diminished(end: int, markers: list[Hit]) -> bool:
    """"压力也较小", "风险将瞬间消除", "fears are overblown": a negative phrase followed by a
    diminisher reads as positive."""
    return any(
        m.tag == "diminisher" and 0 <= m.start - end <= (12 if m.phrase.isascii() else 4) for m in markers
    )


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
