"""Generate a synthetic benchmark corpus by recombining the sentences of examples/corpus.

    python benchmarks/generate_corpus.py OUT_DIR --articles 20000 [--size-kb 5] [--seed 1] [--format md|jsonl]

Each generated article is in one language (zh-Hans, zh-Hant or en, in the proportions of
the example corpus) and is built from that language's example sentences in a shuffled
order, grouped into paragraphs of one to four sentences, until the file reaches about
``--size-kb`` kilobytes (1 KB = 1000 bytes, front matter included). Company, institution,
person and product names are swapped for other catalogue entities of the same type,
consistently within an article, with a spelling fit for the language.

The output is deterministic for a seed, and article ``n`` depends only on the seed and
``n``: the first 2,000 articles of a 20,000-article corpus are the 2,000-article corpus.
The text is our own fiction (examples/corpus), recombined; it means nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.extract import Catalogue, load_catalogue
from kg.extract.fold import fold
from kg.extract.sentences import split_sentences
from kg.model import SourceError
from kg.sources import read_articles

EXAMPLES = REPO / "examples" / "corpus"
KB = 1000
SWAPPED_TYPES = ("Company", "Institution", "Person", "Product")  # sectors and indices stay
JSONL_SHARD = 1000  # articles per .jsonl file
FIRST_DATE = datetime(2025, 1, 2, 8, 0)
DATE_STEP = timedelta(minutes=7)  # one article every 7 minutes: dates unique to the minute
DATE_FORMATS = {  # the forms the examples use, with a time so every date is unique
    "zh-Hans": ("{:%Y-%m-%d %H:%M}", "{d.year}年{d.month}月{d.day}日 {d:%H:%M}"),
    "zh-Hant": ("{:%Y-%m-%d %H:%M}", "{d.year}年{d.month}月{d.day}日 {d:%H:%M}"),
    "en": ("{:%Y-%m-%d %H:%M}", "{d:%B} {d.day}, {d.year} {d:%H:%M}"),
}

Part = str | tuple[str, str]  # literal text, or (entity name, entity type) to fill in


@dataclass
class Pool:
    """Everything one language contributes: sentence units, titles, tags, outlets, names."""

    units: list[list[Part]]  # a unit is a sentence, or a run of sentences inside a quotation
    titles: list[list[Part]]
    tags: list[str]  # declared `lang` values of the examples, e.g. zh-HK, zh-TW
    outlets: list[str]
    names: dict[str, list[tuple[str, tuple[str, ...]]]]  # type → [(entity, spellings)]
    joiner: str  # between sentences of a paragraph


def main(argv: list[str] | None = None) -> None:
    """Command line: write the corpus and say how long it took."""
    args = parse_args(argv)
    started = time.perf_counter()
    count, size = generate(Path(args.out_dir), args.articles, args.size_kb, args.seed, args.format)
    seconds = time.perf_counter() - started
    print(f"wrote {count} articles, {size / 1e6:.1f} MB, to {args.out_dir} in {seconds:.1f} s")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="folder to write into (created if missing)")
    parser.add_argument("--articles", type=int, default=20000, help="how many articles (default 20000)")
    parser.add_argument("--size-kb", type=float, default=5, help="about how big each file is, in KB (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same corpus (default 1)")
    parser.add_argument("--format", choices=("md", "jsonl"), default="md", help="one .md file per article, or .jsonl shards")
    return parser.parse_args(argv)


def generate(out_dir: Path, articles: int, size_kb: float, seed: int, fmt: str = "md") -> tuple[int, int]:
    """Write ``articles`` articles into ``out_dir``; return (articles, bytes written)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pools = load_pools()
    languages = sorted(pools)
    weights = [len(pools[lang].tags) for lang in languages]
    records = (make_article(n, pools, languages, weights, int(size_kb * KB), seed) for n in range(articles))
    writer = write_markdown if fmt == "md" else write_jsonl
    return articles, writer(out_dir, records)


# -- the sentence pools -----------------------------------------------------------------


def load_pools(folder: Path = EXAMPLES) -> dict[str, Pool]:
    """Cut the example articles into sentence templates, one pool per language."""
    catalogue = load_catalogue()
    pools: dict[str, Pool] = {}
    for article in read_articles([folder]):
        if isinstance(article, SourceError):
            raise SystemExit(f"cannot read example {article.path}: {article.reason}")
        lang = article.lang
        if lang not in pools:
            names = spellings(catalogue, lang)
            pools[lang] = Pool([], [], [], [], names, " " if lang == "en" else "")
        pool = pools[lang]
        pool.units.extend(units_of(article.prose, catalogue))
        pool.titles.append(template(article.title, catalogue))
        pool.tags.append(article_tag(article.path))
        pool.outlets.append(article.outlet or "Example News")
    return pools


def article_tag(path: str) -> str:
    """The `lang:` value an example file declares (zh-CN, zh-HK, en …)."""
    for line in Path(path).read_text("utf-8").splitlines()[1:]:
        if line.startswith("lang:"):
            return line.split(":", 1)[1].strip().strip("\"'")
        if line.startswith("---"):
            break
    return "en"


def units_of(prose: str, catalogue: Catalogue) -> list[list[Part]]:
    """Sentence templates of one article; a quotation that runs on stays one unit."""
    units: list[list[Part]] = []
    open_quote = False
    for sentence in split_sentences(fold(prose)):
        parts = template(prose[sentence.start : sentence.end], catalogue)
        if open_quote and units:
            units[-1] = [*units[-1], " ", *parts]
        else:
            units.append(parts)
        open_quote = sentence.opens_quote
    return units


