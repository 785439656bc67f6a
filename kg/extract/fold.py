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


_CJK_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00))  # the characters OpenCC may simplify


def _simplified() -> dict[int, str]:
    """Every Chinese character that folds, to the one Simplified character it becomes (a
    conversion to several characters is no one-for-one fold: the character stays).

    Each character is converted on its own line of one text: no phrase of OpenCC's spans a
    line break, so each line is converted as the character alone would be (tests/test_extract.py
    checks this against converting them one by one), in one call instead of 28,000."""
    chars = [chr(code) for low, high in _CJK_RANGES for code in range(low, high)]
    lines = _T2S.convert("\n".join(chars)).split("\n")
    if len(lines) != len(chars):
        lines = [_T2S.convert(char) for char in chars]
    return {ord(char): line for char, line in zip(chars, lines) if len(line) == 1 and line != char}


# Everything folding changes, in one table (one-for-one only, since phrase rules that
# change length would break offsets), and a pattern finding those characters: a text is
# translated once, and not at all when it holds none of them. Finding them with the
# pattern is far quicker than making the set of a text's characters.
_FOLD: dict[int, str] = {**{code: chr(narrow) for code, narrow in _WIDTH.items()}, **_simplified()}
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")
_FEW = 12  # kinds of full-width character worth replacing one by one
_NARROW = {chr(wide): chr(narrow) for wide, narrow in _WIDTH.items()}


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII narrowed and Traditional characters simplified."""
    if text.isascii():
        return text  # neither full-width forms nor Chinese
    folded = set(_FOLDABLE.findall(text))
    if not folded:
        return text  # Simplified Chinese and English without full-width forms: nothing to fold
    if len(folded) <= _FEW and folded.issubset(_NARROW):
        # Simplified Chinese with its full-width punctuation (，（）：): replacing the few
        # kinds it holds is quicker than translating every character.
        for wide in folded:
            text = text.replace(wide, _NARROW[wide])
        return text
    return text.translate(_FOLD)


# Chinese characters and the CJK punctuation and full-width forms around them.
_CHINESE = re.compile("[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def latin(text: str) -> bool:
    """Is ``text`` free of Chinese: English, with its curly quotes, dashes and accented
    names ("Nvidia’s lead is intact, said Anne Dubois of Société Générale")?

    >>> latin("Nvidia’s lead — for now"), latin("英伟达的领先")
    (True, False)
    """
    return text.isascii() or _CHINESE.search(text) is None
