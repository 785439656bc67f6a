"""Markdown articles: optional YAML front matter between ``---`` lines, then the body."""

from __future__ import annotations

import re
from pathlib import PurePath

import yaml

from kg.model import Article, SourceError
from kg.sources.article import first_string, host_name, make_article
from kg.sources.prose import markdown_prose

# BaseLoader keeps every scalar a string, so YAML 1.1 cannot turn `NO` into False or a
# ticker `1.10` into 1.1; the C version is about ten times faster when libyaml is there.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

_OPENING = re.compile(r"---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*\r?$", re.M)


def parse_markdown(path: str, text: str) -> Article | SourceError:
    """Turn a Markdown file's text into an Article, or a SourceError saying what is wrong.

    >>> article = parse_markdown("a.md", "---\\ntitle: Nvidia rises\\nlang: en\\n---\\nNvidia rose.\\n")
    >>> article.title, article.lang, article.body
    ('Nvidia rises', 'en', 'Nvidia rose.\\n')
    """
    split = split_front_matter(text)
    if isinstance(split, str):
        return SourceError(path, split)
    meta, body = split
    if not body.strip():
        return SourceError(path, "no article text after the front matter")
    prose = markdown_prose(body)
    url = first_string(meta.get("source_url")) or first_string(meta.get("url"))
    outlet = first_string(meta.get("outlet")) or first_string(meta.get("source"))
    if outlet and "://" in outlet:  # `source:` sometimes holds the link, not the name
        outlet = host_name(outlet)
    return make_article(
        path,
        body=body,
        prose=prose,
        title=first_string(meta.get("title")) or heading_title(body) or PurePath(path).stem,
        date=first_string(meta.get("date")),
        lang=first_string(meta.get("lang")),
        url=url,
        outlet=outlet,
    )


def split_front_matter(text: str) -> tuple[dict, str] | str:
    """Return ``(fields, body)``, or the reason the front matter cannot be read.

    The body is everything after the closing ``---`` line, exactly as in the file.

    >>> split_front_matter("---\\ndate: 2025-01-02\\n---\\nBody\\n")
    ({'date': '2025-01-02'}, 'Body\\n')
    >>> split_front_matter("No front matter")
    ({}, 'No front matter')
    """
    opening = _OPENING.match(text)
    if not opening:
        return {}, text
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        return "front matter opened with --- on line 1 is never closed by a --- line"
    try:
        meta = yaml.load(text[opening.end():closing.start()], Loader=_LOADER)
    except yaml.YAMLError as error:
        return _yaml_reason(error)
    if meta is None:
        return {}, text[closing.end():]
    if not isinstance(meta, dict):
        return "front matter is not a list of `field: value` lines"
    return meta, text[closing.end():]


def heading_title(body: str) -> str | None:
    """The text of the first ``# heading`` line, if any.

    >>> heading_title("Intro\\n# Learn C# fast #\\nBody")
    'Learn C# fast'
    """
    match = _HEADING.search(body)
    return match.group(1) if match else None


def _yaml_reason(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return f"invalid YAML front matter: {problem}"
    # Marks count from 0 inside the YAML text, which starts on the file's line 2.
    return f"invalid YAML front matter at line {mark.line + 2}: {problem}"
