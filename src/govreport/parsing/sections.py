"""Stage 5, sections: the heading tree of a report and the kind of each section.

Headings are recognised by their numbering marker at the start of a line: 一、 (level 1), （一） (level 2),
1. / 1、 (level 3), 一是 (level 3), —— (level 4), ① (level 5). Two paragraphs that matter for research get a
section of their own although they carry no heading: the main-targets paragraph (kind ``targets``) and the
problems paragraph of the review (kind ``problems``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from govreport.knowledge.lexicon import fast_start
from govreport.model import Report, Section

CN_NUM = "一二三四五六七八九十"
HEADING = re.compile(
    r"^[ \t]*(?:"
    r"(?P<l1>(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3})(?:、|[．.](?!\d)))"
    r"|(?P<l2>[（(][一二三四五六七八九十]{1,3}[)）]、?)"
    r"|(?P<l3>(?<![\d.])\d{1,2}(?:[、．]|\.(?!\d))(?!\d))"
    r"|(?P<l3b>[一二三四五六七八九十]{1,3}是[，,：:、]?)"
    r"|(?P<l4>——(?!\s*\d{4}\s*年))"
    r"|(?P<l5>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
    r")",
    re.M,
)
LEVEL_OF = {"l1": 1, "l2": 2, "l3": 3, "l3b": 3, "l4": 4, "l5": 5}
TITLE_END = re.compile(r"[。！!；;？?]")
OPENING = re.compile(r"^[ \t]*各位代表[:：]?[ \t]*$|我代表[^\n。]{0,40}?向大会", re.M)

KIND_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("self_building", ("自身建设", "政府建设", "人民满意的政府", "人民满意政府", "服务型政府", "法治政府", "作风建设")),
    ("livelihood", ("民生实事", "民生项目", "惠民实事", "为民办实事")),
    ("problems", ("问题和不足", "困难和问题", "问题与不足", "存在的问题", "不足和问题")),
    ("review", ("回顾", "过去一年", "过去五年", "发展成就", "工作总结", "主要成绩", "成就")),
    (
        "plan",
        ("工作安排", "工作任务", "主要任务", "重点工作", "工作部署", "主要目标", "目标任务", "总体要求",
         "奋斗目标", "发展目标", "工作思路", "主要工作", "今年", "目标和任务"),
    ),
]
ATTACHMENT = re.compile(r"^[ \t]*(?:附件|附表|名词解释|注释|注：|附录)", re.M)
TARGETS_PARA = fast_start(  # scanned over the whole text
    r"(?:主要预期目标|主要目标|预期目标|主要指标|发展目标|主要经济指标)[^\n。]{0,10}?(?:是|为|确定为|如下)?\s*[:：]"
    r"|(?:主要预期目标|主要目标|预期目标)是"
    r"|(?:主要预期目标|主要目标|主要指标|主要经济指标)[^\n。]{0,10}?如下[。.]?[ \t]*$",
    re.M,
)
PROBLEMS_PARA = re.compile(
    r"^[^\n]{0,40}?(?:清醒|清楚|深刻)?(?:认识到|看到)[^\n]{0,60}?(?:困难|问题|不足|短板|挑战)"
    r"|^[^\n]{0,30}?(?:存在的|面临的)?(?:困难和问题|问题和不足|问题与不足|短板和不足)",
    re.M,
)
PROBLEMS_WORDS = re.compile("认识到|看到|困难和问题|问题和不足|问题与不足|短板和不足")  # a PROBLEMS_PARA line holds one
FIVE_YEAR = re.compile(r"十[一二三四五六七八九]五|[“\"][六七八九]五[”\"]|五年")  # “八五”时期: the plans before 2001
TARGETS_HEADING = re.compile(r"(?:主要预期目标|主要目标|预期目标|主要指标|主要经济指标)")


def find_sections(text: str) -> list[Section]:
    """The heading tree of a report's text (headings in the header block above the opening are ignored)."""
    body_start = _body_start(text)
    heads: list[tuple[int, int, int, str, str]] = []  # start, title_end, level, marker, title
    for m in HEADING.finditer(text, body_start):
        kind = m.lastgroup or "l1"
        level = LEVEL_OF[kind]
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        rest = text[m.end() : line_end]
        stop = TITLE_END.search(rest)
        title = rest[: stop.start()] if stop else rest
        title = title.strip()
        if not title or len(title) > 80 and level <= 2:
            title = title[:80]
        if not title:
            continue
        marker = m.group(kind).strip()
        heads.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end() + len(title), level, marker, title))
    ends = _section_ends(heads, len(text))
    sections: list[Section] = []
    stack: list[int] = []
    for i, (start, title_end, level, marker, title) in enumerate(heads):
        end = ends[i]
        while stack and sections[stack[-1]].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        sections.append(
            Section(title=title, level=level, kind="other", span=(start, end), heading_span=(start, title_end),
                    marker=marker, parent=parent)
        )
        stack.append(len(sections) - 1)
    return sections


