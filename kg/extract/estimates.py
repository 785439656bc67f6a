"""A result or forecast set beside the market's estimate of it, judged by its figures.

Earnings news states the comparison in numbers and leaves the reader to see which is
bigger: "expects revenue of $16.2 billion, compared with analysts' average estimate of
$14.3 billion" is above expectations though no word says so. The figure compared is the
nearest one before the estimate (a range counts by its middle); a cost, spending or loss
is left alone, where more is not better.

>>> compared_with_estimates("revenue of $16.2 billion, compared with analysts' estimate of $14.3 billion")
[('estimate of $14.3 billion', 50, 75, 'positive', 'above expectations')]
>>> compared_with_estimates("营收为88亿美元，市场预期为91亿美元")
[('市场预期为91亿美元', 9, 19, 'negative', 'below expectations')]
"""

from __future__ import annotations

import re

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_SCALE_EN = r"(?:\s?(?:trillion|billion|million|bn|mn|tn)\b|\s?(?:%|per\s?cent|percent)|\s(?:cents?)\b)"
_SCALE_ZH = r"(?:万亿|亿|万)?(?:美元|元|港元|新台币|日元|韩元)?|%"
_FIGURE = (rf"(?:(?:us|hk|nt|a|c|s)?\$|€|£|¥|rs\.?\s?|rmb\s?)?{_NUMBER}"
           rf"(?:{_SCALE_EN}|{_SCALE_ZH})?")
_HEDGE = r"(?:(?:about|around|roughly|nearly|some|approximately|约|近)\s?)"
_WHO = r"(?:analysts?|wall\sstreet|the\sstreet|investors|the\smarket|economists)"
_WHO_WORDS = ("analyst", "wall street", "the street", "investors", "the market", "economists")  # one stands in every English shape but the first
_VERB = r"(?:had\s|were\s|had\sbeen\s)?(?:expected|expecting|estimated|forecast|anticipated|projected|looking\sfor)"
# The estimate with its figure, in the ways earnings reports put it, each with the stretch
# around its word ("estimate", "expect", "预期"…) it can span: (pattern, before, after);
# a before of None opens on the word itself. Each is tried only there, never across a text.
_ENGLISH_SHAPES = (
    (re.compile(rf"(?:estimates?|expectations?|forecasts?|consensus|projections?)\s(?:of|for\s[^,;$]{{1,40}}?\sof|at|was|were|stood\sat|called\sfor)\s{_HEDGE}?(?P<f>{_FIGURE})"), None, 0),
    (re.compile(rf"(?:the\s|a\s)?{_HEDGE}?(?P<f>{_FIGURE})\s(?:that\s|which\s)?{_WHO}(?:\s[\w,]+){{0,3}}?\s{_VERB}"), 80, 12),
    (re.compile(rf"(?P<f>{_FIGURE})\s(?:expected|estimated|forecast|anticipated)\sby\s{_WHO}"), 30, 24),
    (re.compile(rf"{_WHO}(?:\son\saverage|\spolled\sby\s\w+|\ssurveyed\sby\s\w+)?\s{_VERB}\s{_HEDGE}?(?P<f>{_FIGURE})"), 48, 40),
)
_CHINESE_SHAPES = (
    (re.compile(rf"(?:市场|分析师|华尔街|市场平均|市场一致|彭博|路孚特)[^,，。;；]{{0,6}}?(?:预期|预估|共识|估计)(?:值)?(?:为|是|的)?{_HEDGE}?(?P<f>{_FIGURE})"), 12, 24),
)
_FIGURE_AT = re.compile(_FIGURE)
# Where a word sets a figure against the estimate, the figure stands before the word
# ("grew 38%, compared with 39% a quarter earlier and an estimate of 38.5%": 38%, not 39%).
_AGAINST = re.compile(r"\b(?:compared\s(?:with|to)|against|versus|vs\.?|while|whereas)\s")
_RANGE = re.compile(r"\s?(?:to|-|–|至|到)\s?")
_PLUS_OR_MINUS = re.compile(r"(?:plus\sor\sminus|±|\+/-)\s?$")
_WORSE_IF_MORE = re.compile(r"loss|costs?\b|expenses?|spending|capex|capital\sexpenditure|亏损|成本|费用|开支|支出")
_BREAK = re.compile(r"[.;!?。；！？]\s")
# The words every estimate holds: nothing is read in a text without one.
_WORDS = ("estimate", "expect", "forecast", "consensus", "projection", "looking for", "预期", "预估", "共识", "估计")
_DIGIT = re.compile(r"\d")
_INSIDE_A_FIGURE = frozenset("0123456789.,$€£¥")
_REACH = 200  # characters before the estimate where the figure it is set beside may stand
_SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
           "万亿": 1e12, "亿": 1e8, "万": 1e4, "cent": 0.01}  # (in order: "万亿" before "亿"; "cent" reads "cents")
