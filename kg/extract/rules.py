"""The rule-based claim extractor: deterministic, offline, Chinese and English.

For each sentence it decides, in this order:

1. **holders** (:mod:`kg.extract.holders`): who speaks, bound by attribution cues, by
   opening a clause, or through words for holders named before; several holders split
   the sentence into spans. A sentence binding none takes the speaker of an open
   quotation, the holder of its paragraph, or the article's single voice; else it is
   the article's own (Unattributed).
2. **targets** (:mod:`kg.extract.targets`): the companies, products, indices and themes
   each holder's span names, or the company its words point at ("该股", "the stock").
3. **actions** (:mod:`kg.extract.actions`): ratings and price targets in the span, each
   paired with its holder and target.
4. **stance** (:mod:`kg.extract.stance`): from the stance phrases around the target and
   from the actions (a raised target is a positive view, a cut one with a buy rating kept
   is mixed).

Names the catalogue lacks are recognised from the words around them
(:mod:`kg.extract.discover`); the article's state (who spoke, for whom, about what) is
kept in :mod:`kg.extract.discourse`. Views carried over from context (not cued in the
sentence itself) are kept only when they take a side: a neutral sentence nobody is said
to hold is not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from kg.extract import targets as target_rules
from kg.extract.actions import ActionFinder, Figure, RatingMention, load_action_finder
from kg.extract.catalogue import Catalogue
from kg.extract.discourse import Discourse, focus_of
from kg.extract.discover import discover, local_mentions, surnames
from kg.extract.fold import fold
from kg.extract.holders import (
    CLAUSE_BREAK,
    SPEAKER_TYPES,
    Bound,
    Holder,
    after_quote,
    clause_opening,
    coordinated,
    cue_subjects,
    list_line,
    span_of,
    subjects_after,
)
from kg.extract.lexicon import Hit, Lexicon, SpanIndex, find_stance, load_lexicon, lower_case
from kg.extract.sentences import OPENING_QUOTES, Sentence, split_sentences
from kg.extract.stance import Sentence as StanceSentence
from kg.extract.stance import StanceReader, clauses
from kg.model import Action, Article, ArticleExtraction, Claim, Entity, Mention

EXTRACTOR_NAME = "kg-rules"
EXTRACTOR_VERSION = "0.3.0"
EXTRACTOR = f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}"

_MAX_NEUTRAL_TARGETS = 4  # a neutral list of more names is a catalogue, not a view
_CONFIDENCE = {"explicit": 0.9, "quote": 0.8, "implicit": 0.75, "continued": 0.6, "reported": 0.6, "unattributed": 0.5}
_ANONYMOUS_GATE = re.compile(r"某|知情|接近|一位|person|people|source", re.I)  # what every anonymous pattern holds
_HEADING_END = re.compile(r"[。！？.!?”」』\"')）:：]$")
_ACTION_STANCE = {"upgrade": "positive", "downgrade": "negative", "target_raised": "positive", "target_cut": "negative"}


@dataclass(frozen=True)
class _ArticleHits:
    """The lexicon's phrases found once over the whole article."""

    markers: SpanIndex
    cues: SpanIndex
    words: SpanIndex  # holder words: implicit, group, unattributed, collective, plural
    stance: SpanIndex
    anaphora: SpanIndex
    market: SpanIndex
    actions: tuple[SpanIndex, ...]  # ratings, rating moves, target words, directions


@dataclass(frozen=True)
class _View:
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


