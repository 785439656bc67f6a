"""Chinese names the catalogue does not know: "X证券 / X研究 / X资本 / X基金 / X投顾",
"X分析师Y", a company rated ("给予X买入评级") or named with its legal form or its code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from kg.extract.catalogue import Catalogue
from kg.extract.windows import inside, person_aliases, windowed
from kg.model import Entity, Mention

_CJK = r"[\u4e00-\u9fff]"
_ZH_LEAD = r"(?:^|(?<=[\s,.:;!?()\"'“”「」『』《》、]))(?:据|由|而|则|与|和|及|对|在|称|指|其中|此外|另外|至于|另|其|是|有|将|也|亦|又|以|为|被)?"
# A firm is recognised only where it speaks: before a cue, a title or a report ("X证券认为",
# "X资本分析师", "X证券研报"), so "缓解资本压力" is no firm.
_ZH_FIRM = re.compile(
    rf"{_ZH_LEAD}({_CJK}{{2,4}}(?:证券|研究所|研究院|资本|基金|资管|投顾|投信|资产管理|证券研究所))"
    r"(?=(?:的)?(?:认为|表示|指出|称|预计|预期|发布|报告|研报|分析师|策略师|首席|研究|团队|则|也|亦|指|看好|建议|给予|维持|首予|将|"
    r"董事|总监|经济学家|投资策略|投资总监))"
)
_ZH_TITLES = (r"(?:首席分析师|分析师|首席策略师|策略师|首席经济学家|经济学家|研究员|研究主管|主管|总监|基金经理人|基金经理|"
              r"投资总监|合伙人|观察员|投资顾问|投资经理|董事长|总裁|首席执行官|执行长|行政总裁|首席财务官|财务长|总经理|"
              r"创办人|创始人|营运长|技术长|股评人|首席投资官|董事总经理|执行董事|经济师|分析员|投资人士|市场人士|投资人|主席|副总裁|交易员|"
              r"评论员|顾问|负责人|总裁助理|总经理助理|副总经理|副董事长|首席技术官|首席运营官|首席战略官|首席科学家|董事会秘书|董秘|CEO|CFO|首席)")  # (首席 last: "首席执行官戴维·黑尔" is no 首席 "执行官戴维·黑尔")
# Titles of people who speak for themselves (ANNOTATION.md: fund managers, investors and
# executives are Person holders); executives speak of the company they run (named before
# the title).
_ZH_EXECUTIVE_TITLES = ("董事长", "总裁", "首席执行官", "执行长", "行政总裁", "首席财务官", "财务长", "总经理", "创办人",
                        "创始人", "营运长", "技术长", "副总裁", "总裁助理", "总经理助理", "副总经理", "副董事长", "首席技术官",
                        "首席运营官", "首席战略官", "首席科学家", "董事会秘书", "董秘", "CEO", "CFO")
_ZH_MANAGER_TITLES = ("基金经理", "基金经理人", "合伙人", "投资经理", "股评人", "首席投资官", "投资总监", "投资人士", "市场人士", "投资人", "主席",
                      "交易员", "评论员", "负责人")
_ZH_SPEAKS = (r"(?:认为|表示|指出|指|称|说|料|预计|预期|预估|预料|估计|估算|测算|看好|看淡|提醒|警告|建议|补充|续|则|在|于|也|亦|又|更|还|并|"
               r"强调|透露|坦言|坦承|直言|写道|解释|形容|提到|提及|鉴于|相信|分析|向|对|接受|重申|维持|日前|近日|早前|管理|掌管|的|,|:|\(|\s|。|;|、|$)")
# The hundred commonest Chinese surnames (and a few double ones): a name after a title starts with one.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤詹伍荀洪柯庄翁甘"
    # the next two hundred or so, less those that open common words after a title ("普遍", "都", "成为")
    "章常温康施牛樊葛邢齐乔庞颜倪聂鲁岳翟殷申耿焦俞柳祝包舒阮纪梅童凌毕裴霍涂苗盛曲冉骆蓝辛靳柴鲍喻祁蒲房滕屈饶牟"
    "艾尤穆卓缪简车项麦褚娄窦戚岑景党宫费卜晏席卫米柏宗瞿桂佟臧闵邬卞姬栾隋甄虞敖巩佘邝匡鞠荆冀郁胥储栗楚鄢谌冼蔺"
    "楼阚屠朴禹漆卿狄晁芮阙浦薄邸雍辜裘亓邰赫杭逯茹嵇湛茅揭尉檀昝欧兰左单"
)
# "向本网透露", "于记者会上": a preposition (向 and 于 are surnames too) before the press.
_ZH_TO_THE_PRESS = r"[向于对在](?:本|记者|媒体|笔者|采访|会上|会议)"
# A foreign name written in Chinese characters has its parts joined by a middle dot: "吉姆·查诺斯".
_ZH_FOREIGN_NAME = rf"{_CJK}{{1,5}}[·•‧]{_CJK}{{1,6}}?"  # (the shortest: "丹尼尔·卡特近日表示" ends at 卡特)
_ZH_ANALYST = re.compile(
    rf"{_ZH_TITLES}\s?(?!{_ZH_TO_THE_PRESS})((?:欧阳|司马|诸葛|上官)?[{_SURNAMES}]{_CJK}{{1,2}}?|{_ZH_FOREIGN_NAME}|[A-Z][a-z]+(?:\s[A-Z][a-z]+){{1,2}})"
    rf"(?={_ZH_SPEAKS})"
)
# Such a name speaking needs no title to be known for a person's ("查诺斯表示" alone would not),
# nor does a name with its honorific ("黄国英博士表示").
_ZH_FOREIGN = re.compile(
    rf"{_ZH_LEAD}(?:({_ZH_FOREIGN_NAME})|((?:欧阳|司马|诸葛|上官)?[{_SURNAMES}]{_CJK}{{1,2}}?)(?:博士|先生|女士|教授))"
    r"(?=(?:认为|表示|指出|称|说|预计|警告|强调|坦言|直言|写道))")
# (each alternative a plain character or word: the regex engine skips to their first characters)
_ZH_FOREIGN_ANCHOR = re.compile("·|•|‧|博士|先生|女士|教授")
# An interview's answers: paragraphs opened by the same name and a colon ("林启航：…"), twice or more.
_ZH_ANSWERER = re.compile(rf"(?m)^[ \t*]*((?:欧阳|司马|诸葛|上官)?[{_SURNAMES}]{_CJK}{{1,2}})[ *]*:")
_ZH_COMPANY = re.compile(rf"{_ZH_LEAD}({_CJK}{{2,6}}?(?:-KY)?)\s?[(（]\s?(\d{{4,6}})(?:[.\-](?:HK|SH|SZ|SS|TW|TWO))?\s?[)）]")
# What a broker rates or sets a target for is a company: "首次覆盖X，给予", "将X目标价上调",
# "给予X买入评级", "维持X「买入」评级", "上调X评级".
_ZH_RATED = re.compile(
    rf"(?:(?:首次覆盖|开始覆盖|首予)(?:对)?({_CJK}{{2,8}}?)(?=[,，]|并|给予|予以|的?评级|的?目标价)"
    rf"|(?:将|给予|予|维持|重申|上调|下调|调升|调降|调高|调低)(?:对)?({_CJK}{{2,8}}?)的?"
    rf"(?=目标价|评级|投资评级|[「“\"]?(?:买入|增持|跑赢|优于|持有|中性|中立|卖出|减持|跑输)))"
)
# A company's legal name: "星辰科技股份有限公司", "星辰科技有限公司".
_ZH_REGISTERED = re.compile(rf"{_ZH_LEAD}({_CJK}{{2,8}}?)(?:股份有限公司|有限责任公司|有限公司)")
_ZH_REGISTERED_ANCHOR = re.compile("有限")
_ZH_RATED_ANCHOR = re.compile(r"目标价|评级|首次覆盖|开始覆盖|首予")
# Words of what is no company: themes, markets, parts of a business, pronouns.
_ZH_NOT_COMPANY = re.compile(
    r"(?:板块|行业|类股|个股|股票|股价|指数|市场|产业|概念|业务|领域|目标价|公司|该股|其|此|本)$|^(?:其|该|这|此|本|公司|个股|行业)"
    r"|买入|增持|跑赢|持有|中性|中立|卖出|减持|跑输|优于|推荐|评级|大市|大盘|同步|标配|超配|低配|观望|区间操作|买进|加码|减码"  # (ratings: "维持与大市同步评级")
    r"|^(?:美股|港股|A股|H股|台股|联席|联合|执行|常务|独立|副)$"  # a listing ("将美股目标价上调"), a title's first word ("联席首席执行官")
    r"|兼$|董事|^(?:执行|非执行|独立|常务)"  # titles held together ("执行董事兼首席财务官")
)
# (whole names, or a firm's first two characters: "多家投顾" counts advisers, names none)
_ZH_NOT_NAMES = frozenset("该行 该机构 机构 公司 报告 研报 市场 投资者 他们 我们 外资 内资 大行 券商 投行 基金 资本 证券 "
                          "集团 企业 多家 各家 两家 三家 部分 不少 一些 个别".split())

# A name that opens its clause and runs to the title after it.
_ZH_CLAUSE_NAME = re.compile(rf"(?:^|(?<=[,:;。!?\s“”「」]))(?:据|对此|而|另外|此外)?[,]?({_CJK}{{2,6}})$")
_ZH_FIRM_ANCHOR = re.compile(r"证券|研究所|研究院|资本|基金|资管|投顾|投信|资产管理")
_ZH_TITLE_ANCHOR = re.compile(_ZH_TITLES)
_ZH_COMPANY_ANCHOR = re.compile(r"[(（]\s?\d{4}")


def _firm_before(text: str, title_start: int, known: list[Mention], starts: list[int],
                 found: dict[int, str], types=("Institution",)) -> str | None:
    """The firm named right before an analyst's title: "华泰证券分析师王磊" → Huatai
    (``starts``: where each of the sorted ``known`` mentions starts; ``found``: the firms
    discovered in the text, by where they end; ``types``: the kinds of firm the title fits)."""
    last = bisect_left(starts, title_start)
    named = [(m.end, m.entity.name) for m in known[max(0, last - 4) : last] if m.entity.type in types]
    named += [(end, name) for end, name in found.items() if end <= title_start]
    for end, name in sorted(named, reverse=True):
        if end <= title_start and title_start - end <= 12 and not re.search(r"[,，。;；:：]", text[end:title_start]):
            return name
    return None


def _company_before(text: str, title_start: int, known: list[Mention], starts: list[int], found: dict[int, str],
                    taken) -> tuple[str | None, Entity | None]:
    """The company an executive's title follows, and the entity to add if it is new: a known
    one ("寒武纪董事长"), a firm found in the text, or the name opening the clause
    ("星辰智能董事长王海明表示")."""
    named = _firm_before(text, title_start, known, starts, found, ("Company", "Institution"))
    if named is not None:
        return named, None
    opening = _ZH_CLAUSE_NAME.search(text, max(0, title_start - 9), title_start)
    if opening is None or _ZH_NOT_COMPANY.search(opening.group(1)) or opening.group(1) in _ZH_NOT_NAMES:
        return None, None
    if inside(opening.start(1), taken):
        return None, None
    return opening.group(1), Entity(opening.group(1), "Company", (opening.group(1),), discovered=True)


_HAS_CJK = re.compile(_CJK)
# A securities firm or investment adviser: its chairman or general manager on the market
# ("永豐投顧董事長陳冠廷表示") speaks for the firm, as its strategists do, not of a company he runs.
_ZH_ADVISERS = ("投顾", "证券", "投信", "券商")
_ZH_BANK = re.compile("银行|财富管理")  # "东亚银行首席投资总监", "瑞银财富管理投资总监"


def chinese(text: str, catalogue: Catalogue, taken, known: list[Mention]) -> list[Entity]:
    entities: list[Entity] = []
    if _HAS_CJK.search(text) is None:
        return entities  # (an English article: none of the patterns below can match)
    starts = [m.start for m in known]
    found: dict[int, str] = {}
    for match in windowed(_ZH_FIRM, _ZH_FIRM_ANCHOR, text):
        name = match.group(1)
        if name[:2] not in _ZH_NOT_NAMES and not inside(match.start(1), taken) and not catalogue.lookup(name):
            entities.append(Entity(name, "Institution", (name,), discovered=True))
            found[match.end(1)] = name
    for match in windowed(_ZH_ANALYST, _ZH_TITLE_ANCHOR, text):
        name = match.group(1)
        if name not in _ZH_NOT_NAMES and not inside(match.start(1), taken):
            aliases = person_aliases(name) if name.isascii() else (name,)
            title = text[match.start() : match.start(1)].strip()
            if title.endswith(_ZH_EXECUTIVE_TITLES) and not text[: match.start()].removesuffix("副").endswith(_ZH_ADVISERS):
                company, new = _company_before(text, match.start(), known, starts, found, taken)
                entities += [new] if new is not None else []
                entities.append(Entity(name, "Person", aliases, affiliation=company, role="executive", discovered=True))
                continue
            firm = _firm_before(text, match.start(), known, starts, found)
            # a fund manager speaks for himself; a bank's investment chief gives the bank's house view
            banker = title.endswith(("投资总监", "首席投资官")) and _ZH_BANK.search(text, max(0, match.start() - 12), match.start())
            role = None if title.endswith(_ZH_MANAGER_TITLES) and not banker else "analyst"
            entities.append(Entity(name, "Person", aliases, affiliation=firm, role=role, discovered=True))
    for match in windowed(_ZH_FOREIGN, _ZH_FOREIGN_ANCHOR, text):
        group = 1 if match.group(1) else 2
        name = match.group(group)
        if not inside(match.start(group), taken) and not catalogue.lookup(name) and all(e.name != name for e in entities):
            entities.append(Entity(name, "Person", (name,), discovered=True))
    answers = Counter(m.group(1) for m in _ZH_ANSWERER.finditer(text))
    for name, count in answers.items():
        if count >= 2 and name not in _ZH_NOT_NAMES and not catalogue.lookup(name) and all(e.name != name for e in entities):
            entities.append(Entity(name, "Person", (name,), discovered=True))
    for match in windowed(_ZH_RATED, _ZH_RATED_ANCHOR, text):
        group = 1 if match.group(1) else 2
        name = match.group(group)
        if _ZH_NOT_COMPANY.search(name) or inside(match.start(group), taken) or catalogue.lookup(name):
            continue
        if not taken.free(match.start(group), match.end(group)):
            continue  # "将腾讯控股目标价": a known name inside
        entities.append(Entity(name, "Company", (name,), discovered=True))
    for match in windowed(_ZH_REGISTERED, _ZH_REGISTERED_ANCHOR, text):
        name = match.group(1)
        if not _ZH_NOT_COMPANY.search(name) and not inside(match.start(1), taken) and not catalogue.lookup(name):
            entities.append(Entity(name, "Company", (name,), discovered=True))
    for match in windowed(_ZH_COMPANY, _ZH_COMPANY_ANCHOR, text):
        name = match.group(1)
        if len(name) >= 2 and not inside(match.start(1), taken) and not catalogue.by_ticker(match.group(2)):
            entities.append(Entity(name, "Company", (name,), discovered=True))
    return entities
