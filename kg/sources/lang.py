"""Which of kg's three languages an article is in: declared tag first, else the text."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.model import Language

# An ideograph carries about as much as three Latin letters (a Chinese article runs about
# a third of the characters of its English translation), so at a 0.25 ideograph share
# the two scripts hold roughly equal content. Above it the article is Chinese.
CHINESE_SHARE = 0.25
# Simplified text barely changes under t2s (0% on the dev articles); Traditional text
# changes by about a third of its ideographs (31% on the dev article from Hong Kong).
TRADITIONAL_SHARE = 0.10

_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")

_HANT_REGIONS = {"hk", "tw", "mo"}


def detect_language(text: str, declared: str | None = None) -> Language:
    """Return ``"zh-Hans"``, ``"zh-Hant"`` or ``"en"``.

    A declared tag kg understands wins; any other (missing, "fr", "ja") falls back to
    looking at the text.

    >>> detect_language("whatever", "zh-HK")
    'zh-Hant'
    >>> detect_language("高盛認為雲端業務將繼續增長")
    'zh-Hant'
    >>> detect_language("Nvidia shares fell.")
    'en'
    """
    return language_from_tag(declared) or language_from_text(text)


def language_from_tag(tag: str | None) -> Language | None:
    """Map a BCP 47 tag to one of kg's languages, or None when it is not one of them.

    >>> language_from_tag("zh_TW"), language_from_tag("zh-Hans-HK"), language_from_tag("en-GB")
    ('zh-Hant', 'zh-Hans', 'en')
    """
    if not tag:
        return None
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    # A script subtag says it outright; otherwise the region implies the usual script.
    if "hant" in parts[1:]:
        return "zh-Hant"
    if "hans" in parts[1:]:
        return "zh-Hans"
    return "zh-Hant" if _HANT_REGIONS & set(parts[1:]) else "zh-Hans"


def language_from_text(text: str) -> Language:
    """Tell Chinese from English by the share of ideographs, then the Chinese script."""
    ideographs = _IDEOGRAPH.findall(text)
    letters = len(_LATIN_LETTER.findall(text))
    if not ideographs or len(ideographs) / (len(ideographs) + letters) < CHINESE_SHARE:
        return "en"
    return "zh-Hant" if traditional_share(ideographs) >= TRADITIONAL_SHARE else "zh-Hans"


def traditional_share(ideographs: list[str]) -> float:
    """Share of the ideographs that OpenCC's t2s changes, i.e. written in Traditional form."""
    counts = Counter(ideographs)
    distinct = list(counts)
    # One character per line so phrase rules cannot merge or split neighbours.
    converted = _t2s().convert("\n".join(distinct)).split("\n")
    changed = sum(counts[char] for char, simple in zip(distinct, converted) if simple != char)
    return changed / len(ideographs)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")
