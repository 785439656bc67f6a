"""Names the catalogue does not know, recognised in English text from the words around
them: "analysts at X", "X analyst Y", "Y, an analyst at X", "X Research / Securities /
Capital", "Jane Roe, who manages $2 billion at X", a ticker in brackets after a company.

>>> from kg.extract.catalogue import Catalogue
>>> from kg.extract.windows import Spans
>>> sorted({(e.name, e.type) for e in english("Argus Research analyst Jane Roe said so.", Catalogue([]), Spans())})
[('Argus Research', 'Institution'), ('Jane Roe', 'Person')]
"""

from __future__ import annotations

import re

from kg.extract.catalogue import Catalogue
from kg.extract.names import COMMON_FIRST_WORDS, NOT_NAMES, PERSON, name_word
from kg.extract.windows import WordFinder, inside, matches, matches_at, person_aliases, windowed, windowed_after, windows_of
from kg.model import Entity

# -- English ----------------------------------------------------------------------

_CAP = r"(?:[A-Z][A-Za-z0-9\u00C0-\u024F&'’.\-]*|&)"  # Latin letters with accents too ("Union Bancaire Privée")
_NAME = rf"{_CAP}(?:\s(?:of\s|de\s|and\s)?{_CAP}){{0,3}}"
_FIRM_SUFFIX = (
    r"(?:Research|Securities|Capital Markets|Capital Management|Capital|Partners|Asset Management|"
    r"Investment Management|Investments|Advisors|Advisers|Wealth Management|Global Investors|Investors|"
    r"Associates|Equity Research|Financial Group|Investment Bank|Investment Research|Investment Group|Funds|Wealth)"
)
# The words before a title: "a senior", "a Tokyo-based", "a London-based technology"
_DESCRIBED = r"(?:(?:[a-z\-]+|[A-Z][\w.]*-based)\s)"
_MODIFIERS = ("senior", "chief", "lead", "research", "equity", "managing", "top", "five-star", "5-star", "veteran", "longtime")
_TITLE_HEADS = ("analyst", "strategist", "economist", "director")
_TITLE = rf"(?:(?:{'|'.join(_MODIFIERS)})\s)*(?:{'|'.join(_TITLE_HEADS)})s?"
# Titles of people who speak for themselves (ANNOTATION.md: fund managers, investors, executives)
_MANAGER = r"(?:portfolio manager|fund manager|money manager|chief investment officer|investment officer|CIO|managing partner|partner|investor)"
# An executive's titles: the firm is a company, which the executive speaks of as their own.
_EXECUTIVE = (r"(?:chief executive(?: officer)?|CEO|chief financial officer|CFO|chief technology officer|CTO|"
              r"president|chairman|chairwoman|co-founder|founder)")
# A company officer's longer titles: "Senior Managing Executive Officer", "Executive Vice President"
_OFFICER_TITLE = (r"(?:[A-Z][a-z]+\s){0,3}(?:Executive|Operating|Strategy|Commercial|Revenue|Product|Marketing|Technology|Business)\sOfficer"
                  r"|(?:Senior\s|Executive\s)?Vice\sPresident")
# How a stock moved, said of its shares ("shares jumped", "shares were little changed")
_MOVED = (r"rose|fell|jumped|surged|soared|climbed|gained|advanced|rallied|slid|sank|dropped|tumbled|plunged|slumped|"
          r"declined|dipped|slipped|edged|retreated|rebounded|closed|ended|opened|traded|were|have|extended|lost|added")
_KINDS_OF_STOCK = frozenset("tech technology chip chips semiconductor software bank banking energy memory internet property utility "
                            "utilities retail consumer growth value index market sector listed mega-cap large-cap small-cap rival peer "
                            "defence defense mining oil auto gaming telecom media".split())  # "Technology shares fell": no company
_NAME_AT_END = re.compile(rf"(?:^|(?<=\s))({_NAME})\s$")
_PERSON_AT_START = re.compile(rf"\s({PERSON})\b")
_NAME_BEFORE_POSSESSIVE = re.compile(rf"(?:^|(?<=\s))({_NAME})$")


