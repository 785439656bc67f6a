"""The HTML view sink: what the page embeds for vis-network, how it escapes, that it is
offline and deterministic, and that ``kg build --html`` writes it.

Every article and claim here is made up in this file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.extract.catalogue import Catalogue
from kg.graph import build_graph
from kg.model import Article, ArticleExtraction, Claim, Entity
from kg.pipeline import build
from kg.sinks.files import read_claims
from kg.sinks.html import STANCE_COLOURS, render_html, script_json, write_html

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"
SCRIPT_IDS = ["vis-network", "kg-data", "kg-chart", "kg-init"]

CATALOGUE = Catalogue(
    [
        Entity("Acme Capital", "Institution", ("Acme", "艾克米资本")),
        Entity("Beta Research", "Institution", ("Beta",)),
        Entity("Widget Corp", "Company", ("Widget", "WGT")),
        Entity("Gadget Inc", "Company", ("Gadget",)),
        Entity("Chips", "Sector", ("chips",)),
    ]
)


def article(article_id: str, title: str, body: str, date: str = "2025-03-04") -> Article:
    return Article(
        id=article_id, path=f"/corpus/{article_id}.md", title=title, date=date, lang="en",
        url=f"https://news.example/{article_id}", outlet="Example Wire", body=body, prose=body,
    )


def claim(source: Article, holder: str, target: str, stance: str, assessment: str, start: int, **extra) -> Claim:
    fields = dict(
        article_id=source.id, article_file=source.path, article_date=source.date,
        holder=holder, holder_type="Institution", target=target, target_type="Company",
        stance=stance, assessment=assessment, topic=None, evidence=f"{holder} said {assessment} on {target}.",
        evidence_start=start, evidence_end=start + 10, confidence=0.9, extractor="test",
    )
    return Claim(**{**fields, **extra})


def small_graph() -> nx.MultiDiGraph:
    """Acme→Widget (positive, negative: mixed), Acme→Gadget (neutral, neutral),
    Beta→Widget (positive); Chips is only mentioned, so it is not drawn."""
    one = article("article:one", "Acme and Beta weigh in on Widget", "x" * 400)
    two = article("article:two", "Gadget under review", "y" * 400, date="2025-03-05")
    claims_one = (
        claim(one, "Acme Capital", "Widget Corp", "positive", "upgrade", 0),
        claim(one, "Acme Capital", "Widget Corp", "negative", "pricey", 100),
        claim(one, "Beta Research", "Widget Corp", "positive", "buy", 200),
    )
    claims_two = (
        claim(two, "Acme Capital", "Gadget Inc", "neutral", "hold", 0),
        claim(two, "Acme Capital", "Gadget Inc", "neutral", "hold", 100),
    )
    return build_graph(
        [
            ArticleExtraction(one, claims_one, ("Acme Capital", "Beta Research", "Chips", "Widget Corp")),
            ArticleExtraction(two, claims_two, ("Acme Capital", "Gadget Inc")),
        ],
        CATALOGUE,
    )


def page_data(page: str) -> dict:
    """The JSON the page hands to vis-network."""
    return json.loads(lxml.html.fromstring(page).get_element_by_id("kg-data").text)


def by_id(records: list[dict]) -> dict[str, dict]:
    return {record["id"]: record for record in records}


def render(graph: nx.MultiDiGraph, **options) -> str:
    return render_html(graph, title=options.pop("title", "T"), subtitle=options.pop("subtitle", "S"), **options)


def test_page_has_one_node_per_holder_and_target_and_one_edge_per_pair():
    data = page_data(render(small_graph()))
    assert sorted(n["id"] for n in data["nodes"]) == [
        "entity:Acme Capital", "entity:Beta Research", "entity:Gadget Inc", "entity:Widget Corp",
    ]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [
        ("entity:Acme Capital", "entity:Gadget Inc"),
        ("entity:Acme Capital", "entity:Widget Corp"),
        ("entity:Beta Research", "entity:Widget Corp"),
    ]


def test_node_label_is_canonical_name_and_shape_colour_follow_type():
    nodes = by_id(page_data(render(small_graph()))["nodes"])
    assert (nodes["entity:Acme Capital"]["label"], nodes["entity:Acme Capital"]["shape"]) == ("Acme Capital", "square")
    assert nodes["entity:Acme Capital"]["color"] == "#1f77b4"
    assert (nodes["entity:Widget Corp"]["shape"], nodes["entity:Widget Corp"]["color"]) == ("diamond", "#9467bd")


def test_node_size_grows_with_claims_by_and_about_it():
    nodes = by_id(page_data(render(small_graph()))["nodes"])
    assert nodes["entity:Acme Capital"]["size"] == 20.0  # 4 claims: 10 + 5·√4
    assert nodes["entity:Beta Research"]["size"] == 15.0  # 1 claim
    assert nodes["entity:Widget Corp"]["size"] == 18.66  # 3 claims about it


def test_edge_colour_is_its_claims_stance_and_mixed_when_they_differ():
    edges = by_id(page_data(render(small_graph()))["edges"])
    assert edges["entity:Acme Capital → entity:Widget Corp"]["color"] == STANCE_COLOURS["mixed"] == "#f0a202"
    assert edges["entity:Acme Capital → entity:Gadget Inc"]["color"] == STANCE_COLOURS["neutral"] == "#9e9e9e"
    assert edges["entity:Beta Research → entity:Widget Corp"]["color"] == STANCE_COLOURS["positive"] == "#2e9d44"
    assert STANCE_COLOURS["negative"] == "#d62728"


def test_edge_label_is_most_frequent_assessment_and_width_grows_with_claims():
    edges = by_id(page_data(render(small_graph()))["edges"])
    gadget = edges["entity:Acme Capital → entity:Gadget Inc"]
    assert (gadget["label"], gadget["width"]) == ("hold", 3.0)
    beta = edges["entity:Beta Research → entity:Widget Corp"]
    assert (beta["label"], beta["width"]) == ("buy", 1.0)
    # a tie between "pricey" and "upgrade": alphabetically first
    assert edges["entity:Acme Capital → entity:Widget Corp"]["label"] == "pricey"


def test_edge_label_is_truncated_to_24_characters():
    source = article("article:long", "Long", "z" * 100)
    graph = build_graph(
        [ArticleExtraction(source, (claim(source, "Acme Capital", "Widget Corp", "positive", "a" * 40, 0),), ())],
        CATALOGUE,
    )
    (edge,) = page_data(render(graph))["edges"]
    assert edge["label"] == "a" * 23 + "…"


def test_edge_tooltip_lists_each_claim_with_stance_assessment_date_evidence_and_title():
    edges = by_id(page_data(render(small_graph()))["edges"])
    assert edges["entity:Acme Capital → entity:Widget Corp"]["title"] == "\n".join(
        [
            "Acme Capital → Widget Corp",
            "2 claims: 1 negative, 1 positive",
            "",
            "1. positive · upgrade · 2025-03-04",
            "   “Acme Capital said upgrade on Widget Corp.”",
            "   Acme and Beta weigh in on Widget — Example Wire",
            "   https://news.example/article:one",
            "",
            "2. negative · pricey · 2025-03-04",
            "   “Acme Capital said pricey on Widget Corp.”",
            "   Acme and Beta weigh in on Widget — Example Wire",
            "   https://news.example/article:one",
        ]
    )


def test_node_tooltip_shows_type_aliases_and_counts():
    nodes = by_id(page_data(render(small_graph()))["nodes"])
    assert nodes["entity:Acme Capital"]["title"] == (
        "Acme Capital\nType: Institution\nAlso: Acme, 艾克米资本\nClaims made: 4; claims about it: 0"
    )
    assert nodes["entity:Widget Corp"]["title"] == (
        "Widget Corp\nType: Company\nAlso: Widget, WGT\nClaims made: 0; claims about it: 3"
    )


def test_legend_lists_present_node_types_and_all_stance_colours():
    root = lxml.html.fromstring(render(small_graph()))
    assert [e.text_content() for e in root.find_class("node-type")] == ["■Institution", "◆Company"]
    stances = {e.get("data-stance"): e.find("span").get("style") for e in root.find_class("stance")}
    assert stances == {s: f"background: {c}" for s, c in STANCE_COLOURS.items()}


def test_title_and_subtitle_are_shown_escaped():
    root = lxml.html.fromstring(render(small_graph(), title=f"Views {XSS_SCRIPT}", subtitle=f"from {XSS_IMG}"))
    assert root.find(".//h1").text_content() == f"Views {XSS_SCRIPT}"
    assert root.find(".//title").text_content() == f"Views {XSS_SCRIPT}"
    assert root.find_class("subtitle")[0].text_content() == f"from {XSS_IMG}"


def test_hostile_article_text_adds_no_elements():
    hostile = f"Acme {XSS_IMG} {XSS_SCRIPT} </script><img src=y onerror=alert(2)>"
    source = article("article:xss", hostile, "w" * 400)
    extras = dict(evidence=f"Acme Capital said {XSS_SCRIPT} and {XSS_IMG}.")
    graph = build_graph(
        [ArticleExtraction(source, (claim(source, "Acme Capital", "Widget Corp", "positive", hostile, 0, **extras),), ())],
        CATALOGUE,
    )
    page = render(graph, title=hostile, subtitle=hostile)
    assert_no_injected_elements(page)
    (edge,) = page_data(page)["edges"]
    assert f"“Acme Capital said {XSS_SCRIPT} and {XSS_IMG}.”" in edge["title"]  # shown as text


def test_hostile_article_file_through_build_adds_no_elements(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "xss.md").write_text(
        f'---\ntitle: "Nvidia {XSS_IMG} {XSS_SCRIPT}"\ndate: "2025-03-04"\n---\n'
        f"Morgan Stanley said Nvidia shares could rise further {XSS_SCRIPT} on strong demand {XSS_IMG}.\n",
        encoding="utf-8",
    )
    result = build([corpus], builtin_catalogue())
    assert result.claims, "the fixture must yield a claim for the test to mean anything"
    page = write_html(result.graph, tmp_path / "xss.html", title="t", subtitle="s").read_text("utf-8")
    assert_no_injected_elements(page)
    titles = "\n".join(e["title"] for e in page_data(page)["edges"])
    assert f"Nvidia {XSS_IMG} {XSS_SCRIPT}" in titles


def builtin_catalogue():
    from kg.extract import load_catalogue

    return load_catalogue()


def assert_no_injected_elements(page: str) -> None:
    root = lxml.html.fromstring(page)
    assert root.findall(".//img") == []
    assert [s.get("id") for s in root.iter("script")] == SCRIPT_IDS
    handlers = [(e.tag, a) for e in root.iter() if isinstance(e.tag, str) for a in e.attrib if a.lower().startswith("on")]
    assert handlers == []
    assert "<img src=" not in page
    assert "<script>alert" not in page


def test_page_css_is_written_unescaped():
    css = lxml.html.fromstring(render(small_graph())).get_element_by_id("kg-css").text
    assert 'font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei"' in css


def test_script_json_escapes_closing_tags():
    text = script_json({"title": "</script><!-- & \u2028"})
    assert text == '{"title":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(text) == {"title": "</script><!-- & \u2028"}


def test_page_references_no_remote_url():
    page = render(small_graph())
    root = lxml.html.fromstring(page)
    linked = [
        (e.tag, name, value)
        for e in root.iter()
        if isinstance(e.tag, str)
        for name, value in e.attrib.items()
        if name.lower() in ("src", "href", "srcset", "action", "poster", "data")
    ]
    assert linked == []
    assert root.findall(".//link") == []
    styles = "\n".join(s.text or "" for s in root.iter("style"))
    assert re.findall(r"url\(\s*['\"]?(?:https?:)?//|@import", styles) == []
    assert re.findall(r"""\s(?:src|href)\s*=\s*["']?(?:https?:)?//""", page) == []


