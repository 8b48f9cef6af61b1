"""Stage 6, extract: the plan year's main targets and the review year's actual figures, each grounded in a span.

A value is read only where an indicator name *governs* a number: the name (from the lexicon, longest match,
with a clean left boundary), then at most a few filler characters (measure verb, 同比, 预计, 力争, 控制在 …, never
punctuation, another number, or a blocker word such as 占/比重/年均), then the number, its unit and qualifier.
Lists are handled explicitly: "A、B均增长8%", "城乡居民人均可支配收入分别增长5.5%左右和6.5%以上", a clause
that continues the previous one ("增长7.5%，达到309亿元", across asides such as 按可比价格计算 and parts of the year),
and respective figures after names that each had their own ("A达到X元，B达到Y元，分别增长a%和b%"). Anything
else is left out: a wrong number is worse than a missing one. Targets without a number come from relation phrases
(与经济增长同步, families such as 完成省下达目标任务, words around the name, 增速高于省平1个百分点).

Where the targets are: the 主要预期目标 paragraph (or a list announced by 如下/a colon, or under its own heading);
failing that, the sentences of the plan part that say they state this year's targets (今年经济增长预期目标为7%左右,
国家计划要求今年的国民生产总值增长5%, 钢产量拟定为624.8万吨) or a bare list of targets without a lead-in. Where the
actuals are: the review part, without its five-year parts unless a figure names the year or is the level the
period ended on; failing that (older reports without headings, five-year reviews), the sentences that say they
speak of last year, stopping at plans and at comparisons with an earlier base year. Every scan is linear: sentence-level facts are found once per sentence and clause
quantities by binary search (issue 13).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

import ahocorasick_rs

from govreport.knowledge.lexicon import Lexicon
from govreport.model import Report, Section, Value
from govreport.parsing.scan import Finder, ZoneScan, regex_spans, span_zone
from govreport.parsing.sections import section_at

CLAUSE_BREAK = re.compile(r"[，；;。！!？?\n]|,(?!\d{3}(?!\d))")  # not the comma of 34,250
LINE_BREAK = re.compile(r"\n")
POINTS = ("个百分点", "百分点")  # a difference of two rates
SENTENCE_BREAK = re.compile(r"[；;。！!？?\n]")
CJK = re.compile(r"[\u4e00-\u9fff]")
YEAR_MENTION = re.compile(r"(?<![比较])((?:19|20)\d\d)年")  # "比1980年增长" compares, it does not date
CARRY_START = re.compile(
    r"(?:[（(][^（()）]{0,30}[)）])?"  # "688.3亿元（按1957年不变价格计算），比1957年增长6.1%"
    r"[、，,]?\s*(?:总量|规模|总额)?(?:(?:将|可以|全年|预计|同比|比上年|较上年|比去年|比上一年|比(?:19|20)\d\d年(?:的)?(?:预计数?|实际数?)?|首次|分别|按可比口径|按可比价格?计算|同口径|可比口径|实际|力争|确保|争取|努力|要)\s*)*+"
    r"(?:在(?:上年|去年|(?:19|20)\d\d年)(?:的)?(?:水平|实际)?的?基础上)?"  # "要在1988年水平的基础上压缩20%"
    r"(?:总量|规模|总额)?(?:增长|下降|增加|减少|压缩|降低|上涨|提高|达到|达|为|定为|确定为|拟定为|计划为|突破|总量|规模|超过|完成|控制在|保持在|稳定在)(?:了|到|至)?\s*"
)
# "由46.9%提高到48.2%", "从不到70万亿元增加到超过100万亿元": the figure after 到 is the level reached
FROM_GAP = re.compile(r"(?P<filler>.*?)(?:由|从)\s*(?:(?:(?:19|20)\d\d年|上年|去年|今年)(?:预计|实际)?(?:的|底)?)?(?:不到|近|约)?\s*")
TO_LINK = re.compile(r"\s*(?:提高|提升|增加|增长|上升|扩大|下降|降低|减少|回落|降|升|增)(?:到|至)\s*(?:(?P<year>(?:19|20)\d\d)年(?:的|底)?)?\s*")
MILESTONE_WORDS = re.compile(r"(?:首次)?(?:突破|迈上|跨上|跃上|站上)“[^”]{1,8}”(?:大关|台阶)?、?")
PAREN_ASIDE = re.compile(r"[（(][^（）()\d]{1,16}[)）]")
COMPARISON_BASE = re.compile(r"[比较][^，。；]*的\s*$")
YEAR_NUMBER = re.compile(r"(?:19|20)\d\d(?=年)")
CHAIN_BASE = re.compile(r"[，、,]?\s*[比较](?:(?:19|20)\d\d年)?的\s*")
BASE_ON = re.compile(r"在(上年|去年|(?:19|20)\d\d年)(?:的)?(?:水平|实际)?的?基础上")  # = 比上年 when it is the year before
COMPARED_WITH = re.compile(r"(?:同|与|和)((?:19|20)\d\d)年(?:相比|比较)")
BASE_YEAR = re.compile(r"(?<=[比较])(?:19|20)\d\d年")  # "比1980年预计增长5.5%": growth over a named base year
LIST_JOIN = re.compile(r"\s*[、和及与，,]\s*")  # between the figures of a respective run
NEGATIVE_GROWTH = re.compile(r"(?:增长|增速|增幅)(?:为)?[-－]$")
NOT_SET = re.compile(r"(?:没有|未|不)(?:提出|设定|设置|确定)[^。；\n]{0,16}?(?:经济)?增(?:长|速)[^。；\n]{0,6}?目标")


@dataclass
class Name:
    start: int
    end: int
    text: str
    codes: tuple[str, ...]  # one code, or several for a compound name (城乡居民…)
    single: str  # the code when a compound is used without a split

    @property
    def code(self) -> str:
        """The one code a figure after this name is read under."""
        return self.codes[0] if len(self.codes) == 1 else self.single


@dataclass
class Quantity:
    start: int  # first character of the qualifier-before word, or of the number
    end: int  # end of the qualifier-after word, or of the unit
    num_start: int
    value: float
    high: float | None
    unit: str | None
    qualifier: str
    words: list[str]  # raw qualifier words as written


def fill_values(report: Report, lex: Lexicon) -> None:
    """Fill ``report.targets`` and ``report.actuals``."""
    report.targets = _targets(report, lex)
    report.actuals = _actuals(report, lex)


# --- targets ---------------------------------------------------------------------------------------------


def _targets(report: Report, lex: Lexicon) -> list[Value]:
    paragraphs = [
        (i, s) for i, s in enumerate(report.sections) if s.kind == "targets" and s.scope == "year"
    ]
    values: list[Value] = []
    if paragraphs:
        index, section = next(((i, s) for i, s in paragraphs if not _multi_year(report, s)), paragraphs[0])
        start, end = _target_zone(report.text, section)
        para_end, end = end, _zone_end(report.text, start, end)
        values = _values_in(report.text, start, end, lex, index, allow_relations=True, year=report.plan_year,
                            foreign=_foreign(report, lex))
        values += _heading_values(report.text, start, end, lex, values, index)
        values = _without_slogans(report.text, start, end, values)
        unread = _unread_figures(report.text, start, end, values, lex)
        if unread:  # a missing target is said, never silently dropped
            shown = "; ".join(f"'{c}'" for c in unread[:3]) + ("; …" if len(unread) > 3 else "")
            report.warn(f"{len(unread)} figure(s) in the main-targets paragraph not read as targets "
                        f"(check them by hand): {shown}")
    stated: list[Value] | None = None  # read at most once, and only when needed
    if 0 < sum(v.value is not None for v in values) < LIST_MIN_VALUES and end == para_end:
        stated = _stated_targets(report, lex)
        values += _continued(report.text, para_end, values, stated)
    if not any(v.value is not None for v in values):
        stated = _stated_targets(report, lex)
        if stated:
            report.warn("no main-targets paragraph with figures: targets read from the sentences that state "
                        "this year's targets")
            values = [v for v in values if v.value is None] + stated
        elif not paragraphs:
            if not report.truncated:
                report.warn("no main-targets paragraph (主要预期目标) found")
            return []
        else:
            report.warn("the main-targets paragraph holds no quantitative target")
    if not any(v.indicator == "gdp" and v.value is not None for v in values):
        stated = _stated_targets(report, lex) if stated is None else stated
        stated_gdp = [v for v in stated if v.indicator == "gdp"]
        m = NOT_SET.search(report.text)
        if stated_gdp:  # "中央提出今年经济增长预期目标为7%左右" in a later section
            values = stated_gdp[:1] + values
        elif m:
            s0, s1 = _sentence(report.text, m.start())
            values.insert(0, Value("gdp", report.text[m.start() : m.end()], "growth", None, None, relation="not_set",
                                   span=(m.start(), m.end()), text=report.text[m.start() : m.end()],
                                   sentence=(s0, s1), section=section_at(report, m.start())))
            report.warn("the report sets no GDP growth target (it says so)")
        else:
            report.warn("no GDP target found in the main-targets paragraph")
    return _distinct(values)


def _distinct(values: list[Value]) -> list[Value]:
    """One value per (indicator, measure, figure, qualifier): a body repeated in the file states it twice."""
    seen: set[tuple] = set()
    out = []
    for v in values:
        key = (v.indicator, v.measure, v.value, v.unit, v.qualifier, v.high, v.relation)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


# A sentence that states a target of the plan year: it names this year and says it is a target.
TARGET_CUE = re.compile(r"今年|明年")
YEAR_CEILING = re.compile(r"全年[^。；]{0,20}?(?:控制在|调控目标|预期目标)")  # "努力把全年零售物价上涨幅度控制在10%以内"
PLANNED = re.compile(r"拟定为|拟定|计划达到")  # a plan report's own wording: "钢产量拟定为624.8万吨"
TARGET_WORD = re.compile(r"目标|指标|计划|预期|要求|调控|预定|拟定|安排为|可以达到|力争|确保|控制在|左右|以内|以上|不低于|不超过|要比|要在")
REVIEW_WORD = re.compile(r"同比|预计|去年|上年|过去|实现了|完成了")
REVIEW_CUE = re.compile(r"同比|预计(?!数|的)|过去|实现了|完成了|全年实现|全年完成|全年共")  # a review sentence, though it may say 今年
FUTURE = re.compile(r"将(?:比|增长|达到|增加|为)")  # "1957年的工业总产值比1956年将增长4.5%": a sentence about the plan year
LIST_MIN_VALUES = 3
TARGET_IS = re.compile(r"目标(?:是|为)")  # in the plan part, "宏观调控的目标是，…力争控制在15%左右" states this year's


def _other_years(sent: str, year: int | None) -> bool:
    """Whether a sentence names a year other than ``year`` ("到2000年的目标是…" is not this year's)."""
    return any(int(y) != year for y in YEAR_MENTION.findall(sent))


def _stated_targets(report: Report, lex: Lexicon) -> list[Value]:
    """Targets stated outside a 主要预期目标 paragraph, as older reports and some cities do: a sentence of the
    plan part naming this year and a target word ("今年经济增长预期目标为7%左右", "国家计划要求今年的国民生产总值
    增长5%"), or a paragraph that is a bare list of targets ("地区生产总值增长7%左右，规上工业增加值增长8%，…");
    the sentences right after it that open with an indicator name continue it."""
    text = report.text
    skip = [s.span for s in report.sections if s.kind in ("review", "problems")]
    year_cue = f"{report.plan_year}年" if report.plan_year else None  # 一九五八年 was made 1958年 by normalise
    foreign = _foreign(report, lex)
    values: list[Value] = []
    for p0, end in _paragraphs(text, skip, min_chars=8):
        taking = False
        for k, (s0, s1) in enumerate(_pieces(text, p0, end, SENTENCE_BREAK)):
            sent = text[s0:s1]
            if REVIEW_CUE.search(sent):
                taking = False
                continue
            cue = ((TARGET_CUE.search(sent) or (year_cue and year_cue in sent)) and TARGET_WORD.search(sent)
                   or (year_cue and sent.startswith(year_cue, _lead(sent)) and FUTURE.search(sent))
                   or YEAR_CEILING.search(sent) or PLANNED.search(sent)
                   or (TARGET_IS.search(sent) and not _other_years(sent, report.plan_year)))
            starts_with_name = _opens_with_name(text, s0, s1, lex)
            if not (cue or (taking and starts_with_name) or (k == 0 and starts_with_name)):
                continue
            found = _values_in(text, s0, s1, lex, section_at(report, s0), allow_relations=True, year=report.plan_year,
                               foreign=foreign)
            numbered = [v for v in found if v.value is not None]
            if not cue and not taking:  # a bare list: several targets with their qualifiers, no review words
                if (len({v.indicator for v in numbered}) < LIST_MIN_VALUES or REVIEW_WORD.search(text, p0, end)
                        or not any(v.qualifier != "none" for v in numbered)):
                    continue
            taking = taking or bool(found)  # later sentences of the paragraph opening with a name go on
            values.extend(v for v in found if v.value is not None or not cue)
    return values


def _continued(text: str, para_end: int, values: list[Value], stated: list[Value]) -> list[Value]:
    """An older report's short list of aims may go on in the next paragraph ("今年国民经济宏观调控的主要目标是：经济增长
    速度8%，…。" then "…今年全社会固定资产投资预定增长10%或者更多一些。"): the stated targets of that paragraph
    for indicators the list lacks. (Not when the list has said how it will be reached: it has ended.)"""
    p0 = para_end + 1
    while text.startswith("\n", p0):
        p0 += 1
    p1 = text.find("\n", p0)
    p1 = len(text) if p1 < 0 else p1
    have = {v.indicator for v in values}
    return [v for v in stated if p0 <= v.span[0] < p1 and v.value is not None and v.indicator not in have]


# A sentence after the list that turns to how it will be reached ends it: "围绕上述总体要求和主要目标，…我们必须…实现
# “三个突破”：地区生产总值突破1000亿元" states work goals, not the year's targets.
ZONE_END = re.compile(r"(?<=[。！!])\s*(?:(?:围绕|为了?实现|实现|为完成|完成|确保|确定|设定|提出)(?:上述|以上|这些|前述)"
                      r"|(?:今年|我们)?(?:要)?(?:重点|突出)(?:抓好|做好))")  # "重点抓好以下14个方面的工作："
STRETCH = re.compile(r"力争|争取")
# A slogan spelled out: "“7个100”即地区生产总值比增100亿元以上，…财政收入超过100亿元" lists work goals of its own.
SLOGAN_EXPANSION = re.compile(r"“[^”]{1,12}”(?:即|[：:])")


def _unread_figures(text: str, start: int, end: int, values: list[Value], lex: Lexicon) -> list[str]:
    """The clauses of the zone holding a figure with a unit that no extracted value covers (at most 30 characters
    each): what a reader should check by hand ("人才资源总量超90万人" when the lexicon has no such indicator)."""
    spans = sorted(v.span for v in values)
    starts = [a for a, _ in spans]
    reach = []  # the furthest end of any span starting at or before each start
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)
    out: list[str] = []
    for c0, c1 in _pieces(text, start, end, CLAUSE_BREAK):
        for q in _quantities(text, c0, c1, lex):
            if q.unit is None or text.startswith("年", q.end) or STRETCH.search(text, max(c0, q.start - 4), q.start):
                continue  # not a figure; or the stretch half of "增长5.5%、力争6%以上" (GUIDE codes the other)
            k = bisect_right(starts, q.num_start) - 1
            if k < 0 or reach[k] <= q.num_start:
                clause = text[c0:c1].strip()
                out.append(clause if len(clause) <= 30 else clause[:29] + "…")
                break
    return out


