"""Split an article's prose into sentences that remember their paragraph and quotation.

Chinese sentences end at 。！？ and ；, English ones at . ! ? unless the period closes an
abbreviation (U.S., Inc.), an initial (D.A.) or a number (3.5). A closing quotation mark
right after the end stays with its sentence. Sentences inside a quotation are split too,
but keep ``in_quote`` so the extractor can give them the speaker who opened the quote.

>>> [s.text for s in split_sentences("瑞银认为，A。该机构称：“B。C。”D.")]
['瑞银认为，A。', '该机构称：“B。', 'C。”', 'D.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_QUOTES = "“「『‘"
CLOSING_QUOTES = "”」』’"
_CJK_ENDS = "。！？；!?"
_LATIN_ENDS = ".!?"
_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u inc corp co ltd plc llc mr mrs ms dr prof st no vs etc e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est dept gov sen rep".split()
)
_HEADING_MAX = 60  # characters: a shorter line before a capitalised one is a heading
_ALNUM = re.compile(r"[^\W_]")  # exactly the characters str.isalnum() accepts
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_BULLET = re.compile(r"[ \t]*(?:[-*•·]|\d{1,2}[.)])\s")


@dataclass(slots=True)  # not frozen: built for every sentence, and frozen ones build slowly
class Sentence:
    """``text`` is ``body[start:end]`` of the article, stripped of surrounding space."""

    start: int
    end: int
    text: str
    paragraph: int
    in_quote: bool  # begins inside a quotation opened by an earlier sentence
    opens_quote: bool  # leaves a quotation open for the sentences after it


def _ends_latin_sentence(text: str, i: int) -> bool:
    """Is the '.', '!' or '?' at ``i`` the end of an English sentence?"""
    after = text[i + 1 : i + 3]
    if after and not (after[0].isspace() or after[0] in CLOSING_QUOTES + '"\')'):
        return False
    if text[i] != ".":
        return True
    word = _WORD_BEFORE.search(text[max(0, i - 12) : i])
    if word:
        token = word.group(1).lower()
        if token in _ABBREVIATIONS or len(token.split(".")[-1]) == 1:
            return False
    following = text[i + 1 : i + 40].lstrip(" \t" + CLOSING_QUOTES + '"\'')  # a window: never copy the rest
    return not following[:1].islower()


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs end at a blank line, and at a line break that ends a sentence: many
    outlets put one paragraph on each line. A line wrapped mid-sentence runs on."""
    spans, start = [], 0
    for gap in re.finditer(r"\n(?:[ \t]*\n)*", text):
        if "\n" in gap.group(0)[1:] or _line_ends_sentence(text, gap.start()):
            spans.append((start, gap.start()))
            start = gap.end()
    spans.append((start, len(text)))
    return spans


# Only these characters can change the state of the scan; everything else is skipped.
_EVENTS = re.compile("[" + re.escape(OPENING_QUOTES + CLOSING_QUOTES + _CJK_ENDS + _LATIN_ENDS + ";\n") + "]")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (an article's prose, same offsets as its body)."""
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraph_spans(text)):
        depth = 0  # a quotation never runs across a blank line
        start, started_in_quote, skip_to = p_start, False, p_start
        for event in _EVENTS.finditer(text, p_start, p_end):
            i, char = event.start(), event.group(0)
            if i < skip_to:
                continue
            if char in OPENING_QUOTES:
                depth += 1
                continue
            if char in CLOSING_QUOTES:
                depth = max(0, depth - 1)
                continue
            end = _boundary(text, i, char)
            if end is None:
                continue
            while end < p_end and text[end] in CLOSING_QUOTES + '"':
                if text[end] in CLOSING_QUOTES:
                    depth = max(0, depth - 1)
                end += 1
            _append(sentences, text, start, end, paragraph, started_in_quote, depth > 0)
            start, started_in_quote, skip_to = end, depth > 0, max(end, i + 1)
        _append(sentences, text, start, p_end, paragraph, started_in_quote, depth > 0)
    return sentences


HEADING_LINE_MAX = 80  # characters: a line no longer, not ended like a sentence, is a heading


# A broker note's risk disclosure or disclaimer ("风险提示：海外需求不及预期…"): boilerplate, no view.
_BOILERPLATE = re.compile(r"\s*[【\[(（]?(?:风险提示|风险因素|免责声明|重要声明)[】\])）]?\s*[:：]")


# A tally ("据统计，…", "根据基金季报统计", "根据LSEG汇整的预估"): facts counted, no view (what
# "数据显示" reports is the article's own: ANNOTATION.md's Unattributed).
_TALLY = re.compile(r"\s*(?:另|此外[,，]?\s*)?(?:据|根据)[^,，。]{0,30}?(?:统计|汇整|调查)")


def boilerplate(text: str) -> bool:
    """Does the sentence open a risk disclosure, a disclaimer or a tally?"""
    return _BOILERPLATE.match(text) is not None or _TALLY.match(text) is not None


def chinese_heading(text: str) -> bool:
    """A short line ending on a Chinese character: a Chinese title or subheading, no sentence."""
    return len(text) <= HEADING_LINE_MAX and "\u4e00" <= text[-1] <= "\u9fff"


def _boundary(text: str, i: int, char: str) -> int | None:
    """Where a sentence ends if the character at ``i`` ends it, else None."""
    if char in _CJK_ENDS or (char == ";" and _after_cjk(text, i)):
        return i + 1
    if char in _LATIN_ENDS and _ends_latin_sentence(text, i):
        return i + 1
    if char == "\n" and _line_ends_sentence(text, i):
        return i
    return None


def _after_cjk(text: str, i: int) -> bool:
    """A semicolon ends a Chinese sentence (folded from ；) but not an English one."""
    return i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff"


def _line_ends_sentence(text: str, i: int) -> bool:
    """A line break ends a sentence unless it only wraps a running English line; a short
    line before a capitalised one is a heading ("Nvidia Still Leads the Pack")."""
    if _BULLET.match(text, i + 1):
        return True  # the next line is an item of a list: "- Jefferies: to $300 from $250"
    line_start = text.rfind("\n", max(0, i - _HEADING_MAX), i) + 1
    before = text[max(line_start, i - _HEADING_MAX) : i].rstrip(" \t")
    if not before or not (before[-1].isascii() and (before[-1].islower() or before[-1] in ",-")):
        return True
    heading = line_start > 0 or i - line_start < _HEADING_MAX
    following = text[i + 1 : i + 3].lstrip()
    return heading and i - line_start < _HEADING_MAX and before[-1] not in ",-" and following[:1].isupper()


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int,
            in_quote: bool, opens_quote: bool) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not _ALNUM.search(stripped):
        return  # no letter or digit: nothing said
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    out.append(Sentence(begin, begin + len(stripped), stripped, paragraph, in_quote, opens_quote))
