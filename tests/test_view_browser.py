"""The HTML view in a real browser: headless Chromium over the DevTools protocol
(tests/browser.py). Pages are opened from file:// with every other request blocked and
recorded; each test also checks that nothing was requested and nothing went wrong.

Skipped when Chromium (or websocket-client) is missing on a developer's machine; with the
environment variable CI set, that is a failure instead (scripts/install-browser puts
Chromium there, .ci/run calls it).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from browser import Chromium, Page, chromium_path
from typer.testing import CliRunner
from view_graph import (
    ACME,
    BETA,
    CASES,
    GADGET,
    HOSTILE_HOLDER,
    WIDGET,
    XSS,
    XSS_SCRIPT,
    hostile_graph,
    view_graph,
)

from kg.cli import app
from kg.sinks.files import write_graph
from kg.sinks.html import write_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
BIG_CLAIMS = 5000
BIG_FRAME_MS = 500
BIG_STABLE_MS = 5000  # generous for a loaded CI machine; benchmarks/bench_view.py measures against 2 s


def _missing() -> str | None:
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "websocket-client is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return "Chromium is not installed (scripts/install-browser)"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    with Chromium() as chromium:
        yield chromium


@pytest.fixture
def open_page(browser):
    """Open a page file and wait until its graph is drawn and still; close it afterwards."""
    pages: list[Page] = []

    def opener(path: Path) -> Page:
        page = browser.new_page()
        pages.append(page)
        page.goto(path.resolve().as_uri())
        page.wait_for("window.kg && kg.stableAt !== null")
        return page

    yield opener
    for page in pages:
        page.close()


def assert_clean(page: Page) -> None:
    """Only the page itself was requested, nothing was blocked, no error was logged."""
    page.browser.pump(0.05)
    assert page.requests == [page.url]
    assert page.blocked == []
    assert page.errors == []


def shown(page: Page) -> tuple[int, int, int]:
    """(nodes, edges, claims) in the page's vis DataSets, and nodes the network drew."""
    nodes, edges, drawn, claims = page.evaluate(
        "[kg.nodes.length, kg.edges.length, kg.network.body.nodeIndices.length,"
        " kg.edges.get().reduce(function (n, e) { return n + e.claims.length; }, 0)]"
    )
    assert drawn == nodes
    return nodes, edges, claims


def kg_view(tmp_path: Path, *options: str) -> Path:
    build = tmp_path / "build"
    if not (build / "graph.json").exists():
        write_graph(view_graph(), build / "graph.json")
    out = tmp_path / "view.html"
    result = CliRunner().invoke(app, ["view", str(build), "--out", str(out), "--built-at", "2025-07-01", *options])
    assert result.exit_code == 0, result.output
    return out


def click_edge(page: Page, edge: str) -> None:
    """What vis-network does on a click that hits ``edge``: emit "click" with its id."""
    page.evaluate(f"void kg.network.emit('click', {{nodes: [], edges: [{json.dumps(edge)}]}})")


def panel(page: Page) -> dict:
    """What the side panel shows."""
    return page.evaluate(
        """(function () {
          var d = document.getElementById("details");
          var cards = Array.prototype.map.call(d.querySelectorAll(".claim"), function (c) {
            var link = c.querySelector(".source a");
            return {
              head: c.querySelector(".claim-head").textContent,
              assessment: (c.querySelector(".assessment") || {}).textContent || null,
              evidence: c.querySelector(".evidence").textContent,
              marked: Array.prototype.map.call(c.querySelectorAll(".evidence mark"), function (m) { return m.textContent; }),
              article: (c.querySelector(".source .article") || {}).textContent || null,
              href: link ? link.href : null
            };
          });
          return { showing: d.getAttribute("data-showing"), title: (d.querySelector("h2") || {}).textContent || null,
                   about: (d.querySelector(".about") || {}).textContent || null, claims: cards };
        })()"""
    )


# ---------------------------------------------------------------- rendering and counts


