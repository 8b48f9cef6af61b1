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

from govreport import divisions
from govreport.lexicon import load_lexicon
from govreport.model import GovreportError
from govreport.store import Store

VALUE_SQL = """
SELECT r.region, r.region_code, r.level, r.province, r.prefecture, {year} AS year, v.indicator, v.measure,
       '{kind}' AS kind, v.value, v.high, v.unit, v.qualifier, v.modifier, v.estimated, v.idx, r.report_id,
       v.text AS evidence
FROM {table} v JOIN reports r USING (report_id)
WHERE r.duplicate_of IS NULL AND v.value IS NOT NULL AND v.scope = 'year' AND v.indicator IS NOT NULL
"""
STATUS = ("met", "missed", "exceeded", "not_reported")


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
              kind: str | None = None, wide: bool = False) -> pd.DataFrame:
        """Targets and actuals, long (one row per value) or wide (one row per region-year)."""
        self._check_indicators(indicator)
        parts = []
        if kind in (None, "target"):
            parts.append(VALUE_SQL.format(year="r.plan_year", kind="target", table="targets"))
        if kind in (None, "actual"):
            parts.append(VALUE_SQL.format(year="r.review_year", kind="actual", table="actuals"))
        if not parts:
            raise GovreportError(str(kind), "kind must be target or actual")
        sql, params = " UNION ALL ".join(parts), []
        if indicator:  # read only the rows asked for (the filter below keeps its checks)
            sql, params = f"SELECT * FROM ({sql}) WHERE indicator IN (SELECT unnest(?))", [
                [indicator] if isinstance(indicator, str) else list(indicator)]
        df = self._df(sql, params)
        df = self._filter(df, indicator, measure, level, region, year_from, year_to)
        # one value per region, year, indicator, measure and kind: the first the report gives (its headline)
        df = df.sort_values(["region_code", "year", "indicator", "measure", "kind", "report_id", "idx"])
        df = df.drop_duplicates(["region_code", "year", "indicator", "measure", "kind"], keep="first")
        df = df.drop(columns=["idx"])
        df[["value_std", "unit_std"]] = df.apply(self._standard, axis=1, result_type="expand") if len(df) else None
        df = df.reset_index(drop=True)
        if not wide:
            return df
        if df.empty:
            return pd.DataFrame(columns=["region", "region_code", "level", "year"])
        df["column"] = df["indicator"] + "_" + df["measure"] + "_" + df["kind"]
        table = df.pivot_table(index=["region_code", "year"], columns="column", values="value_std", aggfunc="first")
        meta = df.drop_duplicates(["region_code", "year"])[["region", "region_code", "level", "province", "year"]]
        out = meta.merge(table.reset_index(), on=["region_code", "year"])
        return out.sort_values(["region_code", "year"]).reset_index(drop=True)

    def _standard(self, row: pd.Series) -> tuple[float | None, str | None]:
        """The value in the indicator's default unit (亿元 for money) so a column holds one unit."""
        if row["unit"] in self.lex.percent_units or row["unit"] is None:
            return row["value"], row["unit"]
        ind = self.lex.indicator(row["indicator"])
        scale, base = self.lex.scale_of(row["unit"])
        if ind is None or not ind.unit:
            return row["value"], row["unit"]
        want_scale, want_base = self.lex.scale_of(ind.unit)
        if base != want_base:
            return row["value"] * scale, base  # another base (美元 vs 元): keep it, in base units
        return round(row["value"] * scale / want_scale, 10), ind.unit

    def _check_indicators(self, indicator: str | list[str] | None) -> None:
        for code in [indicator] if isinstance(indicator, str) else (indicator or []):
            if code not in self.lex.indicators:
                raise GovreportError(code, f"unknown indicator (known: {', '.join(sorted(self.lex.indicators))})")

    def _filter(self, df: pd.DataFrame, indicator: Any, measure: str | None, level: str | None, region: Any,
                year_from: int | None, year_to: int | None) -> pd.DataFrame:
        if indicator:
            df = df[df["indicator"].isin([indicator] if isinstance(indicator, str) else list(indicator))]
        if measure:
            df = df[df["measure"] == measure]
        if level:
            df = df[df["level"] == level]
        if region:
            names = [region] if isinstance(region, str) else list(region)
            known = set(df["region"].dropna()) | set(df["region_code"].dropna())
            missing = [n for n in names if n not in known and not any(n in str(k) for k in known)]
            if missing and df.shape[0] and len(missing) == len(names):
                raise GovreportError(", ".join(missing), "no such region in the corpus")
            df = df[df["region"].isin(names) | df["region_code"].isin(names)]
        if year_from:
            df = df[df["year"] >= year_from]
        if year_to:
            df = df[df["year"] <= year_to]
        return df

    # --- track --------------------------------------------------------------------------------------------

    def track(self, indicator: str | list[str] | None = None, regions: list[str] | None = None,
              measure: str | None = None, tolerance: float = 0.5, level: str | None = None) -> pd.DataFrame:
        """Target for year Y beside the actual reported for Y, with status met | missed | exceeded | not_reported."""
        long = self.panel(indicator=indicator, measure=measure, level=level, region=regions or None)
        targets = long[long["kind"] == "target"]
        actuals = long[long["kind"] == "actual"][["region_code", "year", "indicator", "measure", "value_std",
                                                  "unit_std", "report_id", "evidence", "estimated"]]
        merged = targets.merge(actuals, on=["region_code", "year", "indicator", "measure"], how="left",
                               suffixes=("", "_actual"))
        rows = []
        for r in merged.itertuples(index=False):
            actual = None if pd.isna(r.value_std_actual) else float(r.value_std_actual)
            if actual is not None and r.unit_std_actual != r.unit_std:
                actual = None  # not comparable (different units)
            status, gap = status_of(r.measure, r.qualifier, float(r.value_std),
                                    None if pd.isna(r.high) else float(r.high) * (r.value_std / r.value),
                                    actual, tolerance)
            rows.append({
                "region": r.region, "region_code": r.region_code, "level": r.level, "year": int(r.year),
                "indicator": r.indicator, "measure": r.measure, "target": r.value_std,
                "target_high": None if pd.isna(r.high) else r.high * (r.value_std / r.value),
                "qualifier": r.qualifier, "unit": r.unit_std, "actual": actual,
                "estimated": None if actual is None else bool(r.estimated_actual), "gap": gap, "status": status,
                "met": None if status == "not_reported" else status in ("met", "exceeded"),
                "report_id": r.report_id, "actual_report_id": None if pd.isna(r.report_id_actual) else r.report_id_actual,
                "target_evidence": r.evidence, "actual_evidence": None if pd.isna(r.evidence_actual) else r.evidence_actual,
            })
        columns = ["region", "region_code", "level", "year", "indicator", "measure", "target", "target_high", "qualifier",
                   "unit", "actual", "estimated", "gap", "status", "met", "report_id", "actual_report_id",
                   "target_evidence", "actual_evidence"]
        return pd.DataFrame(rows, columns=columns)

    # --- escalation ---------------------------------------------------------------------------------------

    def escalation(self, indicator: str | list[str] | None = None, regions: list[str] | None = None,
                   measure: str | None = "growth", year: int | None = None) -> pd.DataFrame:
        """Each region's target beside its parent's target for the same year (层层加码), markup in points."""
        targets = self.panel(indicator=indicator, measure=measure, kind="target")
        if year:
            targets = targets[targets["year"] == year]
        index = {(r.region_code, r.year, r.indicator, r.measure): r for r in targets.itertuples(index=False)}
        rows = []
        for r in targets.itertuples(index=False):
            if regions and r.region not in regions and r.region_code not in regions:
                continue
            if r.level == "national":
                continue
            div = divisions.lookup(r.region_code, r.year)
            parent = divisions.parent(div, r.year) if div else None
            p = index.get((parent.code, r.year, r.indicator, r.measure)) if parent else None
            rows.append({
                "region": r.region, "region_code": r.region_code, "level": r.level, "year": int(r.year),
                "indicator": r.indicator, "measure": r.measure, "target": r.value_std, "qualifier": r.qualifier,
                "parent_region": parent.name if parent else None, "parent_code": parent.code if parent else None,
                "parent_level": parent.level if parent else None,
                "parent_target": p.value_std if p is not None else None,
                "parent_qualifier": p.qualifier if p is not None else None,
                "markup": round(r.value_std - p.value_std, 4) if p is not None and r.unit_std == p.unit_std else None,
                "report_id": r.report_id, "parent_report_id": p.report_id if p is not None else None,
            })
        columns = ["region", "region_code", "level", "year", "indicator", "measure", "target", "qualifier",
                   "parent_region", "parent_code", "parent_level", "parent_target", "parent_qualifier", "markup",
                   "report_id", "parent_report_id"]
        return pd.DataFrame(rows, columns=columns)

    def to_polars(self, df: pd.DataFrame) -> Any:
        """The same table as a polars DataFrame (needs `pip install polars`)."""
        try:
            import polars as pl
        except ImportError:
            raise GovreportError("polars", "not installed: pip install polars") from None
        return pl.from_pandas(df)


def status_of(measure: str, qualifier: str, target: float, high: float | None, actual: float | None,
              tolerance: float) -> tuple[str, float | None]:
    """Qualifier-aware verdict: "5%以上" is met by 5.0, "5%左右" within ±tolerance, "5%以内" by at most 5."""
    if actual is None:
        return "not_reported", None
    gap = round(actual - target, 4)
    if qualifier == "range" and high is not None:
        if actual > high:
            return "exceeded", round(actual - high, 4)
        return ("met", 0.0) if actual >= target else ("missed", gap)
    if qualifier == "at_most":
        return ("met" if actual <= target else "missed"), gap
    if qualifier == "about":
        if abs(gap) <= tolerance:
            return "met", gap
        return ("exceeded" if gap > 0 else "missed"), gap
    # at_least / none: reaching the figure meets it (a decline target is met by a decline at least as large)
    if gap < 0:
        return "missed", gap
    return ("exceeded" if gap > tolerance else "met"), gap
