"""kg init, kg rebuild, kg status, kg schedule: scheduled incremental rebuilds from kg.toml
See docs/rebuild.md.

Exit codes (:class:`kg.exit_codes.ExitCode`): 0 done, 1 an output failed (or ``--strict``
and a source failed), 2 bad kg.toml, 3 no articles, 4 Neo4j not synced, 5 another rebuild
holds the lock, 130 interrupted; docs/rebuild.md says more of each.
"""

from __future__ import annotations

import json
import re
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kg.cli.common import Strict, add_row, fail, json_flag, plain_console, say
from kg.exit_codes import ExitCode
from kg.extract import CatalogueError
from kg.rebuild.config import CONFIG_FILE, Config, ConfigError, example_config, load_config
from kg.rebuild.lock import LockHeld, is_locked
from kg.rebuild.options import Options
from kg.rebuild.report import COUNTS, RunReport, latest_report
from kg.rebuild.run import rebuild_locked

ConfigPath = Annotated[
    Path,
    typer.Option(
        "--config", envvar="KG_CONFIG", metavar="FILE", help="The configuration file (kg init writes an example)."
    ),
]
AsJson = Annotated[bool, json_flag("the run report")]


def _config_or_exit(path: Path) -> Config:
    try:
        return load_config(path)
    except ConfigError as error:
        raise fail(str(error), ExitCode.USAGE) from None


# --------------------------------------------------------------------------- kg init


def init_command(
    config_path: Annotated[
        Path | None,
        # no KG_CONFIG here: kg init writes a file, and only where it is told to
        typer.Option("--config", metavar="FILE", help="Where to write the example configuration. Default: kg.toml."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    path: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="The same as --config: the older form, still works.", show_default=False),
    ] = None,
) -> None:
    """Write a commented example kg.toml (sources, feeds, output, exports, Neo4j).

    Example: [bold]kg init && kg rebuild[/], or [bold]kg init --config /srv/kg/kg.toml[/]
    """
    if config_path is not None and path is not None and config_path != path:
        raise fail(f"the file is given twice ({path} and --config {config_path}): give one", ExitCode.USAGE)
    path = config_path or path or Path(CONFIG_FILE)
    if path.exists() and not force:
        raise fail(f"{path} already exists; kg init does not overwrite it without --force", ExitCode.USAGE)
    from kg.sinks.files import write_atomic

    text, note = example_config(path.resolve().parent)
    write_atomic(path, text)
    say(("wrote", "green"), f" {path}; ", ("kg rebuild", "bold"), f" runs it as it is. {note}.")


# --------------------------------------------------------------------------- kg rebuild


def rebuild_command(
    config_path: ConfigPath = Path(CONFIG_FILE),
    wait: Annotated[bool, typer.Option("--wait", help="If another rebuild is running, wait for it instead of exiting 5.")] = False,
    wait_timeout: Annotated[
        float | None,
        typer.Option("--wait-timeout", min=0, metavar="SECONDS", help="With --wait: give up (exit 5) after this many seconds."),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Extract every article again, rewrite every output, reload Neo4j with pruning.")
    ] = False,
    strict: Strict = False,
    as_json: AsJson = False,
) -> None:
    """Fetch feeds, extract only new or changed articles, refresh the outputs, sync Neo4j.

    Safe to run from cron: one run at a time (a second exits 5, or waits with --wait).

    A run stopped at any point leaves the previous outputs intact; the next run finishes the work.

    Each run writes a JSON report; kg status shows the latest. See docs/rebuild.md.

    Exit codes: 0 done, 1 an output failed (or --strict and a source failed), 2 bad kg.toml,
    3 no articles, 4 Neo4j not synced, 5 another rebuild is running, 130 interrupted.

    Example: [bold]kg rebuild --config /srv/kg/kg.toml[/]
    """
    config = _config_or_exit(config_path)
    options = Options(full=full, strict=strict, say=say)
    code = run_once(config, options, wait=wait, timeout=wait_timeout, as_json=as_json)
    raise typer.Exit(code)


