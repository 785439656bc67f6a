"""What an English name looks like in news text: a person's name, the words that open a
sentence or a title and are no part of a name, and the words too common to stand alone
for a firm.

>>> import re
>>> re.fullmatch(PERSON, "Dan O'Neil") is not None, name_word("Greyline"), name_word("Global")
(True, True, False)
"""

from __future__ import annotations

# "José Álvarez", "Park Seo-yeon", "Pieter de Graaf", "Jane Q. Roe", "Dan O'Neil", "Ann McKay Jr."
PERSON = (r"[A-Z][a-z\u00DF-\u024F]+(?:\s[A-Z]\.)?(?:\s(?:de|van|von|der|den|da|di|du|le|la|del|della|dos)(?:\s(?:der|den|la))?)?"
          r"(?:[\s-][A-Z\u00C0-\u00DE](?:['’][A-Z])?[a-z\u00DF-\u024F]+(?:[A-Z][a-z\u00DF-\u024F]+)?(?:-[a-z]+)?){1,2}"
          r"(?:\s(?:Jr|Sr)\.|\s(?:II|III|IV)\b)?")

# Capitalised words that open a sentence, a date or a title before a name ("For Jane Roe,
# a portfolio manager…", "Managing director Jane Roe") and are no part of it.
NOT_NAMES = frozenset(
    "The A An And But In On At As For Of To By With From According Per While Analysts Analyst Shares Stock "
    "Investors Wall Street Street Meanwhile However Also Both Its It This That These Those He She They "
    "We Our Their His Her Some Many Most Other Others Several Top Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December "
    "AI US U.S. China Chinese American Asia Asian Europe European Hong Kong Taiwan Korea Japan Global "
    "India Brazil Mexico Germany France Britain UK U.K. Italy Spain Canada Australia Indonesia Vietnam Singapore "
    "Thailand Malaysia Russia Turkey Israel Switzerland Emerging Markets Treasuries Bitcoin Gold "
    "Managing Senior Chief Lead Deputy Vice Executive General Director Head".split()  # titles: "Managing director Jane Roe", "Vice Chairman Jane Roe"
)


# Words that open firms' names and stand alone in text as plain words.
COMMON_FIRST_WORDS = frozenset(
    "capital global equity research securities investment investments asset assets wealth partners group first "
    "new north south east west pacific atlantic national international united general royal union standard "
    "independent strategic market markets value growth alpha prime summit peak total trust fund funds "
    "private public central eastern western northern southern china asia europe america american bank".split())


def name_word(word: str, common: frozenset[str] = COMMON_FIRST_WORDS) -> bool:
    """Can one word stand alone for a name: capitalised, four letters or more, in lower case
    after its first, and no word of ``common``? ("Greyline", not "Global" or "IBM")"""
    return len(word) >= 4 and word[:1].isupper() and word[1:].islower() and word.lower() not in common
