"""A company's price-target history (kg.target_history) and its chart in kg view's side panel,
drawn by the page's own script as inline SVG, checked in headless Chromium (tests/browser.py;
skipped without it, failing under CI as the other browser tests do).

The graph is the hand-made one of tests/actions_graph.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from actions_graph import actions_graph, claim_id
from typer.testing import CliRunner

from kg.cli import app
from kg.graph import schema
from kg.sinks.files import graph_document, write_graph
from kg.sinks.html import render_html
from kg.target_history import RatingMark, target_history

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
XSS = '<img src=x onerror="window.__pwned=1">'


def kg_view(build: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(app, ["view", str(build), "--out", str(out), "--built-at", "2025-07-01", *options])
    assert result.exit_code == 0, result.output
    return out


def page_data(html: str) -> dict:
    start = html.index('<script id="kg-data" type="application/json">') + len('<script id="kg-data" type="application/json">')
    return json.loads(html[start : html.index("</script>", start)])


# --------------------------------------------------------------------------- the history


def test_target_history_has_each_banks_targets_by_currency_and_the_rating_changes():
    history = target_history(actions_graph(), "entity:TSMC")
    assert history.currencies == ["TWD"] and history.holders == ["Goldman Sachs", "Morgan Stanley", "UBS"]
    assert [(p.holder, p.date, p.price, p.previous, p.action) for p in history.points] == [
        ("Goldman Sachs", "2025-01-10", 1000.0, None, "target_set"),
        ("Goldman Sachs", "2025-02-15", 1200.0, 1000.0, "target_raised"),
        ("Morgan Stanley", "2025-01-10", 950.0, None, "target_set"),
        ("Morgan Stanley", "2025-03-05", 1100.0, 950.0, "target_raised"),
        ("UBS", "2025-02-15", 900.0, 1000.0, "target_cut"),
    ]
    assert history.marks == (
        RatingMark("Morgan Stanley", "2025-01-10", "initiate", "overweight", "positive",
                   "Morgan Stanley on TSMC: positive (2 actions)."),
        RatingMark("UBS", "2025-02-15", "downgrade", "neutral", "neutral", "UBS on TSMC: negative (2 actions)."),
    )  # fmt: skip
    assert target_history(actions_graph(), "entity:Alibaba").currencies == ["HKD", "USD"]


def test_the_same_target_twice_on_a_day_is_one_point_and_undated_ones_are_left_out():
    graph = actions_graph()
    original = claim_id("Goldman Sachs", "TSMC", "a2")  # a second sentence repeats Goldman's 1,200
    graph.add_node("claim:again", **{**graph.nodes[original], "evidence": "Goldman repeats its target.", "evidence_start": 999})
    graph.add_node("action:again-0", **graph.nodes[schema.action_id(original, 0)])
    graph.add_edge("claim:again", "entity:TSMC", key="ABOUT", type="ABOUT")
    graph.add_edge("claim:again", "action:again-0", key="STATES", type="STATES")
    for _, data in graph.nodes(data=True):
        if data["label"] == "Claim" and data["holder"] == "UBS":
            data["article_date"] = None
    history = target_history(graph, "entity:TSMC")
    assert [(p.holder, p.date, p.price) for p in history.points] == [
        ("Goldman Sachs", "2025-01-10", 1000.0),
        ("Goldman Sachs", "2025-02-15", 1200.0),
        ("Morgan Stanley", "2025-01-10", 950.0),
        ("Morgan Stanley", "2025-03-05", 1100.0),
    ]
    assert [m.holder for m in history.marks] == ["Morgan Stanley"]  # UBS's downgrade is undated now


def test_the_page_carries_the_chart_data_of_the_companies_it_shows_only(tmp_path):
    build = tmp_path / "build"
    write_graph(actions_graph(), build / "graph.json")
    data = page_data(kg_view(build, tmp_path / "nvidia.html", "--focus", "NVDA").read_text("utf-8"))
    assert data["targets"] == {
        "entity:Nvidia": {
            "holders": ["HSBC"],
            "currencies": [{"currency": "USD", "points": [
                {"holder": "HSBC", "date": "2025-03-05", "price": 320.0, "previous": 200.0, "action": "target_raised",
                 "rating": "buy"}]}],
            "marks": [{"holder": "HSBC", "date": "2025-03-05", "action": "upgrade", "rating": "buy", "rating_class": "positive"}],
        }
    }  # fmt: skip
    whole = page_data(render_html(actions_graph(), title="t"))
    assert sorted(whole["targets"]) == ["entity:Alibaba", "entity:Nvidia", "entity:TSMC"]


# --------------------------------------------------------------------------- in Chromium

CHART = """(function () {
  var d = document.getElementById("details");
  return Array.prototype.map.call(d.querySelectorAll("svg.targets-chart"), function (svg) {
    return {
      currency: svg.getAttribute("data-currency"),
      series: Array.prototype.map.call(svg.querySelectorAll("g.series"), function (g) {
        return { holder: g.getAttribute("data-holder"), lines: g.querySelectorAll("polyline").length,
                 points: Array.prototype.map.call(g.querySelectorAll("circle.point"), function (c) {
                   return [c.getAttribute("data-date"), Number(c.getAttribute("data-price")),
                           Number(c.getAttribute("cx")), Number(c.getAttribute("cy")), c.querySelector("title").textContent];
                 }) };
      }),
      marks: Array.prototype.map.call(svg.querySelectorAll("path.mark"), function (m) {
        return [m.getAttribute("data-holder"), m.getAttribute("data-action"), m.querySelector("title").textContent];
      }),
      stems: svg.querySelectorAll("line.move").length
    };
  });
})()"""
LEGEND = "Array.prototype.map.call(document.querySelectorAll('#details .targets-legend li'), function (li) { return li.textContent; })"


@pytest.fixture(scope="module")
def browser():
    from test_view_browser import _missing

    missing = _missing()
    if missing:
        import os

        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    from browser import Chromium

    with Chromium() as chromium:
        yield chromium


@pytest.fixture
def open_page(browser):
    pages = []

    def opener(path: Path):
        page = browser.new_page()
        pages.append(page)
        page.goto(path.resolve().as_uri())
        page.wait_for("window.kg && kg.stableAt !== null")
        return page

    yield opener
    for page in pages:
        page.close()


def clean(page) -> None:
    """Only the page was requested, nothing blocked, no error, no injected element or handler."""
    page.browser.pump(0.05)
    assert (page.requests, page.blocked, page.errors) == ([page.url], [], [])
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


@pytest.mark.browser
def test_focus_view_of_a_company_shows_its_price_target_chart(tmp_path, open_page):
    build = tmp_path / "build"
    write_graph(actions_graph(), build / "graph.json")
    page = open_page(kg_view(build, tmp_path / "tsmc.html", "--focus", "台積電"))
    [chart] = page.evaluate(CHART)
    assert chart["currency"] == "TWD" and chart["stems"] == 3  # three targets replaced one stated before
    assert [(s["holder"], s["lines"], [p[:2] for p in s["points"]]) for s in chart["series"]] == [
        ("Goldman Sachs", 1, [["2025-01-10", 1000], ["2025-02-15", 1200]]),
        ("Morgan Stanley", 1, [["2025-01-10", 950], ["2025-03-05", 1100]]),
        ("UBS", 0, [["2025-02-15", 900]]),
    ]
    points = sorted(p for s in chart["series"] for p in s["points"])
    by_date = sorted(points, key=lambda p: p[0])
    assert [p[2] for p in by_date] == sorted(p[2] for p in points)  # later is further right
    by_price = sorted(points, key=lambda p: p[1])
    assert [p[3] for p in by_price] == sorted((p[3] for p in points), reverse=True)  # higher is further up
    assert chart["series"][2]["points"][0][4] == "UBS · 2025-02-15 · target cut from 1,000 to 900 TWD · neutral"
    assert chart["marks"] == [
        ["Morgan Stanley", "initiate", "Morgan Stanley · 2025-01-10 · new coverage to overweight"],
        ["UBS", "downgrade", "UBS · 2025-02-15 · downgrade to neutral"],
    ]
    assert page.evaluate(LEGEND) == [
        "Goldman Sachs · latest 1,200 TWD", "Morgan Stanley · latest 1,100 TWD", "UBS · latest 900 TWD",
    ]  # fmt: skip
    # the chart comes before the claims, and another company's has a chart per currency
    assert page.evaluate("document.querySelector('#details .targets + section h3').textContent") == "Claims about TSMC (5)"
    page.evaluate("kg.showNode('entity:Goldman Sachs')")
    assert page.evaluate(CHART) == []  # a bank has no chart of its own
    clean(page)


@pytest.mark.browser
def test_a_company_with_targets_in_two_currencies_gets_a_chart_for_each(tmp_path, open_page):
    build = tmp_path / "build"
    write_graph(actions_graph(), build / "graph.json")
    page = open_page(kg_view(build, tmp_path / "all.html"))
    page.evaluate("kg.showNode('entity:Alibaba')")
    charts = page.evaluate(CHART)
    assert [(c["currency"], [p[:2] for s in c["series"] for p in s["points"]]) for c in charts] == [
        ("HKD", [["2025-03-05", 174]]),
        ("USD", [["2025-03-05", 179]]),
    ]
    assert page.evaluate(LEGEND) == ["Goldman Sachs · latest 174 HKD, 179 USD"]
    clean(page)


@pytest.mark.browser
def test_a_bank_name_full_of_markup_is_text_in_the_chart(tmp_path, open_page):
    document = json.loads(json.dumps(graph_document(actions_graph())).replace('"UBS"', json.dumps(XSS)))
    build = tmp_path / "build"
    build.mkdir()
    (build / "graph.json").write_text(json.dumps(document), encoding="utf-8")
    page = open_page(kg_view(build, tmp_path / "hostile.html", "--focus", "TSMC"))
    [chart] = page.evaluate(CHART)
    assert XSS in [s["holder"] for s in chart["series"]]
    assert f"{XSS} · latest 900 TWD" in page.evaluate(LEGEND)
    clean(page)


@pytest.mark.browser
def test_the_examples_focus_view_of_tsmc_charts_every_banks_targets_in_the_build(tmp_path, open_page):
    build = tmp_path / "build"
    assert CliRunner().invoke(app, ["build", str(EXAMPLES), "--no-html", "--out", str(build)]).exit_code == 0
    from kg.sinks.files import read_graph

    history = target_history(read_graph(build / "graph.json"), "entity:TSMC")
    page = open_page(kg_view(build, tmp_path / "tsmc.html", "--focus", "台积电"))
    charts = page.evaluate(CHART)
    assert [c["currency"] for c in charts] == history.currencies and history.currencies
    drawn = sorted((s["holder"], p[0], p[1]) for c in charts for s in c["series"] for p in s["points"])
    assert drawn == sorted((p.holder, p.date, p.price) for p in history.points)
    assert len({holder for holder, _, _ in drawn}) >= 3
    assert len(charts[0]["marks"]) == len(history.marks)
    clean(page)
