"""What the web pages read from the corpus: a thin view over ``govreport.store`` (records, full-text search),
``govreport.corpus`` (panels, escalation), ``govreport.export`` (csv/xlsx) and ``govreport.attention``.

Every call into those modules is made here and nowhere else in the web package, so the pages depend on one
small surface. Values leave this module as plain JSON-able dicts and lists.
"""

from __future__ import annotations

import importlib.util
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from govreport.lexicon import load_lexicon
from govreport.model import LEVELS, GovreportError, Report

HAS_ATTENTION = importlib.util.find_spec("govreport.attention") is not None
TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CONTEXT = 30  # characters each side of a search hit
MAX_HITS_PER_REPORT = 3
LIST_LIMIT = 2000
# chart fields <- the first of these columns present in the corpus.track() table
TRACK_FIELDS = {
    "region": ("region", "region_name"),
    "year": ("year", "plan_year"),
    "target": ("target", "target_value"),
    "actual": ("actual", "actual_value"),
    "met": ("met",),
    "report": ("report_id", "target_report_id"),
}


@dataclass(frozen=True)
class Filters:
    """The report-list filters, validated: a bad value is a 400, never reaches a query."""

    region: str = ""
    level: str = ""
    year: int | None = None
    warnings: str = ""  # "" | "with" | "without"

    @classmethod
    def parse(cls, region: str = "", level: str = "", year: str = "", warnings: str = "") -> Filters:
        if level and level not in LEVELS:
            raise HTTPException(400, f"unknown level {level!r} (one of {', '.join(LEVELS)})")
        if warnings not in ("", "with", "without"):
            raise HTTPException(400, "warnings must be 'with' or 'without'")
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            raise HTTPException(400, f"bad year {year!r}")
        return cls(region.strip()[:40], level, int(year) if year else None, warnings)


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
    """A pandas/numpy cell as JSON: NaN/NA -> None, numpy scalars -> Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
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


def contexts(text: str, query: str, limit: int = MAX_HITS_PER_REPORT) -> list[dict[str, Any]]:
    """Exact substring hits of ``query`` in ``text`` with their surroundings (escaped by the template)."""
    hits = []
    start = text.find(query)
    while start >= 0 and len(hits) < limit:
        end = start + len(query)
        hits.append({
            "start": start,
            "before": text[max(0, start - CONTEXT) : start].replace("\n", " "),
            "match": text[start:end],
            "after": text[end : end + CONTEXT].replace("\n", " "),
        })
        start = text.find(query, end)
    return hits


def chart_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Track rows as chart points: region, year, target, actual, met (None when unknown), report id."""
    def pick(row: dict[str, Any], field: str) -> Any:
        return next((row[c] for c in TRACK_FIELDS[field] if c in row), None)

    points = []
    for row in rows:
        point = {field: pick(row, field) for field in TRACK_FIELDS}
        if point["year"] is None or (point["target"] is None and point["actual"] is None):
            continue
        point["target_text"] = "" if point["target"] is None else f"{point['target']:g}"
        point["actual_text"] = "" if point["actual"] is None else f"{point['actual']:g}"
        points.append(point)
    return points


def report_row(report_id: str, report: Report) -> dict[str, Any]:
    """One line of the report list."""
    return {
        "id": report_id,
        "title": report.title,
        "region": report.region.name,
        "level": report.region.level,
        "province": report.region.province,
        "year": report.plan_year,
        "meeting_date": report.meeting_date,
        "targets": len(report.targets),
        "actuals": len(report.actuals),
        "warnings": len(report.warnings),
        "path": re.split(r"[\\/]", report.source.path)[-1],
    }


