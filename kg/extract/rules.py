"""The rule-based claim extractor: deterministic, offline, Chinese and English.

For each sentence it decides three things, in this order:

1. **holder**: who holds the view. An attribution cue (认为, said, according to) binds
   a holder named before it (after it, for the inverted English forms); a pronoun or
   "该机构"/"the bank" resolves to the most recent compatible actor of the article; a
   collective cue gives the Group holder; a reporting cue gives Unattributed. A sentence
   without any cue takes the speaker of an open quotation, or continues the holder of its
   paragraph, or is the article's own voice.
2. **targets**: the catalogue entities the view is about; not the holder, not words that
   describe the holder ("OpenAI原负责人卡斯"), not an owner named only to introduce its
   product ("OpenAI的GPT-4"), not a means ("得益于微信"), not a yardstick ("相较于谷歌"),
   not the driver the view is framed by ("DeepSeek的影响"), not the set a comparison is
   drawn from ("在大型科技股中"). A company forecasting its own business ("微软预计",
   "Meta said it plans") is its own target.
3. **stance** of each target: the stance phrases of the target's clause, else of the
   nearest clause that has one, with negation (also of the cue: "并不认为", "does not
   expect"), concession (mixed), causation and transitive verbs.

Views carried over from context (not cued in the sentence itself) are kept only when
they take a side: a neutral sentence nobody is said to hold is not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace

from kg.extract.catalogue import Catalogue
from kg.extract.fold import fold
from kg.extract.lexicon import Hit, Lexicon, SpanIndex, find_stance, load_lexicon
from kg.extract.sentences import CLOSING_QUOTES, OPENING_QUOTES, Sentence, split_sentences
from kg.model import Article, ArticleExtraction, Claim, Mention

EXTRACTOR_NAME = "kg-rules"
EXTRACTOR_VERSION = "0.2.0"
EXTRACTOR = f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}"

_SPEAKER_TYPES = ("Institution", "Person")
_TARGET_TYPE = {"Company": "Company", "Institution": "Company", "Product": "Product", "Index": "Index", "Sector": "Sector"}
_KIND_OF_TYPE = {"Institution": "institution", "Company": "company", "Person": "person"}
_CLAUSE_BREAK = re.compile(r"[,:;，：；]|(?<![A-Za-z])(?:但是|但|然而|不过|而|however|but|while|whereas)(?![A-Za-z])", re.I)
_CONTRAST = re.compile(r"(?:但是|但|然而|不过|however|but)(?![A-Za-z])", re.I)
_AMONG_FRAME = re.compile(r"在[^,:;]{1,20}中[,:;]")  # "在大型科技股中，…": the set compared within
_ADJACENT_GAP = 6  # characters between a holder word and its cue ("微软此前也预计")
_OPENING_SUBJECT_REACH = 60  # "Google, one of Broadcom's biggest customers, said"
_NEGATION_REACH = 3  # characters a negator may stand before the phrase it flips
_MAX_NEUTRAL_TARGETS = 4  # a neutral list of more names is a catalogue, not a view
_CONFIDENCE = {"explicit": 0.9, "quote": 0.8, "implicit": 0.75, "continued": 0.6, "reported": 0.6, "unattributed": 0.5}


@dataclass(frozen=True)
class Holder:
    name: str
    type: str  # Institution | Person | Group | Unattributed
    entity_type: str | None = None  # the catalogue type, when the holder is a catalogue entity
    start: int = -1  # span of holder and cue in the sentence's folded text, when named there
    end: int = -1
    how: str = "explicit"  # explicit | implicit | quote | continued | reported | unattributed


@dataclass
class _ArticleState:
    """What an article has established so far: who spoke, who was named, about what."""

    chinese: bool = True

    holders: list[Holder] = field(default_factory=list)
    recent: dict[str, Holder] = field(default_factory=dict)  # kind → latest actor named
    targets_by_holder: dict[str, set[str]] = field(default_factory=dict)
    quote_speaker: Holder | None = None
    paragraph: int = -1
    paragraph_holder: Holder | None = None
    previous_paragraph_holder: Holder | None = None

    def remember(self, holder: Holder, targets: list[str]) -> None:
        self.paragraph_holder = holder
        if holder.type in ("Institution", "Person", "Group"):
            self.holders.append(holder)
            self.targets_by_holder.setdefault(holder.name, set()).update(targets)
        if holder.entity_type in _KIND_OF_TYPE:
            self.recent[_KIND_OF_TYPE[holder.entity_type]] = holder

    def saw(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            if mention.entity.type in _KIND_OF_TYPE:
                self.recent[_KIND_OF_TYPE[mention.entity.type]] = _holder_of(mention)

    def latest(self, kind: str) -> Holder | None:
        if kind == "any":
            speakers = [h for h in self.holders if h.type in _SPEAKER_TYPES]
            return speakers[-1] if speakers else self.recent.get("institution")
        return self.recent.get(kind)


class RuleExtractor:
    """Extract claims from articles with the catalogue and lexicon it was given."""

    name = EXTRACTOR

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon | None = None):
        self.catalogue = catalogue
        self.lexicon = lexicon or load_lexicon()

    def extract(self, article: Article) -> ArticleExtraction:
        """The claims an article carries and the entities it names."""
        folded = fold(article.prose)
        mentions = self.catalogue.mentions(article.prose, folded)
        topic = _dominant_entity(mentions)
        state = _ArticleState(chinese=article.lang != "en")
        claims: list[Claim] = []
        starts = [m.start for m in mentions]
        found = _ArticleHits(
            markers=SpanIndex(self.lexicon.markers.find(folded)),
            cues=SpanIndex(self.lexicon.cues.find(folded)),
            holders=SpanIndex(self.lexicon.holders.find(folded)),
            stance=SpanIndex(find_stance(self.lexicon, folded)),
        )
        for sentence in split_sentences(folded):
            first, last = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
            in_sentence = [_shift(m, sentence.start) for m in mentions[first:last]]
            claims.extend(self._sentence_claims(article, folded, sentence, in_sentence, state, topic, found))
            state.saw(in_sentence)
        mentioned = tuple(sorted({m.entity.name for m in mentions}))
        return ArticleExtraction(article, tuple(claims), mentioned)

    # -- one sentence -------------------------------------------------------------

    def _sentence_claims(self, article, folded, sentence, mentions, state, topic, found: "_ArticleHits") -> list[Claim]:
        text = folded[sentence.start : sentence.end]
        if sentence.paragraph != state.paragraph:
            state.previous_paragraph_holder = state.paragraph_holder
            state.paragraph, state.paragraph_holder = sentence.paragraph, None
        markers = found.markers.within(sentence.start, sentence.end)
        cues = found.cues.within(sentence.start, sentence.end)
        words = found.holders.within(sentence.start, sentence.end)
        holder = self._holder(text, mentions, cues, words, state)
        targets = self._targets(text, mentions, holder, markers)
        if holder is None:
            holder = self._context_holder(text, sentence, targets, state)
        elif self._forecasts_itself(text, holder):
            targets = [_self_mention(holder, self.catalogue), *(t for t in targets if t.entity.type != "Sector")]
        state.remember(holder, [m.entity.name for m in targets])
        if sentence.opens_quote and holder.type != "Unattributed":
            state.quote_speaker = holder
        elif not sentence.in_quote and not sentence.opens_quote:
            state.quote_speaker = None
        if not targets or (holder.how == "unattributed" and _opens_with_institution(mentions)):
            return []  # "Morgan Stanley's team was more cautious": a bank acts, nobody is quoted
        negated_from = self._negated_belief(cues, markers)
        context = _Context(
            text,
            holder,
            markers,
            negated_from,
            found.stance.within(sentence.start, sentence.end),
            _clauses(text),
            tuple(m.start for m in mentions),
        )
        return self._claims(article, sentence, context, targets, topic)

    def _negated_belief(self, cues: list[Hit], markers: list[Hit]) -> int:
        """Where a negated belief cue ends ("并不认为", "does not expect"), or -1: the view
        after it is flipped."""
        for cue in cues:
            if cue.phrase.lower() in self.lexicon.belief and _negated(cue.start, markers):
                return cue.end
        return -1

    def _claims(self, article, sentence, context: "_Context", targets, topic) -> list[Claim]:
        holder, text = context.holder, context.text
        by_name: dict[str, list[Mention]] = {}
        for mention in targets:
            by_name.setdefault(mention.entity.name, []).append(mention)
        claims = []
        for name, seen in by_name.items():
            stance, gloss = self._stance(context, seen)
            entity = self.catalogue.entities[name]
            if stance == "neutral" and not self._states_a_fact(holder, entity, len(by_name)):
                continue
            confidence = _CONFIDENCE[holder.how] - (0.1 if stance == "neutral" else 0.0)
            claims.append(
                Claim(
                    article_id=article.id,
                    article_file=article.path,
                    article_date=article.date,
                    holder=holder.name,
                    holder_type=holder.type,
                    target=name,
                    target_type=_TARGET_TYPE[entity.type],
                    stance=stance,
                    assessment=gloss or _clause_around(text, seen[0], article.body[sentence.start : sentence.end]),
                    topic=topic if topic not in (name, holder.name) else None,
                    evidence=article.body[sentence.start : sentence.end],
                    evidence_start=sentence.start,
                    evidence_end=sentence.end,
                    confidence=round(confidence, 2),
                    extractor=EXTRACTOR,
                )
            )
        return claims

    def _states_a_fact(self, holder: Holder, entity, targets: int) -> bool:
        """Is a neutral statement worth a claim? Only when someone says it about a company,
        product or index, in a sentence that is not a mere list of names."""
        return (
            holder.how not in ("continued", "unattributed")
            and entity.type != "Sector"  # a neutral remark on a theme is no view of it
            and targets <= _MAX_NEUTRAL_TARGETS
        )

    # -- holder -------------------------------------------------------------------

    def _holder(self, text: str, mentions: list[Mention], cues: list[Hit], words: list[Hit], state) -> Holder | None:
        for word in words:
            if word.tag == "group":
                return Holder(self.lexicon.group_holder, "Group", None, word.start, word.end)
            if word.tag == "unattributed" and not _CLAUSE_BREAK.search(text[: word.start]):
                return replace(self._unattributed(word.start, word.end), how="reported")
        anonymous = [m for p in self.lexicon.anonymous for m in p.finditer(text)] if cues else []
        for cue in cues:
            holder = self._bind(text, cue, mentions, words, anonymous, state)
            if holder is not None:
                return holder
        return None

    def _bind(self, text, cue: Hit, mentions, words, anonymous, state) -> Holder | None:
        """The holder a cue names, by preference: a bank or person named in the cue's own
        clause; a word right before the cue (a pronoun, a company, "analysts"); a company
        opening the sentence; a bank or person named earlier in the sentence."""
        if cue.tag == "after" or _after_quote(text, cue.start):
            holder = self._bind_after(text, cue, mentions, words, state)
            if holder is not None or cue.tag == "after":
                return holder
        before = [m for m in mentions if m.end <= cue.start]
        speakers = [m for m in before if m.entity.type in _SPEAKER_TYPES]
        in_clause = [m for m in speakers if not _CLAUSE_BREAK.search(text[m.end : cue.start])]
        if in_clause:
            return self._named(in_clause[-1], in_clause[-1].start, cue.end)
        adjacent: list[tuple[int, object]] = [
            (m.end, m) for m in before if m.entity.type in _KIND_OF_TYPE and _adjacent(text, m.end, cue.start)
        ]
        adjacent += [(w.end, w) for w in words if w.tag in ("implicit", "collective") and _adjacent(text, w.end, cue.start)]
        adjacent += [(a.end(), a) for a in anonymous if _adjacent(text, a.end(), cue.start)]
        for _, what in sorted(adjacent, key=lambda item: -item[0]):
            holder = self._resolve(what, cue, mentions, state)
            if holder is not None:
                return holder
        opening = [m for m in before if m.start == 0 and m.entity.type == "Company"]
        if opening and cue.start <= _OPENING_SUBJECT_REACH:
            return self._named(opening[0], 0, cue.end)
        if speakers:
            return self._named(speakers[-1], speakers[-1].start, cue.end)
        return None

    def _bind_after(self, text, cue: Hit, mentions, words, state) -> Holder | None:
        """'according to Morgan Stanley', 'according to the bank', and after a quotation
        '“…,” said Henrik Vestergaard, head of equity strategy at Saxo'."""
        reach = len(text) if _after_quote(text, cue.start) else cue.end + 3
        for mention in mentions:
            if mention.entity.type in _SPEAKER_TYPES and cue.end <= mention.start <= reach:
                return self._named(mention, cue.start, mention.end)
        for word in words:
            if word.tag == "implicit" and 0 <= word.start - cue.end <= 3:
                holder = self._resolve(word, cue, mentions, state)
                return replace(holder, start=cue.start, end=word.end) if holder else None
        return None

    def _resolve(self, what, cue: Hit, mentions, state) -> Holder | None:
        if isinstance(what, Mention):
            return self._named(what, what.start, cue.end)
        if isinstance(what, re.Match):
            return Holder(self.lexicon.anonymous_source, "Person", None, what.start(), cue.end)
        if what.tag == "collective":
            owner = [m for m in mentions if m.entity.type == "Institution" and 0 <= what.start - m.end <= 2]
            if owner:
                return self._named(owner[-1], owner[-1].start, cue.end)
            return self._unattributed(what.start, cue.end)
        earlier = [m for m in mentions if m.end <= what.start and _KIND_OF_TYPE.get(m.entity.type) == what.value]
        antecedent = _holder_of(earlier[-1]) if earlier else state.latest(what.value)
        if antecedent is None and what.value == "person":
            antecedent = state.latest("any")  # an unlisted analyst speaks for the last firm quoted
        if antecedent is None:
            return None
        return replace(antecedent, start=what.start, end=cue.end, how="implicit")

    def _named(self, mention: Mention, start: int, end: int) -> Holder:
        return replace(_holder_of(mention), start=start, end=end)

    def _unattributed(self, start: int = -1, end: int = -1) -> Holder:
        return Holder(self.lexicon.unattributed_holder, "Unattributed", None, start, end, "unattributed")

    def _context_holder(self, text, sentence: Sentence, targets, state: _ArticleState) -> Holder:
        """A holder for a sentence with no cue of its own."""
        if sentence.in_quote and state.quote_speaker:
            return _as(state.quote_speaker, "quote")
        if text[:1] in OPENING_QUOTES and state.latest("any"):
            return _as(state.latest("any"), "quote")
        if state.paragraph_holder:
            return _as(state.paragraph_holder, "continued")
        previous = state.previous_paragraph_holder
        if previous and previous.type != "Unattributed" and self._continues(text, targets, previous, state):
            return _as(previous, "continued")
        return self._unattributed()

    def _continues(self, text, targets, previous: Holder, state: _ArticleState) -> bool:
        """Does a new paragraph go on with the previous holder's argument?"""
        if not state.chinese:
            return False  # English news attributes each paragraph anew
        opener = self.lexicon.continuation.find(text[:8])
        if opener and opener[0].start == 0:
            return True
        seen = state.targets_by_holder.get(previous.name, set())
        return bool(targets) and bool({targets[0].entity.name, targets[0].entity.parent} & seen)

    def _forecasts_itself(self, text: str, holder: Holder) -> bool:
        """A company giving guidance: "微软预计…", "Meta said it still plans to…"."""
        if holder.entity_type != "Company" or holder.how not in ("explicit", "implicit"):
            return False
        return any(word in text.lower() for word in self.lexicon.guidance)

    # -- targets ------------------------------------------------------------------

    def _targets(self, text: str, mentions: list[Mention], holder: Holder | None, markers: list[Hit]) -> list[Mention]:
        frames = [f.span() for f in _AMONG_FRAME.finditer(text)]
        kept = []
        for i, mention in enumerate(mentions):
            if mention.entity.type not in _TARGET_TYPE or mention.entity.type == "Institution":
                continue  # banks and brokers speak in this news; they are not what it is about
            if holder and (holder.start <= mention.start < holder.end or mention.entity.name == holder.name):
                continue
            if holder and self._describes(text, mention, holder):
                continue
            if any(start <= mention.start < end for start, end in frames):
                continue
            if _owner_of_next(text, mention, mentions[i + 1 : i + 2]):
                continue
            if self._set_aside(text, mention, markers, holder):
                continue
            kept.append(mention)
        if any(m.entity.type != "Sector" for m in kept):
            # A theme named beside companies is their context; the view is about the companies.
            kept = [m for m in kept if m.entity.type != "Sector"]
        return kept

    def _describes(self, text: str, mention: Mention, holder: Holder) -> bool:
        """Words before the holder in its clause describe it ("OpenAI原负责人卡斯表示"),
        except a person's own company, which is what they speak for."""
        if mention.end > holder.start or _CLAUSE_BREAK.search(text[mention.end : holder.start]):
            return False
        speaker = self.catalogue.get(holder.name)
        return not (speaker and speaker.affiliation == mention.entity.name)

    def _set_aside(self, text: str, mention: Mention, markers: list[Hit], holder: Holder | None) -> bool:
        """Is the mention a means, a yardstick, the topic, or conceded before the holder speaks?"""
        for marker in markers:
            if marker.tag == "topic" and 0 <= marker.start - mention.end <= 2:
                return True
            if marker.tag in ("instrument", "comparator") and marker.end <= mention.start:
                between = text[marker.end : mention.start]
                if not _CLAUSE_BREAK.search(between) and len(between) <= 24:
                    return True
            if marker.tag == "concessive" and holder and holder.start > mention.start > marker.start:
                if _CLAUSE_BREAK.search(text[mention.end : holder.start]):
                    return True
        return False

    # -- stance -------------------------------------------------------------------

    def _stance(self, context: "_Context", seen: list[Mention]) -> tuple[str, str]:
        """The stance towards a target named at ``seen``: the first mention that has one."""
        verdicts = [self._stance_at(context, mention) for mention in seen]
        return next((v for v in verdicts if v[0] != "neutral"), verdicts[0])

    def _stance_at(self, context: "_Context", mention: Mention) -> tuple[str, str]:
        clauses = context.clauses
        index = next((i for i, (s, e) in enumerate(clauses) if s <= mention.start < e), 0)
        if any(m.tag == "concessive" and clauses[index][0] <= m.start < mention.start for m in context.markers):
            return "mixed", "qualified view"
        order = sorted(range(len(clauses)), key=lambda i: (abs(i - index), i < index))
        for i in order:
            start, end = clauses[i]
            hits = self._polar_hits(context, start, end, mention if i == index else None)
            if not hits:
                continue
            if i == index:
                nearest = min(hits, key=lambda hit: abs(hit[2] - mention.start))
                return _verdict([nearest, *self._contrast_hits(context, clauses, index)])
            return _verdict(hits)
        return "neutral", ""

    def _contrast_hits(self, context: "_Context", clauses, index) -> list[tuple[str, str, int]]:
        """'X的云业务增长较快，但广告收入持续受压': a contrast clause naming no other entity
        still speaks of X."""
        found = []
        for start, end in clauses[index + 1 :]:
            clause = context.text[start:end].lstrip(",:; ")
            if not clause:
                continue
            if not _CONTRAST.match(clause) or any(start <= m < end for m in context.mention_starts):
                break
            found += self._polar_hits(context, start, end, None)
        return found

    def _polar_hits(self, context: "_Context", start: int, end: int, mention: Mention | None) -> list[tuple[str, str, int]]:
        """(polarity, gloss, position) of each stance phrase in ``text[start:end]``."""
        found = []
        markers = context.markers
        costs = [m for m in markers if m.tag == "cost" and m.start < end]
        for hit in context.stance_hits:
            if not start <= hit.start < end:
                continue
            h_start = hit.start
            if self._is_growth(hit) and _costs_before(costs, h_start, context):
                continue  # "资本支出大幅增长": spending more is no praise of the spender
            if mention is not None and _caused_by(mention, h_start, markers):
                continue
            if hit.phrase.lower() in self.lexicon.transitive and not _done_to(mention, h_start, markers):
                continue
            flipped = _negated(h_start, markers) != (0 <= context.negated_from <= h_start)
            if hit.tag == "negative" and _diminished(hit.end, markers):
                flipped = not flipped
            if flipped:
                found.append(("negative" if hit.tag == "positive" else "positive", "not " + hit.value, h_start))
            else:
                found.append((hit.tag, hit.value, h_start))
        for decline in (m for m in markers if m.tag == "decline" and start <= m.start < end):
            if _costs_before(costs, decline.start, context) and not _negated(decline.start, markers):
                found.append(("positive", "lower costs", decline.start))
        return found

    def _is_growth(self, hit: Hit) -> bool:
        return hit.value == "up" or hit.phrase.lower() in self.lexicon.growth


