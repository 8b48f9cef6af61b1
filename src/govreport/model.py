"""Plain dataclasses for a parsed report: the record every stage fills in and every later tool reads.

Spans are ``(start, end)`` character offsets (Python ``str`` indices, end exclusive) into
``Report.text``, the normalised text of that one report. ``Report.source_span`` maps any span back to
the characters of the decoded input file, through the offset map kept by normalisation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, fields, is_dataclass
from collections.abc import Sequence
from typing import Any

Span = tuple[int, int]

LEVELS = ("national", "province", "prefecture", "county_city", "county", "district")
KINDS = ("full", "abridged", "fragment", "draft")
SECTION_KINDS = ("review", "problems", "plan", "targets", "tasks", "livelihood", "self_building", "other")
MEASURES = ("growth", "decline", "level", "rate")
QUALIFIERS = ("about", "at_least", "at_most", "range", "none")


@dataclass
class Source:
    """Where a report came from: enough to find the exact bytes again."""

    path: str
    part: int = 1  # 1-based index of the report within its file
    parts: int = 1
    sha256: str = ""  # of the raw file
    format: str = "txt"  # txt | html | docx | pdf | csv | jsonl
    encoding: str | None = None
    row: int | None = None  # 1-based data row for csv/jsonl corpora
    meta: dict[str, Any] = field(default_factory=dict)  # other csv/jsonl columns, kept as given


@dataclass
class Region:
    name: str | None = None  # shortest official form: 四方台区, 上海市, 中国
    level: str | None = None  # one of LEVELS
    province: str | None = None
    prefecture: str | None = None  # prefecture-level parent of a county-level unit
    code: str | None = None  # 6-digit division code valid at the meeting date
    span: Span | None = None  # the mention the region was read from


@dataclass
class Congress:
    term: int | None = None  # 第十一届 -> 11
    session: int | None = None  # 第四次会议 -> 4
    text: str | None = None  # 第十一届人民代表大会第四次会议 (region prefix dropped)
    span: Span | None = None


@dataclass
class Speaker:
    name: str | None = None
    title: str | None = None  # 区长, 代市长, 省长, 国务院总理 ...
    span: Span | None = None


@dataclass
class Section:
    """One heading of the report's outline; ``parent`` indexes ``Report.sections``."""

    title: str
    level: int  # 1 = 一、, 2 = (一), 3 = 1., 4 = ——/一是
    kind: str  # one of SECTION_KINDS
    span: Span  # heading start .. end of the section's body
    heading_span: Span
    marker: str | None = None  # 一、 / (一) / 1. / —— as written
    parent: int | None = None
    scope: str = "year"  # year | five_year (a 十三五-style period review or plan)


@dataclass
class Value:
    """A grounded quantity: a target of the plan year or an actual of the review year."""

    indicator: str | None  # code from the lexicon, None if the name is not in it
    name: str  # the indicator as written
    measure: str  # growth | decline | level | rate
    value: float | None
    unit: str | None
    qualifier: str = "none"  # about | at_least | at_most | range | none
    high: float | None = None  # upper end of a range
    modifier: str | None = None  # raw word: 左右, 以上, 不低于, 力争, 确保, 以内 ...
    relation: str | None = None  # for targets without a number: 与经济增长同步 ...
    estimated: bool = False  # 预计 (actuals)
    span: Span = (0, 0)  # the evidence characters in Report.text
    text: str = ""  # exactly Report.text[span[0]:span[1]]
    sentence: Span | None = None  # the sentence or clause holding the evidence
    section: int | None = None  # index into Report.sections
    scope: str = "year"  # year | five_year (average over a five-year period) | part_year (前三季度: no full-year figure)
    confidence: float | None = None  # 0..1, how likely the value is right (parsing.confidence); None: not scored
    flags: list[str] = field(default_factory=list)  # plausibility codes: implausible_range, ... (docs/review.md)


@dataclass
class Task:
    """A numbered task heading of the plan (or an achievement heading of the review), in priority order."""

    rank: int  # 1-based order within its list
    heading: str
    part: str  # plan | review
    level: int  # heading level it was read from
    span: Span
    section: int | None = None
    themes: list[str] = field(default_factory=list)  # attention-dictionary themes of the heading and body


@dataclass
class Commitment:
    """A quantitative promise of the plan (part=plan) or a reported achievement of the review (part=review)."""

    action: str  # verb phrase: 新建, 开工新建改扩建, 完成 ...
    object: str  # what: 5G基站, 幼儿园, 燃气管道老化更新改造
    value: float | None
    unit: str | None
    number_text: str  # the number as written: 三十二, 1.2万, 7000
    qualifier: str = "none"
    modifier: str | None = None
    strength: int = 0  # commitment strength class from data (higher = more binding)
    strength_word: str | None = None  # 确保 / 力争 / 推进 ...
    part: str = "plan"
    section: int | None = None
    span: Span = (0, 0)
    text: str = ""
    sentence: Span | None = None


@dataclass
class Livelihood:
    """The livelihood-projects list (民生实事): announced count and, where listed, the items."""

    count: int | None
    span: Span | None
    text: str
    items: list[dict[str, Any]] = field(default_factory=list)  # {"title": str, "span": Span}


