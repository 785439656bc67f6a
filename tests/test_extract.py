"""The rule extractor, one behaviour per test, on short texts written for these tests."""

from __future__ import annotations

import pytest

from kg.extract import RuleExtractor, load_catalogue
from kg.extract.rules import EXTRACTOR
from kg.model import Article
from kg.sources.markdown import parse_markdown


@pytest.fixture(scope="module")
def extractor() -> RuleExtractor:
    return RuleExtractor(load_catalogue())


def article(body: str, lang: str = "zh-Hans") -> Article:
    return Article(
        id="article:test",
        path="test.md",
        title="t",
        date="2025-03-01",
        lang=lang,
        url=None,
        outlet=None,
        body=body,
        prose=body,
    )


def views(extractor: RuleExtractor, body: str, lang: str = "zh-Hans") -> list[tuple[str, str, str]]:
    return [(c.holder, c.target, c.stance) for c in extractor.extract(article(body, lang)).claims]


def test_a_named_holder_before_a_cue_holds_the_view(extractor):
    assert views(extractor, "瑞银认为，英伟达将受益于推理需求的增长。") == [("UBS", "Nvidia", "positive")]


def test_a_sentence_listing_several_targets_gives_one_claim_each(extractor):
    assert views(extractor, "高盛认为，腾讯、阿里巴巴和百度都将受益。") == [
        ("Goldman Sachs", "Tencent", "positive"),
        ("Goldman Sachs", "Alibaba", "positive"),
        ("Goldman Sachs", "Baidu", "positive"),
    ]


def test_gai_hang_resolves_to_the_bank_named_before(extractor):
    body = "摩根士丹利发布了新报告。该行认为，台积电的估值偏高。"
    assert views(extractor, body) == [("Morgan Stanley", "TSMC", "negative")]


def test_a_pronoun_resolves_to_the_latest_speaker(extractor):
    body = "Jefferies said Meta was well positioned. They also said Microsoft faces pressure."
    assert views(extractor, body, "en") == [
        ("Jefferies", "Meta", "positive"),
        ("Jefferies", "Microsoft", "negative"),
    ]


def test_a_collective_cue_gives_the_investment_banks_group(extractor):
    assert views(extractor, "投行普遍认为，苹果在AI领域的进展相对滞后。") == [("Investment banks", "Apple", "negative")]


def test_a_reported_fact_is_unattributed(extractor):
    claims = extractor.extract(article("据报道，亚马逊股价下跌5%。")).claims
    assert [(c.holder, c.holder_type, c.target, c.stance) for c in claims] == [
        ("Unattributed", "Unattributed", "Amazon", "negative")
    ]


def test_least_affected_is_positive_and_says_so(extractor):
    claims = extractor.extract(article("瑞银认为Meta受影响最小。")).claims
    assert [(c.target, c.stance, c.assessment) for c in claims] == [("Meta", "positive", "least affected")]


def test_a_negated_belief_flips_the_view(extractor):
    body = "Jefferies does not expect Meta to suffer from cheaper models."
    assert views(extractor, body, "en") == [("Jefferies", "Meta", "positive")]


def test_bu_kan_hao_is_negative(extractor):
    assert views(extractor, "野村不看好美光。") == [("Nomura", "Micron", "negative")]


def test_traditional_script_matches_the_same_entities(extractor):
    assert views(extractor, "高盛認為，騰訊在AI代理應用方面最具優勢。", "zh-Hant") == [
        ("Goldman Sachs", "Tencent", "positive")
    ]


def test_the_company_named_only_to_introduce_its_model_is_not_a_target(extractor):
    assert views(extractor, "投行普遍认为，OpenAI的GPT-4将承压。") == [("Investment banks", "GPT-4", "negative")]


def test_a_yardstick_after_xiang_jiao_yu_is_not_a_target(extractor):
    body = "高盛认为，腾讯的估值相较于谷歌仍有折价空间。"
    assert views(extractor, body) == [("Goldman Sachs", "Tencent", "positive")]


def test_a_means_after_de_yi_yu_is_not_a_target(extractor):
    body = "高盛认为，得益于微信生态，腾讯最具优势。"
    assert views(extractor, body) == [("Goldman Sachs", "Tencent", "positive")]


def test_a_quote_followed_by_said_takes_the_speaker_after_it(extractor):
    body = '"Nvidia is the clear winner," said an analyst at Morgan Stanley.'
    assert views(extractor, body, "en") == [("Morgan Stanley", "Nvidia", "positive")]


def test_a_company_forecasting_its_own_spending_is_its_own_target(extractor):
    assert views(extractor, "微软预计今年将在资本支出上花费800亿美元。") == [("Microsoft", "Microsoft", "neutral")]


def test_a_concession_reads_as_mixed(extractor):
    body = "卡斯表示，尽管DeepSeek并非颠覆性创新，但它的出现意义重大。"
    assert views(extractor, body) == [("Zack Kass", "DeepSeek", "mixed")]


def test_a_contrast_clause_about_the_same_target_makes_it_mixed(extractor):
    body = "花旗表示，百度的云业务增长较快，但广告收入持续受压。"
    assert views(extractor, body) == [("Citi", "Baidu", "mixed")]


def test_a_neutral_sentence_without_a_cue_is_not_a_claim(extractor):
    assert views(extractor, "高盛认为，腾讯最具优势。腾讯将于下周公布业绩。") == [("Goldman Sachs", "Tencent", "positive")]


def test_evidence_offsets_index_the_body_as_read(extractor, tmp_path):
    text = '---\ntitle: "t"\ndate: "2025-03-01"\nlang: "zh-CN"\n---\n> 见[研报](https://example.com/r)。\n\n瑞银认为，英伟达将受益。\n'
    parsed = parse_markdown(str(tmp_path / "a.md"), text)
    (claim,) = extractor.extract(parsed).claims
    assert parsed.body[claim.evidence_start : claim.evidence_end] == claim.evidence == "瑞银认为，英伟达将受益。"


def test_each_claim_names_the_extractor_and_its_version(extractor):
    (claim,) = extractor.extract(article("瑞银认为，英伟达将受益。")).claims
    assert claim.extractor == EXTRACTOR == "kg-rules/0.3.0"


def test_claim_ids_are_the_same_on_every_run(extractor):
    first = extractor.extract(article("瑞银认为，英伟达将受益。")).claims
    second = RuleExtractor(load_catalogue()).extract(article("瑞银认为，英伟达将受益。")).claims
    assert [c.id for c in first] == [c.id for c in second]


def test_meta_is_not_found_inside_metaverse():
    catalogue = load_catalogue()
    assert [m.entity.name for m in catalogue.mentions("The metaverse bet and Meta's Llama")] == ["Meta", "Llama"]


def test_an_exchange_prefix_is_not_the_index_but_its_ticker_is_the_company():
    catalogue = load_catalogue()
    assert [m.surface for m in catalogue.mentions("Nvidia (NASDAQ:NVDA) rose")] == ["Nvidia", "NVDA"]
