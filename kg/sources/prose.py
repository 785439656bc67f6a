"""Blank non-prose out of a text without moving anything: the result has the same length.

Blanked characters become spaces, except line breaks, which stay so that paragraphs and
lines keep their shape for the sentence splitter.
"""

from __future__ import annotations

import re

_LINK_TARGET = r"\((?:<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[[^\]\n]*\]" + _LINK_TARGET)
_LINK = re.compile(r"\[(?P<text>[^\]\n]*)\]" + _LINK_TARGET)
_AUTOLINK = re.compile(r"<(?:https?://|ftp://|mailto:)[^>\s]*>", re.I)
# ASCII URL characters only, so a URL ends where Chinese text resumes without a space.
_BARE_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.I)
_QUOTE_MARKERS = re.compile(r"^[ \t]{0,3}>(?:[ \t]?>)*[ \t]?", re.M)
_HEADING_MARKER = re.compile(r"^[ \t]{0,3}#{1,6}(?=[ \t]|\r?$)", re.M)

_TRAILING_PUNCTUATION = ".,;:!?'\""


def blank(text: str) -> str:
    """Spaces for every character of ``text`` except line breaks.

    >>> blank("a\\nbc")
    ' \\n  '
    """
    if "\n" not in text and "\r" not in text:
        return " " * len(text)
    return "".join(char if char in "\r\n" else " " for char in text)


def markdown_prose(body: str) -> str:
    """Blank comments, images, link brackets and targets, URLs, quote and heading markers.

    >>> markdown_prose("## 标题\\n> 见[高盛](https://x.com)报告")
    '   标题\\n  见 高盛                报告'
    """
    prose = _COMMENT.sub(_blank_match, body)
    prose = _IMAGE.sub(_blank_match, prose)
    prose = _LINK.sub(_keep_link_text, prose)
    prose = _AUTOLINK.sub(_blank_match, prose)
    # The patterns below try every position of the text (no literal opens them): run
    # each only on text that holds the character every match needs.
    if "://" in prose or "www." in prose.lower():
        prose = blank_urls(prose)
    if ">" in prose:
        prose = _QUOTE_MARKERS.sub(_blank_match, prose)
    return _HEADING_MARKER.sub(_blank_match, prose) if "#" in prose else prose


def blank_urls(text: str) -> str:
    """Blank bare URLs, leaving sentence punctuation that follows them.

    >>> blank_urls("See https://example.com/a.")
    'See                      .'
    """
    return _BARE_URL.sub(_blank_url, text)


def _blank_match(match: re.Match[str]) -> str:
    return blank(match.group())


def _keep_link_text(match: re.Match[str]) -> str:
    text = match.group("text")
    return " " + text + blank(match.group()[1 + len(text):])


def _blank_url(match: re.Match[str]) -> str:
    url = match.group()
    end = len(url)
    while end and (url[end - 1] in _TRAILING_PUNCTUATION or _unbalanced_close(url[:end])):
        end -= 1
    return blank(url[:end]) + url[end:]


def _unbalanced_close(url: str) -> bool:
    """A closing bracket at the end that opens nowhere in the URL belongs to the sentence."""
    last = url[-1]
    if last == ")":
        return url.count(")") > url.count("(")
    if last == "]":
        return url.count("]") > url.count("[")
    return False