def _after_space(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isspace()  # what (?<=\s) before a pattern tests


def _word_start(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")  # \b before a word character


# Patterns found by a cheap anchor (a firm suffix, a title, a bracket) whose name is then
# read from the words right before it: the name pattern never scans the whole article.
# A pattern may come with the test of what must stand before it (see :func:`~kg.extract.windows.matches`),
# and with the only places it can start, found by plain substring search (a title: see
# :func:`_title_starts`), where a regex would stop at every a and s of English text.
_NAMED_BEFORE = (
    # "Argus Research", "Roth Capital", "President Capital Management"
    ("firm", re.compile(rf"{_FIRM_SUFFIX}\b"), _after_space, None),
    # "Barclays analyst Jiong Shao", "five-star Jefferies analyst Thomas Chong"
    ("firm_analyst", re.compile(rf"(?<=\s){_TITLE}(?=\s[A-Z])"), None, "title phrase"),
    # "Credo (CRDO)", "Nvidia (NASDAQ:NVDA)"
    ("company", re.compile(r"\((?:NASDAQ|NYSE|Nasdaq|NYSE American|OTC|TSX|LSE|HKEX|SEHK|KRX|TWSE|TYO|TSE|ETR|XETRA|FRA|EPA|AMS|EBR|LON|SWX|SIX|BIT|BME|STO"
                           r"|HEL|CPH|OSL|ASX|NZX|SGX|HKG|TSXV|JSE)?\s?:?\s?([A-Z]{2,5}(?:\.[A-Z]{1,2})?)\)"
                           r"|\((?:(?:TYO|TSE|KRX|KOSDAQ|TWSE|TPEX|HKEX|SEHK|HKG|SHA|SHE|NSE|BSE|TADAWUL)\s?:\s?(\d{4,6})"
                           r"|(\d{4,6}\.(?:T|HK|TW|TWO|KS|KQ|SS|SZ|SH|NS|BO|SI|AX|SR)))\)"),  # "(TYO:6857)", "(6857.T)": a number needs its exchange
     _after_space, None),
    # "Needham's Victor Albrecht": a bank's or broker's person is its analyst
    ("possessive_analyst", re.compile(r"['’]s(?=\s[A-Z][a-z])"), None, None),
    # "Microchip Technology Inc."
    ("company", re.compile(r"(?:Inc|Corp|Corporation|Ltd|Limited|Holdings|PLC|plc|Co)\b"), _after_space, None),
    # "Spark New Zealand shares jumped 7%", "Wipro's shares fell": what trades is a company
    ("traded", re.compile(rf"shares\s(?:{_MOVED})\b"), _after_space, None),
    # "Forsyth Barr upgraded Spark to outperform": who opens a sentence by rating a company is a broker
    ("rater", re.compile(rf"(?:upgrad|downgrad)ed\s(?:shares\sof\s)?{_NAME}\s(?:to|at)\s|(?:initiat|start|resum|assum)ed\scoverage\s(?:of|on)\s"
                         r"|(?:rais|lift|boost|cut|lower|trimm|reduc|hik)(?:ed|s)?\s(?:its|their)\s(?:price\s)?(?:target|objective)\s(?:on|for)\s"),
     _after_space, "rating verb"),
)
_RATED = (
    r"(?:(?:upgrad|downgrad)(?:ed|es|ing)|(?:initiat(?:ed|es|ing)|start(?:ed|s)|began|resum(?:ed|es)|assum(?:ed|es)|launch(?:ed|es))"
    r"\scoverage\s(?:of|on)|(?:rais|lift|boost|cut|lower|trimm|reduc|hik)(?:ed|es|s)?\s(?:its|their|the|his|her)\s"
    r"(?:price\s)?(?:target|objective)\s(?:on|for)"
    r"|rat(?:es|ed)(?=\s[A-Z])"
    r"|(?:reiterat|maintain|reaffirm|keep|kept|assign|has|had|with)(?:ed|s|ing)?\s(?:its|their|the|his|her|an?)\s"
    r"(?:[A-Za-z-]+\s){1,2}rating\s(?:on|for))"
)
# "rates Zeta Dynamics overweight": a rating word after the name closes it
_RATING_WORD = r"(?:an?\s)?(?:buy|sell|hold|neutral|overweight|underweight|equal-weight|outperform|underperform|market perform|sector perform|peer perform)\b"
# What kind of firm it is, said before its name: "a partner at venture firm Redline Capital".
_KIND = (r"(?:(?:the\s)?(?:[a-z\-]+\s)?(?:firm|fund|manager|shop|house|boutique|brokerage|broker|bank|company|"
         r"investor|adviser|advisor|consultancy)\s)?")
_LIST_TAIL = r",\s(?:to|raises? to|cuts? to|lifts? to)\s(?:US)?\$"
_INVESTING = r"(?:[\w&\-]+\s){0,3}?(?:equities|investments|investing|portfolio management|asset allocation|multi-asset|fixed income)\s"
_COVERING = r"(?:\s(?:who|that)\s(?:covers|follows|tracks)(?:\s[\w&\-]+){1,4}?)?"  # "an analyst who covers chip stocks at X"
# Besides the test before it and its place, a pattern that opens with a name runs only on text holding a part of
# it quick to look for (``needs``: a regex, or words found by substring search where a regex opening on \b would try every place).
_EN_PATTERNS = (
    # "analysts at Wolfe", "an analyst with Needham"
    ("firm", re.compile(rf"(?:analysts?|strategists?|economists?)\s(?:at|with|from)\s({_NAME})"), _word_start, None, "title"),
    # "Jane Roe, an analyst at Argus Research", "Jane Roe, an analyst who covers chips at Argus Research"
    ("analyst_firm", re.compile(rf"({PERSON}),\s(?:an?\s|the\s)?{_DESCRIBED}{{0,3}}{_TITLE}{_COVERING}\s(?:at|with|for|from)\s{_KIND}({_NAME})"),
     _word_start, None, None),
    # "Jane Roe, head of research for SPDR Americas at State Street Global Advisors"; but "Jane Roe,
    # head of Asia equities at Bluefin Partners" invests: she speaks for herself
    ("analyst_firm", re.compile(rf"({PERSON}),\s(?:the\s)?(?:[a-z\-]+\s)?head\sof\s(?!{_INVESTING})(?:[\w&\-]+\s){{1,5}}?(?:at|with|from)\s{_KIND}({_NAME})"),
     _word_start, None, None),
    ("manager_firm", re.compile(rf"({PERSON}),\s(?:the\s)?(?:[a-z\-]+\s)?head\sof\s{_INVESTING}(?:at|with|from)\s{_KIND}({_NAME})"),
     _word_start, None, None),
    # "Jane Roe, a portfolio manager at Bluefin Capital": she speaks for herself, not the firm
    ("manager_firm", re.compile(rf"({PERSON}),\s(?:an?\s|the\s)?{_DESCRIBED}{{0,3}}{_MANAGER}\s(?:at|with|of|for)\s(?:the\s)?{_KIND}({_NAME})"),
     _word_start, None, None),
    # "Jane Roe, who manages $2 billion at Bluefin Capital", "Jane Roe, who co-founded Bluefin
    # Capital": who runs money or a firm of her own speaks for herself
    ("manager_who", re.compile(rf"({PERSON}),\s(?:an?\s(?:[\w\-]+\s){{1,4}}?)?(?:who|which)\s(?:now\s)?(?:(?:co-)?found(?:ed|s)|runs|ran|leads|led|heads|headed)\s({_NAME})"),
     _word_start, None, None),  # ("Jane Roe, a former Goldman trader who now runs X")
    ("manager_who", re.compile(rf"({PERSON}),\s(?:who|which)\s(?:helps\s|co-)?(?:manages?|oversees?|runs?)\s(?:[a-z]+\s)?(?:about\s|some\s|nearly\s|more\sthan\s)?"
                                rf"(?:US|C|A|HK|S)?[$€£¥][\d.,]+\s?(?:billion|million|trillion|bn|m|tn)?\s(?:(?:in|of)\s(?:[a-z]+\s){{0,2}})?(?:at|with|for)\s{_KIND}({_NAME})"),
     _word_start, None, None),
    # "portfolio manager Jane Roe of Bluefin Capital"
    ("manager_firm", re.compile(rf"(?i:{_MANAGER})\s({PERSON})\s(?:at|with|of)\s({_NAME})"), _word_start, None, None),
    # "Jane Smith, chief executive of Acme Robotics", "Jane Smith, Acme Robotics' chief executive"
    ("executive_firm", re.compile(rf"({PERSON}),\s(?:an?\s|the\s)?(?:[a-z\-]+\s){{0,2}}{_EXECUTIVE}\s(?:at|of)\s({_NAME})"),
     _word_start, None, None),
    ("executive_firm", re.compile(rf"({PERSON}),\s({_NAME})['’]s?\s(?:[a-z\-]+\s){{0,2}}{_EXECUTIVE}\b"),
     _word_start, None, None),
    # "Jane Roe, Bluefin Capital's chief investment officer, said"; "Jane Roe, Barclays' chief strategist"
    ("manager_firm", re.compile(rf"({PERSON}),\s({_NAME})['’]s?\s(?:[a-z\-]+\s){{0,2}}{_MANAGER}\b"), _word_start, None, None),
    ("analyst_firm", re.compile(rf"({PERSON}),\s({_NAME})['’]s?\s(?:[a-z\-]+\s){{0,2}}(?:{_TITLE}|head\sof\s(?!{_INVESTING})[a-z])"), _word_start, None, None),
    # "Jane Roe, who manages the Bluefin Growth Fund, said", "…, who runs the tech fund at Bluefin Capital"
    ("manager_who", re.compile(rf"({PERSON}),\s(?:who|which)\s(?:helps\s|co-)?(?:manages?|oversees?|runs?)\s(?:the\s)?({_CAP}(?:\s{_CAP}){{0,5}}\s(?:Fund|fund|ETF|Trust))\b"),
     _word_start, None, None),
    ("manager_who", re.compile(rf"({PERSON}),\s(?:who|which)\s(?:helps\s|co-)?(?:manages?|oversees?|runs?)\s(?:the\s|an?\s)?(?:[\w\-]+\s){{0,3}}?"
                                rf"(?:fund|funds|portfolio|portfolios)\s(?:at|with|for)\s{_KIND}({_NAME})"), _word_start, None, None),
    # "Jane Roe, who covers chipmakers for Bluefin Securities": an analyst of that firm
    ("analyst_firm", re.compile(rf"({PERSON}),\s(?:who|which)\s(?:covers|follows|tracks)\s(?:[\w&\-]+\s){{1,4}}?(?:at|for|with)\s{_KIND}({_NAME})"),
     _word_start, None, None),
    # "Jane Roe, a longtime tech investor, said", "Jane Roe, an independent analyst, said": no firm, her own view
    ("manager_alone", re.compile(rf"({PERSON}),\s(?:an?\s|the\s)?{_DESCRIBED}{{0,3}}(?:{_MANAGER}|independent\sanalyst|venture\scapitalist)(?:\sin\s[A-Z][\w.&\-]*(?:\s[A-Z][\w.&\-]*){{0,2}})?(?=[,.])"),
     _word_start, None, None),
    # "fund manager Jane Roe said", "investor Jane Roe said": she speaks for herself
    ("manager", re.compile(rf"(?i:{_MANAGER})\s({PERSON})\b(?!\s(?:at|with|of)\s[A-Z])"), _word_start, None, "manager title"),
    # "Chief Executive Michael Intrator said": an executive of the company the article is about
    ("executive", re.compile(rf"(?:(?<![A-Za-z] )(?:[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|[Cc]hief [Ff]inancial [Oo]fficer|[Ff]inance [Cc]hief|[Cc]hief [Oo]perating [Oo]fficer|"
                             rf"[Cc]hief [Tt]echnology [Oo]fficer|[Pp]resident|(?:[Vv]ice |[Dd]eputy )?[Cc]hairman|[Mm]anaging [Dd]irector|[Ee]xecutive [Dd]irector|CEO|CFO|COO|CTO)"
                             rf"|{_OFFICER_TITLE})\s({PERSON})\b"),
     _word_start, None, None),
    # "Ridgeway Capital portfolio manager Jane Roe": the fund's manager speaks for herself
    ("firm_manager", re.compile(rf"({_NAME})(?:['’]s?)?\s(?i:{_MANAGER}),?\s({PERSON})\b"), _word_start, None, None),  # "Bluefin's chief investment officer, Jane Roe,"
    # "Acme Robotics chief executive Jane Smith", "Acme Robotics CEO Jane Smith", "Acme's chief executive, Jane Smith,"
    ("firm_executive", re.compile(rf"({_NAME})(?:['’]s)?\s(?i:{_EXECUTIVE}),?\s({PERSON})\b"), _word_start, None, None),
    # "analyst Jane Roe started coverage of the chipmaker at Argus Research"
    ("analyst_at", re.compile(rf"(?:analysts?|Analysts?|strategists?|Strategists?)\s({PERSON})\s(?:[A-Za-z.]+\s){{1,8}}?(?:at|with|from)\s({_NAME})"),
     _word_start, None, "title"),
    # "Brian Whitcombe of Monness, Crespi, Hardt, who rates the shares sell": who rates a stock is an analyst
    ("analyst_firm", re.compile(rf"({PERSON})\sof\s({_NAME}(?:,\s[A-Z][a-z]+){{0,2}}),\s(?:who|which)\s(?:rates|has\san?)\s"), _word_start,
     re.compile(r",\s(?:who|which)\s(?:rates|has\san?)\s"), None),
    # "…, said Jane Roe of Bluefin Capital": of a bank or broker an analyst, else she speaks for herself
    ("speaker_of", re.compile(rf"(?:said|says|according\sto|added|noted|wrote)\s({PERSON})\s(?:of|at|with|from)\s({_NAME})"), None,
     None, "speech verb"),
    # "EFG Hermes, which has a buy rating on the stock": a firm rating a stock is a broker
    ("firm", re.compile(rf"({_NAME}),\swhich\s(?:rates|has\san?\s[\w-]+\srating)\b"), _word_start,
     re.compile(r",\swhich\s(?:rates|has\san?\s[\w-]+\srating)\b"), None),
    # "Park Seo-yeon, who covers semiconductors at the brokerage": an analyst of the firm just named
    ("analyst", re.compile(rf"({PERSON}),\s(?:who|which)\s(?:covers|follows|tracks)\s"), _word_start,
     ("covers", "follows", "tracks"), None),
    # "Analyst Timothy Horan lowered": the firm comes from the article
    ("analyst", re.compile(rf"(?:analyst|Analyst|strategist|Strategist)\s({PERSON})"), _word_start, None, "title"),
    # "Jefferies, to $300 from $170": a broker's line in a list of target changes
    ("firm", re.compile(rf"(?m)^\s*(?:[-*•]\s*)?({_NAME}){_LIST_TAIL}"), None, re.compile(_LIST_TAIL), None),
    # "Shares of Spark New Zealand jumped 7%": what trades is a company
    ("traded", re.compile(rf"[Ss]hares\sof\s({_NAME})(?=\s(?:{_MOVED})\b)"), _word_start, ("hares of",), None),
    # "upgraded Zeta Systems to buy", "initiated coverage of Zeta Systems": what a broker rates is a company
    ("company", re.compile(rf"{_RATED}\s(?:shares\sof\s)?({_NAME})(?=\s(?:to|at|with|from|as|on|and)\b|[,.;:]|\s\(|['’]s\b|\s{_RATING_WORD})"),
     _word_start, None, "rating verb"),
)
# Those opening with a person and a comma ("Jane Roe, an analyst at…") are tried only where that opening matches,
# found once per window for all of them instead of by each at every capital letter (windows.windowed_after).
_PERSON_LEAD = re.compile(rf"{PERSON},\s")
_PERSON_LED = frozenset(id(p) for _, p, _, _, _ in _EN_PATTERNS if p.pattern.startswith(f"({PERSON}),\\s"))
_TITLE_STEMS = ("nalyst", "trategist", "conomist")  # analyst, strategist, economist, either case first


def _title_starts(text: str, words: dict[str, list[int]]) -> list[int]:
    """Where a title word (analyst, strategist, economist, either case first) may start:
    found by plain substring search (``words``: where each word of :data:`WORDS` starts),
    far quicker than a regex stopping at every a and s."""
    return sorted(at - 1 for stem in _TITLE_STEMS for at in words.get(stem, ()) if at >= 1)


# key word → the nearest and the farthest word before it a rating verb may start at
_RATED_KEYS = {"grad": (0, 0), "coverage": (1, 1), "target": (1, 4), "objective": (1, 4), "rating": (1, 4), "rate": (0, 0)}


def _word_start_at(text: str, at: int) -> int:
    return max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1


def _keyed_starts(text: str, keys: dict[str, tuple[int, int]], words: dict[str, list[int]]) -> list[int]:
    """Where a phrase holding one of ``keys`` may start: the word holding the key (0) or
    one of the words before it, from the nearest to the farthest the key allows; the keys
    are found by plain substring search."""
    starts: set[int] = set()
    for key, (nearest, farthest) in keys.items():
        for at in words.get(key, ()):
            start = _word_start_at(text, at)  # the word holding the key
            for back in range(farthest + 1):
                if back >= nearest:
                    starts.add(start)
                if start <= 0 or back == farthest:
                    break
                start = _word_start_at(text, start - 1)  # the word before
    return sorted(starts)


def _rated_starts(text: str, words: dict[str, list[int]]) -> list[int]:
    """Where a broker's rating verb may start (:data:`_RATED`): the word holding "grad"
    (upgraded), or one of the few words before "coverage", "target", "objective" ("raised
    its price target")."""
    return _keyed_starts(text, _RATED_KEYS, words)


def _title_phrase_starts(text: str, words: dict[str, list[int]]) -> list[int]:
    """Where a title phrase (:data:`_TITLE`) may start: at each title head, and at each
    modifier chained before one by a single space ("senior research analyst")."""
    starts: set[int] = set()
    for head in _TITLE_HEADS:
        for at in words.get(head, ()):
            todo = [at]
            while todo:
                start = todo.pop()
                if start in starts:
                    continue
                starts.add(start)
                if start > 0 and text[start - 1].isspace():  # what \s matches
                    todo += [start - 1 - len(word) for word in _MODIFIERS if text.endswith(word, 0, start - 1)]
    return sorted(starts)


# manager, officer, partner, investor, either case first: the title starts at the word or up to two before
_MANAGER_KEYS = {key: (0, 2) for key in ("anager", "fficer", "CIO", "artner", "nvestor")}
_SPEECH_WORDS = ("said ", "says ", "according to ", "added ", "noted ", "wrote ")


def _manager_starts(text: str, words: dict[str, list[int]]) -> list[int]:
    """Where a manager's title (:data:`_MANAGER`) may start ("chief investment officer")."""
    return _keyed_starts(text, _MANAGER_KEYS, words)


def _speech_starts(text: str, words: dict[str, list[int]]) -> list[int]:
    """Where a word of saying starts a word and a capitalised word follows it ("said Jane")."""
    return sorted(at for word in _SPEECH_WORDS for at in words.get(word, ())
                  if at + len(word) < len(text) and text[at + len(word)].isupper() and _word_start(text, at))


_PLACES = {"title": _title_starts, "title phrase": _title_phrase_starts, "rating verb": _rated_starts,
           "manager title": _manager_starts, "speech verb": _speech_starts}


def _found(pattern: re.Pattern, text: str, stands, where: str | None, places: dict[str, list[int]],
           words: dict[str, list[int]]):
    """The matches of a pattern of the tables above; ``places`` keeps, for the article,
    the starts found for each kind of place (``words``: where each word of :data:`WORDS` starts)."""
    if where is None:
        return matches(pattern, text, stands)
    if where not in places:
        places[where] = _PLACES[where](text, words)
    return matches_at(pattern, text, places[where], stands) if places[where] else ()


_EXECUTIVE_ANCHOR = ("hief", "CEO", "CFO", "CTO", "resident", "hair", "founder")
_MANAGER_ANCHOR = ("anager", "officer", "Officer", "CIO", "partner", "Partner")
_ANCHORS = {"analyst_firm": ("analyst", "strategist", "economist", "director", "head of", "who covers", "who follows", "who tracks",
                             "who rates", "which rates", "who has a", "which has a"),
            "manager_firm": (*_MANAGER_ANCHOR, "nvestor at", "nvestor with", "nvestor of", "head of"),
            "firm_manager": (*_MANAGER_ANCHOR, "nvestor"),
            "manager_who": (", who ", ", which ", " who now ", " who runs ", " who founded ", " who co-founded ", " who heads ", " who leads "),
            "manager_alone": (*(f"{word}{mark}" for word in ("anager", "fficer", "CIO", "artner", "nvestor", "nalyst", "apitalist")
                                for mark in ",."), "nvestor in "),
            "executive_firm": _EXECUTIVE_ANCHOR, "firm_executive": _EXECUTIVE_ANCHOR, "executive": (*_EXECUTIVE_ANCHOR, "Officer ", "irector ")}
_NAME_REACH = 60  # characters a name before its suffix may take
# Every word looked for by plain substring search, all found in one pass (:class:`WordFinder`).
WORDS = (*_TITLE_STEMS, *_TITLE_HEADS, *_RATED_KEYS, *_MANAGER_KEYS, *_SPEECH_WORDS, *(word for anchor in _ANCHORS.values() for word in anchor),
         *(word for _, _, _, needs, _ in _EN_PATTERNS if isinstance(needs, tuple) for word in needs))
_WORD_FINDER = WordFinder(WORDS)


class _Named:
    """A match read back from its anchor: group(1) the name before it, group(2) what follows."""

    def __init__(self, name: str, name_start: int, second: str | None, whole: str):
        self._groups = (whole, name, second)
        self._start = name_start
        self.lastindex = 2 if second is not None else 1

    def group(self, index: int = 0) -> str | None:
        return self._groups[index]

    def start(self, index: int = 0) -> int:
        return self._start


def _named_before(kind: str, anchor: re.Match, text: str) -> _Named | None:
    head_start = max(0, anchor.start() - _NAME_REACH)
    found = next(matches(_NAME_AT_END if kind != "possessive_analyst" else _NAME_BEFORE_POSSESSIVE, text, None, head_start, anchor.start()), None)  # (the first)
    if not found or "\n" in text[found.end(1):anchor.start()]:
        return None  # (a name at a paragraph's end is no part of the next one's first word: "…Visible Alpha.\n\nCapital spending")
    head, start = found.group(1), found.start(1)
    name = " ".join(_within_sentence(head.split(), last=True))  # "…on Monday. Northwind Securities said"
    start += head.rfind(name)
    name = name[:-2] if name.endswith(("'s", "’s")) else name  # "Ridgeway Wealth's chief strategist Jane Roe"
    if kind == "firm":
        return _Named(f"{name} {anchor.group(0)}", start, None, "")
    if kind == "rater":  # ("Analyst Jane Roe upgraded…": a person, not a firm)
        return _Named(name, start, None, "") if _opens_sentence(text, start) and name.split()[0] not in NOT_NAMES else None
    if kind in ("firm_analyst", "possessive_analyst"):
        person = _PERSON_AT_START.match(text, anchor.end())
        return _Named(name, start, person.group(1), "") if person else None
    ticker = next((group for group in anchor.groups() if group), None)  # (None for an anchor of no group)
    return _Named(name, start, ticker, "")


def _opens_sentence(text: str, at: int) -> bool:
    """Does a sentence open at ``at``: the text's start, a line's, or after a full stop?"""
    before = text[max(0, at - 3):at].rstrip(" ")
    return not before or before.endswith(("\n", ".", "!", "?", '"', "”"))


def english(text: str, catalogue: Catalogue, taken, words: dict[str, list[int]] | None = None) -> list[Entity]:
    """The provisional entities English text introduces, by the patterns above (``words``:
    where each word of :data:`WORDS` starts in it, if already found)."""
    words = _WORD_FINDER.places(text) if words is None else words
    entities = []
    places: dict[str, list[int]] = {}
    windows: dict[tuple[str, ...], list[list[int]]] = {}  # an anchor's windows, by anchor
    leads: dict[tuple[int, int], list[int]] = {}  # where a person and a comma start, by window
    for kind, anchor, stands, where in _NAMED_BEFORE:
        for hit in _found(anchor, text, stands, where, places, words):
            named = _named_before(kind, hit, text)
            if named is not None:
                entities += _from_english_match(kind, named, catalogue, taken)
    for kind, pattern, stands, needs, where in _EN_PATTERNS:
        # One that opens with a name runs only near its keyword, or where its tail is.
        if needs is not None and not (any(w in words for w in needs) if isinstance(needs, tuple) else needs.search(text)):
            continue
        if kind in _ANCHORS:
            anchor = _ANCHORS[kind]
            if anchor not in windows:
                windows[anchor] = windows_of(anchor, text, words)  # several patterns share an anchor: found once
            if not windows[anchor]:
                continue  # (most articles have no ", who " and no "investor,")
            matches = (windowed_after(pattern, _PERSON_LEAD, text, stands, windows[anchor], leads) if id(pattern) in _PERSON_LED
                       else windowed(pattern, anchor, text, stands, windows[anchor]))
        else:
            matches = _found(pattern, text, stands, where, places, words)
        for match in matches:
            entities += _from_english_match(kind, match, catalogue, taken)
    entities.sort(key=lambda e: text.find(e.name))
    return entities


def _from_english_match(kind: str, match: re.Match, catalogue: Catalogue, taken) -> list[Entity]:
    if kind == "rater":
        kind = "firm"
    if kind == "traded":
        if any(word.lower().strip("'’s") in _KINDS_OF_STOCK or "-" in word and word.lower().endswith(("-listed", "-traded"))
               for word in match.group(1).split()):  # ("US-listed shares rose")
            return []
        kind = "company"
    if kind in ("firm", "company"):
        name = _trim(match.group(1))
        if not name or inside(match.start(1), taken) or _known(name, catalogue):
            return []
        if kind == "company" and match.lastindex and match.lastindex >= 2 and catalogue.by_ticker(match.group(2)):
            return []
        if kind == "company" and match.group(1).rstrip().endswith("&"):
            return []  # "Kestrel & Co.": a partnership's name, found as a firm
        return [firm_entity(name) if kind == "firm" else Entity(name, "Company", (name,), discovered=True)]
    if kind == "analyst":
        return [Entity(match.group(1), "Person", person_aliases(match.group(1)), role="analyst", discovered=True)]
    if kind == "analyst_at":
        firm = catalogue.lookup(_trim(match.group(2)))
        if firm is None or firm.type != "Institution":
            return []
        return [Entity(match.group(1), "Person", person_aliases(match.group(1)), affiliation=firm.name, role="analyst",
                       discovered=True)]
    if kind in ("executive", "manager", "manager_alone"):
        person = match.group(1)
        if catalogue.lookup(person) is not None or person.split()[0] in NOT_NAMES:
            return []
        return [Entity(person, "Person", person_aliases(person), role="executive" if kind == "executive" else None, discovered=True)]
    if kind in ("executive_firm", "firm_executive"):
        return _executive(*((match.group(2), match.group(1)) if kind == "executive_firm" else (match.group(1), match.group(2))),
                          catalogue)
    if kind == "possessive_analyst":
        firm, person = catalogue.lookup(_trim(match.group(1))), match.group(2)
        if firm is None or firm.type != "Institution" or person.split()[0].lower() in COMMON_FIRST_WORDS or person.split()[0] in NOT_NAMES:
            return []  # (a firm the catalogue lacks may be a fund: "Bluefin Capital's Jane Roe" is left alone)
        return [Entity(person, "Person", person_aliases(person), affiliation=firm.name, role="analyst", discovered=True)]
    if kind == "manager_who":
        kind = "manager_firm"
    if kind == "speaker_of":
        known = catalogue.lookup(_trim(match.group(2)))
        if known is not None and known.type == "Company":
            return _executive(match.group(2), match.group(1), catalogue)
        kind = "analyst_firm" if known is not None else "manager_firm"
    firm, person = (match.group(1), match.group(2)) if kind in ("firm_analyst", "firm_manager") else (match.group(2), match.group(1))
    firm = _trim(firm)
    if not firm:
        return []
    known = catalogue.lookup(firm)
    if known is not None and known.type not in ("Institution",):
        return []
    firm_name = known.name if known else firm
    out = [] if known else [firm_entity(firm)]
    person = _person(person)
    role = None if kind in ("manager_firm", "firm_manager") else "analyst"  # a fund manager speaks for herself, an analyst for the firm
    out.append(Entity(person, "Person", person_aliases(person), affiliation=firm_name, role=role, discovered=True))
    return out


def _executive(firm: str, person: str, catalogue: Catalogue) -> list[Entity]:
    """An executive and the company they run: the company found too, when the catalogue lacks it."""
    firm = _trim(firm)
    if not firm or catalogue.lookup(person) is not None:
        return []
    known = catalogue.lookup(firm)
    if known is not None and known.type != "Company":
        return []
    company = [] if known else [Entity(firm, "Company", (firm,), discovered=True)]
    return company + [Entity(person, "Person", person_aliases(person), affiliation=known.name if known else firm,
                             role="executive", discovered=True)]


def firm_entity(name: str) -> Entity:
    """A firm found in the text, known also by its name without its suffix ("Arden Hills")."""
    short = short_name(name)
    return Entity(name, "Institution", (name, short) if short else (name,), discovered=True)


_SUFFIX_AT_END = re.compile(rf"\s{_FIRM_SUFFIX}(?:\s(?:Markets|Group|LLC|LP|Inc))?$")


def short_name(firm: str) -> str | None:
    """What later sentences call a firm: "Arden Hills Capital" → "Arden Hills", "Greyline
    Research" → "Greyline" (the name left holds no common word; one word left must be a
    capitalised word of four letters or more that opens no common firm name)."""
    short = _SUFFIX_AT_END.sub("", firm)
    words = short.split()
    if short == firm or not words or any(w in NOT_NAMES for w in words):
        return None
    if len(words) == 1 and not name_word(short):
        return None  # one word is a name only if no common word of firms' names ("Greyline", not "Global")
    return short


def _person(name: str) -> str:
    """A person's name without the words before it: "For Jane Roe, a portfolio manager at…" → "Jane Roe"."""
    words = name.split()
    while len(words) > 2 and words[0] in NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def _known(name: str, catalogue: Catalogue) -> bool:
    """Is the name, or its first words ("Guggenheim Securities", "Alibaba Group Holding"), in the catalogue?"""
    words = name.split()
    return any(catalogue.lookup(" ".join(words[:n])) for n in range(len(words), 0, -1))


def _trim(name: str) -> str:
    """Drop leading words that are no part of a name: "According to Argus Research" → "Argus Research"."""
    words = _within_sentence(name.rstrip(".,;:’'").split())
    while words and (words[0] in NOT_NAMES or words[0].lower() in ("and", "of") or words[0].endswith("-based")):
        words.pop(0)  # "Singapore-based Lighthouse Peak Investments": the place is no part of the name
    of = next((i for i in (2, 3) if len(words) > i + 1 and words[i] == "of"), None)
    if of is not None and re.fullmatch(PERSON, " ".join(words[:of])):
        words = words[of + 1 :]  # "Jane Roe of Bluefin Capital", "Lim Boon Kiat of Lion Global Investors": the person is of the firm
    return " ".join(words) if words and not all(w in NOT_NAMES for w in words) else ""


_ABBREVIATIONS = frozenset("Inc Corp Co Ltd Bros Mr Ms Dr St Jr Sr".split())


def _within_sentence(words: list[str], last: bool = False) -> list[str]:
    """A name's words up to a full stop ("Acme Capital. Doe said"), or with ``last`` after the last one ("Monday.
    Acme Securities"); initials and abbreviations ("J.P. Morgan", "Co.") end in one inside a name."""
    stops = [i for i, word in enumerate(words[:-1]) if word.endswith(".") and len(word) > 3 and "." not in word[:-1]
             and word[:-1] not in _ABBREVIATIONS]
    if not stops:
        return words
    return words[stops[-1] + 1 :] if last else [*words[: stops[0]], words[stops[0]][:-1]]
