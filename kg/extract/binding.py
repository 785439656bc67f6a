"""Binding the holders of a sentence: which words name who speaks, and who speaks where
the sentence names nobody.

:class:`HolderBinder` applies the rules of :mod:`kg.extract.holders` to a sentence view: cues
bind their subjects (named, coordinated, or words for holders named before), clause openers
and broker list lines bind themselves, consensus words bind the street; a sentence that binds
none takes its holder from context (the open quotation, the paragraph, the single voice).
"""

from __future__ import annotations

import re

from kg.extract.discourse import Discourse, given_name
from kg.extract.fold import latin
from kg.extract.holders import (CLAUSE_BREAK, OCCASION, SPEAKER_TYPES, Bound, Holder, after_quote, apposition_between, clause_opening,
                                coordinated, cue_subjects, index_moved, list_line, passive, reported_move, subjects_after)
from kg.extract.lexicon import Hit, Lexicon
from kg.extract.reported import quoted_words_dropped, reported_subjects_dropped
from kg.extract.sentences import HEADING_LINE_MAX, OPENING_QUOTES
from kg.extract.targets import BY_FIRM
from kg.extract.view import SentenceView
from kg.model import Mention

# What every anonymous pattern holds ("某", "知情", "接近", "一位", person, people, source in
# any case): each word opens with a plain character (p/P, s/S/ſ, all that match p and s
# ignoring case), so the regex engine skips to those instead of trying every position. A
# manager "who asked not to be named" or spoke "on condition of anonymity" is looked for apart.
_ANONYMOUS_GATE = re.compile("某|知情|接近|一位|一名|经理|总监|p(?i:erson|eople)|P(?i:erson|eople)|s(?i:ource)|S(?i:ource)|ſ(?i:ource)")
_AND_OTHER = re.compile(r"\s*(?:等|和其他|及其他|与其他|(?:and|along with|as well as) (?:several |some |many )?other)\s*", re.I)
_OTHER_BEFORE = re.compile(r"(?:\bother|其他|其它)\s*$", re.I)
_CLAUSE_MARK = re.compile(r"[,:;]")
# Cues whose speaker only ever follows them ("according to Nomura", "据华泰证券"); the others
# also close what their subject said ("…, the company added").
_SUBJECT_AFTER_ONLY = frozenset({"according to", "据", "根据", "援引"})
# What a company that spoke of itself in the sentence before goes on saying as "it": "It
# expects…" opening the sentence, "…, it added." closing it (never a broker's action).
_COMPANY_GOES_ON = re.compile(r"\s(?:also\s|now\s|still\s)?(?:said|says|expects|forecasts?|sees|added|noted|plans|projects|guided)\b")
_COMPANY_CLOSES = re.compile(r"\s(?:said|says|added|noted)\s*[.;]?\s*$")
_CLOSES = re.compile(r"\s*(?:[.,;:!?\"”']|$)")  # "…, the company added." ("Samsung added 3.9%" is a move)
_PRONOUN_SEX = {"she": "female", "her": "female", "in her view": "female", "她": "female",
                "he": "male", "his": "male", "in his view": "male"}  # (他 is also said of anyone)
_OWN_WORDS = ("公司", "集团")  # (folded: 集團 reads as 集团); "the company" is a holder word already
_ANSWER = re.compile(r"(?:答|A)\s?[:：]\s?")  # an interview's answer, after "问：" / "Q:"
# An occasion opening an English sentence before its subject: "On its earnings call this month, ".
_OCCASION = re.compile(r"(?:On|At|During|In|After)\s(?:its|the|a|an|their)\s[\w\s'’-]{0,50}?(?:call|conference|meeting|event|day|results|report|filing|statement|presentation)(?:\s(?:this|last|on)\s\w+)?,?\s")
# A company's own guidance right after its name: "expects", "forecast", "kept its full-year
# outlook", "raised the low end of its revenue guidance" (not a price target: no company's).
_OWN_GUIDANCE = re.compile(
    r"\s+(?:now\s+|also\s+|still\s+|again\s+)?(?:expects|forecast|forecasts|projects|guided|sees|sets?\s+a\s+target|"
    r"(?:kept|keeps|maintained|maintains|reiterated|reaffirmed|affirmed|raised|raises|lifted|lifts|cut|cuts|lowered|lowers|"
    r"trimmed|narrowed|increased|boosted)\s+(?:the\s+(?:low|lower|high|upper|top|bottom)\s+end\s+of\s+)?(?:its|their)\s+"
    r"(?:(?!price\b)[\w-]+\s+){0,3}?(?:guidance|outlook|forecasts?|targets?))\b")