def test_same_graph_gives_same_bytes_whatever_the_insertion_order(tmp_path):
    graph = small_graph()
    reversed_graph = nx.MultiDiGraph()
    reversed_graph.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    first = write_html(graph, tmp_path / "a.html", title="T", subtitle="S").read_bytes()
    second = write_html(graph, tmp_path / "b.html", title="T", subtitle="S").read_bytes()
    third = write_html(reversed_graph, tmp_path / "c.html", title="T", subtitle="S").read_bytes()
    assert first == second == third


def test_small_graph_uses_physics_and_no_fixed_positions():
    data = page_data(render(small_graph()))
    assert data["options"]["physics"]["enabled"] is True
    assert data["options"]["layout"]["randomSeed"] == 7
    assert [n for n in data["nodes"] if "x" in n or "y" in n] == []


def test_graph_above_threshold_turns_physics_off_and_places_holders_left_of_targets():
    data = page_data(render(small_graph(), physics_threshold=3))
    assert data["options"]["physics"]["enabled"] is False
    place = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    # Beta's only target is Widget, so Beta and Widget sit on top: no edge crosses another.
    # Rows are radius + 26 + radius apart: Beta 15 + Acme 20, Widget 18.66 + Gadget 17.07.
    assert place == {
        "entity:Beta Research": (0, -30),
        "entity:Acme Capital": (0, 30),
        "entity:Widget Corp": (700, -31),
        "entity:Gadget Inc": (700, 31),
    }


