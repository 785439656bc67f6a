"""Stable article ids from the article's text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def article_id(body: str) -> str:
    """Return ``"article:"`` + a 16-hex-digit hash of the normalised text.

    Normalising (NFKC, whitespace runs collapsed to one space, ends stripped) gives the
    same id to the same text saved with other line endings, indentation or full-width forms.

    >>> article_id("Nvidia rose.\\r\\n") == article_id("  Nvidia rose.\\n")
    True
    """
    if not unicodedata.is_normalized("NFKC", body):  # most text is; checking is cheaper
        body = unicodedata.normalize("NFKC", body)
    normal = _WHITESPACE.sub(" ", body).strip()
    return "article:" + hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()
