"""What the web pages read from the corpus: small SQL queries over the ``govreport.corpus.store`` tables that read
only the columns a page shows, and ``govreport.corpus.tables`` (panels, escalation), ``govreport.corpus.export`` (csv/xlsx)
and ``govreport.analysis.attention`` for the rest, with what only changes when a report is added kept in memory.

Every call into those modules is made here and nowhere else in the web package, so the pages depend on one
small surface. Values leave this module as plain JSON-able dicts and lists.
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException

from govreport.knowledge.lexicon import load_lexicon
from govreport.model import LEVELS, GovreportError, Report, Source
from govreport.web.render import MEASURE_LABELS, QUALIFIER_LABELS

HAS_ATTENTION = importlib.util.find_spec("govreport.analysis.attention") is not None
TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CONTEXT = 30  # characters each side of a search hit
FIRST_INDICATOR = "gdp"  # the indicator the indicators page opens on
MEASURES = ("growth", "rate", "decline", "level")  # the default measure of a chart: the first present
DEFAULT_REGIONS = 5  # regions drawn when none is chosen: the ones with the most years
DEFAULT_ATTENTION = 3  # regions of the attention chart when none is chosen: the ones with the most reports


SORTS = {  # ?sort= value -> ORDER BY expression (a fixed list: nothing from the URL reaches SQL text)
    "year": "plan_year",
    "region": "region",
    "level": "level",
    "province": "province",
    "date": "meeting_date",
    "targets": "n_targets",
    "actuals": "n_actuals",
    "warnings": "n_warnings",
    "title": "title",
}
PER_PAGE = (10, 25, 50, 100, 200)
LIST_COLUMNS = ("report_id AS id, title, region, level, province, plan_year AS year, meeting_date, n_targets AS targets,"
                " n_actuals AS actuals, n_warnings AS warnings, path")
FACETS = {"level": "level", "province": "province", "year": "plan_year",
          "warnings": "CASE WHEN n_warnings > 0 THEN 'with' ELSE 'without' END"}
CACHE_SIZES = {  # entries kept per kind of cached value
    "matches": 64, "report": 64, "shares": 20_000, "term": 20_000, "panel": 256, "years": 64, "list": 512, "": 1024,
}
LIST_FIELDS = ("id", "title", "region", "level", "province", "year", "meeting_date", "targets", "actuals", "warnings",
               "path")
COVERAGE_REGIONS = 100
LEVEL_ORDER = "CASE level " + " ".join(f"WHEN '{lv}' THEN {i}" for i, lv in enumerate(LEVELS)) + " ELSE 99 END"
# a warning's kind: its message with figures, quoted strings and Chinese names replaced by placeholders
WARNING_KIND = ("regexp_replace(regexp_replace(message, '[0-9]+([.][0-9]+)?', 'N', 'g'),"
                " '''[^'']*''|\\p{Han}+', '…', 'g')")
FILTER_KEYS = ("region", "level", "province", "year", "warnings", "q", "sort", "page", "per", "wkind")


@dataclass(frozen=True)
class Filters:
    """The state of a report-list view (all of it in the URL), validated: a bad value is a 400, never reaches
    a query."""

    region: str = ""
    level: str = ""
    province: str = ""
    year: int | None = None
    warnings: str = ""  # "" | "with" | "without"
    q: str = ""  # full-text search term
    wkind: str = ""  # a kind of warning (as the coverage page groups them)
    sort: str = "year"
    desc: bool = True
    page: int = 1
    per: int = PER_PAGE[2]

    @classmethod
    def parse(cls, region: str = "", level: str = "", year: str = "", warnings: str = "", province: str = "",
              q: str = "", sort: str = "", page: str = "", per: str = "", wkind: str = "") -> Filters:
        """From query-string values; ``sort`` is a column name, ``-name`` for descending."""
        if level and level not in LEVELS:
            raise HTTPException(400, f"unknown level {level!r} (one of {', '.join(LEVELS)})")
        if warnings not in ("", "with", "without"):
            raise HTTPException(400, "warnings must be 'with' or 'without'")
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            raise HTTPException(400, f"bad year {year!r}")
        desc = sort.startswith("-") if sort else True
        key = sort.lstrip("-") or "year"
        if key not in SORTS:
            raise HTTPException(400, f"unknown sort {key!r} (one of {', '.join(SORTS)})")
        if page and not (page.isdigit() and 1 <= int(page) <= 1_000_000):
            raise HTTPException(400, f"bad page {page!r}")
        if per and not (per.isdigit() and int(per) in PER_PAGE):
            raise HTTPException(400, f"per must be one of {', '.join(map(str, PER_PAGE))}")
        return cls(region.strip()[:40], level, province.strip()[:40], int(year) if year else None, warnings,
                   q.strip()[:100], wkind.strip()[:300], key, desc, int(page or 1), int(per or PER_PAGE[2]))

    def query(self, **change: Any) -> str:
        """The URL query string of this view with ``change`` applied (defaults left out: short permalinks)."""
        state = {**self.__dict__, **change}
        sort = ("-" if state.pop("desc") else "") + state.pop("sort")
        params = {k: v for k, v in state.items() if v not in ("", None) and Filters.__dataclass_fields__[k].default != v}
        if sort != "-year":
            params["sort"] = sort
        return urlencode(params)


def indicator_choices() -> list[tuple[str, str]]:
    """(code, label) of every indicator of the lexicon, for the indicator picker."""
    return [(code, ind.label) for code, ind in load_lexicon(None).indicators.items()]


def indicator_code(code: str) -> str:
    """A known indicator code, or 400: codes go into file names and queries."""
    if code not in load_lexicon(None).indicators:
        raise HTTPException(400, f"unknown indicator {code!r}")
    return code


def table_format(fmt: str) -> str:
    if fmt not in TABLE_FORMATS:
        raise HTTPException(404, f"no download format {fmt!r} (csv or xlsx)")
    return fmt


def _plain(value: Any) -> Any:
    """A pandas/numpy/DuckDB cell as JSON: NaN/NA -> None, numpy scalars -> Python, dates -> ISO text."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return value


