"""The sources stage: find article files and read each into an Article or a SourceError.

>>> for item in read_articles(["examples/"]):  # doctest: +SKIP
...     print(item.path, item.title if isinstance(item, Article) else item.reason)
"""

from __future__ import annotations

import difflib
import glob
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.model import Article, SourceError
from kg.sources.dates import parse_date
from kg.sources.decode import DEFAULT_MAX_BYTES, UnreadableFile, read_text
from kg.sources.html import parse_html
from kg.sources.ids import article_id
from kg.sources.jsonl import parse_jsonl
from kg.sources.lang import detect_language
from kg.sources.markdown import parse_markdown
from kg.sources.text import parse_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "article_id",
    "detect_language",
    "find_files",
    "parse_date",
    "read_articles",
    "read_file",
]

Reader = Callable[[str, str], Iterable[Article | SourceError]]

READERS: dict[str, Reader] = {
    ".md": lambda path, text: [parse_markdown(path, text)],
    ".markdown": lambda path, text: [parse_markdown(path, text)],
    ".txt": lambda path, text: [parse_text(path, text)],
    ".jsonl": parse_jsonl,
    ".ndjson": parse_jsonl,
    ".html": lambda path, text: [parse_html(path, text)],
    ".htm": lambda path, text: [parse_html(path, text)],
}

# Files a folder or a glob may hold that are not articles: the annotators' gold claims and
# analyst actions, and the corpus's own documentation. A file named explicitly is still read.
SKIPPED_NAMES = {"gold.jsonl", "actions.jsonl", "readme.md", "annotation.md"}

_GLOB_CHARS = set("*?[")


def read_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | SourceError]:
    """Yield an Article for every article found under ``paths``, a SourceError for every failure.

    Each path is a file, a folder (read recursively in sorted order) or a glob pattern
    (``examples/**/*.md``). Nothing raises for bad input. A file reached twice is read once.
    """
    seen: set[str] = set()
    for found in find_files(paths):
        if isinstance(found, SourceError):
            yield found
            continue
        key = os.path.realpath(found)
        if key not in seen:
            seen.add(key)
            yield from read_file(found, max_bytes=max_bytes)


def find_files(paths: Iterable[str | Path]) -> Iterator[str | SourceError]:
    """Expand files, folders and globs to file paths (posix strings), in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_file():
            yield path.as_posix()
        elif path.is_dir():
            yield from _folder_files(path)
        elif path.exists():
            yield SourceError(path.as_posix(), not_regular(path))
        elif _GLOB_CHARS & set(str(given)):
            yield from _glob_files(str(given))
        else:
            yield SourceError(path.as_posix(), "no such file or folder" + _did_you_mean(path))


def read_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | SourceError]:
    """Read one file with the reader for its extension."""
    extension = Path(path).suffix.lower()
    reader = READERS.get(extension)
    if reader is None:
        shown = extension or "(no extension)"
        yield SourceError(path, f"unsupported file type {shown}; kg reads .md, .txt, .jsonl, .html")
        return
    try:
        text = read_text(Path(path), max_bytes)
    except UnreadableFile as error:
        yield SourceError(path, str(error))
        return
    except OSError as error:
        yield SourceError(path, f"cannot read the file: {error.strerror or error}")
        return
    yield from reader(path, text)


def _folder_files(folder: Path) -> Iterator[str | SourceError]:
    files = []
    for root, dirs, names in os.walk(folder):
        # Hidden folders (.git, .cache) hold tool data, never articles.
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(root)
        parts = base.relative_to(folder).parts  # once a folder, not once a file: a rebuild lists every file
        files.extend(((*parts, name), base / name) for name in names if _is_article_candidate(name))
    if not files:
        yield SourceError(folder.as_posix(), "folder holds no files to read")
    for _, file in sorted(files, key=lambda item: item[0]):  # in the order of their parts
        yield _regular(file)


def _glob_files(pattern: str) -> Iterator[str | SourceError]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield SourceError(pattern, "no files match this pattern")
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _folder_files(path)
        elif _is_article_candidate(path.name):
            yield _regular(path)


def _regular(path: Path) -> str | SourceError:
    """A file to read, or why not: only regular files (and links to them) are opened, since
    opening a named pipe or a device would wait for a writer that never comes."""
    return path.as_posix() if path.is_file() else SourceError(path.as_posix(), not_regular(path))


def not_regular(path: Path) -> str:
    """Why ``path``, which exists or is a link, is not read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if path.is_symlink():
            return "broken symbolic link: its target does not exist"
        return f"cannot read it: {error.strerror or error}"
    kinds = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device")]  # fmt: skip
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{kind}, not a regular file (kg reads regular files and links to them)"


def _did_you_mean(path: Path) -> str:
    """' (did you mean examples/corpus?)' when one close name per missing part gives a path that exists."""
    parts = path.parts
    guess = Path(parts[0]) if path.is_absolute() else Path(".")
    for part in parts[1:] if path.is_absolute() else parts:
        if not (guess / part).exists():
            try:
                siblings = [entry.name for entry in os.scandir(guess)]
            except OSError:
                return ""
            close = difflib.get_close_matches(part, siblings, n=1, cutoff=0.75)
            if not close:
                return ""
            part = close[0]
        guess = guess / part
    return f" (did you mean {guess.as_posix()}?)" if guess.exists() and guess != path else ""


def _is_article_candidate(name: str) -> bool:
    return not name.startswith(".") and name.lower() not in SKIPPED_NAMES
