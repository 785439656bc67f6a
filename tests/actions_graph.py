"""A small hand-made graph of analyst actions, with the rows each action query must give.

Three articles, nine claims, fourteen actions (everything here is made up)::

    2025-01-10 (a1, en)       Goldman Sachs → TSMC    reiterate buy; target set 1000 TWD
                              Morgan Stanley → TSMC   initiate overweight; target set 950 TWD
                              HSBC → Nvidia           reiterate hold
    2025-02-15T09:30 (a2, zh) Goldman Sachs → TSMC    target raised 1000 → 1200 TWD (buy)
                              UBS → TSMC              downgrade to neutral; target cut 1000 → 900 TWD
                              Morgan Stanley → Nvidia (a claim without actions)
    2025-03-05 (a3, en)       Morgan Stanley → TSMC   target raised 950 → 1100 TWD
                              Goldman Sachs → Alibaba target raised 158 → 174 HKD and 163 → 179 USD; buy kept
                              HSBC → Nvidia           upgrade to buy; target raised 200 → 320 USD
"""

from __future__ import annotations

import networkx as nx

from kg.extract.catalogue import Catalogue
from kg.graph import build_graph
from kg.model import Action, Article, ArticleExtraction, Claim, Entity

CATALOGUE = Catalogue(
    [
        Entity("Goldman Sachs", "Institution", ("Goldman Sachs", "高盛")),
        Entity("Morgan Stanley", "Institution", ("Morgan Stanley", "大摩", "摩根士丹利")),
        Entity("UBS", "Institution", ("UBS", "瑞银")),
        Entity("HSBC", "Institution", ("HSBC", "汇丰", "滙豐")),
        Entity("TSMC", "Company", ("TSMC", "台积电", "台積電"), ("2330", "TSM")),
        Entity("Alibaba", "Company", ("Alibaba", "阿里巴巴"), ("BABA", "9988")),
        Entity("Nvidia", "Company", ("Nvidia", "英伟达"), ("NVDA",)),
    ]
)

ARTICLES = {  # key: (date, language)
    "a1": ("2025-01-10", "en"),
    "a2": ("2025-02-15T09:30:00", "zh-Hans"),
    "a3": ("2025-03-05", "en"),
}


def rating(action: str, name: str, side: str) -> Action:
    return Action(action, name, side)  # type: ignore[arg-type]


def target(action: str, price: float, previous: float | None, currency: str, name: str | None = None,
           side: str | None = None) -> Action:  # fmt: skip
    previous = None if previous is None else float(previous)
    return Action(action, name, side, float(price), previous, currency)  # type: ignore[arg-type]


# (article, holder, target, stance, actions)
CLAIMS = [
    ("a1", "Goldman Sachs", "TSMC", "positive",
     (rating("reiterate", "buy", "positive"), target("target_set", 1000, None, "TWD", "buy", "positive"))),
    ("a1", "Morgan Stanley", "TSMC", "positive",
     (rating("initiate", "overweight", "positive"), target("target_set", 950, None, "TWD", "overweight", "positive"))),
    ("a1", "HSBC", "Nvidia", "neutral", (rating("reiterate", "hold", "neutral"),)),
    ("a2", "Goldman Sachs", "TSMC", "positive", (target("target_raised", 1200, 1000, "TWD", "buy", "positive"),)),
    ("a2", "UBS", "TSMC", "negative",
     (rating("downgrade", "neutral", "neutral"), target("target_cut", 900, 1000, "TWD", "neutral", "neutral"))),
    ("a2", "Morgan Stanley", "Nvidia", "negative", ()),
    ("a3", "Morgan Stanley", "TSMC", "positive", (target("target_raised", 1100, 950, "TWD"),)),
    ("a3", "Goldman Sachs", "Alibaba", "positive",
     (target("target_raised", 174, 158, "HKD", "buy", "positive"), target("target_raised", 179, 163, "USD", "buy", "positive"),
      rating("reiterate", "buy", "positive"))),
    ("a3", "HSBC", "Nvidia", "positive",
     (rating("upgrade", "buy", "positive"), target("target_raised", 320, 200, "USD", "buy", "positive"))),
]  # fmt: skip


def extractions() -> list[ArticleExtraction]:
    """The articles with their claims, each claim's evidence a sentence of its own."""
    found = []
    for key, (date, lang) in ARTICLES.items():
        mine = [c for c in CLAIMS if c[0] == key]
        sentences = [f"{holder} on {target_}: {stance} ({len(actions)} actions)." for _, holder, target_, stance, actions in mine]
        body = " ".join(sentences)
        article = Article(f"article:{key}", f"/corpus/{key}.md", f"Notes {key}", date, lang, f"https://example.com/{key}",
                          "Example Wire", body, body)  # fmt: skip
        claims, start = [], 0
        for (_, holder, target_, stance, actions), sentence in zip(mine, sentences, strict=True):
            claims.append(
                Claim(article.id, article.path, date, holder, "Institution", target_, "Company", stance, stance, None,
                      sentence, start, start + len(sentence), 0.9, "test/1", actions=actions)
            )  # fmt: skip
            start += len(sentence) + 1
        mentioned = sorted({c.holder for c in claims} | {c.target for c in claims})
        found.append(ArticleExtraction(article, tuple(claims), tuple(mentioned)))
    return found


def actions_graph() -> nx.MultiDiGraph:
    return build_graph(extractions(), CATALOGUE)


def claim_id(holder: str, target_: str, key: str) -> str:
    """The id of the claim of ``holder`` on ``target_`` in article ``key``."""
    for extraction in extractions():
        for claim in extraction.claims:
            if (claim.holder, claim.target, claim.article_id) == (holder, target_, f"article:{key}"):
                return claim.id
    raise KeyError((holder, target_, key))
