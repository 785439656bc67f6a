"""One sentence as the rules see it: its text, the names in it and every phrase of the
vocabulary found there, with positions relative to the sentence.

The vocabulary is matched once over the whole article (:func:`article_hits`) and handed
out sentence by sentence (:func:`sentence_view`); a phrase inside a name is part of the
name (恒指 holds no 指, 中金公司 no 公司) and is dropped once, for the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.actions import NO_ACTIONS, ActionFinder, ActionHits, Figure, RatingMention
from kg.extract.fold import latin
from kg.extract.holders import list_line
from kg.extract.lexicon import Hit, Lexicon, deal, find_stance, lower_case
from kg.extract.sentences import Sentence
from kg.extract.stance import NOT_NEGATED
from kg.extract.stance import Sentence as StanceSentence
from kg.extract.stance import StanceReader
from kg.extract.targets import names_a_class
from kg.model import Mention


@dataclass(frozen=True)
class ArticleHits:
    """The lexicon's phrases found once over the whole article, dealt out to its
    sentences: each maps a sentence's number to its hits (offsets relative to it)."""

    topics: list[Hit]  # topic markers, offsets in the article
    markers: dict[int, list[Hit]]
    cues: dict[int, list[Hit]]
    words: dict[int, list[Hit]]  # holder words: implicit, group, unattributed, collective, plural
    stance: dict[int, list[Hit]]
    anaphora: dict[int, list[Hit]]
    market: dict[int, list[Hit]]
    actions: tuple[dict[int, list[Hit]], ...]  # ratings, rating moves, target words, directions


@dataclass(slots=True)  # not frozen: one is built for every sentence, and frozen ones build slowly
class SentenceView:
    """One sentence with everything found in it (positions relative to its start)."""

    sentence: Sentence
    text: str
    mentions: list[Mention]
    markers: list[Hit]
    cues: list[Hit]
    words: list[Hit]
    anaphora: list[Hit]
    stance: StanceSentence
    figures: list[Figure]
    ratings: list[RatingMention]
    moves: list[Hit]  # rating moves and target moves without a figure
    market: list[Hit]  # words of market reports: closes, turnover

    def last_signal(self) -> int:
        """Where the sentence last says something (a cue, a stance phrase, an action), or -1."""
        groups = (self.cues, self.stance.stance_hits, self.figures, self.ratings)
        last = max((group[-1].start for group in groups if group), default=-1)
        return max(last, max((m.start for m in self.moves), default=-1))


def article_hits(lexicon: Lexicon, actions: ActionFinder, folded: str, mentions: list[Mention],
                 sentences: list[Sentence]) -> ArticleHits:
    """The vocabulary of a whole article, found once, outside its names, dealt out to its sentences."""
    lowered = lower_case(folded)
    starts, ends = [s.start for s in sentences], [s.end for s in sentences]
    stance = outside(mentions)(find_stance(lexicon, folded, lowered))
    cues = [cue for cue in lexicon.cues.find(folded, lowered) if cue.tag != "none"]
    topics: list[Hit] = []
    # A word inside a name is part of the name: 恒指 is no 指, 中金公司 no 公司 (``deal`` drops it).
    return ArticleHits(
        topics=topics,
        markers=lexicon.markers.find_dealt(folded, lowered, starts, ends, mentions, topics),
        cues=deal(inside_none_of(cues, stance), starts, ends, mentions),
        words=_holder_words(lexicon, folded, lowered, starts, ends, mentions),
        stance=deal(stance, starts, ends),
        anaphora=lexicon.target_anaphora.find_dealt(folded, lowered, starts, ends, mentions),
        market=lexicon.market_report.find_dealt(folded, lowered, starts, ends),
        actions=actions.scan_dealt(folded, lowered, starts, ends),
    )


def _holder_words(lexicon: Lexicon, folded: str, lowered: str, starts: list[int], ends: list[int],
                  mentions: list[Mention]) -> dict[int, list[Hit]]:
    """Holder words and plural holder words ("三家机构"), dealt out together, in order."""
    words = lexicon.holders.find_dealt(folded, lowered, starts, ends, mentions)
    for number, plural in lexicon.plural_holders.find_dealt(folded, lowered, starts, ends, mentions).items():
        # (a stable sort: a holder word before a plural one at the same place, as before)
        words[number] = sorted(words.get(number, []) + plural, key=lambda h: h.start)
    return words


