"""Length-preserving text folding, so one alias table serves every script.

Matching runs on a folded copy of the text: full-width ASCII becomes half-width and
Traditional Chinese characters become Simplified, one character for one character.
Because the folded text has exactly the length of the original, every offset found
in it is an offset in the article body.

>>> fold("輝達（NVDA）認為")
'辉达(NVDA)认为'
"""

from __future__ import annotations

from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Full-width forms U+FF01..U+FF5E sit at a fixed distance from ASCII; the ideographic
# space and a few CJK brackets have no such twin and are mapped by hand.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: ord(" "), 0xFE59: ord("("), 0xFE5A: ord(")")})


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=65536)
def _simplified(char: str) -> str:
    converted = _T2S.convert(char)
    # Phrase rules can change length; only a one-for-one result keeps offsets valid.
    return converted if len(converted) == 1 else char


def fold(text: str) -> str:
    """Return ``text`` with full-width ASCII narrowed and Traditional characters simplified."""
    narrowed = text.translate(_WIDTH)
    if not any(_is_cjk(c) for c in narrowed):
        return narrowed
    return "".join(_simplified(c) if _is_cjk(c) else c for c in narrowed)
