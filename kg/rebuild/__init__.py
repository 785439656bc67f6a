"""Scheduled, incremental rebuilds: ``kg rebuild``, ``kg status``, ``kg schedule``.

One module, one job:

* :mod:`~kg.rebuild.config`: ``kg.toml`` (sources, feeds, output, exports, Neo4j);
* :mod:`~kg.rebuild.feeds`: RSS/Atom over HTTP into the local archive;
* :mod:`~kg.rebuild.state`: the SQLite store of what was read and extracted;
* :mod:`~kg.rebuild.lock`: one run at a time;
* :mod:`~kg.rebuild.report`: the JSON run reports;
* :mod:`~kg.rebuild.run`: the rebuild itself, stage by stage.
"""
