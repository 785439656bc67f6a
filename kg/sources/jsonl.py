"""JSON Lines: one article per line, ``{"id", "title", "date", "lang", "url", "text"}``."""

from __future__ import annotations

import json
from collections.abc import Iterator

from kg.model import Article, SourceError
from kg.sources.article import first_line, first_string, make_article
from kg.sources.prose import blank_urls


def parse_jsonl(path: str, text: str) -> Iterator[Article | SourceError]:
    """Yield one Article per good line and one SourceError per bad line; blank lines are skipped.

    The ``id`` field is not used: an Article's id always comes from its text, so the same
    article gets the same id in any format.

    >>> [type(item).__name__ for item in parse_jsonl("a.jsonl", '{"text": "Hi."}\\n{oops\\n')]
    ['Article', 'SourceError']
    """
    # Split on "\n" only: str.splitlines() would also split on U+2028, which JSON
    # allows unescaped inside strings, and would shift the line numbers.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield parse_line(path, number, line)


def parse_line(path: str, number: int, line: str) -> Article | SourceError:
    """Turn line ``number`` of a JSONL file into an Article or a SourceError naming the line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return SourceError(path, f"line {number}: invalid JSON: {error.msg} (column {error.colno})")
    if not isinstance(record, dict):
        return SourceError(path, f"line {number}: expected a JSON object {{...}}, got {type(record).__name__}")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return SourceError(path, f'line {number}: no article text: "text" must be a non-empty string')
    return make_article(
        path,
        body=body,
        prose=blank_urls(body),
        title=first_string(record.get("title")) or first_line(body) or "",
        date=first_string(record.get("date")),
        lang=first_string(record.get("lang")),
        url=first_string(record.get("url")),
        outlet=first_string(record.get("outlet")) or first_string(record.get("source")),
    )