def _section_ends(heads: list[tuple[int, int, int, str, str]], text_end: int) -> list[int]:
    """Each heading's section ends where the next heading of the same or a higher level starts: found in one
    pass from the end with a stack (not by rescanning the later headings for each one: issue 13)."""
    ends = [text_end] * len(heads)
    later: list[tuple[int, int]] = []  # (level, start) of headings after the current one, nearest last
    for i in range(len(heads) - 1, -1, -1):
        start, _, level, _, _ = heads[i]
        while later and later[-1][0] > level:
            later.pop()
        if later:
            ends[i] = later[-1][1]
        later.append((level, start))
    return ends


def _body_start(text: str) -> int:
    m = OPENING.search(text)
    if not m:
        return 0
    line_start = text.rfind("\n", 0, m.start()) + 1
    return line_start


# The paragraph that opens the plan part when the report gives it no heading of its own ("做好今年政府工作，…",
# "今年是…", "2024年是…之年" after a "2023年工作回顾" heading).
PLAN_OPENING = re.compile(
    r"^[ \t]*(?:做好今年|今年是|今年(?:全[市省县区州盟])?(?:经济社会)?(?:发展|工作)的?(?:总体要求|主要预期目标)"
    r"|(?P<year>(?:19|20)\d\d)年是[^\n。]{0,60}?(?:之年|一年))",
    re.M,
)


def classify(report: Report) -> None:
    """Give every section a kind and scope; add the targets and problems paragraphs as sections."""
    text = report.text
    _split_unheaded_plan(report)
    attachments = ATTACHMENT.search(text, _body_start(text))
    # before the first plan heading a top-level heading without a telling word reviews, after it it plans
    first_plan = next((s.span[0] for s in report.sections if s.parent is None and _kind_of(s.title) == "plan"), None)
    for sec in report.sections:
        own = _kind_of(sec.title)
        parent = report.sections[sec.parent] if sec.parent is not None else None
        if parent is None:
            after_plan = first_plan is not None and sec.span[0] > first_plan  # a top level without telling words
            sec.kind = own or ("other" if attachments and sec.span[0] > attachments.start()
                               else "tasks" if after_plan else "other")
        elif own in ("self_building", "livelihood") and parent.kind != "review":
            sec.kind = own
        elif parent.kind in ("plan", "tasks"):
            sec.kind = "tasks"
        else:
            sec.kind = parent.kind
        if FIVE_YEAR.search(sec.title) and not re.search(r"(?:19|20)\d\d年(?!以来)", sec.title):
            sec.scope = "five_year"
        elif parent is not None and parent.scope == "five_year":
            sec.scope = "five_year"
        if (sec.kind in ("plan", "tasks", "other") and sec.level > 1 and TARGETS_HEADING.search(sec.title[:40])
                and re.search(r"\d", text[sec.heading_span[1] : sec.span[1]])):
            sec.kind = "targets"  # a heading of its own: "（一）主要预期目标"
    _add_paragraph_sections(report)


