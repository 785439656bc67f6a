"""The entity catalogue a rebuild runs with, kept in the rebuild state (:func:`catalogue_for`).

Reading the catalogue's YAML files (1,779 entities) was a third of a rebuild's setup, every
run, for files that rarely change. The state keeps the entities as the files gave them, with
the extractor key they were read under; the key digests every file the catalogue is read
from (:func:`kg.rebuild.state.extractor_key`), so while it is unchanged the kept entities are
the files' own, and an edited file (or a new kg) reads the files again.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict

from kg.extract import Catalogue, load_catalogue
from kg.extract.catalogue import builtin_not_names
from kg.rebuild.config import Config
from kg.rebuild.fragments import entity_of
from kg.rebuild.state import Store, extractor_key

# the entities as compressed JSON, with the extractor key they were read under (a table of its
# own: as hex text in ``meta`` they were 107 KB, 1 KB of state per article of a 100-article corpus)
_TABLE = "CREATE TABLE IF NOT EXISTS kept_catalogue (key TEXT NOT NULL, entities BLOB NOT NULL)"


def catalogue_for(config: Config, store: Store) -> tuple[Catalogue, str]:
    """The catalogue of ``config`` and the extractor key: the catalogue kept in ``store``
    for that key, or read from its files (and then kept). A file that is not a valid
    catalogue, or cannot be read, raises CatalogueError, as :func:`load_catalogue` does."""
    try:
        key = extractor_key(config.catalogue)
    except OSError:  # an extra catalogue file that cannot be read: load_catalogue says which
        key = None
    store.db.execute(_TABLE)
    kept = store.db.execute("SELECT entities FROM kept_catalogue WHERE key = ?", (key,)).fetchone()
    if key is not None and kept:
        entities = [entity_of(fields) for fields in json.loads(zlib.decompress(kept[0]))]
        return Catalogue(entities, builtin_not_names()), key
    catalogue = load_catalogue(config.catalogue)
    key = key or extractor_key(config.catalogue)
    entities = json.dumps([asdict(entity) for entity in catalogue.entities.values()], ensure_ascii=False)
    with store.transaction():
        store.db.execute("DELETE FROM kept_catalogue")
        store.db.execute("INSERT INTO kept_catalogue (key, entities) VALUES (?, ?)", (key, zlib.compress(entities.encode(), 9)))
    return catalogue, key