# What English news calls the company it is about: "the chipmaker", "the world's largest
# contract chipmaker", "the Munich-based chip designer", "the database giant" (not the
# bank, the firm or the group: brokers and conglomerates are called so too).
_EPITHET = re.compile(
    r"The\s(?:[\w'’.-]+\s){0,4}?(?:chipmaker|chip maker|chip designer|chip giant|company|giant|maker|manufacturer|"
    r"foundry|provider|operator|supplier|designer|producer|automaker|carmaker|startup|assembler)(?=[\s,])")
_HEADING_END = re.compile(r"[。！？.!?”」』\"')）:：]$")


def _company_voice(text: str, word: Hit) -> bool:
    return (word.start == 0 and _COMPANY_GOES_ON.match(text, word.end) is not None) or _COMPANY_CLOSES.match(text, word.end) is not None


class HolderBinder:
    """Binds a sentence's holders with the vocabulary it was given."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def bind(self, view: SentenceView, discourse: Discourse) -> list[Bound]:
        """Every holder the sentence binds, by position; coordinated names together."""
        found: list[Bound] = [
            Bound((Holder(self.lexicon.group_holder, "Group", None, w.start, w.end),), w.start, w.end)
            for w in view.words if w.tag == "consensus"
        ]
        anonymous = (
            [m for p in self.lexicon.anonymous for m in p.finditer(view.text)]
            if view.cues and (_ANONYMOUS_GATE.search(view.text) or " to be " in view.text or "anonymity" in view.text) else []
        )
        for cue in view.cues:
            bound = self._bind_cue(view, cue, anonymous, discourse)
            if bound is not None and not reported_move(cue, bound, found):
                found.append(bound)
        found += self._openers(view, discourse, found, anonymous)
        if discourse.author is not None and not view.sentence.in_quote and "我们" in view.text:
            found += _first_person(view, discourse.author)
        for bound in found:
            if bound.holders[0].type != "Unattributed":
                break
        else:
            found += (self._own_guidance(view, discourse) or self._company_speaking(view, discourse) or _rated_by(view, discourse)
                      or self._reported(view))
        if len(found) < 2:
            return found  # (most sentences: one holder or none)
        return _merge(reported_subjects_dropped(view, quoted_words_dropped(view.text, found)))

    def _bind_cue(self, view: SentenceView, cue: Hit, anonymous, discourse: Discourse) -> Bound | None:
        text, mentions = view.text, view.mentions
        if cue.tag == "after" or after_quote(text, cue.start) or _inverted(text, cue):
            subjects = subjects_after(text, cue, mentions, view.words)
            if subjects:
                bound = self._bound(view, subjects[0], cue, discourse, anonymous)
                return bound._replace(after=True) if bound is not None else None
            if cue.tag == "after" and (cue.phrase in _SUBJECT_AFTER_ONLY or not _CLOSES.match(text, cue.end)):
                return None
        for subject in cue_subjects(text, cue, mentions, view.words, anonymous):
            bound = self._bound(view, subject, cue, discourse, anonymous)
            if bound is not None:
                return bound
        if cue.phrase.startswith(_REPORT_CUES) and not _named_before(view, cue):
            # "报告认为", "研报指出": the cue names the report, whose firm is the latest one
            firm = discourse.latest("institution")
            if firm is not None and firm.type == "Institution":
                return Bound((firm._replace(start=cue.start, end=cue.end, how="implicit"),), cue.start, cue.start)
        return None

    def _bound(self, view: SentenceView, subject, cue: Hit, discourse: Discourse, anonymous=()) -> Bound | None:
        """The holders a cue's subject stands for, bound at the subject."""
        if isinstance(subject, Mention):
            group = coordinated(view.text, subject, view.mentions) if subject.entity.type in SPEAKER_TYPES else [subject]
            # The holder's words run to the cue when the cue follows it ("瑞银认为"); a cue
            # clauses away ("…, calling") leaves the names between them to the view.
            near = 0 <= cue.start - group[-1].end <= 12 or apposition_between(view.text, group[-1].end, cue.start)
            end = cue.end if near else group[-1].end
            # (an analyst whose firm is unknown speaks for the firm named before him in the sentence)
            firms = [m.entity.name for m in view.mentions if m.end <= group[0].start and m.entity.type == "Institution"
                     ] if group[0].entity.type == "Person" else None
            holders = tuple([discourse.speaker(m.entity, m.start, end, firms[-1] if firms else None) for m in group])
            return Bound(holders, group[0].start, group[-1].end)
        if isinstance(subject, re.Match):
            return Bound((Holder(self.lexicon.anonymous_source, "Person", None, subject.start(), cue.end),), subject.start(), subject.end())
        holders = self._resolve(view, subject, discourse, anonymous)
        return Bound(tuple([h.at(subject.start, cue.end) for h in holders]), subject.start, subject.end) if holders else None

    def _resolve(self, view: SentenceView, word: Hit, discourse: Discourse, anonymous=()) -> tuple[Holder, ...]:
        """The holders a word stands for: "该行" the latest bank, "三家机构" the last group, "投行普遍" the street."""
        if word.tag == "plural":
            return tuple([h.heard("implicit") for h in discourse.last_group])
        if word.tag == "group":
            named = self._named_with(view, word, discourse)
            return named or (Holder(self.lexicon.group_holder, "Group", None, word.start, word.end),)
        owner = [m for m in view.mentions if m.entity.type == "Institution" and 0 <= word.start - m.end <= 4
                 and _OWNER_GAP.fullmatch(view.text, m.end, word.start)]
        if owner and word.tag in ("collective", "implicit"):
            # "Citi analysts", "巴克莱分析师": the words belong to the bank before them.
            return (discourse.speaker(owner[-1].entity, owner[-1].start, word.end),)
        if word.tag == "collective":
            voice = discourse.single_voice()
            if voice is not None and word.phrase.lower() in ("analysts", "分析师"):
                # In an article that quotes one firm, "the analysts" are its analysts.
                return (voice.heard("implicit"),)
            return (self.unattributed(word.start, word.end),)
        if word.tag != "implicit":
            return ()
        antecedent = self._antecedent(view, word, discourse, anonymous)
        return (antecedent.heard("implicit"),) if antecedent else ()

    def _antecedent(self, view: SentenceView, word: Hit, discourse: Discourse, anonymous=()) -> Holder | None:
        """Whom "该行", "he", "it" stand for: the latest fitting speaker of the sentence,
        else of the article."""
        kind = word.value
        if kind == "any" and (said := [w for w in view.words if w.tag == "implicit" and w.value == "company" and w.end <= word.start]) \
                and not any(said[-1].end <= m.start < word.start for m in view.mentions):
            kind = "company"  # "The company kept its forecast and said it plans…": "it" is the company spoken of
        wanted = {"institution": ("Institution",), "person": ("Person",), "company": ("Company",)}.get(kind, SPEAKER_TYPES)
        earlier = [m for m in view.mentions if m.end <= word.start and m.entity.type in wanted]
        unnamed = [a for a in anonymous if a.end() <= word.start] if kind in ("person", "any") else []
        if unnamed and not (earlier and earlier[-1].end > unnamed[-1].end()):
            # "一位基金经理表示，他认为…": the unnamed source spoke just before
            return Holder(self.lexicon.anonymous_source, "Person", None, unnamed[-1].start(), unnamed[-1].end())
        if kind == "any" and discourse.company_spoke is not None and not earlier and _company_voice(view.text, word):
            return discourse.company_spoke  # "The company said… It expects…", "…, it added."
        unlike = self._unlike(word)
        earlier = [m for m in earlier if m.entity.type != "Person" or given_name(m.entity.name) not in unlike] if unlike else earlier
        if earlier:
            return discourse.speaker(earlier[-1].entity)
        antecedent = discourse.latest_person(unlike) if unlike and kind == "person" else discourse.latest(kind)
        if antecedent is None and kind == "person":
            antecedent = discourse.latest("any")  # an unlisted analyst speaks for the last firm quoted
        return antecedent

    def _unlike(self, word: Hit) -> frozenset[str]:
        """The given names a pronoun cannot stand for: "she" no John, "he" no Jane."""
        sex = _PRONOUN_SEX.get(word.phrase.lower())
        return self.lexicon.given_names["male" if sex == "female" else "female"] if sex else frozenset()

    def _named_with(self, view: SentenceView, word: Hit, discourse: Discourse) -> tuple[Holder, ...]:
        """Banks named in apposition to a collective word: "摩根大通、美银等外资券商",
        "the brokers Barclays and Nomura", "Citi and other brokerages"."""
        speakers = [m for m in view.mentions if m.entity.type in SPEAKER_TYPES]
        before = [m for m in speakers if m.end <= word.start and _AND_OTHER.fullmatch(view.text, m.end, word.start)]
        after = [m for m in speakers if m.start >= word.end and not view.text[word.end : m.start].strip()]
        if not before and _OTHER_BEFORE.search(view.text, 0, word.start):
            # "Jefferies joined other brokers in raising…": the others are the rest of the street
            before = [m for m in speakers if m.end <= word.start][-1:]
        anchor = (before or after or [None])[0]
        if anchor is None:
            return ()
        return tuple(discourse.speaker(m.entity, m.start, m.end) for m in coordinated(view.text, anchor, view.mentions))

    def _openers(self, view: SentenceView, discourse: Discourse, found: list[Bound], anonymous=()) -> list[Bound]:
        """Speakers and holder words that open a clause and say something after it, and
        broker list lines ("Barclays, to $300 from $200"); "一位基金经理表示，他…": the
        unnamed source just before is whom "他" stands for."""
        subjects = [m for m in view.mentions if m.entity.type in SPEAKER_TYPES]
        if not subjects and not view.words:
            return []
        taken = [(b.at, max(b.end, b.holders[-1].end)) for b in found]  # a speaker's words run to its cue
        last = breaks = None  # worked out for the first subject that needs them
        openers = []
        subjects += [
            w for w in view.words
            if (w.tag in ("plural", "group") or (w.tag == "implicit" and w.value in ("institution", "person")))
            and not _inside_mention(w, view.mentions)
        ]
        for subject in sorted(subjects, key=lambda x: x.start) if len(subjects) > 1 else subjects:
            if any(s <= subject.start < e for s, e in taken):
                continue
            if last is None:
                last, breaks = view.last_signal(), view.stance.break_ends()
            if isinstance(subject, Mention):
                opens = list_line(view.text, subject) or _possessive_view(view, subject) or (
                    last >= subject.end and clause_opening(view.text, subject, breaks)
                )
            else:
                opens = last >= subject.end and (clause_opening(view.text, subject, breaks) or _placed_opening(view.text, subject))
            if not opens:
                continue
            bound = self._bound(view, subject, Hit("", subject.start, subject.end, "before"), discourse, anonymous)
            if bound is not None and bound.holders:
                openers.append(bound)
                taken.append((bound.at, max(bound.end, subject.end)))
        return openers

    def _own_guidance(self, view: SentenceView, discourse: Discourse) -> list[Bound]:
        """A company opening a sentence with its own guidance and no word of saying
        ("Infineon kept its full-year forecast unchanged", "The company raised the low end
        of its capex forecast"): it holds that view of itself."""
        first = view.mentions[0] if view.mentions else None
        if first is not None and first.start == 0 and first.entity.type == "Company" and _OWN_GUIDANCE.match(view.text, first.end):
            return [Bound((discourse.speaker(first.entity, first.start, first.end),), first.start, first.end)]
        opening = _OCCASION.match(view.text)  # "On its earnings call, the company raised…"
        at = opening.end() if opening else 0
        word = next((w for w in view.words if w.start == at and w.tag == "implicit" and w.value == "company"), None)
        if word is not None and _OWN_GUIDANCE.match(view.text, word.end):
            bound = self._bound(view, word, Hit("", word.start, word.end, "before"), discourse)
            return [bound] if bound is not None else []
        return self._epithet_speaking(view, discourse)

    def _epithet_speaking(self, view: SentenceView, discourse: Discourse) -> list[Bound]:
        """"The Munich-based chipmaker now expects…", "The database giant said…": English news
        names the company in question by what it is; opening the sentence, with its guidance
        or a word of saying right after, it speaks of itself."""
        epithet = _EPITHET.match(view.text) if view.text[:4] == "The " else None
        if epithet is None or epithet.group(0) == "The company" or (view.mentions and view.mentions[0].start < epithet.end()):
            return []  # ("the company" is a holder word of its own, read above)
        end, company = epithet.end(), discourse.company_in_focus()
        if company is None or company.entity_type != "Company" or not (_cue_right_after(view, end, 12) or _OWN_GUIDANCE.match(view.text, end)):
            return []
        return [Bound((company._replace(start=0, end=end, how="implicit"),), 0, end)]

    def _company_speaking(self, view: SentenceView, discourse: Discourse) -> list[Bound]:
        """"公司也指出…", "集团表示…", "对于毛利率，公司财务长称…": a word for the company in
        question opening the sentence (or a clause after the occasion or topic), a cue right
        after it, is that company speaking of itself."""
        word = view.anaphora[0] if view.anaphora else None
        if word is None or word.phrase not in _OWN_WORDS or not _opens_a_clause(view, word):
            return []
        occasion = OCCASION.match(view.text, word.end)  # "公司在业绩说明会上表示": the occasion stands between
        cue = _cue_right_after(view, occasion.end() if occasion else word.end, 6)
        company = discourse.company_in_focus()  # (a briefing's "公司" is its company, not the rival it was asked about)
        if cue is None or company is None:
            return []
        return [Bound((company._replace(start=word.start, end=cue.end, how="implicit"),), word.start, word.end)]

    def _reported(self, view: SentenceView) -> list[Bound]:
        for word in view.words:
            if word.tag == "unattributed" and not _CLAUSE_MARK.search(view.text, 0, word.start):
                return [Bound((self.unattributed(word.start, word.end).heard("reported"),), word.start, word.end)]
        return []

    def unattributed(self, start: int = -1, end: int = -1) -> Holder:
        return Holder(self.lexicon.unattributed_holder, "Unattributed", None, start, end, "unattributed")

    def context_holder(self, view: SentenceView, discourse: Discourse) -> Holder | None:
        """A holder for a sentence with no holder of its own (None: a heading, no claim)."""
        sentence, text = view.sentence, view.text
        if discourse.quote_ahead is not None:
            return _as(discourse.quote_ahead, "quote")
        if sentence.in_quote and discourse.quote_speaker:
            return _as(discourse.quote_speaker, "quote")
        if text[:1] in OPENING_QUOTES and discourse.latest("any"):
            return _as(discourse.latest("any"), "quote")
        if text[:1] == '"' and text.count('"') >= 2 and (speaker := _quoted_speaker(discourse)):
            return _as(speaker, "quote")  # '"…," Smith wrote. "AMD is cheap."': the quote goes on
        if heading(text):
            return None
        if _ANSWER.match(text) and (person := discourse.latest("person")) is not None:
            return _as(person, "continued")  # "答：…", "A: …": the one interviewed answers
        if view.market or reports_a_move(view, self.lexicon) or index_moved(view, self.lexicon):
            return self.unattributed()
        if discourse.paragraph_holder and discourse.paragraph_holder.type != "Group":
            return _as(discourse.paragraph_holder, "continued")
        previous = discourse.previous_paragraph_holder or discourse.single_voice()
        if previous and previous.type not in ("Unattributed", "Group") and (
            self._continues(view, previous, discourse) or _agentless(view)
        ):
            return _as(previous, "continued")
        return self.unattributed()

    def speaker_after(self, view: SentenceView, close: int, discourse: Discourse) -> Holder | None:
        """The speaker a sentence names after the quotation closing at ``close`` ('…," said X')."""
        for bound in self.bind(view, discourse):
            holder = bound.holders[0]
            if bound.at > close and holder.type in ("Person", "Institution"):
                return holder
        return None

    def _continues(self, view: SentenceView, previous: Holder, discourse: Discourse) -> bool:
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

    def forecasts_itself(self, text: str, holder: Holder, named: list[Mention]) -> bool:
        """A company giving guidance ("微软预计…", "Meta said it still plans to…"), or, where the
        ``named`` targets are only themes, speaking of its own results ("技嘉指出，AI伺服器營收占比已超過五成")."""
        if holder.entity_type != "Company":
            return False
        lowered = text.lower()
        if any(word in lowered for word in self.lexicon.guidance):
            return True
        return all(m.entity.type == "Sector" for m in named) and bool(_OWN_RESULTS.search(text))


