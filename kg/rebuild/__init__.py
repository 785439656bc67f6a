"""Scheduled, incremental rebuilds: ``kg rebuild``, ``kg status``, ``kg schedule``.

One module, one job:

* :mod:`~kg.rebuild.config`: ``kg.toml`` (sources, feeds, output, exports, Neo4j);
* :mod:`~kg.rebuild.feeds`: RSS/Atom over HTTP into the local archive;
* :mod:`~kg.rebuild.state`: the SQLite store of what was read and extracted;
* :mod:`~kg.rebuild.lock`: one run at a time;
* :mod:`~kg.rebuild.report`: the JSON run reports;
* :mod:`~kg.rebuild.run`: the rebuild itself, its stages in order, under the lock;
* :mod:`~kg.rebuild.reading`: the read and extract stages (only what changed);
* :mod:`~kg.rebuild.outputs`: the graph, files and exports stages (only what is out of date);
* :mod:`~kg.rebuild.sync`: the Neo4j stage (only the articles Neo4j lacks);
* :mod:`~kg.rebuild.options`: how a run is asked to go (``--full``, ``--strict``, test pauses).
"""
