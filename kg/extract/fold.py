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
_KNOWN: set[str] = set()  # characters already looked up
# Everything folding changes, in one table and one set, grown as new characters are met
# (one-for-one only, since phrase rules that change length would break offsets): a text
# is translated once, and not at all when it holds none of these characters.
_FOLD: dict[int, int | str] = dict(_WIDTH)
_FOLDED: set[str] = {chr(code) for code in _WIDTH}
_FEW = 12  # kinds of full-width character worth replacing one by one
_NARROW = {chr(wide): chr(narrow) for wide, narrow in _WIDTH.items()}


def _learn(chars: set[str]) -> None:
    for char in chars:
        converted = _T2S.convert(char)
        simplified = converted if len(converted) == 1 else char
        _KNOWN.add(char)
        if simplified != char:
            _FOLD[ord(char)] = simplified
            _FOLDED.add(char)


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII narrowed and Traditional characters simplified."""
    if text.isascii():
        return text  # neither full-width forms nor Chinese
    chars = set(text)
    unseen = {c for c in chars - _KNOWN if _CJK.match(c)}
    if unseen:
        _learn(unseen)
    folded = chars & _FOLDED
    if not folded:
        return text  # Simplified Chinese and English without full-width forms: nothing to fold
    if len(folded) <= _FEW and folded.issubset(_NARROW):
        # Simplified Chinese with its full-width punctuation (，（）：): replacing the few
        # kinds it holds is quicker than translating every character.
        for wide in folded:
            text = text.replace(wide, _NARROW[wide])
        return text
    return text.translate(_FOLD)
