"""Who holds the views of a sentence: holders bound to what they say, with their reach.

A sentence may carry several holders ("野村目标价90元；瑞银将目标价由80元升至95元",
"Barclays and Nomura raised their targets"). Each holder the sentence binds
starts a **span** that runs to the next holder, and the targets and figures in a span are
that holder's. A holder is bound:

- by an attribution cue it stands before ("瑞银认为", "HSBC raised"), or after for the
  inverted English forms ("according to Citi", '"…," said an analyst at Citi');
- as the subject opening a clause ("大和与瑞穗较为保守，目标价定为150美元"), the way
  Chinese news and broker lists ("Barclays, to $300 from $200") name who moved;
- through a word for a holder named before ("该行", "the firm", "he", "三家机构", "both
  firms") or for a collective ("投行普遍认为", "the sell side").

Coordinated names ("野村、瑞银、大和先后发表报告", "星展及汇丰对恒指的预测")
are bound together and share one span. An analyst speaks for the firm they work at: the
firm is the holder and the analyst is kept as ``person``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from kg.extract.fold import latin
from kg.extract.lexicon import Hit
from kg.extract.sentences import CLOSING_QUOTES, OPENING_QUOTES
from kg.model import Mention

SPEAKER_TYPES = ("Institution", "Person")
KIND_OF_TYPE = {"Institution": "institution", "Company": "company", "Person": "person"}
_ACTORS = ("Institution", "Person")  # who a broker's action binds
# A company moving its own guidance: "raised its full-year revenue guidance", "将毛利率目标上调至",
# "上调全年指引" (a price target, 目标价, is a broker's).
_RAISES = "raised|raises|raising|lifted|lifts|boosted|boosts|hiked|hikes|increased|increases|upped".split("|")
_CUTS = "cut|cuts|cutting|lowered|lowers|trimmed|trims|slashed|slashes|reduced|reduces".split("|")
_EN_MOVE = rf"\b(?:(?P<up>{'|'.join(_RAISES)})|(?P<down>{'|'.join(_CUTS)}))\s+"
_ZH_UP, _ZH_DOWN = "上调|调高|调升|提高|上修|调增", "下调|调低|调降|下修|调减"
_GUIDANCE_EN = re.compile(_EN_MOVE + r"(?:the\s+(?:low|lower|high|upper|top|bottom)\s+end\s+of\s+|the\s+midpoint\s+of\s+)?"
                          r"(?:its|their)\s+(?:(?!price\b)[\w-]+\s+){0,3}?(?:guidance|outlook|forecasts?)\b", re.I)
_GUIDANCE_ZH = re.compile(
    rf"(?:(?P<up>{_ZH_UP})|(?P<down>{_ZH_DOWN}))了?[^,:;。]{{0,10}}?(?:指引|目标)(?!价)|"
    rf"(?:指引|目标)(?!价)[^,:;。]{{0,4}}?(?:(?P<up2>{_ZH_UP})|(?P<down2>{_ZH_DOWN}))")
# A broker moving its own estimates of a company: "cut its revenue forecast for Intel",
# "上调盈利预测", "獲利預估下修" (its view moves with them).
_ESTIMATES_EN = re.compile(
    _EN_MOVE + r"(?:its|their|the|our)\s+(?:(?!price\b)[\w-]+\s+){0,3}?(?:estimates?|forecasts?|projections?|numbers)\b", re.I)
_ESTIMATE_NOUNS = "盈利预测|盈利预估|盈利预期|获利预估|营收预估|营收预测|收入预测|每股盈利预测|业绩预测|EPS预测|预测|预估"
_ESTIMATES_ZH = re.compile(
    rf"(?:(?P<up>{_ZH_UP})|(?P<down>{_ZH_DOWN}|削减))了?[^,:;。]{{0,12}}?(?:{_ESTIMATE_NOUNS})|"
    rf"(?:{_ESTIMATE_NOUNS})[^,:;。]{{0,4}}?(?:(?P<up2>{_ZH_UP})|(?P<down2>{_ZH_DOWN}|削减))")
# The characters each first letter of a verb matches ignoring case (İ and ı are i's, ſ an s's).
_CASES = {"i": "iIİı", "s": "sSſ"}


def _word_starts(words: list[str]) -> re.Pattern:
    r"""Where one of ``words`` starts a word, ignoring case, as ``\b(?:w1|w2|…)`` with re.I
    would find it, written so every alternative opens with a plain character: the regex
    engine skips to those instead of trying \b and the case-blind words at every position."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    return re.compile("|".join(
        f"{case}(?<!\\w.)(?i:{'|'.join(rests)})"  # the look-behind tests the character before the word
        for first, rests in by_first.items() for case in _CASES.get(first, first + first.upper())
    ))


