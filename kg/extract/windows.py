"""Finding patterns in windows of a text, and keeping track of the spans already named.

Discovery runs name patterns only near a cheap anchor (a firm suffix, a title), in windows
of the text around it, and never inside a name the catalogue already found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import ahocorasick_rs

from kg.extract import openings

BEFORE, AFTER = 90, 140  # characters around an anchor a pattern may span


def matches(pattern: re.Pattern, text: str, stands=None, low: int = 0, high: int | None = None):
    """``pattern.finditer(text, low, high)``, each match kept only where ``stands(text,
    start)``: the test a look-behind or ``\\b`` opening the pattern would make, made after
    the match so that the regex engine skips ahead to the pattern's first words instead of
    trying every position. A match that fails it is tried again one character on, as the
    engine would. (A pattern the engine cannot skip ahead in by itself is tried only where
    it can open: :mod:`kg.extract.openings`.)"""
    high = len(text) if high is None else high
    if stands is None:
        yield from openings.finditer(pattern, text, low, high)
        return
    found = openings.search(pattern, text, low, high)
    while found is not None:
        start = found.start()
        if stands(text, start):
            yield found
            found = openings.search(pattern, text, found.end(), high)  # no pattern here matches empty
        else:
            found = openings.search(pattern, text, start + 1, high)


def windows_of(anchor: re.Pattern | tuple[str, ...], text: str, words: dict[str, list[int]] | None = None) -> list[list[int]]:
    """The stretches of text around the matches of ``anchor`` (a pattern, or plain words
    looked for by substring search, far quicker than a regex trying every position),
    joined where they meet. ``words``: where the anchor's words stand, if already found
    (:meth:`WordFinder.places`)."""
    if isinstance(anchor, tuple):
        if words is None:
            words = {word: list(finds(text, word)) for word in anchor}
        hits = sorted((at, at + len(word)) for word in anchor for at in words.get(word, ()))
    else:
        hits = [hit.span() for hit in openings.finditer(anchor, text)]
    windows: list[list[int]] = []
    for start, end in hits:
        low, high = max(0, start - BEFORE), min(len(text), end + AFTER)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    return windows


def matches_at(pattern: re.Pattern, text: str, starts: list[int], stands=None, high: int | None = None):
    """What :func:`matches` finds for a pattern that can only match at one of ``starts``
    (sorted): each tried in turn, past the end of the last match (where ``stands`` fails
    no match would be kept, so none is tried)."""
    high = len(text) if high is None else high
    end = 0
    for start in starts:
        if start >= end and (stands is None or stands(text, start)):
            found = pattern.match(text, start, high)
            if found is not None:
                yield found
                end = found.end()


_CAPITAL = re.compile("[A-Z]")


def windowed_after(pattern: re.Pattern, lead: re.Pattern, text: str, stands, windows: list[list[int]],
                   leads: dict[tuple[int, int], list[int]]):
    """What :func:`windowed` finds for a pattern that opens with ``lead`` (plain characters
    from a capital letter on, no look-around: where the pattern matches, so does ``lead``).
    It is tried only where ``lead`` matches, found once per window (``leads``: the
    article's, by window) for every pattern opening with it."""
    seen: set[tuple[int, int]] = set()
    for low, high in windows:
        starts = leads.get((low, high))
        if starts is None:
            starts = leads[low, high] = [at.start() for at in _CAPITAL.finditer(text, low, high) if lead.match(text, at.start(), high)]
        for match in matches_at(pattern, text, starts, stands, high):
            if match.span() not in seen:
                seen.add(match.span())
                yield match


def finds(text: str, word: str):
    """Every place ``word`` starts in ``text``, overlaps too, by plain substring search."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def windowed(pattern: re.Pattern, anchor: re.Pattern | tuple[str, ...], text: str, stands=None,
             windows: list[list[int]] | None = None, words: dict[str, list[int]] | None = None):
    """The matches of ``pattern`` that lie near a match of ``anchor``, in order, once each
    (``stands`` as for :func:`matches`; ``windows``: those of the anchor, if already found;
    ``words`` as for :func:`windows_of`)."""
    if windows is None:
        windows = windows_of(anchor, text, words)
    seen: set[tuple[int, int]] = set()
    for low, high in windows:
        for match in matches(pattern, text, stands, low, high):
            if match.span() not in seen:
                seen.add(match.span())
                yield match


class WordFinder:
    """Where each of a fixed set of words starts in a text, overlapping places too, as
    :func:`finds` gives them: one pass of an automaton over the text instead of a substring
    search per word (English discovery looks for about a hundred in every article)."""

    def __init__(self, words: Iterable[str]):
        self._words = tuple(dict.fromkeys(words))
        self._automaton = ahocorasick_rs.AhoCorasick(self._words)  # (the standard kind: every overlapping match)

    def places(self, text: str) -> dict[str, list[int]]:
        """Each of the words found in ``text`` → where it starts, in order."""
        found: dict[str, list[int]] = {}
        words = self._words
        # overlapping matches come in the order they end: one word's in the order they start
        for index, start, _ in self._automaton.find_matches_as_indexes(text, overlapping=True):
            found.setdefault(words[index], []).append(start)
        return found


def person_aliases(name: str) -> tuple[str, ...]:
    """A person's name as written, without a middle initial, and their surname alone."""
    parts = name.split()
    if len(parts) < 2:
        return (name,)
    plain = " ".join(p for p in parts if not (len(p) == 2 and p.endswith(".")))
    surname = parts[-2] if parts[-1] in _GENERATIONS and len(parts) > 2 else parts[-1]  # "Ann McKay Jr." is Ms McKay
    return tuple(dict.fromkeys((name, plain, surname)))


_GENERATIONS = frozenset(("Jr.", "Sr.", "II", "III", "IV"))


class Spans:
    """Non-overlapping spans, kept sorted: is a position inside one, is a range free of them?"""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._spans = sorted(spans)
        self._starts = [start for start, _ in self._spans]

    def inside(self, position: int) -> bool:
        i = bisect_right(self._starts, position) - 1
        return i >= 0 and position < self._spans[i][1]

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end)  # the spans that start before ``end``…
        return i == 0 or self._spans[i - 1][1] <= start  # …the last of which must end by ``start``

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self._starts, start)
        self._spans.insert(i, (start, end))
        self._starts.insert(i, start)


def inside(position: int, spans: Spans) -> bool:
    return spans.inside(position)