def test_whole_graph_renders_every_node_and_edge_offline_without_errors(tmp_path, open_page):
    page = open_page(kg_view(tmp_path))
    assert shown(page) == (8, 8, 10)
    assert page.evaluate("document.documentElement.getAttribute('data-kg-state')") == "stable"
    assert page.evaluate("document.querySelector('#graph canvas') !== null")
    assert page.evaluate("document.querySelector('h1').textContent") == "Who said what about whom"
    assert_clean(page)


@pytest.mark.parametrize("options, expected", CASES, ids=[" ".join(o) or "all" for o, _ in CASES])
def test_focus_and_filters_change_what_is_drawn(tmp_path, open_page, options, expected):
    page = open_page(kg_view(tmp_path, *options))
    assert shown(page) == expected
    assert_clean(page)


def test_focus_view_opens_with_the_focus_selected_and_its_claims_in_the_panel(tmp_path, open_page):
    page = open_page(kg_view(tmp_path, "--focus", "威捷"))
    assert page.evaluate("kg.network.getSelectedNodes()") == [WIDGET]
    shown_panel = panel(page)
    assert (shown_panel["showing"], shown_panel["title"]) == ("node", "Widget Corp")
    assert [c["evidence"] for c in shown_panel["claims"]] == [
        "Acme Capital upgraded Widget Corp on strong demand.",
        "Acme Capital also said WGT shares look pricey.",
        "Beta Research rates Widget a buy.",
    ]
    assert page.evaluate("document.querySelector('#details h3').textContent") == "Claims about Widget Corp (3)"
    assert_clean(page)


# ---------------------------------------------------------------- reading a claim