def run_once(config: Config, options: Options, *, wait: bool, timeout: float | None, as_json: bool) -> int:
    """One locked rebuild with its summary printed; returns the exit code."""
    try:
        report, saved = rebuild_locked(config, options, wait=wait, timeout=timeout)
    except LockHeld as error:
        say(("busy:", "bold yellow"), f" {error} (exit {ExitCode.LOCKED}; use --wait to wait for it)")
        return ExitCode.LOCKED
    except CatalogueError as error:
        say(("error:", "bold red"), f" {error}")
        return ExitCode.USAGE
    except KeyboardInterrupt:
        say(("interrupted", "yellow"), ": the previous outputs are intact; the next run finishes the work")
        return ExitCode.INTERRUPTED
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    print_summary(report, saved)
    return report.exit_code or ExitCode.OK


def print_summary(report: RunReport, saved: Path) -> None:
    counts = ", ".join(f"{report.counts[name]} {name}" for name in COUNTS if report.counts[name] or name != "duplicates")
    colour = {"ok": "green", "failures": "yellow"}.get(report.status, "red")
    headline = {"ok": "rebuilt", "failures": "rebuilt, with failures"}.get(report.status, f"rebuild {report.status}")
    say((headline, colour), f" in {report.total_seconds:.1f} s: {counts}; {report.articles} articles, {report.claims} claims")
    if report.message:
        say(f"  {report.message}")
    if report.outputs.get("written"):
        say(f"  wrote {len(report.outputs['files'])} file(s): " + ", ".join(report.outputs["files"]))
    elif report.status in ("ok", "failures"):
        say("  outputs up to date (nothing written)")
    else:
        say("  nothing written")
    if report.neo4j.get("sync"):
        say(f"  neo4j: {report.neo4j.get('mode')}, {report.neo4j.get('transactions', 0)} write transaction(s)")
    for failure in report.failures:
        say("  ", ("failed", "yellow"), f" {failure.stage} {failure.source}: {failure.reason}")
    say(f"  report: {saved}")


# --------------------------------------------------------------------------- kg status


def status_command(config_path: ConfigPath = Path(CONFIG_FILE), as_json: AsJson = False) -> None:
    """Show the latest rebuild's report: when, what it counted, each stage's time, what failed.

    Exit 3 if no rebuild has run yet. Example: [bold]kg status --json[/]
    """
    config = _config_or_exit(config_path)
    report = latest_report(config.reports_folder)
    running = is_locked(config.lock_file)
    if report is None:
        message = "no rebuild has run yet" + (" (one is running now)" if running else "") + f"; reports go to {config.reports_folder}"
        raise fail(message, ExitCode.NO_INPUT)
    if as_json:
        print(json.dumps({**report, "running_now": running}, ensure_ascii=False, indent=2))
        return
    plain_console(width=120).print(status_table(report, running))


def status_table(report: dict[str, Any], running: bool) -> Table:
    """The latest report as a two-column table."""
    table = Table("", "latest rebuild", show_header=True, title="kg status")
    add_row(table, "status", f"{report.get('status')} (exit {report.get('exit_code')})" + (" — a rebuild is running now" if running else ""))
    add_row(table, "started", str(report.get("started")))
    add_row(table, "ended", str(report.get("ended")))
    add_row(table, "articles", f"{report.get('articles', 0)} in the graph, {report.get('claims', 0)} claims")
    for name in COUNTS:
        add_row(table, name, str(report.get("counts", {}).get(name, 0)))
    seconds = report.get("seconds", {})
    add_row(table, "seconds", ", ".join(f"{stage} {value:.2f}" for stage, value in seconds.items()))
    for feed in report.get("feeds", []):
        answer = f"HTTP {feed['http_status']}" if feed.get("http_status") else "no answer"
        add_row(table, "feed", f"{feed['name']}: {feed['status']} ({answer}), {feed['saved']} new, {feed['requests']} request(s)")
    neo4j = report.get("neo4j", {})
    if neo4j.get("sync"):
        add_row(table, "neo4j", f"{neo4j.get('mode')}, {neo4j.get('transactions', 0)} write transaction(s)")
    for failure in report.get("failures", [])[:20]:
        add_row(table, f"failed ({failure['stage']})", f"{failure['source']}: {failure['reason']}")
    if len(report.get("failures", [])) > 20:
        add_row(table, "", f"… and {len(report['failures']) - 20} more (kg status --json)")
    if report.get("message"):
        add_row(table, "message", report["message"])
    return table