class RuleExtractor:
    """Extract claims from articles with the catalogue and vocabulary it was given."""

    name = EXTRACTOR

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon | None = None, actions: ActionFinder | None = None):
        self.catalogue = catalogue
        self.lexicon = lexicon or load_lexicon()
        self.actions = actions or load_action_finder()
        self.stance = StanceReader(self.lexicon)

    def extract(self, article: Article) -> ArticleExtraction:
        """The claims an article carries and the entities it names."""
        folded = fold(article.prose)
        known = self.catalogue.mentions(article.prose, folded)
        discovered = discover(folded, self.catalogue, known)
        local = local_mentions(folded, discovered + surnames(known), known)
        mentions = sorted(known + local, key=lambda m: m.start)
        title = fold(article.title or "")
        title_mentions = self.catalogue.mentions(title, title) + local_mentions(title, discovered, [])
        discourse = Discourse(chinese=article.lang != "en", focus=focus_of(title_mentions, mentions))
        hits = self._hits(folded, mentions)
        topic = self._topic(folded, mentions, hits.markers)
        starts = [m.start for m in mentions]
        claims: list[Claim] = []
        for sentence in split_sentences(folded):
            first, last = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
            in_sentence = [_shift(m, sentence.start) for m in mentions[first:last]]
            view = self._view(folded, sentence, in_sentence, hits)
            claims.extend(self._sentence_claims(article, view, discourse, topic))
            discourse.saw(in_sentence)
        mentioned = tuple(sorted({m.entity.name for m in mentions}))
        return ArticleExtraction(article, tuple(claims), mentioned, tuple(discovered))

    def _hits(self, folded: str, mentions: list[Mention]) -> _ArticleHits:
        lexicon, lowered = self.lexicon, lower_case(folded)
        # A word inside a name is part of the name: 恒指 is no 指, 中金公司 no 公司.
        free = _outside(mentions)
        words = lexicon.holders.find(folded, lowered) + lexicon.plural_holders.find(folded, lowered)
        return _ArticleHits(
            markers=SpanIndex(free(lexicon.markers.find(folded, lowered))),
            cues=SpanIndex(free([cue for cue in lexicon.cues.find(folded, lowered) if cue.tag != "none"])),
            words=SpanIndex(free(sorted(words, key=lambda h: h.start))),
            stance=SpanIndex(free(find_stance(lexicon, folded, lowered))),
            anaphora=SpanIndex(free(lexicon.target_anaphora.find(folded, lowered))),
            market=SpanIndex(lexicon.market_report.find(folded, lowered)),
            actions=self.actions.scan(folded, lowered),
        )

    def _view(self, folded: str, sentence: Sentence, mentions: list[Mention], hits: _ArticleHits) -> _View:
        start, end = sentence.start, sentence.end
        text = folded[start:end]
        markers, cues = hits.markers.within(start, end), hits.cues.within(start, end)
        stance = StanceSentence(
            text, markers, self.stance.negated_belief(cues, markers) if cues else -1, hits.stance.within(start, end),
            tuple(m.start for m in mentions),
        )
        is_list = bool(mentions) and list_line(text, mentions[0])
        acted = self.actions.hits_within(hits.actions, start, end)
        figures = self.actions.figures(text, list_line=is_list, hits=acted)
        ratings = self.actions.ratings(text, acted) if acted.ratings else []
        moves = (self.actions.rating_moves(text, acted) + self.actions.target_moves(text, acted)) if not acted.empty else []
        words = _apart_from(hits.words.within(start, end), cues)  # "发表报告" is a cue, not the word 报告
        return _View(
            sentence, text, mentions, markers, cues, words, [a for a in hits.anaphora.within(start, end) if a.tag != "none"],
            stance, figures, ratings, moves, hits.market.within(start, end),
        )

    def _topic(self, text: str, mentions: list[Mention], markers: SpanIndex) -> str | None:
        """The driver the article's views are framed by: an entity a topic marker follows
        ("DeepSeek的影响", "DeepSeek's impact")."""
        topical = [m for m in markers.within(0, 1 << 62) if m.tag == "topic"]
        starts = [m.start for m in topical]
        for mention in mentions:
            if mention.entity.type not in ("Company", "Product"):
                continue
            first = bisect_left(starts, mention.end)
            for marker in topical[first : bisect_left(starts, mention.end + 6)]:
                if target_rules.is_topic(text, mention.end, marker):
                    return mention.entity.name
        return None

    # -- one sentence -------------------------------------------------------------

    def _sentence_claims(self, article: Article, view: _View, discourse: Discourse, topic: str | None) -> list[Claim]:
        discourse.new_paragraph(view.sentence.paragraph)
        if not (view.mentions or view.cues or view.words or view.anaphora or view.stance.stance_hits or view.moves
                or view.ratings or view.figures):
            return []  # nothing said of anyone, by anyone
        bound = self._bind(view, discourse)
        if not bound:
            holder = self._context_holder(view, discourse)
            if holder is None:
                return []
            bound = [Bound((holder,), 0, 0)]
        self._follow_quote(view, discourse, bound[-1].holders[-1])
        named = list(dict.fromkeys(h for b in bound for h in b.holders if h.type == "Institution" and h.how != "continued"))
        if len({h.name for h in named}) > 1:
            discourse.last_group = tuple({h.name: h for h in named}.values())  # "三家机构", "both firms" next
        claims: list[Claim] = []
        for index, group in enumerate(bound):
            span = span_of(bound, index, len(view.text))
            for position, holder in enumerate(group.holders):
                found = self._holder_claims(article, view, discourse, topic, group, position, span)
                discourse.remember(holder, [c.target for c in found])
                claims.extend(found)
        return claims

    def _follow_quote(self, view: _View, discourse: Discourse, holder: Holder) -> None:
        if view.sentence.opens_quote and holder.type != "Unattributed":
            discourse.quote_speaker = holder
        elif not view.sentence.in_quote and not view.sentence.opens_quote:
            discourse.quote_speaker = None

    def _holder_claims(self, article, view: _View, discourse: Discourse, topic, group: Bound, position: int,
                       span: tuple[int, int]) -> list[Claim]:
        holder = group.holders[position]
        named = target_rules.pick(view.text, view.mentions, span, holder, view.markers)
        if holder.how in ("explicit", "implicit") and self._forecasts_itself(view.text, holder):
            named = [target_rules.self_mention(holder, self.catalogue.get(holder.name)), *(m for m in named if m.entity.type != "Sector")]
        if holder.how == "unattributed" and view.mentions and view.mentions[0].start == 0 and view.mentions[0].entity.type == "Institution":
            return []  # "Morgan Stanley's team was more cautious": a bank acts, nobody is quoted
        by_name: dict[str, list[int]] = {}
        for mention in named:
            by_name.setdefault(mention.entity.name, []).append(mention.start)
        if not by_name or all(self.catalogue.get(n) is not None and self.catalogue.get(n).type == "Sector" for n in by_name):
            # A theme named beside an action or "the stock" is context; the company is the target.
            by_name = self._implied_targets(view, discourse, span, holder) or by_name
        # Ratings and targets are a firm's: a group's average target or an anonymous rating is none.
        acts = holder.type == "Institution"
        figures = self._figures_of(view, group, position, span) if acts else []
        by_name = self._without_products_of_rated(view, span, by_name)
        claims = []
        for name, starts in by_name.items():
            entity = self.catalogue.get(name) or next((m.entity for m in view.mentions if m.entity.name == name), None)
            if entity is None or entity.type not in target_rules.TARGET_TYPE:
                continue
            actions = self._actions(view, span, starts, list(by_name.values()), figures, article, entity) if acts else []
            actions = discourse.coverage(holder.name, name, actions)
            claim = self._claim(article, view, holder, entity, starts, span, actions, topic, len(by_name))
            if claim is not None:
                claims.append(claim)
        return claims

    def _without_products_of_rated(self, view: _View, span, by_name: dict[str, list[int]]) -> dict[str, list[int]]:
        """A span that rates a company or sets its target speaks of the company: its products
        named for the reason ("downgrades Apple on iPhone sales") are no targets of their own."""
        inside = lambda p: span[0] <= p < span[1]  # noqa: E731
        if not (any(inside(r.start) for r in view.ratings) or any(inside(f.start) for f in view.figures)
                or any(inside(m.start) for m in view.moves)):
            return by_name
        rated = {n for n in by_name if (e := self.catalogue.get(n)) is not None and e.type == "Company"}
        return {n: s for n, s in by_name.items() if (e := self.catalogue.get(n)) is None or e.parent not in rated}

    def _implied_targets(self, view: _View, discourse: Discourse, span: tuple[int, int], holder: Holder) -> dict[str, list[int]]:
        """A span that names no target but points at one ("该股", "these companies"), acts on
        one, or states a view the paragraph's company is the subject of ("the analyst sees
        margins expanding")."""
        one = discourse.referent(self.catalogue)
        if one == holder.name:
            one = None  # a company is no target of its own words by a pointer: only by name, giving guidance
        names, at = target_rules.referred(view.anaphora, span, one, discourse.last_targets, view.mentions)
        if not names and one and (self._acts_on(view, span, one) or self._judges(view, span, holder, discourse.chinese, one)):
            names, at = [one], span[0]
        return {name: [at] for name in names}

    def _judges(self, view: _View, span: tuple[int, int], holder: Holder, chinese: bool, referent: str) -> bool:
        """Does a holder carried from context (a quotation, the paragraph) take a side in
        the span (a stance phrase, not only a market move) that can only be about the listed
        company in focus? (Views beside an index or a private lab are about themes.)"""
        entity = self.catalogue.get(referent)
        if entity is None or entity.type != "Company" or not entity.tickers:
            return False
        if holder.type in ("Unattributed", "Group") or not view.stance.stance_hits:
            return False
        if holder.how in ("explicit", "implicit") and chinese:
            # A holder named in a Chinese sentence names what it speaks of, or speaks of a
            # theme; English reports of one note quote the analyst without repeating the name.
            return False
        return self.stance.in_span(view.stance, span)[0] != "neutral" and not _reports_a_move(view, self.lexicon)

    def _acts_on(self, view: _View, span: tuple[int, int], name: str) -> bool:
        """Does the span state an action that fits the referent: index levels for an index,
        ratings and prices for a company?"""
        inside = lambda p: span[0] <= p < span[1]  # noqa: E731
        entity = self.catalogue.get(name)
        index = entity is not None and entity.type == "Index"
        figures = [f for f in view.figures if inside(f.start) and (f.currency == "points") == index]
        ratings = [] if index else [r for r in view.ratings if inside(r.start)]
        moves = [m for m in view.moves if inside(m.start) and (not index or m.value in ("raised", "cut"))]
        return bool(figures or ratings or moves)

    # -- claims ---------------------------------------------------------------------

    def _claim(self, article, view: _View, holder: Holder, entity: Entity, starts, span, actions, topic, count) -> Claim | None:
        stance, gloss = self.stance.stance(view.stance, [s for s in starts if s >= 0] or [span[0]], span)
        if actions:
            stance, gloss = _action_stance(actions, stance, gloss)
        elif stance == "neutral" and holder.name == entity.name and holder.how in ("explicit", "implicit"):
            pass  # a company's guidance on itself
        elif stance == "neutral" and holder.how in ("explicit", "implicit") and holder.type != "Unattributed":
            # A named holder speaking of a company without a word of stance is, in this news,
            # far more often favourable than not (three in four views are positive).
            stance, gloss = "positive", ""
        elif stance == "neutral":
            return None  # a neutral remark is no view
        sentence = view.sentence
        confidence = _CONFIDENCE[holder.how] - (0.1 if stance == "neutral" else 0.0)
        evidence = article.body[sentence.start : sentence.end]
        return Claim(
            article_id=article.id,
            article_file=article.path,
            article_date=article.date,
            holder=holder.name,
            holder_type=holder.type,
            target=entity.name,
            target_type=target_rules.TARGET_TYPE[entity.type],
            stance=stance,
            assessment=gloss or _gloss_of(actions) or _plain_gloss(stance, holder.name == entity.name),
            topic=topic if topic not in (entity.name, holder.name) else None,
            evidence=evidence,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            confidence=round(confidence, 2),
            extractor=EXTRACTOR,
            holder_person=holder.person,
            actions=tuple(actions),
        )

    def _states_a_fact(self, holder: Holder, entity: Entity, targets: int) -> bool:
        """Is a neutral statement worth a claim? Only when someone says it about a company,
        product or index, in a sentence that is not a mere list of names."""
        return (
            holder.how not in ("continued", "unattributed", "quote")
            and entity.type != "Sector"
            and targets <= _MAX_NEUTRAL_TARGETS
        )

    # -- holders ------------------------------------------------------------------

    def _bind(self, view: _View, discourse: Discourse) -> list[Bound]:
        """Every holder the sentence binds, by position; coordinated names together."""
        found: list[Bound] = [
            Bound((Holder(self.lexicon.group_holder, "Group", None, w.start, w.end),), w.start, w.end)
            for w in view.words if w.tag == "consensus"
        ]
        anonymous = (
            [m for p in self.lexicon.anonymous for m in p.finditer(view.text)]
            if view.cues and _ANONYMOUS_GATE.search(view.text) else []
        )
        for cue in view.cues:
            bound = self._bind_cue(view, cue, anonymous, discourse)
            if bound is not None:
                found.append(bound)
        found += self._openers(view, discourse, found)
        if not any(b.holders[0].type != "Unattributed" for b in found):
            found += self._reported(view)
        return _merge(found)

    def _bind_cue(self, view: _View, cue: Hit, anonymous, discourse: Discourse) -> Bound | None:
        text, mentions = view.text, view.mentions
        if cue.tag == "after" or after_quote(text, cue.start):
            subjects = subjects_after(text, cue, mentions, view.words)
            if subjects:
                bound = self._bound(view, subjects[0], cue, discourse)
                return replace(bound, after=True) if bound is not None else None
            if cue.tag == "after":
                return None
        for subject in cue_subjects(text, cue, mentions, view.words, anonymous):
            bound = self._bound(view, subject, cue, discourse)
            if bound is not None:
                return bound
        return None

    def _bound(self, view: _View, subject, cue: Hit, discourse: Discourse) -> Bound | None:
        """The holders a cue's subject stands for, bound at the subject."""
        if isinstance(subject, Mention):
            group = coordinated(view.text, subject, view.mentions) if subject.entity.type in SPEAKER_TYPES else [subject]
            # The holder's words run to the cue when the cue follows it ("瑞银认为"); a cue
            # clauses away ("…, calling") leaves the names between them to the view.
            end = cue.end if 0 <= cue.start - group[-1].end <= 12 else group[-1].end
            holders = tuple(discourse.speaker(m.entity, m.start, end) for m in group)
            return Bound(holders, group[0].start, group[-1].end)
        if isinstance(subject, re.Match):
            return Bound((Holder(self.lexicon.anonymous_source, "Person", None, subject.start(), cue.end),), subject.start(), subject.end())
        holders = self._resolve(view, subject, discourse)
        return Bound(tuple(h._replace(start=subject.start, end=cue.end) for h in holders), subject.start, subject.end) if holders else None

    def _resolve(self, view: _View, word: Hit, discourse: Discourse) -> tuple[Holder, ...]:
        """The holders a word stands for: "该行" the latest bank, "三家机构" the last group,
        "投行普遍" the banks at large, "analysts" nobody in particular."""
        if word.tag == "plural":
            return tuple(h._replace(how="implicit") for h in discourse.last_group)
        if word.tag == "group":
            named = self._named_with(view, word, discourse)
            return named or (Holder(self.lexicon.group_holder, "Group", None, word.start, word.end),)
        owner = [m for m in view.mentions if m.entity.type == "Institution" and 0 <= word.start - m.end <= 2]
        if owner and word.tag in ("collective", "implicit"):
            # "Citi analysts", "巴克莱分析师": the words belong to the bank before them.
            return (discourse.speaker(owner[-1].entity, owner[-1].start, word.end),)
        if word.tag == "collective":
            return (self._unattributed(word.start, word.end),)
        if word.tag != "implicit":
            return ()
        antecedent = self._antecedent(view, word, discourse)
        return (antecedent._replace(how="implicit"),) if antecedent else ()

    def _antecedent(self, view: _View, word: Hit, discourse: Discourse) -> Holder | None:
        """Whom "该行", "he", "it" stand for: the latest fitting speaker of the sentence,
        else of the article."""
        kind = word.value
        wanted = {"institution": ("Institution",), "person": ("Person",), "company": ("Company",)}.get(kind, SPEAKER_TYPES)
        earlier = [m for m in view.mentions if m.end <= word.start and m.entity.type in wanted]
        if earlier:
            return discourse.speaker(earlier[-1].entity)
        antecedent = discourse.latest(kind)
        if antecedent is None and kind == "person":
            antecedent = discourse.latest("any")  # an unlisted analyst speaks for the last firm quoted
        return antecedent

    def _named_with(self, view: _View, word: Hit, discourse: Discourse) -> tuple[Holder, ...]:
        """Banks named in apposition to a collective word: "摩根大通、美银等外资券商",
        "the brokers Barclays and Nomura"."""
        speakers = [m for m in view.mentions if m.entity.type in SPEAKER_TYPES]
        before = [m for m in speakers if m.end <= word.start and re.fullmatch(r"\s*等\s*", view.text[m.end : word.start])]
        after = [m for m in speakers if m.start >= word.end and not view.text[word.end : m.start].strip()]
        anchor = (before or after or [None])[0]
        if anchor is None:
            return ()
        return tuple(discourse.speaker(m.entity, m.start, m.end) for m in coordinated(view.text, anchor, view.mentions))

    def _openers(self, view: _View, discourse: Discourse, found: list[Bound]) -> list[Bound]:
        """Speakers and holder words that open a clause and say something after it, and
        broker list lines ("Barclays, to $300 from $200")."""
        subjects = [m for m in view.mentions if m.entity.type in SPEAKER_TYPES]
        if not subjects and not view.words:
            return []
        taken = [(b.at, b.end) for b in found]
        last = view.last_signal()
        breaks = [b.end() for b in CLAUSE_BREAK.finditer(view.text)]
        openers = []
        subjects += [
            w for w in view.words
            if (w.tag in ("plural", "group") or (w.tag == "implicit" and w.value in ("institution", "person")))
            and not _inside_mention(w, view.mentions)
        ]
        for subject in sorted(subjects, key=lambda x: x.start):
            if any(s <= subject.start < e for s, e in taken):
                continue
            if isinstance(subject, Mention):
                opens = list_line(view.text, subject) or _possessive_view(view, subject) or (
                    last >= subject.end and clause_opening(view.text, subject, breaks)
                )
            else:
                opens = last >= subject.end and clause_opening(view.text, subject, breaks)
            if not opens:
                continue
            bound = self._bound(view, subject, Hit("", subject.start, subject.end, "before"), discourse)
            if bound is not None and bound.holders:
                openers.append(bound)
                taken.append((bound.at, max(bound.end, subject.end)))
        return openers

    def _reported(self, view: _View) -> list[Bound]:
        for word in view.words:
            if word.tag == "unattributed" and not re.search(r"[,:;]", view.text[: word.start]):
                return [Bound((self._unattributed(word.start, word.end)._replace(how="reported"),), word.start, word.end)]
        return []

    def _unattributed(self, start: int = -1, end: int = -1) -> Holder:
        return Holder(self.lexicon.unattributed_holder, "Unattributed", None, start, end, "unattributed")

    def _context_holder(self, view: _View, discourse: Discourse) -> Holder | None:
        """A holder for a sentence with no holder of its own (None: a heading, no claim)."""
        sentence, text = view.sentence, view.text
        if sentence.in_quote and discourse.quote_speaker:
            return _as(discourse.quote_speaker, "quote")
        if text[:1] in OPENING_QUOTES and discourse.latest("any"):
            return _as(discourse.latest("any"), "quote")
        if _heading(text):
            return None
        if view.market or _reports_a_move(view, self.lexicon):
            return self._unattributed()
        if discourse.paragraph_holder and discourse.paragraph_holder.type != "Group":
            return _as(discourse.paragraph_holder, "continued")
        previous = discourse.previous_paragraph_holder or discourse.single_voice()
        if previous and previous.type not in ("Unattributed", "Group") and self._continues(view, previous, discourse):
            return _as(previous, "continued")
        return self._unattributed()

    def _continues(self, view: _View, previous: Holder, discourse: Discourse) -> bool:
        """Does a new paragraph go on with the previous holder's argument? Chinese reports
        of a broker's note do, English news attributes each paragraph anew."""
        if not discourse.chinese:
            return False
        opener = self.lexicon.continuation.find(view.text[:12])
        if opener and opener[0].start == 0:
            return True
        if discourse.single_voice() is not None:
            return True
        seen = discourse.targets_by_holder.get(previous.name, set())
        names = {m.entity.name for m in view.mentions} | {m.entity.parent for m in view.mentions}
        return bool(names & seen)

    def _forecasts_itself(self, text: str, holder: Holder) -> bool:
        """A company giving guidance: "微软预计…", "Meta said it still plans to…"."""
        if holder.entity_type != "Company":
            return False
        return any(word in text.lower() for word in self.lexicon.guidance)

    # -- actions ------------------------------------------------------------------

    def _figures_of(self, view: _View, group: Bound, position: int, span: tuple[int, int]) -> list[Figure]:
        """The target figures of one holder of a group: all of the span's, or, when the
        group lists as many figures as holders ("分别将目标价上调至120元和110元"), its own."""
        inside = [f for f in view.figures if span[0] <= f.start < span[1]]
        if len(group.holders) > 1 and len(inside) == len(group.holders):
            return [inside[position]]
        return inside

    def _actions(self, view: _View, span, starts: list[int], all_starts: list[list[int]], figures: list[Figure],
                 article: Article, entity: Entity) -> list[Action]:
        """The analyst actions of one (holder, target) in a span."""
        own = _figures_for(figures, starts, all_starts) if entity.type in ("Company", "Index") else []
        ratings = [r for r in view.ratings if span[0] <= r.start < span[1]] if entity.type in ("Company", "Index") else []
        rating = ratings[-1] if ratings else None
        actions = []
        if rating is not None:
            actions.append(Action(rating.move, rating.rating, rating.rating_class))
        else:
            moves = [m for m in view.moves if span[0] <= m.start < span[1] and m.value in ("upgrade", "downgrade", "initiate")
                     and entity.type == "Company" and _near(m, starts)]
            if moves:
                actions.append(Action(moves[0].value))
        for figure in own:
            kind = {"raised": "target_raised", "cut": "target_cut"}.get(figure.direction or "", "target_set")
            currency = figure.currency or _currency_of(entity, article, figure)
            actions.append(Action(kind, rating.rating if rating else None, rating.rating_class if rating else None,
                                  figure.value, figure.previous, currency))
        if not own:
            moved = [m for m in view.moves if span[0] <= m.start < span[1] and m.value in ("raised", "cut")]
            if moved and entity.type in ("Company", "Index"):
                actions.append(Action("target_raised" if moved[0].value == "raised" else "target_cut",
                                      rating.rating if rating else None, rating.rating_class if rating else None))
        return actions