def test_clicking_an_edge_shows_its_claims_with_the_target_marked(tmp_path, open_page):
    page = open_page(kg_view(tmp_path))
    click_edge(page, f"{ACME} → {WIDGET}")
    shown_panel = panel(page)
    assert shown_panel["showing"] == "edge"
    assert shown_panel["title"] == "Acme Capital → Widget Corp"
    assert shown_panel["about"] == "2 claims: 1 positive, 1 negative (1+ 1−)"
    first, second = shown_panel["claims"]
    assert first == {
        "head": "positiveAcme Capital → Widget Corp2025-01-10", "assessment": "upgrade",
        "evidence": "Acme Capital upgraded Widget Corp on strong demand.", "marked": ["Widget Corp"],
        "article": "Acme and Beta weigh in on Widget", "href": "https://news.example/one",
    }
    assert (second["head"], second["marked"]) == ("negativeAcme Capital → Widget Corp2025-01-10", ["WGT"])
    assert page.evaluate("getComputedStyle(document.querySelector('#details mark')).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert_clean(page)


def test_clicking_a_chinese_claim_marks_the_chinese_alias(tmp_path, open_page):
    page = open_page(kg_view(tmp_path))
    click_edge(page, f"{BETA} → {GADGET}")
    claims = panel(page)["claims"]
    assert [c["marked"] for c in claims] == [["Gadget"], ["加吉特"]]
    assert claims[1]["evidence"] == "受深度求索影响，贝塔研究认为加吉特估值合理。"
    assert_clean(page)


def test_a_real_mouse_click_on_a_node_lists_claims_by_it(tmp_path, open_page):
    page = open_page(kg_view(tmp_path, "--layout", "columns"))
    x, y = page.evaluate(
        f"""(function () {{
          var at = kg.network.canvasToDOM(kg.network.getPositions([{json.dumps(ACME)}])[{json.dumps(ACME)}]);
          var box = document.getElementById("graph").getBoundingClientRect();
          return [box.left + at.x, box.top + at.y];
        }})()"""
    )
    page.click(x, y)
    page.wait_for("document.getElementById('details').getAttribute('data-showing') === 'node'", timeout=5)
    shown_panel = panel(page)
    assert shown_panel["title"] == "Acme Capital"
    assert shown_panel["about"] == "Institution · also Acme, 艾克米资本"
    assert len(shown_panel["claims"]) == 3
    assert page.evaluate("document.querySelector('#details h3').textContent") == "Claims by Acme Capital (3)"
    assert page.evaluate("kg.network.getSelectedNodes()") == [ACME]
    assert_clean(page)


def test_search_finds_an_entity_by_any_alias(tmp_path, open_page):
    page = open_page(kg_view(tmp_path))
    page.evaluate("document.getElementById('search').focus()")
    page.type_text("艾克米")
    hits = page.evaluate("Array.prototype.map.call(document.querySelectorAll('#search-results button'),"
                         " function (b) { return [b.getAttribute('data-node'), b.textContent]; })")
    assert hits == [[ACME, "Acme Capital艾克米资本"]]
    page.press("Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == [ACME]
    assert panel(page)["title"] == "Acme Capital"
    assert page.evaluate("document.getElementById('search-results').hidden") is True
    assert [h["id"] for h in page.evaluate("kg.find('wgt')")] == [WIDGET]
    assert [h["id"] for h in page.evaluate("kg.find('ＷＧＴ')")] == [WIDGET]  # full-width typed
    assert [h["id"] for h in page.evaluate("kg.find('威捷')")] == [WIDGET]
    assert [h["id"] for h in page.evaluate("kg.find('gadget')")] == [GADGET]
    assert page.evaluate("kg.find('nobody')") == []
    assert_clean(page)


# ---------------------------------------------------------------- hostile text


def test_hostile_article_text_creates_no_elements_and_runs_nothing(tmp_path, open_page):
    path = write_html(hostile_graph(), tmp_path / "hostile.html", title=f"T {XSS}", subtitle=f"S {XSS}")
    page = open_page(path)
    holder = f"entity:{HOSTILE_HOLDER}"
    click_edge(page, f"{holder} → {WIDGET}")
    bad, good = panel(page)["claims"]
    assert bad["evidence"] == f"Evidence {XSS} on Widget."
    assert bad["marked"] == ["Widget"]
    assert bad["assessment"] == f"assess {XSS}"
    assert bad["article"] == f"Title {XSS}" and bad["href"] is None  # a javascript: link is no link
    assert good["href"] == "https://news.example/good"
    page.evaluate(f"kg.showNode({json.dumps(holder)})")
    assert panel(page)["title"] == HOSTILE_HOLDER
    page.evaluate("document.getElementById('search').focus()")
    page.type_text("hostile")
    assert page.evaluate("document.querySelectorAll('#search-results button').length") == 1
    assert page.evaluate(f"kg.find({json.dumps(XSS_SCRIPT)})")[0]["label"] == HOSTILE_HOLDER
    # hover the edge so vis-network shows its tooltip too
    page.evaluate(f"void kg.network.emit('hoverEdge', {{edge: {json.dumps(f'{holder} → {WIDGET}')}}})")
    page.browser.pump(0.3)
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert page.evaluate("Array.prototype.map.call(document.scripts, function (s) { return s.id; })") == [
        "vis-network", "kg-data", "kg-chart", "kg-init",
    ]
    handlers = page.evaluate(
        """Array.prototype.concat.apply([], Array.prototype.map.call(document.querySelectorAll('*'), function (e) {
             return Array.prototype.filter.call(e.attributes, function (a) { return /^on/i.test(a.name); })
               .map(function (a) { return e.tagName + ' ' + a.name; });
           }))"""
    )
    assert handlers == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.title") == f"T {XSS}"
    assert_clean(page)


# ---------------------------------------------------------------- big graphs


def test_five_thousand_claims_open_with_physics_off_and_are_stable_at_once(tmp_path, open_page):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from bench_view import synthetic_graph
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    path = write_html(synthetic_graph(BIG_CLAIMS), tmp_path / "big.html", title="big", layout="force")
    page = open_page(path)
    nodes, edges, claims = shown(page)
    assert claims == BIG_CLAIMS and nodes > 300 and edges > 2000
    assert page.evaluate("kg.data.options.physics.enabled") is False
    assert page.evaluate("kg.stableAt") < BIG_STABLE_MS
    frame = page.evaluate(
        "(function () { kg.network.moveTo({scale: 1}); var t = performance.now(); kg.network.redraw();"
        " return performance.now() - t; })()"
    )
    assert frame < BIG_FRAME_MS  # zoomed in, panning stays smooth
    page.evaluate(f"kg.showEdge({json.dumps(page.evaluate('kg.edges.getIds()[0]'))})")
    assert page.evaluate("document.querySelectorAll('#details .claim').length") >= 1
    assert_clean(page)