class CorpusView:
    """The corpus as the pages need it. Not thread-safe: the app serialises calls with a lock."""

    def __init__(self, path: Path, writable: bool = False):
        from govreport.corpus import Corpus
        from govreport.store import Store

        self.path = path
        self.store = Store(str(path), read_only=not writable)
        self.corpus = Corpus(str(path))

    # -- reports
    def list_reports(self, filters: Filters) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {}
        if filters.level:
            kwargs["level"] = filters.level
        if filters.year:
            kwargs["year"] = filters.year
        rows = []
        for report_id, report in self._reports(**kwargs):
            if filters.region and filters.region not in " ".join(
                x for x in (report.region.name, report.region.province, report.region.prefecture, report.title) if x
            ):
                continue
            if (filters.warnings == "with" and not report.warnings) or (filters.warnings == "without" and report.warnings):
                continue
            rows.append(report_row(report_id, report))
            if len(rows) >= LIST_LIMIT:
                break
        return rows

    def _reports(self, **filters: Any) -> list[tuple[str, Report]]:
        from govreport.store import report_id

        return [(report_id(r), r) for r in self.store.iter_reports(**filters)]

    def report(self, report_id: str) -> Report:
        try:
            report = self.store.report(report_id)
        except (KeyError, LookupError, GovreportError):
            report = None
        if report is None:
            raise HTTPException(404, f"no report {report_id!r} in the corpus")
        return report

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text hits (Chinese substring search in the store), each with its highlighted contexts."""
        query = query.strip()[:100]
        if not query:
            return []
        found = self.store.search_text(query, limit)
        ids = list(dict.fromkeys(str(hit["report_id"]) for hit in (records(found) if hasattr(found, "to_dict") else found)))
        results = []
        for rid in ids[:limit]:
            report = self.report(rid)
            results.append({**report_row(rid, report), "hits": contexts(report.text, query)})
        return results

    def choices(self) -> dict[str, list[Any]]:
        """Values for the filter pickers: regions, levels and years present in the corpus."""
        rows = [report_row(rid, r) for rid, r in self._reports()]
        return {
            "regions": sorted({r["region"] for r in rows if r["region"]}),
            "levels": [lv for lv in LEVELS if any(r["level"] == lv for r in rows)],
            "years": sorted({r["year"] for r in rows if r["year"]}, reverse=True),
        }

    # -- indicators
    def panel(self, indicator: str, regions: list[str]) -> dict[str, Any]:
        """Targets and actuals of one indicator by region and year, and the escalation between levels."""
        frame, measure = self._track(indicator, regions)
        escalation = self.corpus.escalation(indicator, regions=regions or None, measure=measure or "growth")
        rows = records(frame)
        return {
            "indicator": indicator,
            "columns": [str(c) for c in frame.columns],
            "rows": rows,
            "points": chart_points(rows),
            "escalation": {"columns": [str(c) for c in escalation.columns], "rows": records(escalation)},
        }

    def _track(self, indicator: str, regions: list[str]) -> tuple[Any, str | None]:
        """Track rows of one measure (growth first): rates and amounts do not share a chart axis."""
        frame = self.corpus.track(indicator, regions=regions or None)
        measures = set(frame["measure"]) if len(frame) else set()
        measure = next((m for m in ("growth", "rate", "decline", "level") if m in measures), None)
        return (frame[frame["measure"] == measure] if measure else frame), measure

    def panel_file(self, indicator: str, regions: list[str], fmt: str) -> tuple[bytes, str]:
        """The panel table as a .csv or .xlsx file, written by govreport.export."""
        from govreport.export import write_table

        frame, _ = self._track(indicator, regions)
        with tempfile.TemporaryDirectory(prefix="govreport-web-") as tmp:
            out = Path(tmp) / f"panel.{fmt}"
            write_table(frame, out)
            return out.read_bytes(), TABLE_FORMATS[fmt]

    # -- attention
    def attention(self, regions: list[str]) -> dict[str, Any]:
        """Theme shares by report (region, year), from govreport.attention."""
        if not HAS_ATTENTION:
            raise HTTPException(404, "the attention module is not installed in this build")
        from govreport import attention

        rows = []
        for rid, report in self._reports():
            if regions and report.region.name not in regions:
                continue
            for theme, share in attention.theme_shares(report).items():
                rows.append({"report": rid, "region": report.region.name, "year": report.plan_year,
                             "theme": theme, "share": _plain(share)})
        return {"rows": rows}

    def kwic(self, report_id: str, theme: str, width: int, limit: int) -> list[dict[str, Any]]:
        """Keyword-in-context lines of one theme in one report."""
        if not HAS_ATTENTION:
            raise HTTPException(404, "the attention module is not installed in this build")
        from govreport import attention

        return [dict(line) for line in attention.kwic(self.report(report_id), theme, width=width)[:limit]]

    def add(self, reports: list[Report]) -> None:
        """Store uploaded reports in the corpus (the app was started with --allow-add)."""
        self.store.add(reports)


def open_corpus(path: str | Path, writable: bool = False) -> CorpusView:
    """Open the corpus database; a missing store module or a bad file is a one-line GovreportError."""
    p = Path(path)
    if not p.is_file():
        raise GovreportError(str(path), "no such database")
    if importlib.util.find_spec("govreport.store") is None:
        raise GovreportError(str(path), "this build has no corpus store (govreport.store); only upload works")
    try:
        return CorpusView(p, writable)
    except GovreportError:
        raise
    except Exception as exc:  # duckdb raises its own error types for a file that is not a database
        raise GovreportError(str(path), f"cannot open as a corpus database ({type(exc).__name__}: {exc})") from None
