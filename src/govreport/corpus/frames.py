"""Parsed reports as pandas DataFrames, straight from files: the entry point for notebook users, who expect a
table (as in cntext or pandas) rather than Report objects or a database."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from govreport.knowledge.lexicon import load_lexicon
from govreport.model import GovreportError, Report
from govreport.parsing.pipeline import iter_parse
from govreport.corpus.standard import standardise
from govreport.model import report_id

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


def _texts(texts: str | pd.Series | Iterable[str]) -> pd.Series:
    """A plain string, a Series or any iterable of texts, as a Series (its index labels the output rows)."""
    if isinstance(texts, str):
        return pd.Series([texts])
    return texts if isinstance(texts, pd.Series) else pd.Series(list(texts))


def _report(text: str) -> Report:
    from govreport.model import Source

    return Report(source=Source(path="<text>"), text=text if isinstance(text, str) else "")


def attention(texts: str | pd.Series | Iterable[str], dicts: Iterable[str | os.PathLike[str]] = (),
              themes: Iterable[str] = ()) -> pd.DataFrame:
    """Theme counts of plain texts (a string, or a Series of texts as in a DataFrame column): one row per text,
    with the Series' index, and for each theme its count and occurrences per 10,000 non-space characters.
    Counting is the same as `govreport attention` (whole reports also get review/plan parts there)."""
    from govreport.analysis import attention as att
    from govreport.knowledge.themes import Matcher, dictionaries

    series = _texts(texts)
    matcher = Matcher(dictionaries(dicts, themes))
    rows = []
    for text in series:
        result = att.count(_report(text), matcher)
        chars = result["chars"]["all"]
        row: dict[str, Any] = {"chars": chars}
        for d in matcher.dicts:
            n = result["counts"].get((d.name, "all"), 0)
            row[d.name] = n
            row[f"{d.name}_per10k"] = round(n * 10000 / chars, 4) if chars else None
        rows.append(row)
    return pd.DataFrame(rows, index=series.index)


def kwic(texts: str | pd.Series | Iterable[str], term: str, width: int = 30) -> pd.DataFrame:
    """Every occurrence of ``term`` (or of any term of the theme it names) in plain texts, with ``width``
    characters of context: one row per hit; ``text`` is the Series index label of the text it is in."""
    from govreport.analysis import attention as att

    rows = []
    for label, text in _texts(texts).items():
        for hit in att.kwic(_report(text), term, width):
            rows.append({"text": label, "start": hit["start"], "end": hit["end"], "term": hit["term"],
                         "left": hit["left"], "keyword": hit["keyword"], "right": hit["right"]})
    return pd.DataFrame(rows, columns=["text", "start", "end", "term", "left", "keyword", "right"])
