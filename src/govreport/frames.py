"""Parsed reports as pandas DataFrames, straight from files: the entry point for notebook users, who expect a
table (as in cntext or pandas) rather than Report objects or a database."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from govreport.lexicon import load_lexicon
from govreport.model import GovreportError, Report
from govreport.pipeline import iter_parse
from govreport.standard import standardise
from govreport.store import report_id

TABLES = ("reports", "targets", "actuals")
REPORT_COLUMNS = ["report_id", "path", "part", "region", "region_code", "level", "province", "prefecture",
                  "meeting_date", "review_year", "plan_year", "title", "n_targets", "n_actuals", "n_warnings"]
VALUE_COLUMNS = ["report_id", "region", "region_code", "level", "year", "indicator", "name", "measure", "value", "high",
                 "unit", "qualifier", "modifier", "relation", "estimated", "scope", "value_std", "high_std", "unit_std",
                 "unit_flag", "evidence", "span_start", "span_end"]


def to_frame(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], table: str = "targets", *,
             lexicon: str | None = None, text_column: str | None = None) -> pd.DataFrame:
    """Parse files (folders are walked) into one table: ``reports``, ``targets`` or ``actuals``.

    Value tables carry the year they are about (plan year for targets, review year for actuals) and the value in
    the standard unit of its indicator and measure, as in `govreport panel`. A file that cannot be parsed is a
    one-line warning naming it; the rest go on (the messages are also in ``df.attrs["errors"]``)."""
    if table not in TABLES:
        raise GovreportError(str(table), f"unknown table; use one of {', '.join(TABLES)}")
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    lex = load_lexicon(lexicon)
    rows: list[list[Any]] = []
    errors: list[str] = []
    for item in iter_parse(items, lexicon=lexicon, text_column=text_column):
        if isinstance(item, GovreportError):
            errors.append(str(item))
            warnings.warn(str(item), stacklevel=3)
        elif table == "reports":
            rows.append(_report_row(item))
        else:
            rows += _value_rows(item, table, lex)
    df = pd.DataFrame(rows, columns=REPORT_COLUMNS if table == "reports" else VALUE_COLUMNS)
    df.attrs["errors"] = errors
    return df


def _report_row(r: Report) -> list[Any]:
    reg = r.region
    return [report_id(r), r.source.path, r.source.part, reg.name, reg.code, reg.level, reg.province, reg.prefecture,
            r.meeting_date, r.review_year, r.plan_year, r.title, len(r.targets), len(r.actuals), len(r.warnings)]


def _value_rows(r: Report, table: str, lex) -> list[list[Any]]:
    year = r.plan_year if table == "targets" else r.review_year
    rows = []
    for v in r.targets if table == "targets" else r.actuals:
        std = standardise(v.indicator, v.measure, v.value, v.high, v.unit, lex) if v.value is not None else (None,) * 4
        rows.append([report_id(r), r.region.name, r.region.code, r.region.level, year, v.indicator, v.name, v.measure,
                     v.value, v.high, v.unit, v.qualifier, v.modifier, v.relation, v.estimated, v.scope, *std, v.text,
                     v.span[0], v.span[1]])
    return rows
