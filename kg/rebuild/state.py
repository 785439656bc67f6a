"""What the last runs read and extracted, kept in ``<output>/rebuild/state.sqlite``.

Tables:

* ``files``: each source file's byte digest, the extractor key it was read with, the
  articles it held (id and content digest) and the items it could not turn into articles.
  A file whose bytes and extractor key are unchanged is not even parsed again.
* ``articles``: each article's content digest, where it came from, and its extraction,
  compact (:mod:`kg.rebuild.fragments`: its claims and names, compressed; not its text);
* ``entity_refs``, ``entity_links``: the entity nodes (with the attributes it gives them) and
  the links between entities each article adds; ``entity_first``: each entity node's first
  article by id and its row of ``entity_refs``, kept as articles come and go, so that a
  rebuild does not group the hundreds of thousands of references again (0.3 s at 10,000
  articles) to find the few hundred attributes graph.json shows;
* ``retired``: the extractions of the articles replaced or removed since the build files
  were last written, whose pieces the next write takes out of the files;
* ``spans``: where each piece of the build files sits, as (section, key, length) in the
  files' order: a claim, an article, an entity node, a run of relationships of graph.json,
  a file's block of claims.jsonl. A rebuild edits the files there (:mod:`kg.rebuild.outputs`).
  ``block_index``: the first key and the bytes of each run of a few spans, per section
  (:mod:`kg.rebuild.spans`).
* ``neo4j``: the articles Neo4j holds, with the digest they were loaded with.
* ``kept_catalogue``: the catalogue's entities and the extractor key (:mod:`kg.rebuild.catalogue`).
* ``feeds``: each feed's ETag / Last-Modified and the items still to fetch.
* ``meta``: the data version (bumped by every change to ``articles``) and the version
  the output files were last written for.

An article's **content digest** covers its text, its metadata, where it was read from, and
the **extractor key** (the extractor's name/version plus a digest of the catalogue and
lexicon it ran with): a new extractor version or catalogue changes every digest, so
everything is extracted again.

SQLite commits are atomic and survive ``kill -9``: a run stopped at any point leaves the
store as of its last commit, and the next run carries on from there.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kg.extract import EXTRACTOR
from kg.extract.catalogue import builtin_files
from kg.model import Article
from kg.rebuild.spans import Spans, index_blocks

STORE_VERSION = "8"  # 5: a claim's actions are nodes of their own; 6: compact extractions, the files' spans; 7: entity_first; 8: block_index
# Each entity node's first article by id and what that article gives it, of the nodes ``{only}`` selects
_FIRSTS = "INSERT INTO entity_first SELECT node, min(article), attrs FROM entity_refs {only} GROUP BY node"
MIGRATES = {"6": (_FIRSTS.format(only=""), index_blocks), "7": (index_blocks,)}  # version: what brings it up to date
ENTITY_IDS = "entity:"  # kg.graph.schema.entity_id's prefix
PAGE_SIZE = 16384  # rows of serialised claims are ~600 bytes: big pages keep them inline
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, digest TEXT NOT NULL, extractor TEXT NOT NULL,
    articles TEXT NOT NULL, errors TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, checked_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, digest TEXT NOT NULL, path TEXT NOT NULL, url TEXT, slot TEXT NOT NULL,
    pos INTEGER NOT NULL, claims INTEGER NOT NULL, extraction BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_path ON articles (path);
CREATE TABLE IF NOT EXISTS entity_refs (
    article TEXT NOT NULL, node TEXT NOT NULL, attrs TEXT, PRIMARY KEY (article, node)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_links (
    article TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (article, source, target, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_first (node TEXT PRIMARY KEY, article TEXT NOT NULL, attrs TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS retired (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, extraction BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS spans (
    section INTEGER NOT NULL, key TEXT NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (section, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_index (section INTEGER PRIMARY KEY, firsts BLOB NOT NULL, totals BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS neo4j (id TEXT PRIMARY KEY, digest TEXT NOT NULL, path TEXT NOT NULL, url TEXT);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, pending TEXT NOT NULL);
"""


