"""What analyst actions cost ``kg load``: the same build loaded with its Action nodes and
without them (Action nodes and STATES relationships taken out), in the same run.

    python benchmarks/bench_actions.py --wipe [--claims 30000] [--runs 3]
    python benchmarks/bench_actions.py --wipe --build DIR      # reuse a build folder (graph.json)

It needs a running Neo4j (``scripts/neo4j-local start``; the NEO4J_* variables as for kg)
and DELETES EVERYTHING in that database (hence ``--wipe``). The corpus is bench_load.py's
(benchmarks/generate_corpus.py recombines the examples, price-target sentences included).
Each run loads both variants on an empty database, in alternating order, then loads each
once more on top of itself (nothing to write); the best run of each variant counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_load  # noqa: E402

from kg.graph import schema  # noqa: E402
from kg.sinks.files import GRAPH_FILE  # noqa: E402
from kg.sinks.neo4j import Settings, clear_database, connect, graph_counts, plan, read_document  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=30_000, help="about how many claims (default 30000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (default 3; the best counts)")
    parser.add_argument("--build", help="use this build folder (graph.json) instead of generating a corpus")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database")
    args = parser.parse_args(argv)
    if not args.wipe:
        raise SystemExit("the benchmark deletes everything in the database: pass --wipe")
    args.batch_size = args.writers = None  # kg load's defaults, as bench_load.run_kg_load reads them
    settings = Settings.from_env()
    driver = connect(settings, retry_seconds=60)
    with tempfile.TemporaryDirectory(prefix="kg-bench-actions-") as scratch:
        with_actions, note = bench_load.prepare_build(args, Path(scratch))
        without = strip_actions(with_actions, Path(scratch) / "without")
        results = compare(driver, settings, {"with actions": with_actions, "without actions": without}, args.runs)
    driver.close()
    print(f"corpus: {note['source']}")
    print_results(results)


def strip_actions(build: Path, out: Path) -> Path:
    """A copy of the build's graph.json without Action nodes and STATES relationships."""
    document = read_document(build / GRAPH_FILE)
    document["nodes"] = [n for n in document["nodes"] if n.get("label") != schema.ACTION]
    key = "edges" if "edges" in document else "links"
    document[key] = [e for e in document[key] if (e.get("type") or e.get("key")) != schema.STATES]
    out.mkdir(parents=True)
    (out / GRAPH_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


def compare(driver, settings, builds: dict[str, Path], runs: int) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, build in builds.items():
        built = plan(read_document(build / GRAPH_FILE))
        rows = sum(len(n) for n in built.nodes.values()) + built.edges
        results[name] = {"claims": len(built.claims), "actions": len(built.actions), "rows": rows, "loads": [], "again": []}
    options = argparse.Namespace(batch_size=None, writers=None)
    for run in range(runs):
        for name in (list(builds) if run % 2 == 0 else list(reversed(builds))):
            result = results[name]
            clear_database(driver, settings.database)
            result["loads"].append(bench_load.run_kg_load(builds[name], options, result["claims"], result["rows"]))
            assert graph_counts(driver, settings.database)[schema.ACTION] == result["actions"]
            result["again"].append(bench_load.run_kg_load(builds[name], options, result["claims"], result["rows"]))
    clear_database(driver, settings.database)
    return results


def print_results(results: dict[str, dict]) -> None:
    print(f"{'build':<18}{'claims':>9}{'actions':>9}{'rows':>10}{'best s':>9}{'median s':>10}{'claims/s':>10}"
          f"{'claims stage s':>16}{'again s':>9}")  # fmt: skip
    for name, r in results.items():
        best = min(r["loads"], key=lambda load: load["seconds"])
        median = statistics.median(load["seconds"] for load in r["loads"])
        again = min(load["seconds"] for load in r["again"])
        print(f"{name:<18}{r['claims']:>9,}{r['actions']:>9,}{r['rows']:>10,}{best['seconds']:>9.2f}{median:>10.2f}"
              f"{best['claims_per_second']:>10,}{best['stages'].get('claims', 0):>16.2f}{again:>9.2f}")  # fmt: skip
    (a, b) = (min(load["seconds"] for load in r["loads"]) for r in results.values())
    print(f"\nwith actions / without: {a / b:.3f} (best runs)")


if __name__ == "__main__":
    main()