_GUIDANCE_VERB = _word_starts(_RAISES + _CUTS)


def _at_a_verb(pattern: re.Pattern, text: str, at: int = 0) -> re.Match | None:
    """``pattern.search(text, at)`` for a pattern opening on a raising or cutting verb, tried
    only where one of those verbs starts a word."""
    for verb in _GUIDANCE_VERB.finditer(text, at):
        match = pattern.match(text, verb.start())
        if match:
            return match
    return None


def _guidance_zh(text: str, at: int) -> re.Match | None:
    """``_GUIDANCE_ZH.search(text, at)``, tried only on text holding 指引 or 目标 (every match does)."""
    if text.find("指引", at) < 0 and text.find("目标", at) < 0:
        return None
    return _GUIDANCE_ZH.search(text, at)


def _direction(match: re.Match) -> str:
    groups = match.groupdict()
    return "raised" if groups["up"] or groups.get("up2") else "cut"


def estimates_move(text: str) -> str | None:
    """"raised" or "cut" when the text moves a broker's estimates ("lowered its EPS
    estimates", "下调盈利预测"), else None."""
    match = (_ESTIMATES_ZH.search(text) if "预" in text else None) or _at_a_verb(_ESTIMATES_EN, text)
    return _direction(match) if match else None


def guidance_move(text: str, at: int = 0, costs: list[Hit] = ()) -> str | None:
    """"raised" or "cut" when the text from ``at`` moves a company's own guidance, else None;
    "costs" when the guidance is of its spending, a cost noun of the lexicon (``costs``)
    inside it ("raised its capex forecast"): more spending is no better outlook."""
    match = _at_a_verb(_GUIDANCE_EN, text, at) or _guidance_zh(text, max(0, at - 8))
    if match is None or match.start() > at + 12 and at:
        return None
    return "costs" if any(match.start() <= c.start < match.end() for c in costs) else _direction(match)


# What a company's own guidance states: an amount ("$45 billion", "3800亿元"), or a forecast kept
_GUIDED = re.compile(r"[$€£¥]\s?\d|\d\s?(?:亿|billion|million|bn\b)|维持[^,;。]{0,8}(?:指引|目标)(?!价)|"
                     r"\b(?i:kept|keeps|maintained|maintains|reiterated|reaffirmed|affirmed)\s+(?:its|their)\s+(?:[\w-]+\s+){0,3}?"
                     r"(?i:guidance|outlook|forecasts?)\b")


