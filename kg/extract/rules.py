"""The rule-based claim extractor: deterministic, offline, Chinese and English.

For each sentence it decides, in this order:

1. **holders** (:mod:`kg.extract.binding`, :mod:`kg.extract.holders`): who speaks, bound by attribution cues, by
   opening a clause, or through words for holders named before; several holders split
   the sentence into spans. A sentence binding none takes the speaker of an open
   quotation, the holder of its paragraph, or the article's single voice; else it is
   the article's own (Unattributed).
2. **targets** (:mod:`kg.extract.targets`): the companies, products, indices and themes
   each holder's span names, or the company its words point at ("该股", "the stock").
3. **actions** (:mod:`kg.extract.actions`, :mod:`kg.extract.pairing`): ratings and price
   targets in the span, each paired with its holder and target.
4. **stance** (:mod:`kg.extract.stance`): from the stance phrases around the target and
   from the actions (a raised target is positive, a cut one with a buy kept mixed).

Each sentence is read as a :mod:`kg.extract.view` of the article's vocabulary. Names
the catalogue lacks are recognised from the words around them
(:mod:`kg.extract.discover`); the article's state (who spoke, for whom, about what) is
kept in :mod:`kg.extract.discourse`. Views carried over from context (not cued in the
sentence itself) are kept only when they take a side: a neutral sentence nobody is said
to hold is not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from kg.extract import targets as target_rules
from kg.extract.actions import ActionFinder, load_action_finder
from kg.extract.binding import HolderBinder, heading, reports_a_move, reports_facts
from kg.extract.catalogue import Catalogue
from kg.extract.discourse import Discourse, author_of, firms_named, focus_of
from kg.extract.discover import as_written, discover, local_mentions, names_over_themes
from kg.extract.short_names import company_short_names, surnames
from kg.extract.fold import fold, latin
from kg.extract.holders import CLAUSE_BREAK, Bound, Holder, estimates_move, guidance_move, span_of, states_guidance
from kg.extract.lexicon import Hit, Lexicon, load_lexicon
from kg.extract.pairing import action_stance, actions_for, gloss_of, own_actions, plain_gloss, prior_stance, rated_over_products
from kg.extract.quotes import closing_sentences
from kg.extract.sentences import boilerplate, chinese_heading, split_sentences
from kg.extract.stance import StanceReader, verdict
from kg.extract.view import SentenceView, article_hits, sentence_view
from kg.model import Article, ArticleExtraction, Claim, Entity, Mention

EXTRACTOR_NAME = "kg-rules"
EXTRACTOR_VERSION = "0.11.0"  # raised when the rules change what they find: the rebuild state keys on it
EXTRACTOR = f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}"

_CONFIDENCE = {"explicit": 0.9, "quote": 0.8, "implicit": 0.75, "continued": 0.6, "reported": 0.6, "unattributed": 0.5}
# A claim's confidence by how its holder was bound and whether it is neutral (less sure), worked out once.
_ROUNDED_CONFIDENCE = {(how, neutral): round(value - (0.1 if neutral else 0.0), 2)
                       for how, value in _CONFIDENCE.items() for neutral in (False, True)}


class RuleExtractor:
    """Extract claims from articles with the catalogue and vocabulary it was given."""

    name = EXTRACTOR

    def __init__(self, catalogue: Catalogue, lexicon: Lexicon | None = None, actions: ActionFinder | None = None):
        self.catalogue = catalogue
        self.lexicon = lexicon or load_lexicon()
        self.actions = actions or load_action_finder()
        self.stance = StanceReader(self.lexicon)
        self.binder = HolderBinder(self.lexicon)

    def extract(self, article: Article) -> ArticleExtraction:
        """The claims an article carries and the entities it names: its names, sentences and vocabulary
        (:meth:`prepare`), then its sentences' claims (:meth:`claims_of`; :mod:`kg.extract.batch` prepares many first)."""
        return self.claims_of(self.prepare(article))

    def prepare(self, article: Article) -> tuple:
        folded = fold(article.prose)
        known = [m for m in self.catalogue.mentions(article.prose, folded)
                 if not (folded[m.start : m.end] in _INDEX_MAKERS and _INDEX_FAMILY.match(folded, m.end))]
        discovered = as_written(discover(folded, self.catalogue, known), folded, article.prose)
        local = local_mentions(folded, discovered + surnames(known) + company_short_names(known, self.catalogue), known)
        known = names_over_themes(known, local)
        mentions = sorted(known + local, key=lambda m: m.start)
        title = fold(article.title or "")
        title_mentions = self.catalogue.mentions(title, title) + local_mentions(title, discovered, [])
        discourse = Discourse(chinese=article.lang != "en", focus=focus_of(title_mentions, mentions),
                              author=author_of(title, title_mentions))
        discourse.firms.update(firms_named(folded, mentions))
        discourse.discovered = {e.name: e for e in discovered}  # "the company" may mean one the catalogue lacks
        sentences = split_sentences(folded)
        hits = article_hits(self.lexicon, self.actions, folded, mentions, sentences)
        topic = target_rules.topic_of(folded, mentions, hits.topics)
        return article, mentions, discovered, discourse, sentences, hits, topic

    def claims_of(self, prepared: tuple) -> ArticleExtraction:
        article, mentions, discovered, discourse, sentences, hits, topic = prepared
        starts = [m.start for m in mentions]

        def view_of(number: int) -> SentenceView:
            sentence = sentences[number]
            first, last = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
            return sentence_view(self.stance, self.actions, sentence, number,
                                 [m.moved(sentence.start) for m in mentions[first:last]], hits)

        closings = closing_sentences(sentences)
        early: dict[int, SentenceView] = {}  # a closing sentence's view, made when its quotation opened
        claims: list[Claim] = []
        for number in range(len(sentences)):
            view = early.pop(number, None) or view_of(number)
            closing = closings.get(number)
            if closing is None:
                discourse.quote_ahead = None
            elif closing[0] not in early:
                # a quotation whose speaker is named where it closes is theirs from its first sentence
                early[closing[0]] = view_of(closing[0])
                discourse.quote_ahead = self.binder.speaker_after(early[closing[0]], closing[1], discourse)
            claims.extend(self._sentence_claims(article, view, discourse, topic))
            discourse.saw([m for m in view.mentions if not target_rules.named_aside(view.text, m, view.markers)])
        mentioned = tuple(sorted({m.entity.name for m in mentions}))
        return ArticleExtraction(article, tuple(claims), mentioned, tuple(discovered))

    def _sentence_claims(self, article: Article, view: SentenceView, discourse: Discourse, topic: str | None) -> list[Claim]:
        discourse.new_paragraph(view.sentence.paragraph)
        if "?" in view.text[-4:] and view.text.rstrip(" \"'”」』)").endswith("?"):
            return []  # a question states no view (an interviewer's, or one the next sentence answers)
        if not (view.mentions or view.cues or view.words or view.anaphora or view.stance.stance_hits or view.moves
                or view.ratings or view.figures):
            return []  # nothing said of anyone, by anyone
        if boilerplate(view.text) or chinese_heading(view.text) and not (view.figures or view.ratings or view.moves):
            return []  # a risk disclosure; a Chinese subheading sums up the sentences below it (its actions are annotated)
        bound = self.binder.bind(view, discourse)
        if bound and heading(view.text) and all(h.how == "implicit" for b in bound for h in b.holders):
            return []  # "What the company says": a heading's words point at no one yet
        if not bound:
            holder = self.binder.context_holder(view, discourse)
            if holder is None:
                return []
            bound = [Bound((holder,), 0, 0)]
        self._follow_quote(view, discourse, bound[-1].holders[-1])
        if len(bound) > 1 or len(bound[0].holders) > 1:
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
        return _one_per_pair(claims)

    def _follow_quote(self, view: SentenceView, discourse: Discourse, holder: Holder) -> None:
        if view.sentence.opens_quote and holder.type != "Unattributed":
            discourse.quote_speaker = holder
        elif not view.sentence.in_quote and not view.sentence.opens_quote:
            discourse.quote_speaker = None

    def _holder_claims(self, article, view: SentenceView, discourse: Discourse, topic, group: Bound, position: int,
                       span: tuple[int, int]) -> list[Claim]:
        holder = group.holders[position]
        named = target_rules.pick(view.text, view.mentions, span, holder, view.markers)
        if holder.how in ("explicit", "implicit") and self.binder.forecasts_itself(view.text, holder, named) and (
                itself := self.catalogue.get(holder.name) or discourse.discovered.get(holder.name)) is not None:
            # (a company the catalogue lacks, found in the text, gives guidance on itself too)
            named = [target_rules.self_mention(holder, itself), *(m for m in named if m.entity.type != "Sector")]
        if holder.how == "unattributed" and view.mentions and view.mentions[0].start == 0 and view.mentions[0].entity.type == "Institution":
            return []  # "Morgan Stanley's team was more cautious": a bank acts, nobody is quoted
        by_name: dict[str, list[int]] = {}
        for mention in named:
            by_name.setdefault(mention.entity.name, []).append(mention.start)
        if len(by_name) > 1:
            by_name = self._topic_first(view, by_name) or self._clause_subjects(view, span, by_name)
        if not by_name or all((e := self.catalogue.get(n)) is not None and e.type == "Sector" for n in by_name):
            # A theme named beside an action or "the stock" is context; the company is the target.
            by_name = self._implied_targets(view, discourse, span, holder) or by_name
        # Ratings and targets are a firm's, not a group's or anonymous (and a sentence with none gives none).
        acts = holder.type == "Institution" and bool(view.ratings or view.figures or view.moves)
        figures, rated = own_actions(view, group, position, span) if acts else ([], view)
        by_name = rated_over_products(self.catalogue, view, span, by_name, discourse.focus)
        by_name = _without_reasons(view, span, by_name)
        claims = []
        acted = {}
        for name, starts in by_name.items():
            entity = self.catalogue.get(name) or discourse.discovered.get(name)
            if entity is None or entity.type not in target_rules.TARGET_TYPE:
                continue
            actions = discourse.coverage(holder.name, name, actions_for(rated, span, starts, list(by_name.values()), figures,
                                                                        article, entity)) if acts else []
            acted[name] = (entity, starts, actions)
        if len(acted) > 1 and any(a for _, _, a in acted.values()):
            acted = _rated_first(view, acted)
        for name, (entity, starts, actions) in acted.items():
            claim = self._claim(article, view, holder, entity, starts, span, actions, topic)
            if claim is not None:
                claims.append(claim)
        return claims

    def _topic_first(self, view: SentenceView, by_name: dict[str, list[int]]) -> dict[str, list[int]] | None:
        """"至於博通，儘管Meta的ASIC正進行設計調整…": a sentence opened by "as for X" speaks of X;
        the other companies it names are X's customers and rivals, its own products aside."""
        opened = _AS_FOR.match(view.text)
        if opened is None:
            return None
        first = next((m for m in view.mentions if m.start >= opened.end()), None)
        if first is None or first.start != opened.end() or first.entity.type != "Company" or first.entity.name not in by_name:
            return None
        topic = first.entity
        return {n: s for n, s in by_name.items() if n == topic.name or _related(self.catalogue.get(n), topic)}

    def _clause_subjects(self, view: SentenceView, span, by_name: dict[str, list[int]]) -> dict[str, list[int]]:
        """A company that opens a clause is what the clause says something of: companies named
        after it in the same clause are its context (customers, rivals, suppliers: "緯穎在Meta
        與微軟的ASIC專案將帶動營收", "CoreWeave's schedule for Nvidia chips"), unless listed
        with it ("Google and Meta"), its own product or owner, the object of 对, or judged on
        their own after it ("upgraded Nvidia and cut AMD")."""
        entities = {n: self.catalogue.get(n) for n in by_name}
        firsts = sorted((min(s), n) for n, s in by_name.items()
                        if entities[n] is None or entities[n].type in ("Company", "Product"))
        if len(firsts) < 2:
            return by_name
        signals = [h.start for h in view.stance.stance_hits] + [r.start for r in view.ratings] + [m.start for m in view.moves]
        dropped: set[str] = set()
        _, opener = firsts[0]
        kept = {opener}
        for start, name in firsts[1:]:
            last_end = max((m.end for m in view.mentions if m.entity.name in kept and m.end <= start), default=start)
            gap = view.text[last_end:start]
            if (_CLAUSE_END.search(gap) or CLAUSE_BREAK.search(gap) or _LISTED.match(_PARENTHESES.sub("", gap))
                    or gap.rstrip().endswith(("对", "對")) or _related(entities[name], entities[opener])
                    or any(last_end <= p < start for p in signals) or target_rules.set_against(view.text, start, span, view.mentions)):
                kept.add(name)
            else:
                dropped.add(name)
        return {n: s for n, s in by_name.items() if n not in dropped} if dropped else by_name

    def _implied_targets(self, view: SentenceView, discourse: Discourse, span: tuple[int, int], holder: Holder) -> dict[str, list[int]]:
        """A span that names no target but points at one ("该股", "these companies"), acts on
        one, or states a view the paragraph's company is the subject of ("the analyst sees
        margins expanding")."""
        one = target_rules.named_before(view.mentions, view.anaphora, span, holder) or discourse.referent(self.catalogue)
        if (own := self._speakers_employer(view, holder, discourse)) and not target_rules.part_of(self.catalogue.get(one or ""), own):
            one = own  # an executive's "the company" is theirs, or the unit of it the paragraph is about
        if one == holder.name and (holder.how not in ("explicit", "implicit") or self.stance.in_span(view.stance, span)[0] == "neutral"):
            one = None  # a company is no target of its own words by a pointer, unless they take a side ("公司…有信心")
        names, at = target_rules.referred(view.anaphora, span, one, discourse.last_targets, view.mentions, discourse.last_index)
        if not names:
            earlier = [m.entity.name for m in view.mentions if m.end <= span[0] and m.entity.type in ("Company", "Index")]
            if earlier and self._acts_on(view, span, earlier[-1]):
                names, at = [earlier[-1]], span[0]  # "Bernstein raised its target on Apple while Jefferies cut its rating"
        if not names and (own := self._employer_speaking(view, span, holder, discourse)):
            names, at = [own], span[0]  # "Chief Executive C.C. Wei said AI revenue would double"
        if not names and one and (self._acts_on(view, span, one) or self._judges(view, span, holder, discourse, one)
                                  or _speaks_on(view, span, holder) and not _names_any(view, span)):
            names, at = [one], span[0]
        return {name: [at] for name in names}

    def _employer_speaking(self, view: SentenceView, span: tuple[int, int], holder: Holder, discourse: Discourse) -> str | None:
        """The company an executive named as the speaker runs, when what they say names no
        company, product or index but speaks of a business: their own."""
        firm = self._speakers_employer(view, holder, discourse)
        if firm is None:
            return None
        said = max(span[0], holder.end)  # (the firm may be named in the speaker's title: "寒武纪董事长")
        if any(said <= m.start < span[1] and m.entity.type in ("Company", "Product", "Index") for m in view.mentions):
            return None
        if not (_OWN_BUSINESS.search(view.text, said, span[1]) or _OWN_BUSINESS.search(view.text, span[0], holder.start)):
            return None  # a remark on the world at large ("中国AI不可能永远跟随")
        return None if reports_a_move(view, self.lexicon) else firm

    def _speakers_employer(self, view: SentenceView, holder: Holder, discourse: Discourse) -> str | None:
        """The company the executive speaking runs: "the company" in their words ("AMD CEO Lisa Su said…")."""
        if holder.type != "Person" or holder.how not in ("explicit", "implicit"):
            return None
        firm = self._employer(holder.name, discourse)
        if holder.how == "implicit":  # "他也坦言…价格竞争…": the paragraph's executive, by a pronoun, taking a side
            return None if self.stance.in_span(view.stance, (0, len(view.text)))[0] == "neutral" else firm
        return firm if any(holder.start <= cue.start < holder.end for cue in view.cues) else None  # not "surpassed Musk"

    def _employer(self, name: str, discourse: Discourse) -> str | None:
        """The company a person runs: their affiliation, or for an executive found in the
        text with no firm named, the company the article is about."""
        person = self.catalogue.get(name) or discourse.discovered.get(name)
        if person is None or person.role == "analyst":
            return None
        employer = person.affiliation
        if employer is None and person.role == "executive":
            employer = discourse.focus or discourse.referent(self.catalogue)
        firm = (self.catalogue.get(employer) or discourse.discovered.get(employer)) if employer else None
        return firm.name if firm is not None and firm.type == "Company" else None

    def _judges(self, view: SentenceView, span: tuple[int, int], holder: Holder, discourse: Discourse, referent: str) -> bool:
        """Does a holder carried from context (a quotation, the paragraph) take a side in
        the span (a stance phrase, not only a market move) that can only be about the listed
        company in focus? (Views beside an index or a private lab are about themes; a company
        found in the article, or one a broker rated in it, is listed.)"""
        chinese = discourse.chinese
        entity = self.catalogue.get(referent) or discourse.discovered.get(referent)
        if entity is None or entity.type != "Company" or not (entity.tickers or entity.discovered or referent in discourse.rated):
            return False
        if holder.type == "Unattributed" or not view.stance.stance_hits:
            return False
        if holder.how in ("explicit", "implicit") and chinese and not (
                referent == discourse.focus and target_rules.only_an_attitude(view.text, view.mentions, span, holder)):
            # A holder named in a Chinese sentence names what it speaks of, or speaks of a
            # theme; English reports of one note quote the analyst without repeating the name.
            return False
        stance, gloss = self.stance.in_span(view.stance, span)
        # a word that takes no side ("in line with consensus") is a view all the same
        return (stance != "neutral" or bool(gloss)) and not reports_a_move(view, self.lexicon)

    def _acts_on(self, view: SentenceView, span: tuple[int, int], name: str) -> bool:
        """Does the span state an action that fits the referent: index levels for an index,
        ratings and prices for a company?"""
        points = _POINTS.search(view.text, *span) is not None
        if not (view.figures or view.ratings or view.moves or points):
            return False  # (most sentences state no action at all)
        inside = lambda p: span[0] <= p < span[1]  # noqa: E731
        entity = self.catalogue.get(name)
        index = entity is not None and entity.type == "Index"
        if index and points:
            return True  # "渣打则估计在28000点至30000点": a level for the index, a range too
        figures = [f for f in view.figures if inside(f.start) and (f.currency == "points") == index]
        ratings = [] if index else [r for r in view.ratings if inside(r.start)]
        moves = [m for m in view.moves if inside(m.start) and (not index or m.value in ("raised", "cut"))]
        return bool(figures or ratings or moves)

    def _claim(self, article, view: SentenceView, holder: Holder, entity: Entity, starts, span, actions, topic) -> Claim | None:
        parts = [m.start for m in view.mentions if m.entity.parent == entity.name]  # "its Copilot momentum"
        stance, gloss = self.stance.stance(view.stance, [s for s in starts if s >= 0] or [span[0]], span, parts,
                                           judged=holder.type != "Unattributed")
        if not actions and starts[0] >= 0 and (against := target_rules.set_against(view.text, min(starts), span, view.mentions)):
            stance, gloss = against
        if actions:
            stance, gloss = action_stance(actions, stance, gloss)
            if stance == "positive" and estimates_move(view.text[span[0]:span[1]]) == "cut":
                stance, gloss = "mixed", f"{gloss}; estimates cut"  # "下调盈利预测，维持增持评级"
        elif stance == "neutral" and holder.type == "Group" and (moved := _street_moves(view, span)):
            stance, gloss = moved  # "brokerages cut their price targets", "美系外资给予中立评级": the street's side
        elif stance == "neutral" and holder.name == entity.name and holder.how in ("explicit", "implicit"):
            moved = guidance_move(view.text, costs=view.stance.by_tag.get("cost", ()))  # a company's guidance on itself
            if moved:
                stance, gloss = {"raised": ("positive", "raised guidance"), "cut": ("negative", "cut guidance")}.get(
                    moved, ("neutral", "spending guidance"))
            elif not gloss and not view.stance.by_tag.get("cost") and _OWN_GROWTH.search(view.text, span[0], span[1]):
                stance, gloss = "positive", "expects growth"  # "expects sales to more than triple": a company's own hope
            elif not gloss and not view.stance.by_tag.get("cost") and not states_guidance(view.text, *span):
                return None  # a company's remark on itself that states no guidance and takes no side
        elif stance == "neutral" and holder.type == "Institution" and (moved := estimates_move(view.text[span[0]:span[1]])):
            stance, gloss = ("positive", "estimates raised") if moved == "raised" else ("negative", "estimates cut")
        elif stance == "neutral" and self.stance.only_causes(view.stance, starts):
            return None  # the cause of what the sentence judges ("X拖累了板块") is no target of it
        elif stance == "neutral" and gloss and holder.type != "Unattributed" and holder.how in ("explicit", "implicit", "quote"):
            pass  # a named holder's word for a view that takes no side ("in line", "观望")
        elif stance == "neutral" and holder.name == self.lexicon.anonymous_source:
            pass  # people familiar with a matter report its facts: no side taken
        elif stance == "neutral" and holder.how in ("explicit", "implicit") and holder.type != "Unattributed" and not reports_facts(view, holder, self.lexicon):
            stance, gloss = prior_stance(holder.type, view.text, span), ""
        elif stance == "neutral" and not _speaks_on(view, span, holder):
            return None  # a neutral remark is no view
        sentence = view.sentence
        evidence = article.body[sentence.start : sentence.end]
        return Claim.of(
            article_id=article.id,
            article_file=article.path,
            article_date=article.date,
            holder=holder.name,
            holder_type=holder.type,
            target=entity.name,
            target_type=target_rules.TARGET_TYPE[entity.type],
            stance=stance,
            assessment=gloss or gloss_of(actions) or plain_gloss(stance, holder.name == entity.name),
            topic=topic if topic not in (entity.name, holder.name) else None,
            evidence=evidence,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            confidence=_ROUNDED_CONFIDENCE[holder.how, stance == "neutral"],
            extractor=EXTRACTOR,
            holder_person=holder.person,
            actions=tuple(actions),
        )