def _near(move: Hit, starts: list[int], reach: int = 60) -> bool:
    """Is a rating move within reach of the target it is about ("downgrades Apple",
    "a downgrade from Oppenheimer" after "Microsoft shares fell")?"""
    return any(abs(move.start - s) <= reach for s in starts if s >= 0) or all(s < 0 for s in starts)


def _figures_for(figures: list[Figure], starts: list[int], all_starts: list[list[int]]) -> list[Figure]:
    """The figures that belong to one target when a span names several: each figure goes to
    the target named last before it ("Samsung … to 260,000 won, SK hynix … to 1.5 million won")."""
    if len(all_starts) <= 1 or not figures:
        return figures
    if len(figures) == len(all_starts) and all(s and s[0] >= 0 for s in all_starts):
        order = sorted(range(len(all_starts)), key=lambda i: all_starts[i][0])
        mine = order.index(all_starts.index(starts))
        return [figures[mine]]
    owners = []
    for figure in figures:
        before = [(max(p for p in s if p < figure.start), i) for i, s in enumerate(all_starts) if any(p < figure.start for p in s)]
        owners.append(max(before)[1] if before else 0)
    mine = all_starts.index(starts)
    return [f for f, owner in zip(figures, owners) if owner == mine]


def _action_stance(actions: list[Action], stance: str, gloss: str) -> tuple[str, str]:
    """The view the actions state: a raised target or an upgrade is positive, a downgrade
    negative, a cut target with a positive rating kept mixed, a rating its class."""
    sides = set()
    for action in actions:
        if action.action in _ACTION_STANCE:
            sides.add(_ACTION_STANCE[action.action])
        elif action.rating_class:
            sides.add(action.rating_class)
    if "negative" in sides and "positive" in sides:
        return "mixed", gloss or _gloss_of(actions)
    if sides:
        side = "negative" if "negative" in sides else ("positive" if "positive" in sides else "neutral")
        return side, gloss if stance == side and gloss else _gloss_of(actions)
    return "positive", gloss if stance == "positive" and gloss else _gloss_of(actions)  # a target set, no rating


