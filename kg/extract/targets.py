"""What a holder's view is about: the targets in the holder's span of a sentence.

A target is a company, product, index or sector named in the span, except: the holder and
the words that describe it ("OpenAI原负责人卡斯"); banks and brokers (they speak in this
news, they are not what it is about); an owner named only to introduce its product
("OpenAI的GPT-4"); a means ("得益于微信"), a yardstick ("相较于谷歌"), the driver the view
is framed by ("DeepSeek的影响"), the set a comparison is drawn from ("在大型科技股中"); a
theme named beside companies (the view is about the companies).

When the span names no target but states a view or an action, a word for a company
("该股", "the stock", "these companies") or the action itself points at the company the
paragraph or article is about.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.fold import latin
from kg.extract.holders import CLAUSE_BREAK, Holder
from kg.extract.lexicon import Hit
from kg.model import Entity, Mention

TARGET_TYPE = {"Company": "Company", "Product": "Product", "Index": "Index", "Sector": "Sector"}
# "在大型科技股中，…": the set compared within; "在记忆体价格大涨的背景下": the circumstances;
# "公司在GB300机柜的组装环节具备优势": the field a company is judged in;
# "来自Google与AWS的服务器订单": the customers whose orders are spoken of
_FRAME = re.compile(r"在[^,:;]{1,20}中[,:;]|在[^,:;。]{1,30}?(?:背景|情况|环境|形势)下|在[^,:;。在]{1,20}?的?(?:环节|领域)"
                    r"|来自[^,:;。]{1,24}?的[^,:;。]{0,12}?(?:订单|需求|拉货)")


def pick(text: str, mentions: list[Mention], span: tuple[int, int], holder: Holder | None, markers: list[Hit]) -> list[Mention]:
    """The targets named in ``text[span]``, in order, for ``holder``."""
    frames = frames_of(text)
    kept = []
    low, high = span
    last = len(mentions) - 1
    sectors = False  # a theme kept: dropped below if a company, product or index is kept too
    for i, mention in enumerate(mentions):
        if not low <= mention.start < high or mention.entity.type not in TARGET_TYPE:
            continue
        if holder and (mention.entity.name == holder.name or _in_holder_phrase(text, mention, holder)):
            continue
        if holder and _describes(text, mention, holder):
            continue
        if frames and any(start <= mention.start < end for start, end in frames):
            continue
        if i < last and mentions[i + 1].entity.parent == mention.entity.name and _owner_of_next(text, mention, mentions[i + 1 : i + 2]):
            continue
        if markers and _set_aside(text, mention, markers, holder) or _customer_or_peer(text, mention):
            continue
        kept.append(mention)
        sectors = sectors or mention.entity.type == "Sector"
    if sectors and any(m.entity.type != "Sector" for m in kept):
        kept = [m for m in kept if m.entity.type != "Sector"]
    return kept


def frames_of(text: str) -> list[tuple[int, int]]:
    """Where a sentence sets a frame ("在…中", "在…背景下", "来自…的订单"): what it names there is no target."""
    return [f.span() for f in _FRAME.finditer(text)] if "在" in text or "来自" in text else []


def referred(anaphora: list[Hit], span: tuple[int, int], one: str | None, many: tuple[str, ...],
             mentions: list[Mention], index: str | None = None) -> tuple[list[str], int]:
    """The companies a span's words point at: ("该股" → the company in focus, "these
    companies" → the ones just listed, "the index" → the index named last), with the
    position of the word (or -1)."""
    if not anaphora:
        return [], -1  # (most spans point at nothing)
    taken = [(m.start, m.end) for m in mentions]
    for hit in anaphora:
        if not span[0] <= hit.start < span[1] or any(s < hit.end and hit.start < e for s, e in taken):
            continue
        if hit.tag == "many" and len(many) > 1:
            return list(many), hit.start
        if hit.tag == "one" and one:
            return [one], hit.start
        if hit.tag == "index" and index:
            return [index], hit.start
    return [], -1


def _in_holder_phrase(text: str, mention: Mention, holder: Holder) -> bool:
    """Is the mention part of the holder's words: a name in apposition ("Google, one of
    Broadcom's biggest customers, said")? A company between a bank and its verb is the
    bank's object ("高盛将小米目标价上调"), no part of the holder; so is one after a colon
    that follows the firm's name ("交银国际：小米交付量超预期，重申买入评级")."""
    if not holder.start <= mention.start < holder.end:
        return False
    if mention.entity.type in ("Institution", "Person"):
        return True
    apart = CLAUSE_BREAK.search(text, holder.start, mention.start)
    return apart is not None and apart.group() not in (":", "：")


