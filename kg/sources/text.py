"""Plain-text articles: the whole file is the body, its first non-empty line the title."""

from __future__ import annotations

from kg.model import Article
from kg.sources.article import first_line, make_article
from kg.sources.prose import blank_urls


def parse_text(path: str, text: str) -> Article:
    """Turn a plain-text file into an Article (language and date come from nowhere but the text).

    >>> parse_text("a.txt", "Nvidia rises\\n\\nNvidia rose.").title
    'Nvidia rises'
    """
    return make_article(
        path,
        body=text,
        prose=blank_urls(text),
        title=first_line(text) or "",  # never empty: read_text rejects blank files
        date=None,
        lang=None,
        url=None,
        outlet=None,
    )