@dataclass
class Report:
    source: Source
    text: str = ""
    title: str | None = None
    kind: str = "full"
    truncated: bool = False  # the text stops mid-way (a cut-off compilation, a partial scrape)
    region: Region = field(default_factory=Region)
    meeting_date: str | None = None  # ISO date
    congress: Congress = field(default_factory=Congress)
    speaker: Speaker = field(default_factory=Speaker)
    review_year: int | None = None
    plan_year: int | None = None
    five_year: dict[str, Any] | None = None  # {"name": "十三五", "start": 2016, "end": 2020, "role": "review"|"plan"}
    sections: list[Section] = field(default_factory=list)
    targets: list[Value] = field(default_factory=list)
    actuals: list[Value] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    achievements: list[Commitment] = field(default_factory=list)
    livelihood: Livelihood | None = None
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)  # parser, lexicon, divisions
    offsets: Sequence[int] | None = field(default=None, repr=False)  # Report.text index -> input text index

    def source_span(self, span: Span) -> Span:
        """Map a span of ``text`` back to the decoded input text of the file."""
        if self.offsets is None:
            return span
        start, end = span
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.offsets[-1]
            return (pos, pos)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """Plain JSON-able data (the offset map stays out: it is large and only means something in memory)."""
        return {name: _plain(getattr(self, name)) for name in self._record_fields(include_text)}

    def to_json(self, include_text: bool = True) -> str:
        """``json.dumps(self.to_dict(include_text), ensure_ascii=False, default=str)``, 3× faster: the
        dataclasses inside are turned into dicts as the encoder meets them, not copied first."""
        top = {name: getattr(self, name) for name in self._record_fields(include_text)}
        return json.dumps(top, ensure_ascii=False, default=_json_default)

    def _record_fields(self, include_text: bool) -> tuple[str, ...]:
        names = _field_names(type(self))
        assert names is not None  # a Report is a dataclass
        return names[1] if include_text else names[2]


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """A dataclass's field names (all; all but the offset map; all but offsets and text), None for other types."""
    if not is_dataclass(cls):
        return None
    names = tuple(f.name for f in fields(cls))
    return (names, tuple(n for n in names if n != "offsets"), tuple(n for n in names if n not in ("offsets", "text")))


_ATOMS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Plain data, field by field (``dataclasses.asdict`` deep-copies every value: 5× slower per report)."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names[0]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _json_default(value: Any) -> Any:
    """What the JSON encoder cannot write itself: a dataclass as its fields, anything else as its text."""
    names = _field_names(type(value))
    return {name: getattr(value, name) for name in names[0]} if names is not None else str(value)


class GovreportError(Exception):
    """A user-facing problem with one input (bad file, not a report ...): reported in one line, never a traceback."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _span(value: Any) -> Span | None:
    return (int(value[0]), int(value[1])) if value is not None else None


def report_from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a Report from ``Report.to_dict()`` output (JSON lines, the corpus database)."""

    def value(d: dict[str, Any]) -> Value:
        d = dict(d)
        d["span"] = _span(d.get("span")) or (0, 0)
        d["sentence"] = _span(d.get("sentence"))
        d["flags"] = list(d.get("flags") or [])
        return Value(**d)

    def commitment(d: dict[str, Any]) -> Commitment:
        d = dict(d)
        d["span"] = _span(d.get("span")) or (0, 0)
        d["sentence"] = _span(d.get("sentence"))
        return Commitment(**d)

    sections = []
    for d in data.get("sections", []):
        d = dict(d)
        d["span"], d["heading_span"] = _span(d["span"]), _span(d["heading_span"])
        sections.append(Section(**d))
    livelihood = data.get("livelihood")
    if livelihood is not None:
        livelihood = Livelihood(**{**livelihood, "span": _span(livelihood.get("span"))})
    region = dict(data.get("region") or {})
    region["span"] = _span(region.get("span"))
    congress = dict(data.get("congress") or {})
    congress["span"] = _span(congress.get("span"))
    speaker = dict(data.get("speaker") or {})
    speaker["span"] = _span(speaker.get("span"))
    return Report(
        source=Source(**data["source"]),
        text=data.get("text", ""),
        title=data.get("title"),
        kind=data.get("kind", "full"),
        truncated=bool(data.get("truncated", False)),
        region=Region(**region),
        meeting_date=data.get("meeting_date"),
        congress=Congress(**congress),
        speaker=Speaker(**speaker),
        review_year=data.get("review_year"),
        plan_year=data.get("plan_year"),
        five_year=data.get("five_year"),
        sections=sections,
        targets=[value(v) for v in data.get("targets", [])],
        actuals=[value(v) for v in data.get("actuals", [])],
        tasks=[Task(**{**t, "span": _span(t["span"])}) for t in data.get("tasks", [])],
        commitments=[commitment(c) for c in data.get("commitments", [])],
        achievements=[commitment(c) for c in data.get("achievements", [])],
        livelihood=livelihood,
        warnings=list(data.get("warnings", [])),
        versions=dict(data.get("versions", {})),
    )


def report_id(report: Report) -> str:
    """Stable id: the file's sha256 prefix, the csv/jsonl row if any, and the part."""
    src = report.source
    row = f"r{src.row}-" if src.row else ""
    return f"{src.sha256[:12]}-{row}{src.part}"
