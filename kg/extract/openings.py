"""Where a regular expression can start a match: the characters it may open with.

The regex engine skips ahead to a pattern's first characters only when every alternative
opens with a plain one; an alternation whose alternatives open with ``\\b``, a group or a
class is instead tried at every position of the text. Knowing the characters it can open
with (and where a ``\\b`` before them says a word must start), :func:`matches_from` tries
it only where one of them stands, and finds the same matches as ``finditer``, in the same
order.

>>> pattern = re.compile(r"(?P<a>\\bup \\d+%)|(?P<b>(?:涨|跌)\\d+%)")
>>> opening(pattern).pattern
'\\\\b[u]|[涨跌]'
>>> [m.group(0) for m in matches_from(pattern, opening(pattern), "shares up 5%, 涨3%")]
['up 5%', '涨3%']
"""

from __future__ import annotations

import re
from re import _compiler, _parser
from re import _constants as sre

_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s"}  # (any word character: too many to skip by)
_WIDEST = 64  # characters in a range of a pattern's first characters (A-Z): a wider one (all of CJK) skips too little
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


def opening(pattern: re.Pattern) -> re.Pattern | None:
    """A pattern of one character: those ``pattern`` can open a match with, at a word's
    start where it opens on ``\\b``. None where the regex engine skips to them itself (every
    alternative opens on a plain character), where too many characters may open one, or
    the pattern is beyond this reading (ignoring case…)."""
    if pattern.flags & (re.IGNORECASE | re.ASCII | re.LOCALE):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        if _compiler._get_literal_prefix(parsed, pattern.flags)[0] or _compiler._get_charset_prefix(parsed, pattern.flags):
            return None
        first, empty = _first(parsed.data)
    except _Unknown:
        return None
    if empty or not first:
        return None
    at_word = "".join(sorted(item for boundary, item in first if boundary))
    anywhere = "".join(sorted(item for boundary, item in first if not boundary))
    return re.compile("|".join(([rf"\b[{at_word}]"] if at_word else []) + ([f"[{anywhere}]"] if anywhere else [])))


class _Unknown(Exception):
    """A construct whose first characters are not worked out here."""


def _first(items: list, boundary: bool = False) -> tuple[set[tuple[bool, str]], bool]:
    """The class items (regex source) a sequence of parsed items can open with, each with
    whether a word must start there (``boundary``: a ``\\b`` stands before the sequence),
    and whether the sequence can match the empty string."""
    first: set[tuple[bool, str]] = set()
    for op, value in items:
        if op in _ZERO_WIDTH:
            # (it only narrows where the rest matches; a \b holds for whatever opens the rest)
            boundary = boundary or op is sre.AT and value is sre.AT_BOUNDARY
            continue
        if op is sre.LITERAL:
            return first | {(boundary, re.escape(chr(value)))}, False
        if op is sre.IN:
            return first | {(boundary, item) for item in _class(value)}, False
        if op is sre.BRANCH:
            found = [_first(alternative, boundary) for alternative in value[1]]
            first |= set().union(*(chars for chars, _ in found))
            empty = any(empty for _, empty in found)
        elif op is sre.SUBPATTERN:
            if value[1] & re.IGNORECASE:
                raise _Unknown(op)
            chars, empty = _first(value[3], boundary)
            first |= chars
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            chars, empty = _first(value[2], boundary)
            first |= chars
            empty = empty or value[0] == 0
        else:
            raise _Unknown(op)
        if not empty:
            return first, False
    return first, True


def _class(items: list) -> set[str]:
    found = set()
    for op, value in items:
        if op is sre.LITERAL:
            found.add(re.escape(chr(value)))
        elif op is sre.RANGE and value[1] - value[0] < _WIDEST:
            found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif op is sre.CATEGORY and value in _CATEGORIES:
            found.add(_CATEGORIES[value])
        else:
            raise _Unknown(op)  # (a negated class opens with nearly anything)
    return found


# Each pattern's opening, by the pattern's id (hashing a pattern hashes all its compiled
# code), with the pattern itself, so that the id stays its own (patterns are module constants).
_OPENINGS: dict[int, tuple[re.Pattern, re.Pattern | None]] = {}


def _opening_of(pattern: re.Pattern) -> re.Pattern | None:
    known = _OPENINGS.get(id(pattern))
    if known is None:
        known = _OPENINGS[id(pattern)] = (pattern, opening(pattern))
    return known[1]


def search(pattern: re.Pattern, text: str, low: int = 0, high: int | None = None) -> re.Match | None:
    """``pattern.search(text, low, high)``, tried only where the pattern can open (:func:`opening`)."""
    opens = _opening_of(pattern)
    if opens is None:
        return pattern.search(text, low, len(text) if high is None else high)
    return next(matches_from(pattern, opens, text, low, high), None)


def finditer(pattern: re.Pattern, text: str, low: int = 0, high: int | None = None):
    """``pattern.finditer(text, low, high)``, tried only where the pattern can open (:func:`opening`)."""
    opens = _opening_of(pattern)
    if opens is None:
        return pattern.finditer(text, low, len(text) if high is None else high)
    return matches_from(pattern, opens, text, low, high)


def matches_from(pattern: re.Pattern, opens: re.Pattern | None, text: str, low: int = 0, high: int | None = None):
    """``pattern.finditer(text, low, high)``, trying the pattern only where ``opens``
    (:func:`opening`) finds a character it can start with. No pattern given here matches
    the empty string (:func:`opening` says None for one that can)."""
    high = len(text) if high is None else high
    if opens is None:
        yield from pattern.finditer(text, low, high)
        return
    end = low
    for start in opens.finditer(text, low, high):
        if start.start() >= end:
            found = pattern.match(text, start.start(), high)
            if found is not None:
                yield found
                end = found.end()