def test_long_column_wraps_into_sub_columns():
    source = article("article:many", "Many", "v" * 100)
    claims = tuple(claim(source, f"Holder {i:02}", "Widget Corp", "positive", "buy", i) for i in range(40))
    data = page_data(render(build_graph([ArticleExtraction(source, claims, ())], CATALOGUE), physics_threshold=3))
    columns = Counter(n["x"] for n in data["nodes"] if n["id"].startswith("entity:Holder"))
    assert columns == {0: 20, 260: 20}
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}["entity:Widget Corp"] == (960, 0)


def test_write_html_returns_the_path_and_leaves_no_temporary_file(tmp_path):
    path = write_html(small_graph(), tmp_path / "out" / "graph.html", title="T", subtitle="S")
    assert path == tmp_path / "out" / "graph.html"
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.html"]


def test_graph_without_claims_says_so():
    page = render(nx.MultiDiGraph())
    assert page_data(page)["nodes"] == []
    assert lxml.html.fromstring(page).find_class("empty")[0].text_content() == "No claims to show."


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/corpus not present")
def test_kg_build_html_writes_page_with_a_node_per_holder_and_target(tmp_path):
    html = tmp_path / "g.html"
    result = CliRunner().invoke(app, ["build", str(EXAMPLES), "--html", str(html), "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    claims = read_claims(tmp_path / "build" / "claims.jsonl")
    data = page_data(html.read_text("utf-8"))
    assert len(data["nodes"]) == len({c.holder for c in claims} | {c.target for c in claims})
    assert len(data["edges"]) == len({(c.holder, c.target) for c in claims})
    assert sum(int(re.match(r".*\n(\d+) claims?:", e["title"]).group(1)) for e in data["edges"]) == len(claims)
