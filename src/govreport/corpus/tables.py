"""The research tables over the corpus database, as pandas DataFrames.

- ``panel``: every target and actual as a long table (region, year, indicator, measure, kind …) or wide (one
  row per region-year, one column per indicator-measure-kind such as ``gdp_growth_target``).
- ``track``: the target a region set for year Y (report planning Y) beside the figure it reported for Y
  (report reviewing Y), matched by division code, with a qualifier-aware status.
- ``escalation``: a region's target beside its parent's (层层加码), with the markup in percentage points.

Copies of one report from several sources are linked in the store and counted once here.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from govreport.knowledge import divisions
from govreport.knowledge.lexicon import load_lexicon
from govreport.model import GovreportError
from govreport.corpus.review import VERIFIED, reviewed_sql
from govreport.corpus.standard import NOT_CONVERTIBLE, clean, lower_is_better, standard_of
from govreport.corpus.store import Store, split_list

VALUE_SQL = """
SELECT r.region, r.region_code, r.level, r.province, r.prefecture, {year} AS year, v.indicator, v.measure,
       '{kind}' AS kind, v.value, v.high, v.unit, v.qualifier, v.modifier, v.estimated, v.idx, r.report_id,
       v.text AS evidence, v.review_status
FROM {table} v JOIN reports r USING (report_id)
WHERE r.duplicate_of IS NULL AND v.value IS NOT NULL AND v.scope = 'year' AND v.indicator IS NOT NULL
"""
STATUS = ("met", "missed", "exceeded", "not_reported")
WIDE_INDEX = ["region", "region_code", "level", "province", "year"]


def widen(long: pd.DataFrame) -> pd.DataFrame:
    """One row per region-year; for each indicator_measure_kind the standard value and, beside it, what a
    bare number would lose: ``_high`` (top of a range target), ``_qual`` (the target's qualifier), ``_est``
    (the actual is a 预计 estimate), ``_other`` (a value whose unit cannot be converted, as written) and
    ``_review`` (how a reviewed value was checked; only for columns with a reviewed value)."""
    if long.empty:
        return pd.DataFrame(columns=WIDE_INDEX)
    df = long.assign(column=long["indicator"] + "_" + long["measure"] + "_" + long["kind"])
    df["other"] = [f"{v:g}{u or ''}" if f == NOT_CONVERTIBLE else None
                   for v, u, f in zip(df["value"], df["unit"], df["unit_flag"])]
    df["qual"] = df["qualifier"].where(df["kind"] == "target")
    df["est"] = df["estimated"].astype("boolean").where(df["kind"] == "actual")
    df["review"] = df["review_status"].where(df["review_status"] != "machine")
    keys = ["region_code", "year"]
    cells = df.set_index([*keys, "column"])
    targets = sorted(c for c in df["column"].unique() if c.endswith("_target"))
    actuals = sorted(c for c in df["column"].unique() if not c.endswith("_target"))
    other = cells["other"].unstack("column")
    review = cells["review"].unstack("column")
    parts = [cells["value_std"].unstack("column").astype("float64"),
             cells["high_std"].unstack("column")[targets].astype("float64").add_suffix("_high"),
             cells["qual"].unstack("column")[targets].add_suffix("_qual"),
             cells["est"].unstack("column")[actuals].astype("boolean").add_suffix("_est"),
             other.loc[:, other.notna().any()].add_suffix("_other"),  # only where a value was left out
             review.loc[:, review.notna().any()].add_suffix("_review")]  # only where a value was reviewed
    table = pd.concat(parts, axis=1)
    columns = [name for col in sorted(targets + actuals) for name in
               (col, f"{col}_high", f"{col}_qual", f"{col}_est", f"{col}_other", f"{col}_review")
               if name in table.columns]
    meta = df.drop_duplicates(keys)[WIDE_INDEX].set_index(keys)
    out = pd.concat([meta, table[columns]], axis=1).reset_index()
    return out[WIDE_INDEX + columns].sort_values(["region_code", "year"]).reset_index(drop=True)


class Corpus:
    """The corpus database at ``path`` (default ./govreport.duckdb or $GOVREPORT_DB), read-only."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, store: Store | None = None):
        # ``store``: an open Store to share (DuckDB refuses a second connection to one file with other settings)
        self.store = store if store is not None else Store(path, read_only=True)
        self.lex = load_lexicon()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.store.con.execute(sql, params or []).df()

    # --- reports ------------------------------------------------------------------------------------------

    def reports(self, **filters: Any) -> pd.DataFrame:
        """One row per stored report (no text): metadata, counts, provenance."""
        where, params = self.store._where(**filters)
        return self._df(
            "SELECT report_id, region, region_code, level, province, prefecture, meeting_date, review_year, plan_year,"
            " title, kind, truncated, speaker, speaker_title, congress, n_targets, n_actuals, n_warnings, duplicate_of,"
            f" path, part, row_number, sha256, parser_version, lexicon_version, divisions_vintage FROM reports{where}"
            " ORDER BY region_code, plan_year, report_id",
            params,
        )

    # --- panel --------------------------------------------------------------------------------------------

    def panel(self, indicator: str | list[str] | None = None, measure: str | None = None, level: str | None = None,
              region: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
              kind: str | None = None, wide: bool = False, verified_only: bool = False) -> pd.DataFrame:
        """Targets and actuals, long (one row per value) or wide (one row per region-year), with the review
        overlay applied (``review_status``; rejected values left out; ``verified_only``: checked values only).

        ``indicator``: codes (any case), Chinese names from the lexicon, comma lists; ``region``: names (full or
        short) or codes, comma lists; ``year_from``/``year_to``: the year a value is about (plan year for targets,
        review year for actuals)."""
        indicator = self.indicators(indicator)
        region = self.store.resolve_regions(region) if region else None
        parts = []
        if kind in (None, "target"):
            parts.append(VALUE_SQL.format(year="r.plan_year", kind="target",
                                          table=reviewed_sql("targets", "target")))
        if kind in (None, "actual"):
            parts.append(VALUE_SQL.format(year="r.review_year", kind="actual",
                                          table=reviewed_sql("actuals", "actual")))
        if not parts:
            raise GovreportError(str(kind), "kind must be target or actual")
        sql, params = " UNION ALL ".join(parts), []
        if indicator:  # read only the rows asked for (the filter below keeps its checks)
            sql, params = f"SELECT * FROM ({sql}) WHERE indicator IN (SELECT unnest(?))", [
                [indicator] if isinstance(indicator, str) else list(indicator)]
        if verified_only:
            sql = f"SELECT * FROM ({sql}) WHERE review_status IN (SELECT unnest(?))"
            params.append(list(VERIFIED))
        df = self._df(sql, params)
        df = self._filter(df, indicator, measure, level, region, year_from, year_to)
        # one value per region, year, indicator, measure and kind: the first the report gives (its headline)
        df = df.sort_values(["region_code", "year", "indicator", "measure", "kind", "report_id", "idx"])
        df = df.drop_duplicates(["region_code", "year", "indicator", "measure", "kind"], keep="first")
        df = df.drop(columns=["idx"])
        df = df.reset_index(drop=True)
        keys = list(zip(df["indicator"], df["measure"], df["unit"].astype(object).where(df["unit"].notna(), None)))
        rules = {k: standard_of(*k, self.lex) for k in set(keys)}  # once per indicator, measure and unit
        factors = pd.Series([rules[k][0] for k in keys], dtype="float64")
        df["value_std"] = (df["value"] * factors).map(clean, na_action="ignore")
        df["high_std"] = (df["high"] * factors).map(clean, na_action="ignore")
        df["unit_std"] = pd.Series([rules[k][1] for k in keys], dtype="object")
        df["unit_flag"] = pd.Series([rules[k][2] for k in keys], dtype="object")
        return widen(df) if wide else df

    def indicators(self, names: str | list[str] | None) -> list[str] | None:
        """Indicator codes for what a user typed: gdp, GDP, 地区生产总值, "gdp,cpi"; unknown is an error."""
        if not names:
            return None
        codes = []
        for name in split_list(names):
            code = name.lower() if name.lower() in self.lex.indicators else self.lex.name_to_code.get(name)
            code = code or next((c for c, ind in self.lex.indicators.items() if ind.label == name), None)
            if code is None:
                raise GovreportError(name, f"unknown indicator (known: {', '.join(sorted(self.lex.indicators))})")
            codes.append(code)
        return codes

    def _filter(self, df: pd.DataFrame, indicator: list[str] | None, measure: str | None, level: str | None,
                region: list[str] | None, year_from: int | None, year_to: int | None) -> pd.DataFrame:
        if indicator:
            df = df[df["indicator"].isin(indicator)]
        if measure:
            df = df[df["measure"] == measure]
        if level:
            df = df[df["level"] == level]
        if region:
            df = df[df["region_code"].isin(region)]
        if year_from:
            df = df[df["year"] >= year_from]
        if year_to:
            df = df[df["year"] <= year_to]
        return df

    # --- track --------------------------------------------------------------------------------------------

    def track(self, indicator: str | list[str] | None = None, region: str | list[str] | None = None,
              measure: str | None = None, tolerance: float = 0.5, level: str | None = None,
              regions: list[str] | None = None, verified_only: bool = False) -> pd.DataFrame:
        """Target for year Y beside the actual reported for Y, with status met | missed | exceeded | not_reported.
        ``regions`` is the old name of ``region``. ``verified_only``: checked targets and actuals only; a row whose
        actual exists but is unchecked is left out (it would read as not_reported)."""
        long = self.panel(indicator=indicator, measure=measure, level=level, region=region or regions or None,
                          verified_only=verified_only)
        # a value in another unit cannot be compared (see unit_flag); one without a year cannot be matched
        long = long[long["value_std"].notna() & long["year"].notna()]
        targets = long[long["kind"] == "target"]
        actuals = long[long["kind"] == "actual"][["region_code", "year", "indicator", "measure", "value_std",
                                                  "report_id", "evidence", "estimated", "review_status"]]
        if verified_only:  # drop targets whose actual is there but unchecked
            every = self.panel(indicator=indicator, measure=measure, level=level, region=region or regions or None,
                               kind="actual")
            targets = _without_unchecked(targets, actuals, every[every["value_std"].notna()])
        merged = targets.merge(actuals, on=["region_code", "year", "indicator", "measure"], how="left",
                               suffixes=("", "_actual"))
        rows = []
        for r in merged.itertuples(index=False):
            actual = None if pd.isna(r.value_std_actual) else float(r.value_std_actual)
            high = None if pd.isna(r.high_std) else float(r.high_std)
            lower = lower_is_better(r.indicator, r.measure)
            status, gap = status_of(r.measure, r.qualifier, float(r.value_std), high, actual, tolerance, lower=lower)
            rows.append({
                "region": r.region, "region_code": r.region_code, "level": r.level, "year": int(r.year),
                "indicator": r.indicator, "measure": r.measure, "target": r.value_std, "target_high": high,
                "qualifier": r.qualifier, "unit": r.unit_std, "better": "lower" if lower else "higher",
                "actual": actual, "estimated": None if actual is None else bool(r.estimated_actual), "gap": gap,
                "status": status, "met": None if status == "not_reported" else status in ("met", "exceeded"),
                "report_id": r.report_id, "actual_report_id": None if pd.isna(r.report_id_actual) else r.report_id_actual,
                "target_evidence": r.evidence, "actual_evidence": None if pd.isna(r.evidence_actual) else r.evidence_actual,
                "review_status": r.review_status,
                "actual_review_status": None if pd.isna(r.review_status_actual) else r.review_status_actual,
            })
        columns = ["region", "region_code", "level", "year", "indicator", "measure", "target", "target_high", "qualifier",
                   "unit", "better", "actual", "estimated", "gap", "status", "met", "report_id", "actual_report_id",
                   "target_evidence", "actual_evidence", "review_status", "actual_review_status"]
        return pd.DataFrame(rows, columns=columns)

    # --- escalation ---------------------------------------------------------------------------------------

    def escalation(self, indicator: str | list[str] | None = None, region: str | list[str] | None = None,
                   measure: str | None = "growth", year: int | None = None,
                   regions: list[str] | None = None, verified_only: bool = False) -> pd.DataFrame:
        """Each region's target beside its parent's target for the same plan ``year`` (层层加码), markup in
        points (region − parent: a stricter target is a positive markup when higher is better, a negative one
        when lower is better, see ``better``). ``regions`` is the old name of ``region``. ``verified_only``: checked
        targets only; a row whose parent target exists but is unchecked is left out."""
        targets = self.panel(indicator=indicator, measure=measure, kind="target", verified_only=verified_only)
        every = self.panel(indicator=indicator, measure=measure, kind="target") if verified_only else targets
        known = set(zip(every["region_code"], every["year"], every["indicator"], every["measure"]))
        targets = targets[targets["year"].notna()]  # a report whose plan year is unknown has no parent year
        wanted = set(self.store.resolve_regions(region or regions)) if (region or regions) else None
        if year:
            targets = targets[targets["year"] == year]
        index = {(r.region_code, r.year, r.indicator, r.measure): r for r in targets.itertuples(index=False)}
        rows = []
        for r in targets.itertuples(index=False):
            if wanted is not None and r.region_code not in wanted:
                continue
            if r.level == "national":
                continue
            div = divisions.lookup(r.region_code, r.year)
            parent = divisions.parent(div, r.year) if div else None
            p = index.get((parent.code, r.year, r.indicator, r.measure)) if parent else None
            if p is None and parent and (parent.code, r.year, r.indicator, r.measure) in known:
                continue  # the parent's target is there but unchecked (verified_only)
            rows.append({
                "region": r.region, "region_code": r.region_code, "level": r.level, "year": int(r.year),
                "indicator": r.indicator, "measure": r.measure, "target": r.value_std, "qualifier": r.qualifier,
                "better": "lower" if lower_is_better(r.indicator, r.measure) else "higher",
                "parent_region": parent.name if parent else None, "parent_code": parent.code if parent else None,
                "parent_level": parent.level if parent else None,
                "parent_target": p.value_std if p is not None else None,
                "parent_qualifier": p.qualifier if p is not None else None,
                "markup": round(r.value_std - p.value_std, 4) if p is not None and r.unit_std == p.unit_std else None,
                "report_id": r.report_id, "parent_report_id": p.report_id if p is not None else None,
                "review_status": r.review_status, "parent_review_status": p.review_status if p is not None else None,
            })
        columns = ["region", "region_code", "level", "year", "indicator", "measure", "target", "qualifier", "better",
                   "parent_region", "parent_code", "parent_level", "parent_target", "parent_qualifier", "markup",
                   "report_id", "parent_report_id", "review_status", "parent_review_status"]
        return pd.DataFrame(rows, columns=columns)

    def to_polars(self, df: pd.DataFrame) -> Any:
        """The same table as a polars DataFrame (needs `pip install polars`)."""
        try:
            import polars as pl
        except ImportError:
            raise GovreportError("polars", "not installed: pip install polars") from None
        return pl.from_pandas(df)


def _without_unchecked(targets: pd.DataFrame, checked: pd.DataFrame, every: pd.DataFrame) -> pd.DataFrame:
    """``targets`` less those whose actual is in ``every`` but not in ``checked`` (the verified actuals)."""
    keys = ["region_code", "year", "indicator", "measure"]
    unchecked = set(map(tuple, every[keys].itertuples(index=False))) - set(map(tuple, checked[keys].itertuples(index=False)))
    return targets[[k not in unchecked for k in targets[keys].itertuples(index=False, name=None)]]


def status_of(measure: str, qualifier: str, target: float, high: float | None, actual: float | None,
              tolerance: float, lower: bool = False) -> tuple[str, float | None]:
    """Qualifier- and direction-aware verdict; ``gap`` is always actual − target (for a range: beyond its ends).

    Higher is better (GDP growth, income): at_least/none are floors (met from the target up, exceeded beyond
    target + tolerance); about is met within ±tolerance, exceeded above, missed below; a range is met inside,
    exceeded above its top, missed below its bottom. at_most (以内, 控制在, 不超过) is a ceiling whatever the
    indicator. Lower is better (CPI, unemployment, ``lower``): every target is a ceiling — met at or below it
    (about: up to target + tolerance; range: up to its top), missed above; never "exceeded"."""
    if actual is None:
        return "not_reported", None
    gap = round(actual - target, 4)
    if lower or qualifier == "at_most":
        ceiling = target + tolerance if qualifier == "about" else (high if qualifier == "range" and high is not None
                                                                    else target)
        return ("met" if actual <= ceiling + 1e-9 else "missed"), gap
    if qualifier == "range" and high is not None:
        if actual > high:
            return "exceeded", round(actual - high, 4)
        return ("met", 0.0) if actual >= target else ("missed", gap)
    if qualifier == "about":
        if abs(gap) <= tolerance + 1e-9:
            return "met", gap
        return ("exceeded" if gap > 0 else "missed"), gap
    # at_least / none: reaching the figure meets it (a decline target is met by a decline at least as large)
    if gap < 0:
        return "missed", gap
    return ("exceeded" if gap > tolerance + 1e-9 else "met"), gap