_POINTS = re.compile(r"\d\s*(?:点|points\b)")  # an index level: "28000点", "6,600 points"

# Words by which an executive speaks of their own business: the company, its results.
_OWN_BUSINESS = re.compile(  # (over folded text: Traditional characters read as Simplified)
    r"公司|集团|我们|本季|订单|营收|收入|业务|需求|毛利|利润|出货|产能|"
    r"(?i:\b(?:we|our|the company|the group|its|revenue|sales|orders|demand|margins?|profits?|business|shipments|capacity)\b)")


# Words of growth in a company's outlook for itself ("预期第二季营收将成长两成", "expects sales to
# more than triple", "margins to reach the mid-teens, up from 9%"); its spending plans are no side.
_OWN_GROWTH = re.compile(r"增长|成长|提升|上升|增加|翻倍|倍增|放量|大量出货|(?i:\b(?:grow|grows|growth|rise|rising|increase|increasing|double|"
                         r"triple|exceed|exceeds|up from|faster|higher|picks? up|accelerat\w+|ahead of)\b)")


# A Chinese clause that opens on its verb ("预计…", "并指出…") has the subject of the
# sentences before it: the firm whose note the paragraph reports goes on speaking.
_SUBJECTLESS = re.compile(r"(?:^|[,;:。])\s?(?:并|亦|也|还|则|同时|另外|此外|而|又)?$")


