"""A small hand-made claim graph for the view tests, with the counts each filter must give.

Eight entities, eight links, ten claims over three articles (en, zh-Hans, zh-Hant)::

    Acme ──(+ −)──▶ Widget ◀──(+)── Beta          2025-01-10, en
    Acme ──(+)────▶ Gadget ◀──(○ ○)─ Beta         2025-02-15, zh-Hans (Beta's: topic DeepSeek)
    Gamma ─(−)────▶ Gadget                        2025-03-20, zh-Hant (topic DeepSeek)
    Gamma ─(−)────▶ Gizmo ◀──(+)── Delta ──(○)──▶ Sprocket   2025-03-20, zh-Hant

Everything here is made up.
"""

from __future__ import annotations

import networkx as nx

from kg.extract.catalogue import Catalogue
from kg.graph import build_graph
from kg.model import Article, ArticleExtraction, Claim, Entity

CATALOGUE = Catalogue(
    [
        Entity("Acme Capital", "Institution", ("Acme", "艾克米资本")),
        Entity("Beta Research", "Institution", ("Beta", "贝塔研究")),
        Entity("Gamma Fund", "Institution", ("Gamma",)),
        Entity("Delta Partners", "Institution", ("Delta",)),
        Entity("Widget Corp", "Company", ("Widget", "WGT", "威捷")),
        Entity("Gadget Inc", "Company", ("Gadget", "加吉特")),
        Entity("Gizmo Ltd", "Company", ("Gizmo",)),
        Entity("Sprocket", "Company", ()),
        Entity("DeepSeek", "Product", ("深度求索",)),
    ]
)

ACME, BETA, GAMMA, DELTA = "entity:Acme Capital", "entity:Beta Research", "entity:Gamma Fund", "entity:Delta Partners"
WIDGET, GADGET, GIZMO, SPROCKET = "entity:Widget Corp", "entity:Gadget Inc", "entity:Gizmo Ltd", "entity:Sprocket"

# (CLI options, (entities, links, claims) the page must show)
CASES: list[tuple[list[str], tuple[int, int, int]]] = [
    ([], (8, 8, 10)),
    (["--focus", "Widget"], (3, 2, 3)),
    (["--focus", "威捷", "--depth", "2"], (4, 4, 6)),
    (["--focus", "widget corp", "--depth", "3"], (5, 5, 7)),
    (["--stance", "negative"], (5, 3, 3)),
    (["--lang", "zh-Hans"], (3, 2, 3)),
    (["--lang", "zh-Hant", "--lang", "en"], (8, 6, 7)),
    (["--from", "2025-02-01", "--to", "2025-02-28"], (3, 2, 3)),
    (["--from", "2025-03-01"], (5, 4, 4)),
    (["--min-claims", "2"], (4, 2, 4)),
    (["--holder", "艾克米资本"], (3, 2, 3)),
    (["--holder", "Acme", "--holder", "Delta Partners"], (6, 4, 5)),
    (["--target", "Gizmo"], (3, 2, 2)),
    (["--topic", "深度求索"], (3, 2, 3)),
    (["--focus", "Widget", "--depth", "2", "--stance", "positive"], (4, 3, 3)),
    (["--min-claims", "2", "--focus", "Gadget"], (2, 1, 2)),
]


def article(key: str, title: str, date: str, lang: str, **extra) -> Article:
    body = "x" * 400
    fields = dict(
        id=f"article:{key}", path=f"/corpus/{key}.md", title=title, date=date, lang=lang,
        url=f"https://news.example/{key}", outlet="Example Wire", body=body, prose=body,
    )
    return Article(**{**fields, **extra})


def claim(source: Article, holder: str, target: str, stance: str, assessment: str, evidence: str, start: int,
          topic: str | None = None, **extra) -> Claim:
    fields = dict(
        article_id=source.id, article_file=source.path, article_date=source.date,
        holder=holder, holder_type="Institution", target=target, target_type="Company",
        stance=stance, assessment=assessment, topic=topic, evidence=evidence,
        evidence_start=start, evidence_end=start + len(evidence), confidence=0.9, extractor="test",
    )
    return Claim(**{**fields, **extra})


def view_graph() -> nx.MultiDiGraph:
    one = article("one", "Acme and Beta weigh in on Widget", "2025-01-10", "en")
    two = article("two", "加吉特获机构关注", "2025-02-15", "zh-Hans")
    three = article("three", "Gamma 與 Delta 的看法", "2025-03-20", "zh-Hant")
    extractions = [
        ArticleExtraction(one, (
            claim(one, "Acme Capital", "Widget Corp", "positive", "upgrade", "Acme Capital upgraded Widget Corp on strong demand.", 0),
            claim(one, "Acme Capital", "Widget Corp", "negative", "pricey", "Acme Capital also said WGT shares look pricey.", 60),
            claim(one, "Beta Research", "Widget Corp", "positive", "buy", "Beta Research rates Widget a buy.", 120),
        ), ()),
        ArticleExtraction(two, (
            claim(two, "Acme Capital", "Gadget Inc", "positive", "看好", "艾克米资本看好加吉特的前景。", 0),
            claim(two, "Beta Research", "Gadget Inc", "neutral", "持有", "贝塔研究维持Gadget持有评级。", 30, topic="DeepSeek"),
            claim(two, "Beta Research", "Gadget Inc", "neutral", "估值合理", "受深度求索影响，贝塔研究认为加吉特估值合理。", 60,
                  topic="DeepSeek"),
        ), ()),
        ArticleExtraction(three, (
            claim(three, "Gamma Fund", "Gadget Inc", "negative", "看淡", "Gamma 看淡加吉特。", 0, topic="DeepSeek"),
            claim(three, "Gamma Fund", "Gizmo Ltd", "negative", "減持", "Gamma 減持 Gizmo。", 20),
            claim(three, "Delta Partners", "Gizmo Ltd", "positive", "增持", "Delta 增持 Gizmo。", 40),
            claim(three, "Delta Partners", "Sprocket", "neutral", "中性", "Delta 對 Sprocket 持中性看法。", 60),
        ), ()),
    ]
    return build_graph(extractions, CATALOGUE)


XSS_IMG = "<img src=x onerror=\"window.__pwned='img'\">"
XSS_SCRIPT = "<script>window.__pwned='script'</script>"
XSS = f"{XSS_IMG} {XSS_SCRIPT} </script><svg onload=\"window.__pwned='svg'\">"
HOSTILE_HOLDER = f"Hostile {XSS_IMG}"


def hostile_graph() -> nx.MultiDiGraph:
    """Article title, outlet, assessment, evidence, holder name and alias full of markup;
    one article's link is javascript:, the other's a plain https address."""
    catalogue = Catalogue(
        [
            Entity(HOSTILE_HOLDER, "Institution", (XSS_SCRIPT, "hostile")),
            Entity("Widget Corp", "Company", ("Widget",)),
        ]
    )
    bad = article("bad", f"Title {XSS}", "2025-04-01", "en", url="javascript:window.__pwned='link'", outlet=f"Outlet {XSS}")
    good = article("good", "A plain title", "2025-04-02", "en", url="https://news.example/good")
    return build_graph(
        [
            ArticleExtraction(bad, (
                claim(bad, HOSTILE_HOLDER, "Widget Corp", "positive", f"assess {XSS}", f"Evidence {XSS} on Widget.", 0),
            ), ()),
            ArticleExtraction(good, (
                claim(good, HOSTILE_HOLDER, "Widget Corp", "negative", "plain", "Plain words about Widget.", 0),
            ), ()),
        ],
        catalogue,
    )
