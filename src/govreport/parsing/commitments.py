"""Stage 7, commitments: what the government promised to do, and what it reports as done.

- tasks: the numbered task headings of the plan (and the achievement headings of the review) in order, with
  the attention themes they belong to;
- commitments / achievements: quantified actions ("新建5G基站7000个", "开工新建改扩建幼儿园32所",
  "完成燃气管道老化更新改造50公里") with action, object, number, unit, qualifier and commitment strength;
- livelihood: the announced number of livelihood projects (民生实事) and, where listed, the items.

As for targets, a figure is read only when an action verb governs it directly; anything ambiguous is left out.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import ahocorasick_rs

from govreport.knowledge.lexicon import Lexicon, fast_start
from govreport.model import Commitment, Livelihood, Report, Section, Task
from govreport.parsing.numbers import as_written, find_numbers, parse_number
from govreport.parsing.scan import match_zone
from govreport.parsing.sections import section_at

PLAN_KINDS = ("plan", "tasks", "livelihood", "self_building")
# an object that ends in a function word or holds a measure word is a fragment, not a thing promised
BAD_OBJECT = re.compile(r"^(?:以上|以下|左右|以内|首批)|^[一二两三四五六七八九十]+[个大项]|[从居]|第$|突破$|任务$|"
                        r"^[的了和及与在为超达值等对向从共]|[的了和及与在为超达等对向从共是将]$|增长|下降|比重|占|强度|提高到|提升到|率$|[年月日]$")
SENTENCE = re.compile(r"[^。；;！!？?\n]+")
INLINE_ITEM = re.compile(r"([一二三四五六七八九十]{1,3})是([^；;。\n]+)")


@dataclass(frozen=True)
class Rules:
    strength: dict[str, int]
    verbs: tuple[str, ...]
    units: tuple[str, ...]
    livelihood_nouns: tuple[str, ...]
    version: str


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    with resources.files("govreport.data").joinpath("commitments.toml").open("rb") as fh:
        data = tomllib.load(fh)
    strength = {word: int(level) for level, words in data["strength"].items() for word in words}
    return Rules(strength, tuple(sorted(data["actions"]["verbs"], key=len, reverse=True)),
                 tuple(data["units"]["extra"]), tuple(data["livelihood"]["nouns"]), data["version"])


@functools.lru_cache(maxsize=2)
def _patterns(unit_pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    r = rules()
    verbs = "|".join(re.escape(v) for v in r.verbs)
    extra = "|".join(re.escape(u) for u in sorted(r.units, key=len, reverse=True))
    unit = rf"(?:{extra}|{unit_pattern})"
    num = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
    qual_pre = r"(?P<pre>超过|不低于|不少于|至少|约|近|逾|超|达到|达)?"
    qual_post = r"(?P<post>以上|左右|以内|以下|余|多)?"
    # 新建5G基站7000个 / 改造老旧小区104个: verb, object, number, unit. The lookahead, implied by the rest (no
    # stop character comes before the number), turns down a verb with no number in reach before trying each
    # object length (a fifth of this scan's time)
    reach = r"(?=[^\d，,。；;：:、（）()“”\s零〇一二两三四五六七八九十百千]*[\d零〇一二两三四五六七八九十百千])"
    object_first = re.compile(
        rf"(?P<verb>{verbs}){reach}(?P<obj>[^\d，,。；;：:、（）()“”\s]{{1,18}}?){qual_pre}(?P<num>{num})(?P<unit>{unit}){qual_post}"
    )
    # 新增学位1.07万个 is object-first too; 建成3个产业园 / 新增城镇就业15万人 number first:
    number_first = re.compile(
        rf"(?P<verb>{verbs}){qual_pre}(?P<num>{num})(?P<unit>{unit}){qual_post}(?P<obj>[^\d，,。；;：:、（）()“”\s]{{1,14}})"
    )
    return object_first, number_first


def fill_commitments(report: Report, lex: Lexicon) -> None:
    """Fill tasks, commitments, achievements and livelihood of ``report``."""
    report.tasks = tasks(report, "plan") + tasks(report, "review")
    report.commitments = quantified(report, lex, "plan")
    report.achievements = quantified(report, lex, "review")
    report.livelihood = livelihood(report)


# --- tasks -----------------------------------------------------------------------------------------------


def _top(report: Report, part: str) -> list[int]:
    kinds = PLAN_KINDS if part == "plan" else ("review",)
    return [i for i, s in enumerate(report.sections) if s.parent is None and s.kind in kinds and s.scope == "year"]


def tasks(report: Report, part: str) -> list[Task]:
    """The headings right under the plan (or review) parts, in order: the report's priority list."""
    from govreport.knowledge.themes import themes_of

    out: list[Task] = []
    tops = set(_top(report, part))
    children = [(i, s) for i, s in enumerate(report.sections)
                if s.parent in tops and s.heading_span[1] > s.heading_span[0] and s.kind not in ("targets", "problems")]
    if not children:  # a flat plan: take its level-3 or 一是 items
        children = [(i, s) for i, s in enumerate(report.sections)
                    if s.parent is not None and report.sections[s.parent].parent in tops and s.level >= 3]
    for rank, (i, sec) in enumerate(children, 1):
        body = report.text[sec.span[0] : min(sec.span[1], sec.span[0] + 400)]
        out.append(Task(rank=rank, heading=sec.title, part=part, level=sec.level, span=sec.heading_span,
                        section=i, themes=themes_of(body)[:3]))
    return out


