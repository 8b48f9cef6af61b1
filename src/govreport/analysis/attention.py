"""Policy attention: how much of a report is about a theme, counted reproducibly and split by section.

Terms of the theme dictionaries (govreport.knowledge.themes) are counted as exact occurrences with one
Aho-Corasick automaton. Counts are split by the part of the report they fall in: ``review`` (last year's work,
problems), ``plan`` (this year's targets, tasks, self-building) and ``all``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from govreport.knowledge.themes import Matcher, default_matcher
from govreport.model import Report

SECTION_GROUPS = {"review": "review", "problems": "review", "plan": "plan", "targets": "plan", "tasks": "plan",
                  "livelihood": "plan", "self_building": "plan"}
PARTS = ("all", "review", "plan")
NON_SPACE = re.compile(r"\S")


def part_of(report: Report) -> list[tuple[int, int, str]]:
    """(start, end, part) ranges of the top-level sections: review or plan (the rest counts only in 'all')."""
    ranges = []
    for sec in report.sections:
        if sec.parent is None and sec.kind in SECTION_GROUPS:
            ranges.append((sec.span[0], sec.span[1], SECTION_GROUPS[sec.kind]))
    return ranges


def _part_at(ranges: list[tuple[int, int, str]], pos: int) -> str | None:
    for start, end, part in ranges:
        if start <= pos < end:
            return part
    return None


def count(report: Report, matcher: Matcher | None = None, per: str = "chars") -> dict[str, Any]:
    """Theme counts and text sizes of one report: {"counts": {(theme, part): n}, "chars": {part: n},
    "terms": {(theme, term): n}}. With ``per="tokens"`` the sizes are word tokens (rjieba, with the
    dictionary terms kept whole) instead of non-space characters."""
    matcher = matcher or default_matcher()
    text = report.text
    ranges = part_of(report)
    counts: Counter[tuple[str, str]] = Counter()
    terms: Counter[tuple[str, str]] = Counter()
    for term, start, _end in matcher.matches(text):
        part = _part_at(ranges, start)
        for theme in matcher.themes_of[term]:
            counts[(theme, "all")] += 1
            terms[(theme, term)] += 1
            if part:
                counts[(theme, part)] += 1
    if per == "tokens":
        from govreport.analysis.terms import tokens

        extra = tuple(matcher.terms)
        size = lambda piece: len(tokens(piece, extra))  # noqa: E731
    else:
        size = lambda piece: len(NON_SPACE.findall(piece))  # noqa: E731
    chars = {"all": size(text)}
    for part in ("review", "plan"):
        chars[part] = sum(size(text[s:e]) for s, e, p in ranges if p == part)
    return {"counts": counts, "chars": chars, "terms": terms}


def rows(report: Report, rid: str, matcher: Matcher | None = None, parts: Iterable[str] = PARTS,
         per: str = "chars") -> list[dict[str, Any]]:
    """The long attention table rows of one report (every theme, every part, zeros included); ``size`` is
    characters or tokens (``per``) and ``per10k`` occurrences per 10,000 of them."""
    matcher = matcher or default_matcher()
    result = count(report, matcher, per)
    out = []
    for d in matcher.dicts:
        for part in parts:
            n = result["counts"].get((d.name, part), 0)
            chars = result["chars"].get(part, 0)
            out.append({
                "report_id": rid, "region": report.region.name, "region_code": report.region.code,
                "level": report.region.level, "year": report.plan_year, "theme": d.name, "section": part,
                "count": n, "size": chars, "per": per, "per10k": round(n * 10000 / chars, 4) if chars else None,
            })
    return out


def theme_shares(report: Report, matcher: Matcher | None = None) -> dict[str, float]:
    """Occurrences per 10,000 characters of the whole report, by theme."""
    matcher = matcher or default_matcher()
    result = count(report, matcher)
    chars = result["chars"]["all"] or 1
    return {d.name: round(result["counts"].get((d.name, "all"), 0) * 10000 / chars, 4) for d in matcher.dicts}


def kwic(report: Report, query: str, width: int = 30, matcher: Matcher | None = None) -> list[dict[str, Any]]:
    """Keyword in context for a term, or for every term of a theme when ``query`` names one."""
    matcher = matcher or default_matcher()
    theme_names = {d.name for d in matcher.dicts}
    text = report.text
    if query in theme_names:
        hits = [(s, e, t) for t, s, e in matcher.matches(text) if query in matcher.themes_of[t]]
    else:
        hits, pos = [], text.find(query)
        while query and pos >= 0:
            hits.append((pos, pos + len(query), query))
            pos = text.find(query, pos + len(query))
    ranges = part_of(report)
    out = []
    for start, end, term in hits:
        out.append({
            "start": start, "end": end, "term": term, "section": _part_at(ranges, start) or "other",
            "left": text[max(0, start - width) : start].replace("\n", " "), "keyword": text[start:end],
            "right": text[end : end + width].replace("\n", " "),
        })
    return out
