"""Read a file's bytes and decode them to text, or say in words why it cannot be read.

Accepted: UTF-8 (with or without BOM), UTF-16 with a BOM, and the legacy Chinese
encodings GB18030 (a superset of GBK and GB2312) and Big5, told apart by
charset-normalizer. Anything else is reported, never guessed at.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from charset_normalizer import from_bytes

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
LEGACY_ENCODINGS = ["gb18030", "big5"]


class UnreadableFile(Exception):
    """A file that cannot become text; ``str(error)`` is the reason for the user."""


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the decoded text of ``path``, checking its size (from ``stat``) before reading.

    Raises ``UnreadableFile`` for content kg cannot use and ``OSError`` when the file
    cannot be opened at all.
    """
    return decode(read_bytes(path, max_bytes))


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or ``UnreadableFile`` saying why not.

    Opened without blocking and checked on the open file, so a named pipe or a device put
    in the file's place after it was listed is refused instead of waited on for ever.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file (kg reads regular files and links to them)")
        if info.st_size > max_bytes:
            raise UnreadableFile(f"file is {info.st_size / MB:.1f} MB, over the {max_bytes / MB:g} MB limit (--max-bytes)")
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as file:
        # The file may have grown since fstat(); never read more than the limit allows.
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"file grew past the {max_bytes / MB:g} MB limit (--max-bytes) while being read")
    return data


def decode(data: bytes) -> str:
    """Decode file bytes to text, stripping any byte-order mark.

    >>> decode("\\ufeff高盛".encode("utf-8"))
    '高盛'
    >>> decode("高盛上调目标价".encode("gbk"))
    '高盛上调目标价'
    """
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8):], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")  # the codec reads the BOM and drops it
    elif b"\x00" in data:
        raise UnreadableFile("binary file (it contains NUL bytes), not text")
    else:
        text = _utf8_or_legacy(data)
    if not text.strip():
        raise UnreadableFile("empty file")
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"not valid {encoding.upper()} although it starts with a {encoding.upper()} byte-order mark "
            f"(bad bytes at offset {error.start})"
        ) from None


def _utf8_or_legacy(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any byte string, Big5 text included, so a plain
    # try-in-order would never reach Big5: let charset-normalizer choose between the two.
    # It needs a few words to be sure (a headline is enough; two characters are not).
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise UnreadableFile(
            "not text in a known encoding (tried UTF-8, UTF-16, GB18030/GBK, Big5); re-save it as UTF-8"
        )
    return str(best)
