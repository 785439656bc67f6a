"""Peak memory of `kg build` as the corpus grows, against a baseline kg in the same run.

    python benchmarks/bench_memory.py                           # 20k, 50k, 100k articles; baseline 2k, 4k, 8k
    python benchmarks/bench_memory.py --sizes 2000,8000 --baseline-sizes 2000 --json
    python benchmarks/bench_memory.py --baseline /path/to/kg-checkout-venv/bin/kg

One corpus of the largest size is generated (benchmarks/generate_corpus.py; article n is the
same whatever the size), and each size reads its first n articles (a folder of links to
them). Each `kg build DIR --out ... --html ...` runs in its own process, this kg and then the
baseline (by default the kg of commit 8b16674 in ../wt-base/.venv, if it is there). For each
run: wall and CPU seconds, the peak resident memory of the kg process itself and of kg with
its worker processes together (sampled every 0.1 s from /proc), claims, graph.json and page
sizes, and peak MB per 1,000 articles. The baseline held the whole graph in memory (about
0.5 MB per article): measure it at sizes that fit the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from process_tree import run  # noqa: E402

DEFAULT_BASELINE = ROOT.parent / "wt-base" / ".venv" / "bin" / "kg"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as an installed kg runs
BASELINE_ENV = {k: v for k, v in ENV.items() if k != "PYTHONPATH"}  # the baseline runs its own kg, not one on this path


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="kg-bench-memory-"))
    sizes, baseline_sizes = _sizes(args.sizes), _sizes(args.baseline_sizes) if args.baseline else []
    corpus = corpus_of(work, max(sizes + baseline_sizes), args.corpus)
    kg = [sys.executable, "-c", "from kg.cli import app; app()"]
    rows = [measure("this kg", kg, corpus, n, work, args.workers) for n in sizes]
    rows += [measure("baseline", [args.baseline], corpus, n, work, None) for n in baseline_sizes]
    document = {"machine": _machine(), "commit": _commit(), "baseline": args.baseline, "runs": rows}
    print(json.dumps(document, indent=2) if args.json else table(rows))
    if not args.work and not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,50000,100000", help="articles per run of this kg (comma-separated)")
    parser.add_argument("--baseline-sizes", default="2000,4000,8000", help="articles per run of the baseline")
    parser.add_argument("--baseline", default=str(DEFAULT_BASELINE) if DEFAULT_BASELINE.exists() else "",
                        help="the baseline's kg command ('' for none)")
    parser.add_argument("--workers", type=int, help="kg build --workers (default: kg's own, one per core)")
    parser.add_argument("--corpus", help="a folder of generated articles to take the first n of (default: generate)")
    parser.add_argument("--work", help="work folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def log(message: str) -> None:
    print(f"bench_memory: {message}", file=sys.stderr, flush=True)


def corpus_of(work: Path, articles: int, given: str | None) -> Path:
    if given:
        return Path(given)
    from generate_corpus import generate

    corpus = work / "corpus"
    if not corpus.exists():
        log(f"generating {articles:,} articles ...")
        generate(corpus, articles, 5, 1)
    return corpus


def first_articles(corpus: Path, n: int, work: Path) -> Path:
    """A folder of links to the first ``n`` articles of ``corpus`` (sorted names)."""
    folder = work / f"first-{n}"
    if not folder.exists():
        folder.mkdir(parents=True)
        for path in sorted(corpus.iterdir())[:n]:
            (folder / path.name).symlink_to(path.resolve())
    return folder


def measure(who: str, kg: list[str], corpus: Path, n: int, work: Path, workers: int | None) -> dict:
    folder = first_articles(corpus, n, work)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    command = [*kg, "build", str(folder), "--out", str(out), "--html", str(out / "graph.html")]
    if workers and who == "this kg":
        command += ["--workers", str(workers)]
    log(f"{who}: kg build of {n:,} articles ...")
    done = run(command, env=ENV if who == "this kg" else BASELINE_ENV)
    if done.returncode != 0:
        sys.exit(f"bench_memory: {who} exited {done.returncode}:\n{done.stderr[-3000:]}")
    claims = sum(1 for _ in (out / "claims.jsonl").open("rb"))
    row = {
        "kg": who, "articles": n, "claims": claims, "wall_s": round(done.wall, 1), "cpu_s": round(done.cpu, 1),
        "peak_mb": round(done.peak_mb), "tree_peak_mb": round(done.tree_peak_mb),
        "mb_per_1000": round(done.tree_peak_mb / n * 1000, 1),
        "graph_json_mb": round((out / "graph.json").stat().st_size / 1e6, 1),
        "page_mb": round((out / "graph.html").stat().st_size / 1e6, 2),
    }  # fmt: skip
    log(f"{who}: {row}")
    shutil.rmtree(out, ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
    head = "| kg | articles | claims | wall s | cpu s | peak MB (kg) | peak MB (kg + workers) | MB per 1,000 articles | graph.json MB | page MB |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['kg']} | {r['articles']:,} | {r['claims']:,} | {r['wall_s']} | {r['cpu_s']} | {r['peak_mb']} | "
            f"{r['tree_peak_mb']} | {r['mb_per_1000']} | {r['graph_json_mb']} | {r['page_mb']} |"
        )
    return "\n".join(lines)


def _machine() -> dict:
    return {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(), "load": os.getloadavg()[0]}


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


if __name__ == "__main__":
    main()
