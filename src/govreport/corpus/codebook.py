"""What every column of the research tables means: the codebook users cite, and Stata variable labels."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

import pandas as pd

from govreport.knowledge.lexicon import load_lexicon
from govreport.model import MEASURES


@functools.lru_cache(maxsize=1)
def book() -> dict:
    """data/codebook.toml: column descriptions and the Stata rules (names, value labels, label words)."""
    with resources.files("govreport.data").joinpath("codebook.toml").open("rb") as fh:
        return tomllib.load(fh)


def columns() -> dict[str, str]:
    return dict(book()["columns"])


WIDE_SUFFIXES = ("high", "qual", "est", "other", "review")
KINDS = ("target", "actual")


def split_wide(column: str) -> tuple[str, str, str, str] | None:
    """A wide panel column as (indicator, measure, kind, suffix): budget_revenue_total_level_target_high ->
    (budget_revenue_total, level, target, high). The whole indicator code must match, so budget_revenue_total
    is never read as budget_revenue."""
    parts = str(column).split("_")
    suffix = parts.pop() if parts and parts[-1] in WIDE_SUFFIXES else ""
    if len(parts) < 3 or parts[-1] not in KINDS or parts[-2] not in MEASURES:
        return None
    code = "_".join(parts[:-2])
    return (code, parts[-2], parts[-1], suffix) if code in load_lexicon().indicators else None


def wide_label(column: str) -> str | None:
    """The variable label of a wide panel column: the lexicon's label, measure and kind, and the unit."""
    parsed = split_wide(column)
    if parsed is None:
        return None
    code, measure, kind, suffix = parsed
    from govreport.corpus import stata
    from govreport.corpus.standard import standard_unit

    lex = load_lexicon()
    words = stata.config()["words"]
    label = f"{lex.indicators[code].label} {words[measure]} {words[kind]}" + (f" {words[suffix]}" if suffix else "")
    unit = standard_unit(code, measure, lex)
    return label + (f" ({unit})" if unit and suffix in ("", "high") else "")


def labels_for(df: pd.DataFrame) -> dict[str, str]:
    """Variable labels for the columns of ``df`` (wide indicator columns are described from the lexicon)."""
    out = {}
    for col in df.columns:
        label = columns().get(col) or wide_label(col)
        if label:
            out[col] = label
    return out


def wide_columns() -> list[str]:
    """Every column a wide panel can have, in lexicon order."""
    names = []
    for code in load_lexicon().indicators:
        for measure in MEASURES:
            names += [f"{code}_{measure}_target", f"{code}_{measure}_target_high", f"{code}_{measure}_target_qual",
                      f"{code}_{measure}_target_other", f"{code}_{measure}_target_review", f"{code}_{measure}_actual",
                      f"{code}_{measure}_actual_est", f"{code}_{measure}_actual_other", f"{code}_{measure}_actual_review"]
    return names


def table() -> pd.DataFrame:
    """The codebook as a table: columns, indicator codes with their names and default units, and the Stata
    name of every column whose name is longer than Stata allows (CSV/Parquet keep the full name)."""
    from govreport.corpus import stata

    rows = [{"section": "column", "name": k, "description": v, "unit": ""} for k, v in columns().items()]
    lex = load_lexicon()
    for code, ind in lex.indicators.items():
        rows.append({"section": "indicator", "name": code, "description": f"{ind.label}: {'、'.join(ind.names)}",
                     "unit": ind.unit or ""})
    for name in wide_columns():
        short = stata.short_name(name)
        if short != name:
            rows.append({"section": "stata_name", "name": name, "description": short, "unit": ""})
    return pd.DataFrame(rows)
