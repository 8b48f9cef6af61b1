"""Policy attention: how much of a report is about a theme, counted reproducibly and split by section.

Dictionaries are package data (data/themes/*.toml: name, label, description, version, citation, terms) or a
user's own TOML / one-term-per-line text file. Terms are counted as exact occurrences with one Aho-Corasick
automaton over all dictionaries (leftmost-longest: 数字经济核心产业 is one match, not also 数字经济), independent
of word segmentation. Counts are split by the part of the report they fall in: ``review`` (last year's work,
problems), ``plan`` (this year's targets, tasks, self-building) and ``all``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick_rs

from govreport.model import GovreportError, Report

SECTION_GROUPS = {"review": "review", "problems": "review", "plan": "plan", "targets": "plan", "tasks": "plan",
                  "livelihood": "plan", "self_building": "plan"}
PARTS = ("all", "review", "plan")
NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Dictionary:
    name: str
    label: str
    description: str
    version: str
    citation: str
    terms: tuple[str, ...]


def _from_toml(data: dict[str, Any], origin: str) -> Dictionary:
    if not data.get("terms"):
        raise GovreportError(origin, "a theme dictionary needs a non-empty `terms` list")
    name = data.get("name") or Path(origin).stem
    return Dictionary(name, data.get("label", name), data.get("description", ""), str(data.get("version", "")),
                      data.get("citation", ""), tuple(dict.fromkeys(t.strip() for t in data["terms"] if t.strip())))


def load_dictionary(path: str | Path) -> Dictionary:
    """A user's dictionary: TOML with a `terms` list, or plain text with one term per line (# comments)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise GovreportError(str(path), f"cannot read dictionary ({exc.strerror or exc})") from None
    if p.suffix.lower() == ".toml":
        try:
            return _from_toml(tomllib.loads(raw.decode("utf-8")), str(path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise GovreportError(str(path), f"dictionary is not valid UTF-8 TOML ({exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    terms = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not terms:
        raise GovreportError(str(path), "dictionary has no terms")
    return Dictionary(p.stem, p.stem, f"user dictionary {p.name}", "user", str(path), tuple(dict.fromkeys(terms)))


@functools.lru_cache(maxsize=1)
def builtin_dictionaries() -> tuple[Dictionary, ...]:
    folder = resources.files("govreport.data").joinpath("themes")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            out.append(_from_toml(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name))
    return tuple(out)


def dictionaries(extra: Iterable[str | Path] = (), only: Iterable[str] = ()) -> tuple[Dictionary, ...]:
    """Built-in dictionaries plus the user's files; ``only`` keeps the named themes."""
    dicts = list(builtin_dictionaries()) + [load_dictionary(p) for p in extra]
    wanted = set(only)
    if wanted:
        unknown = wanted - {d.name for d in dicts}
        if unknown:
            raise GovreportError(", ".join(sorted(unknown)), f"unknown theme (known: {', '.join(d.name for d in dicts)})")
        dicts = [d for d in dicts if d.name in wanted]
    return tuple(dicts)


class Matcher:
    """One automaton over every term of the given dictionaries."""

    def __init__(self, dicts: Iterable[Dictionary], overlapping: bool = False):
        self.dicts = tuple(dicts)
        self.themes_of: dict[str, list[str]] = defaultdict(list)
        for d in self.dicts:
            for term in d.terms:
                self.themes_of[term].append(d.name)
        self.terms = sorted(self.themes_of)
        self.overlapping = overlapping
        kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
        self.automaton = ahocorasick_rs.AhoCorasick(self.terms, matchkind=kind)

    def matches(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(term, start, end) of every counted occurrence."""
        for idx, start, end in self.automaton.find_matches_as_indexes(text, overlapping=self.overlapping):
            yield self.terms[idx], start, end


@functools.lru_cache(maxsize=4)
def _default_matcher() -> Matcher:
    return Matcher(builtin_dictionaries())


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
    matcher = matcher or _default_matcher()
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
        from govreport.terms import tokens

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
    matcher = matcher or _default_matcher()
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
    matcher = matcher or _default_matcher()
    result = count(report, matcher)
    chars = result["chars"]["all"] or 1
    return {d.name: round(result["counts"].get((d.name, "all"), 0) * 10000 / chars, 4) for d in matcher.dicts}


def themes_of(text: str, dicts: Iterable[Dictionary] | None = None) -> list[str]:
    """Themes present in a piece of text (a task heading), most occurrences first."""
    matcher = Matcher(dicts) if dicts is not None else _default_matcher()
    hits: Counter[str] = Counter()
    for term, _s, _e in matcher.matches(text):
        for theme in matcher.themes_of[term]:
            hits[theme] += 1
    return [theme for theme, _ in hits.most_common()]


def kwic(report: Report, query: str, width: int = 30, matcher: Matcher | None = None) -> list[dict[str, Any]]:
    """Keyword in context for a term, or for every term of a theme when ``query`` names one."""
    matcher = matcher or _default_matcher()
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