def _speaks_on(view: SentenceView, span: tuple[int, int], holder: Holder) -> bool:
    """Does a firm carried from context speak again in the span through a verb with no
    subject ("预计第三季收入按季增长5%")? Its words are then its view, even a neutral one,
    of the company the paragraph is about. (English always names the speaker again.)"""
    if holder.how != "continued" or holder.type != "Institution" or latin(view.text):
        return False
    return any(span[0] <= cue.start < span[1] and _SUBJECTLESS.search(view.text, max(0, cue.start - 4), cue.start)
               for cue in view.cues)


# Words after which a broker's note gives its reasons: companies named there are the
# reasons for the rating, not what is rated ("raised its target for SK Hynix, citing its
# lead in HBM for Nvidia's Rubin").
_REASON = re.compile(r"\b(?:citing|cited|given|after|because|amid|following|thanks to|due to|on the back of)\b")


def _without_reasons(view: SentenceView, span: tuple[int, int], by_name: dict[str, list[int]]) -> dict[str, list[int]]:
    """In an English span that rates or sets a target for a company named first, the
    other companies named after a word of reason."""
    if len(by_name) < 2 or not (view.ratings or view.figures or view.moves) or not latin(view.text):
        return by_name
    first = min(by_name.items(), key=lambda item: min(item[1]))
    reason = _REASON.search(view.text, max(min(first[1]), 0), span[1])
    if reason is None:
        return by_name
    return {n: s for n, s in by_name.items() if n == first[0] or min(s) < reason.start()}


