"""A newcomer's first hour: kg init && kg rebuild as documented, the language tags the
articles use, type that reads on a projector.

Browser tests open pages in headless Chromium (tests/browser.py) and are skipped without it
(a failure when CI is set).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from browser import Chromium, chromium_path
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"


def kg(*args: object, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(app, [str(a) for a in args])
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [str(a) for a in args])
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def examples_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    assert kg("build", EXAMPLES, "--out", out, "--no-html").exit_code == 0
    return out


def page_data(path: Path) -> dict:
    text = path.read_text("utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S).group(1))


# --------------------------------------------------------------------------- kg init && kg rebuild


def test_kg_init_then_kg_rebuild_runs_on_the_sample_corpus_as_written(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # a clone's working folder
    init = kg("init", cwd=tmp_path)
    rebuild = kg("rebuild", cwd=tmp_path)
    assert (init.exit_code, rebuild.exit_code) == (0, 0), rebuild.stderr
    assert 'paths = ["examples/corpus"]' in (tmp_path / "kg.toml").read_text("utf-8")
    assert re.search(r"^rebuilt in [\d.]+ s: 15 new, ", rebuild.stderr)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["graph.html", "graph.ttl"]


def test_kg_init_says_in_one_line_what_to_edit(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    result = kg("init", cwd=tmp_path)
    assert result.stderr == (
        "wrote kg.toml; kg rebuild runs it as it is. "
        "sources.paths reads the sample corpus (examples/corpus): point it at your articles.\n"
    )


def test_a_missing_source_on_a_first_run_does_not_claim_articles_were_kept(tmp_path):
    (tmp_path / "kg.toml").write_text('[sources]\npaths = ["articles/"]\n', encoding="utf-8")
    result = kg("rebuild", "--config", tmp_path / "kg.toml")
    assert result.exit_code == 3
    assert "kept from the last run" not in result.stderr
    assert f"failed read {(tmp_path / 'articles').as_posix()}: no such file or folder\n" in result.stderr
    assert f"no articles in any source: point [sources] paths in {tmp_path / 'kg.toml'} at your articles" in result.stderr


def test_a_missing_source_after_a_good_run_keeps_its_articles_and_says_so(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("---\nlang: en\n---\nGoldman Sachs said Nvidia looks cheap.\n", "utf-8")
    (tmp_path / "kg.toml").write_text('[sources]\npaths = ["articles/"]\n[exports]\nhtml = ""\n', encoding="utf-8")
    assert kg("rebuild", "--config", tmp_path / "kg.toml").exit_code == 0
    (tmp_path / "articles").rename(tmp_path / "unmounted")
    result = kg("rebuild", "--config", tmp_path / "kg.toml", "--json")
    report = json.loads(result.stdout)
    assert (result.exit_code, report["articles"]) == (0, 1)
    assert report["failures"][0]["reason"] == "no such file or folder; its articles are kept from the last run"


# --------------------------------------------------------------------------- --lang as articles write it


@pytest.mark.parametrize(("tag", "kept"), [("zh-CN", "zh-Hans"), ("zh-HK", "zh-Hant"), ("zh-TW", "zh-Hant"), ("en-US", "en")])
def test_view_lang_takes_the_tags_articles_declare(examples_build, tmp_path, tag, kept):
    by_tag, by_name = tmp_path / "tag.html", tmp_path / "name.html"
    assert kg("view", examples_build, "--lang", tag, "--out", by_tag).exit_code == 0
    assert kg("view", examples_build, "--lang", kept, "--out", by_name).exit_code == 0
    assert page_data(by_tag)["claims"] == page_data(by_name)["claims"] != []


def test_view_lang_refuses_a_language_kg_does_not_read(examples_build, tmp_path):
    result = kg("view", examples_build, "--lang", "fr", "--out", tmp_path / "v.html")
    assert (result.exit_code, result.stderr) == (
        2, "error: --lang 'fr' is not a language kg reads: zh-Hans, zh-Hant, en, or a tag such as zh-CN, zh-TW, zh-HK, en-US\n",
    )  # fmt: skip


# --------------------------------------------------------------------------- type on a projector


def test_the_whole_corpus_page_writes_no_link_labels_and_a_focus_page_does(examples_build, tmp_path):
    assert kg("view", examples_build, "--out", tmp_path / "all.html").exit_code == 0
    assert kg("view", examples_build, "--focus", "英伟达", "--out", tmp_path / "focus.html").exit_code == 0
    whole, focus = page_data(tmp_path / "all.html"), page_data(tmp_path / "focus.html")
    assert [e for e in whole["edges"] if "label" in e] == []
    assert all(e["label"] for e in focus["edges"])
    assert (whole["type"], focus["type"]) == ({"nodes": 18, "edges": 0}, {"nodes": 18, "edges": 14})


def test_edge_labels_off_and_font_size_are_what_the_page_carries(examples_build, tmp_path):
    out = tmp_path / "v.html"
    assert kg("view", examples_build, "--focus", "英伟达", "--edge-labels", "off", "--font-size", "24", "--out", out).exit_code == 0
    data = page_data(out)
    assert ([e for e in data["edges"] if "label" in e], data["type"]) == ([], {"nodes": 24, "edges": 0})


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("browser tests cannot run in CI: Chromium is not installed (scripts/install-browser)")
        pytest.skip("Chromium is not installed (scripts/install-browser)")
    with Chromium() as chromium:
        yield chromium


@pytest.mark.browser
@pytest.mark.parametrize("args", [[], ["--focus", "英伟达"]])
def test_labels_open_at_the_asked_height_on_screen(browser, examples_build, tmp_path, args):
    out = tmp_path / "v.html"
    assert kg("view", examples_build, *args, "--font-size", "20", "--out", out).exit_code == 0
    page = browser.new_page()
    try:
        page.goto(out.resolve().as_uri())
        page.wait_for("window.kg && kg.stableAt !== null")
        seen = page.evaluate(
            "(function () { var n = kg.network, id = kg.nodes.getIds()[0];"
            " return Math.round(n.getScale() * n.body.nodes[id].options.font.size * 100) / 100; })()"
        )
        assert (seen, page.errors, page.blocked) == (20, [], [])
    finally:
        page.close()