def _gloss_of(actions: list[Action]) -> str:
    parts = []
    for action in actions:
        words = action.action.replace("_", " ")
        if action.rating:
            words += f" ({action.rating})"
        if action.price_target is not None:
            words += f" to {action.price_target:g}" + (f" {action.currency}" if action.currency else "")
        parts.append(words)
    return "; ".join(parts)


_MARKET_CURRENCY = {"HK": "HKD", "SH": "CNY", "SZ": "CNY", "TW": "TWD", "TWO": "TWD", "KS": "KRW", "T": "JPY"}


def _currency_of(entity: Entity, article: Article, figure: Figure) -> str | None:
    """The currency of a figure written with 元 alone: the market where the share is listed
    (H share → HKD, A share → CNY, Taiwan → TWD), else the article's market."""
    if not figure.yuan:
        return None
    markets = [t.rsplit(".", 1)[-1] for t in entity.tickers if "." in t]
    for market in markets:
        if market in _MARKET_CURRENCY:
            return _MARKET_CURRENCY[market]
    return {"TW": "TWD", "HK": "HKD", "MO": "HKD"}.get(article.region or "", "CNY")


def _merge(found: list[Bound]) -> list[Bound]:
    """Bound holders in order of position; the same holders bound twice count once."""
    merged: list[Bound] = []
    for bound in sorted(found, key=lambda b: b.at):
        names = tuple(h.name for h in bound.holders)
        if merged and tuple(h.name for h in merged[-1].holders) == names:
            # "华泰证券分析师王磊表示": the firm and its analyst are one holder, with the analyst
            people = [b.person or a.person for a, b in zip(merged[-1].holders, bound.holders)]
            merged[-1] = replace(merged[-1], holders=tuple(h._replace(person=p) for h, p in zip(merged[-1].holders, people)))
            continue
        if any(b.at <= bound.at < max(b.end, b.at + 1) for b in merged):
            continue
        merged.append(bound)
    return merged