def _zone_end(text: str, start: int, end: int) -> int:
    m = ZONE_END.search(text, start, end)
    return m.start() if m else end


def _without_slogans(text: str, start: int, end: int, values: list[Value]) -> list[Value]:
    """The values of the zone that are not inside a spelled-out slogan (up to the end of its clause run: ；or 。)."""
    starts: list[int] = []
    ends: list[int] = []  # the cut runs, in order and disjoint (a run starts after the one before it ends)
    for m in SLOGAN_EXPANSION.finditer(text, start, end):
        if ends and m.end() < ends[-1]:
            continue
        stop = SENTENCE_BREAK.search(text, m.end(), end)
        starts.append(m.end())
        ends.append(stop.start() if stop else end)
    if not starts:
        return values
    return [v for v in values if (k := bisect_right(starts, v.span[0]) - 1) < 0 or v.span[0] >= ends[k]]


def _heading_values(text: str, start: int, end: int, lex: Lexicon, found: list[Value], section: int | None
                    ) -> list[Value]:
    """Items of an older plan list headed by a sector word that names their figure ("基本建设，国家预算内直接安排的
    投资，加上…，总的投资额控制在550亿元左右。", "劳动就业，在城镇安排600万人。"): read only when the item's first
    sentence has no value of its own and exactly one figure in the indicator's unit, which no verb makes a change."""
    if not lex.heading_to_code:
        return []
    out = []
    taken = sorted(v.span[0] for v in found)
    for p0, p1 in _pieces(text, text.rfind("\n", 0, start) + 1, end, LINE_BREAK):
        m = lex.heading_pattern.match(text, max(p0, start), min(p1, end))
        if m is None:
            continue
        s0, s1 = _sentence(text, m.start(1))
        if bisect_left(taken, s1) > bisect_left(taken, s0):  # the item's sentence already gave a value
            continue
        code = lex.heading_to_code[m.group(1)]
        fitting = [q for q in _quantities(text, m.end(), s1, lex)
                   if q.unit not in lex.percent_units and _unit_fits(code, q.unit, lex)]
        if len(fitting) != 1:
            continue
        q = fitting[0]
        gap = text[m.end() : q.start]
        clause = gap[max((b.end() for b in CLAUSE_BREAK.finditer(gap)), default=0):]  # the figure's own clause
        if any(w in gap for w in (*lex.growth_words, *lex.decline_words)) or lex.name_pattern.search(clause):
            continue  # a change, not a level; or another indicator's figure
        name = Name(m.start(1), m.end(1), m.group(1), (code,), code)
        v = _value(text, name, code, q, m.start(1), (s0, s1), lex, measure_gap=gap)
        if v is not None:
            v.section = section
            out.append(v)
    return out