# --- quantified commitments and achievements ------------------------------------------------------------


def _zones(report: Report, part: str) -> list[tuple[int, int, int]]:
    zones = []
    for i in _top(report, part):
        sec = report.sections[i]
        zones.append((sec.span[0], sec.span[1], i))
    return zones


def _skip_spans(report: Report) -> tuple[list[int], list[int]]:
    """The targets and problems paragraphs are not commitments or achievements: their spans merged into
    disjoint (starts, ends), sorted, so a position is looked up by bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(s.span for s in report.sections if s.kind in ("targets", "problems")):
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _skipped(skip: tuple[list[int], list[int]], pos: int) -> bool:
    k = bisect.bisect_right(skip[0], pos)
    return bool(k) and pos < skip[1][k - 1]


def quantified(report: Report, lex: Lexicon, part: str) -> list[Commitment]:
    """Every sentence is scanned a fixed number of times, whatever its length or number of figures (an
    enumeration of thousands of 新建学校3所、 items stays linear)."""
    text = report.text
    object_first, number_first = _patterns(lex.unit_pattern)
    skip = _skip_spans(report)
    out: list[Commitment] = []
    for start, end, _top_index in _zones(report, part):
        scans = (match_zone(object_first, text, start, end), match_zone(number_first, text, start, end))
        for sent in SENTENCE.finditer(text, start, end):
            s0, s1 = sent.span()
            if not (scans[0].overlaps(s0, s1) or scans[1].overlaps(s0, s1)) or _skipped(skip, s0):
                continue
            words = None  # (end of the first period word, running best commitment word): built on a first figure
            taken_starts: list[int] = []  # accepted matches, sorted and disjoint
            taken_ends: list[int] = []
            for scan in scans:
                for m in scan.within(s0, s1):
                    k = bisect.bisect_left(taken_starts, m.end())  # taken matches starting before m ends
                    if k and taken_ends[k - 1] > m.start():
                        continue
                    words = words or _sentence_words(text, s0, s1, lex.period_words)
                    if words[0] <= m.start() + 2:
                        continue  # "累计完成…", "五年来…": a multi-year total, not this year's
                    c = _commitment(report, m, (s0, s1), part, lex.unit_pattern, _best_before(words[1], m.end("verb")))
                    if c is not None:
                        taken_starts.insert(k, m.start())
                        taken_ends.insert(k, m.end())
                        out.append(c)
    out.sort(key=lambda c: c.span[0])
    return out


def _sentence_words(text: str, s0: int, s1: int, period_words: Iterable[str]) -> tuple[int, tuple[list[int], list[Best]]]:
    """Where the sentence's first multi-year word ends (past the sentence if none), and the running best of its
    commitment words."""
    period_end = min((i + len(w) for w in period_words if (i := text.find(w, s0, s1)) >= 0), default=s1 + 3)
    return period_end, _running_best(_strength_words(text, s0, s1))


@functools.lru_cache(maxsize=1)
def _strength_automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    words = list(rules().strength)
    return ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.Standard), words


def _strength_words(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(end, word) of every commitment word inside text[start:end], overlapping ones too, by end: one automaton
    pass instead of a search per word."""
    automaton, words = _strength_automaton()
    found = [(start + b, words[k]) for k, _, b in automaton.find_matches_as_indexes(text[start:end], overlapping=True)]
    found.sort()
    return found