# A company's own results, as it speaks of them (over folded text).
_OWN_RESULTS = re.compile(r"营收|订单|出货|毛利率|获利|(?i:\b(?:its|our) (?:[\w-]+ ){0,3}(?:revenue|sales|orders|shipments|chips|products|business|margins?)\b)")
_REPORT_CUES = ("报告", "研报", "该报告", "该研报")
_tuple = tuple.__new__  # a Bound from its fields, without namedtuple._replace's general path


def _rated_by(view: SentenceView, discourse: Discourse) -> list[Bound]:
    """"Palantir was downgraded to neutral at Wedbush", "got an upgrade from Mizuho": in an
    English brief the firm named after the action it took holds the view."""
    if not (view.moves or view.ratings or view.figures) or not latin(view.text):
        return []
    acted = min([m.start for m in view.moves] + [r.start for r in view.ratings] + [f.start for f in view.figures])
    for mention in view.mentions:
        if mention.start > acted and mention.entity.type == "Institution" and BY_FIRM.search(view.text, max(0, mention.start - 6), mention.start):
            return [Bound((discourse.speaker(mention.entity, mention.start, mention.end),), mention.start, mention.end, after=True)]
    return []


def _opens_a_clause(view: SentenceView, word: Hit) -> bool:
    """Does the word open the sentence, or a clause after ones that name no speaker and say
    nothing ("在说明会上，针对投资者关心的需求，公司董事长表示")?"""
    if word.start == 0:
        return True
    return (view.text[word.start - 1] == "," and not any(c.start < word.start for c in view.cues)
            and not any(m.start < word.start and m.entity.type in SPEAKER_TYPES for m in view.mentions))


