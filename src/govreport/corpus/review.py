"""The review overlay: people's decisions on the machine's targets and actuals, kept beside the values tables.

A decision (accept / correct / reject / add) is keyed to what identifies a value independently of any parse: the
file's sha256, its csv/jsonl row and part, the value kind and its evidence span, plus the indicator and measure the
machine gave it when it was reviewed. Ingest rebuilds the values tables and never touches ``reviews``, so a
decision outlives every re-parse; it applies to the machine value that still has its key. One whose key no longer
matches (the value moved, was removed, or got another indicator) is listed by ``problems``, never dropped.

Several reviewers may decide on one value: every decision is a row of its own (who, when, note). Exports apply the
latest decision on each key, whoever made it; ``agreement`` compares two reviewers' own latest decisions.
"""

from __future__ import annotations

import getpass
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from govreport.knowledge.lexicon import load_lexicon
from govreport.model import MEASURES, QUALIFIERS, GovreportError
from govreport.parsing.numbers import find_numbers

DECISIONS = ("accept", "correct", "reject", "add")
KINDS = {"target": ("targets", "t"), "actual": ("actuals", "a")}  # kind -> (values table, id letter)
STATUS = {"accept": "accepted", "correct": "corrected", "add": "added"}  # decision in force -> review_status
VERIFIED = ("accepted", "corrected", "added")
CORRECTABLE = ("indicator", "name", "measure", "value", "high", "unit", "qualifier", "new_start", "new_end")
KEY = "sha256, source_row, part, kind, span_start, span_end, indicator_was, measure_was"
ADDED_IDX = 1_000_000  # idx of added values in the tables: after every machine value of their report


def default_reviewer() -> str:
    return os.environ.get("GOVREPORT_REVIEWER") or getpass.getuser()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def current_sql(reviewer: str | None = None) -> str:
    """The decision in force on each reviewed key: the latest (of one ``reviewer``, or of anyone)."""
    where = f" WHERE reviewer = {_quote(reviewer)}" if reviewer else ""
    return (f"SELECT * FROM reviews{where} QUALIFY row_number() OVER "
            f"(PARTITION BY {KEY} ORDER BY decided_at DESC, id DESC) = 1")


def _same_report(d: str) -> str:
    return f"{d}.sha256 = r.sha256 AND {d}.source_row IS NOT DISTINCT FROM r.row_number AND {d}.part = r.part"


def _decided(kind: str) -> str:
    """Join condition: decision ``d`` (not an addition) is on machine value ``m`` of report ``r``."""
    return (f"d.kind = '{kind}' AND d.decision <> 'add' AND {_same_report('d')} AND d.span_start = m.span_start"
            " AND d.span_end = m.span_end AND d.indicator_was IS NOT DISTINCT FROM m.indicator"
            " AND d.measure_was = m.measure")


def reviewed_sql(table: str, kind: str, reviewer: str | None = None) -> str:
    """The rows of the values ``table`` with the overlay applied, plus a ``review_status`` column (machine /
    accepted / corrected / added): corrected values carry the correction, rejected ones are left out, added ones
    are rows of their own (idx from ADDED_IDX). Every other column of the table passes through unchanged."""
    fixed = ", ".join(f"CASE WHEN d.decision = 'correct' THEN d.{c} ELSE m.{c} END AS {c}"
                      for c in ("indicator", "name", "measure", "value", "high", "unit", "qualifier", "text"))
    spans = ", ".join(f"CASE WHEN d.decision = 'correct' THEN d.new_{e} ELSE m.span_{e} END AS span_{e}"
                      for e in ("start", "end"))
    return f"""(WITH cur AS ({current_sql(reviewer)})
SELECT m.* REPLACE ({fixed}, {spans},
       CASE WHEN d.decision = 'correct' AND d.qualifier IS DISTINCT FROM m.qualifier THEN NULL ELSE m.modifier END
         AS modifier),
       CASE d.decision WHEN 'accept' THEN 'accepted' WHEN 'correct' THEN 'corrected' ELSE 'machine' END
         AS review_status
FROM {table} m JOIN reports r USING (report_id)
LEFT JOIN cur d ON {_decided(kind)}
WHERE d.decision IS DISTINCT FROM 'reject' AND NOT EXISTS (
  SELECT 1 FROM cur a WHERE a.decision = 'add' AND a.kind = '{kind}' AND {_same_report('a')}
    AND a.span_start = m.span_start AND a.span_end = m.span_end
    AND a.indicator IS NOT DISTINCT FROM m.indicator AND a.measure = m.measure)
UNION ALL BY NAME
SELECT r.report_id, {ADDED_IDX} + CAST(d.id AS INTEGER) AS idx, d.indicator, d.name, d.measure, d.value, d.high,
       d.unit, d.qualifier, false AS estimated, 'year' AS scope, d.new_start AS span_start, d.new_end AS span_end,
       d.text, 'added' AS review_status
FROM cur d JOIN reports r ON {_same_report('d')}
WHERE d.decision = 'add' AND d.kind = '{kind}')"""