def self_mention(holder: Holder, entity: Entity) -> Mention:
    return Mention(entity, holder.start, holder.end, holder.name)


def _describes(text: str, mention: Mention, holder: Holder) -> bool:
    """Words before the holder in its clause describe it ("OpenAI原负责人卡斯表示", "輝達執行長
    黃仁勳表示"), the speaker's own company too: what they speak of, they name after the cue.
    A company whose shares moved on what the holder did is none of that ("Intel fell after
    Bernstein said", "英伟达股价在高盛下调评级后下跌")."""
    if holder.start < mention.end or text.startswith(("'s", "’s", "的"), holder.end) and holder.how == "explicit":
        return False  # "Microchip remains Citi's top pick": the bank owns a view of what precedes it
    gap = text[mention.end : holder.start]
    return not CLAUSE_BREAK.search(gap) and not _EVENT_BEFORE_HOLDER.search(gap)


# What stands right before a firm that acted ("Palantir was downgraded at Wedbush", "got an upgrade from Mizuho").
BY_FIRM = re.compile(r"\b(?:at|by|from)\s$")
_EVENT_BEFORE_HOLDER = re.compile(  # ("小米获高盛上调目标价": the firm that acted, after 获/遭/被, or after at/by/from)
    rf"\b(?:after|as|when|since|because|following|while|until|before|once)\b|股价|股票|在$|[获遭被]$|{BY_FIRM.pattern}", re.I
)


def _owner_of_next(text: str, mention: Mention, following: list[Mention]) -> bool:
    """'OpenAI的GPT-4', "Meta's Llama": the company only introduces its product."""
    if not following:
        return False
    nxt = following[0]
    if nxt.entity.parent != mention.entity.name:
        return False
    return text[mention.end : nxt.start].strip() in ("", "的", "'s", "’s", "旗下", "旗下的")


_TOPIC_GAP = re.compile(r"^\s?(?:的[\u4e00-\u9fff]{0,3})?$")


def topic_of(text: str, mentions: list[Mention], topical: list[Hit]) -> str | None:
    """The driver an article's views are framed by: an entity a topic marker follows
    ("DeepSeek的影响", "DeepSeek's impact")."""
    starts = [m.start for m in topical]
    for mention in mentions:
        if mention.entity.type not in ("Company", "Product"):
            continue
        first = bisect_left(starts, mention.end)
        for marker in topical[first : bisect_left(starts, mention.end + 6)]:
            if is_topic(text, mention.end, marker):
                return mention.entity.name
    return None


def is_topic(text: str, end: int, marker: Hit) -> bool:
    """Does a topic marker frame the entity ending at ``end`` as the driver: "DeepSeek的技术突破",
    "DeepSeek效应", "DeepSeek's impact"?"""
    gap = text[end : marker.start]
    if marker.phrase[:1].isascii():
        return gap.strip() == ""
    return marker.start >= end and bool(_TOPIC_GAP.match(gap))


# A company named as the customer or the peer of another: "比亚迪等车企", "苹果、谷歌等大客户",
# "寒武纪等同行"
_CUSTOMER_AFTER = re.compile(r"(?:[、与和及][^,:;。、的]{1,12}?)*等(?:主要|大型|海外|国内|终端)?(?:车企|客户|大客户|同行|同业|竞争对手|对手)")
# "Apple, AMD and Qualcomm among the first customers", "Anthropic, AWS's largest AI customer,"
_CUSTOMER_AFTER_EN = re.compile(
    r"(?:(?:,|,? and) [A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,2})*,? (?:among|as) (?:(?:its|the|their|a|one of its) )?(?:\w+ ){0,2}?(?:customers?|clients?|adopters|buyers)\b"
    r"|, (?:[\w.&-]+['’]s |its |a |one of its )?(?:largest|biggest|key|major|main|anchor|top) (?:\w+ )?customers?\b")


