"""kg view without a browser: which claims each filter and focus keeps (kg.views), how
names resolve, what the page carries for its panel and search, and the command's errors.

The browser tests (test_view_browser.py) check the same counts on the drawn page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner
from view_graph import (
    ACME,
    BETA,
    CASES,
    CATALOGUE,
    DELTA,
    GADGET,
    GAMMA,
    GIZMO,
    SPROCKET,
    WIDGET,
    view_graph,
)

from kg.cli import app
from kg.sinks.files import write_graph
from kg.sinks.html import render_html
from kg.sinks.html.collect import name_span
from kg.views import (
    Request,
    RequestError,
    Selection,
    UnknownEntity,
    claim_nodes,
    close_matches,
    corpus_summary,
    describe,
    focus_pairs,
    holder_of,
    resolve,
    resolve_entity,
    resolve_topic,
    select,
    target_of,
)

BUILT_AT = "2025-07-01 09:00 UTC"


def shown(graph) -> tuple[int, int, int]:
    """(entities, links, claims) of a selected graph."""
    claims = claim_nodes(graph)
    pairs = {(holder_of(graph, c), target_of(graph, c)) for c in claims}
    return len({end for pair in pairs for end in pair}), len(pairs), len(claims)


def page_data(page: str) -> dict:
    return json.loads(lxml.html.fromstring(page).get_element_by_id("kg-data").text)


@pytest.fixture
def build_dir(tmp_path) -> Path:
    folder = tmp_path / "build"
    write_graph(view_graph(), folder / "graph.json")
    return folder


def run(*args: str):
    return CliRunner().invoke(app, ["view", *args])


# ---------------------------------------------------------------- selection


def test_whole_graph_is_selected_without_filters():
    graph = view_graph()
    assert shown(select(graph, Selection())) == (8, 8, 10)
    assert sorted(select(graph, Selection()).nodes) == sorted(graph.nodes)  # the DeepSeek topic node too


def test_focus_keeps_links_reaching_entities_within_depth():
    graph = view_graph()
    assert shown(select(graph, Selection(focus=WIDGET))) == (3, 2, 3)
    assert shown(select(graph, Selection(focus=WIDGET, depth=2))) == (4, 4, 6)
    assert shown(select(graph, Selection(focus=WIDGET, depth=3))) == (5, 5, 7)
    assert shown(select(graph, Selection(focus=SPROCKET))) == (2, 1, 1)
    # depth 6 reaches Sprocket: Widget–Acme–Gadget–Gamma–Gizmo–Delta–Sprocket
    assert shown(select(graph, Selection(focus=WIDGET, depth=5))) == (7, 7, 9)
    assert shown(select(graph, Selection(focus=WIDGET, depth=6))) == (8, 8, 10)


def test_focus_pairs_ignore_direction_and_stop_at_depth():
    pairs = [("a", "b"), ("c", "b"), ("c", "d"), ("e", "f")]
    assert focus_pairs(pairs, "b", 1) == {("a", "b"), ("c", "b")}
    assert focus_pairs(pairs, "a", 3) == {("a", "b"), ("c", "b"), ("c", "d")}
    assert focus_pairs(pairs, "z", 3) == set()


def test_claim_filters_combine_with_and_and_values_with_or():
    graph = view_graph()
    assert shown(select(graph, Selection(stances=frozenset({"negative"})))) == (5, 3, 3)
    assert shown(select(graph, Selection(stances=frozenset({"negative", "neutral"})))) == (8, 5, 6)
    assert shown(select(graph, Selection(holders=frozenset({ACME, DELTA})))) == (6, 4, 5)
    assert shown(select(graph, Selection(holders=frozenset({ACME}), stances=frozenset({"positive"})))) == (3, 2, 2)
    assert shown(select(graph, Selection(targets=frozenset({GIZMO})))) == (3, 2, 2)
    assert shown(select(graph, Selection(langs=frozenset({"zh-Hans"})))) == (3, 2, 3)
    assert shown(select(graph, Selection(topics=frozenset({"DeepSeek"})))) == (3, 2, 3)


def test_date_range_is_inclusive_and_drops_undated_claims():
    graph = view_graph()
    assert shown(select(graph, Selection(date_from="2025-02-15", date_to="2025-02-15"))) == (3, 2, 3)
    assert shown(select(graph, Selection(date_from="2025-03-01"))) == (5, 4, 4)
    assert shown(select(graph, Selection(date_to="2025-01-10"))) == (3, 2, 3)
    for node in claim_nodes(graph):
        graph.nodes[node]["article_date"] = None
    for node, data in graph.nodes(data=True):
        if data.get("label") == "Article":
            data["date"] = None
    assert shown(select(graph, Selection(date_from="2000-01-01"))) == (0, 0, 0)


def test_min_claims_applies_before_focus():
    graph = view_graph()
    assert shown(select(graph, Selection(min_claims=2))) == (4, 2, 4)
    assert shown(select(graph, Selection(min_claims=2, focus=GADGET))) == (2, 1, 2)
    assert shown(select(graph, Selection(min_claims=3))) == (0, 0, 0)


def test_selected_graph_keeps_articles_and_relationships_of_kept_claims_only():
    graph = view_graph()
    selected = select(graph, Selection(focus=WIDGET))
    labels = sorted(d["label"] for _, d in selected.nodes(data=True))
    assert labels == ["Article", "Claim", "Claim", "Claim", "Company", "Institution", "Institution"]
    assert sorted({d["type"] for *_, d in selected.edges(data=True)}) == ["ABOUT", "ASSERTS", "EVIDENCED_BY"]


def test_every_case_the_browser_checks_holds_in_python():
    graph = view_graph()
    for options, expected in CASES:
        assert shown(select(graph, selection_from_options(graph, options))) == expected, options


def selection_from_options(graph, options: list[str]) -> Selection:
    """The Selection the CLI builds from ``options`` (a second, independent reading)."""
    values: dict[str, list[str]] = {}
    for flag, value in zip(options[::2], options[1::2]):
        values.setdefault(flag, []).append(value)

    def entities(flag):
        return frozenset(resolve_entity(v, graph, CATALOGUE) for v in values.get(flag, ()))

    return Selection(
        focus=resolve_entity(values["--focus"][0], graph, CATALOGUE) if "--focus" in values else None,
        depth=int(values.get("--depth", ["1"])[0]),
        holders=entities("--holder"),
        targets=entities("--target"),
        stances=frozenset(values.get("--stance", ())),
        date_from=values.get("--from", [None])[0],
        date_to=values.get("--to", [None])[0],
        langs=frozenset(values.get("--lang", ())),
        topics=frozenset(resolve_topic(v, graph, CATALOGUE) for v in values.get("--topic", ())),
        min_claims=int(values.get("--min-claims", ["1"])[0]),
    )


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name, node",
    [
        ("Acme Capital", ACME), ("entity:Acme Capital", ACME), ("艾克米资本", ACME), ("艾克米資本", ACME),
        ("acme", ACME), ("  Beta ", BETA), ("贝塔研究", BETA), ("ＷＧＴ", WIDGET), ("wgt", WIDGET), ("Gamma", GAMMA),
    ],
)
def test_any_alias_in_any_script_or_case_resolves(name, node):
    assert resolve_entity(name, view_graph(), CATALOGUE) == node


def test_graph_aliases_resolve_without_a_catalogue():
    assert resolve_entity("威捷", view_graph()) == WIDGET


def test_unknown_name_lists_close_matches():
    with pytest.raises(UnknownEntity) as caught:
        resolve_entity("Widgit", view_graph(), CATALOGUE)
    assert caught.value.suggestions[0] == "Widget Corp"
    assert "no entity is called 'Widgit'; did you mean Widget Corp" in str(caught.value)
    assert close_matches("zzzz", {"acme": "Acme Capital"}) == []


def test_topic_resolves_by_topic_name_or_alias():
    graph = view_graph()
    assert resolve_topic("deepseek", graph) == "DeepSeek"
    assert resolve_topic("深度求索", graph, CATALOGUE) == "DeepSeek"
    with pytest.raises(UnknownEntity, match="no topic is called 'DeepSeak'; did you mean DeepSeek"):
        resolve_topic("DeepSeak", graph, CATALOGUE)


def test_a_request_resolves_to_the_selection_of_its_names_and_keeps_what_was_typed():
    request = Request(focus="威捷", depth=2, holders=("acme",), stances=("negative",), date_from="2025-01-01").checked()
    selection, typed = resolve(request, view_graph(), CATALOGUE)
    assert selection == Selection(
        focus=WIDGET, depth=2, holders=frozenset({ACME}), stances=frozenset({"negative"}), date_from="2025-01-01"
    )
    assert typed == {WIDGET: "威捷", ACME: "acme"}


def test_a_request_with_an_unknown_name_is_refused_naming_the_option():
    with pytest.raises(RequestError, match="^--target: no entity is called 'Widgit'; did you mean Widget Corp"):
        resolve(Request(targets=("Widgit",)), view_graph(), CATALOGUE)


def test_describe_names_each_filter():
    graph = view_graph()
    selection = Selection(
        focus=WIDGET, depth=2, holders=frozenset({ACME}), stances=frozenset({"negative", "positive"}),
        date_from="2025-01-01", langs=frozenset({"en"}), topics=frozenset({"DeepSeek"}), min_claims=2,
    )
    assert describe(selection, graph, {WIDGET: "威捷"}) == [
        "focus Widget Corp (威捷), depth 2", "holder Acme Capital", "stance positive or negative",
        "dates 2025-01-01 to …", "language en", "topic DeepSeek", "at least 2 claims per link",
    ]
    assert describe(Selection(), graph) == []


def test_corpus_summary_says_articles_folder_dates_and_claims():
    # the folder's own name only: a page does not show where on this machine it was made
    assert corpus_summary(view_graph()) == "3 articles in …/corpus, 2025-01-10 to 2025-03-20, 10 claims"


# ---------------------------------------------------------------- page data for the panel and search


def test_page_ships_claims_articles_and_names_for_panel_and_search():
    data = page_data(render_html(view_graph(), title="T"))
    edges = {e["id"]: e for e in data["edges"]}
    widget = edges[f"{ACME} → {WIDGET}"]
    assert widget["mix"] == {"negative": 1, "positive": 1}
    assert widget["dashes"] == [8, 5]  # mixed: dashed
    assert "dashes" not in edges[f"{BETA} → {WIDGET}"]
    first, second = (data["claims"][i] for i in widget["claims"])
    assert (first["stance"], first["assessment"], first["date"]) == ("positive", "upgrade", "2025-01-10")
    assert first["evidence"][slice(*first["mark"])] == "Widget Corp"
    assert second["evidence"][slice(*second["mark"])] == "WGT"
    assert data["articles"][first["article"]] == {
        "title": "Acme and Beta weigh in on Widget", "outlet": "Example Wire", "url": "https://news.example/one",
    }
    assert len(data["articles"]) == 3 and len(data["claims"]) == 10
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[WIDGET]["names"] == ["Widget Corp", "Widget", "WGT", "威捷"]
    assert (nodes[ACME]["made"], nodes[ACME]["about"], nodes[ACME]["type"]) == (3, 0, "Institution")


def test_mark_finds_aliases_across_scripts_and_counts_utf16_units():
    assert name_span("艾克米资本看好加吉特的前景。", ["Gadget Inc", "Gadget", "加吉特"]) == (7, 10)
    assert name_span("Gamma 看淡加吉特。", ["加吉特"]) == (8, 11)
    assert name_span("輝達（NVDA）", ["辉达"]) == (0, 2)
    assert name_span("Widgets everywhere, and Widget.", ["Widget"]) == (24, 30)
    assert name_span("nothing here", ["Widget"]) is None
    data = page_data(render_html(emoji_graph(), title="T"))
    (claim,) = data["claims"]
    assert claim["mark"] == [3, 9]  # "😀 " is three UTF-16 units before "Widget"


def emoji_graph():
    from view_graph import article, claim

    from kg.graph import build_graph
    from kg.model import ArticleExtraction

    source = article("emoji", "E", "2025-01-01", "en")
    return build_graph(
        [ArticleExtraction(source, (claim(source, "Acme Capital", "Widget Corp", "positive", "x", "😀 Widget up.", 0),), ())],
        CATALOGUE,
    )


def test_columns_layout_places_every_holder_left_of_every_target():
    data = page_data(render_html(view_graph(), title="T", layout="columns"))
    assert data["options"]["physics"]["enabled"] is False
    x = {n["id"]: n["x"] for n in data["nodes"]}
    holders, targets = [ACME, BETA, GAMMA, DELTA], [WIDGET, GADGET, GIZMO, SPROCKET]
    assert max(x[h] for h in holders) < min(x[t] for t in targets)


def test_force_layout_of_a_big_graph_is_precomputed_and_spread():
    data = page_data(render_html(view_graph(), title="T", layout="force", physics_threshold=3))
    assert data["options"]["physics"]["enabled"] is False
    places = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(places) == 8  # no two entities on one spot
    small = page_data(render_html(view_graph(), title="T", layout="force"))
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]


def test_edge_labels_of_a_page_with_many_edges_wait_for_zoom():
    from kg.sinks.html import vis_options

    assert "scaling" not in vis_options(False, 500)["edges"]
    assert vis_options(False, 501)["edges"]["scaling"] == {"label": {"drawThreshold": 12}}
    assert "scaling" not in page_data(render_html(view_graph(), title="T"))["options"]["edges"]


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout must be one of auto, force, columns"):
        render_html(view_graph(), title="T", layout="circle")


# ---------------------------------------------------------------- the command


def test_kg_view_writes_page_with_title_and_subtitle(build_dir, tmp_path):
    out = tmp_path / "v.html"
    result = run(str(build_dir), "--out", str(out), "--focus", "威捷", "--stance", "positive", "--built-at", BUILT_AT)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 2 claims on 2 links between 3 holders and targets" in " ".join(result.output.split())
    root = lxml.html.fromstring(out.read_text("utf-8"))
    assert root.find(".//h1").text_content() == "Who said what about whom: around Widget Corp"
    assert root.find_class("subtitle")[0].text_content() == "\n".join(
        [
            "Corpus: 3 articles in …/corpus, 2025-01-10 to 2025-03-20, 10 claims.",
            "Shown: 2 claims on 2 links between 3 holders and targets, 2025-01-10; "
            "focus Widget Corp (威捷), depth 1; stance positive.",
            f"Graph built {BUILT_AT}.",
        ]
    )
    assert page_data(out.read_text("utf-8"))["focus"] == WIDGET


def test_kg_view_is_deterministic_and_takes_build_time_from_graph_file(build_dir, tmp_path):
    os.utime(build_dir / "graph.json", (1751360400, 1751360400))  # 2025-07-01 09:00 UTC
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert run(str(build_dir), "--out", str(first), "--title", "Mine").exit_code == 0
    assert run(str(build_dir / "graph.json"), "--out", str(second), "--title", "Mine").exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    subtitle = lxml.html.fromstring(first.read_text("utf-8")).find_class("subtitle")[0].text_content()
    assert subtitle.endswith("Shown: 10 claims on 8 links between 8 holders and targets, 2025-01-10 to 2025-03-20 "
                             "(no filter).\nGraph built 2025-07-01 09:00 UTC.")
    assert lxml.html.fromstring(first.read_text("utf-8")).find(".//h1").text_content() == "Mine"


def test_kg_view_unknown_focus_lists_close_matches_and_exits_2(build_dir, tmp_path):
    result = run(str(build_dir), "--out", str(tmp_path / "v.html"), "--focus", "Widgit")
    assert result.exit_code == 2
    assert "--focus: no entity is called 'Widgit'; did you mean Widget Corp" in " ".join(result.output.split())
    assert not (tmp_path / "v.html").exists()


def test_kg_view_focus_on_entity_without_claims_exits_2(build_dir, tmp_path):
    result = run(str(build_dir), "--out", str(tmp_path / "v.html"), "--focus", "英伟达")  # in the built-in catalogue
    assert result.exit_code == 2
    assert "英伟达 is Nvidia, of whom" in result.output and "holds no claims" in " ".join(result.output.split())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2025-13-01"], "--from '2025-13-01' is not a date: use YYYY-MM-DD"),
        (["--from", "2025-03-01", "--to", "2025-01-01"], "--from 2025-03-01 is after --to 2025-01-01"),
        (["--depth", "2"], "--depth needs --focus"),
        (["--holder", "Nobody At All"], "--holder: no entity is called 'Nobody At All'"),
        (["--topic", "zzz"], "--topic: no topic is called 'zzz'"),
    ],
)
def test_kg_view_usage_errors_exit_2(build_dir, tmp_path, args, message):
    result = run(str(build_dir), "--out", str(tmp_path / "v.html"), *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


@pytest.mark.parametrize("args", [["--stance", "bullish"], ["--lang", "fr"], ["--layout", "circle"], ["--min-claims", "0"]])
def test_kg_view_rejects_values_outside_the_choices(build_dir, tmp_path, args):
    assert run(str(build_dir), "--out", str(tmp_path / "v.html"), *args).exit_code == 2


def test_kg_view_without_a_build_exits_3(tmp_path):
    result = run(str(tmp_path / "nowhere"), "--out", str(tmp_path / "v.html"))
    assert result.exit_code == 3
    assert "nowhere/graph.jsonnotfound:runkgbuildfirst" in "".join(result.output.split())


def test_kg_view_with_nothing_matching_writes_an_empty_page_and_warns(build_dir, tmp_path):
    out = tmp_path / "v.html"
    result = run(str(build_dir), "--out", str(out), "--holder", "Delta", "--stance", "negative")
    assert result.exit_code == 0
    assert "no claim matches these filters" in result.output
    assert lxml.html.fromstring(out.read_text("utf-8")).find_class("empty")[0].text_content() == "No claims to show."