def _rated_first(view: SentenceView, acted: dict) -> dict:
    """Where a span rates or sets a target for some companies, the others it names are
    their context (customers, rivals, the platform they sell into: "重申聯發科「買進」評等，
    並指出聯發科在Google TPU供應鏈中…"), unless listed with a rated one ("coverage on Nvidia
    (NVDA), AMD, and Broadcom")."""
    rated = {name for name, (_, _, actions) in acted.items() if actions}
    rated_at = [m for m in view.mentions if m.entity.name in rated]

    def listed(name: str) -> bool:
        return any(_LISTED.match(view.text[min(a.end, b.end): max(a.start, b.start)])
                   for a in view.mentions if a.entity.name == name for b in rated_at)

    return {name: value for name, value in acted.items()
            if name in rated or value[0].type not in ("Company", "Product") or listed(name)}


_AS_FOR = re.compile(r"\s*(?:至于|对于|关于|as for)\s*", re.I)  # (over folded text: 至於 reads as 至于)
# A broker's name opening one of its index families ("申万通信指数", "中信一级行业") names the index, not the broker.
_INDEX_MAKERS = frozenset({"申万", "申万宏源", "中信", "万得"})  # (compared folded: 申萬 reads as 申万)
_INDEX_FAMILY = re.compile(r"(?:[\u4e00-\u9fff]{1,4})?(?:指数|一级行业|二级行业|三级行业)")
_CLAUSE_END = re.compile(r"[,;:!?。；：]")
_PARENTHESES = re.compile(r"\([^()]{0,30}\)|[+/()]")


