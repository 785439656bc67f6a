"""Saved HTML pages: the main text and metadata as trafilatura extracts them, offline."""

from __future__ import annotations

import re
from pathlib import PurePath

from kg.model import Article, SourceError
from kg.sources.article import make_article
from kg.sources.prose import blank_urls

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I)

# htmldate returns only the day unless asked for a format with the time.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S"}


def parse_html(path: str, text: str) -> Article | SourceError:
    """Turn a saved page into an Article whose body is trafilatura's main text."""
    try:
        # Imported here: it is slow to import, and only HTML inputs need it.
        import trafilatura
    except ImportError as error:
        return SourceError(path, f"reading HTML needs trafilatura, which failed to import: {error}")
    try:
        document = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as error:  # third-party parser on arbitrary input: report, don't crash the run
        return SourceError(path, f"trafilatura could not parse the page: {type(error).__name__}: {error}")
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        return SourceError(path, "no article text found in the page (trafilatura extracted nothing)")
    url = document.url or None
    return make_article(
        path,
        body=body,
        prose=blank_urls(body),
        title=document.title or PurePath(path).stem,
        date=_without_midnight(document.date),
        lang=page_language(text),
        url=url,
        outlet=document.sitename or None,  # make_article falls back to the URL's host
    )


def page_language(html: str) -> str | None:
    """The ``<html lang="...">`` tag, if the page declares one.

    >>> page_language('<!DOCTYPE html><html class="x" lang="zh-HK"><head>')
    'zh-HK'
    """
    match = _HTML_LANG.search(html)
    return match.group(1) if match else None


def _without_midnight(date: str | None) -> str | None:
    # A page that gives only the day comes back as T00:00:00; a real midnight is rarer.
    if date and date.endswith("T00:00:00"):
        return date[: -len("T00:00:00")]
    return date