def _named_before(view: SentenceView, cue: Hit) -> bool:
    """Is a bank or person named before the cue in its sentence ("高盛报告认为")?"""
    return any(m.end <= cue.start and m.entity.type in SPEAKER_TYPES for m in view.mentions)


def _agentless(view: SentenceView) -> bool:
    """A view in the passive with no one named ("were cited as well-positioned", "被视为首选")
    is the one the report before it holds."""
    return any(cue.tag != "after" and passive(view.text, cue) for cue in view.cues)


def _first_person(view: SentenceView, author) -> list[Bound]:
    """"我们认为…" in a broker's own note: the broker speaks, bound where 我们 stands before a cue."""
    for cue in view.cues:
        at = view.text.rfind("我们", max(0, cue.start - 6), cue.start)
        if at >= 0:
            return [Bound((author.at(at, cue.end)._replace(how="implicit"),), at, at + 2)]
    return []


def _merge(found: list[Bound]) -> list[Bound]:
    """Bound holders in order of position; the same holders bound twice count once."""
    if len(found) < 2:
        return found
    merged: list[Bound] = []
    for bound in sorted(found, key=lambda b: b.at):
        names = [h.name for h in bound.holders]
        if merged and [h.name for h in merged[-1].holders] == names:
            # "华泰证券分析师王磊表示": the firm and its analyst are one holder, with the analyst
            last = merged[-1]
            people = [b.person or a.person for a, b in zip(last.holders, bound.holders)]
            holders = tuple([h.spoken_by(p) for h, p in zip(last.holders, people)])
            merged[-1] = _tuple(Bound, (holders, last.at, last.end, last.after))
            continue
        if any(b.at <= bound.at < max(b.end, b.at + 1) for b in merged):
            continue
        merged.append(bound)
    return merged


