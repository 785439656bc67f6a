"""Benchmark ``kg load`` against the ``kg load`` of an older commit, side by side in one run.

    python benchmarks/bench_load_baseline.py --wipe [--claims 60000] [--runs 3] [--base 8b16674]
    python benchmarks/bench_load_baseline.py --wipe --build DIR     # reuse a build folder

It needs a running Neo4j (``scripts/neo4j-local start``; the NEO4J_* variables as for kg)
and DELETES EVERYTHING in that database (hence ``--wipe``).

1. The baseline: the tree of ``--base`` (default 8b16674, the commit issue 12 measures
   against) taken out with ``git archive`` into a scratch folder and run with this Python
   (its dependencies are a subset of today's), so only kg's own code differs.
2. A build of about ``--claims`` claims: benchmarks/generate_corpus.py's articles, built by
   today's ``kg build``. The baseline predates analyst actions and refuses a graph with
   Action nodes, so both loaders load the same graph.json without them (Action nodes and
   STATES relationships taken out): like with like. Today's loader also loads the whole
   build, actions included, once a run (``--no-actions-run`` skips it).
3. A warm-up: a first and an unchanged load by each loader, not counted (``--no-warm-up``
   skips it). On a freshly started server the first loads are measured while its JIT
   compiles, which made the baseline look twice as slow as it is.
4. Each run, in alternating order (baseline first in odd runs, today's first in even ones):
   for each loader an empty database, ``kg load BUILD`` (the first load), then ``kg load
   BUILD`` again (unchanged: nothing to write). Every load is a fresh ``kg load`` process,
   as a user runs it: start-up, reading graph.json and planning count.
5. claims/s = claims in the build / wall seconds of the process; the ratios are baseline
   seconds / today's seconds, pair by pair (same run), and their median is the figure to
   quote: the machine's speed drifts between runs, less within one.

The server's CPU seconds are shown when it is the local one (``NEO4J_STATE``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_load import connect_to_wipe, finish, machine, server_cpu, server_info  # noqa: E402

from kg.graph import schema  # noqa: E402
from kg.sinks.neo4j import Settings, clear_database, graph_counts  # noqa: E402

BASE = "8b16674"
CLAIMS_PER_ARTICLE = 34.6  # what generate_corpus.py's 5 KB articles give today's extractor
AIMS = {"first_ratio": 3.5, "again_ratio": 4.5, "first_claims_per_second": 5000, "again_claims_per_second": 20000}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings, driver = connect_to_wipe(args.wipe)
    with tempfile.TemporaryDirectory(prefix="kg-bench-base-") as scratch:
        scratch = Path(scratch)
        base = checkout(args.base, scratch / "base")
        whole, corpus_note = prepare_build(args, scratch)
        without = strip_actions(whole, scratch / "without-actions")
        report = {
            "machine": machine(),
            "server": server_info(driver, settings),
            "base": args.base,
            "corpus": corpus_note,
            "build": describe(without),
            "build_with_actions": describe(whole),
            "runs": [],
        }
        if not args.no_warm_up:  # not counted: the server's JIT would charge its warm-up to whichever loads first
            for code in (base, ROOT):
                first_and_again(driver, settings, code, without, report["build"]["claims"])
        for run in range(args.runs):
            order = [("base", base), ("new", ROOT)] if run % 2 == 0 else [("new", ROOT), ("base", base)]
            result: dict = {}
            for name, code in order:
                result[name] = first_and_again(driver, settings, code, without, report["build"]["claims"])
            if not args.no_actions_run:
                result["new_with_actions"] = first_and_again(driver, settings, ROOT, whole, report["build_with_actions"]["claims"])
            report["runs"].append(result)
            print_run(run + 1, result, file=sys.stderr)
        clear_database(driver, settings.database)
    report["summary"] = summarise(report)
    finish(driver, report, args.json, print_report)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=60_000, help="about how many claims to load (default 60000)")
    parser.add_argument("--runs", type=int, default=3, help="runs, each loading with both (default 3)")
    parser.add_argument("--base", default=BASE, help=f"the baseline commit (default {BASE})")
    parser.add_argument("--build", help="use this build folder (graph.json) instead of generating a corpus")
    parser.add_argument("--no-actions-run", action="store_true", help="skip today's load of the build with its actions")
    parser.add_argument("--no-warm-up", action="store_true", help="skip the uncounted first loads by each loader")
    parser.add_argument("--wipe", action="store_true", help="allow deleting everything in the database first")
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- the code and the build


def checkout(commit: str, out: Path) -> Path:
    """The tree of ``commit`` in ``out`` (git archive: no worktree, nothing registered)."""
    out.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def prepare_build(args, scratch: Path) -> tuple[Path, dict]:
    if args.build:
        return Path(args.build), {"source": f"build folder {args.build}"}
    articles = round(args.claims / CLAIMS_PER_ARTICLE)
    corpus, out = scratch / "corpus", scratch / "build"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), str(corpus), "--articles", str(articles)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    kg(ROOT, "build", str(corpus), "--out", str(out), "--no-html")
    note = {"source": f"benchmarks/generate_corpus.py, {articles:,} articles, built by kg build",
            "seconds_to_make": round(time.perf_counter() - t0, 1)}  # fmt: skip
    return out, note


def strip_actions(build: Path, out: Path) -> Path:
    """The build's graph.json without Action nodes and STATES relationships (what the
    baseline can load), written as kg writes graph.json."""
    document = json.loads((build / "graph.json").read_text("utf-8"))
    document["nodes"] = [n for n in document["nodes"] if n.get("label") != schema.ACTION]
    document["edges"] = [e for e in document["edges"] if e.get("type") != schema.STATES]
    out.mkdir()
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    (out / "graph.json").write_text(text, encoding="utf-8")
    return out


def describe(build: Path) -> dict:
    document = json.loads((build / "graph.json").read_text("utf-8"))
    labels = [n.get("label") for n in document["nodes"]]
    return {
        "claims": labels.count(schema.CLAIM),
        "actions": labels.count(schema.ACTION),
        "articles": labels.count(schema.ARTICLE),
        "entities": sum(label in schema.ENTITY_LABELS for label in labels),
        "relationships": len(document["edges"]),
        "graph_json_mb": round((build / "graph.json").stat().st_size / 1e6, 1),
    }


# --------------------------------------------------------------------------- the loads


def first_and_again(driver, settings: Settings, code: Path, build: Path, claims: int) -> dict:
    clear_database(driver, settings.database)
    first = timed_load(code, build, claims)
    loaded = graph_counts(driver, settings.database)[schema.CLAIM]
    if loaded != claims:
        raise SystemExit(f"{code}: the database holds {loaded:,} claims after the load, the build {claims:,}")
    again = timed_load(code, build, claims)
    return {"first": first, "again": again}


def timed_load(code: Path, build: Path, claims: int) -> dict:
    """One ``kg load BUILD`` process of the kg in ``code``: wall, client and server CPU."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    server_before = server_cpu()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = kg(code, "load", str(build), env=env, check=False)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = server_cpu()
    if done.returncode != 0:
        raise SystemExit(f"kg load of {code} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return {
        "seconds": round(seconds, 2),
        "claims_per_second": round(claims / seconds),
        "client_cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "server_cpu": round(server_after - server_before, 2) if server_before is not None else None,
    }


