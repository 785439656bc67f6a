"""The rebuild state's spans (kg.rebuild.spans): the offset of any key, and the block totals
kept right as spans come and go, checked against a plain sum over the sorted spans. Keys carry
NUL separators, as graph.json's edge keys and claims.jsonl's keys do: SQL that cut a key at
its first NUL would place keys wrongly. A state of version 7 (the blocks as rows) keeps its
offsets when brought up to date. And each entity's first article (``entity_first``), kept
as articles come and go, checked against grouping every reference."""

from __future__ import annotations

import random
from itertools import accumulate

from kg.rebuild.outputs import BLOCK
from kg.rebuild.state import STORE_VERSION, Store

SECTION = 1


def _key(rng: random.Random) -> str:
    return "\x00".join(rng.choice(["entity:a", "entity:a\x00b", "claim:1", "claim:1\x00", "x"]) + str(rng.randrange(50)) for _ in range(2))


def _expected(spans: dict[str, int], keys: list[str]) -> dict[str, tuple[int, int]]:
    ordered = sorted(spans)
    starts = dict(zip(ordered, [0, *accumulate(spans[k] for k in ordered)]))
    total = sum(spans.values())
    return {key: (starts.get(key, sum(spans[k] for k in ordered if k < key)), spans.get(key, 0)) for key in keys} | {
        key: (total, 0) for key in keys if all(k < key for k in ordered)
    }


def test_offsets_and_block_totals_match_a_plain_sum(tmp_path):
    rng = random.Random(7)
    spans = {_key(rng): rng.randrange(1, 100) for _ in range(300)}
    with Store(tmp_path / "state.sqlite") as store, store.transaction():
        ordered = sorted(spans.items())
        store.put_spans(SECTION, ordered)
        store.put_blocks(SECTION, [(ordered[i][0], sum(n for _, n in ordered[i : i + BLOCK])) for i in range(0, len(ordered), BLOCK)])
        for _ in range(5):
            keys = rng.sample(sorted(spans), 40) + [_key(rng) for _ in range(40)] + ["", "\x00", "zzz"]
            assert store.offsets(SECTION, keys) == _expected(spans, keys)
            removed = rng.sample(sorted(spans), 30)
            added = {_key(rng): rng.randrange(1, 100) for _ in range(30)}
            store.remove_spans(SECTION, removed)
            store.put_spans(SECTION, added.items())
            growth = {key: added.get(key, 0) - spans.get(key, 0) for key in {*removed, *added}}
            for key in removed:
                del spans[key]
            spans.update(added)
            store.grow_blocks(SECTION, growth)
            assert store.section_length(SECTION)[1] == sum(spans.values())


def test_a_store_of_version_7_keeps_its_offsets_with_its_blocks_as_rows_no_more(tmp_path):
    rng = random.Random(5)
    spans = {_key(rng): rng.randrange(1, 100) for _ in range(100)}
    ordered = sorted(spans.items())
    keys = rng.sample(sorted(spans), 20) + [_key(rng) for _ in range(20)]
    path = tmp_path / "state.sqlite"
    with Store(path) as store, store.transaction():  # as version 7 kept them: a row per block
        store.put_spans(SECTION, ordered)
        store.db.execute("CREATE TABLE blocks (section INTEGER, first TEXT, total INTEGER, PRIMARY KEY (section, first)) WITHOUT ROWID")
        rows = [(SECTION, ordered[i][0], sum(n for _, n in ordered[i : i + BLOCK])) for i in range(0, len(ordered), BLOCK)]
        store.db.executemany("INSERT INTO blocks VALUES (?, ?, ?)", rows)
        store.set_meta("store_version", "7")
    with Store(path) as store:
        assert not store.reset and store.get_meta("store_version") == STORE_VERSION
        assert store.offsets(SECTION, keys) == _expected(spans, keys)
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'blocks'").fetchone() == (0,)


GROUPED = "SELECT node, min(article), attrs FROM entity_refs GROUP BY node ORDER BY node"


def _row(article_id: str, nodes: list[str]):
    from kg.rebuild.state import ArticleRow, StoredArticle

    entities = [(node, None if int(node[-1]) % 2 else f'{{"from": "{article_id}"}}') for node in nodes]
    return ArticleRow(StoredArticle(article_id, "d" + article_id, f"{article_id}.md", None, f"{article_id}.md"), b"", 0, entities, [])


def test_each_entitys_first_article_is_kept_as_articles_come_and_go(tmp_path):
    """entity_first must always be what grouping every reference gives (graph.json's entity
    attributes are the first article's), whatever order articles are stored, replaced, removed."""
    rng = random.Random(11)
    nodes = [f"entity:n{i}" for i in range(12)]
    with Store(tmp_path / "state.sqlite") as store:
        for _ in range(30):
            ids = [f"a{rng.randrange(40):02d}" for _ in range(rng.randrange(1, 6))]
            store.put_articles([_row(i, rng.sample(nodes, rng.randrange(1, 5))) for i in dict.fromkeys(ids)])
            stored = sorted(i for (i,) in store.db.execute("SELECT id FROM articles"))
            store.remove_articles(rng.sample(stored, min(len(stored), rng.randrange(3))))
            assert sorted(store.first_entities()) == store.db.execute(GROUPED).fetchall()


def test_a_store_of_version_6_gets_its_entity_firsts(tmp_path):
    path = tmp_path / "state.sqlite"
    with Store(path) as store:
        store.put_articles([_row("a1", ["entity:n1", "entity:n2"]), _row("a0", ["entity:n2"])])
        with store.transaction():
            store.db.execute("DELETE FROM entity_first")
            store.set_meta("store_version", "6")
    with Store(path) as store:
        assert not store.reset and store.get_meta("store_version") == STORE_VERSION
        assert sorted(store.first_entities()) == store.db.execute(GROUPED).fetchall() == [
            ("entity:n1", "a1", None), ("entity:n2", "a0", '{"from": "a0"}')]  # fmt: skip