Best = tuple[int, int, str | None]  # (level, -rank, word): max() picks the highest level, then the first listed


@functools.lru_cache(maxsize=1)
def _strength_rank() -> dict[str, int]:
    return {w: i for i, w in enumerate(rules().strength)}


def _running_best(found: list[tuple[int, str]]) -> tuple[list[int], list[Best]]:
    """For each occurrence by end, the strongest word among it and all earlier ones."""
    levels, rank = rules().strength, _strength_rank()
    ends, best = [], []
    current: Best = (0, 0, None)
    for end, w in found:
        if levels[w] > 0:
            current = max(current, (levels[w], -rank[w], w))
        ends.append(end)
        best.append(current)
    return ends, best


def _best_before(strong: tuple[list[int], list[Best]], pos: int) -> tuple[int, str | None]:
    """The strongest commitment word that ends at or before ``pos`` in the sentence, and its level."""
    ends, best = strong
    k = bisect.bisect_right(ends, pos)
    level, _, word = best[k - 1] if k else (0, 0, None)
    return level, word


def _commitment(report: Report, m: re.Match[str], sentence: tuple[int, int], part: str,
                lex_unit: str, strength_word: tuple[int, str | None]) -> Commitment | None:
    text = report.text
    written, unit, obj = m.group("num", "unit", "obj")
    value = parse_number(written)
    if value is None:
        return None
    if not written[0].isdigit() and not list(find_numbers(written)):
        return None  # a small Chinese numeral (三大, 两个): a slogan, not a figure
    if unit == "年" and YEAR_DIGITS.fullmatch(written):
        return None
    obj = obj.strip()
    if len(obj) < 2 or BAD_OBJECT.search(obj) or _compiled(lex_unit).fullmatch(obj):
        return None
    if unit in BARE_SCALES:
        return None  # a bare scale ("6000万农村人口", "百亿企业") counts something the pattern did not name
    post, pre = m.group("post", "pre")
    if m.re.groupindex["obj"] > m.re.groupindex["num"] and post in ("以上", "以下"):
        return None  # "实施500万元以上重点项目": a size threshold, not a quantity promised
    qualifier = QUALIFIER_AFTER.get(post or "", None)
    if qualifier is None:
        qualifier = QUALIFIER_BEFORE.get(pre or "", "none")
    strength, word = strength_word
    start, end = m.span()
    return Commitment(
        action=m.group("verb"), object=obj, value=as_written(value), unit=unit, number_text=written,
        qualifier=qualifier, modifier=" ".join(w for w in (pre, post) if w) or None, strength=strength,
        strength_word=word, part=part, section=section_at(report, start), span=(start, end),
        text=text[start:end], sentence=sentence,
    )


YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
BARE_SCALES = frozenset(("万亿", "千亿", "百亿", "亿", "千万", "百万", "万", "千", "百"))
QUALIFIER_AFTER = {"以上": "at_least", "多": "at_least", "余": "at_least", "左右": "about", "以内": "at_most",
                   "以下": "at_most"}
