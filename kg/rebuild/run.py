"""One rebuild: fetch → read → extract → graph → files → exports → Neo4j.

* **fetch**: each feed into the archive (:mod:`kg.rebuild.feeds`);
* **read**: a file with the size and modification time it had when it was last hashed (and
  that time well before the hashing) is not even opened; any other file's bytes are hashed,
  and a file whose digest and extractor key are those of the last run is not parsed again
  (its articles come from the store); any other is read with kg's readers and each article
  gets its content digest (:func:`kg.rebuild.state.article_digest`);
* **extract**: only articles whose digest is new; the extractions are committed to the
  store in batches, with the file rows that list them, so a run killed half-way keeps what
  it extracted and the next run carries on;
* **graph**: the entity nodes and catalogue links of the current articles (everything else
  in the graph was serialised per article when it was extracted, :mod:`kg.rebuild.fragments`);
* **files** (``claims.jsonl``, ``graph.json``): an ordered scan of the stored fragments,
  byte-identical to what ``kg build`` writes; **exports** (HTML view, RDF) from the graph
  read back. Each file is written beside its target and renamed onto it, so a reader sees
  the old file or the new, never a part. They are rewritten only when the articles changed
  since they were last written in full (or a file is missing, or the export settings changed);
* **neo4j**: only the articles whose digest Neo4j does not hold yet are loaded (with the
  claims and entities hanging on them); an article deleted from the sources is removed with
  a pruning load of the whole graph. Nothing to sync means no connection at all.

A run that stops anywhere (``kill -9`` included) leaves the previous outputs in place: the
store says what is done, and the next run finishes the rest.

This module runs the stages in order (:func:`rebuild`) under the lock (:func:`rebuild_locked`);
each stage is a module of its own: read and extract :mod:`kg.rebuild.reading`, graph, files
and exports :mod:`kg.rebuild.outputs`, neo4j :mod:`kg.rebuild.sync`. How a run is asked to
go (``--full``, ``--strict``) is :class:`kg.rebuild.options.Options`.
"""

from __future__ import annotations

from pathlib import Path

from kg.exit_codes import ExitCode
from kg.extract import CatalogueError, RuleExtractor
from kg.rebuild.catalogue import catalogue_for
from kg.rebuild.config import Config
from kg.rebuild.lock import RunLock
from kg.rebuild.options import Options, Say, pause_point
from kg.rebuild.outputs import FILES_VERSION, plan_outputs, write_outputs
from kg.rebuild.reading import read_sources, remove_stale
from kg.rebuild.report import RunReport, save_report
from kg.rebuild.state import Store
from kg.rebuild.sync import sync_neo4j
from kg.sinks.spool import Spool


def rebuild_locked(
    config: Config, options: Options, *, wait: bool = False, timeout: float | None = None
) -> tuple[RunReport, Path]:
    """Take the lock (or raise :class:`kg.rebuild.lock.LockHeld`), run, save the report;
    return the report and where it was saved."""
    lock = RunLock(config.lock_file).acquire(
        wait=wait, timeout=timeout, on_wait=lambda holder: options.say(f"waiting: another rebuild is running ({holder})")
    )
    with lock:
        report = RunReport(config=str(config.path))
        try:
            rebuild(config, options, report)
        except KeyboardInterrupt:
            report.finish("interrupted", ExitCode.INTERRUPTED, "interrupted; the next run finishes the work")
            raise
        except CatalogueError as error:
            report.finish("failed", ExitCode.USAGE, str(error))
            raise
        except BaseException as error:
            report.finish("failed", ExitCode.FAILED, f"{type(error).__name__}: {error}")
            raise
        finally:
            saved = save_report(report, config.reports_folder, config.keep_reports)
    return report, saved


def rebuild(config: Config, options: Options, report: RunReport) -> RunReport:
    """Run every stage, filling ``report``; the exit code is ``report.exit_code``."""
    with report.stage("setup"):
        store = Store(config.state_file)
        try:
            catalogue, key = catalogue_for(config, store)
        except BaseException:
            store.close()
            raise
        report.extractor = key
    if store.reset:
        options.say(f"{config.state_file} was from another kg version or damaged: started anew (a full rebuild)")
    with store:
        with report.stage("fetch"):
            fetch_feeds(config, store, report, options.say)
        pause_point("fetch")
        files_version = store.get_meta(FILES_VERSION)
        if files_version != str(store.data_version):
            files_version = None  # the last run stopped before writing the files: they are written whole
        with Spool(config.state_file.parent) as spool:
            stopped = _run_stages(config, options, report, store, catalogue, key, spool, files_version)
    return stopped or report.finish(*outcome(report, options))


def _run_stages(config, options, report, store, catalogue, key, spool, files_version) -> RunReport | None:
    """Read, extract, store, write the outputs, sync Neo4j; the finished report if the run
    stops early. Pieces of the build files of what is extracted go to ``spool``."""
    reading = read_sources(config, store, RuleExtractor(catalogue), key, report, options, spool)
    if not reading.current:
        where = f"point [sources] paths in {config.path} at your articles"
        return report.finish("failed", ExitCode.NO_INPUT, f"no articles in any source: {where}; nothing was written")
    with report.stage("store"):
        remove_stale(store, reading, report)
        tasks = plan_outputs(config, store, reading, options, files_version)
    if tasks.outputs:
        write_outputs(config, store, tasks, catalogue, report, spool)
    with report.stage("store"):
        report.claims = store.claim_count()
    if tasks.neo4j:
        with report.stage("neo4j"):
            sync_neo4j(config, store, reading, catalogue, report, full=options.full)
    elif config.neo4j.sync:
        report.neo4j = {"sync": True, "mode": "skipped", "articles": 0, "transactions": 0}
    return None


def outcome(report: RunReport, options: Options) -> tuple[str, int, str]:
    """The run's status, exit code and one-line message."""
    stages = {failure.stage for failure in report.failures}
    if "neo4j" in stages:
        return "failures", ExitCode.UNREACHABLE, "Neo4j was not synced; the next run tries again"
    if "exports" in stages or "files" in stages:
        return "failures", ExitCode.FAILED, "some outputs were not written; the next run tries again"
    if report.failures:
        code = ExitCode.FAILED if options.strict else ExitCode.OK
        return "failures", code, f"{len(report.failures)} source(s) could not be read"
    return "ok", ExitCode.OK, ""


# --------------------------------------------------------------------------- fetch


def fetch_feeds(config: Config, store: Store, report: RunReport, say: Say) -> None:
    """Fetch every feed into the archive, within the run's fetch deadline; one feed's
    failure does not stop the others."""
    if not config.feeds:
        return
    from kg.rebuild.feeds import fetch_feeds as fetch_all
    from kg.rebuild.http import Fetcher

    states = [store.feed_state(feed.url) for feed in config.feeds]
    with Fetcher(config.fetch, config.max_bytes) as fetcher:
        results = fetch_all(fetcher, list(zip(config.feeds, states, strict=True)), config.archive)
    for state in states:
        store.save_feed_state(state)
    for feed, result in zip(config.feeds, results, strict=True):
        report.feeds.append(result.to_dict())
        for source, reason in result.failures:
            report.fail("fetch", source, reason)
        say(f"feed {feed.name}: {result.status}, {len(result.saved)} new item(s)")
