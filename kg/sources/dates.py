"""Publication dates in the many ways news sites write them, as ISO 8601 strings."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from dateutil import parser as dateutil_parser

# dateutil fills every part the text leaves out from a default datetime. Parsing with
# two defaults that differ in every field shows which parts the text really gave.
_DEFAULT_A = datetime(1900, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(1904, 2, 2, 1, 1, 1)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def parse_date(text: str | None) -> str | None:
    """Return the date in ``text`` as ISO 8601, or None when there is no full date.

    The time is kept when given; a time zone is kept as an offset when given.

    >>> parse_date("2025-02-11 22:05:59")
    '2025-02-11T22:05:59'
    >>> parse_date("2025年2月11日 10:30")
    '2025-02-11T10:30:00'
    >>> parse_date("March 4, 2025")
    '2025-03-04'
    >>> parse_date("March 2025") is None
    True
    """
    if not text or not text.strip():
        return None
    cleaned = _CHINESE_DATE.sub(_iso_day, unicodedata.normalize("NFKC", text))
    cleaned = " ".join(cleaned.split())
    iso = _from_iso(cleaned) or _from_english(cleaned)
    if iso:
        return iso
    try:
        a = dateutil_parser.parse(cleaned, default=_DEFAULT_A)
        b = dateutil_parser.parse(cleaned, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if a.date() != b.date():
        return None  # year, month or day missing: "March 2025", "Tuesday", "10:30"
    if a.hour != b.hour:
        return a.date().isoformat()
    return a.replace(microsecond=0).isoformat()


def _iso_day(match: re.Match[str]) -> str:
    """'2025年2月1日' → '2025-02-01 ', so the ISO fast path takes it."""
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d} "


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ENGLISH_DATE = re.compile(rf"({'|'.join(_MONTHS)}) (\d{{1,2}}), (\d{{4}})(?: (\d{{1,2}}):(\d{{2}}))?")


def _from_english(text: str) -> str | None:
    """Fast path for "January 9, 2025" and "January 9, 2025 08:00", as dateutil reads them."""
    match = _ENGLISH_DATE.fullmatch(text)
    if match is None:
        return None
    month, day, year, hour, minute = match.groups()
    try:
        if hour is None:
            return date(int(year), _MONTHS.index(month) + 1, int(day)).isoformat()
        return datetime(int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute)).isoformat()
    except ValueError:
        return None  # "February 30, 2025", "25:00": let dateutil decide


def _from_iso(text: str) -> str | None:
    """Fast path for the ISO forms most sources use; dateutil is ~50x slower."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        if _ISO_DATE_TIME.match(text):
            return datetime.fromisoformat(text).replace(microsecond=0).isoformat()
    except ValueError:
        pass  # "2025-02-30", or an unusual tail after the time: let dateutil decide
    return None