_MARGIN = 0.005  # a figure within half a per cent of the estimate is in line with it


def compared_with_estimates(lowered: str) -> list[tuple[str, int, int, str, str]]:
    """Each estimate in ``lowered`` (lower-cased text) with the figure set beside it, as a
    stance hit (words, start, end, polarity, gloss): above the estimate positive, below it
    negative, in line none."""
    hits = []
    seen: set[tuple[int, int]] = set()
    for m in _estimates(lowered):
        if m.span() in seen or (m.start() > 0 and lowered[m.start() - 1] in _INSIDE_A_FIGURE):
            continue  # (a stretch may open inside a figure: "6.2 billion" of "$16.2 billion")
        seen.add(m.span())
        expected = _value(m.group("f"))
        actual = _figure_before(lowered, m.start(), expected[1])
        if actual is None or expected[0] == 0:
            continue
        change = actual[0] / expected[0] - 1
        if abs(change) > _MARGIN:
            above = change > 0
            hits.append((m.group(0), m.start(), m.end(), "positive" if above else "negative",
                         "above expectations" if above else "below expectations"))
    return sorted(hits, key=lambda hit: hit[1])


def _estimates(lowered: str):
    """Every estimate with its figure, read around each word for one."""
    for word in _WORDS:
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            for pattern, before, after in _ENGLISH_SHAPES if word.isascii() else _CHINESE_SHAPES:
                if before is None:
                    if (m := pattern.match(lowered, at)) is not None:
                        yield m
                    continue
                low, high = max(0, at - before), min(len(lowered), end + after)
                stretch = lowered[low:high]
                if _DIGIT.search(stretch) and (not word.isascii() or any(who in stretch for who in _WHO_WORDS)):
                    yield from pattern.finditer(lowered, low, high)
            at = lowered.find(word, end)


def _figure_before(text: str, end: int, unit: str) -> tuple[float, str] | None:
    """The value of the figure in ``unit`` nearest before ``end`` in its sentence (a range's
    middle), or None where there is none or it is a cost."""
    start = max(0, end - _REACH)
    for brk in _BREAK.finditer(text, start, end):
        start = brk.end()
    against = [m.start() for m in _AGAINST.finditer(text, start, end)]
    end = against[-1] if against else end
    figures = [f for f in _FIGURE_AT.finditer(text, start, end)
               if _parts(f.group(0))[2] == unit and not _PLUS_OR_MINUS.search(text, start, f.start())]
    if not figures:
        return None
    last = figures[-1]
    if _WORSE_IF_MORE.search(text, max(start, last.start() - 40), last.start()):
        return None
    number, scale, unit = _parts(last.group(0))
    if len(figures) > 1 and _RANGE.fullmatch(text, figures[-2].end(), last.start()):
        low, low_scale, low_unit = _parts(figures[-2].group(0))  # "$6.3 billion to $6.4 billion", "$6.3 to $6.4 billion"
        if low_unit == unit:
            number = (low * (low_scale if low_scale != 1 else scale) / scale + number) / 2
    return number * scale, unit


def _value(figure: str) -> tuple[float, str]:
    """A figure's value and unit ('%', 'amount' or 'bare'): "$16.2 billion" → (1.62e10, 'amount')."""
    number, scale, unit = _parts(figure)
    return number * scale, unit


def _parts(figure: str) -> tuple[float, float, str]:
    """A figure's number, the scale its words give it, and its unit: "$16.2 billion" → (16.2, 1e9, 'amount')."""
    number = re.search(_NUMBER, figure)
    rest = figure[number.end():].strip()
    value = float(number.group(0).replace(",", ""))
    if rest.startswith(("%", "per", "percent")):
        return value, 1, "%"
    scale = next((s for word, s in _SCALES.items() if rest.startswith(word)), None)
    money = scale is not None or number.start() > 0 or "元" in rest
    return value, scale or 1, "amount" if money else "bare"  # a bare number may be a year or a count
