"""The rebuild state's spans (kg.rebuild.spans): the offset of any key, and the block totals
kept right as spans come and go, checked against a plain sum over the sorted spans. Keys carry
NUL separators, as graph.json's edge keys and claims.jsonl's keys do: SQL that cut a key at
its first NUL would place keys wrongly."""

from __future__ import annotations

import random
from itertools import accumulate

from kg.rebuild.outputs import BLOCK
from kg.rebuild.state import Store

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