LEAD_WORDS = re.compile(r"(?:因此|所以|这样|同时|其中|此外|另外|总之)?[，,]?")


def _lead(sent: str) -> int:
    """Where a sentence's own words start, after a connective such as 因此/所以."""
    m = LEAD_WORDS.match(sent)
    return m.end() if m else 0


def _paragraphs(text: str, skip: list[tuple[int, int]], min_chars: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of every line of ``text`` that does not start inside one of the ``skip`` spans."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        p0, pos = pos, end + 1
        if end - p0 >= min_chars and not any(a <= p0 < b for a, b in skip):
            yield p0, end


def _opens_with_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a sentence starts with an indicator name (after a short lead such as 全市/全社会)."""
    m = lex.name_pattern.search(text, start, min(end, start + 12))
    return m is not None and _left_ok(text, m.start(), start, lex) and (m.start() - start <= 3)


def _multi_year(report: Report, section: Section) -> bool:
    """A targets paragraph about a five-year period ("主要预期目标是：到2015年，…年均增长…")."""
    zone = report.text[section.span[0] : section.span[1]]
    later = [int(y) for y in re.findall(r"到\s*((?:19|20)\d\d)\s*年", zone)]
    return any(report.plan_year is None or y > report.plan_year for y in later) or zone.count("年均") >= 2


def _target_zone(text: str, section: Section) -> tuple[int, int]:
    """From the trigger (…目标是：) to the end of the paragraph; a paragraph ending in a colon continues with its list."""
    start, end = section.span
    if section.heading_span[1] > section.heading_span[0]:  # "（一）主要预期目标" heading: its body is the zone
        return section.heading_span[1], end
    m = re.search(r"(?:目标|指标)[^：:\n。]{0,12}?(?:是|为|如下)?\s*[:：]|(?:目标|指标)(?:是|为)", text[start:end])
    zone_start = start + m.end() if m else start
    while end < len(text) and text[end - 1] in "；;，,、" and text.find("\n", end + 1) != end + 1:
        nxt_end = text.find("\n", end + 1)  # the list goes on over a hard line break
        nxt_end = len(text) if nxt_end < 0 else nxt_end
        if re.match(r"[（(]?[一二三四五六七八九十]+[、)）]", text[end + 1 : nxt_end]):
            break
        end = nxt_end
    if text[zone_start:end].strip() == "":
        nxt = end + 1
        while nxt < len(text):
            line_end = text.find("\n", nxt)
            line_end = len(text) if line_end < 0 else line_end
            line = text[nxt:line_end].strip()
            if not line or not (line.startswith("——") or re.match(r"^[(（]?\d{1,2}[)）.、]", line)):
                break
            end = line_end
            nxt = line_end + 1
    return zone_start, end


# --- actuals ---------------------------------------------------------------------------------------------


def _actuals(report: Report, lex: Lexicon) -> list[Value]:
    review = [(i, s) for i, s in enumerate(report.sections) if s.level == 1 and s.kind == "review"]
    if not review:
        review = [(i, s) for i, s in enumerate(report.sections) if s.kind == "review" and s.parent is None]
    zones = [(s.span[0], s.span[1], i) for i, s in review]
    if not zones:  # no review heading: the review is what comes before the plan part (or the first target)
        starts = [s.span[0] for s in report.sections if s.kind in ("plan", "tasks", "targets")]
        starts += [t.span[0] for t in report.targets if t.value is not None]
        first = min(starts, default=None)
        if first is not None:
            zones = [(0, first, None)]
    values: list[Value] = []
    seen: set[tuple] = set()
    year_part = any(s.kind == "review" and s.scope == "year" and any(a <= s.span[0] < b for a, b, _ in zones)
                    for s in report.sections)  # a review of the year inside a five-year one ("刚刚过去的2022年，…")
    if not year_part:
        # no review of the year itself (older reports without headings, five-year reviews): the sentences that
        # say they speak of last year ("去年…", "过去一年，…。国内生产总值增长10.3%")
        for v in _stated_actuals(report, lex, zones):
            seen.add((v.indicator, v.measure, v.value, v.unit))
            values.append(v)
        if not zones and not values:
            report.warn("no review part found: no actual figures read")
            return []
    period_levels: list[Value] = []
    foreign = _foreign(report, lex)
    for start, end, index in zones:
        skip = [s.span for s in report.sections if s.kind == "problems" and start <= s.span[0] < end]
        for v in _values_in(report.text, start, end, lex, index, allow_relations=False, year=report.review_year,
                            foreign=foreign):
            if v.value is None or any(a <= v.span[0] < b for a, b in skip):
                continue
            v.section = section_at(report, v.span[0])
            if v.section is not None and report.sections[v.section].scope == "five_year" and not _of_review_year(
                report, v
            ):
                v.scope = "five_year"
                period_levels.append(v)
                continue
            key = (v.indicator, v.measure, v.value, v.unit)
            if key in seen:
                continue
            seen.add(key)
            values.append(v)
    values += _period_end_levels(report, period_levels, values, lex)
    # a figure of part of the year ("前三季度，GDP增长6.5%") counts only where the report gives no full-year one
    full = {(v.indicator, v.measure) for v in values if v.scope != "part_year"}
    values = [v for v in values if v.scope != "part_year" or (v.indicator, v.measure) not in full]
    if report.review_year and not any(v.indicator == "gdp" for v in values):
        report.warn(f"no GDP figure found in the review of {report.review_year}")
    for rivals in _rivals(values, lex):
        shown = list(dict.fromkeys(f"'{v.text[-24:]}'" for v in rivals))
        report.warn(f"review figures disagree for {rivals[0].indicator} {rivals[0].measure}: "
                    + ", ".join(shown[:3]) + " (check them by hand)")
    return values


def _rivals(values: list[Value], lex: Lexicon) -> list[list[Value]]:
    """Groups of review-year figures of one indicator and measure that state different amounts: at most one is
    the year's figure (the others a part of the region, part of the year, or another period)."""
    groups: dict[tuple, list[tuple[Value, float]]] = {}
    for v in values:
        if v.value is not None and v.scope != "five_year":
            scale, base = lex.scale_of(v.unit)
            groups.setdefault((v.indicator, v.measure, base), []).append((v, round(v.value * scale, 6)))
    out = []
    for group in groups.values():
        exact = {a for v, a in group if v.qualifier in ("none", "about")}
        floors = [a for v, a in group if v.qualifier == "at_least"]
        ceilings = [a for v, a in group if v.qualifier == "at_most"]
        # a milestone passed ("突破1000亿元大关") agrees with the exact figure above it ("1035.61亿元")
        if len(exact) > 1 or any(f > e for f in floors for e in exact) or any(c < e for c in ceilings for e in exact):
            out.append([v for v, _ in group])
    return out


PERIOD_PLAN = re.compile(r"纲要|主要指标|预期|力争|到(?:19|20)\d\d年")  # a sentence about the next period's aims
PERIOD_TOTAL = re.compile(r"新增|新建|累计|共|减少|五年|六年")  # counts over the period, not a level reached
REACHED = re.compile(r"达到?|(?:提高|提升|增加|上升|扩大|下降|降低|降)(?:到|至)")  # a level the period ended on


def _period_end_levels(report: Report, period: list[Value], found: list[Value], lex: Lexicon) -> list[Value]:
    """A five-year review's levels reached ("粮食产量达到136.97亿斤", "城镇化率提高到65%") are its last year's:
    they count for the review year when the report gives that indicator no figure of the year itself (GUIDE
    convention) and the period ends in the review year. A level without such a verb may be a total over the
    period ("实际利用外资超过1600亿美元"), as are 新增 and 累计 figures; growth rates are averages."""
    five = report.five_year
    if not period or (five is not None and five["end"] != report.review_year):
        return []
    have = {(v.indicator, v.measure) for v in found}
    out = []
    for v in period:
        if PERIOD_PLAN.search(report.text, v.sentence[0], v.sentence[1]):
            continue  # the next period's targets in the same part ("《纲要草案》…设置了29项主要指标，包括：…")
        # a bare level counts too for indicators no report sums over a period (生产总值6.66万亿元, 城镇化率60%)
        said = REACHED.search(v.text) is not None or v.measure == "rate" or v.indicator not in lex.period_summed
        reached = said and not PERIOD_TOTAL.search(v.text)
        if v.measure in ("level", "rate") and (v.indicator, v.measure) not in have and reached:
            have.add((v.indicator, v.measure))
            v.scope = "year"
            out.append(v)
    return out


AVERAGE_AFTER = re.compile(r"\s*[，、,]\s*(?:五年来)?年均(?:分别)?(?:实际)?(?:增长|递增)")
ONE_YEAR = re.compile(r"全年|去年|过去(?:的)?一年|一年来")  # in a five-year review, words that mean the last year
REVIEW_SENTENCE = re.compile(r"去年|过去(?:的)?一年|上一年|一年来|刚刚过去的|全年|比上年|较上年|比去年")
DONE = re.compile(r"实现了|完成了|达到了|超额完成")
PLAN_SENTENCE = re.compile(r"今年|明年|计划|预期|力争|要求|目标|将")


def _stated_actuals(report: Report, lex: Lexicon, zones: list[tuple[int, int, int | None]]) -> list[Value]:
    """Figures of the review year outside a review section: from a sentence naming last year (or the review
    year) to the end of its paragraph, stopping at a sentence that speaks of this year's plans."""
    text = report.text
    cue_year = f"{report.review_year}年" if report.review_year else None
    over_year_before = f"比{report.review_year - 1}年" if report.review_year else None  # "比1987年上升18.5%"
    inside = [(a, b) for a, b, _ in zones]
    foreign = _foreign(report, lex)
    values: list[Value] = []
    for p0, end in _paragraphs(text, inside):
        taking = False
        host = section_at(report, p0)
        planning = host is not None and report.sections[host].kind in ("plan", "tasks", "targets")
        for s0, s1 in _pieces(text, p0, end, SENTENCE_BREAK):
            sent = text[s0:s1]
            if PLAN_SENTENCE.search(sent) and not DONE.search(sent):  # "…，实现了年初预定的调控目标" is done
                taking = False
                continue
            bases = {int(m.group(0)[:4]) for m in BASE_YEAR.finditer(sent)}
            bases |= {int(y) for y in COMPARED_WITH.findall(sent)}  # "1986年同1978年相比，…"
            if report.review_year and bases - {report.review_year - 1}:  # "1954年工业总产值比1952年增长了53.7%；"
                taking = False  # figures over another base year, and those after them in the paragraph, are not the year's
                continue
            said = REVIEW_SENTENCE.search(sent)  # in the plan part, 全年 is this year: "全年新增城镇就业5万人"
            if said and planning and said.group(0) == "全年" and not REVIEW_SENTENCE.search(sent, said.end()):
                said = None
            taking = taking or bool(said or (cue_year and cue_year in sent)
                                    or (over_year_before and over_year_before in sent))
            if taking:
                values.extend(v for v in _values_in(text, s0, s1, lex, section_at(report, s0), allow_relations=False,
                                                    year=report.review_year, foreign=foreign)
                              if v.value is not None)
    return values


def _foreign(report: Report, lex: Lexicon) -> tuple[str, ...]:
    """The words that put a name under a higher government than the report's own (全省 in a city report)."""
    return lex.higher_scopes.get(report.region.level or "", ())


def _of_review_year(report: Report, v: Value) -> bool:
    """In a five-year review, a figure counts for the review year when its sentence names that year, or when it
    is the level reached at the end of the period ("从…增加到…") and the period ends in the review year."""
    year = report.review_year
    s0, s1 = v.sentence or v.span
    if (year is not None and f"{year}年" in report.text[s0:s1]) or ONE_YEAR.search(report.text, s0, v.span[0]):
        return True
    # "2015年城镇…收入完成30788元，…；农村…收入完成22250元": a year opening the full sentence dates its ；-parts
    named = YEAR_MENTION.findall(report.text, _sentence_start(report.text, s0), s0)
    if year is not None and named and int(named[-1]) == year:
        return True
    reached = bool(re.search(r"由|从", v.text)) and TO_LINK.search(v.text) is not None
    # "国内生产总值达到39.8万亿元，年均增长11.2%": the level the period ended on, with its average growth
    averaged = v.measure == "level" and AVERAGE_AFTER.match(report.text, v.span[1]) is not None
    return (reached or averaged) and report.five_year is not None and report.five_year["end"] == year


# --- the shared reader -----------------------------------------------------------------------------------


def _values_in(
    text: str,
    start: int,
    end: int,
    lex: Lexicon,
    section: int | None,
    *,
    allow_relations: bool,
    year: int | None = None,
    foreign: tuple[str, ...] = (),
) -> list[Value]:
    """Every governed value between ``start`` and ``end``, clause by clause, with carry-over inside a sentence;
    names right after a ``foreign`` word (全省 in a city report) are another government's and give nothing."""
    values: list[Value] = []
    scan = _ZoneScan.of(text, start, end, lex)
    for sent_start, sent_end in _pieces(text, start, end, SENTENCE_BREAK):
        if not scan.names.overlaps(sent_start, sent_end):
            continue  # no indicator name: no clause of the sentence holds a value
        subject = _Subject()
        dating = _Dating.of(text, sent_start, sent_end, lex)
        for c_start, c_end in _pieces(text, sent_start, sent_end, CLAUSE_BREAK):
            found = _clause_values(text, c_start, c_end, (sent_start, sent_end), lex, subject, allow_relations, year,
                                   dating, scan, foreign)
            for v in found:
                v.section = section
            values.extend(found)
    return values


def _pieces(text: str, start: int, end: int, breaks: re.Pattern[str]) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in breaks.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


_NAME_FINDERS: dict[str, Finder[tuple[int, int]]] = {}  # by the lexicon's name pattern: one automaton per lexicon


def _name_finder(lex: Lexicon) -> Finder[tuple[int, int]]:
    """The lexicon's indicator names found as its name pattern finds them (leftmost, then longest), by an
    Aho-Corasick automaton: one pass whatever the number of names, 4x faster than the regex alternation."""
    finder = _NAME_FINDERS.get(lex.name_pattern.pattern)
    if finder is None:
        names = sorted(set(lex.name_to_code) | set(lex.compound_by_name))
        automaton = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

        def find(text: str, start: int, end: int) -> list[tuple[int, int]]:
            return [(start + a, start + b) for _, a, b in automaton.find_matches_as_indexes(text[start:end])]

        finder = _NAME_FINDERS[lex.name_pattern.pattern] = find
    return finder


@dataclass
class _ZoneScan:
    """The indicator names and relation phrases of a zone, each found in one scan and handed out per clause."""

    names: ZoneScan[tuple[int, int]]
    relations: ZoneScan[tuple[int, int]]

    @classmethod
    def of(cls, text: str, start: int, end: int, lex: Lexicon) -> "_ZoneScan":
        return cls(span_zone(_name_finder(lex), text, start, end),
                   span_zone(regex_spans(lex.relation_pattern), text, start, end))


@dataclass
class _Dating:
    """What dates a sentence, found once per sentence (not once per name: issue 13's quadratic paths): where its
    year mentions end and which years they are, and where its first multi-year word (累计, 年均 …) ends."""

    year_ends: list[int]
    years: list[int]
    period_end: int | None
    part_of_year: tuple[int, int] | None = None  # "前三季度，GDP增长6.5%…": up to 全年, if it comes back

    @classmethod
    def of(cls, text: str, start: int, end: int, lex: Lexicon) -> "_Dating":
        found = [(m.end(), int(m.group(1))) for m in YEAR_MENTION.finditer(text, start, end)]
        period = lex.sentence_period_pattern.search(text, start, end)
        part = lex.sub_year_pattern.match(text, start, end)
        if part is not None:
            whole = text.find("全年", part.end(), end)
            part_span = (part.end(), whole if whole >= 0 else end)
        return cls([e for e, _ in found], [y for _, y in found], period.end() if period else None,
                   part_span if part is not None else None)

    def part_of_year_at(self, pos: int) -> bool:
        """``pos`` lies in a sentence that opens on part of the year, before 全年 brings the whole year back."""
        return self.part_of_year is not None and self.part_of_year[0] <= pos < self.part_of_year[1]

    def period_before(self, pos: int) -> bool:
        """A multi-year word before ``pos`` ("“十二五”期间，累计完成…")."""
        return self.period_end is not None and self.period_end <= pos

    def other_year_before(self, pos: int, year: int | None) -> bool:
        """The year written last before ``pos`` is not ``year`` ("在1958年的会议上讨论了1959年的任务" is 1959)."""
        k = bisect_right(self.year_ends, pos)
        return year is not None and k > 0 and self.years[k - 1] != year


@dataclass
class _Subject:
    """What a clause without a name of its own continues, within one sentence."""

    group: list[Name] = field(default_factory=list)  # the names a following clause continues ("…，同比增长8.9%")
    listed: list[Name] = field(default_factory=list)  # names given one figure each ("A 10493元，B 3255元，分别增长…")

    def end(self) -> None:
        self.group, self.listed = [], []


def _clause_values(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    lex: Lexicon,
    subject: _Subject,
    allow_relations: bool,
    year: int | None,
    dating: _Dating,
    scan: _ZoneScan,
    foreign: tuple[str, ...] = (),
) -> list[Value]:
    """The values of one clause; ``subject`` holds what a following clause may continue, updated here."""
    names = _names(text, start, end, lex, scan)
    if not names and not subject.group and not subject.listed:
        return []
    quantities = _quantities(text, start, end, lex)
    q_starts = [q.start for q in quantities]
    q_ends = {q.end for q in quantities}
    if not names:
        if lex.sub_year_pattern.match(text, start) or (not quantities and lex.aside_pattern.match(text, start)):
            return []  # "一季度增长4.5%", "按可比价格计算": not the year's figure, but the subject runs on
        # "…将达到650亿元，比1958年的548亿元增长19%": a clause may also open with the base it compares with
        carries = bool(quantities) and (CARRY_START.match(text, start) or CHAIN_BASE.match(text, start)) is not None
        respective = carries and "分别" in text[start : quantities[0].start]
        if respective and len(subject.listed) >= 2:
            # "城镇居民人均可支配收入达到10493元，农村居民人均纯收入达到3255元，扣除价格因素，分别增长9.6%和6.2%"
            found = _group_values(text, subject.listed, start, quantities, sentence, lex, carried=True, year=year,
                                  targets=allow_relations)
            subject.end()
            return found
        if carries and subject.group:
            subject.listed = []  # a name with two figures is no longer one member of a respective list
            # "三项增速分别为…，均排全区第一，总量分别为…": a respective run continues the whole list of names
            group = subject.group if respective else subject.group[-1:]
            return _group_values(text, group, start, quantities, sentence, lex, carried=True, year=year,
                                 targets=allow_relations)
        subject.end()  # a clause about something else ends the continuation
        return []
    values: list[Value] = []
    i = 0
    pending: list[Name] = []  # names of this clause without a figure, waiting for a relation after them
    while i < len(names):
        # names joined by 、/和 share what follows: "A、B均增长8%", "A和B分别增长x%、y%"
        group = [names[i]]
        j = i + 1
        while j < len(names) and re.fullmatch(r"\s*(?:、|和|及|与|以及)\s*", text[group[-1].end : names[j].start]):
            group.append(names[j])
            j += 1
        nxt = names[j].start if j < len(names) else end
        qs = quantities[bisect_left(q_starts, group[-1].end) : bisect_left(q_starts, nxt)]
        # "第一产业、规模以上工业、服务业增加值分别…": list members the lexicon lacks come before the name
        listed_before = (group[0].start > start and text[group[0].start - 1] in "、和及与"
                         and group[0].start - 1 not in q_ends)
        period = dating.period_before(group[0].start)
        other_year = dating.other_year_before(group[0].start, year)  # "到2015年，全市生产总值…"
        other_government = text.startswith(foreign, max(start, group[0].start - 2), group[0].start) if foreign else False
        index_value = None if qs else (_price_index(text, group, nxt, sentence, lex)
                                       or _guarantee_stretch(text, group, nxt, sentence, lex))
        found: list[Value] = []
        relative = lex.relative_pattern.match(text, group[-1].end, nxt) if allow_relations and len(group) == 1 else None
        if relative is not None and relative.end() > relative.start():
            found = _relative_target(text, group[0], relative, qs, sentence, lex)
        elif index_value is not None:
            found = [index_value]
        elif qs and not listed_before and not period and not other_year and not other_government:
            found = _group_values(text, group, group[-1].end, qs, sentence, lex, year=year, targets=allow_relations)
        elif allow_relations and not qs:
            rel = _relation(text, group[-1].end, nxt, lex) or _relation_around(text, start, group, nxt, lex)
            if rel:  # "粮食产量、单位GDP能耗降低率完成省下达年度目标任务": the names waiting before it share it
                found = _relations(text, pending + group + _relation_members(text, group[-1].end, rel[1], lex),
                                   rel, sentence, lex)
                pending = []
            else:
                pending += group
        if qs:
            pending = []
        if dating.part_of_year_at(group[0].start):
            for v in found:
                v.scope = "part_year"
        values.extend(found)
        one_figure = (len(group) == 1 and len(group[0].codes) == 1 and len(qs) == 1 and len(found) == 1
                      and found[0].value is not None)
        if one_figure:
            subject.listed.append(group[0])  # in place: a clause of thousands of names stays linear
        else:
            subject.listed = []
        subject.group = [] if (period or other_year or other_government) else group  # nor does another year's
        i = j
    return values


def _relative_target(text: str, name: Name, relative: re.Match[str], qs: list[Quantity], sentence: tuple[int, int],
                     lex: Lexicon) -> list[Value]:
    """"地区生产总值增速高于省平1个百分点、7%左右": the relative part is a target without a number (GUIDE), and a
    growth figure set off right after it by 、 or ， is the target's own number."""
    code = name.code
    out = _relations(text, [name], (relative.group(0), relative.start(), relative.end()), sentence, lex)
    after = [q for q in qs if q.start >= relative.end()]
    if after and text[relative.end() : after[0].start] in ("、", "，", ",") and after[0].unit in lex.percent_units:
        v = _value(text, name, code, after[0], name.start, sentence, lex, measure_gap="增长")
        if v is not None:
            out.append(v)
    return out


def _relation_around(text: str, floor: int, group: list[Name], nxt: int, lex: Lexicon) -> tuple[str, int, int] | None:
    """A relation whose words stand around the names: "完成自治区下达的节能减排目标" (the phrase, its end)."""
    before, after = lex.relation_around_patterns
    m = before.search(text, max(floor, group[0].start - 12), group[0].start)
    n = after.match(text, group[-1].end, nxt)
    if m is None or n is None or m.start() == m.end():
        return None
    return m.group(0) + n.group(0), m.start(), n.end()  # the phrase without the names: 完成自治区下达的目标


def _relations(text: str, names: list[Name], rel: tuple[str, int, int], sentence: tuple[int, int], lex: Lexicon
               ) -> list[Value]:
    """A target without a number for every code the names stand for: "城乡居民收入与经济增长同步" is one for urban and
    one for rural income; a compound read whole unless split (进出口平稳增长: trade) gives its single code."""
    out = []
    for n in names:
        compound = lex.compound_by_name.get(n.text)
        codes = n.codes if compound is not None and not compound.only_with_split else (n.single,)
        out += [Value(code, n.text, _relation_measure(code, rel[0], lex), None, None, relation=rel[0],
                      span=(n.start, rel[2]), text=text[n.start : rel[2]], sentence=sentence) for code in codes]
    return out


def _group_values(
    text: str,
    group: list[Name],
    after: int,
    qs: list[Quantity],
    sentence: tuple[int, int],
    lex: Lexicon,
    *,
    carried: bool = False,
    year: int | None = None,
    targets: bool = False,
) -> list[Value]:
    """Pair the names of a group with the quantities that follow them.

    分别 with as many quantities as codes pairs them in order; 均/都 gives every code the one figure; a single
    name takes its figure and any figures chained to it by 、/，增长…; anything else is ambiguous and skipped."""
    codes = [c for n in group for c in n.codes]
    gap = text[after : qs[0].start]
    if len(group) == 1 and len(qs) >= 2:
        from_gap, link = FROM_GAP.fullmatch(gap), TO_LINK.fullmatch(text, qs[0].end, qs[1].start)
        if from_gap and link and lex.filler_pattern.fullmatch(from_gap.group("filler")):
            if link.group("year") and year and int(link.group("year")) != year:
                return []
            code = group[0].code
            # the filler says whether a rate or a growth moved: "固定资产投资增长幅度由上年的58.6%回落到27.8%"
            v = _value(text, group[0], code, qs[1], group[0].start, sentence, lex, target=targets,
                       measure_gap=from_gap.group("filler") + "到")
            return [v] if v is not None else []
    # "突破“五百亿”、达513.35亿元" (a milestone's words), "同比增长（以下简称增长）8%" (an aside): not filler, no figure
    gap = PAREN_ASIDE.sub("", MILESTONE_WORDS.sub("", gap))
    base = COMPARISON_BASE.search(gap)
    if base:  # "将比1958年的2050亿元增长40%": the first figure is the base; the next, over the year before, counts
        if len(group) > 1 or len(qs) < 2 or not _over_year_before(base.group(0), year):
            return []
        gap = gap[: base.start()] + "比上年" + text[qs[0].end : qs[1].start]
        qs = qs[1:]
    # in a targets statement, words that state a target may stand here too: "经济增长预期目标为7%左右",
    # "今年计划国内生产总值增长9%"; and a growth over the year before, named, is over 上年: "比1980年预计增长5.5%"
    # (1981's plan), "1979年农业总产值比1978年增长8.6%" — over an earlier year it spans several years
    words = lex.target_gap_pattern.sub("", gap) if targets else gap
    if targets:  # a plan-year target grows over the year before: "比今年" in a report given late in that year
        words = words.replace("比今年", "比上年")
    if year:
        words = words.replace(f"比{year - 1}年", "比上年").replace(f"较{year - 1}年", "较上年")
        words = BASE_ON.sub(lambda m: "比上年" if m.group(1) in ("上年", "去年", f"{year - 1}年") else m.group(0), words)
    if not lex.filler_pattern.fullmatch(words) or any(b in words for b in lex.gap_blockers):
        return []
    span0 = qs[0].start if carried else group[0].start
    name_text = text[group[0].start : group[-1].end]
    out: list[Value] = []
    # a compound name followed by one figure per member pairs them in order with or without 分别: "城乡居民人均可支配
    # 收入增长4.7%和7.3%", "城镇和农村居民人均可支配收入80392元、48825元"
    in_order = len(group) == 1 and len(codes) >= 2 and _joined_run(text, qs, len(codes))
    if ("分别" in gap or in_order) and len(codes) >= 2:
        # "分别完成47125元、25913元、分别增长8.5%、11%": one run of figures per 分别, each run one per code
        n, start_k, run_gap = len(codes), 0, gap
        while start_k + n <= len(qs):
            chosen = qs[start_k : start_k + n]
            if not _joined(text, chosen):
                break
            if start_k + n < len(qs) and _joined(text, qs[start_k + n - 1 : start_k + n + 1]):
                return out  # more figures than names ("原煤、原油、天然气产量…分别增长9.3%、7.3%、21.2%"): unpaired
            shared = _shared_qualifier(chosen)
            for k, (code, q) in enumerate(zip(codes, chosen)):
                first = start_k == 0 and k == 0
                v = _value(text, group[0], code, q, span0 if first else q.start, sentence, lex, target=targets,
                           measure_gap=run_gap, name_text=name_text)
                if v is not None:
                    if v.qualifier == "none" and shared:
                        v.qualifier = shared
                    out.append(v)
            start_k += n
            if start_k >= len(qs):
                break
            run_gap = text[chosen[-1].end : qs[start_k].start]
            if "分别" not in run_gap or not CARRY_START.fullmatch(run_gap):
                break
        return out
    if len(group) > 1:
        if not re.search(r"均|都", gap):
            return []
        for code in codes:
            v = _value(text, group[0], code, qs[0], span0, sentence, lex, target=targets, measure_gap=gap,
                       name_text=name_text)
            if v is not None:
                out.append(v)
        return out
    name = group[0]
    if "分别" in gap:
        return []
    code = name.code
    prev_end, span_start, measure_gap = after, span0, gap
    for q in qs:  # "1060.8亿元、增长6%": one name, several figures chained by 、
        if q is not qs[0]:
            link = PAREN_ASIDE.sub("", text[prev_end : q.start])  # "、同比增长（以下简称增长）8%"
            if CHAIN_BASE.fullmatch(link) and _over_year_before(link, year):
                prev_end = q.end  # "达到650亿元，比1958年的548亿元增长19%": 548 is the base, 19% the growth
                continue
            if not (CARRY_START.fullmatch(link) or _other_kind_after_comma(text, prev_end, q, lex)
                    or _milestone_after(link, q, lex)):
                break
            measure_gap = text[prev_end : q.start]
            span_start = prev_end + len(measure_gap) - len(measure_gap.lstrip("、，, "))
        v = _value(text, name, code, q, span_start, sentence, lex, target=targets, measure_gap=measure_gap)
        if v is not None:  # "压缩920亿元，减少21%": a figure of no measure here does not end the chain
            out.append(v)
        prev_end = q.end
    return out


def _joined(text: str, qs: list[Quantity]) -> bool:
    """Whether the figures follow one another joined by 、/和 only (one run of a respective list)."""
    return all(LIST_JOIN.fullmatch(text, a.end, b.start) for a, b in zip(qs, qs[1:]))


def _joined_run(text: str, qs: list[Quantity], n: int) -> bool:
    """Whether exactly the first ``n`` figures form one run joined by 、/和 (no further figure joined to them)."""
    return len(qs) >= n and _joined(text, qs[:n]) and (len(qs) == n or not _joined(text, qs[n - 1 : n + 1]))


# A price target written as an index: "居民消费价格指数控制在103左右" is a rise of 3% (GUIDE convention).
PRICE_INDEX = re.compile(r"(?P<gap>指数)?(?P<verb>控制在|保持在|为|在)?\s*(?P<num>1[01]\d(?:\.\d+)?)(?![\d.%])\s*(?P<post>左右|以内|以下)?")


def _price_index(text: str, group: list[Name], end: int, sentence: tuple[int, int], lex: Lexicon) -> Value | None:
    name = group[-1]
    if len(group) != 1 or name.codes != ("cpi",):
        return None
    m = PRICE_INDEX.match(text, name.end, end)
    if m is None or not ("指数" in name.text or m.group("gap")) or lex.indicator("cpi") is None:
        return None
    qualifier = lex.qualifier_after[m.group("post")] if m.group("post") else ("at_most" if m.group("verb") == "控制在" else "none")
    value = round(float(m.group("num")) - 100, 6)
    return Value(indicator="cpi", name=name.text, measure="growth", value=int(value) if value.is_integer() else value,
                 unit="%", qualifier=qualifier, modifier=m.group("verb"), span=(name.start, m.end()),
                 text=text[name.start : m.end()], sentence=sentence)


def _other_kind_after_comma(text: str, prev_end: int, q: Quantity, lex: Lexicon) -> bool:
    """"增长5.2%、约4.4万亿元": after a growth rate, a level figure set off by 、 alone still belongs to the name."""
    prev = text[prev_end - 1 : prev_end]
    return text[prev_end : q.start].strip() == "、" and prev in "%" and q.unit not in lex.percent_units


def _over_year_before(base: str, year: int | None) -> bool:
    """A comparison base is the year before the value's year when it names that year (or no year at all)."""
    named = YEAR_NUMBER.search(base)
    return named is None or (year is not None and int(named.group(0)) == year - 1)


def _milestone_after(link: str, q: Quantity, lex: Lexicon) -> bool:
    """"增长6%左右、突破2.6万亿元": a figure set off by 、 that opens with its own floor word continues the name."""
    return link.strip() in ("、", "，", ",") and q.qualifier == "at_least" and bool(q.words) and q.words[0] in lex.qualifier_before


# "地区生产总值增速“保8争9”": guarantee 8, strive for 9 — coded as the guaranteed figure (GUIDE convention)
GUARANTEE_STRETCH = re.compile(r"(?P<gap>[^，。；\d]{0,6}?)[“\"]?保(?P<x>\d+(?:\.\d+)?)争(?P<y>\d+(?:\.\d+)?)[”\"]?")


def _guarantee_stretch(text: str, group: list[Name], end: int, sentence: tuple[int, int], lex: Lexicon
                       ) -> Value | None:
    name = group[-1]
    m = GUARANTEE_STRETCH.match(text, name.end, end)
    if len(group) != 1 or m is None or not lex.filler_pattern.fullmatch(m.group("gap")):
        return None
    q = Quantity(m.start("x"), m.end("x"), m.start("x"), _num(m.group("x")), None, "%", "none", [])
    code = name.code
    measure = _measure(code, m.group("gap") or "增长", q, lex, lex.name_measures.get(name.text))
    if measure not in ("growth", "rate"):
        return None
    return Value(indicator=code, name=name.text, measure=measure, value=q.value, unit="%", qualifier="none",
                 modifier=m.group(0)[len(m.group("gap")):], span=(name.start, m.end()), text=text[name.start : m.end()],
                 sentence=sentence)


def _shared_qualifier(qs: list[Quantity]) -> str | None:
    """The qualifier written once after a respective list ("分别增长8.5%和11%左右"): it holds for every member
    that has none of its own (GUIDE convention), but only when it closes the list."""
    last = qs[-1]
    if len(qs) < 2 or last.qualifier in ("none", "range") or not last.words or any(
            q.qualifier != "none" for q in qs[:-1]):
        return None
    return last.qualifier


RELATION_LIST = re.compile(r"\s*(?:、|和|及|以及)\s*([\u4e00-\u9fff]{2,6}?)(?=、|和|及|以及|等(?:主要)?(?:约束性)?指标|等)")


def _relation_members(text: str, start: int, end: int, lex: Lexicon) -> list[Name]:
    """List members after the names, before the relation they share, that name an indicator only in such a list:
    "生态环境质量、能源、水资源等指标达到国家要求" (能源: energy use per GDP, 水资源: water use). Read nowhere else, so
    a bare 能源 beside a figure is never a value."""
    if not lex.relation_member_to_code:
        return []
    out = []
    pos = start
    while (m := RELATION_LIST.match(text, pos, end)) is not None:
        code = lex.relation_member_to_code.get(m.group(1))
        if code is not None:
            out.append(Name(m.start(1), m.end(1), m.group(1), (code,), code))
        pos = m.end(1)
    return out


def _relation(text: str, start: int, end: int, lex: Lexicon) -> tuple[str, int, int] | None:
    m = lex.relation_pattern.search(text, start, end)
    if m is None or re.search(r"\d", text[start : m.start()]):
        return None
    return m.group(0), m.start(), m.end()


def _names(text: str, start: int, end: int, lex: Lexicon, scan: _ZoneScan) -> list[Name]:
    out = []
    inside = scan.relations.within(start, end)  # "与经济增长同步" names no value
    for n0, n1 in scan.names.within(start, end):
        if not _left_ok(text, n0, start, lex) or any(a <= n0 < b for a, b in inside):
            continue
        written = text[n0:n1]
        comp = lex.compound_by_name.get(written)
        if comp is not None:
            out.append(Name(n0, n1, written, comp.codes, comp.single))
        else:
            code = lex.name_to_code[written]
            out.append(Name(n0, n1, written, (code,), code))
            shortened = _shortened_member(text, n1, end, written, lex)
            if shortened is not None:
                out.append(shortened)
    return out


def _shortened_member(text: str, pos: int, end: int, written: str, lex: Lexicon) -> Name | None:
    """A list member that leaves out the head it shares with the name before it: "规上工业总产值、增加值分别增长
    15%、12%" names 规上工业增加值 too (the head 规上工业 with the member's own ending)."""
    if pos >= end or text[pos] not in "、和及与":
        return None
    head = next((written[: -len(e)] for e in lex.shared_head_endings if written.endswith(e) and len(written) > len(e)),
                None)
    if head is None:
        return None
    for ending in lex.shared_head_endings:
        if text.startswith(ending, pos + 1, end) and ending != written[len(head):]:
            code = lex.name_to_code.get(head + ending)
            if code is not None:
                return Name(pos + 1, pos + 1 + len(ending), head + ending, (code,), code)
    return None


def _left_ok(text: str, pos: int, floor: int, lex: Lexicon) -> bool:
    """A name must start a phrase: after punctuation/space/digit, or after an allowed word (全市, 预计, 实现 …)."""
    if pos <= floor:
        return True
    prev = text[pos - 1]
    if not CJK.match(prev):
        return True
    before = text[max(floor, pos - 4) : pos]
    return any(before.endswith(w) for w in lex.allowed_before)


def _quantities(text: str, start: int, end: int, lex: Lexicon) -> list[Quantity]:
    out = []
    for m in lex.quantity_pattern.finditer(text, start, end):
        num_start = m.start("num")
        if num_start > 0 and (text[num_start - 1].isdigit() or text[num_start - 1] == "."):
            continue
        unit = m.group("unit") or m.group("unit2")
        if m.group("num2") and not (m.group("unit") or m.group("unit2")):
            continue  # "2023-2025" style year ranges
        after_num = text[m.end("num") : m.end("num") + 1]
        if not unit and after_num in ("年", "月", "日", "届", "次", "期", "号", "季", "名", "位"):
            continue
        if not unit:
            continue
        value = _num(m.group("num"))
        high = _num(m.group("num2")) if m.group("num2") else None
        negative = not m.group("pre") and high is None and NEGATIVE_GROWTH.search(text, max(start, num_start - 4), num_start)
        if negative:  # "固定资产投资增长-3.8%": a fall written as negative growth
            value = -value
        words = [w for w in (m.group("pre"), m.group("post")) if w]
        if high is not None:
            qualifier = "range"
            words.insert(0, m.group("sep"))
        elif m.group("post"):
            qualifier = lex.qualifier_after[m.group("post")]
        elif m.group("more") and unit:
            qualifier = "at_least"
            words.append(m.group("more"))
        elif m.group("pre"):
            qualifier = lex.qualifier_before[m.group("pre")]
        else:
            qualifier = "none"
        if m.group("unit2") and m.group("unit") and m.group("unit") != m.group("unit2"):
            continue  # "5%-6亿元" is not a range
        q_start = m.start("pre") if m.group("pre") else num_start - (1 if negative else 0)
        q_end = m.end("post") if m.group("post") else (m.end("unit2") if m.group("unit2") else m.end("unit"))
        if m.group("num2") and not m.group("post"):
            q_end = m.end("unit2") if m.group("unit2") else m.end("num2")
        out.append(Quantity(q_start, q_end, num_start, value, high, unit, qualifier, words))
    return out


def _num(s: str) -> float:
    v = float(s.replace(",", ""))
    return int(v) if v.is_integer() else v


def _relation_measure(code: str, phrase: str, lex: Lexicon) -> str:
    """The measure a target without a number speaks about: 继续下降 → decline, 同步/增长 → growth."""
    ind = lex.indicator(code)
    if ind and ind.measure:
        return ind.measure
    if any(w in phrase for w in lex.decline_words):
        return "decline"
    if any(w in phrase for w in lex.growth_words) or "同步" in phrase:
        return "growth"
    return "level"


def _value(
    text: str,
    name: Name,
    code: str,
    q: Quantity,
    span_start: int,
    sentence: tuple[int, int],
    lex: Lexicon,
    *,
    measure_gap: str | None = None,
    name_text: str | None = None,
    target: bool = True,
) -> Value | None:
    gap = measure_gap if measure_gap is not None else text[name.end : q.start]
    measure = _measure(code, gap, q, lex, lex.name_measures.get(name.text))
    if measure is None or text.startswith(lex.after_blockers, q.end):
        return None
    modifier_words = [w for w in lex.modifiers if w in gap and w not in ("完成", "实现", "达到", "保持")]
    words = modifier_words + q.words
    qualifier = q.qualifier
    if target and qualifier == "none" and lex.ceiling_pattern.search(gap):  # "控制在3%": a ceiling (GUIDE convention)
        # (a result "涨幅控制在3.3%" is the figure reached: no qualifier)
        qualifier = "at_most"
    estimated = -1 < _first_estimate(text, sentence) < q.end
    return Value(
        indicator=code,
        name=name_text or name.text,
        measure=measure,
        value=q.value,
        unit=q.unit,
        qualifier=qualifier,
        high=q.high,
        modifier=" ".join(words) if words else None,
        estimated=estimated,
        span=(span_start, q.end),
        text=text[span_start : q.end],
        sentence=sentence,
    )


ESTIMATE_REACH = 2000  # characters looked back for the 预计 of a sentence or the （预计数，下同） of a paragraph
_ESTIMATE: list = [None, -1]  # (text id and sentence, where an estimate is first marked for it): reused


def _first_estimate(text: str, sentence: tuple[int, int]) -> int:
    """Where the figures of a sentence start being estimates (-1: nowhere), found once per sentence however many
    values it has. 预计 counts from the start of the whole sentence (a list led by "预计全年" runs on over its ；),
    and a marker "（预计数，下同）" in the paragraph counts for the figure right before it and all after it."""
    key = (id(text), sentence)
    if _ESTIMATE[0] != key:
        floor = max(0, sentence[0] - ESTIMATE_REACH)  # a bounded look back: linear however long a run-on text
        full = max(text.rfind("。", floor, sentence[0]), text.rfind("\n", floor, sentence[0]), floor - 1) + 1
        at = text.find("预计", full, sentence[1])
        line = max(text.rfind("\n", floor, sentence[0]), floor - 1) + 1
        marker = text.find("预计数", line, sentence[1])
        if marker >= 0:
            figure = max(text.rfind("，", line, marker), text.rfind("、", line, marker), line)  # its figure's clause
            at = figure if at < 0 else min(at, figure)
        _ESTIMATE[:] = [key, at]
    return _ESTIMATE[1]


def _measure(code: str, gap: str, q: Quantity, lex: Lexicon, named: str | None = None) -> str | None:
    """growth | decline | level | rate, or None when the unit does not fit the indicator; ``named`` is the
    measure a name carries in itself (经济增长 is growth of GDP)."""
    ind = lex.indicator(code)
    pct = q.unit in lex.percent_units
    if q.unit in POINTS and (ind is None or not ind.measure):
        return None  # "增长5.6%，比上年提高3.6个百分点": a change of the growth rate, not a growth of the indicator
    if named is not None:
        return named if pct and not any(w in gap for w in lex.decline_words) else None
    to_level = re.search(r"(?:提高|提升|增加|增长|下降|降低|减少|降|升|增)(?:到|至)", gap)  # 城镇化率增至67.17%
    if any(w in gap for w in lex.decline_words) and not to_level:
        # "投资规模要比上年压缩920亿元": a cut of a sum of money is a decline too (贫困人口减少1000万 is a count)
        money = lex.unit_families.get(lex.scale_of(q.unit)[1] or "") == "money"
        return "decline" if pct or (money and _unit_fits(code, q.unit, lex)) else None
    if any(w in gap for w in lex.growth_words) and not to_level:
        return "growth" if pct else None
    if ind is not None and ind.measure:
        if pct:
            return ind.measure
        return "level" if ind.level_unit and lex.scale_of(q.unit)[1] == ind.level_unit else None
    if pct:
        if code in ("energy_intensity", "carbon_intensity"):
            return None  # "能耗4%" without a verb is ambiguous
        if code == "cpi":
            return "growth"
        return "rate"
    return "level" if _unit_fits(code, q.unit, lex) else None


def _unit_fits(code: str, unit: str | None, lex: Lexicon) -> bool:
    ind = lex.indicator(code)
    if ind is None or not ind.unit or unit is None:
        return False
    _, want = lex.scale_of(ind.unit)
    _, have = lex.scale_of(unit)
    if have is None:  # a bare 万/亿: a count
        return lex.unit_families.get(want or "") == "people" or code == "poverty_reduction"
    fam_want, fam_have = lex.unit_families.get(want or ""), lex.unit_families.get(have)
    if want == "%":
        return False
    return have == want or (fam_want is not None and fam_want == fam_have)


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(c, 0, pos) for c in "。！？\n") + 1


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = _sentence_start(text, pos)
    ends = [i for i in (text.find(c, pos) for c in "。！？\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))