def reports_facts(view: SentenceView, holder: Holder, lexicon: Lexicon) -> bool:
    """Is the verb that bound the holder one of noting facts (the lexicon's fact_cues)?"""
    return any(c.phrase.lower() in lexicon.fact_cues for c in view.cues if holder.start <= c.start <= holder.end + 20)


def reports_a_move(view: SentenceView, lexicon: Lexicon) -> bool:
    """A sentence whose only stance is a market move ("Nvidia rose 2%", "shares fell
    sharply"): the article reporting the market, not the view of whoever spoke before."""
    hits = view.stance.stance_hits
    return bool(hits) and all(lexicon.is_move(h) for h in hits)


def _possessive_view(view: SentenceView, mention: Mention) -> bool:
    """"Microchip remains Citi’s top pick", "HSBC's bullish call", "高盛的首选": a view the bank owns."""
    if view.text.startswith("的", mention.end):  # "英伟达仍是高盛的首选"; "国信证券的预测在29000点至32000点之间"
        if mention.entity.type == "Institution" and _NOMINAL_VIEW.match(view.text, mention.end):
            return True
        starts = {mention.end + 1}
    elif match := _POSSESSIVE_WORDS.match(view.text, mention.end):
        # the view may start at any of the (up to two) words after "'s": "Citi's top pick", "HSBC's bullish call"
        starts = {match.start(1), match.start(2), match.end()} - {-1}
    else:
        return False
    return any(h.start in starts for h in view.stance.stance_hits) or any(r.start in starts for r in view.ratings)


