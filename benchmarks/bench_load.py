"""Benchmark loading claims into Neo4j: ``kg load`` against a naive loader, in the same run.

    python benchmarks/bench_load.py --wipe [--claims 100000] [--naive-claims 1000] [--runs 2]
    python benchmarks/bench_load.py --wipe --build DIR      # reuse a build folder (graph.json)

It needs a running Neo4j (``scripts/neo4j-local start``; the NEO4J_* variables as for kg)
and DELETES EVERYTHING in that database (hence ``--wipe``).

1. A corpus of about ``--claims`` claims: benchmarks/generate_corpus.py writes synthetic
   articles (about 31 claims each) and kg.pipeline builds them; without the generator, the
   examples' claims are copied under renamed article ids until there are enough.
2. ``kg load BUILD`` as a user runs it (a subprocess: reading graph.json, planning, the
   schema, every batch), on an empty database, ``--runs`` times (the first run after a
   server start also pays the JVM's warm-up).
3. The naive loader on a sample of whole articles with about ``--naive-claims`` claims:
   every node and every relationship of the sample is one ``MERGE`` in its own transaction
   (``session.execute_write`` per row), the way one writes a loader without thinking of
   batches.
4. Where the time goes: the ``kg load`` stages (from ``kg load --json``), the CPU seconds of
   the client process and of the server JVM (when it is the local one), and, with
   ``--statements``, one more in-process load that times every Cypher statement and every
   commit.

claims/s = claims in the build / wall time; rows/s counts nodes and relationships too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from kg.graph import schema  # noqa: E402
from kg.sinks.files import GRAPH_FILE, graph_document  # noqa: E402
from kg.sinks.neo4j import (  # noqa: E402
    Neo4jLoader,
    Settings,
    clear_database,
    connect,
    graph_counts,
    plan,
    quote,
    read_document,
)

AIM_CLAIMS_PER_SECOND = 5000
AIM_RATIO = 20
CLAIMS_PER_ARTICLE = 29  # a little under what generate_corpus.py's 5 KB articles give


def connect_to_wipe(wipe: bool):
    """The NEO4J_* server's settings and a driver, refusing a database that holds anything
    unless ``--wipe`` says the benchmark may delete it (every load benchmark does)."""
    settings = Settings.from_env()
    driver = connect(settings, retry_seconds=60)
    with driver.session(database=settings.database) as session:
        existing = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
    if existing and not wipe:
        raise SystemExit(
            f"{settings.where()} holds {existing:,} nodes; the benchmark deletes everything there: pass --wipe"
        )
    return settings, driver


def finish(driver, report: dict, json_path: str | None, print_report) -> None:
    """Close the driver, write the report as JSON where asked, print it."""
    driver.close()
    if json_path:
        Path(json_path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_report(report)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings, driver = connect_to_wipe(args.wipe)
    with tempfile.TemporaryDirectory(prefix="kg-bench-load-") as scratch:
        build_dir, corpus_note = prepare_build(args, Path(scratch))
        report = benchmark(driver, settings, build_dir, args)
        report["corpus"] = corpus_note
    finish(driver, report, args.json, print_report)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="about how many claims to load (default 100000)")
    parser.add_argument("--naive-claims", type=int, default=1000, help="claims in the naive loader's sample (default 1000)")
    parser.add_argument("--runs", type=int, default=2, help="clean kg load runs (default 2; the best counts)")
    parser.add_argument("--batch-size", type=int, default=None, help="kg load --batch-size (default: kg's default)")
    parser.add_argument("--writers", type=int, default=None, help="kg load --writers (default: kg's default)")
    parser.add_argument("--build", help="use this build folder (graph.json) instead of generating a corpus")
    parser.add_argument("--statements", action="store_true", help="also time every statement and commit (one more load)")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database first")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- the corpus


def prepare_build(args, scratch: Path) -> tuple[Path, dict]:
    if args.build:
        return Path(args.build), {"source": f"build folder {args.build}"}
    generator = HERE / "generate_corpus.py"
    out = scratch / "build"
    out.mkdir()
    t0 = time.perf_counter()
    if generator.is_file():
        articles = -(-args.claims // CLAIMS_PER_ARTICLE)
        corpus = scratch / "corpus"
        subprocess.run([sys.executable, str(generator), str(corpus), "--articles", str(articles)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        from kg.extract import load_catalogue
        from kg.pipeline import build

        result = build([corpus], load_catalogue())
        document = graph_document(result.graph)
        note = {"source": f"benchmarks/generate_corpus.py, {articles:,} articles, built by kg.pipeline"}
    else:
        document = synthesise(args.claims)
        note = {"source": "the examples' build, copied under renamed article ids (no generate_corpus.py)"}
    (out / GRAPH_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    note["seconds_to_make"] = round(time.perf_counter() - t0, 1)
    return out, note


def synthesise(claims: int) -> dict:
    """Copies of the examples' graph, each with its own article and claim ids."""
    from kg.extract import load_catalogue
    from kg.pipeline import build

    base = graph_document(build([ROOT / "examples" / "corpus"], load_catalogue()).graph)
    per_copy = sum(1 for n in base["nodes"] if n["label"] == schema.CLAIM)
    nodes: dict[str, dict] = {}
    edges: list[dict] = []
    for copy in range(-(-claims // per_copy)):

        def rename(node_id: str, copy=copy) -> str:
            return f"{node_id}~{copy}" if node_id.startswith(("article:", "claim:", "action:")) else node_id

        for node in base["nodes"]:
            node = dict(node, id=rename(node["id"]))
            if node["label"] == schema.CLAIM:
                node["article_id"] = rename(node["article_id"])
            if node["label"] == schema.ARTICLE:
                node["file"] = f"{node['file']}~{copy}"
                node["url"] = f"{node['url']}~{copy}" if node.get("url") else None
            nodes[node["id"]] = node
        edges += [dict(e, source=rename(e["source"]), target=rename(e["target"])) for e in base["edges"]]
    unique = {(e["type"], e["source"], e["target"]): e for e in edges}
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": list(nodes.values()), "edges": list(unique.values())}


# --------------------------------------------------------------------------- the runs


def benchmark(driver, settings: Settings, build_dir: Path, args) -> dict:
    document = read_document(build_dir / GRAPH_FILE)
    built = plan(document)
    claims = len(built.claims)
    rows = sum(len(n) for n in built.nodes.values()) + built.edges
    report: dict = {
        "machine": machine(),
        "server": server_info(driver, settings),
        "build": {"claims": claims, "articles": len(built.articles), "entities": len(built.entities),
                  "relationships": built.edges, "rows": rows},  # fmt: skip
        "kg_load": [],
    }
    for _ in range(args.runs):
        clear_database(driver, settings.database)
        report["kg_load"].append(run_kg_load(build_dir, args, claims, rows))
        counts = graph_counts(driver, settings.database)
        assert counts[schema.CLAIM] == claims, counts
    best = min(report["kg_load"], key=lambda r: r["seconds"])
    report["kg_load_best"] = best

    # loading the same build again: nothing to write
    report["kg_load_again"] = run_kg_load(build_dir, args, claims, rows)

    if args.statements:
        clear_database(driver, settings.database)
        report["statements"] = time_statements(driver, settings, built, args.batch_size)  # one writer: sums add up

    clear_database(driver, settings.database)
    sample = sample_document(document, args.naive_claims)
    report["naive"] = run_naive(driver, settings, sample)
    clear_database(driver, settings.database)
    report["ratio"] = round(best["claims_per_second"] / report["naive"]["claims_per_second"], 1)
    return report


def run_kg_load(build_dir: Path, args, claims: int, rows: int) -> dict:
    command = [sys.executable, "-c", "from kg.cli import app; app()", "load", str(build_dir), "--json"]
    if args.batch_size:
        command += ["--batch-size", str(args.batch_size)]
    if args.writers:
        command += ["--writers", str(args.writers)]
    server_before = server_cpu()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = server_cpu()
    if done.returncode != 0:
        raise SystemExit(f"kg load failed ({done.returncode}): {done.stderr.strip()}")
    load = json.loads(done.stdout)
    return {
        "seconds": round(seconds, 2),
        "claims_per_second": round(claims / seconds),
        "rows_per_second": round(rows / seconds),
        "transactions": load["transactions"],
        "stages": load["seconds"],
        "outside_the_loader": round(seconds - load["seconds"]["total"], 2),  # start-up, graph.json, plan
        "client_cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "server_cpu": round(server_after - server_before, 2) if server_before is not None else None,
    }


def time_statements(driver, settings, built, batch_size) -> dict:
    """One in-process load with every statement's and every commit's wall time summed."""
    from neo4j._sync.work.session import Session
    from neo4j._sync.work.transaction import ManagedTransaction

    spent: dict[str, float] = defaultdict(float)
    run, commit_tx = ManagedTransaction.run, Session.execute_write
    writing = [False]

    def timed_run(self, query, *a, **k):
        t0 = time.perf_counter()
        result = run(self, query, *a, **k)
        result._buffer_all()  # wait for the server's answer
        key = " ".join(query.split())[:90] if writing[0] else "reads (what the database holds)"
        spent[key] += time.perf_counter() - t0
        return result

    def timed_write(self, work, *a, **k):
        t0 = time.perf_counter()
        writing[0] = True
        try:
            return commit_tx(self, work, *a, **k)
        finally:
            writing[0] = False
            spent["execute_write total"] += time.perf_counter() - t0

    ManagedTransaction.run, Session.execute_write = timed_run, timed_write
    try:
        loader = Neo4jLoader(driver, settings.database, writers=1, **({"batch_size": batch_size} if batch_size else {}))
        t0 = time.perf_counter()
        loader.load(built)
        total = time.perf_counter() - t0
    finally:
        ManagedTransaction.run, Session.execute_write = run, commit_tx
    statements = sum(v for k, v in spent.items() if k not in ("execute_write total", "reads (what the database holds)"))
    return {
        "total": round(total, 2),
        "statements": {k: round(v, 2) for k, v in sorted(spent.items(), key=lambda kv: -kv[1]) if v >= 0.05},
        "commits_and_overhead": round(spent["execute_write total"] - statements, 2),
    }


# --------------------------------------------------------------------------- the naive loader


def sample_document(document: dict, claims_wanted: int) -> dict:
    """Whole articles (in id order) until they hold ``claims_wanted`` claims, with everything
    their claims and mentions touch."""
    by_id = {n["id"]: n for n in document["nodes"]}
    claims_of: dict[str, list[str]] = defaultdict(list)
    for node in document["nodes"]:
        if node["label"] == schema.CLAIM:
            claims_of[node["article_id"]].append(node["id"])
    keep: set[str] = set()
    count = 0
    for article in sorted(claims_of):
        keep.add(article)
        keep.update(claims_of[article])
        count += len(claims_of[article])
        if count >= claims_wanted:
            break
    edges = [e for e in document["edges"] if e["source"] in keep or e["target"] in keep]
    keep |= {e["source"] for e in edges} | {e["target"] for e in edges}
    links = [e for e in document["edges"] if e["type"] in (schema.MADE_BY, schema.AFFILIATED_WITH)
             and e["source"] in keep and e["target"] in keep]  # fmt: skip
    edges = list({(e["type"], e["source"], e["target"]): e for e in edges + links}.values())
    return {"nodes": [by_id[n] for n in sorted(keep)], "edges": edges}


def run_naive(driver, settings: Settings, sample: dict) -> dict:
    """One MERGE per node and per relationship, each in its own write transaction."""
    built = plan(sample)
    claims = len(built.claims)
    kind_of = built.kinds
    t0 = time.perf_counter()
    with driver.session(database=settings.database) as session:
        for kind in (schema.ENTITY, schema.ARTICLE, schema.CLAIM, schema.ACTION):
            for row in built.nodes[kind].values():
                extra = f", n:{quote(row.label)}" if row.label != kind else ""
                statement = f"MERGE (n:{quote(kind)} {{id: $id}}) SET n += $props{extra}"
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, id=r.id, props=r.props).consume())
        for edge in sample["edges"]:
            source, target = kind_of[edge["source"]], kind_of[edge["target"]]
            statement = (
                f"MATCH (s:{quote(source)} {{id: $s}}) MATCH (t:{quote(target)} {{id: $t}}) "
                f"MERGE (s)-[:{quote(edge['type'])}]->(t)"
            )
            session.execute_write(lambda tx, q=statement, e=edge: tx.run(q, s=e["source"], t=e["target"]).consume())
    seconds = time.perf_counter() - t0
    rows = sum(len(n) for n in built.nodes.values()) + len(sample["edges"])
    return {
        "claims": claims,
        "rows": rows,
        "transactions": rows,
        "seconds": round(seconds, 2),
        "claims_per_second": round(claims / seconds),
        "rows_per_second": round(rows / seconds),
    }