# --------------------------------------------------------------------------- digests


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def extractor_key(catalogue_files: Iterable[Path] = ()) -> str:
    """The extractor's name/version and a digest of the data it runs with (built-in
    catalogue, vocabulary, extra catalogue files): ``kg-rules/0.4.0+3f2a…``."""
    hasher = hashlib.blake2b(digest_size=8)
    data = resources.files("kg.extract").joinpath("data")
    vocabulary = sorted((f for f in data.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in (*builtin_files(), *vocabulary):
        hasher.update(file.name.encode() + b"\0" + file.read_bytes())
    for path in catalogue_files:
        hasher.update(str(path).encode() + b"\0" + Path(path).read_bytes())
    return f"{EXTRACTOR}+{hasher.hexdigest()}"


def article_digest(article: Article, key: str) -> str:
    """The content hash: text, metadata and source of the article, and the extractor key."""
    fields = [key, article.id, article.path, article.title, article.date, article.lang, article.url, article.outlet]
    return digest(json.dumps(fields, ensure_ascii=False) + "\0" + article.body)


def slot_of(article: Article, shares_file: bool) -> str:
    """Where an article sits in its source: its file, or (for a file of many articles, a
    JSON Lines file) its file and URL or title. An article whose text changed gets a new
    id but keeps its slot, so the run calls it *changed* rather than new + removed."""
    if not shares_file:
        return article.path
    return f"{article.path}\0{article.url or article.title}"


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class StoredArticle:
    id: str
    digest: str
    path: str
    url: str | None
    slot: str
    pos: int = 0  # the article's place in its file (JSON Lines): claims.jsonl's last tie-breaker


@dataclass(frozen=True)
class ArticleRow:
    """An extracted article as stored: its row and its extraction (:func:`kg.rebuild.fragments.pack`)."""

    article: StoredArticle
    extraction: bytes
    claims: int
    entities: list[tuple[str, str | None]]  # (node id, attributes as JSON, None: the catalogue's) it adds
    links: list[tuple[str, str, str]]  # relationships between entities it gives


@dataclass(frozen=True)
class StoredFile:
    path: str
    digest: str
    extractor: str
    articles: tuple[tuple[str, str], ...]  # (article id, content digest), in file order
    errors: tuple[tuple[str, str], ...]  # (path, reason)
    size: int = -1  # the file's size and modification time when it was hashed,
    mtime_ns: int = -1
    checked_ns: int = 0  # and when that was (see kg.rebuild.reading.unchanged_stamp)


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)  # items whose page is still to fetch


@dataclass(frozen=True)
class Neo4jRow:
    id: str
    digest: str
    path: str
    url: str | None


# --------------------------------------------------------------------------- what changed


@dataclass(frozen=True)
class Changes:
    """How the articles of a run compare with the store's."""

    new: list[str]  # extracted now, never seen
    changed: list[str]  # extracted now: same id with another digest, or new text in a known slot
    unchanged: list[str]  # digest as stored: not extracted
    removed: list[str]  # stored, in no source any more (and not replaced in their slot)
    gone: list[str]  # every stored id not current: removed + the older texts of changed articles

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged), "removed": len(self.removed)}


def classify(stored: dict[str, StoredArticle], current: dict[str, StoredArticle], extracted: list[str]) -> Changes:
    """Sort a run's articles into new, changed, unchanged and removed.

    An edited article gets a new id (ids hash the text), so it is *changed* when its slot
    (file, or file and URL/title in JSON Lines: :func:`slot_of`) held an article that is gone.

    >>> a = lambda i, slot, d="d": StoredArticle(i, d, "f", None, slot)
    >>> stored = {"1": a("1", "x"), "2": a("2", "y"), "3": a("3", "z")}
    >>> current = {"1": a("1", "x"), "4": a("4", "y"), "5": a("5", "w")}
    >>> classify(stored, current, ["4", "5"]).counts()
    {'new': 1, 'changed': 1, 'unchanged': 1, 'removed': 1}
    """
    gone = sorted(set(stored) - set(current))
    gone_slots = {stored[i].slot for i in gone}
    fresh = set(extracted)
    new, changed, replaced = [], [], set()
    for article_id in extracted:
        slot = current[article_id].slot
        if article_id in stored or slot in gone_slots:
            changed.append(article_id)
            if article_id not in stored:
                replaced.add(slot)
        else:
            new.append(article_id)
    unchanged = [i for i in current if i not in fresh]
    removed = [i for i in gone if stored[i].slot not in replaced]
    return Changes(new, changed, unchanged, removed, gone)


# --------------------------------------------------------------------------- the store