# "輝達AI伺服器供應鏈中的最大受益者", "a key name in Apple's supply chain": the customer whose
# chain is spoken of (its risks are its own: "英伟达的供应链风险").
_CHAIN_AFTER = re.compile(r"的?[A-Za-z0-9 ]{0,10}(?:伺服器|服务器|芯片|晶片|机柜|平台|相关)?供应链(?=中|里|内|的|厂|企业|公司|个股|概念|龙头|[,、])")
_CHAIN_AFTER_EN = re.compile(r"(?:['’]s)? (?:[\w-]+ ){0,2}?supply chain(?! risks?\b| problems?\b| issues?\b| constraints?\b| bottlenecks?\b| disruptions?\b)")


def _customer_or_peer(text: str, mention: Mention) -> bool:
    if latin(text):
        return (_CUSTOMER_AFTER_EN.match(text, mention.end) is not None
                or "supply chain" in text and _CHAIN_AFTER_EN.match(text, mention.end) is not None)
    return _CUSTOMER_AFTER.match(text, mention.end) is not None or "供应链" in text and _CHAIN_AFTER.match(text, mention.end) is not None


def named_aside(text: str, mention: Mention, markers: list[Hit]) -> bool:
    """Is the company named only as a customer, a peer, a yardstick or a means of the one
    spoken of?"""
    return _customer_or_peer(text, mention) or bool(markers) and _set_aside(text, mention, markers, None)


def _set_aside(text: str, mention: Mention, markers: list[Hit], holder: Holder | None) -> bool:
    """Is the mention a means, a yardstick, the other side of a deal, the topic, or conceded
    before the holder speaks?"""
    for marker in markers:
        if marker.tag == "topic" and is_topic(text, mention.end, marker):
            return True
        if marker.tag in ("instrument", "comparator", "counterparty") and marker.end <= mention.start:
            between = text[marker.end : mention.start]
            if not CLAUSE_BREAK.search(between) and len(between) <= 24 and not _compared_to(text, marker.end + 1):
                return True
        if marker.tag == "concessive" and holder and holder.start > mention.start > marker.start:
            if CLAUSE_BREAK.search(text[mention.end : holder.start]):
                return True
    return False


# A holder's attitude or words on a stock's price or a company's results: "瑞银则持审慎态度",
# "股价上档空间有限", "毛利率或难以明显回升".
_ON_THE_STOCK = re.compile(r"态度|看法|观点|立场|乐观|悲观|谨慎|审慎|保守|股价|估值|评价|本益比|市盈率|毛利率|营收|业绩|获利|盈利|净利|出货|订单|接单")
# Words of a market, an industry or a theme: a view beside them is about them, not a company
# (the market's expectations are no market: "好于市场预期" judges the company against them).
_THEME = re.compile(r"板块|行业|产业|市场(?!预期|共识|预估|估计|普遍预期|一致预期)|大盘|族群|概念|赛道|整体|全球|国内|海外|经济|政策|美股|港股|A股|台股|指数|个股|类股")


def only_an_attitude(text: str, mentions: list[Mention], span: tuple[int, int], holder: Holder) -> bool:
    """Does a Chinese holder state only its attitude, a word on the stock or on results
    ("瑞银则持审慎态度", "股价上档空间有限", "毛利率或难以回升"), naming nothing after itself (its
    analyst aside), no market and no theme? It is then the attitude to the company the article is about."""
    start, end = span
    after = max(start, holder.end)
    frames = frames_of(text)
    outside = lambda at: not any(s <= at < e for s, e in frames)  # noqa: E731
    return (not any(after <= m.start < end and m.entity.type in TARGET_TYPE and outside(m.start) for m in mentions)
            and not any(outside(t.start()) for t in _THEME.finditer(text, start, end))
            and bool(_ON_THE_STOCK.search(text, start, end)))


def part_of(entity: Entity | None, company: str) -> bool:
    """Is the entity the company, or a unit or product of it (Alibaba Cloud of Alibaba)?"""
    return entity is not None and company in (entity.name, entity.parent)


_BARE_HEADS = frozenset({"公司", "股份", "个股", "集团"})
# What may stand right before a bare 公司 that points at one: a determiner, a preposition.
_POINTING = frozenset("该这本此其家对将把给由为与和及在令使让被系是")


def names_a_class(text: str, word: Hit, cues: list[Hit]) -> bool:
    """Does a bare "公司" (股份, 个股) after a qualifier name a class of companies ("应用公司",
    "部分算力公司", "AI相关股份") rather than the one in focus? It points at one only after a
    determiner, a preposition or a verb of saying ("认为公司", "该公司", "对公司")."""
    if word.phrase not in _BARE_HEADS or word.start == 0:
        return False
    before = text[word.start - 1]
    if not "\u4e00" <= before <= "\u9fff" or before in _POINTING:
        return False
    return not any(cue.end == word.start for cue in cues)


