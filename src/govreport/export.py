"""Write a table where researchers need it: the format is chosen by the file's extension.

.csv is UTF-8 with a BOM (Excel then opens Chinese correctly), .xlsx, .parquet, .jsonl, and .dta for Stata 15+
(version 118: Unicode, Chinese variable labels, value labels for coded columns).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from govreport.model import GovreportError

FORMATS = (".csv", ".xlsx", ".parquet", ".jsonl", ".dta")
VALUE_LABELS = {
    "qualifier": {"none": "none", "about": "about (左右)", "at_least": "at least (以上)", "at_most": "at most (以内)",
                  "range": "range (X—Y)"},
    "status": {"met": "met", "missed": "missed", "exceeded": "exceeded", "not_reported": "not reported"},
    "measure": {"growth": "growth", "decline": "decline", "level": "level", "rate": "rate"},
    "kind": {"target": "target", "actual": "actual"},
}


def safe_name(name: str) -> str:
    """A valid Stata/R identifier: ASCII letters, digits, underscores, not starting with a digit, <= 32 chars."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", str(name)).strip("_") or "v"
    if out[0].isdigit():
        out = "v_" + out
    return out[:32]


def unique_names(columns) -> list[str]:
    """Safe, distinct identifiers for a list of column names (truncation can make two names equal)."""
    seen: set[str] = set()
    out = []
    for col in columns:
        name = safe_name(col)
        k = 2
        while name in seen:
            suffix = f"_{k}"
            name = safe_name(col)[: 32 - len(suffix)] + suffix
            k += 1
        seen.add(name)
        out.append(name)
    return out


def write_table(df: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None) -> Path:
    """Write ``df`` to ``path`` by extension; ``labels`` are variable labels (used by .dta)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in FORMATS:
        raise GovreportError(str(path), f"unknown output format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    if labels is None and suffix == ".dta":
        from govreport.codebook import labels_for

        labels = labels_for(df)
    df = df.set_axis(unique_names(df.columns), axis=1)
    try:
        if suffix == ".csv":
            df.to_csv(p, index=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            df.to_excel(p, index=False)
        elif suffix == ".parquet":
            df.to_parquet(p, index=False)
        elif suffix == ".jsonl":
            df.to_json(p, orient="records", lines=True, force_ascii=False)
        else:
            _write_stata(df, p, labels or {})
    except OSError as exc:
        raise GovreportError(str(path), f"cannot write ({exc.strerror or exc})") from None
    return p


def _write_stata(df: pd.DataFrame, path: Path, labels: dict[str, str]) -> None:
    out = df.copy()
    value_labels: dict[str, dict[int, str]] = {}
    for col, mapping in VALUE_LABELS.items():
        if col in out.columns and _is_text(out[col]):
            codes = {key: i for i, key in enumerate(mapping, 1)}
            out[col] = out[col].map(lambda v, c=codes: c.get(v) if v is not None else None).astype("Int64")
            value_labels[col] = {i: mapping[key] for key, i in codes.items()}
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(_stata_str).astype(object)
        elif str(out[col].dtype) == "boolean" or out[col].dtype == bool:
            out[col] = out[col].astype("Int8")
    renamed = dict(zip(labels, unique_names(labels)))
    variable_labels = {renamed[k]: str(v)[:80] for k, v in labels.items() if renamed[k] in out.columns}
    out.to_stata(path, write_index=False, version=118, variable_labels=variable_labels or None,
                 value_labels=value_labels or None)


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)


def _stata_str(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)
