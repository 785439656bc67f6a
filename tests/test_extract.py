"""The rule extractor, one behaviour per test, on short texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import RuleExtractor, load_catalogue
from kg.extract.short_names import company_short_names
from kg.extract.rules import EXTRACTOR
from kg.model import Article
from kg.sources.markdown import parse_markdown

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


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
    assert views(extractor, "野村认为，美光、SK海力士和三星电子都将受益。") == [
        ("Nomura", "Micron", "positive"),
        ("Nomura", "SK Hynix", "positive"),
        ("Nomura", "Samsung Electronics", "positive"),
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


def test_a_figure_below_an_expectation_it_is_compared_with_is_negative(extractor):
    body = "花旗指出，台积电第三季毛利率比市场预期低2个百分点。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.target, c.stance, c.assessment) for c in claims] == [("Citi", "TSMC", "negative", "below expectations")]


def test_a_figure_above_an_expectation_it_is_compared_with_is_positive(extractor):
    body = "高盛认为，英伟达的订单规模较市场共识高出一成。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.target, c.stance, c.assessment) for c in claims] == [("Goldman Sachs", "Nvidia", "positive", "above expectations")]


def test_what_a_company_disrupts_is_hurt_and_the_disrupter_is_no_target(extractor):
    assert views(extractor, "瑞银认为，DeepSeek将颠覆英伟达的商业模式。") == [("UBS", "Nvidia", "negative")]


def test_a_chinese_subheading_gives_no_claim(extractor):
    body = "高盛看好小米汽车业务\n高盛认为，小米的汽车业务将在明年实现盈利。"
    assert views(extractor, body) == [("Goldman Sachs", "Xiaomi", "positive")]


def test_a_chinese_list_line_with_a_target_price_still_gives_its_claim(extractor):
    assert views(extractor, "高盛：小米，买入，目标价60港元") == [("Goldman Sachs", "Xiaomi", "positive")]


def test_upside_potential_is_a_view_not_a_market_move(extractor):
    body = "华夏基金认为，美联储降息将利好港股。恒生科技指数有望展现更强的上涨潜力。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.target, c.stance, c.assessment) for c in claims][-1:] == [
        ("China Asset Management", "Hang Seng Tech Index", "positive", "potential")]


def test_a_risk_reward_that_does_not_attract_is_negative(extractor):
    assert views(extractor, "高盛表示，腾讯的估值已修复到合理水平，追高的风险回报并不吸引。") == [("Goldman Sachs", "Tencent", "negative")]


def test_added_revenue_is_positive_and_hard_to_bring_it_negative(extractor):
    assert views(extractor, "中金认为，AI眼镜有望为小米带来增量收入。") == [("CICC", "Xiaomi", "positive")]
    assert views(extractor, "摩根大通认为，金蝶的AI功能短期内难以带来额外收入。") == [("JPMorgan", "Kingdee", "negative")]


def test_a_group_s_officer_makes_no_company_called_group(extractor):
    result = extractor.extract(article("集团首席财务官王立新在电话会议上表示，今年新增签约有望创新高。"))
    assert [e.name for e in result.discovered] == ["王立新"]


def test_reiterate_before_a_name_opening_with_wan_is_no_shenwan(extractor):
    body = "花旗发表报告，重申万国数据“买入”评级。"
    assert views(extractor, body) == [("Citi", "GDS", "positive")]


def test_several_advisers_are_the_street(extractor):
    assert views(extractor, "多家投顾认为，台积电基本面仍然稳健。") == [("Investment banks", "TSMC", "positive")]


def test_a_company_s_move_inside_a_broker_s_words_is_no_holder(extractor):
    body = "凯基投顾表示，台积电若上调全年营收目标，将有助稳定市场信心。"
    assert views(extractor, body) == [("KGI Securities", "TSMC", "positive")]


def test_an_analyst_speaks_for_the_firm_named_before_him_in_the_sentence(extractor):
    body = "华泰证券看好工业富联。招商证券首次覆盖工业富联，分析师何嘉铭认为，公司是AI服务器的主要受益者。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.holder_person) for c in claims][-1] == ("China Merchants Securities", "何嘉铭")


def test_adding_to_earnings_is_positive(extractor):
    assert views(extractor, "中金认为，提价将增厚工业富联的盈利。") == [("CICC", "Foxconn Industrial Internet", "positive")]


def test_brokers_views_that_do_not_agree_are_mixed(extractor):
    assert views(extractor, "对于工业富联，券商的看法并不一致。") == [("Investment banks", "Foxconn Industrial Internet", "mixed")]


def test_yi_ming_opens_an_anonymous_source_as_yi_wei_does(extractor):
    assert views(extractor, "一名基金经理向本报表示，中兴的估值偏高。") == [("Anonymous source", "ZTE", "negative")]


def test_an_index_s_move_after_a_quote_is_the_market_reported(extractor):
    body = "一名基金经理向本报表示，中兴的估值偏高。同日，恒生科技指数升1.4%，中兴为表现最佳的成分股之一。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.target) for c in claims if c.holder_type != "Unattributed"] == [("Anonymous source", "ZTE")]


def test_a_belief_cue_after_a_negated_one_is_meant_as_said(extractor):
    body = "野村不看好存储板块，认为美光下季度将面临价格压力。"
    assert views(extractor, body) == [("Nomura", "Micron", "negative")]


def test_traditional_script_matches_the_same_entities(extractor):
    assert views(extractor, "高盛認為，騰訊在AI代理應用方面最具優勢。", "zh-Hant") == [
        ("Goldman Sachs", "Tencent", "positive")
    ]


def test_the_company_named_only_to_introduce_its_model_is_not_a_target(extractor):
    assert views(extractor, "投行普遍认为，OpenAI的GPT-4将承压。") == [("Investment banks", "GPT-4", "negative")]


def test_a_yardstick_after_xiang_jiao_yu_is_not_a_target(extractor):
    body = "高盛认为，腾讯的估值相较于谷歌仍有折价空间。"
    assert views(extractor, body) == [("Goldman Sachs", "Tencent", "positive")]


def test_a_means_after_ping_jie_is_not_a_target(extractor):
    body = "花旗认为，凭借微信生态，腾讯在AI应用上更具优势。"
    assert views(extractor, body) == [("Citi", "Tencent", "positive")]


def test_a_quote_followed_by_said_takes_the_speaker_after_it(extractor):
    body = '"Nvidia is the clear winner," said an analyst at Morgan Stanley.'
    assert views(extractor, body, "en") == [("Morgan Stanley", "Nvidia", "positive")]


def test_a_company_forecasting_its_own_spending_is_its_own_target(extractor):
    assert views(extractor, "亚马逊预计今年资本开支将超过千亿美元。") == [("Amazon", "Amazon", "neutral")]


def test_a_concession_reads_as_mixed(extractor):
    body = "野村表示，尽管小米的AI手机起步较晚，但生态优势明显。"
    assert views(extractor, body) == [("Nomura", "Xiaomi", "mixed")]


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


# -- several holders, and holders named before ------------------------------------


def test_coordinated_banks_each_hold_the_view(extractor):
    body = "野村、瑞银和麦格理先后发表报告，一致重申台积电“买入”评级。"
    assert views(extractor, body) == [
        ("Nomura", "TSMC", "positive"),
        ("UBS", "TSMC", "positive"),
        ("Macquarie", "TSMC", "positive"),
    ]


def test_each_bank_holds_the_part_of_the_sentence_it_opens(extractor):
    body = "野村将小米目标价由40港元上调至48港元；瑞银则将小米目标价下调至35港元。"
    assert views(extractor, body) == [("Nomura", "Xiaomi", "positive"), ("UBS", "Xiaomi", "negative")]


def test_two_firms_stands_for_the_banks_the_sentence_before_named(extractor):
    body = "野村和瑞银发表报告看好台积电。两家机构均认为台积电的先进制程领先。"
    assert views(extractor, body)[2:] == [("Nomura", "TSMC", "positive"), ("UBS", "TSMC", "positive")]


def test_banks_named_before_a_collective_word_are_the_holders(extractor):
    body = "摩根大通、美银等外资券商均看好台积电。"
    assert views(extractor, body) == [("JPMorgan", "TSMC", "positive"), ("Bank of America", "TSMC", "positive")]


def test_an_analyst_speaks_for_the_firm_named_before_the_title(extractor):
    (claim,) = extractor.extract(article("华泰证券分析师王磊表示，百度的云业务增长强劲。")).claims
    assert (claim.holder, claim.holder_person, claim.target, claim.stance) == ("Huatai Securities", "王磊", "Baidu", "positive")


def test_an_english_analyst_speaks_for_their_firm(extractor):
    (claim,) = extractor.extract(article("Barclays analyst Jane Roe said Micron is well positioned.", "en")).claims
    assert (claim.holder, claim.holder_person, claim.target) == ("Barclays", "Jane Roe", "Micron")


def test_a_firm_unknown_to_the_catalogue_is_recognised_by_its_suffix(extractor):
    extraction = extractor.extract(article("Northwind Research said Micron is undervalued.", "en"))
    assert [(c.holder, c.holder_type, c.target, c.stance) for c in extraction.claims] == [
        ("Northwind Research", "Institution", "Micron", "positive")
    ]
    assert [(e.name, e.type, e.discovered) for e in extraction.discovered] == [("Northwind Research", "Institution", True)]


@pytest.mark.parametrize("firm", ["Northwind Funds", "Northwind Investment Group", "Northwind Wealth"])
def test_funds_investment_groups_and_wealth_houses_are_firms_by_their_suffix(extractor, firm):
    assert views(extractor, f"{firm} said Micron is undervalued.", "en") == [(firm, "Micron", "positive")]


def test_a_consensus_figure_is_the_street_s_view_without_an_action(extractor):
    (claim,) = extractor.extract(article("The average price target on Micron is about $140.", "en")).claims
    assert (claim.holder, claim.holder_type, claim.target, claim.actions) == ("Investment banks", "Group", "Micron", ())


def test_the_sell_side_takes_no_side(extractor):
    assert views(extractor, "Analysts at Citi said the sell side is too cautious on Micron.", "en") == [
        ("Citi", "Micron", "negative")
    ]


# -- analyst actions ----------------------------------------------------------------


def _actions(extractor, body: str, lang: str = "zh-Hans"):
    return [(c.holder, c.target, [a.to_record() for a in c.actions]) for c in extractor.extract(article(body, lang)).claims]


def test_a_target_raised_from_one_figure_to_another_keeps_both_and_the_currency(extractor):
    [(_, _, actions), _] = _actions(extractor, "野村将小米目标价由40港元上调至48港元；瑞银则将小米目标价下调至35港元。")
    assert actions == [{"action": "target_raised", "rating": None, "rating_class": None, "price_target": 48.0,
                        "previous_target": 40.0, "currency": "HKD"}]


def test_yuan_alone_takes_the_currency_of_the_market_the_share_is_listed_in(extractor):
    [(_, target, actions)] = _actions(extractor, "高盛将小米目标价上调至50元，维持“买入”评级。")
    assert (target, [(a["action"], a["currency"]) for a in actions]) == (
        "Xiaomi", [("reiterate", None), ("target_raised", "HKD")]
    )


def test_the_amount_a_target_moved_by_is_not_the_target(extractor):
    [(_, _, actions)] = _actions(extractor, "Wedbush trimmed its Palantir target by $10 to $190.", "en")
    assert [(a["action"], a["price_target"], a["currency"]) for a in actions] == [("target_cut", 190.0, "USD")]


def test_ratings_given_respectively_go_to_their_firms_in_order(extractor):
    actions = _actions(extractor, "高盛、大摩分别给予腾讯买入和增持评级。")
    assert [(holder, [(a["action"], a["rating"]) for a in acts]) for holder, _, acts in actions] == [
        ("Goldman Sachs", [("reiterate", "buy")]), ("Morgan Stanley", [("reiterate", "overweight")])]


def test_firms_that_both_rate_a_company_a_buy_each_reiterate_it(extractor):
    actions = _actions(extractor, "Goldman Sachs and Morgan Stanley both rate Tencent a buy.", "en")
    assert [(holder, [(a["action"], a["rating"]) for a in acts]) for holder, _, acts in actions] == [
        ("Goldman Sachs", [("reiterate", "buy")]), ("Morgan Stanley", [("reiterate", "buy")])]


def test_a_cut_target_with_a_buy_rating_kept_is_mixed(extractor):
    body = "Goldman Sachs cut its price target on Intel to $20 from $25 but kept its buy rating."
    [claim] = extractor.extract(article(body, "en")).claims
    assert (claim.stance, [(a.action, a.rating, a.price_target, a.previous_target) for a in claim.actions]) == (
        "mixed", [("reiterate", "buy", None, None), ("target_cut", "buy", 20.0, 25.0)]
    )


def test_an_analyst_cutting_his_rating_is_a_downgrade_by_his_firm(extractor):
    body = "Jefferies analyst Brent Thill turned cautious on Adobe, cutting his rating to hold."
    assert [(h, t, [(a["action"], a["rating"]) for a in acts]) for h, t, acts in _actions(extractor, body, "en")] == [
        ("Jefferies", "Adobe", [("downgrade", "hold")])
    ]


def test_an_index_forecast_to_rise_to_a_level_sets_a_target_without_raising_one(extractor):
    [(_, target, actions)] = _actions(extractor, "摩根士丹利预计，恒生指数明年底将升至28000点。")
    assert (target, [(a["action"], a["price_target"], a["currency"]) for a in actions]) == (
        "Hang Seng Index", [("target_set", 28000.0, "points")]
    )


def test_a_broker_list_line_gives_the_broker_s_target_for_the_company_in_focus(extractor):
    body = (
        "Several brokers lifted their price targets on Micron after the results:\n"
        "Argus Research, to $150 from $120\nBarclays, to $140 from $115"
    )
    found = _actions(extractor, body, "en")[1:]
    assert [(h, t, a[0]["price_target"], a[0]["previous_target"]) for h, t, a in found] == [
        ("Argus Research", "Micron", 150.0, 120.0),
        ("Barclays", "Micron", 140.0, 115.0),
    ]


def test_the_stock_is_the_company_named_before(extractor):
    body = "Micron shares rose 5% on Tuesday.\nNomura upgraded the stock to buy."
    assert _actions(extractor, body, "en")[1] == ("Nomura", "Micron", [
        {"action": "upgrade", "rating": "buy", "rating_class": "positive", "price_target": None,
         "previous_target": None, "currency": None}
    ])


def test_a_rating_given_when_coverage_starts_is_the_initiation(extractor):
    [(_, _, actions)] = _actions(extractor, "野村首次覆盖寒武纪并予以“买入”评级，目标价定在1500元。")
    assert [(a["action"], a["rating"], a["price_target"], a["currency"]) for a in actions] == [
        ("initiate", "buy", None, None), ("target_set", "buy", 1500.0, "CNY")
    ]


def test_each_claim_names_the_extractor_and_its_version(extractor):
    (claim,) = extractor.extract(article("瑞银认为，英伟达将受益。")).claims
    assert claim.extractor == EXTRACTOR == "kg-rules/0.11.0"


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


# -- what a reader sees in the records ------------------------------------------------


def test_every_assessment_is_english(extractor):
    from kg.sources import read_articles

    cjk = [c.assessment for a in read_articles([EXAMPLES]) for c in extractor.extract(a).claims
           if any("\u4e00" <= ch <= "\u9fff" for ch in c.assessment)]
    assert cjk == []


def test_the_topic_is_the_driver_a_topic_word_names_not_the_company_named_most(extractor):
    body = "DeepSeek的崛起冲击了芯片股。野村认为，英伟达的长期优势不受影响。瑞银认为，AMD将受益。"
    assert {c.topic for c in extractor.extract(article(body)).claims} == {"DeepSeek"}


def test_a_company_whose_target_banks_raise_is_not_its_own_holder(extractor):
    assert views(extractor, "台积电法说会后，各大券商纷纷上调目标价。") == [("Investment banks", "TSMC", "positive")]


def test_a_company_speaking_of_its_outlook_is_its_own_target(extractor):
    (claim,) = extractor.extract(article("美光在业绩会上表示，下季度收入预计约为80亿美元。")).claims
    assert (claim.holder, claim.target, claim.stance, claim.assessment) == ("Micron", "Micron", "neutral", "own outlook")


def test_a_company_expecting_its_own_revenue_to_grow_is_positive_on_itself(extractor):
    (claim,) = extractor.extract(article("美光在业绩会上表示，下季度收入预计将增长。")).claims
    assert (claim.holder, claim.target, claim.stance, claim.assessment) == ("Micron", "Micron", "positive", "expects growth")


def test_the_object_of_a_blow_marked_by_dui_takes_it_and_its_cause_holds_no_view(extractor):
    assert views(extractor, "摩根大通认为，新模型的发布对英伟达构成利空。") == [("JPMorgan", "Nvidia", "negative")]


def test_a_company_that_only_causes_what_the_sentence_judges_is_no_target(extractor):
    assert views(extractor, "Goldman said Nvidia weighs on the rest of the sector.", "en") == []


def test_a_product_upgrade_cycle_is_no_rating_upgrade(extractor):
    text = "UBS is cautious on Apple and doubts AI features will start an upgrade cycle."
    claims = extractor.extract(article(text, "en")).claims
    assert [(c.holder, c.target, c.stance, c.actions) for c in claims] == [("UBS", "Apple", "negative", ())]


def test_the_short_chinese_name_of_lenovo_names_it_but_not_inside_lianxiangdao(extractor):
    assert views(extractor, "野村将联想评级下调至中性。") == [("Nomura", "Lenovo", "negative")]
    assert views(extractor, "高盛表示，这让人联想到当年的泡沫。") == []


def test_a_broker_cutting_its_earnings_forecast_for_a_company_is_negative_on_it(extractor):
    assert views(extractor, "华泰证券下调美团盈利预测，主要由于外卖竞争加剧。") == [("Huatai Securities", "Meituan", "negative")]


def test_a_company_cutting_its_own_prices_is_no_negative_view(extractor):
    assert views(extractor, "百度表示，文心大模型的价格再下调五成，调用量创新高。") == [("Baidu", "Ernie", "positive")]


def test_an_investor_named_with_her_firm_in_apposition_holds_her_own_view(extractor):
    text = "Cathie Wood, chief executive of ARK Invest, said Tesla is the biggest AI opportunity."
    assert views(extractor, text, "en") == [("Cathie Wood", "Tesla", "positive")]


def test_a_company_in_the_apposition_of_a_speaker_is_no_target(extractor):
    text = "Google, one of Broadcom's largest customers, said its Gemini models are growing fast."
    assert views(extractor, text, "en") == [("Google", "Gemini", "positive")]


def test_beat_estimates_is_a_stance_not_a_company_estimating(extractor):
    text = "Wall Street analysts broadly expect Microsoft to beat estimates."
    assert [c.holder for c in extractor.extract(article(text, "en")).claims] == ["Investment banks"]


def test_the_other_side_of_a_deal_is_no_target_of_the_view(extractor):
    text = "Jefferies said AMD's new agreement with OpenAI makes its growth outlook much stronger."
    assert views(extractor, text, "en") == [("Jefferies", "AMD", "positive")]


def test_the_company_opening_a_paragraph_is_the_one_the_last_paragraph_spoke_of(extractor):
    text = (
        "Nvidia rose 2% on the day.\n\n"
        "Citi also reiterated a buy rating on AMD.\n\n"
        "The company's partnership with OpenAI is a major growth driver, Citi said."
    )
    assert ("Citi", "AMD", "positive") in views(extractor, text, "en")
    assert ("Citi", "OpenAI", "positive") not in views(extractor, text, "en")


def test_a_company_that_is_a_banks_top_pick_is_the_banks_positive_view(extractor):
    assert views(extractor, "Nvidia is Morgan Stanley's top pick in semiconductors.", "en") == [("Morgan Stanley", "Nvidia", "positive")]


def test_a_company_that_is_a_brokers_first_choice_in_chinese_is_its_positive_view(extractor):
    assert views(extractor, "英伟达仍是高盛的首选股。") == [("Goldman Sachs", "Nvidia", "positive")]


def test_a_view_in_the_passive_with_no_one_named_is_the_previous_reports(extractor):
    text = "BofA raised its capex forecast for cloud vendors.\n\nChip companies such as Nvidia and Broadcom were cited as well-positioned."
    assert views(extractor, text, "en") == [("Bank of America", "Nvidia", "positive"), ("Bank of America", "Broadcom", "positive")]


def test_a_view_in_the_passive_with_no_report_before_it_stays_unattributed(extractor):
    text = "Chip companies such as Nvidia were cited as well-positioned."
    assert views(extractor, text, "en") == [("Unattributed", "Nvidia", "positive")]


def test_a_broker_seeing_a_price_war_and_sluggish_demand_is_negative(extractor):
    text = "中信证券认为，行业价格战加剧，需求低迷，比亚迪盈利恶化。"
    assert views(extractor, text) == [("CITIC Securities", "BYD", "negative")]


def test_falling_costs_are_no_negative_view_of_the_company(extractor):
    assert views(extractor, "中信证券认为，比亚迪电池成本下降。")[0][2] != "negative"


def test_what_precedes_dui_is_the_subject_and_what_follows_is_the_objects(extractor):
    text = "摩根大通表示，价格战对小米反而是利好。"
    assert views(extractor, text) == [("JPMorgan", "Xiaomi", "positive")]


def test_a_rating_moved_to_hold_from_buy_is_a_downgrade_whatever_the_verb(extractor):
    claims = extractor.extract(article("Jefferies moved its rating on Apple to hold from buy.", "en")).claims
    assert [(c.holder, c.target, c.stance, [(a.action, a.rating) for a in c.actions]) for c in claims] == [
        ("Jefferies", "Apple", "negative", [("downgrade", "hold")])
    ]


def test_a_bank_switching_to_a_rating_rates_the_company(extractor):
    claims = extractor.extract(article("UBS switches to Neutral on Intel.", "en")).claims
    assert [(c.holder, c.target, c.stance, [(a.action, a.rating) for a in c.actions]) for c in claims] == [
        ("UBS", "Intel", "neutral", [("reiterate", "neutral")])
    ]


def test_a_rating_switched_to_neutral_from_buy_is_a_downgrade(extractor):
    claims = extractor.extract(article("UBS switched its rating on Intel to Neutral from Buy.", "en")).claims
    assert [(c.holder, c.target, c.stance, [(a.action, a.rating) for a in c.actions]) for c in claims] == [
        ("UBS", "Intel", "negative", [("downgrade", "neutral")])
    ]


def test_a_rating_changed_from_neutral_to_buy_in_chinese_is_an_upgrade(extractor):
    claims = extractor.extract(article("中金将小米评级由中性调整为买入。")).claims
    assert [(c.holder, c.target, c.stance, [(a.action, a.rating) for a in c.actions]) for c in claims] == [
        ("CICC", "Xiaomi", "positive", [("upgrade", "buy")])
    ]


def test_a_company_raising_its_own_guidance_is_positive_on_itself(extractor):
    assert views(extractor, "Microsoft raised its full-year revenue guidance.", "en") == [("Microsoft", "Microsoft", "positive")]


def test_a_company_cutting_its_own_outlook_is_negative_on_itself(extractor):
    assert views(extractor, "Microsoft cut its full-year revenue outlook.", "en") == [("Microsoft", "Microsoft", "negative")]


def test_a_broker_raising_its_price_target_is_no_company_guidance(extractor):
    assert views(extractor, "Goldman raised its price target on Microsoft.", "en") == [("Goldman Sachs", "Microsoft", "positive")]


def test_a_taiwanese_plan_jihua_is_a_company_speaking_of_itself(extractor):
    assert views(extractor, "台積電計畫將長期毛利率目標上調至56%以上。", "zh-Hant") == [("TSMC", "TSMC", "positive")]


def test_a_share_of_the_analysts_tracked_by_a_data_vendor_is_the_banks_at_large(extractor):
    text = "Most of the analysts tracked by Bloomberg recommend buying Nvidia."
    assert views(extractor, text, "en") == [("Investment banks", "Nvidia", "positive")]


def test_relieving_a_pressure_is_positive_for_the_company_relieved(extractor):
    assert views(extractor, "瑞银认为，甲骨文通过表外融资缓解资本开支压力。") == [("UBS", "Oracle", "positive")]


def test_a_deal_that_eases_concerns_is_positive(extractor):
    assert views(extractor, "Citi said the deal should ease concerns about Oracle's debt.", "en") == [("Citi", "Oracle", "positive")]


def actions_of(extractor: RuleExtractor, body: str, lang: str = "zh-Hans") -> list[tuple[str, str | None, float | None]]:
    return [(a.action, a.rating, a.price_target) for c in extractor.extract(article(body, lang)).claims for a in c.actions]


def test_a_bank_starting_a_company_at_a_rating_initiates_coverage(extractor):
    assert actions_of(extractor, "Morgan Stanley starts Nvidia at overweight, price target $200.", "en") == [
        ("initiate", "overweight", None), ("target_set", "overweight", 200.0)
    ]


def test_brokers_that_began_a_company_at_a_rating_initiate_coverage(extractor):
    assert actions_of(extractor, "Needham and Rosenblatt both began Arm at buy.", "en") == [
        ("initiate", "buy", None), ("initiate", "buy", None)
    ]


def test_a_broker_starting_coverage_at_a_rating_initiates_it(extractor):
    assert actions_of(extractor, "JPMorgan is cautious, starting coverage of Arm at neutral.", "en") == [("initiate", "neutral", None)]


def test_a_rating_right_after_reiterated_is_a_rating(extractor):
    assert actions_of(extractor, "Barclays raised its price target on Nvidia to $250 from $200 and reiterated overweight.", "en") == [
        ("reiterate", "overweight", None), ("target_raised", "overweight", 250.0)
    ]


def test_raising_its_target_is_a_price_target_move(extractor):
    assert actions_of(extractor, "Evercore ISI kept its outperform rating on Alphabet, raising its target to $300.", "en") == [
        ("reiterate", "outperform", None), ("target_raised", "outperform", 300.0)
    ]


def test_cutting_a_companys_rating_to_underweight_in_chinese_is_a_downgrade(extractor):
    assert actions_of(extractor, "摩根士丹利下调美团评级至“减持”。") == [("downgrade", "underweight", None)]


def test_limited_upside_is_a_negative_view_though_upside_alone_is_positive(extractor):
    assert views(extractor, "Citi sees limited upside for Nvidia.", "en") == [("Citi", "Nvidia", "negative")]
    assert views(extractor, "Citi sees significant upside for Nvidia.", "en") == [("Citi", "Nvidia", "positive")]


def test_revenue_forecast_to_decline_by_a_percentage_is_negative(extractor):
    assert views(extractor, "Citi expects Nvidia's revenue to decline 10% next year.", "en") == [("Citi", "Nvidia", "negative")]


def test_costs_forecast_to_decline_by_a_percentage_are_no_negative_view(extractor):
    assert views(extractor, "Citi expects Nvidia's operating costs to decline 10%.", "en") == [("Citi", "Nvidia", "positive")]


def test_a_noun_plans_after_a_possessive_is_no_company_speaking(extractor):
    text = "Jefferies published a note. The firm said Meta's spending plans are a concern."
    assert views(extractor, text, "en") == [("Jefferies", "Meta", "negative")]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Jefferies said AWS is losing momentum.", "negative"),
        ("Jefferies said Meta's free cash flow will shrink.", "negative"),
        ("Jefferies said Apple is behind in AI.", "negative"),
        ("Jefferies said Palantir's valuation leaves no room for error.", "negative"),
        ("Jefferies remains supportive of Meta.", "positive"),
    ],
)
def test_the_everyday_words_of_a_broker_note_take_a_side(extractor, sentence, stance):
    assert [v[2] for v in views(extractor, sentence, "en")] == [stance]


def test_mediocre_and_expensive_in_chinese_are_negative(extractor):
    assert views(extractor, "高盛认为，网易的新游戏表现平平。") == [("Goldman Sachs", "NetEase", "negative")]
    assert views(extractor, "高盛认为，华虹半导体估值偏贵。") == [("Goldman Sachs", "Hua Hong", "negative")]


def test_the_short_names_the_chinese_press_uses_name_the_company(extractor):
    assert views(extractor, "高盛认为，蔚来的增长乏力。") == [("Goldman Sachs", "NIO", "negative")]


def test_the_short_names_of_brokers_name_them_but_not_inside_other_words(extractor):
    assert views(extractor, "华泰认为，腾讯的AI布局领先同业。") == [("Huatai Securities", "Tencent", "positive")]
    assert [v[0] for v in views(extractor, "美国投资人看好英伟达。")] != ["SDIC Securities"]


def test_a_bank_named_with_other_brokerages_holds_its_own_move(extractor):
    assert actions_of(extractor, "Citi and other brokerages cut their price targets on Meta.", "en") == [("target_cut", None, None)]
    assert [v[0] for v in views(extractor, "花旗和其他券商上调英伟达目标价。")] == ["Citi"]


def test_a_rating_move_in_a_later_clause_is_on_the_company_the_sentence_named(extractor):
    text = "Analysts were mixed: Bernstein raised its target on Apple while Jefferies cut its rating to hold."
    assert views(extractor, text, "en") == [("Bernstein", "Apple", "positive"), ("Jefferies", "Apple", "negative")]


def test_brokerages_cutting_their_targets_are_the_street_turning_negative(extractor):
    assert views(extractor, "At least ten brokerages cut their price targets on Microsoft.", "en") == [
        ("Investment banks", "Microsoft", "negative")
    ]


def test_a_bank_joining_other_brokers_holds_its_own_move(extractor):
    assert views(extractor, "Jefferies joined other brokers in raising its price target on Nvidia.", "en") == [
        ("Jefferies", "Nvidia", "positive")
    ]


def test_taiwans_underperform_rating_is_negative(extractor):
    assert actions_of(extractor, "大摩维持联发科「劣于大盘」评级。", "zh-Hant") == [("reiterate", "underperform", None)]


def test_hong_kongs_sell_rating_is_a_sell(extractor):
    (claim,) = extractor.extract(article("瑞銀維持小米「沽售」評級，目標價40港元。", "zh-Hant")).claims
    assert (claim.holder, claim.target, claim.stance, [(a.action, a.rating) for a in claim.actions][0]) == (
        "UBS", "Xiaomi", "negative", ("reiterate", "sell"))


def test_taiwans_words_for_year_on_year_growth_and_decline_take_a_side(extractor):
    assert views(extractor, "高盛预估，台积电明年营收将成长25%。", "zh-Hant") == [("Goldman Sachs", "TSMC", "positive")]
    assert views(extractor, "高盛预估，联发科明年营收年减10%。", "zh-Hant") == [("Goldman Sachs", "MediaTek", "negative")]


def test_foreign_brokers_at_large_giving_a_neutral_rating_are_the_streets_neutral_view(extractor):
    assert views(extractor, "美系外资给予联发科「中立」评级。", "zh-Hant") == [("Investment banks", "MediaTek", "neutral")]


def test_banks_counted_not_named_are_the_street(extractor):
    assert views(extractor, "At least two firms downgraded Meta on Thursday.", "en") == [("Investment banks", "Meta", "negative")]


def test_benchmark_capitalised_in_a_rating_move_is_the_broker(extractor):
    assert views(extractor, "Benchmark downgraded Meta to hold from buy.", "en") == [("Benchmark", "Meta", "negative")]
    assert views(extractor, "The benchmark index fell 2%.", "en") == []


def test_a_class_of_companies_is_not_the_company_in_focus(extractor):
    body = "金山办公发布新品。东亚银行认为，美联储减息将有利资金回流港股，AI相关股份的估值有望修复。"
    assert views(extractor, body) == []
    body = "金山办公发布新品。高盛认为，部分算力公司的估值已反映了2027年的盈利。"
    assert [target for _, target, _ in views(extractor, body)] == ["AI compute"]


def test_a_bare_gong_si_after_a_verb_of_saying_is_the_company_in_focus(extractor):
    body = "金山办公发布新品。高盛认为，公司的估值已反映了2027年的盈利。"
    assert views(extractor, body) == [("Goldman Sachs", "Kingsoft Office", "negative")]


def test_a_brokers_word_on_results_with_no_name_is_about_the_company_in_focus(extractor):
    body = "中芯国际发布三季报。中芯国际的产能利用率维持高位。东吴证券认为，折旧压力将在明年达到高峰，毛利率或难以明显回升。"
    assert views(extractor, body)[-1] == ("Soochow Securities", "SMIC", "negative")


def test_a_company_speaking_of_its_results_in_a_theme_speaks_of_itself(extractor):
    assert views(extractor, "技嘉指出，AI伺服器營收今年有望倍增。", "zh-Hant") == [("Gigabyte", "Gigabyte", "positive")]
    body = "Marvell said its optical interconnect chips would grow faster than the market."
    assert views(extractor, body, "en") == [("Marvell", "Marvell", "positive")]


def test_an_index_level_aimed_for_is_no_challenge_faced(extractor):
    body = "元大投顧認為，台股加權指數下半年有望挑戰25000點。"
    assert views(extractor, body, "zh-Hant") == [("Yuanta", "TAIEX", "positive")]


def test_a_range_bound_market_is_a_neutral_view(extractor):
    assert views(extractor, "凱基投顧表示，台股短線將維持震盪。", "zh-Hant") == [("KGI Securities", "TAIEX", "neutral")]


@pytest.mark.parametrize("said, stance", [
    ("高盛指出，英伟达前景堪忧。", "negative"),
    ("高盛指出，英伟达面临客户砍单。", "negative"),
    ("高盛指出，英伟达业绩不如预期。", "negative"),
    ("高盛指出，英伟达利空出尽。", "positive"),
    ("高盛对英伟达看法偏空。", "negative"),
    ("高盛指出，英伟达旺季不旺。", "negative"),
    ("高盛指出，英伟达营运转弱。", "negative"),
    ("高盛指出，英伟达短线涨多。", "negative"),
    ("高盛指出，英伟达淡季不淡。", "positive"),
])
def test_the_common_words_of_a_chinese_market_note_take_a_side(extractor, said, stance):
    assert views(extractor, said) == [("Goldman Sachs", "Nvidia", stance)]


@pytest.mark.parametrize("said, stance", [
    ("Barclays said Nvidia shares have run too far.", "negative"),
    ("Barclays said Nvidia looks like a value trap.", "negative"),
    ("Barclays said Nvidia is its least preferred chipmaker.", "negative"),
    ("Barclays said Nvidia could see estimate cuts as demand starts to soften.", "negative"),
    ("Barclays said Nvidia has pricing power.", "positive"),
    ("Barclays said Nvidia could be hurt by export curbs.", "negative"),
    ("Barclays said Nvidia saw order pushouts.", "negative"),
    ("Barclays said Nvidia stands to lose the most.", "negative"),
    ("Barclays said Nvidia is a must-own.", "positive"),
    ("Barclays said it would not touch Nvidia.", "negative"),
    ("Barclays said Nvidia remains a core holding.", "positive"),
])
def test_the_common_words_of_an_english_note_take_a_side(extractor, said, stance):
    assert views(extractor, said, "en") == [("Barclays", "Nvidia", stance)]


@pytest.mark.parametrize("brief, stance", [
    ("Palantir was downgraded to neutral at Wedbush.", "negative"),
    ("Palantir got a downgrade from Wedbush on valuation concerns.", "negative"),
    ("Palantir's price target was raised to $200 from $180 at Wedbush.", "positive"),
])
def test_the_firm_named_after_the_action_it_took_holds_the_view(extractor, brief, stance):
    assert views(extractor, brief, "en") == [("Wedbush", "Palantir", stance)]


@pytest.mark.parametrize("brief, holder, target, stance", [
    ("小米获高盛上调目标价至60港元。", "Goldman Sachs", "Xiaomi", "positive"),
    ("寒武纪遭瑞银下调评级至中性。", "UBS", "Cambricon", "negative"),
    ("中芯国际被花旗下调目标价。", "Citi", "SMIC", "negative"),
])
def test_a_company_before_a_passive_marker_is_what_the_firm_after_it_acted_on(extractor, brief, holder, target, stance):
    assert views(extractor, brief) == [(holder, target, stance)]


def test_a_quotation_in_straight_quotes_goes_on_with_the_speaker_before_it(extractor):
    body = ('Barclays analyst Tom Smith upgraded AMD to overweight.\n\n'
            '"We think the MI450 will win share," Smith wrote in a note. "Intel is a value trap."')
    assert views(extractor, body, "en")[-1] == ("Barclays", "Intel", "negative")


def test_a_company_expecting_its_shipments_or_demand_to_pick_up_is_positive_about_itself(extractor):
    assert views(extractor, "台達電公布營收。公司也預期，液冷散熱解決方案將於下半年開始大量出貨。", "zh-Hant") == [
        ("Delta Electronics", "Delta Electronics", "positive")]
    body = "Tokyo Electron said it expects its China sales to normalize as demand from outside China picks up."
    assert views(extractor, body, "en") == [("Tokyo Electron", "Tokyo Electron", "positive")]


def test_a_journalists_epithet_for_the_company_points_at_the_company_in_focus(extractor):
    body = "Meta fell on Thursday.\n\nJefferies cut its price target on the social media giant to $600."
    assert views(extractor, body, "en")[-1] == ("Jefferies", "Meta", "negative")


def test_the_rival_a_company_faces_is_no_target_of_the_view(extractor):
    assert views(extractor, "Citi said Intel faces competition from AMD in servers.", "en") == [("Citi", "Intel", "negative")]
    assert views(extractor, "高盛指出，美团外卖业务面临京东的竞争压力。") == [("Goldman Sachs", "Meituan", "negative")]
    assert views(extractor, "瑞银指出，联发科在ASIC市场面对博通的激烈竞争。") == [("UBS", "MediaTek", "negative")]
    body = "Barclays said Microsoft faces pressure as customers are testing rival tools from Salesforce."
    assert views(extractor, body, "en") == [("Barclays", "Microsoft", "negative")]
    assert views(extractor, "Barclays sees AMD gaining share from Intel.", "en") == [("Barclays", "AMD", "positive")]


def test_the_customers_a_company_sells_to_are_no_targets_of_the_view(extractor):
    body = "Jefferies said Arista will benefit as customers including Meta and Oracle build larger clusters."
    assert views(extractor, body, "en") == [("Jefferies", "Arista", "positive")]
    body = "Jefferies said Arista will benefit as its customers, including Meta and Oracle, build larger clusters."
    assert views(extractor, body, "en") == [("Jefferies", "Arista", "positive")]


def test_the_report_saying_is_the_firm_that_published_it(extractor):
    assert views(extractor, "高盛发表研究报告。报告认为，百度的AI转型进展顺利。") == [("Goldman Sachs", "Baidu", "positive")]


def test_a_report_saying_with_no_firm_before_it_binds_nobody(extractor):
    assert views(extractor, "报告认为，百度的AI转型进展顺利。") == []


def test_a_chinese_clause_opening_on_its_verb_goes_on_with_the_firm_before_even_when_neutral(extractor):
    body = "高盛发表报告指，中芯国际前景理想。预计第三季收入将按季增长5至7%。"
    assert views(extractor, body) == [("Goldman Sachs", "SMIC", "positive"), ("Goldman Sachs", "SMIC", "neutral")]


def test_a_forecast_noun_mid_clause_does_not_make_the_firm_speak_again(extractor):
    body = "高盛发表报告指，中芯国际前景理想。联发科的订单预估从1万片提升至2万片。"
    assert views(extractor, body) == [("Goldman Sachs", "SMIC", "positive")]


def test_a_view_that_takes_no_side_is_a_neutral_claim_with_its_words(extractor):
    (claim,) = extractor.extract(article("Citi said Apple is fairly valued.", "en")).claims
    assert (claim.holder, claim.target, claim.stance, claim.assessment) == ("Citi", "Apple", "neutral", "fairly valued")
    assert views(extractor, "瑞银对英伟达持观望态度。") == [("UBS", "Nvidia", "neutral")]


def test_a_side_taken_in_the_same_clause_outweighs_a_word_that_takes_none(extractor):
    body = "Citi said Apple's results were in line with expectations, but its outlook is strong."
    assert views(extractor, body, "en") == [("Citi", "Apple", "positive")]


def test_a_firm_named_at_the_end_of_a_sentence_stops_at_its_full_stop(extractor):
    body = "The panel heard Jane Doe, a strategist at Acme Capital. Doe said the Hang Seng Tech Index would benefit."
    assert views(extractor, body, "en") == [("Acme Capital", "Hang Seng Tech Index", "positive")]


def test_a_yardstick_after_xiang_dang_yu_is_not_a_target(extractor):
    assert views(extractor, "花旗认为，英伟达的新订单规模相当于AMD全年营收，前景强劲。") == [("Citi", "Nvidia", "positive")]


def test_an_analyst_introduced_with_their_firm_speaks_for_it_when_named_alone_later(extractor):
    body = "直播邀请到了华夏基金市场观察员章悦欢，一起探讨。章悦欢表示，恒生科技有望深度受益。"
    assert views(extractor, body) == [("China Asset Management", "Hang Seng Tech Index", "positive")]


def test_a_second_bank_setting_a_level_for_the_index_just_named_holds_a_view_of_it(extractor):
    body = "Goldman expects the Hang Seng Index to reach 30,000 points, while JPMorgan sees it at 32,000 points."
    assert views(extractor, body, "en") == [("Goldman Sachs", "Hang Seng Index", "positive"), ("JPMorgan", "Hang Seng Index", "positive")]


def test_a_firms_analysts_named_by_possessive_speak_for_the_firm(extractor):
    assert views(extractor, "Nomura's analysts believe SK Hynix will stay the leader in HBM.", "en") == [("Nomura", "SK Hynix", "positive")]
    assert views(extractor, "高盛的分析师认为，腾讯将受益。") == [("Goldman Sachs", "Tencent", "positive")]


def test_taking_longer_than_expected_is_negative(extractor):
    body = "Analysts at Bernstein said Intel's turnaround would take longer than expected."
    assert views(extractor, body, "en") == [("Bernstein", "Intel", "negative")]


def test_a_rating_right_after_the_rated_company_is_the_rating(extractor):
    body = "Bernstein rates Meta outperform with a $700 price target."
    assert actions_of(extractor, body, "en") == [("reiterate", "outperform", None), ("target_set", "outperform", 700.0)]


def test_keybancs_sector_weight_is_a_neutral_rating(extractor):
    assert actions_of(extractor, "KeyBanc downgraded AMD to sector weight.", "en") == [("downgrade", "sector-weight", None)]


def test_wei_marks_a_contrast_as_but_does(extractor):
    assert views(extractor, "麦格理分析师表示，美光受惠于HBM需求，惟估值已偏高。") == [("Macquarie", "Micron", "mixed")]


def test_worries_called_excessive_are_no_worries(extractor):
    assert views(extractor, "瑞银认为，市场对英伟达的担忧是过虑。") == [("UBS", "Nvidia", "positive")]


def test_taiwans_fa_ren_are_the_institutions_at_large(extractor):
    assert views(extractor, "法人指出，台積電第四季營收有望優於預期。", "zh-Hant") == [("Investment banks", "TSMC", "positive")]


def test_a_company_the_catalogue_lacks_is_found_where_a_broker_rates_it(extractor):
    assert views(extractor, "Citi upgraded Zeta Systems to buy.", "en") == [("Citi", "Zeta Systems", "positive")]
    assert views(extractor, "花旗首次覆盖星辰科技，给予买入评级。") == [("Citi", "星辰科技", "positive")]
    assert views(extractor, "花旗将星辰科技目标价上调至50元。") == [("Citi", "星辰科技", "positive")]


def test_a_rating_a_theme_or_a_pronoun_is_no_company_found(extractor):
    assert views(extractor, "花旗给予该股买入评级。") == []
    assert views(extractor, "Citi upgraded India to overweight.", "en") == []


def test_a_chinese_companys_legal_name_makes_it_a_company(extractor):
    assert views(extractor, "中信证券认为，星辰科技股份有限公司有望受益于国产替代。") == [("CITIC Securities", "星辰科技", "positive")]


def test_growing_competition_is_negative(extractor):
    body = "Super Micro faces growing competition from Dell and HPE, according to Loop Capital."
    assert views(extractor, body, "en") == [("Loop Capital", "Super Micro", "negative")]


def test_who_rates_the_stock_states_a_rating_on_the_company_in_focus(extractor):
    body = "Susquehanna analyst Mehdi Hosseini said Intel was losing ground. Hosseini, who rates the stock neutral, added that it should keep growing."
    (first, second) = extractor.extract(article(body, "en")).claims
    assert (second.holder, second.target, second.stance) == ("Susquehanna", "Intel", "neutral")
    assert [(a.action, a.rating) for a in second.actions] == [("reiterate", "neutral")]


def test_a_rating_stated_after_a_target_move_is_kept_not_upgraded(extractor):
    body = "大摩将小米集团目标价由60港元上调至65港元，评级「增持」。"
    assert actions_of(extractor, body) == [("reiterate", "overweight", None), ("target_raised", "overweight", 65.0)]


def test_a_contrast_clause_where_the_company_suffers_a_blow_makes_the_view_mixed(extractor):
    assert views(extractor, "汇丰分析师表示，看好小米长远发展，但短期股价或受手机业务拖累。") == [("HSBC", "Xiaomi", "mixed")]


LIST_OF_TARGETS = """Analysts lifted their price targets on Broadcom after its results.

