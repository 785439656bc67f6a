"""Benchmark the HTML view: pages of 500, 5,000 and 20,000 claims, written and drawn.

    python benchmarks/bench_view.py [--claims 500 5000 20000] [--layouts force columns] [--repeat 3] [--json]
    python benchmarks/bench_view.py --keep DIR       # also keep the pages in DIR

The claims are the examples' (examples/corpus, built in-process), copied until there are
enough, each copy with its holders and targets renamed to other catalogue entities of the
same type (Institution, Person; Company, Product, Index, Sector), drawn with Zipf weights
so a few entities draw most of the talk, as in the news. Groups and "Unattributed" keep
their names. Every copy gets its own articles.

For each size and layout it reports:

    entities, links   what the page draws
    size              the page in MB (vis-network itself is about 0.7 MB of it)
    write             seconds for kg.sinks.html.write_html: records, layout, JSON, file
    stable            milliseconds from navigation start until the graph is drawn and
                      still, in headless Chromium (the page's own ``kg.stableAt``: after the
                      first drawing and fit with physics off, or after stabilisation with
                      physics on); the median of --repeat loads, each in a new tab

The aim (issue 5): 5,000 claims drawn and stable within 2 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from kg.extract import load_catalogue  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.model import ArticleExtraction  # noqa: E402
from kg.pipeline import build  # noqa: E402

EXAMPLES = REPO / "examples" / "corpus"
SIZES = (500, 5000, 20000)
AIM_MS = 2000  # for 5,000 claims
RENAMED = {"Institution", "Person", "Company", "Product", "Index", "Sector"}
ZIPF = 1.1
MB = 1e6


def synthetic_extractions(claims: int, seed: int = 7) -> list[ArticleExtraction]:
    """The examples' extractions, copied and renamed until they hold ``claims`` claims."""
    catalogue = load_catalogue()
    base = [e for e in build([EXAMPLES], catalogue).extractions if e.claims]
    rng = random.Random(seed)
    by_type: dict[str, list[str]] = defaultdict(list)
    for entity in sorted(catalogue.entities.values(), key=lambda e: e.name):
        by_type[entity.type].append(entity.name)
    weights = {}
    for kind, names in by_type.items():
        rng.shuffle(names)
        weights[kind] = [1 / (rank + 1) ** ZIPF for rank in range(len(names))]

    def rename(name: str, kind: str, names: dict[str, str]) -> str:
        if kind not in RENAMED or not by_type.get(kind):
            return name
        if name not in names:  # one-to-one within an article, so no two claims merge into one
            taken = set(names.values())
            choice = rng.choices(by_type[kind], weights[kind])[0]
            while choice in taken:
                choice = rng.choices(by_type[kind], weights[kind])[0]
            names[name] = choice
        return names[name]

    out: list[ArticleExtraction] = []
    made = 0
    copy = 0
    while made < claims:
        for extraction in base:
            if made >= claims:
                break
            article = dataclasses.replace(
                extraction.article, id=f"{extraction.article.id}-{copy}", title=f"{extraction.article.title} ({copy})"
            )
            names: dict[str, str] = {}  # one renaming per article copy, as in a real article
            kept = []
            for claim in extraction.claims[: claims - made]:
                kept.append(
                    dataclasses.replace(
                        claim,
                        article_id=article.id,
                        holder=rename(claim.holder, claim.holder_type, names),
                        target=rename(claim.target, claim.target_type, names),
                    )
                )
            made += len(kept)
            out.append(ArticleExtraction(article, tuple(kept), ()))
        copy += 1
    return out


def synthetic_graph(claims: int, seed: int = 7):
    return build_graph(synthetic_extractions(claims, seed), load_catalogue())


def measure(claims: int, layouts: list[str], repeat: int, browser, folder: Path) -> list[dict]:
    from kg.sinks.html import write_html

    graph = synthetic_graph(claims)
    rows = []
    for layout in layouts:
        path = folder / f"view-{claims}-{layout}.html"
        started = time.perf_counter()
        write_html(graph, path, title=f"{claims} claims", subtitle="benchmark", layout=layout)
        write_seconds = time.perf_counter() - started
        row = {"claims": claims, "layout": layout, "size_mb": round(path.stat().st_size / MB, 2),
               "write_s": round(write_seconds, 2)}
        if browser is not None:
            times, errors = [], []
            for _ in range(repeat):
                page = browser.new_page()
                try:
                    page.goto(path.resolve().as_uri(), timeout=120)
                    times.append(page.wait_for("window.kg && kg.stableAt", timeout=120))
                    shown = page.evaluate("[kg.nodes.length, kg.edges.length, kg.data.options.physics.enabled]")
                    errors += page.errors + page.blocked
                finally:
                    page.close()
            row.update(entities=shown[0], links=shown[1], physics=shown[2],
                       stable_ms=round(statistics.median(times)), errors=len(errors))
        rows.append(row)
        print(_line(row), file=sys.stderr, flush=True)
    return rows


def _line(row: dict) -> str:
    stable = f"{row['stable_ms']:>7} ms" if "stable_ms" in row else "      n/a"
    shown = f"{row.get('entities', '?'):>5} {row.get('links', '?'):>6}"
    return f"{row['claims']:>7} {row['layout']:>8} {shown} {row['size_mb']:>8.2f} MB {row['write_s']:>7.2f} s {stable}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=list(SIZES), help="page sizes in claims (default 500 5000 20000)")
    parser.add_argument("--layouts", nargs="+", choices=("force", "columns", "auto"), default=["force", "columns"])
    parser.add_argument("--repeat", type=int, default=3, help="browser loads per page; the median is reported (default 3)")
    parser.add_argument("--no-browser", action="store_true", help="only write the pages")
    parser.add_argument("--keep", type=Path, help="write the pages into this folder and keep them")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)

    browser = None
    if not args.no_browser:
        from browser import Chromium

        browser = Chromium(timeout=120)
    print(f"{'claims':>7} {'layout':>8} {'ents':>5} {'links':>6} {'size':>11} {'write':>9} {'stable':>10}", file=sys.stderr)
    try:
        with tempfile.TemporaryDirectory(prefix="kg-bench-view-") as scratch:
            folder = args.keep or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            rows = [row for claims in args.claims for row in measure(claims, args.layouts, args.repeat, browser, folder)]
    finally:
        if browser is not None:
            browser.close()
    if args.json:
        print(json.dumps(rows, indent=2))
    for row in rows:
        if row["claims"] == 5000 and "stable_ms" in row:
            verdict = "meets" if row["stable_ms"] <= AIM_MS else "misses"
            print(f"5,000 claims, {row['layout']}: stable in {row['stable_ms']} ms, {verdict} the {AIM_MS} ms aim", file=sys.stderr)


if __name__ == "__main__":
    main()
