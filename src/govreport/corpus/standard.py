"""One unit per (indicator, measure) in the research tables, and which direction is better.

A regression on a panel column is only meaningful when every cell is in the same unit: 1.2亿斤 and 600万吨 are
converted to 万吨, 5000人 to 万人; a value in a unit of another kind (亿元 where the standard is 亿美元, 个百分点
where it is %) cannot be converted and is left out of the standard column with a flag. The rules are data:
src/govreport/data/panel_units.toml.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from govreport.knowledge.lexicon import Lexicon

NOT_CONVERTIBLE = "not_convertible"  # unit_flag: the value's unit is of another kind than the standard unit
NO_UNIT = "no_unit"  # unit_flag: the value was written without a unit
POINTS = ("个百分点", "百分点")


@dataclass(frozen=True)
class UnitRules:
    version: str
    measure: dict[str, str]  # measure -> standard unit (level: the lexicon's unit)
    override: dict[tuple[str, str], str]  # (indicator, measure) -> standard unit
    convert: dict[str, tuple[str, float]]  # base unit -> (kind, size in the kind's first unit)
    lower_is_better: dict[str, tuple[str, ...]]  # indicator -> measures where smaller is better


@functools.cache
def rules() -> UnitRules:
    with resources.files("govreport.data").joinpath("panel_units.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return UnitRules(
        version=data["version"],
        measure=dict(data["measure"]),
        override={tuple(k.split(".", 1)): v for k, v in data["override"].items()},  # type: ignore[misc]
        convert={k: (v[0], float(v[1])) for k, v in data["convert"].items()},
        lower_is_better={k: tuple(v) for k, v in data["lower_is_better"].items()},
    )


def standard_unit(indicator: str | None, measure: str, lex: Lexicon) -> str | None:
    """The unit every value of this indicator and measure is given in."""
    r = rules()
    if indicator and (indicator, measure) in r.override:
        return r.override[(indicator, measure)]
    if measure in r.measure:
        return r.measure[measure]
    ind = lex.indicator(indicator)
    return ind.unit if ind else None


def split_unit(unit: str, lex: Lexicon) -> tuple[float, str | None]:
    """(multiplier, base): 亿斤 -> (1e8, 斤); unlike Lexicon.scale_of, 个百分点 stays points, not %."""
    if unit in POINTS:
        return 1.0, unit
    return lex.scale_of(unit)


def factor(unit: str | None, target: str | None, lex: Lexicon) -> float | None:
    """What a value in ``unit`` is multiplied by to be in ``target``; None when they measure different things.

    A bare scale (贫困人口减少1000万) takes the target's base: 1000万 of people is 1000万人."""
    if unit is None or target is None:
        return None
    if unit == target:
        return 1.0
    scale, base = split_unit(unit, lex)
    want_scale, want_base = split_unit(target, lex)
    base = base or want_base
    if base == want_base:
        return scale / want_scale
    have, want = rules().convert.get(base or ""), rules().convert.get(want_base or "")
    if have is None or want is None or have[0] != want[0]:
        return None
    return scale * have[1] / (want_scale * want[1])


def clean(x: float) -> float:
    """12 significant digits: no float noise (1.2亿斤 is exactly 6万吨, not 6.000000000000001)."""
    return float(f"{x:.12g}")


def convert(value: float, unit: str | None, target: str | None, lex: Lexicon) -> float | None:
    """``value`` written in ``unit`` expressed in ``target``, or None when the two measure different things."""
    f = factor(unit, target, lex)
    return None if f is None else clean(value * f)


def standard_of(indicator: str | None, measure: str, unit: str | None,
                lex: Lexicon) -> tuple[float | None, str | None, str | None]:
    """(factor, unit_std, unit_flag) for values of this indicator, measure and unit: a panel computes it once
    per distinct triple, not once per value."""
    target = standard_unit(indicator, measure, lex)
    if target is None:  # an indicator without a standard unit: keep the unit as written
        return 1.0, unit, None if unit else NO_UNIT
    if unit is None:
        return None, target, NO_UNIT
    f = factor(unit, target, lex)
    return f, target, NOT_CONVERTIBLE if f is None else None


def standardise(indicator: str | None, measure: str, value: float, high: float | None, unit: str | None,
                lex: Lexicon) -> tuple[float | None, float | None, str | None, str | None]:
    """(value_std, high_std, unit_std, unit_flag) for one value; the flag says why value_std is missing."""
    f, target, flag = standard_of(indicator, measure, unit, lex)
    if f is None:
        return None, None, target, flag
    return clean(value * f), None if high is None else clean(high * f), target, flag


def lower_is_better(indicator: str | None, measure: str) -> bool:
    """True when a smaller figure is the better outcome (CPI, unemployment, energy intensity growth)."""
    return measure in rules().lower_is_better.get(indicator or "", ())
