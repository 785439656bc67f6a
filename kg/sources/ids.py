"""Stable article ids from the article's text."""

from __future__ import annotations

import hashlib
import unicodedata

# Full-width ASCII (U+FF01..U+FF5E), what keeps most Chinese text from being NFKC already
# ("，", "（"): NFKC maps each to its ASCII twin, one character with no combining class, so
# replacing them first changes nothing NFKC gives, and leaves most texts normalised.
_NARROW = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}


def _narrowed(text: str) -> str:
    """``text`` with its full-width ASCII replaced by ASCII (the kinds it holds, one by one)."""
    for wide in set(text).intersection(_NARROW):
        text = text.replace(wide, _NARROW[wide])
    return text


def article_id(body: str) -> str:
    """Return ``"article:"`` + a 16-hex-digit hash of the normalised text.

    Normalising (NFKC, whitespace runs collapsed to one space, ends stripped) gives the
    same id to the same text saved with other line endings, indentation or full-width forms.

    >>> article_id("Nvidia rose.\\r\\n") == article_id("  Nvidia rose.\\n")
    True
    """
    if not unicodedata.is_normalized("NFKC", body):  # most text is; checking is cheaper
        body = _narrowed(body)
        if not unicodedata.is_normalized("NFKC", body):
            body = unicodedata.normalize("NFKC", body)
    # str.split() cuts at the characters \s matches (both ask Py_UNICODE_ISSPACE): the
    # same as collapsing each run of them to a space and stripping the ends, quicker.
    normal = " ".join(body.split())
    return "article:" + hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()