@dataclass(frozen=True)
class _ArticleHits:
    """The lexicon's phrases found once over the whole article."""

    markers: SpanIndex
    cues: SpanIndex
    holders: SpanIndex
    stance: SpanIndex


@dataclass(frozen=True)
class _Context:
    """One sentence as the stance rules see it."""

    text: str
    holder: Holder
    markers: list[Hit]
    negated_from: int  # flip views after this position (a negated belief cue), or -1
    stance_hits: list[Hit]
    clauses: list[tuple[int, int]]
    mention_starts: tuple[int, ...]


# -- small helpers ----------------------------------------------------------------


def _holder_of(mention: Mention) -> Holder:
    kind = "Person" if mention.entity.type == "Person" else "Institution"
    return Holder(mention.entity.name, kind, mention.entity.type, mention.start, mention.end)


def _self_mention(holder: Holder, catalogue: Catalogue) -> Mention:
    return Mention(catalogue.entities[holder.name], holder.start, holder.end, holder.name)


def _as(holder: Holder, how: str) -> Holder:
    return replace(holder, start=-1, end=-1, how=how)


def _shift(mention: Mention, offset: int) -> Mention:
    return Mention(mention.entity, mention.start - offset, mention.end - offset, mention.surface)


def _after_quote(text: str, cue_start: int) -> bool:
    """Does the cue follow a closing quotation: '“…,” said X'?"""
    before = text[:cue_start].rstrip(" ,")
    return before[-1:] in CLOSING_QUOTES + '"' and bool(before[:-1].strip())