def records(frame: Any) -> list[dict[str, Any]]:
    """DataFrame rows as plain dicts."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def chart_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Track rows as chart points: the target (and the top of a range) and the actual of a region-year, each
    with the report and the evidence text it came from, so a point opens its own evidence."""
    keep = ("region", "year", "target", "target_high", "qualifier", "actual", "met", "report_id", "actual_report_id",
            "target_evidence", "actual_evidence")
    points = []
    for row in rows:
        if row.get("year") is None or (row.get("target") is None and row.get("actual") is None):
            continue
        point = {k: row.get(k) for k in keep}
        point["target_text"] = "" if point["target"] is None else f"{point['target']:g}" + (
            f"–{point['target_high']:g}" if point["target_high"] is not None else "")
        point["actual_text"] = "" if point["actual"] is None else f"{point['actual']:g}"
        point["qualifier_text"] = QUALIFIER_LABELS.get(point["qualifier"] or "none", point["qualifier"])
        points.append(point)
    return points


def where_sql(filters: Filters, found: dict[str, Any] | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause of a report-list view and its parameters (values always go in as parameters);
    ``found`` holds the reports that contain the search term (``CorpusView.matches``)."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.region:
        clauses.append("(contains(region, ?) OR province = ? OR prefecture = ? OR contains(title, ?))")
        params += [filters.region] * 4
    if filters.level:
        clauses.append("level = ?")
        params.append(filters.level)
    if filters.province:
        clauses.append("province = ?")
        params.append(filters.province)
    if filters.year:
        clauses.append("plan_year = ?")
        params.append(filters.year)
    if filters.warnings:
        clauses.append("n_warnings > 0" if filters.warnings == "with" else "n_warnings = 0")
    if filters.wkind:
        clauses.append(f"report_id IN (SELECT report_id FROM warnings WHERE {WARNING_KIND} = ?)")
        params.append(filters.wkind)
    if filters.q:
        clauses.append("report_id IN (SELECT unnest(?))")
        params.append(list(found or {}))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def scalars(params: list[Any]) -> list[Any]:
    """The parameters that identify a view in a cache key (the search term stands for its id list)."""
    return [p for p in params if not isinstance(p, list)]


def order_sql(filters: Filters) -> str:
    """ORDER BY of a view: the chosen column (NULLs last), then a stable tie-break."""
    direction = "DESC" if filters.desc else "ASC"
    return f" ORDER BY {SORTS[filters.sort]} {direction} NULLS LAST, region, report_id"


class CorpusView:
    """The corpus as the pages need it: small SQL queries that read only the columns a page shows.

    Each server thread gets its own DuckDB connection to the one database instance (DuckDB runs their queries
    concurrently), so no request waits for another behind a lock. Aggregates that only change when a report
    is added (pickers, counts, facets) are cached under a generation number that ``add`` bumps."""

    def __init__(self, path: Path, writable: bool = False):
        self.path = path
        self.writable = writable
        self.generation = 0
        self._local = threading.local()
        self._cache: dict[str, OrderedDict[tuple[Any, ...], Any]] = {}
        self._cache_lock = threading.Lock()
        self._pending: dict[tuple[Any, ...], threading.Lock] = {}  # keys being computed, each with its lock
        self._stores: list[Any] = []  # every thread's Store, so close() releases the database file
        self._connection()  # open once now, so a bad file fails at start-up with a one-line error

    def _connection(self) -> tuple[Any, Any]:
        """(Store, Corpus) of this thread; DuckDB shares one database instance between them."""
        mine = getattr(self._local, "pair", None)
        if mine is None:
            from govreport.corpus.tables import Corpus
            from govreport.corpus.store import Store

            store = Store(str(self.path), read_only=not self.writable)
            store.con.execute("SET enable_progress_bar = false")  # a server prints nothing per query
            mine = self._local.pair = (store, Corpus(store=store))
            with self._cache_lock:
                self._stores.append(store)
        return mine

    def close(self) -> None:
        """Close every thread's connection: the database file is free for another process (an ingest) again."""
        with self._cache_lock:
            stores, self._stores = self._stores, []
        for store in stores:
            _close_when_idle(store)

    @property
    def store(self) -> Any:
        return self._connection()[0]

    @property
    def corpus(self) -> Any:
        return self._connection()[1]

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        columns, rows = self.store.query(sql, params or [])
        return [dict(zip(columns, (_plain(v) for v in row))) for row in rows]

    def _cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        """``compute()`` remembered under ``key`` until the corpus changes; one LRU per kind of value
        (``key[0]``), sized in CACHE_SIZES (search hit sets are large, theme shares small)."""
        key = (self.generation, *key)
        with self._cache_lock:
            cache = self._cache.setdefault(key[1], OrderedDict())
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:  # one thread computes a missing value; the others asking for it wait for that one
            with self._cache_lock:
                if key in cache:
                    return cache[key]
            try:
                value = compute()
                with self._cache_lock:
                    cache[key] = value
                    while len(cache) > CACHE_SIZES.get(key[1], CACHE_SIZES[""]):
                        cache.popitem(last=False)
            finally:
                with self._cache_lock:
                    self._pending.pop(key, None)
        return value

    # -- reports
    def list_reports(self, filters: Filters, paged: bool = True) -> dict[str, Any]:
        """One page of the report list (or every row when ``paged`` is False, for the exports), the number of
        rows in the whole view, and the facet counts of the view. With a search term, each row carries its
        highlighted contexts. A page is kept (until the corpus changes): a search page's row query carries
        every matching id, and its contexts read text pieces."""
        if paged:
            page = self._cached(("list", filters), lambda: self._list(filters, True))
            return {**page, "rows": [dict(row) for row in page["rows"]]}  # callers get rows of their own
        return self._list(filters, False)

    def _list(self, filters: Filters, paged: bool) -> dict[str, Any]:
        where, params = where_sql(filters, self.matches(filters.q))
        total, facets = self.summary(filters)
        sql = f"SELECT {LIST_COLUMNS} FROM reports{where}{order_sql(filters)}"
        if paged:
            sql += f" LIMIT {int(filters.per)} OFFSET {int((filters.page - 1) * filters.per)}"
        rows = self._rows(sql, params)
        for row in rows:
            row["path"] = re.split(r"[\\/]", row["path"] or "")[-1]
        if filters.q:
            shown = self.contexts(filters.q, [row["id"] for row in rows])
            for row in rows:
                row["hits"] = [shown[row["id"]]]
        return {"total": total, "rows": rows, "facets": facets if paged else {}}

    def summary(self, filters: Filters) -> tuple[int, dict[str, list[tuple[Any, int]]]]:
        """The number of rows in the view and its counts of each level, province, plan year and warning state
        (most first), from one grouping-sets query: one pass over the view (a search view's ids are matched
        once, not once per facet)."""
        where, params = where_sql(filters, self.matches(filters.q))

        def compute() -> tuple[int, dict[str, list[tuple[Any, int]]]]:
            sets = ", ".join(f"({expr})" for expr in FACETS.values())
            grouping = ", ".join(f"GROUPING({expr}) AS g{i}" for i, expr in enumerate(FACETS.values()))
            values = ", ".join(f"{expr} AS v{i}" for i, expr in enumerate(FACETS.values()))
            _, rows = self.store.query(f"SELECT {values}, {grouping}, count(*) AS n FROM reports{where}"
                                       f" GROUP BY GROUPING SETS ({sets}, ())", params)
            k = len(FACETS)
            total = next((int(r[-1]) for r in rows if all(r[k:2 * k])), 0)
            out = {}
            for i, name in enumerate(FACETS):  # the rows of facet i: grouped by it alone, its value not NULL
                mine = [(_plain(r[i]), int(r[-1])) for r in rows if r[k + i] == 0 and r[i] is not None]
                out[name] = sorted(mine, key=lambda vn: (-vn[1], vn[0]))[:40]
            return total, out

        return self._cached(("summary", filters.q, where, *scalars(params)), compute)

    def matches(self, query: str) -> dict[str, int]:
        """Every report containing ``query`` -> the offset of its first occurrence, from the store's positional
        index (``govreport.corpus.search``: no text is read), remembered per term: paging, sorting, filtering
        and faceting a search then cost no lookup at all."""
        if not query:
            return {}
        from govreport.corpus import search

        return self._cached(("matches", query),
                            lambda: {rid: start for rid, (start, _n) in search.lookup(self.store.con, query).items()})

    def contexts(self, query: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The first hit of ``query`` in context (start offset, before, match, after) in each of ``ids`` (the
        rows a page shows), from the index's small text pieces around each hit."""
        from govreport.corpus import search

        found = self.matches(query)
        starts = {i: found[i] for i in ids if i in found}
        shown = search.contexts(self.store.con, starts, len(query), CONTEXT) if starts else {}
        return {rid: {"start": starts[rid], "before": before.replace("\n", " "), "match": query,
                      "after": after.replace("\n", " ")} for rid, (before, after) in shown.items()}

    def report(self, report_id: str) -> Report:
        """One stored report (recently read ones are kept: a point read of record and text costs ~50-100 ms
        at 10,000 reports). Callers must not change it."""
        def compute() -> Report:
            try:
                return self.store.report(report_id)
            except (KeyError, LookupError, GovreportError):
                raise HTTPException(404, f"no report {report_id!r} in the corpus") from None

        return self._cached(("report", report_id), compute)

    def neighbours(self, report_id: str) -> dict[str, Any]:
        """The same region's previous and next report by plan year (for the report page's links)."""
        rows = self._rows("SELECT region_code, plan_year FROM reports WHERE report_id = ?", [report_id])
        if not rows or not rows[0]["region_code"] or rows[0]["plan_year"] is None:
            return {}
        code, year = rows[0]["region_code"], rows[0]["plan_year"]
        out = {}
        for name, op, order in (("previous", "<", "DESC"), ("next", ">", "ASC")):
            found = self._rows(f"SELECT report_id AS id, plan_year AS year, region FROM reports WHERE region_code = ?"
                               f" AND plan_year {op} ? AND duplicate_of IS NULL ORDER BY plan_year {order} LIMIT 1",
                               [code, year])
            if found:
                out[name] = found[0]
        return out

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text hits (Chinese substring search), each with its highlighted contexts."""
        query = query.strip()[:100]
        if not query:
            return []
        return self.list_reports(Filters(q=query, per=min(max(limit, 1), 500)))["rows"]

    def choices(self) -> dict[str, list[Any]]:
        """Values for the filter pickers: regions, levels and years present in the corpus."""
        def compute() -> dict[str, list[Any]]:
            levels = {r["level"] for r in self._rows("SELECT DISTINCT level FROM reports WHERE level IS NOT NULL")}
            return {
                "regions": [r["region"] for r in self._rows(
                    "SELECT DISTINCT region FROM reports WHERE region IS NOT NULL ORDER BY region")],
                "levels": [lv for lv in LEVELS if lv in levels],
                "years": [r["y"] for r in self._rows(
                    "SELECT DISTINCT plan_year AS y FROM reports WHERE plan_year IS NOT NULL ORDER BY y DESC")],
            }

        return self._cached(("choices",), compute)

    # -- coverage
    def coverage(self, page: int = 1, per: int = COVERAGE_REGIONS) -> dict[str, Any]:
        """Which regions and plan years the corpus holds (a page of regions by level, province, name), and the
        warnings of the records grouped by kind (numbers and names taken out of the message)."""
        def compute() -> dict[str, Any]:
            years = [r["y"] for r in self._rows("SELECT DISTINCT plan_year AS y FROM reports WHERE plan_year IS NOT NULL ORDER BY y")]
            regions = self._rows(
                "SELECT * FROM (SELECT coalesce(region, '（未识别）') AS region, any_value(level) AS level,"
                " any_value(province) AS province, count(*) AS reports FROM reports GROUP BY 1)"
                f" ORDER BY {LEVEL_ORDER}, province NULLS FIRST, region"
                f" LIMIT {int(per)} OFFSET {int((page - 1) * per)}")
            names = [r["region"] for r in regions]
            cells = self._rows(
                "SELECT coalesce(region, '（未识别）') AS region, plan_year AS year, count(*) AS n,"
                " count(*) FILTER (WHERE n_warnings > 0) AS warned, min(report_id) AS first FROM reports"
                " WHERE coalesce(region, '（未识别）') IN (SELECT unnest(?)) AND plan_year IS NOT NULL GROUP BY 1, 2", [names])
            grid = {(c["region"], c["year"]): c for c in cells}
            total = self._rows("SELECT count(DISTINCT coalesce(region, '（未识别）')) AS n FROM reports")[0]["n"]
            kinds = self._rows(
                f"SELECT {WARNING_KIND} AS kind, count(DISTINCT report_id) AS reports, min(message) AS example,"
                " min(report_id) AS first FROM warnings GROUP BY 1 ORDER BY reports DESC, kind")
            return {"years": years, "regions": [{**r, "cells": [grid.get((r["region"], y)) for y in years]} for r in regions],
                    "regions_total": total, "warning_kinds": kinds}

        return self._cached(("coverage", page, per), compute)

    # -- indicators
    def panel(self, indicator: str, regions: list[str], measure: str = "", unit: str = "") -> dict[str, Any]:
        """Targets and actuals of one indicator by region and year in one measure and one unit (a chart axis
        never mixes two), and the escalation between levels. Without chosen regions, the DEFAULT_REGIONS
        regions with the most years are shown (and the answer says how many there are)."""
        def compute() -> dict[str, Any]:
            from govreport.corpus.tables import ESCALATION_COLUMNS

            view = self._track(indicator, regions, measure, unit)
            frame = view.pop("frame")
            codes = sorted(set(frame["region_code"].dropna()))
            escalation = (self.corpus.escalation(indicator, region=codes, measure=view["measure"]) if codes
                          else pd_empty(ESCALATION_COLUMNS))
            escalation = escalation[escalation["region_code"].isin(codes)]
            rows = records(frame)
            return {
                "indicator": indicator,
                **view,
                "labels": column_labels([*frame.columns, *escalation.columns]),
                "columns": [str(c) for c in frame.columns],
                "rows": rows,
                "points": chart_points(rows),
                "escalation": {"columns": [str(c) for c in escalation.columns], "rows": records(escalation)},
            }

        return self._cached(("panel", indicator, measure, unit, *sorted(regions)), compute)

    def _track(self, indicator: str, regions: list[str], measure: str = "", unit: str = "") -> dict[str, Any]:
        """The track rows of one measure and one unit (default: the first of MEASURES present, its most
        common unit) for the chosen regions (default: the DEFAULT_REGIONS with the most years), with the
        measures and units there are to choose from. The choice is made on ``Corpus.target_years`` (one
        query, kept per indicator); only the regions drawn are tracked."""
        from govreport.corpus.tables import TRACK_COLUMNS

        years = self._cached(("years", indicator), lambda: self.corpus.target_years(indicator))
        if regions:
            years = years[years["region"].isin(regions) | years["region_code"].isin(regions)]
            if years.empty:
                raise HTTPException(404, f"{', '.join(regions)}: no such region in the corpus (or no {indicator} there)")
        present = set(years["measure"])
        measures = [m for m in MEASURES if m in present] + sorted(present - set(MEASURES))
        if measure and measure not in measures:
            raise HTTPException(400, f"{indicator} has no measure {measure!r} here (one of {', '.join(measures)})")
        measure = measure or (measures[0] if measures else "")
        years = years[years["measure"] == measure]
        units = [str(u) for u in years["unit"].fillna("").value_counts().index]
        if unit and unit not in units:
            raise HTTPException(400, f"no values in unit {unit!r} (one of {', '.join(units)})")
        unit = unit or (units[0] if units else "")
        years = years[years["unit"].fillna("") == unit]
        every = [str(r) for r in years["region"].value_counts().index]
        shown = regions or every[:DEFAULT_REGIONS]
        codes = sorted(set(years.loc[years["region"].isin(shown) | years["region_code"].isin(shown), "region_code"]))
        frame = self.corpus.track(indicator, region=codes, measure=measure) if codes else pd_empty(TRACK_COLUMNS)
        frame = frame[(frame["unit"].fillna("") == unit)
                      & (frame["region"].isin(shown) | frame["region_code"].isin(shown))]
        return {"frame": frame, "measure": measure or None, "measures": [(m, MEASURE_LABELS.get(m, m)) for m in measures],
                "unit": unit if measure else None, "units": units, "regions": list(regions) or shown,
                "regions_total": len(every)}

    def warm(self) -> None:
        """Compute what the first visitors need most (the panel the indicators page opens on) in a
        background thread at start-up."""
        try:
            self.panel(FIRST_INDICATOR, [])
        except HTTPException:  # a corpus without that indicator: nothing to prepare
            pass

    def panel_file(self, indicator: str, regions: list[str], fmt: str, measure: str = "", unit: str = "") -> tuple[bytes, str]:
        """The table the chart shows as a .csv or .xlsx file, written by govreport.corpus.export."""
        return table_file(self._track(indicator, regions, measure, unit)["frame"], fmt)

    def compare(self, region: str) -> dict[str, Any]:
        """One region's targets and actuals of every indicator across its years, side by side, each beside
        its parent's target for that year (escalation), aligned by indicator, measure and unit."""
        def compute() -> dict[str, Any]:
            try:
                track = self.corpus.track(None, regions=[region])
                parents = self.corpus.escalation(None, regions=[region], measure=None)
            except GovreportError as exc:
                raise HTTPException(404, str(exc)) from None
            labels = dict(indicator_choices())
            up = {(r["year"], r["indicator"], r["measure"]): r for r in records(parents)}
            years = sorted({int(y) for y in track["year"]})
            lines: dict[tuple[str, str, str], dict[int, dict[str, Any]]] = {}
            for row in records(track):
                key = (row["indicator"], row["measure"], row["unit"] or "")
                parent = up.get((row["year"], row["indicator"], row["measure"]), {})
                lines.setdefault(key, {})[int(row["year"])] = {
                    **{k: row[k] for k in ("target", "target_high", "actual", "met", "report_id", "actual_report_id",
                                           "target_evidence", "actual_evidence")},
                    "qualifier": QUALIFIER_LABELS.get(row["qualifier"] or "none", row["qualifier"]),
                    "parent_region": parent.get("parent_region"), "parent_target": parent.get("parent_target"),
                    "markup": parent.get("markup")}
            rows = [{"indicator": ind, "label": labels.get(ind, ind), "measure": MEASURE_LABELS.get(m, m), "unit": unit,
                     "cells": [cells.get(y) for y in years]}
                    for (ind, m, unit), cells in sorted(lines.items())]
            names = sorted({r["parent_region"] for r in up.values() if r.get("parent_region")})
            return {"region": region, "years": years, "rows": rows, "parents": names}

        return self._cached(("compare", region), compute)

    # -- attention
    def attention(self, regions: list[str], term: str = "") -> dict[str, Any]:
        """Theme shares (occurrences per 10,000 non-space characters) by report for the chosen regions (by
        default the DEFAULT_ATTENTION regions with the most reports), and the same share of a free ``term``."""
        if not HAS_ATTENTION:
            raise HTTPException(404, "the attention module is not installed in this build")
        from govreport.analysis import attention
        from govreport.knowledge.themes import builtin_dictionaries

        labels = {d.name: d.label for d in builtin_dictionaries()}
        term = term.strip()[:40]

        def text_of(rid: str) -> str:  # whole-text shares need the text only, not the record
            return self.store.query("SELECT text FROM reports WHERE report_id = ?", [rid])[1][0][0] or ""

        def shares(rid: str) -> dict[str, float]:
            return attention.theme_shares(Report(source=Source(path=rid), text=text_of(rid)))

        def term_share(rid: str) -> float:
            text = text_of(rid)
            chars = len(attention.NON_SPACE.findall(text)) or 1
            return round(text.count(term) * 10000 / chars, 4)

        chosen = list(regions) or [r["region"] for r in self._rows(
            "SELECT region FROM reports WHERE region IS NOT NULL GROUP BY region ORDER BY count(*) DESC, region"
            f" LIMIT {DEFAULT_ATTENTION}")]
        rows = []
        for r in self._rows("SELECT report_id, region, plan_year FROM reports WHERE region IN (SELECT unnest(?))"
                            " ORDER BY plan_year, report_id", [chosen]):
            rid = r["report_id"]
            base = {"report": rid, "region": r["region"], "year": r["plan_year"]}
            for theme, share in self._cached(("shares", rid), lambda: shares(rid)).items():
                rows.append({**base, "theme": theme, "label": labels.get(theme, theme), "share": _plain(share)})
            if term:
                rows.append({**base, "theme": term, "label": f"“{term}”",
                             "share": self._cached(("term", rid, term), lambda: term_share(rid))})
        return {"rows": rows, "regions": chosen, "unit": "次/万字", "term": term}

    def kwic(self, report_id: str, theme: str, width: int, limit: int) -> list[dict[str, Any]]:
        """Keyword-in-context lines of one theme in one report."""
        if not HAS_ATTENTION:
            raise HTTPException(404, "the attention module is not installed in this build")
        from govreport.analysis import attention

        return [dict(line) for line in attention.kwic(self.report(report_id), theme, width=width)[:limit]]

    def add(self, reports: list[Report]) -> None:
        """Store uploaded reports in the corpus (the app was started with --allow-add)."""
        self.store.add(reports)
        self.generation += 1

    # ---- review (govreport.corpus.review) ---------------------------------------------------------------------

    def review_queue(self, region: str, year: int | None, indicator: str, limit: int, reviewed: bool
                     ) -> list[dict[str, Any]]:
        """Values to check, riskiest first (the rows of ``govreport review``)."""
        from govreport.corpus import review

        try:
            regions = self.store.resolve_regions(region) if region else None
        except GovreportError as exc:
            raise HTTPException(400, str(exc)) from None
        rows = review.queue(self.store.con, regions, year, [indicator_code(indicator)] if indicator else None, limit,
                            reviewed)
        return [{k: _plain(v) for k, v in row.items()} for row in rows]

    def report_review(self, report: Report) -> dict[str, Any]:
        """The report view's review state: each target/actual's fields and decision in force (by ``t3``/``a0``),
        and the values reviewers added."""
        from govreport.corpus import review
        from govreport.model import report_id

        decided = review.report_decisions(self.store.con, report_id(report))
        values = {}
        for letter, items in (("t", report.targets), ("a", report.actuals)):
            for i, v in enumerate(items):
                d = decided["values"].get(f"{letter}{i}") or {"status": "machine", "reviewer": None}
                values[f"{letter}{i}"] = {"indicator": v.indicator or "", "measure": v.measure, "value": v.value,
                                          "high": v.high, "unit": v.unit or "", "qualifier": v.qualifier,
                                          "start": v.span[0], "end": v.span[1],
                                          "status": d["status"], "reviewer": d["reviewer"]}
        return {"values": values, "added": [{k: _plain(v) for k, v in a.items()} for a in decided["added"]]}

    def selection(self, rid: str, start: int, end: int) -> dict[str, Any]:
        """Characters ``start``..``end`` of a stored report and the number written in them (the add form's
        suggestion); the span is checked against the stored text, not trusted from the page."""
        from govreport.corpus import review

        try:
            key = review.add_key(self.store.con, rid, "target", start, end)
        except GovreportError as exc:
            raise HTTPException(400, str(exc)) from None
        text = key["report_text"][start:end]
        return {"report_id": key["report_id"], "start": start, "end": end, "text": text, **review.number_in(text)}

    def decide(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Store one reviewer decision (the app was started with --allow-review); caches of tables drop."""
        from govreport.corpus import review

        verb = str(payload.get("decision", ""))
        fields = {k: payload.get(k) for k in ("measure", "unit", "qualifier") if payload.get(k) not in (None, "")}
        for name in ("value", "high"):
            if payload.get(name) not in (None, ""):
                try:
                    fields[name] = float(payload[name])
                except (TypeError, ValueError):
                    raise HTTPException(400, f"{name} must be a number") from None
        if payload.get("indicator"):
            fields["indicator"] = indicator_code(str(payload["indicator"]))
        reviewer = str(payload.get("reviewer") or "").strip()[:80]
        note = str(payload.get("note") or "").strip()[:2000] or None
        try:
            if verb == "add":
                key = review.add_key(self.store.con, str(payload.get("report", "")), str(payload.get("kind", "")),
                                     int(payload.get("start", -1)), int(payload.get("end", -1)))
                fields.setdefault("qualifier", "none")
                if fields.get("value") is None or not fields.get("indicator") or not fields.get("measure"):
                    raise HTTPException(400, "an added value needs an indicator, a measure and a value")
            else:
                key = review.key_of(self.store.con, str(payload.get("id", "")))
                if verb == "correct" and payload.get("start") not in (None, "") and payload.get("end") not in (None, ""):
                    fields.update(new_start=int(payload["start"]), new_end=int(payload["end"]))
            n = review.decide(self.store.con, key, review.Decision(verb, reviewer, note, fields))
        except GovreportError as exc:
            raise HTTPException(400, str(exc)) from None
        except (TypeError, ValueError):
            raise HTTPException(400, "start and end must be character offsets") from None
        self.generation += 1
        return {"id": n, "decision": verb}


def pd_empty(columns: list[str]) -> Any:
    """An empty table with these columns (a chart with nothing to draw)."""
    import pandas as pd

    return pd.DataFrame(columns=columns)


def column_labels(columns: list[Any]) -> dict[str, list[str]]:
    """Column -> [Chinese name, description] from the codebook, for table heads (exports keep the codes)."""
    from govreport.corpus.codebook import columns as codebook

    book = codebook()
    return {str(c): [book[c].split(" ")[0], f"{c}: {book[c]}"] for c in columns if c in book}


def table_file(frame: Any, fmt: str) -> tuple[bytes, str]:
    """A DataFrame as .csv (UTF-8 with BOM, for Excel) or .xlsx bytes, written by govreport.corpus.export."""
    from govreport.corpus.export import write_table

    with tempfile.TemporaryDirectory(prefix="govreport-web-") as tmp:
        out = Path(tmp) / f"table.{fmt}"
        write_table(frame, out)
        return out.read_bytes(), TABLE_FORMATS[fmt]


def open_corpus(path: str | Path, writable: bool = False) -> CorpusView:
    """Open the corpus database; a missing store module or a bad file is a one-line GovreportError."""
    p = Path(path)
    if not p.is_file():
        raise GovreportError(str(path), "no such database")
    if importlib.util.find_spec("govreport.corpus.store") is None:
        raise GovreportError(str(path), "this build has no corpus store (govreport.corpus.store); only upload works")
    try:
        if not writable:
            index_search(p)
        return CorpusView(p, writable)
    except GovreportError:
        raise
    except Exception as exc:  # duckdb raises its own error types for a file that is not a database
        raise GovreportError(str(path), f"cannot open as a corpus database ({type(exc).__name__}: {exc})") from None


def index_search(path: Path) -> None:
    """Give a database without the search index its index (minutes at 10,000 reports, once) before it is
    served read-only; from then on ingest keeps it. A database another process is writing, or one we may not write, is served as it is:
    search then reads the texts of the reports the index lacks."""
    from govreport.corpus import search
    from govreport.corpus.store import Store

    with Store(str(path), read_only=True) as store:
        if search.indexed(store.con):
            return
    sys.stderr.write(f"{path}: building the search index (once; later ingests keep it) …\n")
    try:
        with Store(str(path)) as store:
            search.enable(store.con)
    except GovreportError as exc:
        sys.stderr.write(f"{exc}; searching without the index\n")


def _close_when_idle(store: Any, tries: int = 50) -> None:
    """Close a thread's connection; one still answering a request that outlived the server (a worker thread of
    the stopped server) is interrupted first, and closed once its query has given up."""
    import duckdb

    for _ in range(tries):
        try:
            store.close()
            return
        except duckdb.Error:
            store.con.interrupt()
            time.sleep(0.02)
    store.close()