def _split_unheaded_plan(report: Report) -> None:
    """A report whose only top-level parts are a review and closing parts has no plan heading: its plan part
    starts at the paragraph that opens it, inside the review. Cut the review there and give the plan part a
    top-level section of its own (its later subsections move under it)."""
    tops = [i for i, s in enumerate(report.sections) if s.parent is None]
    if any(_kind_of(report.sections[i].title) == "plan" for i in tops):
        return
    for i in tops:
        sec = report.sections[i]
        if _kind_of(sec.title) != "review":
            continue
        years = re.findall(r"(?:19|20)\d\d", sec.title)
        first_sub = next((s.span[0] for s in report.sections[i + 1 :] if s.parent == i), sec.span[1])
        for m in PLAN_OPENING.finditer(report.text, first_sub, sec.span[1]):
            if m.group("year") and not (years and int(m.group("year")) > max(int(y) for y in years)):
                continue
            _insert_top(report, i, m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
            return


def _insert_top(report: Report, host: int, pos: int) -> None:
    """Cut top-level section ``host`` at ``pos``; what follows becomes a new top-level plan section."""
    old = report.sections
    line_end = report.text.find("\n", pos)
    title = report.text[pos : line_end if line_end >= 0 else len(report.text)][:30]
    new = Section(title=title, level=1, kind="plan", span=(pos, old[host].span[1]), heading_span=(pos, pos))
    for sec in old:
        if sec.span[0] < pos < sec.span[1] and sec.span[0] >= old[host].span[0]:
            sec.span = (sec.span[0], pos)  # the host and its subsections that ran on into the plan part
    moved = [sec for sec in old if sec.parent is not None and sec.parent >= host and sec.level == 2
             and sec.span[0] >= pos]
    _merge(report, [new])
    index = next(k for k, sec in enumerate(report.sections) if sec is new)
    for sec in moved:
        sec.parent = index


def _kind_of(title: str) -> str | None:
    for kind, words in KIND_WORDS:
        if any(w in title for w in words):
            return kind
    if re.search(r"(?:19|20)\d\d年(?:的)?(?:工作|主要|重点|目标)", title) and "回顾" not in title:
        return "plan"
    return None


def _paragraph_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def section_at(report: Report, pos: int) -> int | None:
    """Index of the innermost section holding character ``pos`` (None before the first heading).

    Sections are sorted by start and nest, so the innermost one is the last section starting at or before
    ``pos``, or the first of its ancestors that still holds it: a binary search and a short walk up the tree,
    not a scan of every section for every value (issue 13)."""
    sections = report.sections
    i = bisect_right(_starts(sections), pos) - 1
    while i is not None and i >= 0:
        if pos < sections[i].span[1]:
            return i
        i = sections[i].parent
    return None


_STARTS: list = [None, None, []]  # (the sections list, its length, their starts): the last report's, reused


def _starts(sections: list[Section]) -> list[int]:
    if _STARTS[0] is not sections or _STARTS[1] != len(sections):
        _STARTS[:] = [sections, len(sections), [sec.span[0] for sec in sections]]
    return _STARTS[2]


def _list_end(report: Report, host: int | None, pos: int) -> int:
    """Where a list announced by a line ending in 如下 or a colon stops: at the next 一、/（一） heading (its items
    may be —— or 1. lines), else the end of its section."""
    nxt = next((s.span[0] for s in report.sections if s.span[0] > pos and s.level <= 2), len(report.text))
    return min(nxt, report.sections[host].span[1]) if host is not None else nxt


def _add_paragraph_sections(report: Report) -> None:
    text = report.text
    found: list[Section] = []
    for m in TARGETS_PARA.finditer(text):
        host = section_at(report, m.start())
        host_kind = report.sections[host].kind if host is not None else None
        if host_kind in ("review", "problems", "targets"):
            continue
        start, end = _paragraph_at(text, m.start())
        if not text[m.end() : end].strip():  # "主要指标安排如下。": the list is the lines that follow
            end = _list_end(report, host, end)
        if re.search(r"\d", text[m.end() : end]) is None:
            continue
        level = report.sections[host].level + 1 if host is not None else 1
        scope = "five_year" if host is not None and report.sections[host].scope == "five_year" else "year"
        found.append(Section(title=text[start : min(end, start + 30)].strip(), level=level, kind="targets",
                             span=(start, end), heading_span=(start, start), parent=host, scope=scope))
    found += _five_year_parts(report) + _year_parts(report)
    for m in _problem_lines(text):
        host = section_at(report, m.start())
        if host is None or report.sections[host].kind != "review":
            continue
        start, end = _paragraph_at(text, m.start())
        found.append(Section(title=text[start : min(end, start + 30)].strip(), level=report.sections[host].level + 1,
                             kind="problems", span=(start, end), heading_span=(start, start), parent=host))
        break
    _merge(report, found)


def _problem_lines(text: str) -> Iterator[re.Match[str]]:
    """PROBLEMS_PARA's matches (each a line's start), tried only on the lines holding one of its words: trying
    every line start of the text was a tenth of the parse."""
    line, seen, last = 0, 0, -1
    for hint in PROBLEMS_WORDS.finditer(text):
        line = text.rfind("\n", seen, hint.start()) + 1 or line  # the newline search never goes back over text
        seen = hint.start()
        if line != last:
            last = line
            m = PROBLEMS_PARA.match(text, line)
            if m:
                yield m


# A year's review that goes on to the five-year period ("2025年是“十四五”收官之年。五年来，…" and its —— bullets):
# that part runs to the next paragraph back on one year ("过去一年", "2025年，"), the next main subsection heading,
# or the end of the review.
FIVE_YEAR_PART = re.compile(r"^[^\n]{0,60}?(?:五年来|过去的?五年|这五年|近五年|“十[一二三四五六七八九]五”(?:时期|期间|以来))", re.M)
ONE_YEAR_PART = re.compile(r"^(?:——)?[ \t]*(?:各位代表[！!，,：:]?[ \t]*)?(?:刚刚过去的|过去的一年|过去一年|一年来|去年"
                           r"|(?:19|20)\d\d年[，,])", re.M)


def _five_year_parts(report: Report) -> list[Section]:
    """Five-year parts inside a review of the year, as review sections of five-year scope; the headed sections
    inside such a part take its scope. Sections are found by bisect and parts do not overlap: linear."""
    text, sections, out = report.text, report.sections, []
    starts = _starts(sections)
    headings = {s.heading_span[0] for s in sections if s.heading_span[1] > s.heading_span[0]}
    for m in FIVE_YEAR_PART.finditer(text):
        start, para_end = _paragraph_at(text, m.start())
        if (out and out[-1].span[1] > start) or start in headings:
            continue  # inside the part found before; a heading naming the period is not the part itself
        host = section_at(report, m.start())
        top = host
        while top is not None and sections[top].parent is not None:
            top = sections[top].parent
        if host is None or top is None or sections[top].kind != "review" or sections[host].scope != "year":
            continue
        back = ONE_YEAR_PART.search(text, para_end, sections[top].span[1])
        end = back.start() if back else sections[top].span[1]
        # a main subsection heading after it starts the next part ("（一）经济发展取得新成就" on the year)
        end = _heading_before(sections, para_end, end, max(sections[host].level + 1, 2))
        for k in range(bisect_left(starts, start), bisect_left(starts, end)):
            sections[k].scope = "five_year"
        level = sections[host].level + 1
        out.append(Section(title=text[start : min(para_end, start + 30)].strip(), level=level, kind="review",
                           span=(start, min(end, sections[host].span[1])), heading_span=(start, start),
                           parent=host, scope="five_year"))
        if back is not None and back.start() == end:  # the year again, though inside the last bullet's span
            k = bisect_right(starts, end)
            stop = min(sections[host].span[1], starts[k] if k < len(starts) else len(text))
            out.append(Section(title=text[end : min(stop, end + 30)].strip(), level=level, kind="review",
                               span=(end, stop), heading_span=(end, end), parent=host, scope="year"))
    return out


def _heading_before(sections: list[Section], start: int, end: int, level: int) -> int:
    """Where the first section of ``level`` or higher that starts in [start, end) starts; else ``end``."""
    starts = _starts(sections)
    inside = range(bisect_left(starts, start), bisect_left(starts, end))
    return next((sections[k].span[0] for k in inside if sections[k].level <= level), end)


def _year_parts(report: Report) -> list[Section]:
    """The other way round: a five-year review that opens on the year ("一、过去五年工作回顾" then "刚刚过去的2022年，…
    全年GDP达到3257.4亿元"): from that paragraph to the next one on the period ("回首过去五年") or the next main
    subsection heading, the year's own review."""
    text, sections, out = report.text, report.sections, []
    for i, top in enumerate(sections):
        if top.parent is not None or top.kind != "review" or top.scope != "five_year":
            continue
        m = ONE_YEAR_PART.search(text, top.heading_span[1], top.span[1])
        if m is None or text.rfind("\n", 0, m.start()) + 1 != m.start():
            continue
        period = FIVE_YEAR_PART.search(text, m.end(), top.span[1])
        end = _heading_before(sections, m.start(), period.start() if period else top.span[1], top.level + 1)
        out.append(Section(title=text[m.start() : min(end, m.start() + 30)].strip(), level=top.level + 1,
                           kind="review", span=(m.start(), end), heading_span=(m.start(), m.start()), parent=i,
                           scope="year"))
    return out


def _merge(report: Report, extra: list[Section]) -> None:
    """Add sections (whose ``parent`` indexes the current outline) to the outline in document order, keeping
    every parent link."""
    old = report.sections
    merged = sorted(old + extra, key=lambda s: (s.span[0], s.level))
    new_index = {id(s): i for i, s in enumerate(merged)}
    for s in merged:
        if s.parent is not None:
            s.parent = new_index[id(old[s.parent])]
    report.sections = merged