def _reports_a_move(view: _View, lexicon: Lexicon) -> bool:
    """A sentence whose only stance is a market move ("Nvidia rose 2%", "shares fell
    sharply"): the article reporting the market, not the view of whoever spoke before."""
    hits = view.stance.stance_hits
    return bool(hits) and all(h.value in ("up", "down") or h.phrase.lower() in lexicon.moves for h in hits)


def _possessive_view(view: _View, mention: Mention) -> bool:
    """"Microchip remains Citi’s top pick", "HSBC's bullish call": a view the bank owns."""
    match = re.match(r"['’]s\s+(?:[\w-]+\s+){0,2}", view.text[mention.end :])
    if not match:
        return False
    at = mention.end + match.end()
    return any(h.start == at for h in view.stance.stance_hits) or any(r.start == at for r in view.ratings)


def _outside(mentions: list[Mention]):
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


def _apart_from(words: list[Hit], cues: list[Hit]) -> list[Hit]:
    """The words that are not the object at the end of a cue ("发表报告"), though they may
    open one ("报告认为": the report is the subject)."""
    if not words or not cues:
        return words
    return [w for w in words if not any(c.start < w.start and w.end <= c.end for c in cues)]


def _inside_mention(word: Hit, mentions: list[Mention]) -> bool:
    return any(m.start <= word.start < m.end or word.start <= m.start < word.end for m in mentions)


def _heading(text: str) -> bool:
    """A heading line: short, and not ended like a sentence."""
    return len(text) <= 80 and not _HEADING_END.search(text)


def _as(holder: Holder, how: str) -> Holder:
    return holder._replace(start=-1, end=-1, how=how)


def _shift(mention: Mention, offset: int) -> Mention:
    return Mention(mention.entity, mention.start - offset, mention.end - offset, mention.surface)


def _plain_gloss(stance: str, about_itself: bool) -> str:
    """An English word for a view no stance phrase glosses: the assessment stays English."""
    if about_itself and stance == "neutral":
        return "own outlook"
    return {"positive": "favourable", "negative": "unfavourable", "mixed": "mixed view"}.get(stance, "stated")