def states_guidance(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` state a company's guidance: an amount, or a forecast kept?"""
    return _GUIDED.search(text, start, end) is not None


def _apart(words: list[str]) -> re.Pattern:
    """Punctuation and words not inside a Latin word, as
    ``[,:;，：；]|(?<![A-Za-z])(?:but|…)(?![A-Za-z])`` with re.I would find them, written so
    that every alternative opens with a plain character: the regex engine then skips to
    those characters instead of trying the look-behind and the case-blind words at every
    position (b/B, h/H, w/W are all the characters that match b, h and w ignoring case)."""
    letter = "(?i:[A-Za-z])"
    alternatives = list(",:;，：；")
    for word in words:
        firsts = (word[0].lower(), word[0].upper()) if word.isascii() else (word[0],)
        rest = f"(?i:{word[1:]})" if word.isascii() else word[1:]
        # the look-behind follows the word: it tests the character before the word's first
        alternatives += [f"{first}{rest}(?<!{letter}{'.' * len(word)})(?!{letter})" for first in firsts]
    return re.compile("|".join(alternatives))


# 而 breaks a clause ("A增长，而B下滑"), not inside 反而, 从而, 进而, 因而, 继而, 而且, 而言; its
# look-behind follows it (testing the character before it), so that this alternative too
# opens with a plain character and the regex engine skips to the few that can start a
# break instead of trying every position (the pattern is searched in every sentence)
CLAUSE_BREAK = re.compile(
    _apart(["但是", "但", "然而", "不过", "however", "but", "while", "whereas"]).pattern
    + "|而(?<![反从进因继]而)(?![且言])|惟(?![一有独])"  # 惟: Hong Kong's and Taiwan's "but", not 惟一, 惟有
)
_COORDINATOR = re.compile(r"^\s*(?:、|,|和|及|与|以及|跟|同|and|&|as well as|,\s*and)?\s*$", re.I)
# What may stand before a holder that opens its clause: connectives, time and frames.
_CLAUSE_OPENER = re.compile(
    r"^[\s\"'“”「」]*(?:(?:而|则|另外|此外|同时|其中|至于|对于|另|但|不过|其次|首先|最后|再者|当中|其余|"
    r"and|but|while|meanwhile|also|separately|similarly|likewise|however|in addition|elsewhere|"
    r"on (?:monday|tuesday|wednesday|thursday|friday)|[^,:;]{0,8}中)[\s,]*)?"
    r"(?:(?:the\s)?(?:analysts?|strategists?|economists?)\s(?:at|with|from)\s|"  # "Analysts at Wells Fargo … were encouraged"
    r"(?:(?:analyst|strategist|economist)\s)?(?-i:[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z'’-]+)){1,2})\s(?:of|at)\s)?$",  # "Jane Roe of Wolfe Research is cautious"
    re.I,
)
_OPENING = frozenset(OPENING_QUOTES)
_CLOSING = CLOSING_QUOTES + '"'
_ADJACENT_GAP = 6  # characters between a holder word and its cue ("微软此前也预计")
_WHEN = re.compile(r"\s(?:on|last|this|earlier this|late on|early on)\s(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                   r"Saturday|Sunday|week|month|quarter|year|morning|afternoon|evening)\s")
OCCASION = re.compile(r"在[^,;:。的]{1,16}?(?:时|上|中|期间)")  # "在说明会上": where a speaker spoke
_OPENING_SUBJECT_REACH = 60  # "Google, one of Broadcom's biggest customers, said"
_POSSESSIVE = re.compile(r"['’]s\s*$")
_APPOSITION = re.compile(r"^\s*,[^,]+,\s*(?:\w+\s)?$")  # "Google, one of Broadcom's biggest customers, said"
_OF_FIRM = re.compile(r"^\s(?:of|at)\s[A-Z][\w.&'’-]*(?:\s(?:[A-Z&][\w.&'’-]*|of|and))*\s$")  # "Jane Roe of Bluefin Capital said"
_WORD_SUBJECTS = ("implicit", "collective", "plural", "group")
# "Cathie Wood, chief executive of ARK Invest, said", "Jane Roe, who manages $2 billion at
# Bluefin Capital, said": the firm only says who she is.
_PERSON_OF_FIRM = re.compile(r"^\s+(?:of|at|from|with)\s+$|^\s*,\s*(?:the\s+|an?\s+)?[A-Za-z][A-Za-z0-9$€£ .&'’-]{0,60}?[\s-](?:of|at|from|with|founded|runs|ran|leads|led|heads|headed|manages|oversees)\s+(?:the\s+)?(?:[A-Z][\w.]*-based\s+)?$")
# "Barclays, to $300 from $200", "Morgan Stanley: raised to $410 from $382", "Bernstein: target $400"
_LIST_LINE = re.compile(
    r"^\s*[,:\-–—]\s*(?:(?:raised|raises|lifted|lifts|boosted|boosts|increased|cut|cuts|lowered|lowers|trimmed|trims|reduced)\s+)?"
    r"(?:(?:price\s+)?target\s+|PT\s+)?(?:to\s*)?(?:US)?\$",
    re.I,
)


_tuple = tuple.__new__


class Holder(NamedTuple):
    """Who holds a view (a tuple: the extractor makes and copies many of them)."""

    name: str
    type: str  # Institution | Person | Group | Unattributed
    entity_type: str | None = None  # the catalogue type, when the holder is an entity
    start: int = -1  # span of holder and cue in the sentence, when named there
    end: int = -1
    how: str = "explicit"  # explicit | implicit | quote | continued | reported | unattributed
    person: str | None = None  # the analyst speaking for an institution

    # The copies the binder makes of a holder for every sentence, built as plain tuples
    # (``_replace`` is a slow general path).
    def at(self, start: int, end: int) -> Holder:
        """The holder, bound at ``[start, end)`` of a sentence."""
        return _tuple(Holder, (self.name, self.type, self.entity_type, start, end, self.how, self.person))

    def heard(self, how: str) -> Holder:
        """The holder, bound the way ``how`` says (implicit, quote, continued, …)."""
        return _tuple(Holder, (self.name, self.type, self.entity_type, self.start, self.end, how, self.person))

    def spoken_by(self, person: str | None) -> Holder:
        """The holder, with ``person`` the analyst speaking for it."""
        return _tuple(Holder, (self.name, self.type, self.entity_type, self.start, self.end, self.how, person))


class Bound(NamedTuple):
    """Holders bound together at ``at`` in the sentence (coordinated names share a span)."""

    holders: tuple[Holder, ...]
    at: int  # where the span starts
    end: int  # end of the holder words
    after: bool = False  # named after what they said ('"…," said X', "according to X")


def _near(text: str, end: int, cue_start: int) -> bool:
    """:func:`adjacent`, with the distance, which rules out most words, tested first."""
    return 0 <= cue_start - end <= _ADJACENT_GAP * 5 and adjacent(text, end, cue_start)


def adjacent(text: str, end: int, cue_start: int) -> bool:
    """Is a holder word close enough before a cue to be its subject? Not across a clause
    break or a quotation mark, nor across 的: "腾讯的盈利预期" is a noun, not a forecast."""
    gap = text[end:cue_start]
    if len(gap) > _ADJACENT_GAP * 2 and (" on " in gap or " last " in gap or " this " in gap) and latin(gap):
        gap = _WHEN.sub(" ", gap)  # "Fujikura on Thursday raised": the day is no word between subject and verb
    if "在" in gap and len(gap) > _ADJACENT_GAP:
        gap = OCCASION.sub("", gap)  # "高盛在最新报告中指出", "董事长在说明会上表示": the occasion is no word between them
    reach = _ADJACENT_GAP * 2 if latin(gap) else _ADJACENT_GAP
    if end > cue_start or len(gap) > reach or "的" in gap or not _OPENING.isdisjoint(gap):
        return False
    return not CLAUSE_BREAK.search(gap)


def after_quote(text: str, cue_start: int) -> bool:
    """Does the cue follow a closing quotation: '“…,” said X'?"""
    before = text[max(0, cue_start - 40) : cue_start].rstrip(" ,")  # a window: a cue may stand late in a long sentence
    return before[-1:] in _CLOSING and bool(before[:-1].strip())


def coordinated(text: str, mention: Mention, mentions: list[Mention]) -> list[Mention]:
    """The speakers listed with ``mention``: "野村、瑞银、大和", "Barclays and Nomura"."""
    group = [mention]
    speakers = [m for m in mentions if m.entity.type in SPEAKER_TYPES]
    index = next((i for i, m in enumerate(speakers) if m is mention), -1)  # mentions in a sentence differ by place
    if index < 0:
        return group
    for step in (-1, 1):
        i, last = index + step, mention
        while 0 <= i < len(speakers):
            other = speakers[i]
            gap = text[other.end : last.start] if step < 0 else text[last.end : other.start]
            if not _COORDINATOR.match(gap) or _titled_apposition(text, *((other, last) if step < 0 else (last, other))):
                break
            group.append(other)
            last, i = other, i + step
    return sorted(group, key=lambda m: m.start)


def _titled_apposition(text: str, first: Mention, second: Mention) -> bool:
    """"Jane Roe, Bluefin Capital's chief investment officer", "易方达基金张坤": the firm says
    who the person is, it is no second speaker."""
    if first.entity.type == "Person" and second.entity.type == "Institution":
        return text.startswith(("'s", "’s", "'", "’"), second.end)
    return first.entity.type == "Institution" and second.entity.type == "Person" and first.end == second.start


def clause_opening(text: str, mention: Mention, breaks: list[int] | None = None) -> bool:
    """Does the mention open its clause (only connectives, a frame or time before it)?
    ``breaks`` are the ends of the sentence's clause breaks, when the caller has them."""
    if breaks is None:
        breaks = [b.end() for b in CLAUSE_BREAK.finditer(text)]
    start = breaks[bisect_right(breaks, mention.start) - 1] if breaks and breaks[0] <= mention.start else 0
    return bool(_CLAUSE_OPENER.match(text[start : mention.start]))


def list_line(text: str, mention: Mention) -> bool:
    """A broker's line in a list of target changes: "Barclays, to $300 from $200"."""
    return mention.start <= 3 and bool(_LIST_LINE.match(text[mention.end :]))


def span_of(bound: list[Bound], index: int, length: int) -> tuple[int, int]:
    """The part of the sentence a bound holder speaks for: from the sentence start (for the
    first) or its own position, to the next holder."""
    start = 0 if index == 0 else bound[index].at
    end = bound[index + 1].at if index + 1 < len(bound) else length
    return start, end


# (and "前景看好", "后市看好": the outlook is spoken of, as in a passive)
_PASSIVE_ENDS = ("被", "受到", "获", "前景", "后市", "后势")
_AUXILIARIES = ["was", "were", "is", "are", "been", "being", "be", "get", "got"]
_PASSIVE = re.compile(rf"(?:\b(?:{'|'.join(_AUXILIARIES)})\s+(?:\w+ly\s+)?|{'|'.join(_PASSIVE_ENDS)})\s*$", re.I)
_PASSIVE_AUXILIARY = _word_starts(_AUXILIARIES)  # where a passive's auxiliary may be: quick to rule out
_PASSIVE_END_WORD = re.compile("|".join(_PASSIVE_ENDS))  # 被, 受到 or 获 anywhere: one search, not three


def passive(text: str, cue: Hit) -> bool:
    """'X were cited as well-positioned', '被看好': the subject is what is spoken of."""
    before = text[max(0, cue.start - 20) : cue.start]
    # Every passive ends in a space (after "was") or in 被, 受到 or 获: most cues, right after
    # a Chinese subject, need no regex.
    if not (before[-1:].isspace() or before.rstrip().endswith(_PASSIVE_ENDS)):
        return False
    # Nor without one of its words: an English cue after a space needs its auxiliary ("were").
    if not (_PASSIVE_AUXILIARY.search(before) or _PASSIVE_END_WORD.search(before)):
        return False
    return bool(_PASSIVE.search(before))


def cue_subjects(text: str, cue: Hit, mentions: list[Mention], words: list[Hit], anonymous) -> list:
    """What a cue binds, by preference: speakers in the cue's own clause; a word right before
    the cue (a pronoun, a company, "analysts"); a company opening the sentence; a speaker
    named earlier in the sentence. A passive cue binds nobody."""
    window = text[max(0, cue.start - 4) : cue.start]
    if passive(text, cue) or (("'" in window or "’" in window) and _POSSESSIVE.search(window)):
        return []  # "were cited as", "Rosenblatt's forecast": no one speaks here
    at = cue.start
    before = [m for m in mentions if m.end <= at] if mentions else mentions
    speakers = [m for m in before if m.entity.type in SPEAKER_TYPES] if before else before
    # the last speaker with no clause break between it and the cue
    in_clause = None
    for speaker in reversed(speakers):
        if not CLAUSE_BREAK.search(text[speaker.end : at]):
            in_clause = speaker
            break
    words_near = [w for w in words if w.tag in _WORD_SUBJECTS and _near(text, w.end, at)
                  and not (cue.tag == "act" and w.value == "company")] if words else words
    if in_clause is not None and not any(w.start >= in_clause.end and not _in_occasion(text, in_clause.end, w, at)
                                         for w in words_near):
        return [_person_of_firm(text, in_clause, before)]
    # A broker's action ("raised", "维持") binds banks, brokers and analysts, never a company.
    kinds = _ACTORS if cue.tag == "act" and not guidance_move(text, cue.start) else KIND_OF_TYPE
    near: list[tuple[int, object]] = [(m.end, m) for m in before if m.entity.type in kinds and _near(text, m.end, at)
                                      and not (m.entity.type == "Company" and text.startswith(("'s ", "’s "), m.end))]
    near += [(w.end, w) for w in words_near]
    near += [(a.end(), a) for a in anonymous if adjacent(text, a.end(), at)]
    if near:
        return [_person_of_firm(text, what, before) for _, what in sorted(near, key=lambda item: -item[0])]
    opening = [m for m in before if m.start == 0 and m.entity.type == "Company" and cue.tag != "act"
               and (_APPOSITION.match(text[m.end : cue.start]) or _same_short_clause(text, m.end, cue.start))]
    if opening and cue.start <= _OPENING_SUBJECT_REACH:
        return [opening[0]]
    return [_person_of_firm(text, speakers[-1], before)] if speakers else []


def _in_occasion(text: str, start: int, word: Hit, cue_start: int) -> bool:
    """Does ``word`` stand in the occasion of the speech between speaker and cue
    ("顾大为在投资人会议上强调")? The investors are where they spoke, not who."""
    return "在" in text[start : word.start] and any(
        m.start() <= word.start - start and word.end - start <= m.end() for m in OCCASION.finditer(text[start:cue_start]))


def _person_of_firm(text: str, subject, before: list[Mention]):
    """The person a firm named in apposition describes, else the subject itself."""
    if not isinstance(subject, Mention) or subject.entity.type != "Institution":
        return subject
    people = [m for m in before if m.entity.type == "Person" and m.end < subject.start]
    if people and (_PERSON_OF_FIRM.match(text[people[-1].end : subject.start]) or _titled_apposition(text, people[-1], subject)
                   and not text[people[-1].end : subject.start].strip(" ,")):
        return people[-1]
    return subject


def apposition_between(text: str, end: int, cue_start: int) -> bool:
    """Is ``text[end:cue_start]`` an apposition ("Cathie Wood, chief executive of ARK
    Invest, said", "Jane Roe of Bluefin Capital said")? The speaker's words then run to the cue."""
    gap = text[end:cue_start]
    return bool(_APPOSITION.match(gap) or _OF_FIRM.match(gap))


def _same_short_clause(text: str, end: int, cue_start: int) -> bool:
    """"腾讯在业绩会上表示": a company opening the sentence, its verb a few words on (its possessive,
    English's 的, makes something of it the subject: "DeepSeek’s breakthrough highlights")."""
    gap = text[end:cue_start]
    return len(gap) <= (20 if latin(gap) else 12) and not CLAUSE_BREAK.search(gap) and "的" not in gap and not gap.startswith(("'s", "’s"))


# Who stands between an inverted cue and the firm it names.
_AFTER_BRIDGE = re.compile(
    r"\s+(?:(?:the\s+|a\s+team\s+of\s+)?(?:analysts?|strategists?|economists?|researchers?)"
    r"|(?:a|the)\s+(?:(?:new|recent|latest|research|client)\s+)?(?:note|report|survey|study|analysis))\s+(?:at|from|by|of)\s+")


def subjects_after(text: str, cue: Hit, mentions: list[Mention], words: list[Hit]) -> list:
    """'according to Morgan Stanley', 'according to the bank', and after a quotation
    '“…,” said Henrik Vestergaard, head of equity strategy at Saxo'."""
    reach = len(text) if after_quote(text, cue.start) else cue.end + 3
    if (bridge := _AFTER_BRIDGE.match(text, cue.end)) is not None:
        reach = bridge.end() + 1  # "according to analysts at Bernstein", "according to a note from Jefferies"
    for i, mention in enumerate(mentions):
        if mention.entity.type in SPEAKER_TYPES and cue.end <= mention.start <= reach:
            return [_manager_named_after(text, mention, mentions[i + 1 : i + 2])]
    return [w for w in words if w.tag == "implicit" and 0 <= w.start - cue.end <= 3][:1]


def _manager_named_after(text: str, firm: Mention, following: list[Mention]) -> Mention:
    """"said Ridgeway Capital portfolio manager Jane Roe": the firm's manager named after its
    title speaks for herself (an analyst would speak for the firm)."""
    person = following[0] if following else None
    if (person is None or firm.entity.type != "Institution" or person.entity.type != "Person"
            or person.entity.affiliation not in (None, firm.entity.name) or person.entity.role == "analyst"):
        return firm
    gap = text[firm.end : person.start]
    return person if len(gap) <= 32 and "," not in gap else firm


def index_moved(view, lexicon) -> bool:
    """"同日，恒生科技指数升1.4%，…": an index's move opens the sentence: the market reported."""
    moves = [h.start for h in view.stance.stance_hits if lexicon.is_move(h)]
    return any(m.entity.type == "Index" and m.start <= 4 and any(0 <= at - m.end <= 2 for at in moves) for m in view.mentions)


def reported_move(cue: Hit, bound: Bound, found: list[Bound]) -> bool:
    """A company's move inside a broker's words ("凯基投顾表示，台积电若上调营收目标…"): no holder."""
    return cue.tag == "act" and bound.holders[0].entity_type == "Company" and any(
        b.holders[0].entity_type in ("Institution", "Person") and b.end <= bound.at for b in found)
