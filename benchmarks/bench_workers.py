"""`kg build --workers 1` against `--workers N` (default 2) on the same corpus, in one run.

    python benchmarks/bench_workers.py                    # 4,000 generated articles, 2 workers, 2 rounds
    python benchmarks/bench_workers.py --articles 8000 --workers 2 --rounds 3 --json
    python benchmarks/bench_workers.py --corpus DIR

Each round runs both, one after the other, each `kg build DIR --out ... --html ...` in its
own process; the speed-up is the median wall time of 1 worker over that of N. The outputs of
the two (claims.jsonl, graph.json) are compared byte for byte. The issue's aim: 2 workers
≥ 1.7× one on a 2-core machine. On a machine shared with other work, compare `cpu s` with
`wall s` (and the load average): the ratio is only as quiet as the cores.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from process_tree import run  # noqa: E402

AIM = 1.7
KG = [sys.executable, "-c", "from kg.cli import app; app()"]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="kg-bench-workers-"))
    corpus = Path(args.corpus) if args.corpus else generated(work, args.articles)
    runs: dict[int, list] = {1: [], args.workers: []}
    for round_ in range(args.rounds):
        for workers in (1, args.workers):
            log(f"round {round_ + 1}: --workers {workers} ...")
            done = run([*KG, "build", str(corpus), "--out", str(work / f"out-{workers}"), "--html", str(work / f"page-{workers}.html"),
                        "--workers", str(workers)], env=ENV)  # fmt: skip
            if done.returncode != 0:
                sys.exit(f"bench_workers: kg build exited {done.returncode}:\n{done.stderr[-3000:]}")
            runs[workers].append(done)
            log(f"--workers {workers}: {done.wall:.1f} s wall, {done.cpu:.1f} s CPU")
    same = all(filecmp.cmp(work / "out-1" / name, work / f"out-{args.workers}" / name, shallow=False)
               for name in ("claims.jsonl", "graph.json"))  # fmt: skip
    document = summary(args, runs, same)
    print(json.dumps(document, indent=2) if args.json else table(document))
    if not args.work and not args.keep:
        shutil.rmtree(work, ignore_errors=True)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as an installed kg runs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=4000, help="articles to generate (default 4000)")
    parser.add_argument("--workers", type=int, default=2, help="the N to compare with 1 (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each (default 2)")
    parser.add_argument("--corpus", help="a folder of articles instead of a generated corpus")
    parser.add_argument("--work", help="work folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"bench_workers: {message}", file=sys.stderr, flush=True)


def generated(work: Path, articles: int) -> Path:
    from generate_corpus import generate

    corpus = work / "corpus"
    if not corpus.exists():
        log(f"generating {articles:,} articles ...")
        generate(corpus, articles, 5, 1)
    return corpus


def summary(args: argparse.Namespace, runs: dict[int, list], same: bool) -> dict:
    one, many = (statistics.median(r.wall for r in runs[n]) for n in (1, args.workers))
    return {
        "articles": args.articles if not args.corpus else None,
        "cpus": len(os.sched_getaffinity(0)),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "runs": {str(n): [{"wall_s": round(r.wall, 1), "cpu_s": round(r.cpu, 1), "tree_peak_mb": round(r.tree_peak_mb)} for r in rs]
                 for n, rs in runs.items()},  # fmt: skip
        "median_wall_s": {"1": round(one, 1), str(args.workers): round(many, 1)},
        "speedup": round(one / many, 2),
        "identical_outputs": same,
        "aim": AIM,
        "meets_aim": one / many >= AIM,
    }


def table(document: dict) -> str:
    lines = ["| workers | runs: wall s (cpu s) | median wall s |", "|---:|---|---:|"]
    for n, rows in document["runs"].items():
        cells = ", ".join(f"{r['wall_s']} ({r['cpu_s']})" for r in rows)
        lines.append(f"| {n} | {cells} | {document['median_wall_s'][n]} |")
    verdict = "meets" if document["meets_aim"] else "misses"
    lines += ["", f"speed-up: {document['speedup']}× ({verdict} the aim of ≥ {document['aim']}×); "
              f"outputs identical: {document['identical_outputs']}; {document['cpus']} CPUs, load {document['load_average_1min']}"]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
