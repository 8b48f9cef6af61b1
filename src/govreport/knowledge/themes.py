"""Theme dictionaries and the one automaton that finds their terms: shared by attention counts (analysis) and
the themes of a report's task headings (parse).

Dictionaries are package data (data/themes/*.toml: name, label, description, version, citation, terms) or a
user's own TOML / one-term-per-line text file. Terms are found as exact occurrences, leftmost-longest
(数字经济核心产业 is one match, not also 数字经济), independent of word segmentation.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick_rs

from govreport.model import GovreportError


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
def default_matcher() -> Matcher:
    return Matcher(builtin_dictionaries())


def themes_of(text: str, dicts: Iterable[Dictionary] | None = None) -> list[str]:
    """Themes present in a piece of text (a task heading), most occurrences first."""
    matcher = Matcher(dicts) if dicts is not None else default_matcher()
    hits: Counter[str] = Counter()
    for term, _s, _e in matcher.matches(text):
        for theme in matcher.themes_of[term]:
            hits[theme] += 1
    return [theme for theme, _ in hits.most_common()]
