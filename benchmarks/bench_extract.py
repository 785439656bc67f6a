"""Benchmark kg's extraction on one core: reading, extraction and the full build.

    python benchmarks/bench_extract.py [--articles 20000] [--size-kb 5] [--corpus DIR] [--json]
    python benchmarks/bench_extract.py --profile [--articles 2000]

A synthetic corpus is generated into a temporary folder (benchmarks/generate_corpus.py),
or an existing folder is reused with --corpus. Each stage then runs in its own fresh
Python process pinned to one CPU, single-threaded and in-process, so no stage inherits
another's warm caches or memory peak:

    floor    open, read and UTF-8-decode every file: the cost no reader can avoid
    sources  kg.sources.read_articles: front matter, dates, language, ids → Articles
    extract  kg.pipeline.extract_corpus: sources + the rule extractor, claims streamed away
    build    kg.pipeline.build: sources + extraction + the graph, all kept in memory

The catalogue and lexicon are loaded before the clock starts (their load time is shown
as `setup`). Peak memory is the process's maximum resident set (getrusage ru_maxrss).
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

STAGES = ("floor", "sources", "extract", "build")
AIM = 500  # articles/s of five-kilobyte articles on one core, for extraction
MB = 1e6


def main(argv: list[str] | None = None) -> None:
    """Command line: generate or reuse a corpus, run every stage, print the table."""
    args = parse_args(argv)
    if args.stage:
        print(json.dumps(run_stage(args.stage, Path(args.corpus), args.cpu)))
        return
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        corpus, generated = prepare_corpus(args, Path(scratch))
        if args.profile:
            profile_extraction(corpus, args.top)
            return
        report = benchmark(corpus, args.repeat, args.cpu)
        report["corpus"].update(generated)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="articles to generate (default 20000; 2000 with --profile)")
    parser.add_argument("--size-kb", type=float, default=5, help="about how big each article file is, in KB (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--format", choices=("md", "jsonl"), default="md", help="generated corpus format (default md)")
    parser.add_argument("--corpus", help="reuse this folder instead of generating one")
    parser.add_argument("--repeat", type=int, default=1, help="runs per stage; the fastest is reported (default 1)")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin the stages to (default: the last one allowed)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile the extraction in-process instead")
    parser.add_argument("--top", type=int, default=25, help="functions to list with --profile (default 25)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args(argv)
    if args.articles is None:
        args.articles = 2000 if args.profile else 20000
    return args


# -- the corpus -------------------------------------------------------------------------


def prepare_corpus(args: argparse.Namespace, scratch: Path) -> tuple[Path, dict]:
    """The folder to benchmark and how it was made: --corpus as given, else a fresh one."""
    if args.corpus:
        return Path(args.corpus), {"generated": False}
    from generate_corpus import generate

    folder = scratch / "corpus"
    started = time.perf_counter()
    generate(folder, args.articles, args.size_kb, args.seed, args.format)
    seconds = time.perf_counter() - started
    print(f"generated {args.articles} articles in {seconds:.1f} s", file=sys.stderr)
    return folder, {"generated": True, "seed": args.seed, "size_kb": args.size_kb, "generate_s": round(seconds, 2)}


def corpus_files(corpus: Path) -> list[Path]:
    """Every article file under ``corpus`` in the order kg reads them."""
    from kg.sources import find_files

    return [Path(found) for found in find_files([corpus]) if isinstance(found, str)]


def describe(corpus: Path) -> dict:
    """Files, bytes and format of the corpus."""
    files = corpus_files(corpus)
    return {
        "path": str(corpus),
        "files": len(files),
        "bytes": sum(file.stat().st_size for file in files),
        "formats": sorted({file.suffix for file in files}),
    }


# -- the parent: one child process per stage --------------------------------------------


def benchmark(corpus: Path, repeat: int, cpu: int | None) -> dict:
    """Run every stage ``repeat`` times in fresh processes; keep each stage's fastest run."""
    info, host = describe(corpus), machine()  # the load average before our own runs
    stages = {}
    for stage in STAGES:
        runs = [spawn(stage, corpus, cpu) for _ in range(max(1, repeat))]
        best = min(runs, key=lambda run: run["seconds"])
        stages[stage] = rates(best, info["bytes"])
        print(f"{stage:8} {stages[stage]['seconds']:8.2f} s", file=sys.stderr)
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": host,
        "corpus": info,
        "stages": stages,
        "derived": derived(stages),
        "aim": {"articles_per_s": AIM, "extract_articles_per_s": stages["extract"]["articles_per_s"],
                "extract_articles_per_cpu_s": stages["extract"]["articles_per_cpu_s"],
                "met": stages["extract"]["articles_per_s"] >= AIM},
    }