class Store(Spans):
    """The SQLite store. Each ``put_*``/``remove_*``/``save_*`` is its own transaction
    unless called inside ``with store.transaction():``."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._depth = 0
        self._index = {}
        self.reset = False  # True when an unusable store was replaced by an empty one
        try:
            self.db = self._open()
            version = self._version()
            usable = version in (None, STORE_VERSION, *MIGRATES)
        except sqlite3.DatabaseError:  # damaged (a power cut), or not a store at all
            usable = False
        if not usable:  # written by another version of kg, or damaged: it is a cache, start anew
            if hasattr(self, "db"):
                self.db.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = self._open()
            self.reset = True
        with self.transaction():
            for statement in _SCHEMA.split(";"):  # not executescript(): it commits first
                if statement.strip():
                    self.db.execute(statement)
            for step in MIGRATES.get(version, ()) if usable else ():
                if isinstance(step, str):
                    self.db.execute(step)
                else:
                    step(self.db)
            if self.get_meta("store_version") != STORE_VERSION:
                self.set_meta("store_version", STORE_VERSION)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # only takes effect on a new file
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA cache_size=-65536")
        # WAL with NORMAL: a commit is atomic and survives a killed process as with OFF, and
        # also an OS crash or a power cut (it may only lose the last commits, which the next
        # run redoes): the WAL is synced at each checkpoint. Measured in docs/rebuild.md.
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _version(self) -> str | None:
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            return None if not tables else "unknown"
        row = self.db.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
        return row[0] if row else "unknown"

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions

    class _Transaction:
        def __init__(self, store: Store):
            self.store = store

        def __enter__(self):
            if self.store._depth == 0:
                self.store.db.execute("BEGIN IMMEDIATE")
            self.store._depth += 1

        def __exit__(self, kind, value, traceback):
            self.store._depth -= 1
            if self.store._depth == 0:
                self.store.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def transaction(self) -> Store._Transaction:
        return Store._Transaction(self)

    # -- meta

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def data_version(self) -> int:
        return int(self.get_meta("data_version") or 0)

    def bump_data_version(self) -> None:
        self.set_meta("data_version", str(self.data_version + 1))

    # -- files

    def files(self) -> dict[str, StoredFile]:
        rows = self.db.execute("SELECT path, digest, extractor, articles, errors, size, mtime_ns, checked_ns FROM files").fetchall()
        # every file's two lists in one document: one json.loads, not two per file (a third of the time)
        lists = iter(json.loads("[" + ",".join(text for row in rows for text in row[3:5]) + "]"))
        return {
            path: StoredFile(path, d, x, tuple(map(tuple, next(lists))), tuple(map(tuple, next(lists))), *stamp)
            for path, d, x, _, _, *stamp in rows
        }

    def put_file(self, file: StoredFile) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, digest, extractor, articles, errors, size, mtime_ns, checked_ns) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file.path, file.digest, file.extractor, json.dumps(file.articles),
                json.dumps(file.errors, ensure_ascii=False), file.size, file.mtime_ns, file.checked_ns,
            ),
        )  # fmt: skip

    def remove_files(self, paths: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])

    # -- articles

    def articles(self) -> dict[str, StoredArticle]:
        rows = self.db.execute("SELECT id, digest, path, url, slot, pos FROM articles")
        return {row[0]: StoredArticle(*row) for row in rows}

    def put_articles(self, rows: list[ArticleRow]) -> None:
        """Store extractions (replacing any of the same id, whose old one is retired); bumps
        the data version."""
        with self.transaction():
            self._retire([row.article.id for row in rows])
            self.db.executemany(
                "INSERT OR REPLACE INTO articles (id, digest, path, url, slot, pos, claims, extraction) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.id, a.digest, a.path, a.url, a.slot, a.pos, row.claims, row.extraction) for row in rows for a in (row.article,)],
            )
            self.db.executemany(
                "INSERT INTO entity_refs (article, node, attrs) VALUES (?, ?, ?)",
                [(row.article.id, node, attrs) for row in rows for node, attrs in row.entities],
            )
            self.db.executemany(
                "INSERT INTO entity_links (article, source, target, key) VALUES (?, ?, ?, ?)",
                [(row.article.id, *link) for row in rows for link in row.links],
            )
            self.db.executemany(
                "INSERT INTO entity_first (node, article, attrs) VALUES (?, ?, ?) ON CONFLICT (node) DO UPDATE "
                "SET article = excluded.article, attrs = excluded.attrs WHERE excluded.article < entity_first.article",
                [(node, row.article.id, attrs) for row in rows for node, attrs in row.entities],
            )
            self.bump_data_version()

    def move_articles(self, moves: list[tuple[str, int]]) -> None:
        """Record new places in their files of unchanged articles ((id, pos) pairs): their
        lines of claims.jsonl move, so they are retired and put back."""
        with self.transaction():
            self._retire([i for i, _ in moves], entities=False)  # it still names what it named
            self.db.executemany("UPDATE articles SET pos = ? WHERE id = ?", [(pos, i) for i, pos in moves])
            self.bump_data_version()

    def remove_articles(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        with self.transaction():
            self._retire(ids)
            self.db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
            self.bump_data_version()

    def _retire(self, ids: list[str], *, entities: bool = True) -> None:
        """Keep the extraction the build files hold of each article (the first one retired
        since they were written) until the next write takes it out of them; and, unless the
        article stays (moved in its file), forget the entities and links it gave."""
        self.db.executemany(
            "INSERT OR IGNORE INTO retired (id, pos, extraction) SELECT id, pos, extraction FROM articles WHERE id = ?",
            [(i,) for i in ids],
        )
        if not entities:
            return
        for table in ("entity_refs", "entity_links"):
            self.db.executemany(f"DELETE FROM {table} WHERE article = ?", [(i,) for i in ids])
        self._refirst(set(ids))

    def _refirst(self, retired: set[str]) -> None:
        """The entities whose first article was retired get their next one (if any is left),
        found in one scan of the references, not one per entity (they are not indexed by
        entity: the index would cost every change more than this saves)."""
        lost = [(node,) for node, article in self.db.execute("SELECT node, article FROM entity_first") if article in retired]
        if not lost:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS lost (node TEXT PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("DELETE FROM temp.lost")
        self.db.executemany("INSERT INTO temp.lost (node) VALUES (?)", lost)
        self.db.executemany("DELETE FROM entity_first WHERE node = ?", lost)
        self.db.execute(_FIRSTS.format(only="WHERE node IN (SELECT node FROM temp.lost)"))

    def first_entities(self) -> Iterator[tuple[str, str | None]]:
        """(node id, attributes as JSON or None) of each entity, as the first article by id
        that names it adds it."""
        return self.db.execute("SELECT node, article, attrs FROM entity_first")

    def entity_links(self) -> set[tuple[str, str, str]]:
        return set(self.db.execute("SELECT DISTINCT source, target, key FROM entity_links"))

    # -- the extractions, for writing the build files

    def extractions(self, ids: Iterable[str] | None = None, *, retired: bool = False) -> Iterator[tuple[str, int, bytes]]:
        """(id, place in its file, packed extraction) of the given articles (all, by id, when
        None), or of the retired ones."""
        table = "retired" if retired else "articles"
        if ids is None:
            yield from self.db.execute(f"SELECT id, pos, extraction FROM {table} ORDER BY id")
            return
        for article_id in sorted(ids):
            yield from self.db.execute(f"SELECT id, pos, extraction FROM {table} WHERE id = ?", (article_id,))

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def ids_in_files(self, paths: Iterable[str]) -> list[str]:
        """The articles read from these files (a JSON Lines file holds many)."""
        found: list[str] = []
        for path in sorted(set(paths)):
            found += [i for (i,) in self.db.execute("SELECT id FROM articles WHERE path = ?", (path,))]
        return found

    def forget_retired(self) -> None:
        self.db.execute("DELETE FROM retired")

    def claim_count(self) -> int:
        return self.db.execute("SELECT coalesce(sum(claims), 0) FROM articles").fetchone()[0]

    # -- neo4j

    def neo4j_rows(self) -> dict[str, Neo4jRow]:
        return {row[0]: Neo4jRow(*row) for row in self.db.execute("SELECT id, digest, path, url FROM neo4j")}

    def record_neo4j(self, loaded: Iterable[Neo4jRow], removed: Iterable[str], *, replace_all: bool = False) -> None:
        """Remember what Neo4j now holds (after a load committed)."""
        with self.transaction():
            if replace_all:
                self.db.execute("DELETE FROM neo4j")
            self.db.executemany("DELETE FROM neo4j WHERE id = ?", [(i,) for i in removed])
            self.db.executemany(
                "INSERT OR REPLACE INTO neo4j (id, digest, path, url) VALUES (?, ?, ?, ?)",
                [(r.id, r.digest, r.path, r.url) for r in loaded],
            )

    def forget_neo4j(self) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM neo4j")

    # -- feeds

    def feed_state(self, url: str) -> FeedState:
        row = self.db.execute("SELECT etag, last_modified, pending FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return FeedState(url)
        return FeedState(url, row[0], row[1], json.loads(row[2]))

    def save_feed_state(self, state: FeedState) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, pending) VALUES (?, ?, ?, ?)",
                (state.url, state.etag, state.last_modified, json.dumps(state.pending, ensure_ascii=False)),
            )

