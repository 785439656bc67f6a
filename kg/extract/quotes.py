"""Quotations that run over several sentences and name their speaker only at the end.

English and Chinese news alike open a quotation, let it run for a sentence or two and
say who spoke after it closes ('"Growth is fast. But margins lag," said Jane Roe, an
analyst at X.'; 「……。……」他說). The sentences before the close are the speaker's too,
though nothing in them names anyone: :func:`closing_sentences` finds, for each sentence
that opens such a quotation, the sentence that closes it and where in it the quote ends.

>>> from kg.extract.sentences import split_sentences
>>> text = '"Growth is fast. But margins lag," said Jane Roe.'
>>> closing_sentences(split_sentences(text))
{0: (1, 16)}
"""

from __future__ import annotations

from kg.extract.sentences import CLOSING_QUOTES, OPENING_QUOTES, Sentence

_REACH = 4  # sentences a quotation may run on before its speaker is named


def closing_sentences(sentences: list[Sentence]) -> dict[int, tuple[int, int]]:
    """Each sentence inside an open quotation (by number) → (the number of the sentence
    that closes it, where the closing mark stands in that sentence)."""
    found: dict[int, tuple[int, int]] = {}
    for number, sentence in enumerate(sentences):
        if number in found or sentence.in_quote or sentence.text[:1] not in OPENING_QUOTES + '"':
            continue
        closing = _closing(sentences, number)
        if closing is not None:
            for inside in range(number, closing[0]):
                found[inside] = closing
    return found


def _closing(sentences: list[Sentence], number: int) -> tuple[int, int] | None:
    opening = sentences[number]
    straight = opening.text[0] == '"'
    if straight and opening.text.count('"') % 2 == 0 or not straight and not opening.opens_quote:
        return None  # the quotation closes in the sentence that opens it
    for later in range(number + 1, min(number + 1 + _REACH, len(sentences))):
        sentence = sentences[later]
        if sentence.paragraph != opening.paragraph:
            return None
        if straight and sentence.text.count('"') % 2:
            return later, sentence.text.index('"')
        if not straight and not sentence.opens_quote:
            mark = max(sentence.text.rfind(c) for c in CLOSING_QUOTES)
            return (later, mark) if mark >= 0 else None
    return None