def spawn(stage: str, corpus: Path, cpu: int | None) -> dict:
    """Run one stage in a fresh interpreter and return what it measured."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--corpus", str(corpus)]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rates(run: dict, total_bytes: int) -> dict:
    """Add articles/s, MB/s and claims/s to a stage's raw measurements."""
    seconds = run["seconds"]
    return {
        **run,
        "articles_per_s": round(run["articles"] / seconds, 1),
        "articles_per_cpu_s": round(run["articles"] / max(run["cpu_seconds"], 1e-9), 1),
        "mb_per_s": round(total_bytes / MB / seconds, 2),
        "claims_per_s": round(run["claims"] / seconds, 1) if run["claims"] else None,
    }


def derived(stages: dict) -> dict:
    """Each stage's own cost (the difference of two runs) and its ratio to the floor."""
    floor = stages["floor"]["seconds"]
    own = {
        "reading (sources - floor)": stages["sources"]["seconds"] - floor,
        "extractor (extract - sources)": stages["extract"]["seconds"] - stages["sources"]["seconds"],
        "graph (build - extract)": stages["build"]["seconds"] - stages["extract"]["seconds"],
    }
    articles = stages["extract"]["articles"]
    return {
        "x_floor": {stage: round(stages[stage]["seconds"] / floor, 1) for stage in STAGES},
        "own_seconds": {name: round(seconds, 2) for name, seconds in own.items()},
        "own_articles_per_s": {name: round(articles / seconds, 1) if seconds > 0 else None for name, seconds in own.items()},
    }


def machine() -> dict:
    """What the figures were measured on, and which kg: other load skews them."""
    import platform

    from kg.extract import EXTRACTOR, compiled

    return {
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "kg": kg_version(),
        "extractor": EXTRACTOR,
        # the stages run in this environment: compiled modules (setup.py) or Python source
        "extractor_compiled": all(compiled.status().values()),
    }


def kg_version() -> str:
    """The commit of the kg checkout, with +dirty when kg/ has uncommitted changes."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--", "kg") else "")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown"


# -- the child: one stage, timed --------------------------------------------------------


def run_stage(stage: str, corpus: Path, cpu: int | None) -> dict:
    """Pin to one CPU, set the stage up, then time it. Runs in a fresh process."""
    allowed = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {allowed[-1] if cpu is None else cpu})
    started = time.perf_counter()
    job = STAGE_SETUP[stage](corpus)
    setup = time.perf_counter() - started
    rss_before = max_rss_mb()
    wall, cpu_start = time.perf_counter(), time.process_time()
    counts = job()
    seconds = time.perf_counter() - wall
    return {
        "stage": stage,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(time.process_time() - cpu_start, 3),
        "setup_s": round(setup, 3),
        "rss_before_mb": rss_before,
        "peak_rss_mb": max_rss_mb(),
        "cpu": min(os.sched_getaffinity(0)),
        **counts,
    }


def max_rss_mb() -> float:
    """This process's peak resident set so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def setup_floor(corpus: Path):
    """Read and decode every file, nothing more."""
    files = corpus_files(corpus)

    def job() -> dict:
        articles = 0
        for file in files:
            with open(file, "rb") as handle:
                text = handle.read().decode("utf-8")
            articles += text.count("\n") if file.suffix == ".jsonl" else 1
        return {"articles": articles, "claims": 0, "errors": 0}

    return job


def setup_sources(corpus: Path):
    """Turn every file into Articles."""
    from kg.model import SourceError
    from kg.sources import read_articles

    def job() -> dict:
        articles = errors = 0
        for item in read_articles([corpus]):
            if isinstance(item, SourceError):
                errors += 1
            else:
                articles += 1
        return {"articles": articles, "claims": 0, "errors": errors}

    return job


