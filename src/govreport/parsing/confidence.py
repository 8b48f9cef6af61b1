"""Confidence of every target and actual: how likely the value is right, in [0, 1], from rule features.

A stage after extraction. It reads only the finished Value and its Report (never the extractor's internals),
so any extractor can be scored alike: where the indicator name stands relative to the number, what lies
between them, whether the indicator and unit are known, which section the value sits in, and what the report
says about itself (fragment, warnings). The score is a logistic model whose weights are data
(data/confidence.toml), fitted on the gold by bench/fit_confidence.py; docs/review.md explains each feature and
docs/evaluation.md shows the calibration.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources

from govreport.knowledge.lexicon import Lexicon
from govreport.model import Report, Value
from govreport.parsing.plausibility import IMPLAUSIBLE, flag_values

GAP_CAP = 40  # characters: a gap this long is as bad as any longer one (keeps the feature bounded)
NAME_WINDOW = 400  # characters before the evidence searched for its name: ten times GAP_CAP, beyond any real gap
COUNT_CAP = 3  # other numbers / names between name and number: more than three says nothing new
EXPECTED_SECTION = {"target": ("targets",), "actual": ("review",)}

# Every feature, in the order of the model's weights; docs/review.md says why each one matters.
FEATURES = (
    "gap_chars",  # characters between the name as written and the number, /10, capped at GAP_CAP
    "gap_not_filler",  # the gap holds a word other than the lexicon's filler/measure/qualifier words
    "gap_numbers",  # other numbers (not years) between name and number (a respective list: 分别增长4.8%、6%)
    "gap_names",  # other indicator names between name and number
    "name_missing",  # the name is not found before the number in the same sentence
    "unknown_indicator",  # the name is not in the lexicon (indicator None)
    "unit_mismatch",  # the unit is not the lexicon's for this indicator and measure
    "outside_section",  # a target outside the targets paragraph / an actual outside the review
    "qualifier",  # 左右, 以上, 不低于 ... stated
    "partial_report",  # the report is a fragment, abridged or cut off
    "warnings",  # log(1 + the report's warnings)
    "five_year",  # a five-year average or total, not one year's figure
    "estimated",  # an actual given as 预计 (an estimate before the year's statistics)
    "actual",  # the value is an actual (headline figures are looser than the targets list)
    "no_number",  # a target stated without a number (与经济增长同步)
    "not_first",  # an earlier value of the same list has the same indicator and measure (a repeat or a rival)
    "implausible",  # outside the range a real report can state (data/plausibility.toml)
)


@dataclass(frozen=True)
class Model:
    """A logistic score: sigmoid(intercept + sum of weight × feature)."""

    version: str
    intercept: float
    weights: dict[str, float]
    direction: dict[str, int]  # the documented sign of each weight (-1 lowers confidence, +1 raises, 0 either)

    def score(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(name, 0.0) * x for name, x in features.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@functools.cache
def load_model() -> Model:
    with resources.files("govreport.data").joinpath("confidence.toml").open("rb") as fh:
        data = tomllib.load(fh)
    weights = {name: float(w) for name, w in data["weights"].items()}
    unknown = (set(weights) | set(data["direction"])) - set(FEATURES)
    if unknown:
        raise ValueError(f"confidence.toml: unknown features {sorted(unknown)}")
    return Model(str(data["version"]), float(data["intercept"]), weights,
                 {name: int(d) for name, d in data["direction"].items()})


def _name_and_number(v: Value, report: Report, lex: Lexicon) -> tuple[int | None, int]:
    """Where the name as written ends (None: not found before the number in the sentence) and where the
    number starts, as offsets into report.text. The number is the first quantity after the name within the
    evidence span; the name is its last occurrence before that, from the sentence start on but at most
    NAME_WINDOW characters back (so a run-on sentence of a flattened text costs each value a bounded search)."""
    start, end = v.span
    floor = max(min(v.sentence[0], start) if v.sentence else start, start - NAME_WINDOW)
    text = report.text
    at = text.rfind(v.name, floor, end) if v.name else -1
    name_end = at + len(v.name) if at >= 0 else None
    search_from = max(start, name_end or start)
    number = next((m.start("num") for m in lex.quantity_pattern.finditer(text, search_from, end) if m.group("num")),
                  None)
    if number is None:  # no number in the span (a relation): measure to the span's end
        number = end
    if name_end is not None and name_end > number:
        name_end = None
    return name_end, number


def _expected_unit(v: Value, lex: Lexicon) -> str | None:
    """The base unit the lexicon expects for this value: % for growth/decline, the indicator's unit for a level
    (its level_unit for a rate indicator given as a level), the indicator's own unit for a rate."""
    ind = lex.indicator(v.indicator)
    if v.measure in ("growth", "decline"):
        return "%"
    if ind is None:
        return None
    unit = ind.level_unit if v.measure == "level" and ind.measure else ind.unit
    return lex.scale_of(unit)[1] if unit else None