def _last(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The last match of ``pattern`` in ``text[start:end]``, or None."""
    found = None
    for found in pattern.finditer(text, start, end):
        pass
    return found


# "JPMorgan said Amphenol was better placed than TE Connectivity", "Wipro remained less well
# placed than Infosys": the company a comparison of prospects sets another against is judged
# the other way (better than it: it is worse).
_COMPARED = re.compile(r"\b(?:(?P<worse>less\swell|worse|less)|better)[\s-](?:placed|positioned)\sthan\s"
                       r"|\ba\s(?:better|safer|cheaper)\s(?:bet|buy|pick|play|investment|choice|way\sto\splay\s[\w-]+)\sthan\s", re.I)
_MORE_WORDS = re.compile(r"(?:[\w&.'’-]+\s){0,5}")  # "than larger hardware distributors such as Redington"


def set_against(text: str, start: int, span: tuple[int, int], mentions: list[Mention]) -> tuple[str, str] | None:
    """The stance towards the company at ``start`` when it is the one a preference or a
    comparison of prospects sets another against: (stance, gloss), or None."""
    if _less_preferred(text, start, span, mentions):
        return "negative", "less preferred"
    if " than " not in text:
        return None  # (every comparison of prospects has one)
    compared = _last(_COMPARED, text, span[0], max(start, span[0]))
    if compared is None or _MORE_WORDS.fullmatch(text, compared.end(), start) is None:
        return None
    return ("positive", "better placed") if compared.group("worse") else ("negative", "less well placed")


def _compared_to(text: str, at: int) -> bool:
    """Does a comparison of prospects end at ``at`` ("better placed than ")?"""
    return text.startswith(" than ", at - 6) and any(m.end() == at for m in _COMPARED.finditer(text, max(0, at - 48), at))


# "prefers Fujitsu to NEC", "preferred to own Keyence over Fanuc", "prefers power names such as
# Vertiv to server assemblers like Super Micro": the company set after the comparison is the one
# liked less, if a company is named before it ("SK Hynix remained its preferred way to play HBM,
# ahead of Samsung"; "preferred to own X" prefers X).
_PREFERENCE = re.compile(r"\b(?:prefer(?:s|red|ring)?|favou?r(?:s|ed|ing)?)\b", re.I)  # "should favour the Topix over the Magnificent Seven"
_SET_AGAINST = re.compile(r"\s(?:over|to|rather than|instead of|ahead of)\s", re.I)
_FEW_WORDS = re.compile(r"(?:[\w&.'’-]+\s){0,3}")  # "to server assemblers like Super Micro"


def _less_preferred(text: str, start: int, span: tuple[int, int], mentions: list[Mention]) -> bool:
    """Is the company named at ``start`` the one an English preference is set against?"""
    if "refer" not in text and "avo" not in text:
        return False  # (prefer, Prefer, favour, Favor: no preference)
    preference = _last(_PREFERENCE, text, span[0], max(start, span[0]))
    if preference is None:
        return False
    against = _last(_SET_AGAINST, text, preference.end(), start)
    if against is None or _FEW_WORDS.fullmatch(text, against.end(), start) is None:
        return False
    comma = text[against.start() - 1] == ","  # (", ahead of Samsung" sets it against in the same breath)
    return (not CLAUSE_BREAK.search(text, preference.end(), against.start() - comma)
            and any(span[0] <= m.start < against.start() and m.entity.type in ("Company", "Product", "Index") for m in mentions))


def named_before(mentions: list[Mention], anaphora: list[Hit], span: tuple[int, int], holder: Holder) -> str | None:
    """The one company a sentence names before "the stock" in a holder's words, which it
    means ("Jane Roe, who covers Nvidia at Harlow, said the stock is cheap")."""
    pointer = next((hit for hit in anaphora if hit.tag == "one" and span[0] <= hit.start < span[1]), None)
    if pointer is None:
        return None
    before = {m.entity.name for m in mentions if m.end <= pointer.start and m.entity.type == "Company" and m.entity.name != holder.name}
    return before.pop() if len(before) == 1 else None
