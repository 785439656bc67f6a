"""An article's extraction as the rebuild state keeps it: compact, and enough to make its
share of the build files again (:func:`kg.sinks.pieces.article_pieces`).

What the graph needs of an article (its metadata, its claims, the names it mentions, the
names it discovered) is kept as one JSON document compressed with zlib: about 3 KB for a
5 KB article with 35 claims. The article's text is not kept: the graph does not need it.
Its pieces of the build files are not kept either: the files themselves hold them, and a
rebuild edits them in place (:mod:`kg.rebuild.outputs`).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict

from kg.model import Article, ArticleExtraction, Claim, Entity

LEVEL = 6  # zlib: level 9 saves 2% more at twice the time


def pack(extraction: ArticleExtraction) -> bytes:
    """The extraction, less the article's text, as compressed JSON."""
    article = extraction.article
    document = {
        "article": [article.id, article.path, article.title, article.date, article.lang, article.url, article.outlet, article.region],
        "claims": [claim.to_record() for claim in extraction.claims],
        "mentioned": list(extraction.mentioned),
        "discovered": [asdict(entity) for entity in extraction.discovered],
    }
    return zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(), LEVEL)


def unpack(blob: bytes) -> ArticleExtraction:
    """The extraction :func:`pack` kept (the article's body and prose empty)."""
    document = json.loads(zlib.decompress(blob))
    article_id, path, title, date, lang, url, outlet, region = document["article"]
    article = Article(article_id, path, title, date, lang, url, outlet, "", "", region)
    claims = tuple(Claim.from_record(record) for record in document["claims"])
    discovered = tuple(entity_of(entity) for entity in document["discovered"])
    return ArticleExtraction(article, claims, tuple(document["mentioned"]), discovered)


def entity_of(fields: dict) -> Entity:
    """An entity from its fields as :func:`dataclasses.asdict` gives them (JSON has no tuples)."""
    return Entity(**{**fields, "aliases": tuple(fields["aliases"]), "tickers": tuple(fields["tickers"])})