# --- addressing values -----------------------------------------------------------------------------------------


def resolve_report(con: Any, rid: str) -> dict[str, Any]:
    """The ``reports`` row (key columns and text) of an id or a unique id prefix."""
    rid = rid.strip().rstrip("…")
    rows = con.execute("SELECT report_id, sha256, row_number, part, text FROM reports WHERE report_id = ?"
                       " UNION ALL (SELECT report_id, sha256, row_number, part, text FROM reports"
                       " WHERE starts_with(report_id, ?) ORDER BY 1 LIMIT 2)", [rid, rid]).fetchall()
    exact = [r for r in rows if r[0] == rid]
    if not exact and len(rows) > 1:
        raise GovreportError(rid, "report id prefix is ambiguous")
    if not rows:
        raise GovreportError(rid, "no such report in the corpus (see `govreport reports`)")
    r = (exact or rows)[0]
    return {"report_id": r[0], "sha256": r[1], "source_row": r[2], "part": r[3], "text": r[4]}


def key_of(con: Any, vid: str) -> dict[str, Any]:
    """The overlay key (and current fields) of a value id: ``REPORT:t3`` for a machine value (targets[3]; ``a0`` =
    actuals[0], the letters of the report view), ``#N`` for the value that decision N added."""
    vid = vid.strip()
    if vid.startswith("#"):
        names = ("sha256", "source_row", "part", "kind", "span_start", "span_end", "decision", "indicator", "name",
                 "measure", "value", "high", "unit", "qualifier", "new_start", "new_end", "report_id")
        # the latest version of the added value decision N is about (another reviewer may have corrected it)
        row = con.execute(f"SELECT {', '.join(names)} FROM reviews a WHERE decision = 'add' AND EXISTS (SELECT 1"
                          " FROM reviews n WHERE n.id = ? AND n.decision = 'add' AND n.sha256 = a.sha256 AND"
                          " n.source_row IS NOT DISTINCT FROM a.source_row AND n.part = a.part AND n.kind = a.kind"
                          " AND n.span_start = a.span_start AND n.span_end = a.span_end)"
                          " ORDER BY decided_at DESC, id DESC LIMIT 1", [_int(vid[1:], vid)]).fetchone()
        if row is None and con.execute("SELECT 1 FROM reviews WHERE id = ?", [_int(vid[1:], vid)]).fetchone():
            raise GovreportError(vid, "#N names an added value; address a machine value by its REPORT:t3 id")
        if row is None:
            raise GovreportError(vid, "no such review decision (see `govreport review status`)")
        key = dict(zip(names, row))
        del key["decision"]
        found = con.execute("SELECT text FROM reports WHERE sha256 = ? AND row_number IS NOT DISTINCT FROM ?"
                            " AND part = ?", [key["sha256"], key["source_row"], key["part"]]).fetchone()
        return {**key, "indicator_was": None, "measure_was": None, "report_text": found[0] if found else None,
                "added": True}
    rid, sep, tail = vid.rpartition(":")
    if not sep or not tail or tail[0] not in "ta":
        raise GovreportError(vid, "not a value id (REPORT:t3 for targets[3], REPORT:a0 for actuals[0], or #N)")
    kind = "target" if tail[0] == "t" else "actual"
    report = resolve_report(con, rid)
    row = con.execute(f"SELECT indicator, name, measure, value, high, unit, qualifier, span_start, span_end"
                      f" FROM {KINDS[kind][0]} WHERE report_id = ? AND idx = ?",
                      [report["report_id"], _int(tail[1:], vid)]).fetchone()
    if row is None:
        raise GovreportError(vid, f"report {report['report_id']} has no {kind} {tail[1:]}")
    value = dict(zip(("indicator", "name", "measure", "value", "high", "unit", "qualifier", "span_start", "span_end"),
                     row))
    return {**{k: report[k] for k in ("sha256", "source_row", "part", "report_id")}, "kind": kind,
            "indicator_was": value["indicator"], "measure_was": value["measure"], "new_start": value["span_start"],
            "new_end": value["span_end"], "report_text": report["text"], "added": False, **value}


