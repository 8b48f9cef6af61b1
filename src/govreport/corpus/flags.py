"""Flags that need the rest of the corpus: values implausible beside the same region's other years or their peers.

- ``level_jump``: a level at least ``jump_ratio`` times (or at most 1/``jump_ratio`` of) the same region's value
  of the same indicator and kind the year before or after (the median, when that year has several): 亿 read
  for 万, a decimal point lost, a sub-total read as the total. Either neighbour may be the misread one, so the
  detail names the other year's figure.
- ``peer_outlier``: a target far from the targets its peers set for the same year (same indicator, measure,
  plan year and administrative level): robust z-score |x − median| / (1.4826 · MAD) above ``peer_z``, with the
  MAD floored at ``min_spread`` (peers often all say 5%; a 6% among them is no outlier). Levels are compared
  on log10 (a province's GDP is naturally 100× a county's, not 100 MAD away).
- ``implausible_range`` and any other flag set at parse time (parsing.plausibility) is listed too, so one call
  gives every flag of the corpus.

Values are compared after unit scaling (1.8万人 = 18000人) and only within one base unit (元 with 元, never
美元); copies of a report (``duplicate_of``) and five-year figures are left out. Thresholds are data:
[corpus] in data/plausibility.toml. Every step is one DuckDB query over the value tables.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from govreport.knowledge.lexicon import Lexicon, load_lexicon
from govreport.corpus.store import Store
from govreport.parsing.plausibility import load_settings

FlagRow = tuple[str, str, int, str, str]  # report_id, kind (target | actual), idx, flag, detail
COLUMNS = ("report_id", "kind", "idx", "flag", "detail")

VALUES_SQL = """
SELECT v.report_id, '{kind}' AS kind, v.idx, r.region_code, r.region, r.level, {year} AS year, v.indicator,
       v.measure, v.value, v.unit, v.value * u.scale AS x, u.base
FROM {table} v JOIN reports r USING (report_id) JOIN _flag_units u ON u.unit = v.unit
WHERE r.duplicate_of IS NULL AND v.value IS NOT NULL AND v.indicator IS NOT NULL AND v.scope = 'year'
  AND {year} IS NOT NULL
"""


def _values_sql() -> str:
    return " UNION ALL ".join(VALUES_SQL.format(kind=kind, table=table, year=year) for kind, table, year in (
        ("target", "targets", "r.plan_year"), ("actual", "actuals", "r.review_year")))


def _register_units(store: Store, lex: Lexicon) -> None:
    """The scale and base of every unit stored, as a relation the queries join (units are few)."""
    units = [r[0] for r in store.con.execute(
        "SELECT DISTINCT unit FROM targets WHERE unit IS NOT NULL UNION SELECT DISTINCT unit FROM actuals"
        " WHERE unit IS NOT NULL").fetchall()]
    scales = [lex.scale_of(u) for u in units]
    store.con.register("_flag_units", pa.table({"unit": pa.array(units, pa.string()),
                                                "scale": pa.array([s for s, _ in scales], pa.float64()),
                                                "base": pa.array([b for _, b in scales], pa.string())}))


def level_jumps(store: Store, ratio: float) -> list[FlagRow]:
    """Levels ``ratio``× or 1/``ratio`` of the same region's value (median, if several) a year before or after."""
    rows = store.con.execute(f"""
        WITH v AS ({_values_sql()}),
        lv AS (SELECT * FROM v WHERE measure = 'level' AND x > 0),
        yearly AS (SELECT region_code, kind, indicator, base, year, median(x) AS x, min(value) AS value,
                          min(unit) AS unit FROM lv GROUP BY ALL)
        SELECT lv.report_id, lv.kind, lv.idx, lv.value, lv.unit, y.year, y.value, y.unit, lv.x / y.x AS times
        FROM lv JOIN yearly y ON y.region_code = lv.region_code AND y.kind = lv.kind
             AND y.indicator = lv.indicator AND y.base = lv.base AND abs(y.year - lv.year) = 1
        WHERE lv.x / y.x >= ? OR lv.x / y.x <= 1.0 / ?
        ORDER BY lv.report_id, lv.kind, lv.idx, y.year
    """, [ratio, ratio]).fetchall()
    return [(rid, kind, idx, "level_jump",
             f"{value:g}{unit or ''} is {_times(times)} the {year} value {other:g}{other_unit or ''}")
            for rid, kind, idx, value, unit, year, other, other_unit, times in rows]