def template(text: str, catalogue: Catalogue) -> list[Part]:
    """Split ``text`` into literal pieces and slots for the names it mentions."""
    parts: list[Part] = []
    cursor = 0
    for mention in catalogue.mentions(text):
        if mention.entity.type not in SWAPPED_TYPES:
            continue
        parts.append(text[cursor : mention.start])
        parts.append((mention.entity.name, mention.entity.type))
        cursor = mention.end
    parts.append(text[cursor:])
    return [part for part in parts if part]


def spellings(catalogue: Catalogue, lang: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """For each swapped type, the entities that have a spelling fit for ``lang``."""
    names: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for entity in catalogue.entities.values():
        if entity.type not in SWAPPED_TYPES:
            continue
        fit = fitting_aliases((entity.name, *entity.aliases), lang)
        if fit:
            names[entity.type].append((entity.name, fit))
    return dict(names)


def fitting_aliases(aliases: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """English: Latin names of 3+ letters. Chinese: names in the article's script, else
    the Latin name (Chinese news writes Llama and OpenAI in Latin letters)."""
    latin = tuple(a for a in dict.fromkeys(aliases) if a.isascii() and len(a) >= 3)
    if lang == "en":
        return latin
    chinese = [a for a in dict.fromkeys(aliases) if not a.isascii() and len(a) >= 2]
    wanted = [a for a in chinese if (fold(a) != a) == (lang == "zh-Hant")]
    return tuple(wanted or chinese) or latin[:1]


# -- one article ------------------------------------------------------------------------


def make_article(n: int, pools: dict[str, Pool], languages: list[str], weights: list[int],
                 size: int, seed: int) -> dict[str, str]:
    """Article ``n`` as a record: title, date, lang, url, outlet, text."""
    rng = random.Random(f"{seed}/{n}")
    lang = rng.choices(languages, weights)[0]
    pool = pools[lang]
    names: dict[str, str] = {}
    when = FIRST_DATE + n * DATE_STEP
    outlet = rng.choice(pool.outlets)
    title = fill(rng.choice(pool.titles), pool, names, rng)
    record = {
        "title": f"{title} ({n})" if lang == "en" else f"{title}（{n}）",
        "date": rng.choice(DATE_FORMATS[lang]).format(when, d=when),
        "lang": rng.choice(pool.tags),
        "url": f"https://example.com/bench/{when:%Y/%m/%d}/article-{n:06d}",
        "outlet": outlet,
    }
    record["text"] = body(pool, names, rng, size - len(front_matter(record).encode("utf-8")))
    return record


def body(pool: Pool, names: dict[str, str], rng: random.Random, size: int) -> str:
    """Paragraphs of shuffled sentence units, until the text is about ``size`` bytes."""
    order: list[list[Part]] = []
    paragraphs: list[list[str]] = [[]]
    room, used = rng.randint(1, 4), 1  # sentences left in this paragraph; the final "\n"
    while used < size or not paragraphs[0]:  # at least one sentence
        if not order:
            order = rng.sample(pool.units, len(pool.units))
        if room == 0:
            paragraphs.append([])
            room, used = rng.randint(1, 4), used + 2
        sentence = fill(order.pop(), pool, names, rng)
        paragraphs[-1].append(sentence)
        used += len(sentence.encode("utf-8")) + len(pool.joiner) * (len(paragraphs[-1]) > 1)
        room -= 1
    return "\n\n".join(pool.joiner.join(sentences) for sentences in paragraphs) + "\n"


def fill(parts: list[Part], pool: Pool, names: dict[str, str], rng: random.Random) -> str:
    """Render a template, swapping each entity for this article's stand-in."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            if part[0] not in names:
                names[part[0]] = stand_in(part[1], pool, names, rng)
            out.append(names[part[0]])
    return "".join(out)


def stand_in(kind: str, pool: Pool, names: dict[str, str], rng: random.Random) -> str:
    """A spelling of an entity of type ``kind`` not yet used in this article, if any is left."""
    taken = set(names.values())
    candidates = pool.names[kind]
    for _ in range(8):
        _, aliases = rng.choice(candidates)
        spelling = rng.choice(aliases)
        if spelling not in taken:
            return spelling
    return spelling


# -- writing ----------------------------------------------------------------------------


def front_matter(record: dict[str, str]) -> str:
    """YAML front matter like the examples': every value double-quoted (JSON strings are valid YAML)."""
    lines = [f"{key}: {json.dumps(record[key], ensure_ascii=False)}" for key in ("title", "date", "lang")]
    lines.append(f"source_url: {json.dumps(record['url'])}")
    lines.append(f"outlet: {json.dumps(record['outlet'], ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def write_markdown(out_dir: Path, records) -> int:
    """One ``NNNNNN_lang.md`` file per article; return the bytes written."""
    total = 0
    for n, record in enumerate(records):
        data = (front_matter(record) + record["text"]).encode("utf-8")
        (out_dir / f"{n:06d}_{record['lang']}.md").write_bytes(data)
        total += len(data)
    return total


def write_jsonl(out_dir: Path, records) -> int:
    """``articles-NNNN.jsonl`` shards of JSONL_SHARD articles; return the bytes written."""
    total, shard, lines = 0, 0, []
    for n, record in enumerate(records):
        lines.append(json.dumps({"id": f"bench-{n:06d}", **record}, ensure_ascii=False))
        if len(lines) == JSONL_SHARD:
            total += flush(out_dir, shard, lines)
            shard, lines = shard + 1, []
    if lines:
        total += flush(out_dir, shard, lines)
    return total


def flush(out_dir: Path, shard: int, lines: list[str]) -> int:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    (out_dir / f"articles-{shard:04d}.jsonl").write_bytes(data)
    return len(data)


if __name__ == "__main__":
    main()