def _int(text: str, whole: str) -> int:
    if not text.isdigit():
        raise GovreportError(whole, "not a value id (REPORT:t3, REPORT:a0 or #N)")
    return int(text)


# --- deciding ----------------------------------------------------------------------------------------------------


@dataclass
class Decision:
    """What a reviewer decided on one value; for correct/add, the whole resulting value."""

    decision: str
    reviewer: str
    note: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # resulting indicator, name, measure, value …, new span


def checked_value(key: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The value ``changes`` make of the one at ``key``; a bad field is a GovreportError naming it."""
    out = {c: key.get(c) for c in CORRECTABLE}
    out.update({k: v for k, v in changes.items() if v is not None})
    if "qualifier" in changes and changes["qualifier"] not in (None, "range") and changes.get("high") is None:
        out["high"] = None  # a range corrected into a single figure keeps no upper end
    if out["qualifier"] not in QUALIFIERS:
        raise GovreportError(str(out["qualifier"]), f"qualifier must be one of {', '.join(QUALIFIERS)}")
    if out["measure"] not in MEASURES:
        raise GovreportError(str(out["measure"]), f"measure must be one of {', '.join(MEASURES)}")
    if out["qualifier"] == "range" and (out["high"] is None or out["value"] is None or out["high"] <= out["value"]):
        raise GovreportError(str(out["high"]), "a range needs --high above --value")
    text = key.get("report_text")
    if text is None:
        raise GovreportError(key["sha256"][:12], "the report is no longer in the corpus")
    start, end = out["new_start"], out["new_end"]
    if start is None or end is None or not 0 <= start < end <= len(text):
        raise GovreportError(f"{start}-{end}", f"span must lie in the report text (0 <= start < end <= {len(text)})")
    out["text"] = text[start:end]
    return out


def decide(con: Any, key: dict[str, Any], decision: Decision) -> int:
    """Store one decision on the value at ``key``; returns its id. Deciding on an added value keeps it added
    (accept and correct copy it under the new reviewer's name; reject removes it from the tables)."""
    if decision.decision not in DECISIONS:
        raise GovreportError(decision.decision, f"decision must be one of {', '.join(DECISIONS)}")
    if not decision.reviewer.strip():
        raise GovreportError("--reviewer", "a reviewer name is required")
    verb = decision.decision
    if key.get("added") and verb in ("accept", "correct"):
        verb = "add"
    fields = {c: None for c in (*CORRECTABLE, "text")}
    if verb in ("correct", "add"):
        fields = checked_value(key, decision.fields)
        if verb == "correct" and all(fields[c] == key.get(c) for c in CORRECTABLE):
            raise GovreportError("correct", "nothing to correct: give a field that differs from the machine value")
    row = [key["sha256"], key["source_row"], key["part"], key["kind"], key["span_start"], key["span_end"],
           key.get("indicator_was"), key.get("measure_was"), None if key.get("added") else key.get("value"),
           None if key.get("added") else key.get("unit"), verb, *(fields[c] for c in CORRECTABLE), fields["text"],
           decision.reviewer.strip(), datetime.now(timezone.utc).replace(tzinfo=None), decision.note,
           key.get("report_id")]
    return con.execute(
        "INSERT INTO reviews (sha256, source_row, part, kind, span_start, span_end, indicator_was, measure_was,"
        " value_was, unit_was, decision, indicator, name, measure, value, high, unit, qualifier, new_start, new_end,"
        " text, reviewer, decided_at, note, report_id) VALUES (" + ", ".join("?" * len(row)) + ") RETURNING id",
        row).fetchone()[0]


def add_key(con: Any, rid: str, kind: str, start: int, end: int) -> dict[str, Any]:
    """The overlay key of a value a reviewer adds at ``start``..``end`` of a report (the span is its identity)."""
    if kind not in KINDS:
        raise GovreportError(kind, "kind must be target or actual")
    report = resolve_report(con, rid)
    if not 0 <= start < end <= len(report["text"]):
        raise GovreportError(f"{start}-{end}",
                             f"span must lie in the report text (0 <= start < end <= {len(report['text'])})")
    return {**{k: report[k] for k in ("sha256", "source_row", "part", "report_id")}, "kind": kind,
            "span_start": start, "span_end": end, "new_start": start, "new_end": end, "name": None,
            "report_text": report["text"], "added": True, "qualifier": "none", "high": None}


def number_in(text: str) -> dict[str, Any]:
    """The first number written in ``text`` and the unit right after it (units of the lexicon: a scale such as
    亿 and a base unit such as 元, or a percent unit): what a selection's form is prefilled with, a suggestion
    the reviewer confirms, never stored unseen."""
    lex = load_lexicon()
    percent = sorted(lex.percent_units, key=len, reverse=True)
    bases = sorted(lex.base_units, key=len, reverse=True)
    for start, end, value, _ in find_numbers(text.replace("％", "%")):
        tail = text[end:end + 12].replace("％", "%")
        unit = next((u for u in percent if tail.startswith(u)), None)
        if unit is None:
            scale = next((s for s in sorted(lex.scales, key=len, reverse=True) if tail.startswith(s)), "")
            base = next((b for b in bases if tail[len(scale):].startswith(b)), "")
            unit = (scale + base) or None
        return {"value": value, "unit": unit, "at": start}
    return {"value": None, "unit": None, "at": None}


# --- reading -----------------------------------------------------------------------------------------------------


def queue(con: Any, regions: list[str] | None = None, year: int | None = None, indicators: list[str] | None = None,
          limit: int = 50, include_reviewed: bool = False) -> list[dict[str, Any]]:
    """Values to check, riskiest first: flagged ones, then by confidence (lowest first, unscored ones as risky
    as can be), then in corpus order. Only values without a decision unless ``include_reviewed``."""
    parts, params = [], []
    for kind, (table, letter) in KINDS.items():
        year_col = "r.plan_year" if kind == "target" else "r.review_year"
        parts.append(f"""
SELECT r.report_id || ':{letter}' || m.idx AS id, r.report_id, '{kind}' AS kind, m.idx, r.region, r.region_code,
       {year_col} AS year, r.plan_year, m.indicator, m.name, m.measure, m.value, m.high, m.unit, m.qualifier, m.text AS evidence,
       m.confidence, m.flags, coalesce(d.decision, '') AS decision, d.reviewer
FROM {table} m JOIN reports r USING (report_id)
LEFT JOIN cur d ON {_decided(kind)}
WHERE r.duplicate_of IS NULL""")
    where = []
    if regions:
        where.append("region_code IN (SELECT unnest(?))")
        params.append(regions)
    if year:
        where.append("plan_year = ?")
        params.append(year)
    if indicators:
        where.append("indicator IN (SELECT unnest(?))")
        params.append(indicators)
    if not include_reviewed:
        where.append("decision = ''")
    sql = (f"WITH cur AS ({current_sql()}) SELECT * FROM ({' UNION ALL '.join(parts)})"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY coalesce(flags, '') = '' , confidence ASC NULLS FIRST, report_id, kind DESC, idx LIMIT ?")
    cur = con.execute(sql, [*params, limit])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def report_decisions(con: Any, rid: str) -> dict[str, Any]:
    """For the report view: the decision in force on each machine value (by ``t3``/``a0``) and the added values."""
    out: dict[str, Any] = {"values": {}, "added": []}
    for kind, (table, letter) in KINDS.items():
        rows = con.execute(f"""WITH cur AS ({current_sql()})
SELECT m.idx, d.decision, d.reviewer, d.decided_at, d.note, d.id FROM {table} m JOIN reports r USING (report_id)
JOIN cur d ON {_decided(kind)}
WHERE r.report_id = ?""", [rid]).fetchall()
        for idx, decision, reviewer, at, note, did in rows:
            out["values"][f"{letter}{idx}"] = {"decision": decision, "status": STATUS.get(decision, "rejected"),
                                               "reviewer": reviewer, "at": str(at)[:19], "note": note, "id": did}
    cur = con.execute(f"""WITH cur AS ({current_sql()})
SELECT d.id, d.kind, d.indicator, d.name, d.measure, d.value, d.high, d.unit, d.qualifier, d.new_start, d.new_end,
       d.text, d.reviewer, d.note FROM cur d JOIN reports r ON {_same_report('d')}
WHERE d.decision = 'add' AND r.report_id = ? ORDER BY d.new_start""", [rid])
    names = [c[0] for c in cur.description]
    out["added"] = [dict(zip(names, row)) for row in cur.fetchall()]
    return out


@dataclass
class Problem:
    """A decision whose value a re-parse no longer gives as it was reviewed."""

    id: int
    report_id: str | None
    kind: str
    span: tuple[int, int]
    indicator: str | None
    decision: str
    reviewer: str
    what: str  # moved | removed | indicator_changed | report_missing | text_changed
    detail: str
    to: tuple[int, int] | None = None  # the one span the value moved to, when there is exactly one (see rebind)


def classify(d: dict[str, Any], machine: list[dict[str, Any]]) -> tuple[str, str, tuple[int, int] | None] | None:
    """Why decision ``d`` no longer applies to the machine values of its report (None: it applies). ``machine``:
    that report's values of the decision's kind (indicator, measure, value, unit, span_start, span_end); ``d``
    carries ``report_id`` (None: no such report stored), ``at_span``, the report's characters at its span, and
    ``found_at``/``found_n``: where and how often an added value's characters occur in the report."""
    span = (d["span_start"], d["span_end"])
    if d["report_id"] is None:
        return "report_missing", "no stored report has this file's sha256, row and part (file removed?)", None
    if d["decision"] == "add":
        if d["at_span"] == d["text"]:
            return None
        to = (d["found_at"], d["found_at"] + span[1] - span[0]) if d["found_n"] == 1 else None
        where = f"; they occur once, at {to[0]}-{to[1]}" if to else f"; they occur {d['found_n'] or 0} times"
        return "text_changed", f"the characters at {span[0]}-{span[1]} are no longer {d['text']!r}{where}", to
    at_span = [m for m in machine if (m["span_start"], m["span_end"]) == span]
    if any(m["indicator"] == d["indicator_was"] and m["measure"] == d["measure_was"] for m in at_span):
        return None
    if at_span:
        now = ", ".join(f"{m['indicator']} {m['measure']}" for m in at_span)
        return "indicator_changed", f"the value at {span[0]}-{span[1]} is now {now}", None
    same = [m for m in machine if m["indicator"] == d["indicator_was"] and m["measure"] == d["measure_was"]
            and m["value"] == d["value_was"] and m["unit"] == d["unit_was"]]
    if same:
        to = (same[0]["span_start"], same[0]["span_end"]) if len(same) == 1 else None
        return "moved", "now at " + ", ".join(f"{m['span_start']}-{m['span_end']}" for m in same), to
    return "removed", "the parser no longer gives this value", None


def problems(con: Any) -> list[Problem]:
    """Decisions in force that a re-parse left without their value: one query for the decisions and their
    reports, one per value kind for the machine values of the reviewed reports."""
    cur = con.execute(f"""
SELECT d.* REPLACE (r.report_id AS report_id),
       substr(r.text, d.span_start + 1, d.span_end - d.span_start) AS at_span,
       instr(r.text, d.text) - 1 AS found_at,
       (length(r.text) - length(replace(r.text, d.text, ''))) // nullif(length(d.text), 0) AS found_n
FROM ({current_sql()}) d LEFT JOIN reports r ON {_same_report('d')}
WHERE NOT (d.decision = 'reject' AND d.measure_was IS NULL)  -- a rejected added value: nothing left to apply
  AND NOT EXISTS (SELECT 1 FROM reviews c WHERE c.carried_from = d.id)  -- carried to its new span (rebind)
ORDER BY d.id""")
    names = [c[0] for c in cur.description]
    decisions = [dict(zip(names, row)) for row in cur.fetchall()]
    machine: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for kind, (table, _) in KINDS.items():
        ids = sorted({d["report_id"] for d in decisions if d["report_id"] and d["kind"] == kind})
        rows = con.execute(f"SELECT report_id, indicator, measure, value, unit, span_start, span_end FROM {table}"
                           " WHERE report_id IN (SELECT unnest(?))", [ids]).fetchall()
        for rid, *value in rows:
            machine.setdefault((rid, kind), []).append(
                dict(zip(("indicator", "measure", "value", "unit", "span_start", "span_end"), value)))
    out = []
    for d in decisions:
        why = classify(d, machine.get((d["report_id"], d["kind"]), []))
        if why:
            out.append(Problem(int(d["id"]), d["report_id"], d["kind"], (int(d["span_start"]), int(d["span_end"])),
                               d["indicator_was"] or d["indicator"], d["decision"], d["reviewer"], *why))
    return out


def rebind(con: Any) -> list[tuple[int, int, Problem]]:
    """Carry each decision whose value only moved to its new span: a machine value whose indicator, measure,
    value and unit now sit at exactly one other span, or an added value whose characters occur exactly once.
    The decision is copied under the new key (same reviewer, time and fields; a correction's own span shifted
    alike; the note says from where); the old row stays. Returns (old id, new id, problem) per carried one."""
    carried = []
    for p in problems(con):
        if p.to is None:
            continue
        cur = con.execute("SELECT * FROM reviews WHERE id = ?", [p.id])
        row = dict(zip([c[0] for c in cur.description], cur.fetchone()))
        shift = p.to[0] - p.span[0]
        row.update(span_start=p.to[0], span_end=p.to[1], carried_from=p.id,
                   note="; ".join(x for x in (row["note"], f"carried from #{p.id}: {p.span[0]}-{p.span[1]} moved to "
                                                           f"{p.to[0]}-{p.to[1]}") if x))
        for end in ("new_start", "new_end"):
            if row[end] is not None:
                row[end] += shift
        del row["id"]
        new = con.execute(f"INSERT INTO reviews ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) RETURNING id",
                          list(row.values())).fetchone()[0]
        carried.append((p.id, new, p))
    return carried


# --- agreement and gold ------------------------------------------------------------------------------------------


@dataclass
class Agreement:
    a: str
    b: str
    n: int
    agreed: int
    table: dict[tuple[str, str], int]

    @property
    def percent(self) -> float:
        return 100.0 * self.agreed / self.n if self.n else float("nan")

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa over decision categories; None when chance agreement is total (one category only)."""
        if not self.n:
            return None
        pa, pb = Counter(), Counter()
        for (x, y), k in self.table.items():
            pa[x] += k
            pb[y] += k
        pe = sum(pa[c] * pb[c] for c in DECISIONS) / self.n ** 2
        po = self.agreed / self.n
        return None if pe >= 1 else (po - pe) / (1 - pe)


def agreement(con: Any, a: str, b: str) -> Agreement:
    """Two reviewers' latest decisions on the values both decided on (same key), as decision categories."""
    rows = con.execute(
        f"SELECT x.decision, y.decision, count(*) FROM ({current_sql(a)}) x JOIN ({current_sql(b)}) y USING"
        f" (sha256, part, kind, span_start, span_end) WHERE x.source_row IS NOT DISTINCT FROM y.source_row"
        f" AND x.indicator_was IS NOT DISTINCT FROM y.indicator_was AND x.measure_was IS NOT DISTINCT FROM"
        f" y.measure_was GROUP BY ALL").fetchall()
    table = {(x, y): int(k) for x, y, k in rows}
    return Agreement(a, b, sum(table.values()), sum(k for (x, y), k in table.items() if x == y), table)


def gold_records(con: Any, reviewer: str | None = None, partial: bool = False) -> tuple[list[dict[str, Any]],
                                                                                      list[tuple[str, int]]]:
    """The reviewed reports as gold records (../shared/gold/GUIDE.md schema): their targets and actuals after
    the overlay. A report is exported when every one of its values has a decision (or with ``partial``, when any
    has: its unchecked machine values are then kept, and counted in ``notes``). Returns the records and the
    skipped (report id, unchecked values) pairs."""
    values = " UNION ALL BY NAME ".join(
        f"SELECT '{kind}' AS kind, * FROM {reviewed_sql(table, kind, reviewer)}"
        for kind, (table, _) in KINDS.items())
    who = f" AND reviewer = {_quote(reviewer)}" if reviewer else ""
    rows = con.execute(f"""
SELECT r.report_id, r.path, r.part, r.parts, r.region, r.prefecture, r.province, r.level, r.meeting_date,
       r.review_year, r.plan_year, r.speaker, r.congress, v.kind, v.indicator, v.measure, v.value, v.high, v.unit,
       v.qualifier, v.relation, v.review_status
FROM reports r JOIN ({values}) v USING (report_id)
WHERE EXISTS (SELECT 1 FROM reviews d WHERE {_same_report('d')}{who})
ORDER BY r.path, r.row_number, r.part, v.kind DESC, v.idx""").fetchall()
    by_report: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_report.setdefault(row[0], []).append(row)
    records, skipped = [], []
    for rid, items in by_report.items():
        unchecked = sum(1 for x in items if x[21] == "machine")
        if unchecked and not partial:
            skipped.append((rid, unchecked))
            continue
        first = items[0]
        rec: dict[str, Any] = {
            "doc": Path(first[1]).name, "part": 0 if first[3] == 1 else first[2], "region": first[4],
            "parent": first[5], "province": first[6], "level": first[7],
            "meeting_date": first[8].isoformat() if first[8] else None, "review_year": first[9],
            "plan_year": first[10], "speaker": first[11], "session": first[12],
            "targets": [], "qualitative": [], "actuals": []}
        for x in items:
            kind, indicator, measure, value, high, unit, qualifier, relation = x[13:21]
            if value is None:
                if kind == "target" and indicator and relation != "not_set" and indicator not in rec["qualitative"]:
                    rec["qualitative"].append(indicator)
                continue
            entry = {"indicator": indicator, "measure": measure, "value": _plain_number(value), "unit": unit,
                     "qualifier": qualifier or "none"}
            if high is not None:
                entry["high"] = _plain_number(high)
            rec["targets" if kind == "target" else "actuals"].append(entry)
        counts = Counter(x[21] for x in items)
        rec["notes"] = (f"exported from the review overlay ({reviewer or 'latest decision of any reviewer'}): "
                        + ", ".join(f"{counts[s]} {s}" for s in (*VERIFIED, "machine") if counts[s])
                        + "; metadata fields are the parser's, not reviewed")
        records.append(rec)
    return records, skipped


def _plain_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)