def sentence_view(stance_reader: StanceReader, actions: ActionFinder, sentence: Sentence, number: int,
                  mentions: list[Mention], hits: ArticleHits) -> SentenceView:
    """The sentence numbered ``number`` with what the article's vocabulary found in it."""
    text = sentence.text
    markers, cues = hits.markers.get(number) or [], hits.cues.get(number) or []
    stance = StanceSentence(
        text, markers, stance_reader.negated_belief(cues, markers) if cues else NOT_NEGATED, hits.stance.get(number) or [],
        tuple([m.start for m in mentions]), tuple([m.start for m in mentions if m.entity.type == "Sector"]),
    )
    is_list = bool(mentions) and mentions[0].start <= 3 and list_line(text, mentions[0])  # (a list line opens with its broker)
    acted = _actions_of(hits.actions, number)
    figures = actions.figures(text, list_line=is_list, hits=acted)
    ratings = actions.ratings(text, acted) if acted.ratings else []
    moves = (actions.rating_moves(text, acted) + actions.target_moves(text, acted)) if acted is not NO_ACTIONS else []
    words = hits.words.get(number) or []
    if words and cues:
        words = apart_from(words, cues)  # "发表报告" is a cue, not the word 报告
    return SentenceView(
        sentence, text, mentions, markers, cues, words, _pointers(text, hits.anaphora.get(number) or [], cues),
        stance, figures, ratings, moves, hits.market.get(number) or [],
    )


def _actions_of(dealt: tuple[dict[int, list[Hit]], ...], number: int) -> ActionHits:
    by_ratings, by_moves, by_targets, by_directions = dealt
    ratings, moves, targets = by_ratings.get(number), by_moves.get(number), by_targets.get(number)
    directions = by_directions.get(number)
    if not (ratings or moves or targets or directions):
        return NO_ACTIONS
    return ActionHits(ratings or [], moves or [], targets or [], directions or [])


def inside_none_of(cues: list[Hit], phrases: list[Hit]) -> list[Hit]:
    """The cues that are no word of a longer stance phrase: "beat estimates" holds no
    "estimates", "better than expected" no "expected" (both sorted by start). A bank's act
    stays its act: "raised its price target" is still "raised"."""
    if not cues or not phrases:
        return cues
    kept, i, last = [], 0, len(phrases)
    for cue in cues:
        while i < last and phrases[i].end <= cue.start:
            i += 1
        if cue.tag != "act" and _inside_longer(cue, phrases[i : i + 2]):
            continue
        kept.append(cue)
    return kept


def _inside_longer(cue: Hit, phrases: list[Hit]) -> bool:
    for phrase in phrases:
        if phrase.start <= cue.start and cue.end <= phrase.end and phrase.end - phrase.start > cue.end - cue.start:
            return True
    return False


def outside(mentions: list[Mention]):
    """A filter keeping the hits (sorted by start) that do not overlap a mention (sorted)."""

    def keep(hits: list[Hit]) -> list[Hit]:
        if not hits or not mentions:
            return hits
        kept, i, last = [], 0, len(mentions)
        for hit in hits:
            while i < last and mentions[i].end <= hit.start:
                i += 1
            # mentions do not overlap each other: the first not ending before the hit decides
            if i < last and mentions[i].start < hit.end:
                continue
            kept.append(hit)
        return kept

    return keep


def apart_from(words: list[Hit], cues: list[Hit]) -> list[Hit]:
    """The words that are not the object at the end of a cue ("发表报告"), though they may
    open one ("报告认为": the report is the subject)."""
    if not words or not cues:
        return words
    return [w for w in words if not any(c.start < w.start and w.end <= c.end for c in cues)]


def _pointers(text: str, anaphora: list[Hit], cues: list[Hit]) -> list[Hit]:
    """The words that point at a company, without those that name a class of them ("应用公司")."""
    if not anaphora or latin(text):
        return anaphora
    return [word for word in anaphora if not names_a_class(text, word, cues)]