# --------------------------------------------------------------------------- context


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "driver": __import__("neo4j").__version__,
        "rust_extension": _has_rust_extension(),
    }


def _has_rust_extension() -> bool:
    try:
        import neo4j._rust  # noqa: F401
    except ImportError:
        return False
    return True


def server_info(driver, settings: Settings) -> dict:
    with driver.session(database=settings.database) as session:
        record = session.run("CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition").single()
    return {
        "neo4j": f"{record['v']} {record['edition']}",
        "uri": settings.uri,
        "heap_max": os.environ.get("NEO4J_HEAP_MAX", "1g (scripts/neo4j-local default)"),
        "pagecache_mb": os.environ.get("NEO4J_PAGECACHE_MB", "256 (scripts/neo4j-local default)"),
    }


def server_cpu() -> float | None:
    """CPU seconds of the local server's JVM so far (None when it is not ours)."""
    try:
        state = Path(os.environ.get("NEO4J_STATE") or ROOT / ".neo4j")
        pid = (state / "neo4j.pid").read_text().strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def print_report(report: dict) -> None:
    b, best, naive = report["build"], report["kg_load_best"], report["naive"]
    print(f"corpus: {report['corpus']['source']}")
    print(f"build: {b['claims']:,} claims, {b['articles']:,} articles, {b['entities']:,} entities, "
          f"{b['relationships']:,} relationships ({b['rows']:,} rows)")  # fmt: skip
    m = report["machine"]
    print(f"machine: {m['cpus']} CPUs, load average {m['load_average_at_start']} at start; "
          f"Neo4j {report['server']['neo4j']}, heap {report['server']['heap_max']}, page cache "
          f"{report['server']['pagecache_mb']} MB; driver {m['driver']}, rust extension {m['rust_extension']}")  # fmt: skip
    print()
    print(f"{'loader':<28}{'claims':>9}{'seconds':>9}{'claims/s':>10}{'rows/s':>9}{'transactions':>14}")
    for i, run in enumerate(report["kg_load"], 1):
        print(f"{f'kg load, run {i}':<28}{b['claims']:>9,}{run['seconds']:>9.1f}{run['claims_per_second']:>10,}"
              f"{run['rows_per_second']:>9,}{run['transactions']:>14,}")  # fmt: skip
    again = report["kg_load_again"]
    print(f"{'kg load, same build again':<28}{b['claims']:>9,}{again['seconds']:>9.1f}{'':>19}{again['transactions']:>14,}")
    print(f"{'naive (MERGE per row/tx)':<28}{naive['claims']:>9,}{naive['seconds']:>9.1f}{naive['claims_per_second']:>10,}"
          f"{naive['rows_per_second']:>9,}{naive['transactions']:>14,}")  # fmt: skip
    print()
    verdict = "meets" if best["claims_per_second"] >= AIM_CLAIMS_PER_SECOND and report["ratio"] >= AIM_RATIO else "misses"
    print(f"kg load (best run): {best['claims_per_second']:,} claims/s, {report['ratio']}× the naive loader "
          f"({verdict} the aim of >= {AIM_CLAIMS_PER_SECOND:,} claims/s and >= {AIM_RATIO}×)")  # fmt: skip
    print()
    print("where the time goes (best run):")
    stages = best["stages"]
    for name in ("schema", "reading", "entities", "articles", "claims", "removing"):
        if name in stages:
            print(f"  {name:<26}{stages[name]:>7.2f} s")
    print(f"  {'start-up, graph.json, plan':<26}{best['outside_the_loader']:>7.2f} s")
    print(f"  client CPU {best['client_cpu']:.1f} s, server CPU "
          + (f"{best['server_cpu']:.1f} s" if best["server_cpu"] is not None else "n/a (not the local server)")
          + f", wall {best['seconds']:.1f} s")  # fmt: skip
    if "statements" in report:
        print("  per statement (in-process load, summed over batches):")
        for statement, seconds in report["statements"]["statements"].items():
            print(f"    {seconds:7.2f} s  {statement}")
        commits = report["statements"]["commits_and_overhead"]
        print(f"    {commits:7.2f} s  commits (store, indexes, transaction log) and round trips")


if __name__ == "__main__":
    main()