_NOMINAL_VIEW = re.compile(r"的(?:最新)?(?:预测|预期|预估|估计|看法|观点|判断)")
_OWNER_GAP = re.compile(r"\s?的?|['’]s\s")  # "Citi analysts", "Nomura's analysts", "高盛的分析师"
_POSSESSIVE_WORDS = re.compile(r"['’]s\s+(?:([\w-]+)\s+(?:([\w-]+)\s+)?)?")


def _inside_mention(word: Hit, mentions: list[Mention]) -> bool:
    return any(m.start <= word.start < m.end or word.start <= m.start < word.end for m in mentions)


def _cue_right_after(view: SentenceView, end: int, reach: int) -> Hit | None:
    """The first cue after ``end`` if it stands within ``reach`` characters, in the same clause."""
    cue = next((c for c in view.cues if c.start >= end), None)
    near = cue is not None and cue.start - end <= reach and not CLAUSE_BREAK.search(view.text, end, cue.start)
    return cue if near else None


def heading(text: str) -> bool:
    """A heading line: short, and not ended like a sentence."""
    # (the end is its last character or the one before a final newline: searched from there)
    return len(text) <= HEADING_LINE_MAX and not _HEADING_END.search(text, max(0, len(text) - 2))


def _quoted_speaker(discourse: Discourse) -> Holder | None:
    """Who a bare quotation in straight quotes is from: the speaker of its paragraph, or of
    the paragraph before."""
    speaker = discourse.paragraph_holder or discourse.previous_paragraph_holder
    return speaker if speaker is not None and speaker.type not in ("Unattributed", "Group") else None


