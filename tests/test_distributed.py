"""kg's extractor mapped by Dask in its local mode (worker processes) gives exactly the
claims of ``kg extract``: the path past one machine (docs/scaling.md) starts from the same
pure function. Skipped when Dask is not installed (``pip install -e '.[distributed]'``; the
``test`` extra brings it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.sinks.files import claim_line

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"

pytest.importorskip("dask", reason="Dask is not installed (pip install -e '.[distributed]')")


def test_dask_in_local_processes_extracts_exactly_what_kg_extract_does():
    from kg.distributed import corpus_files, dask_extract

    expected = CliRunner().invoke(app, ["extract", str(EXAMPLES)])
    assert expected.exit_code == 0, expected.output
    claims, failures = dask_extract([EXAMPLES], partitions=4, scheduler="processes")
    assert failures == []
    assert len(corpus_files([EXAMPLES])) == 15
    assert "".join(claim_line(c) + "\n" for c in claims) == expected.stdout
