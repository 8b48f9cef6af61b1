"""Plausibility flags at parse time: a value outside the range a real report can state gets a flag code.

The ranges are data (data/plausibility.toml), per indicator and measure, in the unit family's base unit with a
scale (so 1.8万人 and 18000人 are compared alike). A flagged value is kept as read: the flag tells a reviewer
where to look and lowers the value's confidence (parsing.confidence), it never changes the number.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from govreport.knowledge.lexicon import Lexicon
from govreport.model import Report, Value

IMPLAUSIBLE = "implausible_range"


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    unit: str  # the unit low/high are written in (%, 亿元, 万人 ...)


@functools.cache
def _data() -> dict[str, Any]:
    with resources.files("govreport.data").joinpath("plausibility.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_settings() -> dict[str, Any]:
    """The thresholds of the corpus-relative flags ([corpus]: jump_ratio, peer_z, ...; see corpus.flags)."""
    return dict(_data()["corpus"])


@functools.cache
def load_ranges() -> dict[tuple[str, str], Range]:
    """(indicator or '*', measure) -> the range a real report can state."""
    ranges = {}
    for entry in _data()["range"]:
        for code in entry["indicators"]:
            ranges[(code, entry["measure"])] = Range(float(entry["low"]), float(entry["high"]), entry["unit"])
    return ranges


def range_for(v: Value, ranges: dict[tuple[str, str], Range]) -> Range | None:
    """The indicator's own range, else the measure's default ('*'); levels have no default (units differ)."""
    return ranges.get((v.indicator or "*", v.measure)) or ranges.get(("*", v.measure))


def implausible(v: Value, lex: Lexicon, ranges: dict[tuple[str, str], Range]) -> str | None:
    """Why ``v`` is outside its plausible range (a short detail), or None when it is inside or cannot be judged
    (no number, no range, or a unit of another family than the range's)."""
    rng = range_for(v, ranges)
    if v.value is None or rng is None:
        return None
    scale, base = lex.scale_of(v.unit)
    range_scale, range_base = lex.scale_of(rng.unit)
    if base != range_base:
        return None
    for number in (v.value, v.high):
        if number is None:
            continue
        amount = number * scale / range_scale
        if not rng.low <= amount <= rng.high:
            return f"{number:g}{v.unit or ''} outside {rng.low:g}..{rng.high:g}{rng.unit}"
    return None


def flag_values(report: Report, lex: Lexicon) -> None:
    """Add ``implausible_range`` to the flags of every target and actual outside its range."""
    ranges = load_ranges()
    for v in report.targets + report.actuals:
        if implausible(v, lex, ranges) and IMPLAUSIBLE not in v.flags:
            v.flags.append(IMPLAUSIBLE)