# --------------------------------------------------------------------------- kg schedule

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in an interval such as ``30m``, ``1h30m``, ``90s``, ``1d``.

    >>> parse_interval("30m"), parse_interval("1h30m"), parse_interval("45s")
    (1800.0, 5400.0, 45.0)
    """
    compact = text.replace(" ", "").lower()
    parts = _INTERVAL.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"{text!r} is not an interval: write e.g. 30m, 1h, 1h30m, 90s or 1d")
    seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds < 1:
        raise ValueError(f"{text!r} is shorter than a second")
    return seconds


class _Stop:
    """First Ctrl-C (or SIGTERM): stop after the current run. Second: abort the run."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        say(("stopping", "yellow"), " after the current run (Ctrl-C again to abort it; that is safe too)")


def schedule_command(
    every: Annotated[str, typer.Option("--every", metavar="INTERVAL", help="How often: 30m, 1h, 1h30m, 90s, 1d.")] = "30m",
    config_path: ConfigPath = Path(CONFIG_FILE),
    max_runs: Annotated[int | None, typer.Option("--max-runs", min=1, metavar="N", help="Stop after this many runs.")] = None,
) -> None:
    """Run kg rebuild now and then every --every, in this process (for a service or a container).

    kg.toml is read again before each run; a run that finds another rebuild running is skipped.

    Ctrl-C or SIGTERM stops after the current run (a second one aborts it, which is safe).

    Example: [bold]kg schedule --every 30m --config /srv/kg/kg.toml[/]
    """
    import schedule

    try:
        seconds = parse_interval(every)
    except ValueError as error:
        raise fail(str(error), ExitCode.USAGE) from None
    _config_or_exit(config_path)  # a bad file is an error now, not at the first run
    stop = _Stop()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    runs = 0

    def job() -> None:
        nonlocal runs
        runs += 1
        scheduled_run(config_path)

    scheduler = schedule.Scheduler()
    scheduler.every(seconds).seconds.do(job)
    say(f"scheduling kg rebuild every {every} ({seconds:g} s); Ctrl-C to stop")
    try:
        job()
        while not stop.requested and (max_runs is None or runs < max_runs):
            scheduler.run_pending()
            time.sleep(max(0.0, min(1.0, scheduler.idle_seconds or 0.0)))
    except KeyboardInterrupt:
        say(("aborted", "yellow"), ": the previous outputs are intact; the next run finishes the work")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    say(f"stopped after {runs} run(s)")


def scheduled_run(config_path: Path) -> int:
    """One run of the schedule: read kg.toml again, rebuild (skipped if busy), never raise."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    say((stamp, "bold"), " rebuild")
    try:
        config = load_config(config_path)
    except ConfigError as error:
        say(("error:", "bold red"), f" {error}; run skipped")
        return ExitCode.USAGE
    options = Options(say=say)
    try:
        return run_once(config, options, wait=False, timeout=None, as_json=False)
    except KeyboardInterrupt:
        raise
    except Exception as error:  # a service keeps going: the next run may well succeed
        say(("run failed:", "bold red"), f" {type(error).__name__}: {error}")
        sys.stderr.flush()
        return 1