def _as(holder: Holder, how: str) -> Holder:
    return holder.at(-1, -1).heard(how)


def _inverted(text: str, cue: Hit) -> bool:
    """An English cue after a comma, its speaker after it: "Nvidia remains the best way to
    play AI, said Loop Capital's Ananda Baruah"."""
    return text.startswith(", ", cue.start - 2) and cue.phrase.lower() in _INVERTING and latin(text)


# The verbs that invert after a comma ("…, says Needham"); a participle ("…, saying the
# company's …") goes on with the subject before it.
_INVERTING = frozenset("said says argued argues wrote writes added adds noted notes warned warns cautioned".split())


# "South Korean brokerages are raising their targets": where the firms are from, before the
# word for them, opening the sentence (after a wire's dateline: "SEOUL, Nov 10 (Reuters) -").
_PLACED = re.compile(
    r"^[\s\"'“]*(?:[A-Z][A-Z .]+,\s*[A-Z][a-z]{2,8}\.?\s\d{1,2}\s*(?:\([^()]{1,30}\))?\s*[-–—]+\s*)?"
    r"(?:[A-Z][A-Za-z.]*\s){1,2}$")


def _placed_opening(text: str, word: Hit) -> bool:
    return word.start <= 64 and bool(_PLACED.match(text, 0, word.start))
