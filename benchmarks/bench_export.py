"""Benchmark kg's exports: time and size for a large graph in every format.

    python benchmarks/bench_export.py [--claims 100000] [--formats turtle,nt,...] [--validate N] [--json]

The example corpus is built once; its articles and claims are then copied, each copy with
new article ids (and so new claim ids), until the graph holds --claims claims. The copies
keep the examples' mix of languages, holders, targets and evidence. Then each export is
timed on the in-memory graph, as `kg export` runs it after reading graph.json (the read is
timed once, as `load`). Every file is written to a temporary folder and its size reported.

    turtle nt jsonld trig   kg.sinks.rdf.write_rdf (aim: Turtle under 10 s for 100,000 claims)
    graphml gexf            kg.sinks.gephi
    jsonl                   the claim records, as kg export jsonl writes them

--validate N also times `kg validate` (rdflib parse + pyshacl) on an N-claim Turtle export.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from kg.extract import load_catalogue  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.model import ArticleExtraction  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.sinks.files import claim_line, read_graph, sorted_claims, write_graph  # noqa: E402

FORMATS = ("turtle", "nt", "jsonld", "trig", "graphml", "gexf", "jsonl")
SUFFIX = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig", "graphml": "graphml", "gexf": "gexf",
          "jsonl": "jsonl"}
TURTLE_AIM = 10.0  # seconds for 100,000 claims


def synthetic_extractions(claims_wanted: int, corpus: Path):
    """The example corpus's extractions, copied with new article ids until there are enough claims."""
    catalogue = load_catalogue()
    examples = [e for e in build([corpus], catalogue).extractions if e.claims]
    per_copy = sum(len(e.claims) for e in examples)
    extractions: list[ArticleExtraction] = []
    total, copy = 0, 0
    while total < claims_wanted:
        for extraction in examples:
            if total >= claims_wanted:
                break
            article = dataclasses.replace(
                extraction.article,
                id=f"{extraction.article.id}{copy:05x}",
                path=f"copy{copy:05d}/{extraction.article.path}",
            )
            keep = extraction.claims[: claims_wanted - total]
            claims = tuple(
                dataclasses.replace(c, article_id=article.id, article_file=article.path) for c in keep
            )
            extractions.append(ArticleExtraction(article, claims, extraction.mentioned))
            total += len(claims)
        copy += 1
    return extractions, catalogue, per_copy


def export(fmt: str, graph, claims, path: Path) -> None:
    if fmt in ("turtle", "nt", "jsonld", "trig"):
        from kg.sinks.rdf import write_rdf

        write_rdf(graph, path, fmt)
    elif fmt == "graphml":
        from kg.sinks.gephi import write_graphml

        write_graphml(graph, path)
    elif fmt == "gexf":
        from kg.sinks.gephi import write_gexf

        write_gexf(graph, path)
    elif fmt == "jsonl":
        from kg.sinks.files import atomic_output

        with atomic_output(path) as out:
            for claim in sorted_claims(claims):
                out.write(claim_line(claim) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "corpus")
    parser.add_argument("--validate", type=int, default=0, metavar="N", help="also time kg validate on N claims")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]

    started = time.perf_counter()
    extractions, catalogue, per_copy = synthetic_extractions(args.claims, args.corpus)
    graph = build_graph(extractions, catalogue)
    claims = [c for e in extractions for c in e.claims]
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-export-") as scratch:
        folder = Path(scratch)
        write_graph(graph, folder / "graph.json")
        began = time.perf_counter()
        graph = read_graph(folder / "graph.json")
        rows.append({"format": "load", "seconds": round(time.perf_counter() - began, 2),
                     "bytes": (folder / "graph.json").stat().st_size})
        for fmt in formats:
            path = folder / f"graph.{SUFFIX[fmt]}"
            began = time.perf_counter()
            export(fmt, graph, claims, path)
            rows.append({"format": fmt, "seconds": round(time.perf_counter() - began, 2), "bytes": path.stat().st_size})
        if args.validate:
            rows.append(time_validation(args.validate, folder, args.corpus))
    summary = {
        "claims": len(claims),
        "articles": len(extractions),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "example_claims_per_copy": per_copy,
        "setup_seconds": round(time.perf_counter() - started - sum(float(r["seconds"]) for r in rows), 2),
        "exports": rows,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{summary['claims']:,} claims, {summary['articles']:,} articles, {summary['nodes']:,} nodes, "
          f"{summary['edges']:,} edges (setup {summary['setup_seconds']} s)")
    print(f"{'format':<10}{'seconds':>9}{'MB':>10}")
    for row in rows:
        print(f"{row['format']:<10}{row['seconds']:>9.2f}{int(row['bytes']) / 1e6:>10.1f}")
    turtle = next((r for r in rows if r["format"] == "turtle"), None)
    if turtle and len(claims) >= 100_000:
        verdict = "meets" if float(turtle["seconds"]) < TURTLE_AIM else "misses"
        print(f"Turtle {verdict} the aim of {TURTLE_AIM:.0f} s for 100,000 claims")


def time_validation(claims_wanted: int, folder: Path, corpus: Path) -> dict[str, object]:
    from kg.sinks.rdf import validate_file, write_rdf

    extractions, catalogue, _ = synthetic_extractions(claims_wanted, corpus)
    path = folder / f"validate-{claims_wanted}.ttl"
    write_rdf(build_graph(extractions, catalogue), path, "turtle")
    began = time.perf_counter()
    checked, violations = validate_file(path)
    seconds = round(time.perf_counter() - began, 2)
    return {"format": f"validate {checked}", "seconds": seconds, "bytes": path.stat().st_size,
            "violations": len(violations)}


if __name__ == "__main__":
    main()