- Morgan Stanley: raised to $410 from $382, overweight
- Bernstein: target $400, outperform
- Mizuho, to $450 from $430
"""


def test_each_line_of_a_list_of_brokers_targets_is_its_own_sentence_and_action(extractor):
    claims = extractor.extract(article(LIST_OF_TARGETS, "en")).claims
    acted = [(c.holder, [(a.action, a.rating, a.price_target) for a in c.actions]) for c in claims if c.actions]
    assert acted == [
        ("Morgan Stanley", [("reiterate", "overweight", None), ("target_raised", "overweight", 410.0)]),
        ("Bernstein", [("reiterate", "outperform", None), ("target_set", "outperform", 400.0)]),
        ("Mizuho", [("target_raised", None, 450.0)]),
    ]


@pytest.mark.parametrize("body", ["高盛认为，腾讯未来增长强劲。", "高盛认为，腾讯前景非常乐观。", "高盛认为，腾讯不仅受益于AI，还受益于游戏。"])
def test_words_that_begin_with_a_negator_negate_nothing(extractor, body):
    assert views(extractor, body) == [("Goldman Sachs", "Tencent", "positive")]


def test_a_real_negator_still_flips_the_view(extractor):
    assert views(extractor, "高盛认为，腾讯前景并不乐观。") == [("Goldman Sachs", "Tencent", "negative")]


def test_lacking_confidence_is_negative(extractor):
    assert views(extractor, "瑞银认为，投资者对英伟达缺乏信心。") == [("UBS", "Nvidia", "negative")]


def test_the_risk_in_risk_reward_is_no_risk(extractor):
    assert views(extractor, "瑞银认为，甲骨文的风险收益比极具吸引力。") == [("UBS", "Oracle", "positive")]


def test_a_figure_after_a_currency_code_is_a_price(extractor):
    body = "Goldman Sachs maintains its Buy rating on Nvidia and raises its target price from USD 200 to USD 250."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.price_target, a.previous_target, a.currency) for a in claim.actions] == [
        ("reiterate", None, None, None), ("target_raised", 250.0, 200.0, "USD")
    ]


def test_reinstated_coverage_is_an_initiation_and_moved_to_a_lower_rating_a_downgrade(extractor):
    assert actions_of(extractor, "Bank of America reinstated coverage of Intel with an Underperform rating.", "en") == [
        ("initiate", "underperform", None)
    ]
    assert actions_of(extractor, "Barclays moved Apple to underweight from equal weight.", "en") == [("downgrade", "underweight", None)]


def test_according_to_a_firms_report_in_chinese_the_firm_holds_the_view(extractor):
    assert views(extractor, "据华泰证券研报，阿里巴巴前景向好。") == [("Huatai Securities", "Alibaba", "positive")]
    assert views(extractor, "数据显示，阿里巴巴收入增长强劲。") == [("Unattributed", "Alibaba", "positive")]


def test_a_bare_level_beside_an_index_is_a_target_in_points(extractor):
    body = "HSBC cut its Hang Seng Index target to 24,000 from 26,000."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.price_target, a.previous_target, a.currency) for a in claim.actions] == [("target_cut", 24000.0, 26000.0, "points")]
    assert actions_of(extractor, "Goldman Sachs raised its year-end S&P 500 target to 7,000.", "en") == [("target_raised", None, 7000.0)]


def test_a_banks_index_target_stated_with_is_is_its_level(extractor):
    body = "Citi's year-end S&P 500 target is 7,000."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert (claim.holder, claim.target, claim.stance) == ("Citi", "S&P 500", "positive")
    assert [(a.action, a.price_target, a.currency) for a in claim.actions] == [("target_set", 7000.0, "points")]


def test_names_with_accented_letters_are_read_whole(extractor):
    body = '"Alibaba is finally showing that its AI spending can pay off," said Jane Roe, managing director at Union Bancaire Privée.'
    assert views(extractor, body, "en") == [("Union Bancaire Privée", "Alibaba", "positive")]


def test_a_companys_cloud_named_by_possessive_is_its_cloud_product(extractor):
    body = "Morgan Stanley said demand for Alibaba's cloud services is accelerating."
    assert views(extractor, body, "en") == [("Morgan Stanley", "Alibaba Cloud", "positive")]


def test_a_risk_the_market_overprices_is_no_risk(extractor):
    assert views(extractor, "瑞银认为，市场过度定价了英伟达的违约风险。") == [("UBS", "Nvidia", "positive")]
    assert views(extractor, "瑞银认为，投资者过度担忧英伟达的竞争压力。") == [("UBS", "Nvidia", "positive")]


def test_a_contrast_a_clause_later_still_qualifies_the_view(extractor):
    body = "摩根士丹利指出，百度积极投入AI，展现出技术优势，但核心业务有压力。"
    assert views(extractor, body) == [("Morgan Stanley", "Baidu", "mixed")]


def test_a_diminisher_closing_the_clause_relieves_the_worry_it_names(extractor):
    body = "Kestrel Research said the selloff in Nvidia is overdone."
    assert views(extractor, body, "en") == [("Kestrel Research", "Nvidia", "positive")]


def test_zai_x_kanlai_makes_x_the_holder(extractor):
    assert views(extractor, "在华泰证券看来，英伟达的估值仍然偏高。") == [("Huatai Securities", "Nvidia", "negative")]


def test_the_firm_an_article_names_an_analyst_with_beats_the_catalogues(extractor):
    body = "Jefferies analyst Hong Hao said Alibaba looks cheap."
    assert views(extractor, body, "en") == [("Jefferies", "Alibaba", "positive")]


def test_growth_that_speeds_up_is_praise(extractor):
    assert views(extractor, "高盛指，阿里巴巴收入增长加快。") == [("Goldman Sachs", "Alibaba", "positive")]


def test_expectations_too_high_are_a_warning(extractor):
    assert views(extractor, "野村认为，市场对苹果AI功能的期待过高。") == [("Nomura", "Apple", "negative")]


def test_a_tough_year_is_no_praise(extractor):
    body = "Needham said ASML faces a tough year as demand fades."
    assert views(extractor, body, "en") == [("Needham", "ASML", "negative")]


def test_the_worst_being_over_is_a_positive_view(extractor):
    body = "Citi believes the worst is over for Samsung Electronics."
    assert views(extractor, body, "en") == [("Citi", "Samsung Electronics", "positive")]


def test_the_company_may_mean_one_the_catalogue_lacks(extractor):
    body = ('Kestrel Research initiated coverage of Zeta Systems with a neutral rating. '
            '"We see the shares as fairly valued," the analysts wrote.')
    assert views(extractor, body, "en") == [("Kestrel Research", "Zeta Systems", "neutral"), ("Kestrel Research", "Zeta Systems", "neutral")]


def test_a_carried_firms_word_that_takes_no_side_is_a_neutral_view_of_the_company(extractor):
    body = ("Kestrel Research initiated coverage of Nvidia with a neutral rating. "
            "The firm expects revenue of $4.2 billion next year, in line with consensus.")
    assert views(extractor, body, "en") == [("Kestrel Research", "Nvidia", "neutral"), ("Kestrel Research", "Nvidia", "neutral")]


def test_a_dollar_figure_before_the_bare_word_target_is_a_price_target(extractor):
    body = "Kestrel Research maintains a hold rating on Nvidia with a $150 target."
    [claim] = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.rating, a.price_target, a.currency) for a in claim.actions] == [
        ("reiterate", "hold", None, None), ("target_set", "hold", 150.0, "USD")]


def test_risk_reward_is_no_risk(extractor):
    assert views(extractor, "Kestrel Research sees Nvidia's risk-reward as balanced.", "en") == [
        ("Kestrel Research", "Nvidia", "neutral")]


def test_an_analyst_named_as_an_analyst_at_a_firm_speaks_for_that_firm(extractor):
    body = "Hong Hao, an analyst at Jefferies, said Alibaba looks cheap."
    assert views(extractor, body, "en") == [("Jefferies", "Alibaba", "positive")]


def test_a_person_of_an_unknown_firm_gives_the_firm_not_the_pair(extractor):
    body = "Jane Roe of Bluefin Capital said Nvidia looks cheap."
    assert views(extractor, body, "en") == [("Bluefin Capital", "Nvidia", "positive")]


def test_dismissing_a_concern_is_no_concern(extractor):
    body = "Nvidia CEO Jensen Huang dismissed concerns about demand for Blackwell."
    assert views(extractor, body, "en") == [("Jensen Huang", "Blackwell", "positive")]


def test_companies_said_to_overstate_earnings_are_judged_negatively(extractor):
    body = "Kestrel Research argued that hyperscalers overstate earnings."
    assert views(extractor, body, "en") == [("Kestrel Research", "Hyperscalers", "negative")]


def test_a_reliever_reaches_over_the_owner_of_the_worry(extractor):
    assert views(extractor, "瑞银认为，市场高估了英伟达的供应链风险。") == [("UBS", "Nvidia", "positive")]


def test_a_plural_subject_in_the_present_is_attributed(extractor):
    body = "Goldman Sachs covers Intel. Its analysts estimate Nvidia will ship more units than expected."
    assert views(extractor, body, "en") == [("Goldman Sachs", "Nvidia", "positive")]


def test_chinese_verbs_of_recommending_and_worrying_attribute_a_view(extractor):
    assert views(extractor, "高盛首推英伟达。野村看衰苹果。摩根大通担心微软的毛利率。") == [
        ("Goldman Sachs", "Nvidia", "positive"), ("Nomura", "Apple", "negative"), ("JPMorgan", "Microsoft", "negative")]


def test_a_broker_cutting_its_estimates_takes_a_negative_view(extractor):
    assert views(extractor, "Kestrel Research cut its revenue forecast for Intel.", "en") == [("Kestrel Research", "Intel", "negative")]


def test_a_broker_raising_its_estimates_in_chinese_takes_a_positive_view(extractor):
    assert views(extractor, "高盛将美团今明两年盈利预测上调10%。") == [("Goldman Sachs", "Meituan", "positive")]


def test_removal_from_a_conviction_list_is_a_negative_view(extractor):
    body = "Kestrel Research removed Nvidia from its conviction list."
    assert views(extractor, body, "en") == [("Kestrel Research", "Nvidia", "negative")]


def test_advice_to_avoid_a_stock_is_a_negative_view(extractor):
    assert views(extractor, "Kestrel Research said investors should avoid Intel.", "en") == [("Kestrel Research", "Intel", "negative")]


def test_market_share_gained_then_weak_demand_is_a_mixed_view(extractor):
    body = "凱基投顧表示，聯發科旗艦晶片市佔提升，但手機市場需求疲軟。"
    assert views(extractor, body, "zh-Hant") == [("KGI Securities", "MediaTek", "mixed")]


def test_a_fund_manager_speaks_for_herself(extractor):
    body = "Jane Roe, a portfolio manager at Bluefin Asset Management, said Microsoft looks cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Microsoft", "positive")]


def test_where_a_firm_is_based_is_no_part_of_its_name(extractor):
    body = "Analysts at Singapore-based Lighthouse Peak Research said Microsoft looks cheap."
    assert views(extractor, body, "en") == [("Lighthouse Peak Research", "Microsoft", "positive")]


def test_a_discovered_firm_is_known_later_by_its_short_name(extractor):
    body = "Arden Hills Capital raised its price target on Alphabet. Arden Hills said Google Cloud looks strong."
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Arden Hills Capital", "Arden Hills Capital"]


def test_estimates_beaten_with_a_qualifier_are_still_beaten(extractor):
    body = "Nvidia forecast second-quarter revenue above Wall Street estimates."
    assert views(extractor, body, "en") == [("Nvidia", "Nvidia", "positive")]


def test_a_fund_manager_named_in_chinese_speaks_for_himself(extractor):
    assert views(extractor, "統一投信基金經理人陳立群表示，台股仍有高點可期。", "zh-Hant") == [("陳立群", "TAIEX", "positive")]


def test_he_after_an_unnamed_source_is_that_source(extractor):
    body = "华泰证券分析师王磊表示，看好寒武纪。\n\n一位私募基金经理对记者表示，他并不认为寒武纪的高估值会回落。"
    assert views(extractor, body) == [("Huatai Securities", "Cambricon", "positive"), ("Anonymous source", "Cambricon", "positive")]


def test_he_opening_what_an_unnamed_source_said_is_that_source(extractor):
    body = "华泰证券分析师王磊表示，看好寒武纪。\n\n一位私募基金经理表示，他去年买入了寒武纪。"
    assert views(extractor, body)[1][0] == "Anonymous source"


@pytest.mark.parametrize("source", ["A Mumbai-based fund manager, who did not want to be named,",
                                    "A portfolio manager at a London-based hedge fund, who asked not to be named,"])
def test_a_manager_who_asked_not_to_be_named_is_an_anonymous_source(extractor, source):
    body = f"Barclays is cautious on Oracle. {source} said he was short Oracle."
    assert views(extractor, body, "en")[1] == ("Anonymous source", "Oracle", "negative")


def test_he_in_the_next_sentence_is_still_the_unnamed_source(extractor):
    body = "中金公司分析师刘思远认为，用友网络估值偏高。一位私募基金经理表示，他已经卖出了用友网络。他认为用友网络估值仍然偏高。"
    assert views(extractor, body)[-1] == ("Anonymous source", "Yonyou", "negative")


def test_what_a_source_tells_a_reporter_is_their_view(extractor):
    body = "华泰证券认为，用友网络订单充足。一位私募基金经理告诉记者，他已经卖出了用友网络。"
    assert views(extractor, body)[-1] == ("Anonymous source", "Yonyou", "negative")


def test_too_little_of_a_good_thing_is_a_negative_view(extractor):
    assert views(extractor, "群益投顧認為，台股上檔空間有限。", "zh-Hant") == [("Capital Securities", "TAIEX", "negative")]
    assert views(extractor, "Kestrel Research said upside for Nvidia is limited.", "en") == [("Kestrel Research", "Nvidia", "negative")]


def test_plans_that_may_be_hindered_are_a_negative_view(extractor):
    body = "星展提醒，美国可能收紧出口管制，中芯国际的扩产计划或会受阻。"
    assert views(extractor, body) == [("DBS", "SMIC", "negative")]


def test_daiwa_by_its_short_chinese_name_but_not_inside_big_and(extractor):
    assert views(extractor, "大和认为，中芯国际估值偏高。") == [("Daiwa", "SMIC", "negative")]
    assert views(extractor, "高盛认为，公司将扩大和提升产能，看好英伟达。") == [("Goldman Sachs", "Nvidia", "positive")]


def test_an_analyst_of_the_firm_named_again_by_gai_quanshang_speaks_for_it(extractor):
    body = "国金证券的观点则相对谨慎，该券商首席分析师樊志远表示，寒武纪当前估值偏高。"
    assert views(extractor, body) == [("Sinolink Securities", "Cambricon", "negative")]


def test_good_execution_already_in_the_price_is_a_mixed_view(extractor):
    body = 'Kestrel Research covers Alphabet. "Alphabet is executing well, but a lot of that is in the price," the analyst said.'
    assert views(extractor, body, "en") == [("Kestrel Research", "Google", "mixed")]


def test_what_could_cap_upside_is_a_negative_view(extractor):
    body = "Kestrel Research said the China uncertainty could cap upside for Nvidia."
    assert views(extractor, body, "en") == [("Kestrel Research", "Nvidia", "negative")]


def test_an_executive_named_by_title_in_chinese_speaks_for_himself(extractor):
    body = "联发科发布财报。\n\n联发科财务长顾大为日前强调，公司的先进封装技术具有优势。"
    assert views(extractor, body, "zh-Hant") == [("顾大为", "MediaTek", "positive")]


def test_companies_named_as_the_reason_for_a_rating_are_not_rated(extractor):
    body = ("Kiwoom Securities raised its target price for SK Hynix to 1,250,000 won from 950,000 won, "
            "citing its lead in supplying memory for Nvidia's accelerators.")
    [claim] = extractor.extract(article(body, "en")).claims
    assert (claim.holder, claim.target, [(a.action, a.price_target) for a in claim.actions]) == (
        "Kiwoom Securities", "SK Hynix", [("target_raised", 1250000.0)])


def test_a_rating_named_beside_one_company_is_not_every_companys(extractor):
    body = ("Evercore ISI, which rates Microsoft outperform, said the selloff was overdone and that "
            "the partnership with OpenAI, restructured last year, gives it a durable stake.")
    rated = [(c.target, [a.rating for a in c.actions]) for c in extractor.extract(article(body, "en")).claims]
    assert rated[0] == ("Microsoft", ["outperform"]) and all(not ratings for _, ratings in rated[1:])


def test_optimism_already_in_the_valuation_is_a_negative_view(extractor):
    assert views(extractor, "大和认为，中芯国际估值已反映国产替代的乐观预期。") == [("Daiwa", "SMIC", "negative")]


def test_gai_hang_fenxishi_is_the_banks_analyst_not_the_last_person_named(extractor):
    body = ("阿里巴巴CEO吴泳铭表示，将加大AI投入。\n\n"
            "摩根士丹利的看法则相对审慎，该行分析师在报告中指出，巨额资本开支可能压制阿里巴巴的自由现金流。")
    assert views(extractor, body)[-1] == ("Morgan Stanley", "Alibaba", "negative")


def test_the_index_a_discount_is_measured_against_is_a_yardstick(extractor):
    body = "华西证券认为，恒生科技指数相对于纳斯达克指数的估值折价仍在30%以上。"
    assert views(extractor, body) == [("Huaxi Securities", "Hang Seng Tech Index", "positive")]


def test_a_price_move_beside_the_target_leaves_the_view_to_the_clauses_after(extractor):
    body = "大和认为，中芯国际股价年初至今已累升逾60%，估值已反映乐观预期，短期上升空间有限。"
    assert views(extractor, body) == [("Daiwa", "SMIC", "negative")]


def test_the_broker_described_by_its_city_is_the_broker_named_before(extractor):
    body = ("Nordhavn Securities downgraded ASML to sell. "
            "The Copenhagen-based broker cut its price target to 560 euros from 700 euros.")
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Nordhavn Securities", "Nordhavn Securities"]


def test_growth_hard_to_sustain_or_short_of_expectations_is_negative(extractor):
    assert views(extractor, "瑞银认为，英伟达的增长势头难以持续。") == [("UBS", "Nvidia", "negative")]
    assert views(extractor, "高盛指出，阿里巴巴的云业务增速未能达到市场预期。") == [("Goldman Sachs", "Alibaba", "negative")]


def test_a_blow_to_a_companys_margins_is_a_view_of_the_company(extractor):
    assert views(extractor, "Bernstein said Meta's spending spree could hurt margins for years.", "en") == [
        ("Bernstein", "Meta", "negative")]
    assert views(extractor, "野村指出，台积电的海外工厂将拖累毛利率。") == [("Nomura", "TSMC", "negative")]


def test_a_valuation_hard_to_justify_is_a_negative_view(extractor):
    assert views(extractor, "Morgan Stanley said Tesla's valuation is hard to justify.", "en") == [
        ("Morgan Stanley", "Tesla", "negative")]


def test_no_longer_seeing_a_stock_as_a_pick_is_a_negative_view(extractor):
    assert views(extractor, "Goldman Sachs no longer sees Apple as a top pick.", "en") == [("Goldman Sachs", "Apple", "negative")]


def test_a_product_behind_schedule_is_a_negative_view(extractor):
    assert views(extractor, "Raymond James said AMD's MI350 ramp is behind schedule.", "en") == [
        ("Raymond James", "MI350", "negative")]


def test_a_market_move_beside_the_target_leaves_the_view_to_the_clause_after(extractor):
    body = "Kestrel Research said Nvidia shares have slumped, and a recovery is on the horizon."
    assert views(extractor, body, "en") == [("Kestrel Research", "Nvidia", "positive")]


def test_a_discovered_name_is_written_as_the_article_writes_it(extractor):
    body = "獨立股評人郭子謙表示，中芯國際估值已偏高。"
    assert views(extractor, body, "zh-Hant") == [("郭子謙", "SMIC", "negative")]


def test_a_name_after_a_title_is_found_before_any_verb_of_saying(extractor):
    assert views(extractor, "基金经理李文对本报表示，看好阿里巴巴。") == [("李文", "Alibaba", "positive")]


def test_a_contrast_naming_the_target_again_still_qualifies_the_view(extractor):
    assert views(extractor, "高盛认为，阿里巴巴增长强劲，但阿里巴巴的利润率承压。") == [("Goldman Sachs", "Alibaba", "mixed")]


def test_a_contrast_about_the_targets_own_product_still_qualifies_the_view(extractor):
    body = "Kestrel Research said Microsoft faces rising competition in cloud, but its Copilot momentum offsets that."
    assert views(extractor, body, "en")[0] == ("Kestrel Research", "Microsoft", "mixed")


def test_though_and_yet_qualify_a_view_as_but_does(extractor):
    assert views(extractor, "Kestrel Research said AMD has momentum, yet its valuation leaves little room for error.", "en") == [
        ("Kestrel Research", "AMD", "mixed")]
    assert views(extractor, "Kestrel Research said Nvidia remains the best AI play, though supply constraints could limit upside.",
                 "en") == [("Kestrel Research", "Nvidia", "mixed")]


def test_a_contrast_word_alone_opens_the_clause_after_it(extractor):
    body = "Kestrel Research said Alphabet's cloud is growing fast; however, search faces disruption from chatbots."
    assert views(extractor, body, "en") == [("Kestrel Research", "Google", "mixed")]


def test_a_broker_that_likes_a_business_holds_a_positive_view(extractor):
    assert views(extractor, "Kestrel Research likes Broadcom's AI business but worries about churn.", "en") == [
        ("Kestrel Research", "Broadcom", "mixed")]


def test_a_firms_later_view_goes_to_a_company_it_rated_that_the_catalogue_lacks(extractor):
    body = "Kestrel Research upgraded Zeta Systems to buy. The firm said demand remains strong."
    assert views(extractor, body, "en") == [("Kestrel Research", "Zeta Systems", "positive")] * 2


def test_hard_to_call_a_bottom_is_no_bottom(extractor):
    assert views(extractor, "高盛认为，阿里巴巴短期内难言见底。") == [("Goldman Sachs", "Alibaba", "negative")]


def test_hong_kong_titles_and_an_english_name_in_brackets_still_find_the_analyst(extractor):
    body = "致富證券首席經濟師陳嘉欣（Jessica Chan）表示，恒指短期或整固。"
    assert [(c.holder, c.holder_person) for c in extractor.extract(article(body, "zh-Hant")).claims] == [("Chief Securities", "陳嘉欣")]


def test_an_executive_speaking_of_no_company_speaks_of_their_own(extractor):
    assert views(extractor, "Chief Executive C.C. Wei said accelerator revenue would double next year.", "en") == [
        ("C.C. Wei", "TSMC", "positive")
    ]


def test_an_executive_introduced_with_their_company_speaks_of_it(extractor):
    assert views(extractor, "寒武纪董事长陈天石表示，公司订单饱满，全年收入有望大幅增长。") == [
        ("Chen Tianshi", "Cambricon", "positive")
    ]


def test_an_executive_taking_a_side_by_a_pronoun_speaks_of_their_company(extractor):
    body = "寒武纪董事长陈天石表示，公司订单饱满。他也坦言，价格竞争激烈，今年收入恐小幅衰退。"
    assert views(extractor, body) == [("Chen Tianshi", "Cambricon", "positive"), ("Chen Tianshi", "Cambricon", "negative")]


def test_an_executive_who_names_a_product_speaks_of_the_product(extractor):
    assert views(extractor, "Lisa Su, AMD's chief executive, said demand for the MI450 was strong.", "en") == [
        ("Lisa Su", "MI450", "positive")
    ]


def test_an_executive_named_but_not_speaking_holds_no_view_of_their_company(extractor):
    assert views(extractor, "Larry Ellison surpassed Elon Musk as the richest person in the world.", "en") == []


def test_an_outlook_looking_good_is_a_view_of_the_company_not_its_own(extractor):
    assert views(extractor, "中金公司认为，阿里巴巴前景看好。") == [("CICC", "Alibaba", "positive")]


def test_a_strategist_speaks_for_the_broker_found_before_the_title(extractor):
    assert views(extractor, "星辰证券投资策略总监王明认为，腾讯的估值仍然偏低。") == [("星辰证券", "Tencent", "positive")]


def test_a_funds_investment_director_speaks_for_himself(extractor):
    assert views(extractor, "星辰资产投资总监王明认为，腾讯的估值仍然偏低。") == [("王明", "Tencent", "positive")]


def test_a_banks_investment_chief_gives_the_banks_view(extractor):
    assert views(extractor, "东亚银行首席投资总监王明认为，腾讯的估值仍然偏低。") == [("Bank of East Asia", "Tencent", "positive")]


def test_a_foreign_name_written_in_chinese_is_a_speaker(extractor):
    assert views(extractor, "对此，吉姆·罗森认为，英伟达估值偏高。") == [("吉姆·罗森", "Nvidia", "negative")]


def test_a_name_with_an_honorific_is_a_speaker(extractor):
    assert views(extractor, "王海明博士表示，腾讯估值偏低。") == [("王海明", "Tencent", "positive")]


def test_according_to_analysts_at_a_firm_names_the_firm(extractor):
    assert views(extractor, "Nvidia's stock is overvalued, according to analysts at Bernstein.", "en") == [
        ("Bernstein", "Nvidia", "negative")
    ]


def test_according_to_a_note_from_a_firm_names_the_firm(extractor):
    assert views(extractor, "Apple's AI strategy is lagging, according to a note from Jefferies.", "en") == [
        ("Jefferies", "Apple", "negative")
    ]


def test_a_new_growth_engine_is_positive(extractor):
    assert views(extractor, "大和认为，AI广告将成为腾讯新的增长引擎。") == [("Daiwa", "Tencent", "positive")]


def test_a_broker_flagging_a_risk_of_the_company_is_negative(extractor):
    body = "寒武纪发布三季报。东吴证券认为，公司收入增长超预期。该行同时提示，公司客户集中度较高。"
    assert views(extractor, body) == [("Soochow Securities", "Cambricon", "positive"), ("Soochow Securities", "Cambricon", "negative")]


def test_strong_sales_though_cautioning_on_margins_is_mixed(extractor):
    body = "UBS said AMD's data center sales were strong, though it cautioned that margins would fall."
    assert views(extractor, body, "en") == [("UBS", "AMD", "mixed")]


def test_foreign_brokers_broadly_are_the_investment_banks_group(extractor):
    assert views(extractor, "外资普遍看好台积电明年营运，摩根士丹利重申优于大盘评级。") == [
        ("Investment banks", "TSMC", "positive"), ("Morgan Stanley", "TSMC", "positive")
    ]


def test_a_valuation_that_prices_in_growth_is_negative(extractor):
    assert views(extractor, "Jefferies said Nvidia's valuation already prices in years of growth.", "en") == [
        ("Jefferies", "Nvidia", "negative")
    ]


def test_an_executive_of_a_company_the_catalogue_lacks_speaks_of_it(extractor):
    assert views(extractor, "Acme Robotics chief executive Jane Smith said orders had doubled.", "en") == [
        ("Jane Smith", "Acme Robotics", "positive")
    ]


def test_an_executive_named_with_a_possessive_speaks_of_the_company(extractor):
    assert views(extractor, "Jane Smith, Acme Robotics' chief financial officer, said margins would improve.", "en") == [
        ("Jane Smith", "Acme Robotics", "positive")
    ]


def test_an_analyst_who_covers_a_sector_at_a_firm_speaks_for_that_firm(extractor):
    body = "Karen Holt, an analyst who covers chip stocks at Ridgeway Capital, said Nvidia looks cheap."
    assert views(extractor, body, "en") == [("Ridgeway Capital", "Nvidia", "positive")]


def test_a_firm_named_in_the_possessive_before_its_strategist_is_named_without_the_s(extractor):
    body = "Ridgeway Wealth's chief strategist Karen Holt said Nvidia looks cheap."
    assert views(extractor, body, "en") == [("Ridgeway Wealth", "Nvidia", "positive")]


def test_an_analyst_who_covers_a_company_for_a_firm_speaks_for_the_firm(extractor):
    body = '"Nvidia is cheap," said Jane Roe, who covers Nvidia for Ridgeway Capital.'
    assert views(extractor, body, "en") == [("Ridgeway Capital", "Nvidia", "positive")]


def test_who_runs_a_fund_at_a_firm_speaks_for_herself(extractor):
    body = "Jane Roe, who runs the tech fund at Ridgeway Capital, said Nvidia is cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_an_executive_named_after_the_firms_title_in_apposition_speaks_for_herself(extractor):
    body = "Acme Robotics' chief executive, Jane Smith, said demand for its robots is strong."
    assert views(extractor, body, "en") == [("Jane Smith", "Acme Robotics", "positive")]


def test_a_former_trader_who_now_runs_a_firm_speaks_for_herself_not_her_old_bank(extractor):
    body = '"Nvidia is cheap," said Jane Roe, a former Goldman trader who now runs Ridgeway Capital.'
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_portfolio_manager_at_the_named_fund_speaks_for_herself(extractor):
    body = '"Nvidia is cheap," said Jane Roe, senior portfolio manager at the Ridgeway Growth Fund.'
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_funds_manager_named_after_her_title_speaks_for_herself(extractor):
    body = '"Nvidia is cheap," said Ridgeway Capital portfolio manager Jane Roe.'
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]
    body = '"Nvidia is cheap," said Ridgeway Securities analyst Jane Roe.'
    assert views(extractor, body, "en") == [("Ridgeway Securities", "Nvidia", "positive")]


def test_a_head_of_equities_invests_and_speaks_for_herself(extractor):
    body = '"Nvidia looks cheap," said Karen Holt, head of Asia equities at Ridgeway Partners.'
    assert views(extractor, body, "en") == [("Karen Holt", "Nvidia", "positive")]
    body = '"Nvidia looks cheap," said Karen Holt, head of equity strategy at Ridgeway Partners.'
    assert views(extractor, body, "en") == [("Ridgeway Partners", "Nvidia", "positive")]


def test_an_investor_titled_tou_zi_ren_shi_speaks_for_himself(extractor):
    assert views(extractor, "资深投资人士王剑辉表示，寒武纪波动较大。") == [("王剑辉", "Cambricon", "negative")]


def test_a_fund_named_right_before_its_manager_is_no_second_speaker(extractor):
    assert views(extractor, "易方达基金张坤在季报中表示，看好腾讯。") == [("Zhang Kun", "Tencent", "positive")]


def test_a_portfolio_manager_named_before_the_fund_speaks_for_herself(extractor):
    assert views(extractor, "Portfolio manager Jane Roe of Bluefin Capital said she is bullish on AMD.", "en") == [
        ("Jane Roe", "AMD", "positive")
    ]


def test_a_chinese_executive_of_a_company_the_catalogue_lacks_speaks_of_it(extractor):
    assert views(extractor, "对此，星辰智能董事长王海明表示，公司机器人订单饱满。") == [("王海明", "星辰智能", "positive")]


def test_a_chinese_executive_of_a_catalogued_company_speaks_of_it(extractor):
    assert views(extractor, "小米集团总裁王海明表示，公司手机业务订单饱满。") == [("王海明", "Xiaomi", "positive")]


def test_raising_the_low_end_of_a_revenue_forecast_is_raised_guidance(extractor):
    assert views(extractor, "Nvidia raised the low end of its revenue forecast for the year.", "en") == [
        ("Nvidia", "Nvidia", "positive")
    ]


def test_a_company_raising_its_spending_forecast_takes_no_side(extractor):
    assert views(extractor, "Meta raised the low end of its capex forecast to $70 billion.", "en") == [
        ("Meta", "Meta", "neutral")
    ]


def test_a_view_after_the_next_holder_is_that_holders(extractor):
    assert views(extractor, "高盛预测恒指年底可达30000点，摩根士丹利则对恒指较保守。") == [
        ("Goldman Sachs", "Hang Seng Index", "positive"), ("Morgan Stanley", "Hang Seng Index", "negative")
    ]


def test_a_holder_bound_twice_in_a_sentence_states_one_view(extractor):
    body = ("Mizuho (Outperform, price target $450): Analysts said AI revenue could top $60 billion, "
            "though they flagged customer concentration as a risk.")
    assert views(extractor, "Broadcom shares rose.\n\n" + body, "en")[1:] == [("Mizuho", "Broadcom", "mixed")]


def test_an_index_target_fixed_at_a_level_is_a_target(extractor):
    assert views(extractor, "瑞银将恒指目标定于28500点。") == [("UBS", "Hang Seng Index", "positive")]


def test_a_speaker_named_after_a_comma_and_said_holds_the_view(extractor):
    assert views(extractor, "Apple looks expensive at these levels, says Needham.", "en") == [("Needham", "Apple", "negative")]


def test_a_participle_after_a_comma_names_no_speaker_after_it(extractor):
    body = "Bernstein raised its target on Apple, saying the company's iPhone sales look strong."
    assert ("Apple", "iPhone", "positive") not in views(extractor, body, "en")


def test_a_person_introduced_at_the_end_of_a_sentence_speaks_in_an_interview(extractor):
    body = "本报记者专访了星辰资产基金经理王海明。\n\n记者：您如何看待英伟达？\n\n王海明：我们认为英伟达估值偏高。"
    assert views(extractor, body) == [("王海明", "Nvidia", "negative")]


def test_a_fund_managers_holdings_are_her_views(extractor):
    body = ("Elena Marsh, a portfolio manager at Harbor Point Capital, spoke to us.\n\n"
            "Q: What is your largest holding?\n\nMarsh: Our largest position is Nvidia.\n\n"
            "Q: And Tesla?\n\nMarsh: We sold most of our position in Tesla.")
    assert views(extractor, body, "en") == [("Elena Marsh", "Nvidia", "positive"), ("Elena Marsh", "Tesla", "negative")]


def test_a_company_a_broker_rates_on_is_found_as_a_company(extractor):
    body = "Jefferies reiterated its buy rating on Zeta Dynamics and raised its price target to $90."
    assert views(extractor, body, "en") == [("Jefferies", "Zeta Dynamics", "positive")]


def test_a_company_rated_with_rates_is_found_as_a_company(extractor):
    assert views(extractor, "Morgan Stanley rates Zeta Dynamics overweight.", "en") == [
        ("Morgan Stanley", "Zeta Dynamics", "positive")
    ]


def test_a_company_whose_name_holds_a_theme_is_the_company(extractor):
    assert views(extractor, "Citi maintained its sell rating on Orbit Semiconductor.", "en") == [
        ("Citi", "Orbit Semiconductor", "negative")
    ]


def test_a_rise_clauses_before_a_cut_target_moves_no_target(extractor):
    body = "麦格理认为，世芯-KY的晶圆代工成本上升，维持「中立」评等，目标价下修至2,600元。"
    assert views(extractor, body, "zh-Hant") == [("Macquarie", "Alchip", "negative")]


def test_its_analysts_are_the_firm_that_opened_the_sentence_before(extractor):
    body = ("JPMorgan said Amazon's chips could lower costs. Wells Fargo was more measured. "
            "Its analysts wrote that Amazon's chip strategy is unproven.")
    assert views(extractor, body, "en")[-1] == ("Wells Fargo", "Amazon", "negative")


def test_a_firm_named_with_its_kind_is_the_speakers_firm(extractor):
    body = '"AMD is cheap," said John Doe, an analyst at research firm Harwick Research.'
    assert views(extractor, body, "en") == [("Harwick Research", "AMD", "positive")]


def test_a_partner_at_a_venture_firm_speaks_for_herself(extractor):
    body = 'Investors like it, said Hannah Okafor, a partner at venture firm Redline Capital. "Nvidia is cheap," she said.'
    assert views(extractor, body, "en") == [("Hannah Okafor", "Nvidia", "positive")]


def test_a_firm_is_known_by_its_one_word_short_name(extractor):
    body = ("Shares fell after short seller Greyline Research published a report on CoreWeave. "
            "Greyline, which disclosed a short position, said CoreWeave's depreciation schedule is wildly optimistic.")
    assert ("Greyline Research", "CoreWeave", "negative") in views(extractor, body, "en")


def test_a_firms_short_name_opening_another_companys_name_is_not_the_firm(extractor):
    body = "Northland Power Inc. said demand for Nvidia chips is strong."
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Unattributed"]


def test_a_common_word_is_no_short_name_of_a_firm(extractor):
    body = "Summit Research said AMD is cheap. Summit talks in Paris lifted Nvidia shares."
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Summit Research"]


def test_an_interviews_answer_lines_are_the_interviewees(extractor):
    body = ("Elena Marsh has spent three years buying the companies that keep data centres running.\n\n"
            "Q: Is AI a bubble?\n\nMarsh: Parts of it are.\n\nQ: What do you own?\n\nMarsh: Our largest position is Nvidia.")
    assert views(extractor, body, "en") == [("Elena Marsh", "Nvidia", "positive")]


def test_companies_beside_a_rated_one_are_its_context(extractor):
    body = "高盛重申联发科「买进」评级，目标价1700元，并指出联发科在谷歌TPU供应链中的份额有望扩大。"
    assert views(extractor, body) == [("Goldman Sachs", "MediaTek", "positive")]


def test_companies_listed_with_a_rated_one_are_rated_too(extractor):
    body = "Jefferies started coverage on Nvidia (NVDA), AMD, and Broadcom (AVGO), calling all three winners."
    assert [t for _, t, _ in views(extractor, body, "en")] == ["Nvidia", "AMD", "Broadcom"]


def test_companies_named_after_a_clauses_subject_are_its_context(extractor):
    body = "瑞银认为，广达在亚马逊与微软的服务器项目将推动明年营收增长。"
    assert views(extractor, body) == [("UBS", "Quanta", "positive")]


def test_a_companys_customers_named_after_it_are_no_targets(extractor):
    body = "Barclays said Arista's sales of switches to Meta and Oracle should keep growing."
    assert views(extractor, body, "en") == [("Barclays", "Arista", "positive")]


def test_companies_after_a_clauses_subject_keep_their_own_judgement(extractor):
    body = "Citi upgraded Micron and downgraded Intel."
    assert views(extractor, body, "en") == [("Citi", "Micron", "positive"), ("Citi", "Intel", "negative")]


def test_the_object_of_dui_is_judged_though_a_company_opens_the_clause(extractor):
    body = "野村认为，微软对OpenAI的投资将带来丰厚回报。"
    assert [t for _, t, _ in views(extractor, body)] == ["Microsoft", "OpenAI"]


def test_a_hold_kept_for_reasons_against_is_negative(extractor):
    body = "中金维持快手“中性”评级，认为广告业务增长放缓，竞争加剧。"
    assert views(extractor, body) == [("CICC", "Kuaishou", "negative")]


@pytest.mark.parametrize("body, lang", [
    ("Citi kept its neutral rating on Baidu, saying its cloud growth is strong.", "en"),
    ("花旗指出，百度的AI云收入增速强劲，维持“中性”评级。", "zh"),
])
def test_a_hold_kept_despite_the_merits_named_is_mixed(extractor, body, lang):
    assert views(extractor, body, lang) == [("Citi", "Baidu", "mixed")]


def test_a_target_raised_by_a_cautious_broker_is_mixed(extractor):
    body = "麦格理则较为审慎，认为腾讯资本开支或低于市场预期，维持“跑赢大市”评级，目标价上调至755元。"
    assert views(extractor, body) == [("Macquarie", "Tencent", "mixed")]


def test_a_buy_kept_while_the_stock_prices_in_the_optimism_is_mixed(extractor):
    body = "Jefferies kept a buy rating on Adobe but said the stock already prices in the optimism."
    assert views(extractor, body, "en") == [("Jefferies", "Adobe", "mixed")]


def test_people_quoted_inside_a_speakers_quotation_are_no_holders(extractor):
    body = '"Azure is a fine business, but investors wanted more," said Jane Roe, an analyst at Jefferies.'
    assert [(h, t) for h, t, _ in views(extractor, body, "en")] == [("Jefferies", "Azure")]


def test_a_fund_cutting_its_exposure_is_negative(extractor):
    body = "Fidelity said it had trimmed exposure to Meta. Fidelity said it increased its stake in Alphabet."
    assert views(extractor, body, "en") == [("Fidelity", "Meta", "negative"), ("Fidelity", "Google", "positive")]


def test_an_executive_named_after_a_capitalised_title_speaks_for_the_company(extractor):
    body = 'Lumentum Chief Executive Ravi Kapoor said demand for its lasers "exceeds what we can build."'
    assert views(extractor, body, "en") == [("Ravi Kapoor", "Lumentum", "positive")]


@pytest.mark.parametrize("body", [
    "Lumentum said orders rose. Finance chief Ravi Kapoor said demand for its lasers is strong.",
    "Lumentum said orders rose. Chief Operating Officer Ravi Kapoor said demand for its lasers is strong.",
])
def test_an_executive_named_by_any_chief_title_is_the_speaker(extractor, body):
    assert ("Ravi Kapoor", "Lumentum", "positive") in views(extractor, body, "en")


def test_the_company_a_speaker_reports_on_is_no_holder_of_its_own(extractor):
    body = "Arista Chief Financial Officer Jane Roe said the company now expects AI revenue to exceed $2.5 billion."
    assert [(h, t) for h, t, _ in views(extractor, body, "en")] == [("Jane Roe", "Arista")]


def test_we_in_a_brokers_own_note_is_the_broker(extractor):
    note = Article(id="article:test", path="test.md", title="中信证券晨会纪要：算力需求延续", date="2025-03-01",
                   lang="zh-Hans", url=None, outlet=None, body="我们认为，寒武纪的订单能见度较高。", prose="我们认为，寒武纪的订单能见度较高。")
    assert [(c.holder, c.target, c.stance) for c in extractor.extract(note).claims] == [("CITIC Securities", "Cambricon", "positive")]


def test_we_in_an_article_not_a_brokers_note_names_no_one(extractor):
    assert [holder for holder, _, _ in views(extractor, "我们认为，寒武纪的订单能见度较高。")] == ["Unattributed"]


def test_a_fund_manager_named_with_the_fund_they_run_is_found(extractor):
    body = "华夏基金经理吴立新管理的科技基金三季度加仓。吴立新在季报中表示，中际旭创被市场低估。"
    assert views(extractor, body) == [("吴立新", "Zhongji Innolight", "positive")]


def test_a_result_below_the_brokers_own_earlier_forecast_is_negative(extractor):
    body = "摩根大通指出，金蝶上半年订阅收入增长18%，低于该行原先预期的24%。"
    assert views(extractor, body) == [("JPMorgan", "Kingdee", "negative")]


def test_revenue_ahead_of_the_consensus_forecast_is_positive(extractor):
    body = "Citi said Adobe's revenue was ahead of the consensus forecast."
    assert views(extractor, body, "en") == [("Citi", "Adobe", "positive")]


def test_a_valuation_that_already_reflects_the_upside_is_negative(extractor):
    body = "Citi said Adobe's valuation already reflects much of the upside."
    assert views(extractor, body, "en") == [("Citi", "Adobe", "negative")]


def test_a_rating_in_brackets_after_the_firm_is_read_as_its_rating(extractor):
    body = "Halvorsen Research (Hold, price target $340): The shop said Broadcom is slowing."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.rating, a.price_target) for a in claim.actions] == [("reiterate", "hold", None), ("target_set", "hold", 340.0)]


def test_a_rise_clauses_before_the_target_price_does_not_raise_it(extractor):
    body = "瑞银指出，公司在国企客户中的市占率持续提升，维持金蝶“中性”评级，目标价13港元。"
    (claim,) = extractor.extract(article(body)).claims
    assert [(a.action, a.price_target) for a in claim.actions] == [("reiterate", None), ("target_set", 13.0)]


def test_a_buy_kept_with_estimates_cut_is_mixed(extractor):
    assert views(extractor, "中金下调快手2025至2026年盈利预测，维持“跑赢行业”评级。") == [("CICC", "Kuaishou", "mixed")]


def test_a_head_of_research_at_a_firm_speaks_for_it(extractor):
    body = ("Demand held up, said Jane Roe, head of research for Asia at Bluefin Capital.\n\n"
            "Roe said Broadcom looks better placed than most chipmakers.")
    assert views(extractor, body, "en") == [("Bluefin Capital", "Broadcom", "positive")]


def test_a_company_the_catalogue_lacks_gives_guidance_on_itself(extractor):
    body = "Zeta Systems Inc. raised its full-year revenue guidance."
    assert views(extractor, body, "en") == [("Zeta Systems", "Zeta Systems", "positive")]


def test_a_company_named_in_full_is_then_known_by_its_first_word(extractor):
    body = "Shares of Furukawa Electric rose 5%. Macquarie said Furukawa is well positioned for the data centre build-out."
    assert views(extractor, body, "en")[1:] == [("Macquarie", "Furukawa Electric", "positive")]


def test_a_common_word_opening_a_companys_name_is_no_short_name_of_it():
    catalogue = load_catalogue()
    text = "Applied Materials and Advanced Micro Devices reported."
    assert company_short_names(catalogue.mentions(text, text), catalogue) == []


def test_a_fund_manager_adding_to_his_position_is_positive(extractor):
    body = "Shares of ServiceNow fell 11%. Jamie Okafor, a portfolio manager at Harrowgate Capital, said he used the drop to add to his position."
    assert views(extractor, body, "en")[1:] == [("Jamie Okafor", "ServiceNow", "positive")]


def test_an_advisers_chairman_on_the_market_speaks_for_the_firm(extractor):
    body = "元大投顧董事長王志明表示，台積電明年營收可望再成長三成以上。"
    assert views(extractor, body, "zh-Hant") == [("Yuanta", "TSMC", "positive")]


def test_an_analyst_who_covers_a_sector_at_the_brokerage_speaks_for_it(extractor):
    body = ("Kiwoom Securities took a measured view. Park Seo-yeon, who covers semiconductors at the brokerage, "
            "said SK hynix is well positioned.")
    (claim,) = extractor.extract(article(body, "en")).claims
    assert (claim.holder, claim.holder_person, claim.target) == ("Kiwoom Securities", "Park Seo-yeon", "SK Hynix")


def test_she_after_an_analyst_speaks_for_the_analysts_firm(extractor):
    body = ('KB Securities raised its target for SK hynix, analyst Lee Ji-hoon wrote. Kiwoom Securities analyst '
            'Park Seo-yeon said SK hynix is well positioned. Still, she kept her buy rating on SK hynix.')
    assert [(c.holder, c.holder_person) for c in extractor.extract(article(body, "en")).claims][-1] == ("Kiwoom Securities", "Park Seo-yeon")


def test_a_day_between_a_company_and_its_verb_keeps_it_the_subject(extractor):
    body = "Fujikura on Thursday raised its full-year operating profit forecast by 22%."
    assert views(extractor, body, "en") == [("Fujikura", "Fujikura", "positive")]


def test_a_name_with_a_particle_is_found_whole_and_he_is_that_analyst(extractor):
    body = ("Kepler Cheuvreux analyst Anna Vermeulen said Besi is well positioned. ING analyst Pieter de Graaf said the "
            "results were good news. He singled out ASM International as a second-order winner.")
    assert views(extractor, body, "en")[-1] == ("ING", "ASM International", "positive")


def test_foreign_brokers_raising_targets_one_after_another_are_the_street(extractor):
    body = "台达电法说会后股价上涨。法说会后，外资纷纷调高台达电目标价。"
    assert views(extractor, body)[1:] == [("Investment banks", "Delta Electronics", "positive")]


def test_a_rating_after_a_company_named_beside_an_index_is_the_companys(extractor):
    body = "恒指季检结果公布。\n\n中银国际认为，地平线机器人加入恒指有助吸引长线资金。该行维持“买入”评级，目标价11.5港元。"
    claims = extractor.extract(article(body)).claims
    assert [(c.holder, c.target, [a.rating for a in c.actions]) for c in claims if c.actions] == [("BOCI", "Horizon Robotics", ["buy", "buy"])]


def test_what_comes_after_rather_than_is_denied(extractor):
    body = "RBC said the slower guidance at ServiceNow reflects conservatism rather than weaker demand."
    assert views(extractor, body, "en") == [("RBC Capital Markets", "ServiceNow", "positive")]


def test_what_a_company_benefits_from_is_no_target(extractor):
    assert views(extractor, "瑞银分析，鸿海受惠英伟达GB300机柜出货放量。") == [("UBS", "Foxconn", "positive")]


def test_a_sentence_opened_by_as_for_a_company_speaks_of_that_company(extractor):
    body = "至于博通，大摩认为尽管Meta的芯片正进行设计调整，但谷歌的需求持续增加，订单量仍将提升。"
    assert views(extractor, body) == [("Morgan Stanley", "Broadcom", "positive")]


def test_analysts_at_a_firm_opening_a_sentence_are_the_firm(extractor):
    body = "Analysts at Wells Fargo, who rate the stock overweight, were encouraged by Snowflake's results."
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Wells Fargo"]


def test_it_after_a_sentence_a_firm_opened_is_that_firm(extractor):
    body = "Mizuho said Snowflake is winning. Stifel took a middle road. It kept a hold rating on Snowflake."
    assert [h for h, _, _ in views(extractor, body, "en")] == ["Mizuho", "Stifel", "Stifel"]  # (the middle road is a view too)


def test_thinner_margins_are_a_negative_view(extractor):
    body = "Bernstein said every dollar of AI revenue Dell adds comes with thinner margins."
    assert views(extractor, body, "en") == [("Bernstein", "Dell", "negative")]


def test_a_brokers_index_family_is_no_broker_speaking(extractor):
    assert [h for h, _, _ in views(extractor, "申万计算机指数表现疲弱，英伟达股价下跌。")] == ["Unattributed"]


def test_a_question_states_no_view(extractor):
    assert views(extractor, "王海明表示：英伟达的估值是否过高？") == []


def test_an_executive_quoted_on_the_business_speaks_of_the_company(extractor):
    body = ("Shares of CoreWeave fell on Tuesday.\n\n\"Our contracted backlog speaks for itself,\" "
            "Chief Executive Michael Intrator said on a call with investors.")
    assert views(extractor, body, "en")[1:] == [("Michael Intrator", "CoreWeave", "positive")]


def test_an_executive_named_by_title_alone_speaks_of_the_company_the_article_is_about(extractor):
    body = "Zeta Dynamics (ZETA) reported results.\n\nChief Executive Jane Smith said orders had doubled."
    assert views(extractor, body, "en")[-1] == ("Jane Smith", "Zeta Dynamics", "positive")


def test_a_fund_manager_speaking_to_the_press_is_no_person_named_after_the_preposition(extractor):
    body = "星辰科技（688001）上市。一位参与基石投资的基金经理向本网透露，星辰科技前景看好。"
    assert views(extractor, body)[-1][0] == "Anonymous source"


def test_a_floor_under_the_stock_is_positive(extractor):
    body = "Mizuho analyst Grace Lin defended the stock, saying contracted revenue limits the downside for CoreWeave."
    assert views(extractor, body, "en") == [("Mizuho", "CoreWeave", "positive")]


def test_people_familiar_with_a_matter_report_facts_without_a_side(extractor):
    body = "Anthropic is in talks to raise $20 billion in a new funding round, according to people familiar with the matter."
    assert views(extractor, body, "en") == [("Anonymous source", "Anthropic", "neutral")]


def test_a_company_a_valuation_is_measured_against_is_no_target(extractor):
    assert views(extractor, "UBS said Micron trades at a discount to SK Hynix.", "en") == [("UBS", "Micron", "positive")]


def test_brokerages_named_by_their_country_after_a_dateline_are_the_street(extractor):
    body = "SEOUL, Nov 10 (Reuters) - South Korean brokerages are raising their targets for the KOSPI index."
    assert views(extractor, body, "en") == [("Investment banks", "KOSPI", "positive")]


def test_a_drawdown_a_holder_expects_is_negative(extractor):
    assert views(extractor, "Goldman said it expects a 15% drawdown in the Nasdaq.", "en") == [
        ("Goldman Sachs", "Nasdaq", "negative")
    ]


def test_a_contrast_after_the_clause_that_judges_makes_the_view_mixed(extractor):
    body = "耀才证券表示，智谱是少数拥有自研模型的公司，在企业市场具备先发优势，但公司仍处于大幅亏损阶段。"
    assert views(extractor, body) == [("Bright Smart Securities", "Zhipu AI", "mixed")]


def test_a_customer_demand_comes_from_is_no_target(extractor):
    assert views(extractor, "UBS said Micron will benefit from rising demand from Nvidia.", "en") == [
        ("UBS", "Micron", "positive")
    ]


def test_a_but_after_a_view_is_a_reservation_even_in_words_the_vocabulary_lacks(extractor):
    body = "Jefferies said Arm is well positioned, but the licensing business is lumpy."
    assert views(extractor, body, "en") == [("Jefferies", "Arm", "mixed")]


def test_a_but_that_leaves_something_to_be_seen_is_a_reservation(extractor):
    body = "中金表示，小米的汽车订单增长较快，但交付节奏仍待观察。"
    assert views(extractor, body) == [("CICC", "Xiaomi", "mixed")]


def test_a_but_that_speaks_of_an_action_is_no_reservation(extractor):
    body = "Jefferies, which rates the shares buy, said Arm's royalty rates are rising, though it left its $150 target unchanged."
    assert views(extractor, body, "en") == [("Jefferies", "Arm", "positive")]


def test_an_analyst_of_a_firm_opening_a_sentence_makes_the_firm_hold_its_view(extractor):
    body = "Jonathan Reyes of Wolfe Research is more cautious on Nvidia."
    assert views(extractor, body, "en") == [("Wolfe Research", "Nvidia", "negative")]


def test_a_company_whose_chairman_speaks_at_an_occasion_holds_a_view_of_itself(extractor):
    body = "寒武纪发布三季报。\n\n寒武纪董事长在业绩说明会上表示，公司对全年订单增长有信心。"
    assert views(extractor, body)[-1] == ("Cambricon", "Cambricon", "positive")


def test_a_company_speaking_of_itself_without_a_side_states_no_view(extractor):
    assert views(extractor, "Arm said the company will hold its annual meeting in May.", "en") == []


def test_no_sign_of_a_slowdown_is_positive(extractor):
    body = "Arm reported results.\n\nThe company said it sees no sign of a slowdown in licensing."
    assert views(extractor, body, "en") == [("Arm", "Arm", "positive")]


def test_an_executive_who_told_analysts_what_the_company_expects_holds_the_view(extractor):
    body = "Arm reported results.\n\nChief Financial Officer Jane Roe told analysts the company expected margins to improve."
    assert views(extractor, body, "en")[-1] == ("Jane Roe", "Arm", "positive")


def test_a_chinese_holder_naming_nothing_takes_its_attitude_to_the_company_in_focus(extractor):
    body = "中国电信公布业绩，中国电信股价昨日下跌3%。\n\n瑞银则持审慎态度。"
    assert views(extractor, body)[-1] == ("UBS", "China Telecom", "negative")


def test_a_chinese_holder_naming_a_market_speaks_of_the_market(extractor):
    body = "中国电信公布业绩，中国电信股价昨日下跌3%。\n\n瑞银对港股整体持审慎态度。"
    assert views(extractor, body)[-1] == ("Unattributed", "China Telecom", "negative")


def test_a_named_head_of_an_unnamed_fund_team_is_the_person_holding_the_view(extractor):
    body = "某头部公募科技组负责人陈默在季报中写道，工业富联的份额优势明显。"
    assert views(extractor, body) == [("陈默", "Foxconn Industrial Internet", "positive")]


def test_a_stock_that_could_stay_range_bound_is_a_neutral_view(extractor):
    body = "Jefferies said Arm's stock could remain range-bound until licensing picks up."
    assert views(extractor, body, "en") == [("Jefferies", "Arm", "neutral")]


def test_he_after_an_analyst_of_a_firm_who_rates_the_shares_is_that_firm(extractor):
    body = ("Mizuho analyst Tom Lee rates Arm outperform.\n\n"
            "Jane Roe of Wolfe Research, who rates the shares sell, said Arm was losing share. \"Margins will shrink,\" she wrote.")
    assert views(extractor, body, "en")[-1][0] == "Wolfe Research"


def test_a_company_expecting_its_own_sales_to_grow_holds_a_positive_view_of_itself(extractor):
    assert views(extractor, "Arm said it expects licensing revenue to more than double next year.", "en") == [("Arm", "Arm", "positive")]


def test_a_company_stating_its_spending_plan_takes_no_side_on_itself(extractor):
    assert views(extractor, "Arm said it expects capital spending to double next year.", "en") == [("Arm", "Arm", "neutral")]


def test_a_view_that_waits_for_proof_before_turning_positive_takes_no_side(extractor):
    body = "Stifel said it would want to see Arm's royalties rise before turning more positive."
    assert views(extractor, body, "en") == [("Stifel", "Arm", "neutral")]


def test_a_neutral_weighting_in_a_stock_is_a_neutral_view(extractor):
    assert views(extractor, "Jefferies said it has a neutral weighting in Arm.", "en") == [("Jefferies", "Arm", "neutral")]


def test_investors_in_the_occasion_of_a_speech_do_not_displace_the_speaker(extractor):
    body = "寒武纪财务长陈默在投资人会议上强调，公司有信心拿下更多客户。"
    assert views(extractor, body) == [("陈默", "Cambricon", "positive")]


def test_an_assistant_to_the_president_is_an_executive_title(extractor):
    body = "寒武纪总裁助理陈默表示，公司订单充足。"
    assert views(extractor, body) == [("陈默", "Cambricon", "positive")]


def test_a_chief_executive_titled_ceo_in_chinese_text_speaks_of_the_company_he_runs(extractor):
    body = "星辰智能CEO王海明表示，公司明年营收将大幅增长。"
    assert views(extractor, body) == [("王海明", "星辰智能", "positive")]


def test_an_executives_the_company_is_the_company_they_run_not_the_one_in_focus(extractor):
    body = "Nvidia shares rose 3%.\n\nAMD CEO Lisa Su said the company expected its data center revenue to grow strongly."
    assert views(extractor, body, "en")[-1] == ("Lisa Su", "AMD", "positive")


def test_a_person_who_manages_money_at_a_firm_speaks_for_herself(extractor):
    body = "Maria Lopez, who helps oversee about $5 billion in assets at Oakridge Capital, said Nvidia was cheap."
    assert views(extractor, body, "en") == [("Maria Lopez", "Nvidia", "positive")]


def test_an_investor_titled_before_her_name_is_a_person_holder(extractor):
    assert views(extractor, "Investor Maria Lopez said Nvidia was overvalued.", "en") == [("Maria Lopez", "Nvidia", "negative")]


def test_a_fund_manager_of_a_firm_without_a_comma_is_still_the_holder(extractor):
    body = "Portfolio manager Tom Reed of Ardent Partners said Nvidia was overvalued."
    assert views(extractor, body, "en") == [("Tom Reed", "Nvidia", "negative")]


def test_selling_a_holding_is_a_negative_view_of_what_was_sold(extractor):
    body = "Investor Maria Lopez said she sold most of her Nvidia shares last month."
    assert views(extractor, body, "en") == [("Maria Lopez", "Nvidia", "negative")]


def test_adding_to_a_holding_is_a_positive_view_of_what_was_added(extractor):
    body = "Investor Maria Lopez said she added to her Nvidia position last month."
    assert views(extractor, body, "en") == [("Maria Lopez", "Nvidia", "positive")]


def test_a_chinese_cloud_company_is_known_by_its_short_name(extractor):
    assert views(extractor, "国盛证券认为，优刻得将受益于算力需求。") == [("Guosheng Securities", "UCloud", "positive")]


def test_an_international_data_port_is_no_data_centre_company(extractor):
    assert views(extractor, "国盛证券认为，临港国际数据港将受益于算力需求。") == []


def test_a_company_keeping_its_forecast_holds_a_neutral_view_of_itself(extractor):
    assert views(extractor, "Infineon kept its full-year group forecast unchanged.", "en") == [("Infineon", "Infineon", "neutral")]


def test_the_company_raising_its_outlook_is_the_company_of_the_article(extractor):
    body = "Zeta Dynamics (ZETA) reported results on Tuesday.\n\nThe company raised its full-year revenue outlook."
    assert views(extractor, body, "en")[-1] == ("Zeta Dynamics", "Zeta Dynamics", "positive")


def test_the_company_raising_its_outlook_after_the_occasion_is_the_company_of_the_article(extractor):
    body = "Zeta Dynamics (ZETA) reported results on Tuesday.\n\nOn its earnings call, the company raised its full-year revenue outlook."
    assert views(extractor, body, "en")[-1] == ("Zeta Dynamics", "Zeta Dynamics", "positive")


def test_a_company_setting_itself_a_higher_revenue_target_is_positive_about_itself(extractor):
    body = "Marvell set a target for data-centre revenue of $12 billion in fiscal 2029, up from $6 billion last year."
    assert views(extractor, body, "en") == [("Marvell", "Marvell", "positive")]


def test_calling_the_stocks_sell_off_an_overreaction_is_positive_on_the_stock(extractor):
    body = "Zeta Dynamics (ZETA) shares fell 8% after results.\n\nCiti analyst Tom Reed called the sell-off an overreaction."
    assert views(extractor, body, "en")[-1] == ("Citi", "Zeta Dynamics", "positive")


def test_an_analyst_less_convinced_is_negative(extractor):
    body = "Zeta Dynamics (ZETA) shares rose 8% after results.\n\nCiti analyst Tom Reed was less convinced."
    assert views(extractor, body, "en")[-1] == ("Citi", "Zeta Dynamics", "negative")


def test_expecting_revenue_to_triple_is_positive(extractor):
    assert views(extractor, "Citi expects Nvidia's revenue to triple by 2028.", "en") == [("Citi", "Nvidia", "positive")]


def test_the_company_opening_a_chinese_sentence_before_a_cue_speaks_of_itself(extractor):
    body = "英业达昨日召开法说会。\n\n公司也指出，笔电业务承压，第二季出货可能下滑。"
    assert views(extractor, body) == [("Inventec", "Inventec", "negative")]


def test_the_company_after_a_topic_opening_speaks_of_itself(extractor):
    body = "英业达昨日召开法说会。\n\n对于毛利率走势，公司财务长称，明年毛利率有望明显改善。"
    assert views(extractor, body) == [("Inventec", "Inventec", "positive")]


def test_adding_on_dips_is_positive_and_volatility_is_a_caveat(extractor):
    assert views(extractor, "一位基金经理表示，会逢低加码寒武纪。") == [("Anonymous source", "Cambricon", "positive")]
    body = "一位基金经理表示，会逢低加码寒武纪，但也坦言其股价波动较大。"
    assert views(extractor, body) == [("Anonymous source", "Cambricon", "mixed")]


def test_the_company_after_the_occasion_of_a_briefing_speaks_of_itself(extractor):
    body = "英业达昨日召开法说会。\n\n在说明会上，针对投资者关心的需求，公司董事长表示，服务器订单饱满。"
    assert views(extractor, body) == [("Inventec", "Inventec", "positive")]


def test_in_her_view_is_the_analyst_just_quoted_speaking(extractor):
    body = ("Zeta Dynamics (ZETA) shares rose after results. Citi analyst Jane Roe said the quarter was strong.\n\n"
            "In her view, Zeta Dynamics remains the cleanest way to own the custom-silicon trend.")
    assert views(extractor, body, "en")[-1] == ("Citi", "Zeta Dynamics", "positive")


def test_a_business_that_could_justify_the_share_price_is_a_positive_view(extractor):
    body = "Citi analyst Jane Roe said the optical business alone could justify much of Nvidia's share price."
    assert views(extractor, body, "en") == [("Citi", "Nvidia", "positive")]


def test_a_person_named_with_a_middle_initial_is_found(extractor):
    body = "Jane Q. Roe, a portfolio manager at Summit Capital, said Nvidia is cheap."
    assert views(extractor, body, "en") == [("Jane Q. Roe", "Nvidia", "positive")]


def test_a_founder_of_a_firm_speaks_for_herself(extractor):
    body = "Jane Roe, who co-founded Summit Capital, said Nvidia is cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_speaker_of_a_bank_named_after_the_quote_speaks_for_the_bank(extractor):
    assert views(extractor, "Nvidia is cheap, said Jane Roe of Barclays.", "en") == [("Barclays", "Nvidia", "positive")]


def test_a_speaker_of_an_unknown_firm_named_after_the_quote_speaks_for_herself(extractor):
    assert views(extractor, "Nvidia is cheap, says Jane Roe of Summit Capital.", "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_firms_chief_investment_officer_named_by_possessive_speaks_for_herself(extractor):
    body = "Jane Roe, Summit Capital's chief investment officer, said Nvidia is cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_banks_strategist_named_by_possessive_speaks_for_the_bank(extractor):
    claims = RuleExtractor(load_catalogue()).extract(article("Jane Roe, Barclays' chief strategist, said Nvidia is cheap.", "en")).claims
    assert [(c.holder, c.holder_person, c.target) for c in claims] == [("Barclays", "Jane Roe", "Nvidia")]


def test_an_investor_without_a_firm_speaks_for_herself(extractor):
    assert views(extractor, "Jane Roe, a longtime tech investor, said Nvidia is cheap.", "en") == [("Jane Roe", "Nvidia", "positive")]


def test_the_manager_of_a_named_fund_speaks_for_herself(extractor):
    body = "Jane Roe, who manages the Summit Growth Fund, said Nvidia is cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_an_unnamed_officer_of_the_company_speaks_for_it(extractor):
    body = "台达电昨日召开法说会。\n\n对于高压直流电源架构，财务长指出，公司相关产品明年起将明显受益。"
    assert views(extractor, body) == [("Delta Electronics", "Delta Electronics", "positive")]


def test_an_unnamed_chairman_of_a_broker_speaks_for_the_broker(extractor):
    assert views(extractor, "统一投顾董事长表示，台积电明年获利将明显成长。")[0][:2] == ("President Securities", "TSMC")


def test_she_skips_a_man_quoted_since_for_the_woman_before_him(extractor):
    body = ("Zeta Dynamics (ZETA) shares rose after results. Citi analyst Jane Roe said the quarter was strong.\n\n"
            "\"We are not a one-customer story anymore,\" Chief Executive Daniel Whitaker said.\n\n"
            "In her view, Zeta Dynamics remains the cleanest way to own the custom-silicon trend.")
    assert views(extractor, body, "en")[-1] == ("Citi", "Zeta Dynamics", "positive")


def test_a_pronoun_fits_any_person_whose_name_says_nothing_of_their_sex(extractor):
    body = "Citi analyst Kim Tanaka said the quarter was strong.\n\nShe said Zeta Dynamics (ZETA) looks cheap."
    assert views(extractor, body, "en")[-1] == ("Citi", "Zeta Dynamics", "positive")


def test_a_brokers_person_named_by_possessive_is_its_analyst_and_he_is_him(extractor):
    body = "Needham's Victor Albrecht said Nvidia is cheap.\n\nHe added that Zeta Dynamics (ZETA) looks expensive."
    claims = extractor.extract(article(body, "en")).claims
    assert [(c.holder, c.holder_person, c.target, c.stance) for c in claims] == [
        ("Needham", "Victor Albrecht", "Nvidia", "positive"), ("Needham", "Victor Albrecht", "Zeta Dynamics", "negative")]


def test_a_possessive_before_a_team_name_is_no_person(extractor):
    claims = extractor.extract(article("Goldman's Global Investment Research team said Nvidia is cheap.", "en")).claims
    assert [(c.holder, c.holder_person) for c in claims] == [("Goldman Sachs", None)]


def test_a_quotation_whose_speaker_is_named_where_it_closes_is_theirs_from_its_first_sentence(extractor):
    body = ('Dell shares rose on Friday. "The server business is growing fast, but margins are under pressure. '
            'The stock should hold up," said Jane Roe, an analyst at Wolfe Research.')
    assert views(extractor, body, "en")[1:] == [("Wolfe Research", "Dell", "mixed"), ("Wolfe Research", "Dell", "positive")]


def test_a_chinese_quotation_closed_by_its_speaker_is_theirs_from_its_first_sentence(extractor):
    body = "小米股价昨日上涨。「小米的汽车业务增长强劲。小米的手机业务则面临压力」，瑞银分析师表示。"
    assert views(extractor, body)[1:] == [("UBS", "Xiaomi", "positive"), ("UBS", "Xiaomi", "negative")]


def test_the_company_pointed_at_in_a_contrast_clause_is_weighed_against_what_was_conceded(extractor):
    body = ("Nvidia beat forecasts on Wednesday. Jim Bloggs, an analyst at Harbor Ridge Research, said the data "
            "center numbers were excellent but that export curbs could cap upside for the stock.")
    assert views(extractor, body, "en")[1:] == [("Harbor Ridge Research", "Nvidia", "mixed")]


def test_a_company_named_in_a_contrast_clause_is_not_weighed_against_what_came_before(extractor):
    body = "华泰证券认为，价格战将加速AI的普及，但会进一步压缩百度的利润。"
    assert views(extractor, body) == [("Huatai Securities", "Baidu", "negative")]


def test_he_after_an_analyst_named_of_a_firm_who_rates_the_stock_is_that_firm(extractor):
    body = ("Mizuho analyst Gregg Alvarez upgraded Snowflake to outperform. Brian Whitcombe of Monness, Crespi, Hardt, "
            'who rates the shares sell, disagreed. "This is defensive spending dressed up as growth," he wrote.')
    assert views(extractor, body, "en")[-1][0] == "Monness, Crespi, Hardt"


def test_a_person_found_twice_keeps_the_record_that_says_where_they_work(extractor):
    extraction = extractor.extract(article("Ridgeway Capital portfolio manager Jane Roe said chips look cheap.", "en"))
    assert [(e.name, e.affiliation) for e in extraction.discovered] == [("Ridgeway Capital", None), ("Jane Roe", "Ridgeway Capital")]


def test_a_view_with_no_company_named_goes_to_one_a_broker_rated_in_the_article(extractor):
    # (the catalogue knows Lambda from before its listing, with no ticker)
    body = ("Lambda drew coverage from three brokers on Monday. Halvorsen Securities initiated coverage of Lambda "
            "with a buy rating. Analyst Jane Roe expects revenue to triple over the next three years.")
    assert views(extractor, body, "en")[-1] == ("Halvorsen Securities", "Lambda", "positive")


def test_a_firm_named_by_its_suffix_right_after_a_sentence_ending_in_a_capitalised_word_is_found(extractor):
    body = "Lambda drew coverage from three brokers on Monday. Northwind Securities said Micron is cheap."
    assert [e.name for e in extractor.extract(article(body, "en")).discovered] == ["Northwind Securities"]


def test_a_name_ending_a_paragraph_is_no_firm_with_a_suffix_opening_the_next(extractor):
    body = "Revenue was $4 billion, according to Visible Alpha.\n\nCapital expenditure rose to $9 billion."
    assert [e.name for e in extractor.extract(article(body, "en")).discovered] == []


def test_assets_that_lose_value_are_a_negative_view(extractor):
    assert views(extractor, "Loop Capital said CoreWeave's older GPUs would lose value quickly.", "en") == [
        ("Loop Capital", "CoreWeave", "negative")
    ]


@pytest.mark.parametrize("epithet", ["The Munich-based chipmaker now expects", "The world's largest contract chipmaker expects",
                                     "The database giant said it expects"])
def test_the_company_in_question_called_by_what_it_is_gives_guidance_on_itself(extractor, epithet):
    body = f"Infineon raised its forecast on Tuesday. {epithet} revenue to reach 1.5 billion euros this year."
    assert views(extractor, body, "en")[1][:2] == ("Infineon", "Infineon")


@pytest.mark.parametrize("compared, stance", [
    ("compared with analysts' average estimate of $5.9 billion", "positive"),
    ("against an average analyst estimate of $6.6 billion, according to LSEG data", "negative"),
    ("versus the $6.1 billion analysts had expected", "positive"),
    ("compared with the $6.1 billion analysts had been looking for", "positive"),
])
def test_a_forecast_set_beside_the_analysts_estimate_is_judged_by_its_figures(extractor, compared, stance):
    body = f"Amphenol shares rose on Wednesday. The company expects revenue of $6.3 billion to $6.4 billion for the quarter, {compared}."
    assert views(extractor, body, "en")[1] == ("Amphenol", "Amphenol", stance)


def test_an_estimate_analysts_were_looking_for_is_read_with_no_other_word_for_one(extractor):
    body = "Jefferies noted that Amphenol's quarterly revenue came in at $6.4 billion, while analysts were looking for $6.1 billion."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert (claim.holder, claim.target, claim.stance, claim.assessment) == ("Jefferies", "Amphenol", "positive", "above expectations")


def test_a_forecast_in_line_with_the_estimate_is_its_own_outlook(extractor):
    body = "Amphenol shares rose on Wednesday. The company expects revenue of $6.3 billion to $6.4 billion, compared with analysts' estimate of $6.35 billion."
    assert views(extractor, body, "en")[1] == ("Amphenol", "Amphenol", "neutral")


def test_spending_set_beside_the_estimate_is_not_judged_by_its_size(extractor):
    body = "Oracle shares fell on Monday. The company expects capital spending of $50 billion, compared with analysts' estimate of $40 billion."
    assert views(extractor, body, "en")[1] == ("Oracle", "Oracle", "neutral")


def test_the_company_closing_what_it_said_holds_it(extractor):
    body = "Wipro shares rose 4%. Its deal pipeline is the strongest in three years, the company added."
    assert views(extractor, body, "en")[1] == ("Wipro", "Wipro", "positive")


def test_it_after_a_company_spoke_of_itself_is_that_company(extractor):
    body = "Wipro shares rose 4%. The company said demand was firm. Its deal pipeline is the strongest in three years, it added."
    assert views(extractor, body, "en")[-1] == ("Wipro", "Wipro", "positive")


def test_a_stock_that_added_to_its_price_says_nothing(extractor):
    body = "SK hynix gained 5.8 percent, while Samsung Electronics added 3.9 percent."
    assert [c.holder for c in extractor.extract(article(body, "en")).claims] == ["Unattributed", "Unattributed"]


@pytest.mark.parametrize("body, lang, stance", [
    ("Morgan Stanley expects Seagate's gross margin to climb above 45% by the end of the year.", "en", "positive"),
    ("Morgan Stanley said Seagate's operating margins would narrow next year.", "en", "negative"),
    ("华泰证券认为，中芯国际毛利率有望继续走高。", "zh-Hans", "positive"),
    ("华泰证券认为，中芯国际毛利率恐将收窄。", "zh-Hans", "negative"),
])
def test_a_margin_said_to_widen_or_narrow_is_a_view_of_its_company(extractor, body, lang, stance):
    assert views(extractor, body, lang)[0][2] == stance


def test_a_verb_hurting_a_part_of_the_company_in_a_later_clause_is_a_view_of_it(extractor):
    body = "东吴证券指出，中芯国际当前市盈率已超过80倍，收入结构变化可能拖累整体盈利能力。"
    assert views(extractor, body) == [("Soochow Securities", "SMIC", "negative")]
    body = "Jefferies said SMIC trades at 80 times earnings, and the shift in its sales mix could hurt margins."
    assert views(extractor, body, "en") == [("Jefferies", "SMIC", "negative")]


def test_a_side_a_broker_would_take_on_a_condition_is_no_side_taken(extractor):
    body = "Emkay Global said it would turn more positive on Wipro only if margins hold above 15%."
    assert views(extractor, body, "en") == [("Emkay Global", "Wipro", "neutral")]


def test_a_higher_target_with_a_hold_kept_for_reasons_against_is_mixed(extractor):
    body = "TD Cowen lifted its target on Celestica to $280 from $250 but kept a hold rating, arguing that the valuation looks stretched."
    assert views(extractor, body, "en") == [("TD Cowen", "Celestica", "mixed")]


@pytest.mark.parametrize("body, lang, gloss", [
    ("中信证券认为，中际旭创订单饱满。", "zh-Hans", "orders full"),
    ("中信证券指出，中际旭创订单已排至明年三季度。", "zh-Hans", "orders booked ahead"),
    ("Jefferies said Vertiv's cooling capacity is fully booked through 2027.", "en", "sold out"),
])
def test_orders_booked_ahead_are_a_positive_view(extractor, body, lang, gloss):
    (claim,) = extractor.extract(article(body, lang)).claims
    assert (claim.stance, claim.assessment) == ("positive", gloss)


def test_a_good_thing_said_to_lag_is_a_negative_view(extractor):
    assert views(extractor, "里昂认为，百度的商业化进度落后于同业。") == [("CLSA", "Baidu", "negative")]


def test_capital_expenditures_a_company_expects_are_no_view_of_itself(extractor):
    body = "Oracle shares fell on Monday. The company said it expects capital expenditures of about $50 billion, up from $35 billion."
    assert views(extractor, body, "en")[1] == ("Oracle", "Oracle", "neutral")


def test_a_broker_analyst_named_before_a_word_on_results_speaks_of_the_company_in_focus(extractor):
    from dataclasses import replace

    body = "小米股价昨日上涨3%。国泰海通证券分析师李明轩指出，订单表现显著好于市场预期。"
    claims = extractor.extract(replace(article(body), title="小米发布AI眼镜")).claims
    assert [(c.holder, c.target, c.stance) for c in claims][1] == ("Guotai Haitong Securities", "Xiaomi", "positive")


def test_a_theme_named_as_the_circumstances_is_no_target(extractor):
    from dataclasses import replace

    body = "小米股价昨日上涨。华泰证券认为，手机业务在存储芯片涨价的背景下可能面临毛利率压力。"
    claims = extractor.extract(replace(article(body), title="小米发布新机")).claims
    assert [(c.holder, c.target, c.stance) for c in claims][1:] == [("Huatai Securities", "Xiaomi", "negative")]


def test_a_heading_whose_words_point_at_a_company_holds_no_view(extractor):
    path = next((Path(__file__).parent / "corpora" / "written-f").glob("r07-*.md"))  # our own article: "What the company says"
    claims = extractor.extract(parse_markdown(str(path), path.read_text("utf-8"))).claims
    assert [c.holder for c in claims if c.evidence == "What the company says"] == []


def test_a_price_level_the_stock_could_hit_is_no_blow(extractor):
    body = "Nvidia shares rose on Tuesday. Wedbush's Dan Ives said the stock could hit $250 within a year."
    assert views(extractor, body, "en")[1] == ("Wedbush", "Nvidia", "positive")


def test_a_buyer_on_weakness_is_a_bull(extractor):
    assert views(extractor, "Needham said it would be a buyer of Nvidia on any weakness.", "en") == [
        ("Needham", "Nvidia", "positive")
    ]


@pytest.mark.parametrize("said", ["招商证券认为腾讯具备较高安全边际。", "招商证券认为腾讯的成长逻辑不变。"])
def test_a_margin_of_safety_and_an_unchanged_thesis_are_positive(extractor, said):
    assert views(extractor, said) == [("China Merchants Securities", "Tencent", "positive")]


def test_bets_against_companies_are_negative_views_of_each(extractor):
    assert views(extractor, "Michael Burry disclosed bets against Nvidia and Palantir.", "en") == [
        ("Michael Burry", "Nvidia", "negative"), ("Michael Burry", "Palantir", "negative")
    ]


def test_the_rival_a_company_loses_ground_to_is_no_target(extractor):
    assert views(extractor, "Apple is losing ground to Samsung in China, Counterpoint Research said.", "en") == [
        ("Counterpoint Research", "Apple", "negative")
    ]


def test_what_poses_a_threat_is_the_cause_not_the_one_threatened(extractor):
    assert views(extractor, "Jefferies said Apple's modem poses a threat to Qualcomm.", "en") == [("Jefferies", "Qualcomm", "negative")]


def test_a_negative_catalyst_watch_is_negative(extractor):
    assert views(extractor, "Citi opened a negative catalyst watch on Super Micro.", "en") == [("Citi", "Super Micro", "negative")]


@pytest.mark.parametrize("said", [
    "Bernstein said AMD's AI roadmap lacks visibility.", "Bernstein said AMD's pricing has peaked.",
    "Bernstein said AMD's rack-scale plans are years away.", "Bernstein said AMD's margins will compress next year.",
    "Bernstein said AMD's new chips fail to excite.", "Bernstein said AMD is ceding ground in servers.",
    "Bernstein said demand for AMD's PC chips remains soft.", "Bernstein said AMD's console margins are thin.",
    "Bernstein said AMD customers are pausing orders.",
])
def test_common_words_of_a_bearish_note_are_negative(extractor, said):
    assert views(extractor, said, "en") == [("Bernstein", "AMD", "negative")]


def test_a_contrast_runs_on_to_the_end_of_the_sentence(extractor):
    body = "高盛指出，日月光长线受惠，但股价今年已上涨六成，短线评价修正压力不可忽视。"
    assert views(extractor, body) == [("Goldman Sachs", "ASE Technology", "mixed")]


@pytest.mark.parametrize("said", [
    "Bernstein said expectations for Nvidia are too high.", "Bernstein said Nvidia's upside is capped by supply.",
    "Bernstein said Nvidia's growth will slow sharply from here.", "Bernstein said Nvidia trades at a lofty multiple.",
])
def test_words_of_a_peak_and_a_stretch_are_negative(extractor, said):
    assert views(extractor, said, "en") == [("Bernstein", "Nvidia", "negative")]


@pytest.mark.parametrize("said, stance", [("瑞银认为，小米的竞争优势正在削弱。", "negative"), ("瑞银认为，小米汽车业务亏损收窄。", "positive")])
def test_an_advantage_weakening_is_negative_and_a_loss_narrowing_positive(extractor, said, stance):
    assert views(extractor, said) == [("UBS", "Xiaomi", stance)]


@pytest.mark.parametrize("said", ["瑞银认为，腾讯短期利润承压，长期增长前景向好。", "瑞银指出，腾讯一方面受益于AI，另一方面面临监管风险。"])
def test_the_long_run_against_the_short_and_the_other_hand_make_a_view_mixed(extractor, said):
    assert views(extractor, said) == [("UBS", "Tencent", "mixed")]


@pytest.mark.parametrize("said, lang", [("Barclays said Microsoft's quarter was a mixed bag.", "en"),
                                        ("Barclays took a middle road on Microsoft.", "en"),
                                        ("巴克莱认为，微软业绩喜忧参半。", "zh-Hans")])
def test_words_that_say_mixed_in_one_go_give_a_mixed_view(extractor, said, lang):
    assert views(extractor, said, lang) == [("Barclays", "Microsoft", "mixed")]


def test_a_neutral_rating_kept_with_a_higher_target_is_neutral(extractor):
    assert views(extractor, "瑞银维持华虹半导体“中性”评级，目标价由46元上调至52元。") == [("UBS", "Hua Hong", "neutral")]


@pytest.mark.parametrize("said, stance", [
    ("Jefferies said Oracle's spending will pay off by 2027.", "positive"),
    ("Jefferies said Oracle's debt load is rising faster than revenue.", "negative"),
    ("Jefferies called Oracle a show-me story.", "negative"),
    ("Jefferies said Oracle needs to prove the contracts convert to cash.", "negative"),
])
def test_words_of_payoff_debt_and_proof(extractor, said, stance):
    assert views(extractor, said, "en") == [("Jefferies", "Oracle", stance)]


def test_a_market_move_beside_a_view_is_the_fact_and_the_view_decides(extractor):
    assert views(extractor, "中金表示，腾讯近期回调提供了布局良机。") == [("CICC", "Tencent", "positive")]


def test_the_street_on_results_with_no_company_named_speaks_of_the_company_in_focus(extractor):
    from dataclasses import replace

    body = "奇鋐昨日舉行法說會。大行普遍正面看待業績。"
    claims = extractor.extract(replace(article(body, "zh-Hant"), title="奇鋐法說會")).claims
    assert [(c.holder, c.target, c.stance) for c in claims] == [("Investment banks", "Asia Vital Components", "positive")]


@pytest.mark.parametrize("said", ["Citi said Salesforce isn't cheap.", "Citi said it doesn't expect Salesforce to benefit.",
                                  "Citi said Salesforce isn’t cheap."])
def test_a_contracted_negation_flips_the_view(extractor, said):
    assert views(extractor, said, "en") == [("Citi", "Salesforce", "negative")]


@pytest.mark.parametrize("said, stance", [("Citi said the new chips are unlikely to boost Salesforce's margins.", "negative"),
                                          ("Citi said the export curbs are unlikely to hurt Salesforce.", "positive")])
def test_unlikely_to_flips_what_follows(extractor, said, stance):
    assert views(extractor, said, "en") == [("Citi", "Salesforce", stance)]


def test_the_cheapest_of_a_group_is_positive(extractor):
    assert views(extractor, "Citi said Salesforce is the cheapest of the large software names.", "en") == [("Citi", "Salesforce", "positive")]


def test_a_crowded_trade_in_chinese_is_negative(extractor):
    assert views(extractor, "中信证券认为，寒武纪短期交易拥挤度偏高。") == [("CITIC Securities", "Cambricon", "negative")]


@pytest.mark.parametrize("said, stance", [("凯基投顾指出，鸿海机柜出货延后。", "negative"),
                                          ("凯基投顾指出，鸿海短期营运恐受影响。", "negative"),
                                          ("凯基投顾指出，鸿海的机柜业务不受影响。", "positive")])
def test_a_delay_and_being_affected_are_negative(extractor, said, stance):
    assert views(extractor, said) == [("KGI Securities", "Foxconn", stance)]


@pytest.mark.parametrize("word", ["unwarranted", "unjustified"])
def test_a_selloff_called_unwarranted_is_a_positive_view(extractor, word):
    assert views(extractor, f"Citi said the selloff in Salesforce was {word}.", "en") == [("Citi", "Salesforce", "positive")]


def test_monetization_that_remains_elusive_is_negative(extractor):
    assert views(extractor, "Citi said Salesforce's AI monetization remains elusive.", "en") == [("Citi", "Salesforce", "negative")]


def test_supply_that_is_constrained_takes_no_side_against_the_seller(extractor):
    # in this news "supply is constrained" mostly means demand outruns it: no bearish word
    assert views(extractor, "Citi said Micron's supply is constrained through next year.", "en") == [("Citi", "Micron", "positive")]


def test_a_rating_a_broker_stayed_at_with_a_cut_target_is_mixed(extractor):
    assert views(extractor, "Morgan Stanley stayed overweight on Salesforce but trimmed its target to $320 from $345.", "en") == [
        ("Morgan Stanley", "Salesforce", "mixed")
    ]


def test_a_fund_manager_named_in_full_first_and_by_surname_with_her_firm_later_speaks_for_herself(extractor):
    body = ('Jane Roe has spent the year selling chip stocks. "The obvious names are priced for perfection," said Roe, '
            "a senior fund manager at Bluefin Capital. Her largest holding is Hitachi, which she believes is undervalued.")
    extraction = extractor.extract(article(body, "en"))
    assert [(c.holder, c.holder_type, c.target) for c in extraction.claims] == [("Jane Roe", "Person", "Hitachi")]
    assert ("Jane Roe", "Bluefin Capital") in [(e.name, e.affiliation) for e in extraction.discovered]


def test_a_peer_named_at_a_paragraphs_end_does_not_take_over_the_company_it_is_about(extractor):
    from dataclasses import replace

    body = ("Celestica raised its forecast. RBC kept an outperform rating on Celestica. It added that the stock trades at a "
            "discount to peers such as Jabil.\n\nTD Cowen lifted its target to $280 but kept a hold rating.")
    claims = extractor.extract(replace(article(body, "en"), title="Celestica raises forecast")).claims
    assert (claims[-1].holder, claims[-1].target) == ("TD Cowen", "Celestica")


def test_a_rating_given_for_reasons_named_by_product_is_on_the_maker_the_article_is_about(extractor):
    from dataclasses import replace

    body = ("Salesforce reported results on Wednesday. Citi analyst Jim Doe reiterated a neutral rating, saying Agentforce "
            "remains too small to offset slowing seat growth.")
    claims = extractor.extract(replace(article(body, "en"), title="Salesforce results")).claims
    assert [(c.holder, c.target) for c in claims][-1] == ("Citi", "Salesforce")


def test_a_price_that_leaves_out_the_upside_is_positive(extractor):
    assert views(extractor, "Evercore ISI said Salesforce, at 20 times earnings, prices in almost no AI upside.", "en") == [
        ("Evercore ISI", "Salesforce", "positive")
    ]


def test_a_company_spokesperson_speaks_for_the_company(extractor):
    body = "SAP shares rose on Monday. A company spokesperson said SAP had seen strong adoption of its AI tools."
    assert views(extractor, body, "en")[-1] == ("SAP", "SAP", "positive")


@pytest.mark.parametrize("said, stance", [
    ("KeyBanc said ServiceNow raised prices in the fall.", "positive"),
    ("KeyBanc said it could no longer justify a premium valuation for ServiceNow.", "negative"),
    ("KeyBanc said the shift could shave 15% off ServiceNow's earnings.", "negative"),
    ("KeyBanc said ServiceNow's federal unit remains a drag on group profit.", "negative"),
])
def test_the_season_a_premium_no_longer_justified_a_shave_and_a_drag(extractor, said, stance):
    assert views(extractor, said, "en") == [("KeyBanc", "ServiceNow", stance)]


@pytest.mark.parametrize("said, stance", [("瑞银认为，联想利润率偏薄。", "negative"),
                                          ("瑞银认为，联想股价短期或于10港元至11.5港元之间上落。", "neutral")])
def test_thin_margins_and_a_range_bound_price(extractor, said, stance):
    assert views(extractor, said) == [("UBS", "Lenovo", stance)]


@pytest.mark.parametrize("said", [
    "Wells Fargo said generative AI is cannibalizing Adobe's creative seats.", "Wells Fargo said it sees little reason to own Adobe.",
    "Wells Fargo said Adobe is losing relevance with younger users.",
    "Wells Fargo said Adobe's AI revenue is still too small to move the needle.",
])
def test_words_of_a_bear_on_a_software_name(extractor, said):
    assert views(extractor, said, "en") == [("Wells Fargo", "Adobe", "negative")]


@pytest.mark.parametrize("said", [
    "野村看好广达，认为来自谷歌与亚马逊的服务器订单将成为成长引擎。",
    "野村看好广达，认为其方案在特斯拉等车企中的渗透率持续提升。",
    "野村看好广达，认为公司已切入英伟达供应链。",
])
def test_the_customers_of_a_company_are_no_targets_of_a_view_on_it(extractor, said):
    assert views(extractor, said) == [("Nomura", "Quanta", "positive")]


def test_growth_coming_from_companies_keeps_them_as_targets(extractor):
    assert views(extractor, "野村认为，明年的增长主要来自英伟达和博通。") == [("Nomura", "Nvidia", "positive"), ("Nomura", "Broadcom", "positive")]


@pytest.mark.parametrize("said", [
    "Citi said Quanta's new servers are selling well, with Google and Amazon among its largest customers.",
    "Citi said Google, Quanta's largest customer, is buying more of its new servers, which are selling well.",
    "Citi said Quanta's new servers are selling well, with Google and Amazon among early adopters.",
    "Citi said Quanta's new servers are selling well, with Google and Amazon as its first buyers.",
])
def test_customers_named_beside_an_english_view_are_no_targets(extractor, said):
    assert views(extractor, said, "en") == [("Citi", "Quanta", "positive")]


def test_the_index_a_company_joins_is_no_target(extractor):
    assert views(extractor, "高盛认为，小米获纳入恒指后将迎来被动资金流入。") == [("Goldman Sachs", "Xiaomi", "positive")]


def test_the_index_a_company_is_added_to_is_no_target(extractor):
    assert views(extractor, "Citi said Palantir's inclusion in the S&P 500 should bring steady buying.", "en") == [("Citi", "Palantir", "positive")]


def test_a_peer_named_in_passing_does_not_become_the_company_spoken_of(extractor):
    from dataclasses import replace

    body = "有投资者提问公司与寒武纪等同行的竞争关系。\n\n业绩会后，中金公司维持跑赢行业评级，认为公司生态兼容性最好。"
    claims = extractor.extract(replace(article(body), title="海光信息业绩说明会")).claims
    assert [(c.holder, c.target) for c in claims if c.holder == "CICC"] == [("CICC", "Hygon")]


def test_a_rival_named_as_a_yardstick_does_not_become_the_company_spoken_of(extractor):
    body = "Citi said Quanta was winning orders from Wistron. Citi said the company remains its top pick."
    assert views(extractor, body, "en")[-1] == ("Citi", "Quanta", "positive")


def test_a_level_range_forecast_by_a_second_bank_is_its_view_of_the_index(extractor):
    body = "星展对恒指的预测介乎30000点至31000点之间，渣打则估计在28000点至30000点。"
    assert views(extractor, body) == [("DBS", "Hang Seng Index", "positive"), ("Standard Chartered", "Hang Seng Index", "positive")]


def test_a_bank_s_forecast_as_a_noun_is_its_view(extractor):
    assert views(extractor, "恒指走势方面，国信证券的预测在29000点至32000点之间。") == [("Guosen Securities", "Hang Seng Index", "positive")]


@pytest.mark.parametrize("said", ["Citi noted Salesforce's move to a new headquarters.",
                                  "Citi estimated that Salesforce employs 70,000 people.", "花旗提及赛富时的新总部。"])
def test_a_fact_noted_without_a_word_of_stance_is_no_view(extractor, said):
    assert views(extractor, said, "en" if said.isascii() else "zh-Hans") == []


def test_a_fact_noted_with_a_word_of_stance_is_a_view(extractor):
    assert views(extractor, "Citi noted Salesforce's strong demand.", "en") == [("Citi", "Salesforce", "positive")]


def test_a_concession_on_one_company_set_against_another_is_its_own_view(extractor):
    claims = views(extractor, "瑞银认为，尽管腾讯的用户增长在放缓，但阿里巴巴已发布重大模型更新。")
    assert claims[0] == ("UBS", "Tencent", "negative")


@pytest.mark.parametrize("said, stance", [
    ("瑞银认为，腾讯的技术相对落后，所幸得益于微信的生态，跟进速度快。", "mixed"),
    ("瑞银认为，腾讯的游戏业务表现强劲，可惜广告收入下滑。", "mixed"),
])
def test_fortunately_and_unfortunately_draw_a_contrast(extractor, said, stance):
    assert views(extractor, said) == [("UBS", "Tencent", stance)]


def test_nonetheless_draws_a_contrast(extractor):
    assert views(extractor, "UBS said Tencent's games are strong; nonetheless, its ad revenue is falling.", "en") == [("UBS", "Tencent", "mixed")]


@pytest.mark.parametrize("said, stance", [
    ("Citi said the recovery at Micron may stall.", "negative"),
    ("Citi said the selloff in Micron may stall.", "positive"),
    ("Citi said the rally in Micron has legs.", "positive"),
    ("Citi said it was encouraged by Micron's progress.", "positive"),
    ("Citi said Micron's pricing will weaken.", "negative"),
])
def test_a_stalling_recovery_legs_and_encouragement(extractor, said, stance):
    assert views(extractor, said, "en") == [("Citi", "Micron", stance)]


@pytest.mark.parametrize("said, expected", [
    ("Samsung Electronics said it planned to expand DRAM output next year.", []),
    ("Samsung Electronics forecast third-quarter operating profit of $9 billion.", [("Samsung Electronics", "Samsung Electronics", "neutral")]),
    ("Samsung Electronics kept its full-year forecast unchanged.", [("Samsung Electronics", "Samsung Electronics", "neutral")]),
])
def test_a_company_on_itself_without_a_side_is_a_view_only_when_it_gives_guidance(extractor, said, expected):
    assert views(extractor, said, "en") == expected


@pytest.mark.parametrize("said, stance", [
    ("Citi said it sees little evidence that Intel's turnaround is working.", "negative"),
    ("Citi said it is too early to call a turnaround at Intel.", "negative"),
    ("Citi said Intel's guidance was better than feared.", "positive"),
    ("Citi said Intel's guidance was worse than feared.", "negative"),
    ("Citi said the worst may be over for Intel.", "positive"),
    ("Citi said Intel's margin recovery will take longer than expected.", "negative"),
    ("Citi said Intel is a turnaround story worth owning.", "positive"),
])
def test_the_words_of_a_note_on_a_turnaround(extractor, said, stance):
    assert views(extractor, said, "en") == [("Citi", "Intel", stance)]


@pytest.mark.parametrize("said, stance", [("中金公司表示，中芯国际的业绩拐点尚未出现。", "negative"),
                                          ("中金公司表示，中芯国际的盈利拐点尚需时日。", "negative"),
                                          ("中金公司表示，中芯国际的价格压力尚未出现。", "positive")])
def test_what_has_not_come_yet_turns_the_word_before_it(extractor, said, stance):
    assert views(extractor, said) == [("CICC", "SMIC", stance)]


def test_folding_table_converts_each_character_as_opencc_does_alone():
    # fold's table is made by converting all Chinese characters in one text, a line each:
    # it must say what converting each character alone says.
    from kg.extract import fold as folding

    chars = [chr(code) for low, high in folding._CJK_RANGES for code in range(low, high)]
    alone = {ord(c): s for c in chars if len(s := folding._T2S.convert(c)) == 1 and s != c}
    assert {code: s for code, s in folding._FOLD.items() if code >= 0x3400 and code not in folding._WIDTH} == alone
    assert folding.fold("輝達（NVDA）認為，ｘ") == "辉达(NVDA)认为,x"


def test_the_lexicon_alternations_tried_where_they_can_open_find_what_finditer_finds():
    # find_stance and _anchored try the numeric and anchored patterns only where one of their
    # first characters stands (kg.extract.openings): the matches must be finditer's, everywhere.
    from kg.extract.lexicon import load_lexicon, lower_case
    from kg.extract.openings import matches_from, opening
    from kg.extract.fold import fold

    lexicon = load_lexicon()
    texts = [fold(path.read_text("utf-8")) for path in sorted(EXAMPLES.glob("*.md"))]
    texts += ["Shares up 5%, rose more than 12.5% and a 30% upside; 营收增长逾20%，下跌3%", "beat estimates, trimmed her stake"]
    for pattern, _ in (lexicon.stance_patterns, lexicon.expectation_patterns, lexicon.holding_patterns):
        opens = opening(pattern)
        assert opens is not None
        for text in texts + [lower_case(t) for t in texts]:
            for low in range(0, len(text), 37):
                spans = [m.span() for m in matches_from(pattern, opens, text, low, low + 90)]
                assert spans == [m.span() for m in pattern.finditer(text, low, low + 90)]


def test_a_rating_after_a_product_sentence_is_the_paragraphs_company(extractor):
    body = "华泰证券点评工业富联：三季度营收同比增长38%。我们认为，GB300机柜的出货将明显加速。维持“买入”评级。"
    assert views(extractor, body) == [("Huatai Securities", "Foxconn Industrial Internet", "positive"),
                                      ("Huatai Securities", "GB300", "positive"),
                                      ("Huatai Securities", "Foxconn Industrial Internet", "positive")]


def test_the_field_a_company_is_judged_in_is_no_target(extractor):
    body = "华泰证券点评工业富联：三季度营收同比增长38%。我们认为，公司在GB300机柜环节具备先发优势。"
    assert views(extractor, body)[1:] == [("Huatai Securities", "Foxconn Industrial Internet", "positive")]


def test_the_chipmaker_said_is_the_company_in_the_news(extractor):
    body = "Qualcomm shares rose after the chipmaker said demand for its inference chips was strong."
    assert [(c.holder, c.holder_type) for c in extractor.extract(article(body, "en")).claims] == [("Qualcomm", "Institution")]


def test_a_person_of_an_asset_manager_speaks_for_herself(extractor):
    assert views(extractor, "Jane Roe of Bluefin Asset Management said Nvidia looks cheap.", "en") == [
        ("Jane Roe", "Nvidia", "positive")]


def test_an_asset_managers_person_named_with_a_possessive_speaks_for_herself(extractor):
    assert views(extractor, "Bluefin Asset Management's Jane Roe said Nvidia looks cheap.", "en") == [
        ("Jane Roe", "Nvidia", "positive")]


def test_a_person_of_a_research_firm_speaks_for_the_firm(extractor):
    [claim] = extractor.extract(article("Jane Roe of Kestrel Research said Nvidia looks cheap.", "en")).claims
    assert (claim.holder, claim.holder_person, claim.target, claim.stance) == ("Kestrel Research", "Jane Roe", "Nvidia", "positive")


def test_a_hold_kept_because_revenue_will_decline_is_negative(extractor):
    body = "Stifel kept its hold rating on IBM, noting that mainframe revenue is likely to decline this year."
    assert views(extractor, body, "en") == [("Stifel", "IBM", "negative")]


def test_declining_to_comment_is_no_view(extractor):
    assert "declining" not in [c.assessment for c in extractor.extract(article("IBM declined to comment.", "en")).claims]


def test_a_portfolio_manager_based_somewhere_speaks_for_himself(extractor):
    body = "\"Ibiden is no longer cheap,\" said Richard Hale, a Tokyo-based portfolio manager at Eastspring Investments."
    assert [(c.holder, c.holder_type) for c in extractor.extract(article(body, "en")).claims] == [("Richard Hale", "Person")]


def test_a_firm_named_by_its_short_name_is_the_firm_named_in_full(extractor):
    body = ("Hana Securities kept a buy rating on Hanmi Semiconductor. \"Orders are strong,\" "
            "Hana analyst Kim Soo-yeon said.")
    assert [(c.holder, c.holder_person) for c in extractor.extract(article(body, "en")).claims] == [
        ("Hana Securities", None), ("Hana Securities", "Kim Soo-yeon")]


def test_idc_as_an_industry_in_chinese_is_no_research_firm(extractor):
    body = "摩根大通将中国IDC行业评级上调至“超配”。"
    assert all(c.holder != "IDC" and c.target != "IDC" for c in extractor.extract(article(body)).claims)


def test_a_parent_company_named_as_a_partner_is_no_target(extractor):
    body = "摩根士丹利将鸿腾精密目标价上调至7元，并指集团与母公司鸿海的协同效应逐步显现。"
    assert [c.target for c in extractor.extract(article(body)).claims] == ["FIT Hon Teng"]


def test_a_level_a_stock_may_challenge_is_a_level_aimed_for(extractor):
    assert views(extractor, "华南投顾认为，台积电股价有机会挑战1500元。") == [("Hua Nan Securities", "TSMC", "positive")]


def test_a_business_kept_stable_takes_no_side(extractor):
    assert views(extractor, "小米总裁卢伟冰表示，手机业务今年预计保持平稳。") == [("卢伟冰", "Xiaomi", "neutral")]


def test_some_institutions_are_the_street(extractor):
    assert views(extractor, "不过，也有机构对紫光股份态度偏谨慎。") == [("Investment banks", "Unisplendour", "negative")]


def test_a_fund_manager_there_is_is_an_unnamed_source(extractor):
    assert views(extractor, "有基金经理表示，小米估值已不便宜。") == [("Anonymous source", "Xiaomi", "negative")]


def test_the_rally_a_view_follows_is_no_view(extractor):
    assert views(extractor, "Morningstar said IBM shares looked overvalued after the rally.", "en") == [
        ("Morningstar", "IBM", "negative")]


def test_an_officer_with_a_long_title_is_an_executive(extractor):
    body = "Senior Managing Executive Officer Hiroshi Kanda said Ibiden's new lines are running at full load."
    assert [(c.holder, c.holder_type) for c in extractor.extract(article(body, "en")).claims] == [("Hiroshi Kanda", "Person")]


def test_a_risk_disclosure_is_no_view(extractor):
    body = "华泰证券维持工业富联“买入”评级。风险提示：海外客户资本开支不及预期、关税政策变化。"
    assert views(extractor, body) == [("Huatai Securities", "Foxconn Industrial Internet", "positive")]


def test_the_exception_to_a_comparison_is_no_target(extractor):
    body = "Bernstein said sovereign buyers would become a bigger customer group for Nvidia than any cloud provider except Microsoft."
    assert views(extractor, body, "en") == [("Bernstein", "Nvidia", "positive")]


def holders(extractor, body: str, lang: str = "en") -> list[tuple[str, str | None]]:
    return [(c.holder, c.holder_person) for c in extractor.extract(article(body, lang)).claims]


def test_analysts_led_by_a_named_analyst_speak_for_the_firm_named_in_the_article(extractor):
    body = "In a note to clients, Jefferies analysts led by Mark Lipacis said Nvidia looks cheap."
    assert holders(extractor, body) == [("Jefferies", "Mark Lipacis")]


def test_a_firms_analyst_after_a_bare_apostrophe_speaks_for_it(extractor):
    assert holders(extractor, "Jefferies' Mark Lipacis said Nvidia looks cheap.") == [("Jefferies", "Mark Lipacis")]


def test_an_analyst_at_a_firm_speaks_for_it(extractor):
    body = "The analysts, led by Mark Lipacis at Jefferies, said Nvidia looks cheap."
    assert holders(extractor, body) == [("Jefferies", "Mark Lipacis")]


def test_a_moat_said_to_narrow_is_negative(extractor):
    assert views(extractor, "Deutsche Bank says Nvidia's moat is narrowing.", "en") == [("Deutsche Bank", "Nvidia", "negative")]


def test_a_fair_value_estimate_is_read_as_a_target(extractor):
    [claim] = extractor.extract(article("Morningstar assigns IBM a fair value estimate of $245.", "en")).claims
    assert [(a.action, a.price_target, a.currency) for a in claim.actions] == [("target_set", 245.0, "USD")]


def test_a_head_of_investing_at_a_firm_speaks_for_herself(extractor):
    body = "Jane Roe, head of technology investing at Invesco, said Nvidia is still cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_an_investor_in_a_company_speaks_for_herself(extractor):
    body = "Jane Roe, an early investor in OpenAI, said Broadcom is still cheap."
    assert views(extractor, body, "en") == [("Jane Roe", "Broadcom", "positive")]


def test_a_long_shot_is_negative(extractor):
    assert views(extractor, "Citi said Qualcomm's AI PC push is a long shot.", "en") == [("Citi", "Qualcomm", "negative")]


def test_a_limited_contribution_is_negative(extractor):
    assert views(extractor, "天风证券认为，金山办公的AI订阅收入贡献有限。") == [("Tianfeng Securities", "Kingsoft Office", "negative")]


def test_the_customer_whose_supply_chain_is_spoken_of_is_no_target(extractor):
    body = "野村指出，广达在GB300机柜的份额超过四成，为英伟达AI服务器供应链中的最大受益者，重申买入评级。"
    assert views(extractor, body) == [("Nomura", "Quanta", "positive")]


def test_an_english_supply_chain_names_its_customer_as_a_frame(extractor):
    body = "Nomura said Quanta is the biggest winner in Nvidia's AI server supply chain."
    assert views(extractor, body, "en") == [("Nomura", "Quanta", "positive")]


def test_the_company_outside_which_a_pick_is_best_is_a_yardstick(extractor):
    body = "Morgan Stanley said Marvell remains the cleanest way to own the trend outside Broadcom."
    assert views(extractor, body, "en") == [("Morgan Stanley", "Marvell", "positive")]


def test_the_source_of_a_risk_is_no_target_of_it(extractor):
    body = "Citi said Qualcomm faces risks from Apple's modem shift."
    assert views(extractor, body, "en") == [("Citi", "Qualcomm", "negative")]


def test_little_risk_is_a_favourable_view(extractor):
    body = "Citi said Qualcomm faces little risk from Apple's modem shift."
    assert views(extractor, body, "en") == [("Citi", "Qualcomm", "positive")]


def test_a_little_weaker_is_still_weaker(extractor):
    assert views(extractor, "Citi said Nvidia looked a little weaker.", "en") == [("Citi", "Nvidia", "negative")]


@pytest.mark.parametrize(("body", "lang", "stance"), [
    ("Citi warned of an air pocket in demand for Nvidia.", "en", "negative"),
    ("Citi said Nvidia faces multiple compression.", "en", "negative"),
    ("Citi sees Nvidia as a secular winner.", "en", "positive"),
    ("Citi said Nvidia's beat-and-raise quarter settles the debate.", "en", "positive"),
    ("花旗认为，英伟达面临戴维斯双杀。", "zh-Hans", "negative"),
    ("花旗认为，英伟达存在下行风险。", "zh-Hans", "negative"),
    ("花旗认为，英伟达股价已经超跌。", "zh-Hans", "positive"),
])
def test_the_trade_s_common_words_of_a_view_take_their_side(extractor, body, lang, stance):
    assert views(extractor, body, lang) == [("Citi", "Nvidia", stance)]


def test_a_cautious_firm_starting_at_neutral_holds_the_rating_s_view(extractor):
    body = "JPMorgan was the most cautious, starting coverage of Nvidia at neutral with a $46 target."
    assert views(extractor, body, "en") == [("JPMorgan", "Nvidia", "neutral")]


def test_a_hold_kept_for_reasons_against_stays_negative(extractor):
    body = "JPMorgan kept a neutral rating on Nvidia, warning that margins would shrink."
    assert views(extractor, body, "en") == [("JPMorgan", "Nvidia", "negative")]


def test_good_news_slower_than_expected_is_a_negative_view(extractor):
    body = "Citi said Nvidia's margin improvement was slower than expected."
    assert views(extractor, body, "en") == [("Citi", "Nvidia", "negative")]


def test_an_improvement_below_expectations_is_a_negative_view_in_chinese(extractor):
    assert views(extractor, "花旗认为，英伟达的毛利率改善低于预期。") == [("Citi", "Nvidia", "negative")]


def test_a_good_result_that_beat_expectations_stays_positive(extractor):
    body = "Citi said Nvidia's strong growth beat expectations."
    assert views(extractor, body, "en") == [("Citi", "Nvidia", "positive")]


def test_a_downgrade_with_a_higher_target_is_a_negative_view(extractor):
    body = "高盛将信骅评级由买进下调至中立，目标价由5800元小幅上调至5900元。"
    assert views(extractor, body, "zh-Hant") == [("Goldman Sachs", "ASPEED", "negative")]


def test_an_executive_stating_a_plan_takes_no_side(extractor):
    body = "英伟达首席执行官黄仁勋表示，公司今年将加大对推理芯片的研发投入。"
    assert views(extractor, body) == [("Jensen Huang", "Nvidia", "neutral")]


def test_an_executive_speaking_of_the_company_without_a_plan_is_favourable(extractor):
    body = "英伟达首席执行官黄仁勋表示，公司新一代芯片已经开始向客户出货。"
    assert views(extractor, body) == [("Jensen Huang", "Nvidia", "positive")]


def test_a_tally_of_data_states_no_view(extractor):
    body = "另据统计，今年以来已有超过80家公司获得券商首次覆盖，其中中际旭创获得覆盖最多。"
    assert views(extractor, body) == []


def test_what_makes_it_harder_for_a_company_is_a_view_of_that_company(extractor):
    body = "Mizuho said Nvidia's software moat makes it harder for AMD to catch up."
    assert views(extractor, body, "en") == [("Mizuho", "Nvidia", "positive"), ("Mizuho", "AMD", "negative")]


def test_the_company_after_a_speakers_that_is_what_the_speaker_reports(extractor):
    body = ("MongoDB reported results on Thursday. Chief Financial Officer Mary Akhtar said on the call that demand "
            "held up and that the company expects strong growth.")
    assert views(extractor, body, "en") == [("Mary Akhtar", "MongoDB", "positive")]


def test_a_theme_named_in_a_contrast_clause_does_not_end_the_contrast(extractor):
    body = "台新投顾表示，加权指数短线在24000点附近有压力，但在AI供应链基本面支撑下，中长线仍偏多看待。"
    assert views(extractor, body) == [("Taishin Securities", "TAIEX", "mixed")]


@pytest.mark.parametrize(("body", "lang", "stance"), [
    ("里昂指出，以招股价计，MiniMax市销率已接近60倍，远高于美国同业。", "zh-Hans", "negative"),
    ("里昂指出，MiniMax本益比低于同业平均。", "zh-Hans", "positive"),
    ("CLSA said MiniMax trades at a discount to its peers.", "en", "positive"),
    ("CLSA said MiniMax's valuation is well above its historical average.", "en", "negative"),
])
def test_a_valuation_above_its_peers_is_dear_and_below_them_cheap(extractor, body, lang, stance):
    assert views(extractor, body, lang) == [("CLSA", "MiniMax", stance)]


def test_a_managing_director_opening_a_sentence_is_a_person_not_a_firm(extractor):
    body = "Nvidia shares rose. Managing director Arvind Sehgal said Nvidia's order book stood at a record level."
    assert views(extractor, body, "en")[-1] == ("Arvind Sehgal", "Nvidia", "positive")


def test_it_after_the_company_in_one_sentence_is_the_company(extractor):
    body = ("Mizuho cut Nvidia to neutral on Monday. The company kept its full-year forecast unchanged and said "
            "it plans to spend $4 billion on new capacity.")
    assert views(extractor, body, "en")[-1] == ("Nvidia", "Nvidia", "neutral")


def test_the_name_opening_an_interviews_answers_is_the_speaker(extractor):
    body = ("**记者：港股科技怎么看？**\n\n林启航：港股互联网平台是我们今年最看好的方向之一。腾讯在模型和云上都有完整布局，"
            "AI对广告业务的拉动已经体现在财报里。\n\n**记者：美股呢？**\n\n林启航：美股七巨头的估值处在历史高位，我们做了一定减持。")
    assert views(extractor, body) == [
        ("林启航", "Internet companies", "positive"), ("林启航", "Tencent", "positive"), ("林启航", "Magnificent Seven", "negative")
    ]


def test_a_fund_manager_avoiding_a_stock_is_negative_on_it(extractor):
    body = "Jane Roe, a fund manager at Harlow Capital, is avoiding Tesla."
    assert views(extractor, body, "en") == [("Jane Roe", "Tesla", "negative")]


def test_a_company_spending_too_much_is_a_negative_view_of_it(extractor):
    body = "Jane Roe, a fund manager at Harlow Capital, said Meta is spending too much."
    assert views(extractor, body, "en") == [("Jane Roe", "Meta", "negative")]


def test_an_answer_marked_da_is_the_interviewees(extractor):
    body = ("星辰资产基金经理王海明近日接受本报专访。\n\n问：您目前最看好哪些公司？\n\n"
            "答：我们仍然看好台积电。")
    assert views(extractor, body) == [("王海明", "TSMC", "positive")]


def test_a_core_holding_is_a_fund_managers_positive_view(extractor):
    body = "星辰资产基金经理王海明接受了本报专访。\n\n问：您的持仓呢？\n\n答：台积电仍是我们的核心持股。"
    assert views(extractor, body) == [("王海明", "TSMC", "positive")]


def test_an_answer_marked_a_is_the_interviewees(extractor):
    body = ("Elena Marsh, a portfolio manager at Harbor Point Capital, spoke to us this week.\n\n"
            "Q: What do you own?\n\nA: Our largest position is Nvidia.")
    assert views(extractor, body, "en") == [("Elena Marsh", "Nvidia", "positive")]


def test_a_company_after_a_brokers_name_and_colon_is_what_it_rates(extractor):
    assert views(extractor, '交银国际：小米交付量超预期，重申"买入"评级。') == [("BOCOM International", "Xiaomi", "positive")]


def test_a_company_forecast_inside_a_brokers_words_is_the_brokers_view(extractor):
    assert views(extractor, "瑞银认为，英伟达料将受益于推理需求。") == [("UBS", "Nvidia", "positive")]


def test_a_companys_revenue_forecast_after_a_brokers_cue_is_the_brokers(extractor):
    body = "摩根大通表示，台积电明年营收料增长25%，高于市场预期。"
    assert views(extractor, body) == [("JPMorgan", "TSMC", "positive")]


def test_a_company_forecast_inside_the_firms_words_is_the_firms_view(extractor):
    body = "瑞银发布报告。该行认为，腾讯料将受益于AI广告投放。"
    assert views(extractor, body) == [("UBS", "Tencent", "positive")]


def test_a_name_opening_one_paragraph_with_a_colon_is_no_speaker(extractor):
    assert [h for h, _, _ in views(extractor, "王强：腾讯的AI业务增长强劲。")] == ["Unattributed"]


def test_the_index_points_at_the_index_named_last(extractor):
    body = ("The S&P 500 slipped 0.2% on Wednesday. Goldman Sachs raised its year-end target for the index to 7,600 "
            "from 7,200, saying earnings are growing fast enough to justify current prices.")
    assert views(extractor, body, "en")[-1] == ("Goldman Sachs", "S&P 500", "positive")


def test_a_rupee_target_is_read_in_inr(extractor):
    body = "Motilal Oswal, which has a buy rating on Netweb, raised its target price to ₹4,600 from ₹4,100."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.price_target, a.previous_target, a.currency) for a in claim.actions] == [
        ("reiterate", None, None, None), ("target_raised", 4600.0, 4100.0, "INR")
    ]


def test_an_australian_dollar_target_is_read_in_aud(extractor):
    body = "Macquarie raised its target on Telstra to A$4.80 from A$4.50."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.action, a.price_target, a.previous_target, a.currency) for a in claim.actions] == [
        ("target_raised", 4.8, 4.5, "AUD")
    ]


def test_a_rating_after_a_raised_target_is_kept_not_raised(extractor):
    (claim,) = extractor.extract(article("高盛将快手目标价上调至88港元，评级买入。")).claims
    assert [(a.action, a.rating, a.price_target) for a in claim.actions] == [
        ("reiterate", "buy", None), ("target_raised", "buy", 88.0)
    ]


def test_a_lowercase_officer_title_after_a_comma_names_the_executive(extractor):
    body = ("Nvidia reported results. On the earnings call, chief operating officer Graham Tulloch said Nvidia's "
            "businesses were growing strongly.")
    assert views(extractor, body, "en")[-1] == ("Graham Tulloch", "Nvidia", "positive")


def test_what_a_comparison_puts_second_is_denied(extractor):
    body = "Citi said it sees AI as more a tool for Adobe's customers than a threat to Adobe."
    assert views(extractor, body, "en") == [("Citi", "Adobe", "positive")]


def test_a_firm_the_catalogue_lacks_that_opens_a_sentence_by_upgrading_a_company_is_a_broker(extractor):
    body = "Harbourline Partners shares rose. Tasman Ridge upgraded Kiwi Fibre to outperform from neutral."
    assert views(extractor, body, "en")[-1] == ("Tasman Ridge", "Kiwi Fibre", "positive")


def test_an_analyst_named_with_his_title_before_an_upgrade_is_no_firm(extractor):
    body = "Wolfe Research covers the sector. Analyst Marcus Feld upgraded Eaton to outperform from peer perform."
    assert views(extractor, body, "en") == [("Wolfe Research", "Eaton", "positive")]


def test_removing_a_risk_relieves_it(extractor):
    body = "Analysts at Jefferies said the asset sale removes the risk to Intel's margins."
    assert views(extractor, body, "en") == [("Jefferies", "Intel", "positive")]


def test_removed_from_a_list_of_top_picks_stays_negative(extractor):
    assert views(extractor, "Goldman Sachs removed Nvidia from its conviction list.", "en") == [
        ("Goldman Sachs", "Nvidia", "negative")
    ]


def test_a_foreign_name_in_chinese_ends_before_the_time_word_after_it(extractor):
    body = "Oklo首席执行官丹尼尔·卡特近日在一场行业会议上表示，公司前景乐观。"
    assert views(extractor, body)[0][0] == "丹尼尔·卡特"


def test_a_chief_executive_s_title_is_no_part_of_the_foreign_name_after_it(extractor):
    body = "美光首席执行官戴维·黑尔在电话会上表示，公司的HBM产能已经全部售罄。"
    assert views(extractor, body) == [("戴维·黑尔", "Micron", "positive")]


def test_a_vice_chairman_speaking_is_the_company_s_executive(extractor):
    body = ('Doosan Enerbility won an order. "We are now sold out of turbine slots through 2028," '
            "Vice Chairman Park Sung-jin said.")
    assert views(extractor, body, "en")[-1] == ("Park Sung-jin", "Doosan Enerbility", "positive")


def test_a_year_end_target_is_a_level_of_the_index_named_last(extractor):
    body = "The S&P 500 rose 1.2% to 6,850. Barclays also lifted its year-end target, to 7,300 from 6,900."
    claim = extractor.extract(article(body, "en")).claims[-1]
    assert (claim.holder, claim.target, claim.stance) == ("Barclays", "S&P 500", "positive")
    assert [(a.action, a.price_target, a.previous_target, a.currency) for a in claim.actions] == [
        ("target_raised", 7300.0, 6900.0, "points")
    ]


def test_an_index_level_kept_for_reasons_against_is_negative(extractor):
    body = ("The S&P 500 closed at 6,700. Stifel's chief strategist kept his year-end target at 6,500, arguing that "
            "the market has become too dependent on a handful of AI names.")
    assert views(extractor, body, "en")[-1] == ("Stifel", "S&P 500", "negative")


def test_a_firm_the_catalogue_lacks_that_has_a_rating_on_the_stock_is_a_broker(extractor):
    body = "Nvidia rose. Harrow Dene, which has a buy rating on the stock, said Nvidia would benefit from government spending."
    assert views(extractor, body, "en")[-1] == ("Harrow Dene", "Nvidia", "positive")


def test_a_valuation_called_not_expensive_is_positive(extractor):
    assert views(extractor, "高盛认为，英伟达估值并不贵。") == [("Goldman Sachs", "Nvidia", "positive")]


def test_an_unnamed_fund_manager_described_at_length_is_an_anonymous_source(extractor):
    body = "一位长期跟踪能源行业的美股基金经理对记者表示：“Oklo的估值已经偏高，任何监管延误都会带来剧烈波动。”"
    assert views(extractor, body) == [("Anonymous source", "Oklo", "negative")]


def test_the_investor_platform_a_company_answers_on_is_no_collective_holder(extractor):
    body = "华丰科技在投资者互动平台回复称，公司产能正在爬坡，预计下半年交付量环比增长一倍以上。"
    assert views(extractor, body) == [("Huafeng Technology", "Huafeng Technology", "positive")]


def test_gulf_and_new_zealand_targets_are_read_in_their_currencies(extractor):
    body = ("Al Rajhi Capital raised its target price on Nvidia to SR60 from SR55. "
            "Forsyth Barr lifted its target price on Nvidia to NZ$12.50 from NZ$11.80.")
    assert [(a.price_target, a.previous_target, a.currency) for c in extractor.extract(article(body, "en")).claims
            for a in c.actions] == [(60.0, 55.0, "SAR"), (12.5, 11.8, "NZD")]


def test_a_currency_code_inside_a_word_is_no_currency(extractor):
    body = "Jefferies raised its price target on Nvidia after the form 10 filing to $210."
    (claim,) = extractor.extract(article(body, "en")).claims
    assert [(a.price_target, a.currency) for a in claim.actions] == [(210.0, "USD")]


def test_growth_a_valuation_already_implies_is_priced_in(extractor):
    body = "天风证券认为，华丰科技当前市值已隐含未来三年的高增长预期。"
    assert views(extractor, body) == [("Tianfeng Securities", "Huafeng Technology", "negative")]


def test_the_index_a_stock_ranks_in_is_no_target(extractor):
    body = ("Shares of Monolithic Power Systems tumbled 7%, the worst performer in the S&P 500, after KeyBanc "
            "downgraded the chipmaker to underweight.")
    assert views(extractor, body, "en") == [("KeyBanc", "Monolithic Power Systems", "negative")]


def test_who_co_manages_a_long_named_fund_is_a_fund_manager(extractor):
    body = ("Daniel Roe, who co-manages the Bluefin Harbour Large Cap Growth fund, said he had trimmed his "
            "Nvidia stake by about a third.")
    assert views(extractor, body, "en") == [("Daniel Roe", "Nvidia", "negative")]


def test_a_reliever_that_is_a_stance_word_takes_no_side_of_its_own_before_the_worry_it_relieves(extractor):
    body = "Amphenol rose. Chief Executive Jane Castell dismissed that concern on the call."
    assert views(extractor, body, "en")[-1] == ("Jane Castell", "Amphenol", "positive")


def test_dismissing_a_company_as_overvalued_stays_negative(extractor):
    assert views(extractor, "Jefferies dismissed Nvidia as overvalued.", "en") == [("Jefferies", "Nvidia", "negative")]


def test_slower_than_the_market_expects_is_below_expectations(extractor):
    assert views(extractor, "瑞银认为美团利润率修复进度或慢于市场预期。") == [("UBS", "Meituan", "negative")]


def test_a_subsidy_war_is_a_worry_like_a_price_war(extractor):
    assert views(extractor, "瑞银认为美团的补贴战仍在持续。") == [("UBS", "Meituan", "negative")]


def test_the_company_speaking_at_an_occasion_is_the_company_in_focus(extractor):
    body = "东山精密发布三季报。公司在业绩说明会上表示，旗下800G光模块产品已批量出货，预计明年营收翻倍。"
    assert views(extractor, body) == [("Dongshan Precision", "Dongshan Precision", "positive")]


def test_stable_cash_flow_is_a_merit(extractor):
    assert views(extractor, "高盛认为，美团现金流稳定。") == [("Goldman Sachs", "Meituan", "positive")]


def test_an_english_sentence_with_curly_apostrophes_names_its_speaker_after_the_cue(extractor):
    body = "Marvell’s lead in custom chips is intact, said Jane Roe, an analyst at Harlow Securities."
    assert views(extractor, body, "en") == [("Harlow Securities", "Marvell", "positive")]


def test_an_accented_firm_name_after_an_inverted_cue_holds_the_view(extractor):
    body = "Nvidia is still the best way to play AI, said Anne Dubois, an analyst at Crédit Agricole."
    assert views(extractor, body, "en") == [("Credit Agricole", "Nvidia", "positive")]


def test_a_company_whose_possessive_opens_the_sentence_is_not_its_subject(extractor):
    body = "Nvidia’s results highlight the industry’s momentum, and analysts remain confident that Broadcom will gain."
    assert ("Nvidia", "Broadcom", "positive") not in views(extractor, body, "en")


def test_a_surname_with_an_apostrophe_or_a_second_capital_is_read_whole(extractor):
    body = "Nvidia is still the best way to play AI, said Dan O'Neil, a portfolio manager at Harlow Capital."
    assert views(extractor, body, "en") == [("Dan O'Neil", "Nvidia", "positive")]
    body = "Nvidia is still the best way to play AI, said Ann McKay, a portfolio manager at Harlow Capital."
    assert views(extractor, body, "en") == [("Ann McKay", "Nvidia", "positive")]


def test_a_generational_suffix_belongs_to_the_name(extractor):
    body = "Nvidia is still the best way to play AI, said Marcus Hill Jr., managing partner at Eastgate Advisors."
    assert views(extractor, body, "en") == [("Marcus Hill Jr.", "Nvidia", "positive")]


def test_a_word_opening_the_sentence_is_no_part_of_the_person_named_after_it(extractor):
    body = ("For Sarah Hunt, a portfolio manager at Alpine Woods Capital, the selloff is a chance. "
            "She said Nvidia is still the best way to play AI.")
    assert views(extractor, body, "en") == [("Sarah Hunt", "Nvidia", "positive")]


def test_a_chief_investment_officer_for_a_firm_speaks_for_herself(extractor):
    body = "Nvidia is still the best way to play AI, said Chris Lane, chief investment officer for Northlight."
    assert views(extractor, body, "en") == [("Chris Lane", "Nvidia", "positive")]


def test_a_partnership_named_with_and_co_is_no_company(extractor):
    body = "Nvidia is still the best way to play AI, according to Priya Raman, head of technology research at Kestrel & Co."
    assert views(extractor, body, "en") == [("Kestrel & Co", "Nvidia", "positive")]


def test_a_manager_who_would_be_a_seller_of_a_stock_is_negative_on_it(extractor):
    body = "\"I'd be a seller of Super Micro here,\" said Mark Tilden, chief investment officer at Rockwell Wealth."
    assert views(extractor, body, "en") == [("Mark Tilden", "Super Micro", "negative")]


def test_a_rally_that_has_gone_too_far_is_negative(extractor):
    body = "Palantir's rally has gone too far, argues Rachel Kim, a strategist with Ridgeline Advisors."
    assert views(extractor, body, "en") == [("Ridgeline Advisors", "Palantir", "negative")]


def test_not_moving_the_needle_is_negative(extractor):
    body = "Deutsche Bank said Agentforce was not moving the needle."
    assert views(extractor, body, "en") == [("Deutsche Bank", "Agentforce", "negative")]


def test_a_managers_we_like_in_a_quotation_carried_on_is_positive(extractor):
    body = "\"It's a great company,\" said Jim Lee, a portfolio manager at Carver Capital. \"We like Broadcom a lot.\""
    assert views(extractor, body, "en") == [("Jim Lee", "Broadcom", "positive")]


def test_a_manager_who_says_we_trimmed_a_stock_is_negative_on_it(extractor):
    body = "\"We trimmed Broadcom in March,\" said Jim Lee, a portfolio manager at Carver Capital."
    assert views(extractor, body, "en") == [("Jim Lee", "Broadcom", "negative")]


def test_better_than_investors_think_is_positive(extractor):
    body = "Harlow Securities said the custom silicon pipeline at Marvell is deeper than investors think."
    assert views(extractor, body, "en") == [("Harlow Securities", "Marvell", "positive")]


def test_weaker_than_the_market_expects_is_negative(extractor):
    body = "Harlow Securities said demand for Marvell's chips will be weaker than the market expects."
    assert views(extractor, body, "en") == [("Harlow Securities", "Marvell", "negative")]


def test_words_of_a_brokers_doubt_written_from_the_trade_read_as_negative(extractor):
    for words in ("remains highly speculative", "faces regulatory risk", "is at a late-cycle peak", "has a poor risk-reward"):
        assert views(extractor, f"Harlow Securities said Marvell {words}.", "en") == [("Harlow Securities", "Marvell", "negative")], words


def test_a_firms_view_opening_the_sentence_holds_what_follows(extractor):
    body = "In Morgan Stanley's view, Nvidia remains the best way to play AI."
    assert views(extractor, body, "en") == [("Morgan Stanley", "Nvidia", "positive")]


def test_a_firms_head_of_research_named_after_the_person_speaks_for_the_firm(extractor):
    body = "Nvidia is the best way to play AI, said Jane Roe, Harlow Securities' head of research."
    assert views(extractor, body, "en") == [("Harlow Securities", "Nvidia", "positive")]


def test_a_person_from_a_firm_the_catalogue_lacks_speaks_as_from_one_at_it(extractor):
    body = "Nvidia is the best way to play AI, said Jane Roe from Harlow Partners."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_firms_chief_investment_officer_named_after_a_comma_speaks_for_herself(extractor):
    body = "Harlow Wealth's chief investment officer, Jane Roe, said Nvidia is the best way to play AI."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "positive")]


def test_a_ticker_with_its_exchange_in_brackets_marks_a_company(extractor):
    body = "Shares of Zetta Widgets (LON:ZTW) rose 7% after Harlow Securities upgraded the stock to buy."
    assert views(extractor, body, "en") == [("Harlow Securities", "Zetta Widgets", "positive")]


def test_a_number_in_brackets_marks_a_company_only_with_its_exchange(extractor):
    body = "Shares of Zetta Widgets (TYO:6857) rose 7% after Harlow Securities upgraded the stock to buy."
    assert views(extractor, body, "en") == [("Harlow Securities", "Zetta Widgets", "positive")]
    assert views(extractor, "Harlow Securities said Zetta Widgets (2025) would do well.", "en") == []


def test_a_three_word_name_of_a_firm_is_the_person_not_part_of_the_firm(extractor):
    body = "Lim Boon Kiat of Lion Global Investors said Nvidia was the best way to play AI."
    assert views(extractor, body, "en") == [("Lim Boon Kiat", "Nvidia", "positive")]


def test_buguo_however_does_not_negate_the_cue_after_it(extractor):
    body = "欣銓董事長蔡明宏表示，AI晶片測試需求強勁。不過他也提醒，新機台折舊將壓縮毛利。"
    assert views(extractor, body, "zh-Hant")[-1] == ("蔡明宏", "Ardentec", "negative")


def test_less_free_cash_flow_is_negative(extractor):
    body = "UBS said Meta was likely to generate less free cash flow next year."
    assert views(extractor, body, "en") == [("UBS", "Meta", "negative")]


def test_reservations_held_by_some_big_banks_are_the_streets_doubt(extractor):
    assert views(extractor, "也有大行对腾讯的估值持保留态度。") == [("Investment banks", "Tencent", "negative")]


def test_a_broker_advising_to_accumulate_is_positive(extractor):
    assert views(extractor, "耀才证券建议投资者分批吸纳腾讯。") == [("Bright Smart Securities", "Tencent", "positive")]


def test_the_company_a_preference_is_set_against_is_liked_less(extractor):
    body = "Morgan Stanley prefers Vertiv to Super Micro Computer."
    assert views(extractor, body, "en") == [("Morgan Stanley", "Vertiv", "positive"), ("Morgan Stanley", "Super Micro", "negative")]
    body = "Jane Roe, chief investment officer at Harlow Wealth, said she preferred to own Keyence over Fanuc."
    assert views(extractor, body, "en") == [("Jane Roe", "Keyence", "positive"), ("Jane Roe", "Fanuc", "negative")]
    body = "Harlow Securities said SK Hynix remained its preferred way to play memory, ahead of Samsung Electronics."
    assert views(extractor, body, "en") == [("Harlow Securities", "SK Hynix", "positive"), ("Harlow Securities", "Samsung Electronics", "negative")]


def test_the_stock_means_the_company_named_before_in_the_speakers_description(extractor):
    body = "Jane Roe, who covers Nvidia at Harlow Securities, said the shares are cheap."
    assert views(extractor, body, "en") == [("Harlow Securities", "Nvidia", "positive")]


def test_a_benefit_the_company_has_yet_to_see_is_a_negative_view(extractor):
    assert views(extractor, "Harlow Capital said Intel has yet to benefit from the AI boom.", "en") == [
        ("Harlow Capital", "Intel", "negative")
    ]


def test_razor_thin_margins_are_a_negative_view(extractor):
    assert views(extractor, "Harlow Capital said Intel's margins are razor-thin.", "en") == [
        ("Harlow Capital", "Intel", "negative")
    ]


def test_a_company_lagging_behind_a_rival_is_the_view_and_the_rival_its_yardstick(extractor):
    assert views(extractor, "Harlow Capital said AMD lags behind Nvidia in software.", "en") == [
        ("Harlow Capital", "AMD", "negative")
    ]


def test_a_roadmap_that_could_slip_is_a_negative_view(extractor):
    assert views(extractor, "Harlow Capital said Intel's foundry roadmap could slip again.", "en") == [
        ("Harlow Capital", "Intel", "negative")
    ]


def test_a_payoff_that_will_take_years_is_a_negative_view(extractor):
    assert views(extractor, "Harlow Capital said Tesla's robotaxi business will take years to pay off.", "en") == [
        ("Harlow Capital", "Tesla", "negative")
    ]


def test_a_pullback_called_a_buying_opportunity_is_a_positive_view(extractor):
    assert views(extractor, "Harlow Capital said the pullback in Nvidia was a buying opportunity.", "en") == [
        ("Harlow Capital", "Nvidia", "positive")
    ]


@pytest.mark.parametrize("body", [
    "Zentrix Robotics shares rose 5% on Monday. Harlow Research said Zentrix Robotics was cheap.",
    "Shares of Zentrix Robotics rose 5% on Monday. Harlow Research said Zentrix Robotics was cheap.",
])
def test_a_company_unknown_to_the_catalogue_is_recognised_by_its_shares_moving(extractor, body):
    extraction = extractor.extract(article(body, "en"))
    assert [(c.holder, c.target, c.stance) for c in extraction.claims if c.holder != "Unattributed"] == [
        ("Harlow Research", "Zentrix Robotics", "positive")
    ]
    assert ("Zentrix Robotics", "Company") in [(e.name, e.type) for e in extraction.discovered]


@pytest.mark.parametrize("kind", ["Technology", "US-listed", "Hong Kong"])
def test_a_kind_of_stock_whose_shares_move_is_no_company(extractor, kind):
    extraction = extractor.extract(article(f"{kind} shares fell 2% on Monday.", "en"))
    assert [e.name for e in extraction.discovered] == []


def test_a_fund_manager_adding_to_a_stock_after_a_selloff_is_positive_on_it(extractor):
    body = "Jane Roe, a portfolio manager at Harlow Capital, said she had added to Seagate after the December sell-off."
    assert views(extractor, body, "en") == [("Jane Roe", "Seagate", "positive")]


def test_adding_on_every_dip_is_a_positive_view(extractor):
    body = '"I have been adding to Entegris on every dip since October," said Jane Roe, a portfolio manager at Harlow Capital.'
    assert views(extractor, body, "en") == [("Jane Roe", "Entegris", "positive")]


def test_a_company_not_seeing_price_pressure_is_a_positive_view(extractor):
    assert views(extractor, "Harlow Capital said Nvidia is not seeing price pressure.", "en") == [
        ("Harlow Capital", "Nvidia", "positive")
    ]


def test_news_adding_to_concerns_about_a_company_stays_negative(extractor):
    body = "Jane Roe, a portfolio manager at Harlow Capital, said the selloff added to concerns about Seagate."
    assert views(extractor, body, "en") == [("Jane Roe", "Seagate", "negative")]


@pytest.mark.parametrize("said", [
    "Harlow Capital said Adobe's AI products have failed to gain traction with customers.",
    "Harlow Capital said it sees limited scope for further gains in Adobe.",
    "Harlow Capital said Adobe faces an uphill battle in generative video.",
    "Harlow Capital said Adobe's China revenue could evaporate.",
    "Harlow Capital said Adobe's Firefly adoption has been slow.",
    "Harlow Capital said Adobe may need to raise capital.",
    "Harlow Capital said it would not chase Adobe at these levels.",
    "Harlow Capital said Adobe's turnaround is taking longer than investors had hoped.",
])
def test_a_note_finding_a_company_falling_short_is_negative(extractor, said):
    assert [(c.holder, c.stance) for c in extractor.extract(article(said, "en")).claims] == [("Harlow Capital", "negative")]


def test_the_company_another_is_better_placed_than_is_judged_negative(extractor):
    assert views(extractor, "Harlow Capital said Entegris was better placed than MKS Instruments for the coming year.", "en") == [
        ("Harlow Capital", "Entegris", "positive"), ("Harlow Capital", "MKS Instruments", "negative")
    ]


def test_the_companies_another_is_less_well_placed_than_are_judged_positive(extractor):
    assert views(extractor, "Harlow Capital said Wipro remained less well placed than Infosys to capture AI spending.", "en") == [
        ("Harlow Capital", "Wipro", "negative"), ("Harlow Capital", "Infosys", "positive")
    ]


def test_the_company_another_is_a_better_bet_than_is_judged_negative(extractor):
    assert views(extractor, "Harlow Capital said SanDisk looks like a better bet than Western Digital.", "en") == [
        ("Harlow Capital", "Sandisk", "positive"), ("Harlow Capital", "Western Digital", "negative")
    ]


@pytest.mark.parametrize("body, lang", [
    ("Harlow Capital said OpenAI's chip deals look like circular financing.", "en"),
    ("中金认为，OpenAI与芯片厂商之间的交易实为循环融资。", "zh-Hans"),
])
def test_circular_financing_is_a_negative_view(extractor, body, lang):
    assert [c.stance for c in extractor.extract(article(body, lang)).claims] == ["negative"]


@pytest.mark.parametrize("rating, gloss", [("与大市同步", "reiterate (market-perform)"), ("标配", "reiterate (equal-weight)")])
def test_an_unquoted_rating_name_is_no_company(extractor, rating, gloss):
    extraction = extractor.extract(article(f"美光周四股价大涨8%。伯恩斯坦维持{rating}评级。"))
    assert [(c.holder, c.target, c.assessment) for c in extraction.claims][1:] == [("Bernstein", "Micron", gloss)]
    assert list(extraction.discovered) == []


def test_a_manager_short_a_stock_is_negative_on_it(extractor):
    body = "Jane Roe, a portfolio manager at Harlow Capital, said she was short Oracle."
    assert views(extractor, body, "en") == [("Jane Roe", "Oracle", "negative")]


def test_a_title_word_before_an_executive_is_no_company(extractor):
    extraction = extractor.extract(article("中芯国际第三季度营收增长。联席首席执行官周立民称，公司明年资本开支将与今年大致持平。"))
    assert [(c.holder, c.target) for c in extraction.claims][-1] == ("周立民", "SMIC")
    assert [e.type for e in extraction.discovered] == ["Person"]


def test_titles_held_together_before_an_executive_are_no_company(extractor):
    extraction = extractor.extract(article("中芯国际第三季度营收增长。执行董事兼首席财务官周立民称，公司明年资本开支将与今年大致持平。"))
    assert [(c.holder, c.target) for c in extraction.claims][-1] == ("周立民", "SMIC")
    assert [e.type for e in extraction.discovered] == ["Person"]


def test_the_listing_a_target_price_is_set_for_is_no_company(extractor):
    body = "摩根大通维持阿里巴巴增持评级，将美股目标价由180美元上调至215美元。"
    assert [(c.holder, c.target) for c in extractor.extract(article(body)).claims] == [("JPMorgan", "Alibaba")]


def test_what_a_holder_favours_another_over_is_less_preferred(extractor):
    body = "Harlow Capital said investors should favour Japan's Topix over the Magnificent Seven."
    assert views(extractor, body, "en") == [("Harlow Capital", "TOPIX", "positive"), ("Harlow Capital", "Magnificent Seven", "negative")]


@pytest.mark.parametrize("body, lang", [
    ("瑞银认为，阿里巴巴电商主业的竞争压力亦未缓解。", "zh-Hans"),
    ("Harlow Capital said concerns about Nvidia have not eased.", "en"),
])
def test_a_worry_said_not_to_have_eased_stays_negative(extractor, body, lang):
    assert [c.stance for c in extractor.extract(article(body, lang)).claims] == ["negative"]


@pytest.mark.parametrize("body, view", [
    ("Broadcom, which designs Meta's in-house accelerators, also stands to benefit, according to Bernstein.",
     ("Bernstein", "Broadcom", "positive")),
    ("Jefferies said Arista was the cleanest beneficiary of Meta's spending.", ("Jefferies", "Arista", "positive")),
])
def test_a_suppliers_customer_is_no_target_of_its_view(extractor, body, view):
    assert views(extractor, body, "en") == [view]


def test_a_company_left_more_exposed_is_a_negative_view(extractor):
    body = "Spending on this scale leaves Meta more exposed than its peers if demand for AI cools, Harlow Capital said."
    assert views(extractor, body, "en") == [("Harlow Capital", "Meta", "negative")]


def test_a_fund_manager_who_had_trimmed_a_stock_is_negative_on_it(extractor):
    body = "Jane Roe, a fund manager at Harlow Capital, said she had trimmed Nvidia over the past month."
    assert views(extractor, body, "en") == [("Jane Roe", "Nvidia", "negative")]


def test_a_lead_hard_to_erode_is_a_moat(extractor):
    assert views(extractor, "Harlow Capital said Nvidia's software lead would be hard to erode.", "en") == [
        ("Harlow Capital", "Nvidia", "positive")
    ]



def test_what_a_condition_supposes_is_no_view_beside_one_stated(extractor):
    body = "For Meta, Harlow Capital sees more upside unless ad growth slows."
    assert views(extractor, body, "en") == [("Harlow Capital", "Meta", "positive")]


def test_a_condition_in_a_contrast_is_no_doubt(extractor):
    body = "Jane Roe, a portfolio manager at Harlow Capital, said she added to AMD last month but would cut it if margins fell below 50%."
    assert views(extractor, body, "en") == [("Jane Roe", "AMD", "positive")]


def test_better_placed_to_do_something_sets_no_company_against_another(extractor):
    claims = extractor.extract(article("Harlow Capital said Nvidia is better positioned to benefit from Microsoft's spending.", "en")).claims
    assert [c.assessment for c in claims if c.target == "Microsoft"] != ["less well placed"]


def test_a_fund_manager_who_has_owned_a_stock_for_years_is_positive_on_it(extractor):
    body = "Shares of Nvidia rose 3% on Tuesday.\n\nJane Roe, a portfolio manager at Harlow Capital, has owned the stock since 2019."
    assert views(extractor, body, "en")[-1] == ("Jane Roe", "Nvidia", "positive")