def _times(times: float) -> str:
    return f"{times:.3g}×" if times >= 1 else f"1/{1 / times:.3g}"


def peer_outliers(store: Store, z: float, min_peers: int, min_spread: float, min_spread_log: float) -> list[FlagRow]:
    """Targets whose robust z-score among their peers (indicator, measure, plan year, level) is above ``z``."""
    rows = store.con.execute(f"""
        WITH v AS ({_values_sql()}),
        t AS (SELECT *, CASE WHEN measure = 'level' THEN log10(x) ELSE x END AS y FROM v
              WHERE kind = 'target' AND level IS NOT NULL AND (measure <> 'level' OR x > 0)),
        s AS (SELECT indicator, measure, year, level, base, median(y) AS med, count(*) AS n FROM t GROUP BY ALL),
        m AS (SELECT t.indicator, t.measure, t.year, t.level, t.base, s.med, s.n, median(abs(t.y - s.med)) AS mad
              FROM t JOIN s USING (indicator, measure, year, level, base) GROUP BY ALL)
        SELECT t.report_id, t.kind, t.idx, t.value, t.unit, m.n, m.med, m.measure,
               abs(t.y - m.med) / greatest(1.4826 * m.mad,
                                           CASE WHEN t.measure = 'level' THEN ? ELSE ? END) AS score
        FROM t JOIN m USING (indicator, measure, year, level, base)
        WHERE m.n >= ? AND abs(t.y - m.med) / greatest(1.4826 * m.mad,
                                                       CASE WHEN t.measure = 'level' THEN ? ELSE ? END) > ?
        ORDER BY t.report_id, t.idx
    """, [min_spread_log, min_spread, min_peers, min_spread_log, min_spread, z]).fetchall()
    out = []
    for rid, kind, idx, value, unit, n, med, measure, score in rows:
        median = f"{10 ** med:.4g} (base unit)" if measure == "level" else f"{med:g}"
        out.append((rid, kind, idx, "peer_outlier",
                    f"{value:g}{unit or ''} is {score:.1f} robust SDs from the median {median} of {n} peer targets"))
    return out


def stored_flags(store: Store) -> list[FlagRow]:
    """The flags set at parse time, one row per flag code, with the value's evidence text as detail."""
    rows = store.con.execute("""
        SELECT report_id, kind, idx, unnest(string_split(flags, ',')) AS flag, text FROM (
          SELECT report_id, 'target' AS kind, idx, flags, text FROM targets WHERE flags <> ''
          UNION ALL SELECT report_id, 'actual', idx, flags, text FROM actuals WHERE flags <> '')
        ORDER BY report_id, kind, idx
    """).fetchall()
    return [(rid, kind, idx, flag, text) for rid, kind, idx, flag, text in rows]


def corpus_flags(store: Store, lex: Lexicon | None = None, settings: dict[str, Any] | None = None) -> list[FlagRow]:
    """Every flag of the corpus: parse-time flags, level jumps and peer outliers, sorted by value."""
    settings = settings or load_settings()
    _register_units(store, lex or load_lexicon())
    try:
        rows = stored_flags(store)
        rows += level_jumps(store, float(settings["jump_ratio"]))
        rows += peer_outliers(store, float(settings["peer_z"]), int(settings["min_peers"]),
                              float(settings["min_spread"]), float(settings["min_spread_log"]))
    finally:
        store.con.unregister("_flag_units")
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3]))