def setup_extract(corpus: Path):
    """Read and extract every article, dropping each result once counted."""
    from kg.extract import RuleExtractor, load_catalogue
    from kg.model import SourceError
    from kg.pipeline import extract_corpus

    extractor = RuleExtractor(load_catalogue())

    def job() -> dict:
        articles = claims = errors = 0
        for item in extract_corpus([corpus], extractor):
            if isinstance(item, SourceError):
                errors += 1
            else:
                articles += 1
                claims += len(item.claims)
        return {"articles": articles, "claims": claims, "errors": errors}

    return job


def setup_build(corpus: Path):
    """The whole build, graph included, everything held in memory as `kg build` does."""
    from kg.extract import load_catalogue
    from kg.pipeline import build

    catalogue = load_catalogue()

    def job() -> dict:
        result = build([corpus], catalogue)
        return {
            "articles": len(result.extractions),
            "claims": len(result.claims),
            "errors": len(result.errors),
            "nodes": result.graph.number_of_nodes(),
            "edges": result.graph.number_of_edges(),
        }

    return job


STAGE_SETUP = {"floor": setup_floor, "sources": setup_sources, "extract": setup_extract, "build": setup_build}


# -- output -----------------------------------------------------------------------------


def print_table(report: dict) -> None:
    """The report as a plain-text table."""
    corpus, stages = report["corpus"], report["stages"]
    host = report["machine"]
    built = "compiled" if host["extractor_compiled"] else "Python"
    print(f"kg extraction benchmark, {report['date']}, kg {host['kg']} ({host['extractor']}, {built}), "
          f"{host['cpu']}, Python {host['python']}, one core, load {host['load_avg_1min']}")
    print(f"corpus: {corpus['files']} files, {corpus['bytes'] / MB:.1f} MB, "
          f"{stages['extract']['articles']} articles ({corpus['path']})\n")
    header = (f"{'stage':8} {'seconds':>8} {'cpu s':>7} {'x floor':>8} {'articles/s':>11} {'MB/s':>7} "
              f"{'claims/s':>9} {'peak RSS MB':>12} {'setup s':>8}")
    print(header)
    print("-" * len(header))
    for name, stage in stages.items():
        claims = f"{stage['claims_per_s']:,.0f}" if stage["claims_per_s"] else "-"
        print(f"{name:8} {stage['seconds']:8.3f} {stage['cpu_seconds']:7.3f} {report['derived']['x_floor'][name]:8.1f} "
              f"{stage['articles_per_s']:11,.1f} {stage['mb_per_s']:7.2f} {claims:>9} "
              f"{stage['peak_rss_mb']:12.0f} {stage['setup_s']:8.2f}")
    print("\nown cost of each step (difference of two stages):")
    for name, seconds in report["derived"]["own_seconds"].items():
        rate = report["derived"]["own_articles_per_s"][name]
        shown = f"{rate:10,.1f} articles/s" if rate else "  (negative: the runs were disturbed; use --repeat)"
        print(f"  {name:32} {seconds:8.2f} s  {shown}")
    build = stages["build"]
    print(f"\nbuild: {build['claims']:,} claims, {build['nodes']:,} nodes, {build['edges']:,} edges, {build['errors']} errors")
    aim = report["aim"]
    verdict = "met" if aim["met"] else "NOT met"
    print(f"aim: >= {aim['articles_per_s']} articles/s extracted on one core: "
          f"{aim['extract_articles_per_s']:,.1f} articles/s, {verdict} "
          f"({aim['extract_articles_per_cpu_s']:,.1f} per CPU second)")


# -- profiling --------------------------------------------------------------------------


def profile_extraction(corpus: Path, top: int) -> None:
    """cProfile extract_corpus over the corpus (single process, this CPU) and print hotspots."""
    import cProfile
    import pstats

    job = setup_extract(corpus)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    counts = job()
    profiler.disable()
    seconds = time.perf_counter() - started
    print(f"profiled extract: {counts['articles']} articles, {counts['claims']} claims, "
          f"{seconds:.2f} s under cProfile (slower than unprofiled)\n")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    main()