QUALIFIER_BEFORE = {"超过": "at_least", "不低于": "at_least", "不少于": "at_least", "至少": "at_least",
                    "超": "at_least", "约": "about", "近": "about", "逾": "at_least"}


@functools.lru_cache(maxsize=4)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.lru_cache(maxsize=1)
def _livelihood_pattern() -> re.Pattern[str]:
    """The announcement of livelihood projects: it opens with a number, digits or Chinese (see fast_start)."""
    nouns = "|".join(re.escape(n) for n in rules().livelihood_nouns)
    return fast_start(rf"(?P<num>\d+|[一二两三四五六七八九十百]+)\s*(?:件|项|个|类)(?:[^\n，。；]{{0,8}}?)(?P<noun>{nouns})")


def livelihood(report: Report) -> Livelihood | None:
    """The announced number of livelihood projects ("筛选出25件民生实事", "十件民生实事") and listed items."""
    text = report.text
    pattern = _livelihood_pattern()
    plan_zones = [report.sections[i].span for i in _top(report, "plan")]
    attachments = [s.span for s in report.sections if s.kind == "livelihood"]
    best = None
    first = min((a for a, _ in plan_zones + attachments), default=None)  # nothing before it can count
    matches = pattern.finditer(text, _scan_start(text, first)) if first is not None else iter(())
    for m in matches:
        in_plan = any(a <= m.start() < b for a, b in plan_zones + attachments)
        if not in_plan:
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        best = (m, int(value))
        break
    section = next((s for s in report.sections if s.kind == "livelihood"), None)
    items = _items(report, section) if section is not None else []
    if best is None and not items:
        return None
    if best is None:
        return Livelihood(count=len(items), span=section.heading_span, text=section.title, items=items)
    m, count = best
    return Livelihood(count=count, span=(m.start(), m.end()), text=m.group(0), items=items or _listed_after(report, m))


def _scan_start(text: str, pos: int) -> int:
    """A line start at or before ``pos`` where the livelihood pattern may start scanning instead of at 0 (the
    review part before the plan was most of this step's time). Scanning from there finds what a scan of the whole
    text finds from there on, because no match can run over into that line: only the pattern's ``\\s*`` (between
    number and counter word) can hold a line break, and the line starts with neither a space nor a counter word."""
    while pos > 0:
        start = text.rfind("\n", 0, pos) + 1
        if start == 0:
            return 0
        if start < len(text) and not text[start].isspace() and text[start] not in "件项个类":
            return start
        pos = start - 1
    return 0


def _listed_after(report: Report, m: re.Match[str]) -> list[dict]:
    """Items listed right after the announcement: inline ("…十件民生实事。…一是…；二是…") or as the headings under
    a title line ("附件1 / 2025年省十件民生实事" followed by 一、… 十、)."""
    text = report.text
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    inline = [{"title": x.group(2).strip(), "span": (x.start(2), x.end(2))}
              for x in INLINE_ITEM.finditer(text, m.end(), line_end)]
    if len(inline) >= 2:
        return inline
    if line_end - text.rfind("\n", 0, m.start()) > 40:  # the announcement is not a title line of its own
        return []
    stop = text.find("附件", line_end)
    stop = len(text) if stop < 0 else stop
    first = next((s for s in report.sections if s.span[0] >= line_end), None)
    if first is None or first.span[0] - line_end > 3:
        return []
    return [{"title": s.title, "span": s.heading_span} for s in report.sections
            if s.level == first.level and line_end <= s.span[0] < stop]


def _items(report: Report, section: Section) -> list[dict]:
    index = report.sections.index(section)
    items = [{"title": s.title, "span": s.heading_span} for s in report.sections if s.parent == index]
    if items:
        return items
    body = report.text[section.span[0] : section.span[1]]
    return [{"title": m.group(1).strip(), "span": (section.span[0] + m.start(1), section.span[0] + m.end(1))}
            for m in re.finditer(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]([^①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮\n。；]+)", body)]
