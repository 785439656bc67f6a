"""Length-preserving text folding, so one alias table serves every script.

Matching runs on a folded copy of the text: full-width ASCII becomes half-width and
Traditional Chinese characters become Simplified, one character for one character.
Because the folded text has exactly the length of the original, every offset found
in it is an offset in the article body.

>>> fold("輝達（NVDA）認為")
'辉达(NVDA)认为'
"""

from __future__ import annotations

import re

import opencc

_T2S = opencc.OpenCC("t2s")

# Full-width forms U+FF01..U+FF5E sit at a fixed distance from ASCII; the ideographic
# space and a few CJK brackets have no such twin and are mapped by hand.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: ord(" "), 0xFE59: ord("("), 0xFE5A: ord(")")})


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Code point → Simplified form, grown as new characters are met; one-for-one only, since
# phrase rules that change length would break offsets.
_SIMPLIFIED: dict[int, str] = {}


_KNOWN: set[str] = set()  # characters already looked up
_CHANGED: set[str] = set()  # those whose Simplified form differs


def _learn(chars: set[str]) -> None:
    for char in chars:
        converted = _T2S.convert(char)
        simplified = converted if len(converted) == 1 else char
        _SIMPLIFIED[ord(char)] = simplified
        _KNOWN.add(char)
        if simplified != char:
            _CHANGED.add(char)


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII narrowed and Traditional characters simplified."""
    narrowed = text.translate(_WIDTH)
    chars = set(narrowed)
    unseen = {c for c in chars - _KNOWN if _CJK.match(c)}
    if unseen:
        _learn(unseen)
    if chars.isdisjoint(_CHANGED):
        return narrowed  # Simplified Chinese and English: nothing to convert
    return narrowed.translate(_SIMPLIFIED)
