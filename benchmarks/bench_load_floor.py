"""How far ``kg load``'s first load is from the least the server can do: the same nodes and
relationships written by the plainest CREATE statements, beside ``kg load``, in one run.

    python benchmarks/bench_load_floor.py --wipe --build DIR [--runs 3] [--without-actions]

It needs a running Neo4j (``scripts/neo4j-local start``; the NEO4J_* variables as for kg)
and DELETES EVERYTHING in that database (hence ``--wipe``).

Each run, on an emptied database with kg's schema:

1. **the floor**: every node CREATEd with the properties ``kg load`` writes (``kg_hash`` and
   ``day`` included), by label, 500 a transaction; then every relationship by type, 2,000 a
   transaction, each end found by its ``id`` (the unique constraint's index). One writer,
   the rows made before the clock starts, nothing read back, nothing checked. The nodes'
   and the relationships' server CPU are shown apart: the nodes' is what no loader that
   keeps the graph's properties and constraints can save; a relationship created in its
   node's own statement (as ``kg load`` does for new claims) costs less than one created
   by a pass of its own;
2. ``kg load BUILD`` as a user runs it (a fresh process), first load into the emptied
   database.

A warm-up run of both comes first and is not counted (``--no-warm-up`` skips it): a server's
first run of new statements compiles them. For each: wall seconds and the server JVM's CPU
seconds (the local server's, from ``NEO4J_STATE``); for ``kg load`` also the client's. The
server's CPU is the figure to compare: the wall of a shared 2-core machine moves with the
other work on it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_load import connect_to_wipe, finish, machine, server_cpu  # noqa: E402
from bench_load_baseline import describe, strip_actions, timed_load  # noqa: E402

from kg.graph import schema  # noqa: E402
from kg.sinks.neo4j import apply_schema, clear_database, plan, quote, read_document  # noqa: E402

NODES_A_TRANSACTION = 500
RELATIONSHIPS_A_TRANSACTION = 2000


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings, driver = connect_to_wipe(args.wipe)
    with tempfile.TemporaryDirectory(prefix="kg-bench-floor-") as scratch:
        build = strip_actions(Path(args.build), Path(scratch) / "build") if args.without_actions else Path(args.build)
        claims = describe(build)["claims"]
        work = floor_statements(build)
        report = {"machine": machine(), "build": describe(build), "runs": []}
        for run in range(args.runs + (not args.no_warm_up)):
            floor = time_floor(driver, settings.database, work)
            clear_database(driver, settings.database)
            load = timed_load(ROOT, build, claims)
            counted = run or args.no_warm_up
            if counted:
                report["runs"].append({"floor": floor, "kg_load": load})
            name = f"run {len(report['runs'])}" if counted else "warm-up"
            print(f"{name}: floor {floor['seconds']:.2f} s, server CPU "
                  f"{floor['server_cpu']} s (nodes {floor['nodes_server_cpu']}); kg load {load['seconds']:.2f} s, "
                  f"server CPU {load['server_cpu']} s, client CPU {load['client_cpu']} s", file=sys.stderr, flush=True)  # fmt: skip
        clear_database(driver, settings.database)
    finish(driver, report, args.json, print_report)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", required=True, help="the build folder (graph.json) to load")
    parser.add_argument("--runs", type=int, default=3, help="runs, each the floor then kg load (default 3)")
    parser.add_argument("--without-actions", action="store_true", help="leave out Action nodes and STATES, as bench_load_baseline.py does")
    parser.add_argument("--no-warm-up", action="store_true", help="count the first run too")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database first")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


def floor_statements(build: Path) -> tuple[list[tuple[str, list[dict]]], list[tuple[str, list[dict]]]]:
    """(statement, rows) for every transaction of the floor: the nodes' by label, and the
    relationships' by type and the kinds of their ends."""
    built = plan(read_document(build / "graph.json"))
    work: list[tuple[str, list[dict]]] = []
    for kind in schema.NODE_KINDS:
        by_label: dict[str, list[dict]] = {}
        for row in built.nodes[kind].values():
            by_label.setdefault(row.label, []).append(row.write_props())
        for label, rows in sorted(by_label.items()):
            labels = ":".join(quote(name) for name in dict.fromkeys((kind, label)))
            statement = f"UNWIND $rows AS row CREATE (n:{labels}) SET n = row"
            work += [(statement, rows[i : i + NODES_A_TRANSACTION]) for i in range(0, len(rows), NODES_A_TRANSACTION)]
    nodes, work = work, []
    edges: dict[tuple[str, str, str], list[dict]] = {}
    for rows in built.nodes.values():
        for row in rows.values():
            for rel_type, source, target in row.owned:
                edges.setdefault((rel_type, built.kinds[source], built.kinds[target]), []).append({"s": source, "t": target})
    for (rel_type, source, target), rows in sorted(edges.items()):
        statement = (f"UNWIND $rows AS row MATCH (s:{quote(source)} {{id: row.s}}) MATCH (t:{quote(target)} {{id: row.t}}) "
                     f"CREATE (s)-[:{quote(rel_type)}]->(t)")  # fmt: skip
        step = RELATIONSHIPS_A_TRANSACTION
        work += [(statement, rows[i : i + step]) for i in range(0, len(rows), step)]
    return nodes, work


def time_floor(driver, database: str, work) -> dict:
    """Wall and server CPU of the floor's transactions, the nodes' CPU apart."""
    clear_database(driver, database)
    apply_schema(driver, database)
    cpu = [server_cpu()]
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        for part in work:
            for statement, rows in part:
                session.execute_write(lambda tx, q=statement, r=rows: tx.run(q, rows=r).consume())
            cpu.append(server_cpu())
    seconds = time.perf_counter() - t0
    known = None not in cpu
    return {
        "seconds": round(seconds, 2),
        "transactions": sum(len(part) for part in work),
        "server_cpu": round(cpu[-1] - cpu[0], 2) if known else None,
        "nodes_server_cpu": round(cpu[1] - cpu[0], 2) if known else None,
    }


def print_report(report: dict) -> None:
    b, m, runs = report["build"], report["machine"], report["runs"]
    print(f"build: {b['claims']:,} claims, {b['articles']:,} articles, {b['entities']:,} entities, "
          f"{b['actions']:,} actions, {b['relationships']:,} relationships")  # fmt: skip
    print(f"machine: {m['cpus']} CPUs, load average {m['load_average_at_start']} at start")
    print()
    print(f"{'':<10}{'wall s (median)':>17}{'server CPU s (median, all)':>40}{'client CPU s':>14}")
    for name in ("floor", "kg_load"):
        wall = statistics.median(r[name]["seconds"] for r in runs)
        cpu = [r[name]["server_cpu"] for r in runs]
        known = [c for c in cpu if c is not None]
        middle = f"{statistics.median(known):.2f} ({', '.join(f'{c:.2f}' for c in known)})" if known else "n/a"
        client = f"{statistics.median(r[name]['client_cpu'] for r in runs):.2f}" if name == "kg_load" else ""
        print(f"{name:<10}{wall:>17.2f}{middle:>40}{client:>14}")
    nodes = statistics.median(r["floor"]["nodes_server_cpu"] or 0 for r in runs)
    print(f"floor's nodes alone: {nodes:.2f} server CPU s (median); its relationships the rest")


if __name__ == "__main__":
    main()
