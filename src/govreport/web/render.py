"""The report-highlighting renderer shared by the web app and ``govreport parse --format html``.

A user checks the machine's work by looking at what it highlighted, so the highlight must cover exactly the
span the record states: the text is cut at span boundaries and each piece is escaped on its own (reports are
untrusted input). Spans that cross each other are split into pieces that share a ``data-mark`` id, so the
pieces of one mark, joined in document order, are always ``Report.text[start:end]``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from govreport.model import Commitment, Report, Value

KIND_LABELS = {
    "target": "目标",
    "actual": "实际",
    "commitment": "承诺",
    "achievement": "成绩",
    "livelihood": "民生实事",
}
MEASURE_LABELS = {"growth": "增长", "decline": "下降", "level": "总量", "rate": "比率"}
REPORT_KIND_LABELS = {"full": "全文", "abstract": "摘要", "draft": "征求意见稿"}
SCOPE_LABELS = {"year": "年度", "five_year": "五年规划期"}
QUALIFIER_LABELS = {"about": "左右", "at_least": "以上（下限）", "at_most": "以内（上限）", "range": "区间", "none": ""}
REVIEW_LABELS = {"machine": "未审核", "accepted": "已接受", "corrected": "已更正", "added": "人工添加", "rejected": "已拒绝"}
LEVEL_LABELS = {
    "national": "全国",
    "province": "省级",
    "prefecture": "地级",
    "county_city": "县级市",
    "county": "县",
    "district": "区",
}


@dataclass(frozen=True)
class Mark:
    """One highlighted span: ``kind`` picks the colour, ``tip`` is the structured value as plain text."""

    id: str
    kind: str
    start: int
    end: int
    tip: str = ""
    tag: str = "mark"  # "span" for invisible anchors (section headings)


@dataclass(frozen=True)
class Row:
    """A row of the extracted-values table; ``mark`` is the id of its evidence in the text (None: no span)."""

    mark: str | None
    kind: str
    indicator: str
    written: str
    value: str
    qualifier: str
    section: str
    note: str


def _number(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}" if abs(x) < 1e15 else str(x)


def value_text(v: Value | Commitment) -> str:
    """The figure as a reader says it: ``7.5–8 %``, ``309 亿元``, or the relation for a target without a number."""
    if v.value is None:
        return getattr(v, "relation", None) or ""
    figure = _number(v.value)
    high = getattr(v, "high", None)  # commitments have no upper end
    if v.qualifier == "range" and high is not None:
        figure = f"{figure}–{_number(high)}"
    return f"{figure} {v.unit}" if v.unit else figure


def value_tip(kind: str, v: Value) -> str:
    """Tooltip of a target or actual: every structured field a reader needs to check the span."""
    lines = [f"{KIND_LABELS[kind]} · {v.indicator or '（未收录指标）'} · {v.name}"]
    lines.append(f"{MEASURE_LABELS.get(v.measure, v.measure)} {value_text(v)}".strip())
    if v.qualifier != "none":
        lines.append(f"限定：{QUALIFIER_LABELS.get(v.qualifier, v.qualifier)}")
    if v.modifier:
        lines.append(f"原文修饰：{v.modifier}")
    if v.relation and v.value is not None:
        lines.append(f"关系：{v.relation}")
    if v.estimated:
        lines.append("预计数")
    if v.scope != "year":
        lines.append(f"范围：{SCOPE_LABELS.get(v.scope, v.scope)}")
    return "\n".join(lines)


def commitment_tip(kind: str, c: Commitment) -> str:
    """Tooltip of a commitment or achievement."""
    lines = [f"{KIND_LABELS[kind]} · {c.action} {c.object}", f"{c.number_text} → {value_text(c)}".strip(" →")]
    if c.qualifier != "none":
        lines.append(f"限定：{QUALIFIER_LABELS.get(c.qualifier, c.qualifier)}")
    if c.strength_word or c.strength:
        lines.append(f"力度：{c.strength} {c.strength_word or ''}".rstrip())
    return "\n".join(lines)


def report_marks(report: Report) -> list[Mark]:
    """Every highlightable item of a record, with a stable id (``t3`` = targets[3], ``a0``, ``c2``, ``v1``,
    ``l`` / ``l2`` for the livelihood list, ``s5`` = sections[5] heading anchor)."""
    marks = [Mark(f"s{i}", "section", *s.heading_span, tag="span") for i, s in enumerate(report.sections)]
    for prefix, kind, items in (("t", "target", report.targets), ("a", "actual", report.actuals)):
        marks += [Mark(f"{prefix}{i}", kind, *v.span, value_tip(kind, v)) for i, v in enumerate(items)]
    for prefix, kind, items in (("c", "commitment", report.commitments), ("v", "achievement", report.achievements)):
        marks += [Mark(f"{prefix}{i}", kind, *c.span, commitment_tip(kind, c)) for i, c in enumerate(items)]
    lv = report.livelihood
    if lv is not None:
        if lv.span:
            marks.append(Mark("l", "livelihood", *lv.span, f"民生实事 · {lv.count if lv.count is not None else '?'} 件"))
        for i, item in enumerate(lv.items):
            if item.get("span"):
                marks.append(Mark(f"l{i}", "livelihood", *item["span"], f"民生实事 {i + 1} · {item.get('title', '')}"))
    return marks


def valid(mark: Mark, text: str) -> bool:
    """A span can be drawn only if it is a non-empty range inside the text."""
    return 0 <= mark.start < mark.end <= len(text)


def _escape(piece: str) -> str:
    # a raw CR would be turned into LF by the HTML parser; a character reference survives as itself
    return html.escape(piece, quote=False).replace("\r", "&#13;")


def _open(mark: Mark, first: bool) -> str:
    classes = f"hl hl-{mark.kind}" if mark.tag == "mark" else f"anchor anchor-{mark.kind}"
    attrs = [f'class="{classes}{"" if first else " cont"}"', f'data-mark="{mark.id}"']
    if first:
        attrs.insert(0, f'id="m-{mark.id}"')
    if mark.tip:
        attrs.append(f'data-tip="{html.escape(mark.tip, quote=True)}"')
    return f"<{mark.tag} {' '.join(attrs)}>"


def highlight(text: str, marks: Iterable[Mark]) -> str:
    """HTML of ``text`` with each mark wrapped in an element; nested spans nest, crossing spans are split.

    Marks with an invalid span are left out (the values table lists them as "no evidence span")."""
    todo = sorted((m for m in marks if valid(m, text)), key=lambda m: (m.start, -m.end, m.id))
    bounds = sorted({0, len(text), *(m.start for m in todo), *(m.end for m in todo)})
    out: list[str] = []
    stack: list[Mark] = []
    nxt = 0
    for pos, stop in zip(bounds, bounds[1:] + [None]):
        ending = [k for k, m in enumerate(stack) if m.end == pos]
        if ending:
            low = ending[0]
            out += [f"</{m.tag}>" for m in reversed(stack[low:])]
            reopen = [m for m in stack[low:] if m.end > pos]
            del stack[low:]
            for m in reopen:  # a crossing span continues as a new piece
                out.append(_open(m, first=False))
                stack.append(m)
        while nxt < len(todo) and todo[nxt].start == pos:
            out.append(_open(todo[nxt], first=True))
            stack.append(todo[nxt])
            nxt += 1
        if stop is not None:
            out.append(_escape(text[pos:stop]))
    out += [f"</{m.tag}>" for m in reversed(stack)]
    return "".join(out)


def value_rows(report: Report) -> list[Row]:
    """The extracted-values table, in reading order of the record (targets, actuals, commitments, achievements)."""
    def section(idx: int | None) -> str:
        return report.sections[idx].title if idx is not None and 0 <= idx < len(report.sections) else ""

    rows: list[Row] = []
    for prefix, kind, items in (("t", "target", report.targets), ("a", "actual", report.actuals)):
        for i, v in enumerate(items):
            ok = 0 <= v.span[0] < v.span[1] <= len(report.text)
            note = "；".join(x for x in (v.modifier, "预计" if v.estimated else None,
                                        SCOPE_LABELS.get(v.scope, v.scope) if v.scope != "year" else None) if x)
            rows.append(Row(f"{prefix}{i}" if ok else None, kind, v.indicator or "", v.name,
                            f"{MEASURE_LABELS.get(v.measure, v.measure)} {value_text(v)}".strip(),
                            QUALIFIER_LABELS.get(v.qualifier, v.qualifier), section(v.section), note))
    for prefix, kind, items in (("c", "commitment", report.commitments), ("v", "achievement", report.achievements)):
        for i, c in enumerate(items):
            ok = 0 <= c.span[0] < c.span[1] <= len(report.text)
            rows.append(Row(f"{prefix}{i}" if ok else None, kind, c.object, f"{c.action}{c.object}",
                            f"{c.number_text}" + (f"（{value_text(c)}）" if c.value is not None else ""),
                            QUALIFIER_LABELS.get(c.qualifier, c.qualifier), section(c.section), c.strength_word or ""))
    return rows


def outline(report: Report) -> list[dict[str, Any]]:
    """Section headings for the side outline, with their anchor id and depth."""
    return [
        {"anchor": f"m-s{i}", "title": s.title, "level": s.level, "kind": s.kind, "marker": s.marker or ""}
        for i, s in enumerate(report.sections)
        if 0 <= s.heading_span[0] < s.heading_span[1] <= len(report.text)
    ]


def found_mark(text: str, query: str, at: int | None) -> list[Mark]:
    """The search hit a link came from (``query`` at offset ``at``, else its first occurrence), as a mark."""
    query = query.strip()[:100]
    if not query:
        return []
    start = at if at is not None and text.startswith(query, max(at, 0)) and at >= 0 else text.find(query)
    return [Mark("q", "found", start, start + len(query), f"检索：{query}")] if start >= 0 else []


def report_context(report: Report, found: tuple[str, int | None] = ("", None), extra: Iterable[Mark] = ()
                   ) -> dict[str, Any]:
    """Everything the report templates need, computed once; ``found`` is a search term (and its offset) to
    mark and scroll to; ``extra``: more marks (values reviewers added)."""
    marks = report_marks(report) + found_mark(report.text, *found) + list(extra)
    missing = [m.id for m in marks if m.kind not in ("section", "added") and not valid(m, report.text)]
    counts = {k: sum(1 for m in marks if m.kind == k) for k in KIND_LABELS}
    return {
        "report": report,
        "body": Markup(highlight(report.text, marks)),
        "rows": value_rows(report),
        "outline": outline(report),
        "counts": counts,
        "missing": missing,
        "kinds": KIND_LABELS,
        "level_label": LEVEL_LABELS.get(report.region.level or "", report.region.level or ""),
    }


def basename(path: str) -> str:
    """The file name of a path of either OS: pages never show the directories of the machine that parsed it."""
    return re.split(r"[\\/]", path)[-1]


@cache
def environment() -> Environment:
    """The Jinja2 environment of the web package: autoescape on for every template."""
    env = Environment(loader=PackageLoader("govreport.web", "templates"), autoescape=select_autoescape(default=True))
    env.globals["kinds"] = KIND_LABELS
    env.globals["level_labels"] = LEVEL_LABELS
    env.globals["report_kinds"] = REPORT_KIND_LABELS
    env.globals["review_labels"] = REVIEW_LABELS
    env.filters["basename"] = basename
    return env


@cache
def static_text(name: str) -> str:
    """A file of web/static, for pages that must inline their assets."""
    return resources.files("govreport.web").joinpath("static", name).read_text(encoding="utf-8")


def report_page(report: Report) -> str:
    """One self-contained HTML page of a report (styles and script inlined, no external request): to share
    or archive the same highlighted view the web app shows."""
    return environment().get_template("standalone.html").render(
        css=Markup(static_text("app.css")), js=Markup(static_text("report.js")), **report_context(report)
    )