def _adjacent(text: str, end: int, cue_start: int) -> bool:
    gap = text[end:cue_start]
    reach = _ADJACENT_GAP * 2 if gap.isascii() else _ADJACENT_GAP  # "The brokerage does not expect"
    return end <= cue_start and len(gap) <= reach and not _CLAUSE_BREAK.search(gap) and not set(gap) & set(OPENING_QUOTES)


def _owner_of_next(text: str, mention: Mention, following: list[Mention]) -> bool:
    """'OpenAI的GPT-4', "Meta's Llama": the company only introduces its product."""
    if not following:
        return False
    nxt = following[0]
    if nxt.entity.parent != mention.entity.name:
        return False
    return text[mention.end : nxt.start].strip() in ("", "的", "'s", "’s", "旗下", "旗下的")


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the sentence's clauses: cut at commas and colons, and before 但/however."""
    cuts = [0, *(brk.start() for brk in _CLAUSE_BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a] or [(0, len(text))]


def _negated(start: int, markers: list[Hit]) -> bool:
    return any(m.tag == "negator" and 0 <= start - m.end <= _NEGATION_REACH for m in markers)


def _opens_with_institution(mentions: list[Mention]) -> bool:
    return bool(mentions) and mentions[0].start == 0 and mentions[0].entity.type == "Institution"


def _costs_before(costs: list[Hit], position: int, context: "_Context") -> bool:
    """Is the move at ``position`` one of costs: a cost noun before it, with no entity named
    in between to be its subject?"""
    return any(c.end <= position and not any(c.end <= m < position for m in context.mention_starts) for c in costs)


def _diminished(end: int, markers: list[Hit]) -> bool:
    """"压力也较小": a negative phrase followed by a diminisher reads as positive."""
    return any(m.tag == "diminisher" and 0 <= m.start - end <= 2 for m in markers)


def _caused_by(mention: Mention, hit_start: int, markers: list[Hit]) -> bool:
    return any(m.tag == "causative" and mention.end <= m.start < hit_start for m in markers)


def _done_to(mention: Mention | None, h_start: int, markers: list[Hit]) -> bool:
    """Does a transitive stance verb ("动摇", "hurt") act on the target of its own clause?
    Its subject is only the cause: "X动摇了信心" is no view of X, "X受到…提振" is."""
    if mention is None:
        return False
    if mention.start > h_start:
        return True
    return any(m.tag == "passive" and mention.end <= m.start < h_start for m in markers)


def _verdict(hits: list[tuple[str, str, int]]) -> tuple[str, str]:
    polarities = {p for p, _, _ in hits}
    gloss = "; ".join(dict.fromkeys(g for _, g, _ in hits))
    return ("mixed" if len(polarities) > 1 else hits[0][0]), gloss


def _clause_around(folded: str, mention: Mention, original: str) -> str:
    """The clause that names the target, as the article wrote it."""
    for start, end in _clauses(folded):
        if start <= mention.start < end:
            return original[start:end].strip(" ,.;:，。；：“”\"'")[:80]
    return ""


def _dominant_entity(mentions: list[Mention]) -> str | None:
    """The company or product an article talks about most: the driver its views are framed by."""
    counts = Counter(m.entity.name for m in mentions if m.entity.type in ("Company", "Product"))
    if not counts:
        return None
    ((name, count),) = counts.most_common(1)
    return name if count >= 3 else None
