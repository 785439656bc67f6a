"""Shared field rules every format applies when it turns what it found into an Article."""

from __future__ import annotations

from urllib.parse import urlsplit

from kg.model import Article
from kg.sources.dates import parse_date
from kg.sources.ids import article_id
from kg.sources.lang import detect_language


def make_article(
    path: str,
    *,
    body: str,
    prose: str,
    title: str,
    date: str | None,
    lang: str | None,
    url: str | None,
    outlet: str | None,
) -> Article:
    """Build the Article: id from the body, ISO date, language, outlet from the URL if absent.

    ``date`` and ``lang`` are the raw values the source gave; an unparseable date becomes
    None (the article is still kept), an unknown language tag is replaced by detection.
    """
    return Article(
        id=article_id(body),
        path=path,
        title=title,
        date=parse_date(date),
        lang=detect_language(prose, lang),
        url=url,
        outlet=outlet or host_name(url),
        body=body,
        prose=prose,
        region=region_of(lang, url),
    )


def region_of(tag: str | None, url: str | None) -> str | None:
    """The market an article comes from: the region of its language tag, else of its URL.

    >>> region_of("zh-HK", None), region_of(None, "https://news.cnyes.com.tw/x"), region_of("en", None)
    ('HK', 'TW', None)
    """
    parts = (tag or "").replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
    host = host_name(url) or ""
    suffix = host.rsplit(".", 1)[-1] if "." in host else ""
    return suffix.upper() if suffix in ("hk", "tw", "cn", "mo", "sg", "kr", "jp") else None


def first_string(value: object) -> str | None:
    """The stripped string in a field, the first one if it is a list, else None.

    >>> first_string(["zh-CN", "en"]), first_string("  Reuters "), first_string(3)
    ('zh-CN', 'Reuters', None)
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def host_name(url: str | None) -> str | None:
    """The URL's host without ``www.``, or None.

    >>> host_name("https://www.hk01.com/a/1")
    'hk01.com'
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def first_line(text: str) -> str | None:
    """The first non-empty line, stripped.

    >>> first_line("\\n  Headline here \\nbody")
    'Headline here'
    """
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None