def kg(code: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """``kg ARGS`` from the tree ``code``, in a fresh interpreter."""
    command = [sys.executable, "-c", "from kg.cli import app; app()", *args]
    return subprocess.run(command, cwd=code, env=env or {**os.environ, "PYTHONPATH": str(code)},
                          capture_output=True, text=True, check=check)  # fmt: skip


# --------------------------------------------------------------------------- the report


def summarise(report: dict) -> dict:
    runs = report["runs"]
    out: dict = {}
    for load in ("first", "again"):
        base = [r["base"][load]["seconds"] for r in runs]
        new = [r["new"][load]["seconds"] for r in runs]
        ratios = sorted(b / n for b, n in zip(base, new, strict=True))
        claims = report["build"]["claims"]
        out[load] = {
            "base_claims_per_second": round(claims / statistics.median(base)),
            "new_claims_per_second": round(claims / statistics.median(new)),
            "ratio_median": round(statistics.median(ratios), 2),
            "ratio_min": round(ratios[0], 2),
            "ratio_max": round(ratios[-1], 2),
        }
        if runs and "new_with_actions" in runs[0]:
            seconds = statistics.median(r["new_with_actions"][load]["seconds"] for r in runs)
            out[load]["new_with_actions_claims_per_second"] = round(report["build_with_actions"]["claims"] / seconds)
    return out


def print_run(number: int, result: dict, file=sys.stdout) -> None:
    for name, loads in result.items():
        line = ", ".join(f"{load} {loads[load]['seconds']:.2f} s ({loads[load]['claims_per_second']:,} claims/s, "
                         f"server CPU {loads[load]['server_cpu']} s)" for load in ("first", "again"))  # fmt: skip
        print(f"run {number}, {name}: {line}", file=file, flush=True)


def print_report(report: dict) -> None:
    b, m = report["build"], report["machine"]
    print(f"corpus: {report['corpus']['source']}")
    print(f"build: {b['claims']:,} claims, {b['articles']:,} articles, {b['entities']:,} entities, "
          f"{b['relationships']:,} relationships, graph.json {b['graph_json_mb']} MB, without actions "
          f"({report['build_with_actions']['actions']:,} actions in the whole build)")  # fmt: skip
    print(f"machine: {m['cpus']} CPUs, load average {m['load_average_at_start']} at start; Neo4j "
          f"{report['server']['neo4j']}, heap {report['server']['heap_max']}, page cache {report['server']['pagecache_mb']} MB")  # fmt: skip
    print(f"baseline: kg load of {report['base']}; {len(report['runs'])} runs, alternating")
    print()
    print(f"{'load':<8}{'baseline claims/s':>19}{'kg load claims/s':>18}{'ratio (median, min-max)':>26}{'aim':>8}")
    for load in ("first", "again"):
        s = report["summary"][load]
        aim = AIMS[f"{load}_ratio"]
        verdict = "met" if s["ratio_median"] >= aim else "missed"
        print(f"{load:<8}{s['base_claims_per_second']:>19,}{s['new_claims_per_second']:>18,}"
              f"{s['ratio_median']:>12.2f}× ({s['ratio_min']:.2f}-{s['ratio_max']:.2f}){'':>3}"
              f"≥ {aim}× {verdict}")  # fmt: skip
    print()
    for load in ("first", "again"):
        s = report["summary"][load]
        aim = AIMS[f"{load}_claims_per_second"]
        verdict = "met" if s["new_claims_per_second"] >= aim else "missed"
        extra = ""
        if "new_with_actions_claims_per_second" in s:
            extra = f"; with actions {s['new_with_actions_claims_per_second']:,} claims/s"
        print(f"absolute, {load} load: {s['new_claims_per_second']:,} claims/s (aim ≥ {aim:,}: {verdict}){extra}")


if __name__ == "__main__":
    main()