def features(v: Value, report: Report, kind: str, lex: Lexicon, earlier: bool = False) -> dict[str, float]:
    """The rule features of one value (``kind``: target | actual), all bounded, by name (see FEATURES).
    ``earlier``: an earlier value of the same list has the same indicator and measure."""
    name_end, number = _name_and_number(v, report, lex)
    gap = report.text[name_end:number] if name_end is not None else ""
    numbers = sum(1 for m in lex.quantity_pattern.finditer(gap) if m.group("num") and gap[m.end("num"):][:1] != "年")
    names = len(lex.name_pattern.findall(gap))
    section = report.sections[v.section] if v.section is not None and v.section < len(report.sections) else None
    expected = _expected_unit(v, lex)
    unit = lex.scale_of(v.unit)[1]
    return {
        "gap_chars": min(len(gap) if name_end is not None else GAP_CAP, GAP_CAP) / 10,
        "gap_not_filler": float(bool(gap) and lex.filler_pattern.fullmatch(gap) is None),
        "gap_numbers": float(min(numbers, COUNT_CAP)),
        "gap_names": float(min(names, COUNT_CAP)),
        "name_missing": float(name_end is None),
        "unknown_indicator": float(v.indicator is None),
        "unit_mismatch": float(v.value is not None and expected is not None and unit != expected),
        "outside_section": float(section is None or section.kind not in EXPECTED_SECTION[kind]),
        "qualifier": float(v.qualifier != "none"),
        "partial_report": float(report.kind in ("fragment", "abridged") or report.truncated),
        "warnings": math.log1p(len(report.warnings)),
        "five_year": float(v.scope == "five_year"),
        "estimated": float(v.estimated),
        "actual": float(kind == "actual"),
        "no_number": float(v.value is None),
        "implausible": float(IMPLAUSIBLE in v.flags),
        "not_first": float(earlier),
    }


def value_features(report: Report, lex: Lexicon) -> list[tuple[str, Value, dict[str, float]]]:
    """(kind, value, features) for every target and actual of ``report``, in record order."""
    out = []
    for kind, values in (("target", report.targets), ("actual", report.actuals)):
        seen: set[tuple[str | None, str]] = set()
        for v in values:
            key = (v.indicator or v.name, v.measure)
            out.append((kind, v, features(v, report, kind, lex, key in seen)))
            seen.add(key)
    return out


def fill_confidence(report: Report, lex: Lexicon, model: Model | None = None) -> None:
    """Flag implausible values, then set every target's and actual's confidence (rounded to 3 places); the
    record names the weights that scored it (versions["confidence"])."""
    model = model or load_model()
    report.versions["confidence"] = model.version
    flag_values(report, lex)
    for _, v, feats in value_features(report, lex):
        v.confidence = round(model.score(feats), 3)
