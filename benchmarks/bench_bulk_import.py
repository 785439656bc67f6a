"""Benchmark Neo4j's bulk importer against ``kg load`` for a first load, at several sizes.

    python benchmarks/bench_bulk_import.py --wipe [--claims 5000 60000 180000] [--json FILE]

It needs a running Neo4j (``scripts/neo4j-local start``; the NEO4J_* variables as for kg),
whose database it EMPTIES (hence ``--wipe``), and java for the importer, which runs into a
second local server's data folder of its own (a scratch ``NEO4J_STATE``, a free port).

For each size, a build of about that many claims (benchmarks/generate_corpus.py's articles,
built by ``kg build``), then, side by side in one run:

- **kg load**: ``kg load BUILD`` into the empty database of the running server;
- **bulk import**: ``kg export neo4j-csv BUILD`` (CSV files), ``scripts/neo4j-local import``
  (the importer writes the store; the DBMS must be stopped), ``scripts/neo4j-local start
  --keep-data``, and the ``kg load BUILD`` that finishes an import (constraints, indexes, the
  few nodes the CSV could not hold). Each step is timed; the total is what a user waits.

Every step is a fresh process, as a user runs it. The server start (~10 s here) is part of
the import's total: a first load with the importer needs the DBMS stopped, a ``kg load`` does
not. Another benchmark on the same machine changes the absolute figures; compare the two
paths of one size within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_load import machine  # noqa: E402

from kg.graph import schema  # noqa: E402
from kg.sinks.neo4j import LOCAL_PASSWORD, Settings, clear_database, connect, graph_counts  # noqa: E402

CLAIMS_PER_ARTICLE = 34.6  # what generate_corpus.py's 5 KB articles give today's extractor
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[5_000, 60_000, 180_000], help="build sizes, in claims")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if not args.wipe:
        raise SystemExit("the benchmark deletes everything in the database of NEO4J_URI: pass --wipe")
    if shutil.which("java") is None and not os.environ.get("NEO4J_JAVA"):
        raise SystemExit("java is needed for scripts/neo4j-local import")
    settings = Settings.from_env()
    driver = connect(settings, retry_seconds=60)
    report = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="kg-bench-import-") as scratch:
        scratch = Path(scratch)
        for claims in args.claims:
            build = make_build(claims, scratch / f"size-{claims}")
            result = {"claims_wanted": claims, **count(build)}
            clear_database(driver, settings.database)
            result["kg_load"] = timed(kg_command("load", str(build)))
            loaded = graph_counts(driver, settings.database)[schema.CLAIM]
            assert loaded == result["claims"], (loaded, result["claims"])
            clear_database(driver, settings.database)
            result["bulk"] = bulk_import(build, scratch / f"import-{claims}", result["claims"])
            report["sizes"].append(result)
            print_size(result, file=sys.stderr)
    driver.close()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_report(report)


def make_build(claims: int, folder: Path) -> Path:
    articles = max(1, round(claims / CLAIMS_PER_ARTICLE))
    corpus, build = folder / "corpus", folder / "build"
    subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), str(corpus), "--articles", str(articles)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run(kg_command("build", str(corpus), "--out", str(build), "--no-html"), check=True, capture_output=True)
    return build


def count(build: Path) -> dict:
    document = json.loads((build / "graph.json").read_bytes())
    labels = [node.get("label") for node in document["nodes"]]
    return {
        "claims": labels.count(schema.CLAIM),
        "nodes": len(labels),
        "relationships": len(document["edges"]),
        "graph_json_mb": round((build / "graph.json").stat().st_size / 1e6, 1),
    }


def bulk_import(build: Path, folder: Path, claims: int) -> dict:
    """Export, import into a scratch server's data folder, start it, finish with kg load."""
    port = free_port()
    env = {**os.environ, "NEO4J_STATE": str(folder / "state"), "NEO4J_BOLT_PORT": str(port)}
    env.setdefault("NEO4J_PASSWORD", LOCAL_PASSWORD)
    load_env = {**env, "NEO4J_URI": f"bolt://127.0.0.1:{port}"}
    steps = {"export": timed(kg_command("export", "neo4j-csv", str(build), "--out", str(folder / "csv")))}
    steps["import"] = timed([str(NEO4J_LOCAL), "import", str(folder / "csv")], env=env)
    try:
        steps["start"] = timed([str(NEO4J_LOCAL), "start", "--keep-data"], env=env)
        steps["kg_load_after"] = timed(kg_command("load", str(build), "--json"), env=load_env, keep_output=True)
        after = json.loads(steps["kg_load_after"].pop("output"))
        assert after["same_as_last_load"] and sum(after["unchanged"].values()) > 0, after
        driver = connect(Settings.from_env(load_env), retry_seconds=30)
        try:
            loaded = graph_counts(driver, "neo4j")[schema.CLAIM]
        finally:
            driver.close()
        assert loaded == claims, (loaded, claims)
    finally:
        subprocess.run([str(NEO4J_LOCAL), "stop"], env=env, capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
    steps["total"] = {"seconds": round(sum(step["seconds"] for step in steps.values()), 2)}
    return steps


def timed(command: list[str], env: dict | None = None, keep_output: bool = False) -> dict:
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env or os.environ, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    out = {"seconds": round(seconds, 2)}
    if keep_output:
        out["output"] = done.stdout
    return out


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import app; app()", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def print_size(result: dict, file=sys.stdout) -> None:
    bulk = result["bulk"]
    steps = ", ".join(f"{name} {step['seconds']:.1f} s" for name, step in bulk.items() if name != "total")
    print(f"{result['claims']:,} claims ({result['nodes']:,} nodes, {result['relationships']:,} relationships): "
          f"kg load {result['kg_load']['seconds']:.1f} s; bulk import {bulk['total']['seconds']:.1f} s ({steps})",
          file=file, flush=True)  # fmt: skip


def print_report(report: dict) -> None:
    m = report["machine"]
    print(f"machine: {m['cpus']} CPUs, load average {m['load_average_at_start']} at start")
    print(f"{'claims':>9}{'graph.json MB':>15}{'kg load s':>11}{'import total s':>16}{'of which import s':>19}{'winner':>13}")
    for r in report["sizes"]:
        bulk = r["bulk"]
        winner = "bulk import" if bulk["total"]["seconds"] < r["kg_load"]["seconds"] else "kg load"
        print(f"{r['claims']:>9,}{r['graph_json_mb']:>15}{r['kg_load']['seconds']:>11.1f}{bulk['total']['seconds']:>16.1f}"
              f"{bulk['import']['seconds']:>19.1f}{winner:>13}")  # fmt: skip


if __name__ == "__main__":
    main()
