"""Benchmark `kg build` on one long article: the time must grow with the length, no faster.

    python benchmarks/bench_long.py [--sizes 1,2,4] [--big 50] [--json]

Each size (in MB) is a plain-text article made of the example corpus's prose repeated
(our own fiction, both languages), built with `kg build FILE --no-html --max-bytes …` in a
fresh process; the table gives seconds, MB/s and peak memory, and the ratio of each size's
time to the smallest's, which for a linear extractor stays near the ratio of the sizes.
`--big 50` adds one 50 MB article (about a minute, a few GB of memory for its graph).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples" / "corpus"
MB = 1e6


def prose() -> str:
    """The bodies of the example articles, front matter removed."""
    bodies = [path.read_text("utf-8").split("---", 2)[-1] for path in sorted(EXAMPLES.glob("*.md"))]
    return "\n\n".join(body.strip() for body in bodies)


def write_article(folder: Path, megabytes: float) -> Path:
    base = prose()
    copies = int(megabytes * MB / len(base.encode("utf-8"))) + 1
    path = folder / f"long-{megabytes:g}mb.txt"
    path.write_text("\n\n".join([base] * copies), encoding="utf-8")
    return path


def build(path: Path, out: Path) -> dict[str, float]:
    size = path.stat().st_size
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(path), "--out", str(out), "--no-html", "--max-bytes", str(size + 1)],
        capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kg build failed on {path.name}: {done.stderr.strip()[-400:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"mb": round(size / MB, 2), "seconds": round(seconds, 2), "mb_per_s": round(size / MB / seconds, 3),
            "peak_mb": round(max(peak, before) / 1024, 0)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,4", help="article sizes in MB, comma-separated (default 1,2,4)")
    parser.add_argument("--big", type=float, default=0, help="also build one article of this many MB (e.g. 50)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")] + ([args.big] if args.big else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-long-") as scratch:
        folder = Path(scratch)
        for megabytes in sizes:
            path = write_article(folder, megabytes)
            print(f"building {path.name} …", file=sys.stderr)
            rows.append(build(path, folder / f"build-{megabytes:g}"))
            path.unlink()
    first = rows[0]
    for row in rows:
        row["time_ratio"] = round(row["seconds"] / first["seconds"], 2)
        row["size_ratio"] = round(row["mb"] / first["mb"], 2)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'MB':>8} {'seconds':>9} {'MB/s':>7} {'peak MB':>8} {'size ×':>7} {'time ×':>7}")
    for row in rows:
        print(f"{row['mb']:>8} {row['seconds']:>9} {row['mb_per_s']:>7} {row['peak_mb']:>8.0f} "
              f"{row['size_ratio']:>7} {row['time_ratio']:>7}")


if __name__ == "__main__":
    main()
