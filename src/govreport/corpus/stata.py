"""Stata files a researcher can `xtset` at once: short unique names, labelled codes and booleans, a numeric
panel id, units in the variable labels and a dataset label. Only .dta gets short names; the rules (word
abbreviations, value labels) are data in src/govreport/data/codebook.toml."""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from govreport import __version__
from govreport.knowledge.lexicon import load_lexicon

MAX_NAME = 32  # Stata's limit on variable names
MAX_LABEL = 80  # Stata's limit on variable and dataset labels
BOOL_LABELS = {0: "no 否", 1: "yes 是"}


@functools.lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """The [stata] table of data/codebook.toml: name abbreviations, value labels and label words."""
    with resources.files("govreport.data").joinpath("codebook.toml").open("rb") as fh:
        return tomllib.load(fh)["stata"]


def identifier(name: str) -> str:
    """An ASCII identifier (letters, digits, underscores, not starting with a digit), any length."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", str(name)).strip("_") or "v"
    return "v_" + out if out[0].isdigit() else out


def short_name(name: str) -> str:
    """A readable Stata name of at most 32 characters: known words abbreviated one by one while the name is
    too long (target → tgt, registered → reg), then the longest words cut."""
    words = identifier(name).split("_")
    for word, abbr in config()["abbreviations"].items():
        if len("_".join(words)) <= MAX_NAME:
            break
        words = [abbr if w == word else w for w in words]
    while len("_".join(words)) > MAX_NAME:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        if len(words[longest]) <= 1:
            return "_".join(words)[:MAX_NAME]
        words[longest] = words[longest][:-1]
    return "_".join(words)


def short_names(columns: list[str]) -> list[str]:
    """Distinct short names for the columns of one file (a clash gets _2, _3 …)."""
    seen: set[str] = set()
    out = []
    for col in columns:
        base = short_name(col)
        name, k = base, 2
        while name.lower() in seen:
            name = f"{base[:MAX_NAME - len(str(k)) - 1]}_{k}"
            k += 1
        seen.add(name.lower())
        out.append(name)
    return out


def value_labels() -> dict[str, dict[str, str]]:
    """Coded text column -> {code: label}; indicators are labelled from the lexicon."""
    labels = {col: dict(m) for col, m in config()["value_labels"].items()}
    labels["indicator"] = {code: f"{code} {ind.label}" for code, ind in load_lexicon().indicators.items()}
    return labels


def _is_bool(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return True
    values = series.dropna()
    return bool(len(values)) and pd.api.types.is_object_dtype(series) and all(isinstance(v, bool) for v in values)


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)


def _stata_str(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def prepare(df: pd.DataFrame, labels: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict[int, str]]]:
    """The table as Stata wants it: (data with short names, variable labels, value labels)."""
    out = df.copy()
    coded = value_labels()
    if "region_code" in out.columns and "panel_id" not in out.columns:
        codes = out["region_code"]
        if codes.dropna().astype(str).str.fullmatch(r"\d{1,9}").all():
            out.insert(list(out.columns).index("region_code") + 1, "panel_id",
                       pd.to_numeric(codes, errors="coerce").astype("Int32"))
    vlabels: dict[str, dict[int, str]] = {}
    for col in out.columns:
        mapping = coded.get(col) or (coded["qualifier"] if str(col).endswith("_qual") else None)
        if _is_bool(out[col]):
            out[col] = out[col].map(lambda v: None if v is None or v is pd.NA or v != v else int(bool(v))).astype("Int8")
            vlabels[col] = dict(BOOL_LABELS)
        elif mapping and _is_text(out[col]):
            numbers = {key: i for i, key in enumerate(mapping, 1)}
            out[col] = out[col].map(lambda v, n=numbers: n.get(v)).astype("Int8" if len(numbers) < 100 else "Int16")
            vlabels[col] = {i: str(mapping[key])[:MAX_LABEL] for key, i in numbers.items()}
        elif _is_text(out[col]):
            out[col] = out[col].map(_stata_str).astype(object)
    names = dict(zip(out.columns, short_names([str(c) for c in out.columns])))
    variable = {names[c]: str(v)[:MAX_LABEL] for c, v in labels.items() if c in names}
    if "panel_id" in names:
        variable[names["panel_id"]] = "面板编号 panel id: region_code as a number (xtset panel_id year)"
    return out.rename(columns=names), variable, {names[c]: v for c, v in vlabels.items()}


def write(df: pd.DataFrame, path: Path, labels: dict[str, str], title: str | None = None) -> None:
    """Write a Stata 118 file (Unicode) with labels; ``title`` becomes the dataset label."""
    data, variable, vlabels = prepare(df, labels)
    data_label = title or f"govreport {__version__} table, lexicon {load_lexicon().version}"
    data.to_stata(path, write_index=False, version=118, variable_labels=variable or None,
                  value_labels=vlabels or None, data_label=data_label[:MAX_LABEL])