def _related(one: Entity | None, other: Entity | None) -> bool:
    """Is one the other's product or owner?"""
    return one is not None and other is not None and (one.parent == other.name or other.parent == one.name)


# What stands between two names of a list: a comma or "and", a ticker after the first.
_LISTED = re.compile(r"^\s*(?:\([^()]{1,24}\)\s*)?(?:、|,|和|及|与|以及|and|&|,\s*and)\s*$", re.I)  # (folded text: "，" is ",")


def _one_per_pair(claims: list[Claim]) -> list[Claim]:
    """One claim per holder and target of a sentence (ANNOTATION.md): a holder bound twice in
    it ("Mizuho (Outperform): … though they flagged a risk") states one view, its sides
    taken together."""
    if len(claims) < 2 or len({(c.holder, c.target) for c in claims}) == len(claims):
        return claims  # (nearly always)
    merged: dict[tuple[str, str], Claim] = {}
    for claim in claims:
        first = merged.get((claim.holder, claim.target))
        if first is None:
            merged[claim.holder, claim.target] = claim
            continue
        stance, gloss = verdict([(first.stance, first.assessment, 0), (claim.stance, claim.assessment, 0)])
        merged[claim.holder, claim.target] = replace(
            first, stance=stance, assessment=gloss, actions=first.actions + claim.actions,
            confidence=max(first.confidence, claim.confidence), holder_person=first.holder_person or claim.holder_person)
    return list(merged.values())


def _names_any(view: SentenceView, span: tuple[int, int]) -> bool:
    return any(span[0] <= m.start < span[1] for m in view.mentions)


_UP, _DOWN = frozenset({"raised", "upgrade"}), frozenset({"cut", "downgrade"})


def _street_moves(view: SentenceView, span: tuple[int, int]) -> tuple[str, str] | None:
    """The side a group's ratings or target moves in the span take, if they agree."""
    rated = {r.rating_class for r in view.ratings if span[0] <= r.start < span[1]}
    if len(rated) == 1:
        return rated.pop(), "rated"
    moved = {m.value for m in view.moves if span[0] <= m.start < span[1]}
    if moved and moved <= _UP:
        return "positive", "targets raised"
    if moved and moved <= _DOWN:
        return "negative", "targets cut"
    return None

