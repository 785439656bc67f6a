"""The kg command line as a user runs it: build, extract, eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
CLAIM_FIELDS = [
    "article_id", "article_file", "article_date", "holder", "holder_type", "target", "target_type", "stance",
    "assessment", "topic", "evidence", "evidence_start", "evidence_end", "confidence", "extractor",
    "holder_person", "actions",
]  # fmt: skip
GOOD = '---\ntitle: "{title}"\ndate: "2025-03-0{day}"\nlang: "zh-CN"\n---\n瑞银认为，{company}将受益于AI需求。\n'


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    """Two good articles among every kind of bad input the build must survive."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good1.md").write_text(GOOD.format(title="one", day=1, company="英伟达"), encoding="utf-8")
    (folder / "good2.md").write_text(GOOD.format(title="two", day=2, company="台积电"), encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.md").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.md").write_text('---\ntitle: "unclosed\ndate: [\n---\n正文。\n', encoding="utf-8")
    (folder / "gbk.md").write_bytes(GOOD.format(title="gbk", day=3, company="腾讯").encode("gbk"))
    with (folder / "huge.md").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)
    (folder / "undated.md").write_text('---\ntitle: "undated"\n---\n高盛认为，阿里巴巴最具优势。\n', encoding="utf-8")
    return folder


def build(runner: CliRunner, folder: Path, out: Path, *extra: str):
    return runner.invoke(app, ["build", str(folder), "--out", str(out), "--no-html", "--json", *extra])


def test_build_keeps_every_good_article_among_bad_files(runner, messy_folder, tmp_path):
    result = build(runner, messy_folder, tmp_path / "out")
    summary = json.loads(result.stdout)
    assert (result.exit_code, summary["articles"], summary["claims"]) == (0, 4, 4)


def test_build_names_each_bad_file_with_its_reason(runner, messy_folder, tmp_path):
    summary = json.loads(build(runner, messy_folder, tmp_path / "out").stdout)
    failed = {Path(f["path"]).name: f["reason"] for f in summary["failures"]}
    assert sorted(failed) == ["binary.md", "broken.md", "empty.md", "huge.md"]
    assert failed["empty.md"] == "empty file"
    assert "50.0 MB" in failed["huge.md"]
    assert "line" in failed["broken.md"]


def test_build_exits_non_zero_on_bad_input_only_with_strict(runner, messy_folder, tmp_path):
    assert build(runner, messy_folder, tmp_path / "out", "--strict").exit_code == 1


def test_an_undated_article_is_kept_with_no_date(runner, messy_folder, tmp_path):
    build(runner, messy_folder, tmp_path / "out")
    claims = [json.loads(line) for line in (tmp_path / "out" / "claims.jsonl").read_text("utf-8").splitlines()]
    undated = [c for c in claims if c["article_file"].endswith("undated.md")]
    assert [(c["holder"], c["target"], c["article_date"]) for c in undated] == [("Goldman Sachs", "Alibaba", None)]


def test_a_gbk_article_is_read(runner, messy_folder, tmp_path):
    build(runner, messy_folder, tmp_path / "out")
    text = (tmp_path / "out" / "claims.jsonl").read_text("utf-8")
    assert '"target": "Tencent"' in text


def test_two_builds_of_the_same_input_write_identical_files(runner, tmp_path):
    for out in ("a", "b"):
        assert build(runner, EXAMPLES, tmp_path / out).exit_code == 0
    for name in ("claims.jsonl", "graph.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_build_of_nothing_says_so_and_exits_3(runner, tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 3


def test_extract_jsonl_writes_exactly_the_claim_fields(runner):
    result = runner.invoke(app, ["extract", str(EXAMPLES / "ex01_deepseek-r1-chip-selloff.md"), "--format", "jsonl"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {tuple(r) for r in records} == {tuple(CLAIM_FIELDS)}


def test_extract_rejects_an_unknown_format(runner):
    result = runner.invoke(app, ["extract", str(EXAMPLES), "--format", "xml"])
    assert result.exit_code == 2


def test_eval_json_reports_the_scores_of_each_slice(runner):
    result = runner.invoke(app, ["eval", str(EXAMPLES), "--json"])
    document = json.loads(result.stdout)
    assert sorted(document) == ["actions", "by_language", "headline", "holder_accuracy", "overall", "stance_accuracy"]
    assert sorted(document["by_language"]) == ["en", "zh"]
    assert sorted(document["by_language"]["zh"]) == ["headline", "overall"]


def test_eval_errors_lists_misses_and_false_positives(runner):
    document = json.loads(runner.invoke(app, ["eval", str(EXAMPLES), "--json", "--errors"]).stdout)
    total = document["overall"]
    assert len(document["misses"]) == total["gold"] - total["matched"]
    assert len(document["false_positives"]) == total["predicted"] - total["matched"]


def test_eval_without_gold_says_what_is_missing(runner, tmp_path):
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 3
