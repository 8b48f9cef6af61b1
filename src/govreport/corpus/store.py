"""The corpus database: parsed reports in an embedded DuckDB file, ingested incrementally and crash-safely.

Parsed files are committed in groups, one transaction per group (see GROUP_FILES): a file's reports, values,
sections and warnings are replaced together with the rest of its group or not at all, so an ingest killed
half-way leaves a consistent database and a rerun finishes the job; a group the database refuses is written
again one file per transaction, so a bad file costs only itself. A file is
skipped when its bytes (sha256), the parser version and the lexicon version are all unchanged. Every row keeps
its provenance (path, sha256, part, parser and lexicon versions, division-table vintage).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from govreport import __version__

from govreport.knowledge import divisions
from govreport.knowledge.lexicon import load_lexicon
from govreport.corpus import search
from govreport.model import GovreportError, Report, report_from_dict, report_id
from govreport.parsing.pipeline import expand_paths, iter_parse_file
from govreport.parsing.read import manifest_reason
from govreport.parsing.workers import DEFAULT_BUDGET, OverBudget, run_pool, time_budget

DEFAULT_DB = "govreport.duckdb"
SCHEMA_VERSION = 2
# Columns added to the value tables after schema 1, in order: opening an older database adds them (see
# Store._upgrade). flags holds the value's flag codes joined by ',' ('' = none; NULL = stored before scoring).
ADDED_VALUE_COLUMNS = (("confidence", "DOUBLE"), ("flags", "VARCHAR"))
VALUE_COLUMNS = (
    "report_id VARCHAR, idx INTEGER, indicator VARCHAR, name VARCHAR, measure VARCHAR, value DOUBLE, high DOUBLE,"
    " unit VARCHAR, qualifier VARCHAR, modifier VARCHAR, relation VARCHAR, estimated BOOLEAN, scope VARCHAR,"
    " span_start INTEGER, span_end INTEGER, text VARCHAR, section INTEGER, "
    + ", ".join(f"{name} {kind}" for name, kind in ADDED_VALUE_COLUMNS)
)
COMMITMENT_COLUMNS = (
    "report_id VARCHAR, idx INTEGER, part VARCHAR, action VARCHAR, object VARCHAR, value DOUBLE, unit VARCHAR,"
    " number_text VARCHAR, qualifier VARCHAR, modifier VARCHAR, strength INTEGER, strength_word VARCHAR,"
    " section INTEGER, span_start INTEGER, span_end INTEGER, text VARCHAR"
)
REVIEW_COLUMNS = (
    "sha256 VARCHAR NOT NULL, source_row INTEGER, part INTEGER NOT NULL, kind VARCHAR NOT NULL,"
    " span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, indicator_was VARCHAR, measure_was VARCHAR,"
    " value_was DOUBLE, unit_was VARCHAR, decision VARCHAR NOT NULL, indicator VARCHAR, name VARCHAR, measure VARCHAR,"
    " value DOUBLE, high DOUBLE, unit VARCHAR, qualifier VARCHAR, new_start INTEGER, new_end INTEGER, text VARCHAR,"
    " reviewer VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL, note VARCHAR, report_id VARCHAR, carried_from BIGINT"
)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
  path VARCHAR PRIMARY KEY, sha256 VARCHAR, size BIGINT, parser_version VARCHAR, lexicon_version VARCHAR,
  status VARCHAR, error VARCHAR, reports INTEGER, ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS reports (
  report_id VARCHAR PRIMARY KEY, path VARCHAR, sha256 VARCHAR, part INTEGER, parts INTEGER, row_number INTEGER,
  format VARCHAR, encoding VARCHAR, title VARCHAR, kind VARCHAR, truncated BOOLEAN, region VARCHAR,
  region_code VARCHAR, level VARCHAR, province VARCHAR, prefecture VARCHAR, meeting_date DATE,
  congress VARCHAR, congress_term INTEGER, congress_session INTEGER, speaker VARCHAR, speaker_title VARCHAR,
  review_year INTEGER, plan_year INTEGER, n_targets INTEGER, n_actuals INTEGER, n_warnings INTEGER,
  parser_version VARCHAR, lexicon_version VARCHAR, divisions_vintage VARCHAR, duplicate_of VARCHAR,
  text_key VARCHAR, meta JSON, text VARCHAR, record JSON);
CREATE TABLE IF NOT EXISTS targets ({VALUE_COLUMNS});
CREATE TABLE IF NOT EXISTS actuals ({VALUE_COLUMNS});
CREATE TABLE IF NOT EXISTS sections (
  report_id VARCHAR, idx INTEGER, title VARCHAR, level INTEGER, kind VARCHAR, scope VARCHAR, marker VARCHAR,
  parent INTEGER, span_start INTEGER, span_end INTEGER);
CREATE TABLE IF NOT EXISTS warnings (report_id VARCHAR, idx INTEGER, message VARCHAR);
CREATE TABLE IF NOT EXISTS tasks (
  report_id VARCHAR, idx INTEGER, part VARCHAR, rank INTEGER, heading VARCHAR, level INTEGER, section INTEGER,
  themes VARCHAR, span_start INTEGER, span_end INTEGER);
CREATE TABLE IF NOT EXISTS commitments ({COMMITMENT_COLUMNS});
CREATE TABLE IF NOT EXISTS livelihood (
  report_id VARCHAR, count INTEGER, text VARCHAR, span_start INTEGER, span_end INTEGER, items JSON);
CREATE SEQUENCE IF NOT EXISTS review_ids;
CREATE TABLE IF NOT EXISTS reviews (id BIGINT PRIMARY KEY DEFAULT nextval('review_ids'), {REVIEW_COLUMNS});
"""
# ``reviews`` is the review overlay (govreport.corpus.review): keyed to a file's sha256, row and part and a value's
# span, never written by ingest (REPORT_TABLES), so decisions outlive every re-parse of the values tables.
REPORT_TABLES = ("targets", "actuals", "sections", "warnings", "tasks", "commitments", "livelihood")


def default_db() -> str:
    return os.environ.get("GOVREPORT_DB") or DEFAULT_DB


APPLICATION = "govreport"
# The tool is offline: DuckDB must never fetch an extension (it tries to, for a SQLite file given as --db).
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
# Suffixes of data files a user may pass as --db by mistake (DuckDB would silently create a database there).
NOT_DB_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt", ".md", ".html", ".htm", ".docx", ".pdf",
                   ".xlsx", ".parquet", ".dta", ".sqlite", ".sqlite3"}


# Databases this process holds open, by real path. Their header is not read again: closing any descriptor of
# a file drops the process's POSIX locks on it, so a second look would let another process write under us.
_OPEN: dict[str, int] = {}


def check_db_file(path: str) -> None:
    """Refuse a --db path that is not a DuckDB database before DuckDB opens it (one-line error naming it)."""
    p = Path(path)
    if _OPEN.get(os.path.realpath(path)):
        return
    if p.is_dir():
        raise GovreportError(path, "is a directory, not a database file")
    if p.exists() and p.stat().st_size > 0:
        try:
            with open(p, "rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise GovreportError(path, f"cannot read database: {exc.strerror or exc}") from None
        if head.startswith(b"SQLite format 3"):
            raise GovreportError(path, "is a SQLite database, not a govreport (DuckDB) database")
        if head[8:12] != DUCKDB_MAGIC:
            raise GovreportError(path, "not a DuckDB database file (give a new or existing .duckdb file as --db)")
    elif p.suffix.lower() in NOT_DB_SUFFIXES:
        raise GovreportError(path, f"a {p.suffix} file is not a database; give a .duckdb file as --db")


def connect(path: str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file offline (no extension auto-install/auto-load); a held lock names its holder."""
    try:
        return duckdb.connect(path, read_only=read_only, config=dict(DUCKDB_CONFIG))
    except duckdb.IOException as exc:
        msg = str(exc).splitlines()[0]
        if "lock" in msg.lower():
            raise GovreportError(path, lock_message(msg)) from None
        raise GovreportError(path, f"cannot open database: {msg}") from None
    except duckdb.Error as exc:
        raise GovreportError(path, f"not a govreport database ({str(exc).splitlines()[0]})") from None


def lock_message(msg: str) -> str:
    """DuckDB allows one writing process or several reading ones: say which process holds the file."""
    pid = re.search(r"\(PID (\d+)\)", msg)
    holder = f"process {pid.group(1)}" if pid else "another process"
    if pid:
        try:
            with open(f"/proc/{pid.group(1)}/cmdline", "rb") as fh:
                argv = [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
        except OSError:
            argv = []
        if "serve" in argv and any("govreport" in a for a in argv):
            return (f"database is open in `govreport serve` ({holder}); a database being served cannot be "
                    "written: stop serve, ingest, then serve again (or ingest into another --db file)")
        if argv:
            holder += f" ({' '.join(argv)[:80]})"
    return f"database is locked by {holder}: is an ingest running? only one process may write it at a time"


def split_list(values: str | Iterable[str]) -> list[str]:
    """``-r 广东,浙江 -r 杭州`` -> [广东, 浙江, 杭州]: repeated options and comma lists mean the same."""
    items = [values] if isinstance(values, str) else list(values)
    return [v.strip() for item in items for v in re.split(r"[,，、]", str(item)) if v.strip()]


def region_aliases(name: str, code: str) -> set[str]:
    """Every way a user may write a region: its code, full name and short forms (广东省 -> 广东, 内蒙古自治区 ->
    内蒙古, 海拉尔区 -> 海拉尔). Unlike text mentions, a filter may use a short form that is a common word (朝阳)."""
    forms = {code, name} | set(divisions.aliases(divisions.Division(code, name, "", None, None)))
    if len(name) >= 3 and name[-1] in "省市区县盟旗州":
        forms.add(name[:-1])
    if len(name) >= 5 and name[-3:] in ("自治区", "自治州", "自治县", "自治旗"):
        forms.add(name[:-3])  # 内蒙古自治区 -> 内蒙古 (the ethnic word is part of the place name)
    if code == divisions.NATIONAL.code:
        forms.update({"中国", "全国", "国务院"})
    return forms


def resolve_regions(names: str | Iterable[str], known: Iterable[tuple[str, str]]) -> list[str]:
    """The codes among ``known`` (name, code) pairs that ``names`` select; an unmatched name is an error."""
    known = list(known)
    index: dict[str, set[str]] = {}
    for name, code in known:
        for form in region_aliases(name or "", code):
            index.setdefault(form, set()).add(code)
    codes: list[str] = []
    for query in split_list(names):
        hits = index.get(query)
        if not hits:
            close = sorted({n for n, _ in known if n and (query in n or n in query)})[:5]
            hint = f"; did you mean {', '.join(close)}?" if close else " (see `govreport reports`)"
            raise GovreportError(query, f"no such region in the corpus{hint}")
        codes += sorted(hits - set(codes))
    return codes


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


WORD_RUNS = re.compile(r"[^\W_]+")


def _text_key(text: str) -> str:
    """A fingerprint insensitive to whitespace and punctuation, for near-identical copies of one report."""
    core = "".join(WORD_RUNS.findall(text))  # what a sub of [\s\W_]+ by "" keeps, 20% faster
    return hashlib.sha1(core.encode("utf-8")).hexdigest()[:16]


@dataclass
class IngestSummary:
    added: int = 0  # reports added from new files
    updated: int = 0  # reports re-parsed from changed files (or after a parser/lexicon change)
    skipped: int = 0  # files unchanged since the last ingest
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    files: int = 0
    copies: list[tuple[str, str]] = field(default_factory=list)  # (path, stored path with the same bytes)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, why it is not a report file)

    @property
    def usable(self) -> bool:
        """Did anything of the input end up in (or stay valid in) the database?"""
        return bool(self.added or self.updated or self.skipped or self.copies)


Rows = dict[str, list[tuple[Any, ...]]]  # table -> rows in column order


def report_rows(report: Report) -> Rows:
    """Every row ``report`` adds to the database, by table (its ``reports`` row first). A pure function, so
    ingest workers build the rows beside the parse and the one writer only inserts them."""
    rid = report_id(report)
    src, reg = report.source, report.region
    rows: Rows = {"reports": [(
        rid, src.path, src.sha256, src.part, src.parts, src.row, src.format, src.encoding, report.title, report.kind,
        report.truncated, reg.name, reg.code, reg.level, reg.province, reg.prefecture, report.meeting_date,
        report.congress.text, report.congress.term, report.congress.session, report.speaker.name,
        report.speaker.title, report.review_year, report.plan_year, len(report.targets), len(report.actuals),
        len(report.warnings), report.versions.get("parser"), report.versions.get("lexicon"),
        report.versions.get("divisions"), None, _text_key(report.text),
        json.dumps(src.meta, ensure_ascii=False, default=str), report.text,
        report.to_json(include_text=False))]}
    for table, values in (("targets", report.targets), ("actuals", report.actuals)):
        rows[table] = [(rid, i, v.indicator, v.name, v.measure, v.value, v.high, v.unit, v.qualifier, v.modifier,
                        v.relation, v.estimated, v.scope, v.span[0], v.span[1], v.text, v.section, v.confidence,
                        ",".join(v.flags)) for i, v in enumerate(values)]
    rows["sections"] = [(rid, i, s.title, s.level, s.kind, s.scope, s.marker, s.parent, s.span[0], s.span[1])
                        for i, s in enumerate(report.sections)]
    rows["warnings"] = [(rid, i, w) for i, w in enumerate(report.warnings)]
    rows["tasks"] = [(rid, i, t.part, t.rank, t.heading, t.level, t.section, ",".join(t.themes), t.span[0],
                      t.span[1]) for i, t in enumerate(report.tasks)]
    rows["commitments"] = [
        (rid, i, c.part, c.action, c.object, c.value, c.unit, c.number_text, c.qualifier, c.modifier, c.strength,
         c.strength_word, c.section, c.span[0], c.span[1], c.text)
        for i, c in enumerate(report.commitments + report.achievements)
    ]
    if report.livelihood is not None:
        lv = report.livelihood
        span = lv.span or (None, None)
        rows["livelihood"] = [(rid, lv.count, lv.text, span[0], span[1], json.dumps(lv.items, ensure_ascii=False))]
    return rows


@dataclass
class FileRows:
    """One input file ready to store: its reports' rows, or (with no reports) the error that left it empty."""

    path: str
    sha: str
    size: int
    reports: list[Rows]
    error: str | None = None

    @property
    def ids(self) -> list[str]:
        return [rows["reports"][0][0] for rows in self.reports]


@dataclass
class _Batch:
    """Writes waiting for one flush: the stored report ids to delete first, then rows to insert by table."""

    lexicon_version: str
    delete: list[str] = field(default_factory=list)
    rows: Rows = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)  # report id -> path, for the reports to insert

    def add(self, f: FileRows, delete: list[str], insert: bool = True, note: str | None = None) -> None:
        """Replace what is stored for ``f.path``: its ``files`` row always, its reports' rows if ``insert``."""
        self.delete += delete
        if insert:
            for report in f.reports:
                for table, rows in report.items():
                    self.rows.setdefault(table, []).extend(rows)
            self.owner.update(dict.fromkeys(f.ids, f.path))
        self.rows.setdefault("files", []).append(
            (f.path, f.sha, f.size, __version__, self.lexicon_version, "error" if f.error else "ok", f.error or note,
             len(f.reports), datetime.now(timezone.utc).replace(tzinfo=None)))


class Store:
    """The corpus database. ``read_only`` opens without a write lock (several readers may share the file)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, read_only: bool = False):
        self.path = str(path or default_db())
        if read_only and not Path(self.path).exists():
            raise GovreportError(self.path, "no such database (run `govreport ingest` first)")
        check_db_file(self.path)
        self.con = connect(self.path, read_only=read_only)
        self._real = os.path.realpath(self.path)
        _OPEN[self._real] = _OPEN.get(self._real, 0) + 1
        self.read_only = read_only
        self.search_index = False
        if not read_only:
            self._check_owner()
            self.con.execute(SCHEMA)
            self._upgrade()
            search.prepare(self.con)
            self.search_index = search.enabled(self.con)  # opt-in: see corpus.search.enabled
            if self.search_index and search.missing(self.con):  # reports stored around the store
                search.complete(self.con)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('application', ?)", [APPLICATION])
        elif not self._has_table("reports"):
            self.close()
            raise GovreportError(self.path, "not a govreport database (no reports table)")
        else:
            self._upgrade()
            if not self._has_table("reviews"):  # from before the overlay: an empty one, in memory only
                self.con.execute(f"CREATE TEMP TABLE reviews (id BIGINT, {REVIEW_COLUMNS})")

    def _upgrade(self) -> None:
        """Give a database from an older schema the value columns added since, so every query may name them.
        Writing: the columns are added (NULL in old rows) and the stored files are marked for re-parsing (their
        parser version cleared), so the next ingest fills them. Read-only: a temporary view per table shows the
        missing columns as NULL, and the file is left untouched."""
        for table in ("targets", "actuals"):
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
                [table]).fetchall()}
            missing = [(name, kind) for name, kind in ADDED_VALUE_COLUMNS if name not in have]
            if not missing or not have:  # up to date, or no such table (a read-only open of a partial file)
                continue
            if self.read_only:
                db = self.con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
                extra = ", ".join(f"NULL::{kind} AS {name}" for name, kind in missing)
                self.con.execute(f'CREATE OR REPLACE TEMP VIEW {table} AS SELECT *, {extra} FROM "{db}".main.{table}')
                continue
            for name, kind in missing:
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
            self.con.execute("UPDATE files SET parser_version = NULL")

    def _check_owner(self) -> None:
        """Refuse to add govreport's tables to another program's DuckDB file: only an empty database or one
        carrying govreport's marker (meta.application, or meta.schema_version from before the marker) is ours."""
        tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()").fetchall()]
        if not tables:
            return
        if "meta" in tables:
            keys = {r[0] for r in self.con.execute("SELECT key FROM meta").fetchall()}
            if keys & {"application", "schema_version"}:
                return
        self.close()
        shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
        raise GovreportError(self.path, f"a DuckDB database of another program (tables: {shown}); "
                                        "govreport writes only to its own databases: give a new --db file")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()
        if self._real and _OPEN.get(self._real):
            _OPEN[self._real] -= 1
        self._real = ""  # closing twice must not release another Store's count

    def _has_table(self, name: str) -> bool:
        rows = self.con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
        return bool(rows)

    # --- writing ----------------------------------------------------------------------------------------

    def file_statuses(self, paths: list[str]) -> dict[str, tuple[str, str, str]]:
        """sha256, parser and lexicon version of each of ``paths`` stored whole: one query for many files."""
        rows = self.con.execute("SELECT path, sha256, parser_version, lexicon_version FROM files"
                                " WHERE status = 'ok' AND path IN (SELECT unnest(?))", [paths]).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def write(self, files: list[FileRows], lexicon_version: str) -> list[tuple[int, str | None]]:
        """Store a group of files in one transaction: all of them or none, so a SIGKILL loses at most the
        group being written and a rerun (which skips committed files by their sha256) redoes it.

        Each file replaces everything stored for its path. Report ids come from a file's bytes, so a
        byte-identical copy at another path (or a renamed file) would collide: its reports are stored once,
        under the first path, and this path is recorded in ``files`` as a copy. Files whose reports are new or
        re-parsed in place (nearly all of any ingest) are written together, one insert per table; a changed,
        copied or renamed file is handled on its own inside the same transaction. Returns, per file, the number
        of stored reports it replaced and the path it is a copy of."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            done = self._write(files, lexicon_version)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT (disk full) ends the transaction itself; its own error is the one to report
            raise
        return done

    def _write(self, files: list[FileRows], lexicon_version: str) -> list[tuple[int, str | None]]:
        done: list[tuple[int, str | None]] = []
        batch = _Batch(lexicon_version)
        old, held = self._snapshot(files)
        for k, f in enumerate(files):
            mine, ids = old.get(f.path, []), f.ids
            holder = next((p for i in ids for p in (batch.owner.get(i), held.get(i)) if p and p != f.path), None)
            if holder is None and (not mine or set(mine) == set(ids)):
                batch.add(f, mine)
                done.append((len(mine), None))
                continue
            self._flush(batch)  # the file's own queries must see everything written before it
            done.append(self._replace(f, batch))
            self._flush(batch)
            old, held = self._snapshot(files[k + 1:])
        self._flush(batch)
        return done

    def _snapshot(self, files: list[FileRows]) -> tuple[dict[str, list[str]], dict[str, str]]:
        """What is stored now for ``files``: report ids by path, and the path holding each of their ids."""
        old: dict[str, list[str]] = {}
        if not files:
            return old, {}
        for path, rid in self.con.execute("SELECT path, report_id FROM reports WHERE path IN (SELECT unnest(?))",
                                          [[f.path for f in files]]).fetchall():
            old.setdefault(path, []).append(rid)
        ids = [i for f in files for i in f.ids]
        held = self.con.execute("SELECT report_id, path FROM reports WHERE report_id IN (SELECT unnest(?))",
                                [ids]).fetchall() if ids else []
        return old, dict(held)

    def _replace(self, f: FileRows, batch: _Batch) -> tuple[int, str | None]:
        """One file whose path or bytes are already stored otherwise: changed, copied, renamed or unreadable."""
        old = [r[0] for r in self.con.execute("SELECT report_id FROM reports WHERE path = ?", [f.path]).fetchall()]
        if f.error and not f.reports and old:  # a file that no longer parses: keep what was stored
            self.con.execute("UPDATE files SET error = ? WHERE path = ?", [f.error, f.path])
            return 0, None
        ids = f.ids
        holder = self._holder(ids, f.path)
        if old and not (holder is None and set(old) == set(ids)):
            old = self._hand_over(f.path, old)
        if holder is not None and not Path(holder).exists() and Path(f.path).exists():
            self._move(holder, f.path)  # the stored file was renamed: its reports follow it
            batch.add(f, old, insert=False)
            return len(old), None
        batch.add(f, old, insert=holder is None, note=f"copy of {holder}" if holder else None)
        return len(old), holder

    def _flush(self, batch: _Batch) -> None:
        """Apply a batch: delete the reports it replaces and the files rows it rewrites, then one insert per table."""
        if batch.delete:
            for table in REPORT_TABLES + ("reports",):
                self.con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT unnest(?))", [batch.delete])
            search.remove(self.con, batch.delete)
        if "files" in batch.rows:
            self.con.execute("DELETE FROM files WHERE path IN (SELECT unnest(?))", [[r[0] for r in batch.rows["files"]]])
        for table, rows in batch.rows.items():
            if not rows:
                continue
            columns = list(zip(*rows))
            arrow = pa.Table.from_arrays([pa.array(col, type=t) for col, t in zip(columns, self._types(table))],
                                         names=self._columns(table))
            self.con.from_arrow(arrow).insert_into(table)
        if self.search_index:
            text = self._columns("reports").index("text")
            search.add(self.con, [(row[0], row[text]) for row in batch.rows.get("reports", [])])
        batch.delete, batch.rows, batch.owner = [], {}, {}

    def _holder(self, ids: list[str], path: str) -> str | None:
        """The other path whose stored reports carry these ids (the same bytes), if any."""
        if not ids:
            return None
        row = self.con.execute("SELECT path FROM reports WHERE report_id IN (SELECT unnest(?)) AND path <> ? LIMIT 1",
                               [ids, path]).fetchone()
        return row[0] if row else None

    def _hand_over(self, path: str, old: list[str]) -> list[str]:
        """Before ``path``'s reports are replaced, give them to a recorded copy of the same bytes, if any;
        returns the ids still to delete."""
        row = self.con.execute(
            "SELECT c.path FROM files f JOIN files c ON c.sha256 = f.sha256 AND c.path <> f.path AND c.status = 'ok'"
            " WHERE f.path = ? ORDER BY c.path LIMIT 1", [path]).fetchone()
        if row is None:
            return old
        self._move(path, row[0])
        self.con.execute("UPDATE files SET error = NULL WHERE path = ?", [row[0]])
        return []

    def _move(self, old_path: str, new_path: str) -> None:
        """Re-home stored reports to another path holding the same bytes (a copy, or the file renamed)."""
        rows = self.con.execute("SELECT report_id, record FROM reports WHERE path = ?", [old_path]).fetchall()
        for rid, record in rows:
            data = json.loads(record)
            data.setdefault("source", {})["path"] = new_path
            self.con.execute("UPDATE reports SET path = ?, record = ? WHERE report_id = ?",
                             [new_path, json.dumps(data, ensure_ascii=False), rid])
        self.con.execute("UPDATE files SET status = 'moved', error = ? WHERE path = ? AND NOT EXISTS "
                         "(SELECT 1 FROM reports WHERE path = ?)", [f"reports now under {new_path}", old_path,
                                                                    old_path])

    def add(self, reports: Iterable[Report]) -> None:
        """Store reports that did not come from an ingested file (e.g. a web upload), one file per source path,
        all in one transaction."""
        by_path: dict[str, list[Report]] = {}
        for r in reports:
            by_path.setdefault(r.source.path, []).append(r)
        self.write([FileRows(path, group[0].source.sha256, len(group[0].text.encode()), [report_rows(r) for r in group])
                    for path, group in by_path.items()], load_lexicon().version)
        self.link_duplicates()

    @functools.cache  # noqa: B019 (one Store per database file; the schema does not change)
    def _columns(self, table: str) -> list[str]:
        return [r[0] for r in self.con.execute(f"DESCRIBE {table}").fetchall()]

    @functools.cache  # noqa: B019
    def _types(self, table: str) -> list[pa.DataType]:
        arrow = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
                 "JSON": pa.string(), "BIGINT": pa.int64(),
                 "DATE": pa.string(), "TIMESTAMP": pa.timestamp("us")}  # ISO date strings: DuckDB casts them
        return [arrow[r[1]] for r in self.con.execute(f"DESCRIBE {table}").fetchall()]

    def link_duplicates(self) -> None:
        """Mark copies of one report from different sources: same region code and plan year, same text
        fingerprint (or near-identical length and opening). The earliest id is kept; panels skip the rest."""
        self.con.execute("UPDATE reports SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL")
        self.con.execute(
            """
            UPDATE reports AS r SET duplicate_of = d.keep FROM (
              SELECT report_id, first_value(report_id) OVER w AS keep
              FROM reports WHERE region_code IS NOT NULL AND plan_year IS NOT NULL
              WINDOW w AS (PARTITION BY region_code, plan_year, text_key ORDER BY report_id)
            ) AS d
            WHERE r.report_id = d.report_id AND d.keep <> d.report_id
            """
        )
        self.con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _heads AS
            SELECT report_id, region_code, plan_year, kind, length(text) AS n,
                   left(regexp_replace(left(text, 3000), '\\s', '', 'g'), 2000) AS head,
                   row_number() OVER (PARTITION BY region_code, plan_year, kind ORDER BY report_id) AS pos
            FROM reports WHERE region_code IS NOT NULL AND plan_year IS NOT NULL AND duplicate_of IS NULL
            """
        )
        # A copy keeps the earliest report whose length and opening it nearly shares. Round k compares the k-th
        # report of every (region, year, kind) with the later ones not matched yet, so the first match found is
        # the earliest, and the many copies of one report are settled in the first round rather than compared
        # pair by pair (the jaccard of every pair of 10,000 copies took longer than parsing them).
        self.con.execute("CREATE OR REPLACE TEMP TABLE _kept (report_id VARCHAR, keep VARCHAR)")
        k = 1
        while self.con.execute("SELECT count(*) FROM _heads WHERE pos > ? AND report_id NOT IN "
                               "(SELECT report_id FROM _kept)", [k]).fetchone()[0]:
            self.con.execute(
                """
                INSERT INTO _kept SELECT b.report_id, a.report_id
                FROM _heads a JOIN _heads b
                  ON a.region_code = b.region_code AND a.plan_year = b.plan_year AND a.kind = b.kind
                 AND a.pos = ? AND b.pos > ? AND abs(a.n - b.n) <= 0.02 * greatest(a.n, b.n)
                WHERE b.report_id NOT IN (SELECT report_id FROM _kept) AND jaccard(a.head, b.head) > 0.95
                """, [k, k])
            k += 1
        self.con.execute("UPDATE reports AS r SET duplicate_of = d.keep FROM _kept AS d"
                         " WHERE r.report_id = d.report_id")
        self.con.execute("DROP TABLE IF EXISTS _kept")
        self.con.execute("DROP TABLE IF EXISTS _heads")

    # --- reading ----------------------------------------------------------------------------------------

    def _where(self, region: str | list[str] | None = None, level: str | None = None, year: int | None = None,
               code: str | None = None, include_duplicates: bool = True) -> tuple[str, list[Any]]:
        """SQL filter on reports. ``region``: names or codes, resolved by ``resolve_regions``; ``year``: the
        plan year (the year a report plans for; it reviews the year before)."""
        clauses, params = [], []
        if region:
            clauses.append("region_code IN (SELECT unnest(?))")
            params.append(self.resolve_regions(region))
        if level:
            clauses.append("level = ?")
            params.append(level)
        if year:
            clauses.append("plan_year = ?")
            params.append(int(year))
        if code:
            clauses.append("region_code = ?")
            params.append(code)
        if not include_duplicates:
            clauses.append("duplicate_of IS NULL")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def resolve_regions(self, names: str | Iterable[str]) -> list[str]:
        """Division codes of the stored regions called ``names`` (comma lists allowed); every command filters
        regions through here. A name is a code (440000), a full name (广东省) or a short one (广东, 海拉尔,
        内蒙古); a name that matches no stored region is a GovreportError that says what is close."""
        rows = self.con.execute("SELECT DISTINCT region, region_code FROM reports WHERE region_code IS NOT NULL"
                                ).fetchall()
        items, codes = split_list(names), {code for _, code in rows}
        if all(item in codes for item in items):  # codes stand for themselves: no alias table to build
            return list(dict.fromkeys(items))
        return resolve_regions(items, rows)

    def iter_reports(self, **filters: Any) -> Iterator[Report]:
        """Reports (with text) as Report objects, in a stable order; filters: region, level, year, code."""
        where, params = self._where(**filters)
        cur = self.con.execute(f"SELECT record, text FROM reports{where} ORDER BY path, row_number, part", params)
        while True:
            rows = cur.fetchmany(200)
            if not rows:
                return
            for record, text in rows:
                data = json.loads(record)
                data["text"] = text
                yield report_from_dict(data)

    def report(self, rid: str) -> Report:
        """One report by its id, or by a prefix of it that only one id starts with (ids shown cut still work)."""
        rid = rid.strip()
        row = self.con.execute("SELECT record, text FROM reports WHERE report_id = ?", [rid]).fetchone()
        if row is None and rid:
            rows = self.con.execute("SELECT report_id FROM reports WHERE starts_with(report_id, ?) ORDER BY 1 LIMIT 6",
                                    [rid.rstrip("…")]).fetchall()
            if len(rows) > 1:
                shown = ", ".join(r[0] for r in rows[:5]) + (" …" if len(rows) > 5 else "")
                raise GovreportError(rid, f"report id prefix is ambiguous ({shown})")
            if rows:
                row = self.con.execute("SELECT record, text FROM reports WHERE report_id = ?", [rows[0][0]]).fetchone()
        if row is None:
            raise KeyError(rid)
        data = json.loads(row[0])
        data["text"] = row[1]
        return report_from_dict(data)

    def search_text(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Chinese substring search over the stored texts: report id, first hit offset and number of hits
        (overlapping ones counted), most hits first."""
        found = search.lookup(self.con, query)  # the positional index (corpus.search): no text is read
        rows = self.con.execute("SELECT report_id, region, plan_year FROM reports WHERE report_id IN (SELECT unnest(?))",
                                [list(found)]).fetchall()
        hits = [{"report_id": rid, "region": region, "plan_year": year, "start": found[rid][0], "hits": found[rid][1]}
                for rid, region, year in rows]
        return sorted(hits, key=lambda h: (-h["hits"], h["report_id"]))[:limit]

    def query(self, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple]]:
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()


# --- ingest ------------------------------------------------------------------------------------------------

# Ingest commits parsed files in groups: a group closes at GROUP_FILES files, GROUP_BYTES of input or
# GROUP_SECONDS after its first file arrived, whichever comes first. One transaction per group takes the
# per-file cost of a commit and of a dozen small statements off the single writer; the limits bound both the
# memory a group holds and the finished work a SIGKILL can lose (a rerun redoes it).
GROUP_FILES = 50
GROUP_BYTES = 16 << 20
GROUP_SECONDS = 1.0
SCAN_CHUNK = 1000  # files looked up in the database with one query when deciding what to skip
# Errors about a file's own rows (a value no column holds, text the database refuses). Anything else (disk
# full, a damaged database) stops the ingest: writing the next file would fail the same way.
STORE_REFUSALS = (ValueError, TypeError, OverflowError, pa.ArrowException, duckdb.DataError, duckdb.IntegrityError,
                  duckdb.InvalidInputException)


def _parse_file(args: tuple[str, str | None, str | None, float]) -> tuple[str, list[Rows], list[str]]:
    """Worker: parse one file into the rows it adds to the database (picklable), collecting error messages."""
    path, lexicon, text_column, budget = args
    reports, errors = [], []
    try:
        with time_budget(budget):
            for item in iter_parse_file(path, lexicon=lexicon, text_column=text_column):
                if isinstance(item, GovreportError):
                    errors.append(str(item))
                else:
                    reports.append(report_rows(item))
    except OverBudget as exc:
        reports, errors = [], [f"{path}: {exc}"]
    except Exception as exc:  # an unexpected parser failure must not stop the batch
        errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
    return path, reports, errors


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str] | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    lexicon: str | None = None,
    text_column: str | None = None,
    progress: Callable[[str], None] | None = None,
    budget: float = DEFAULT_BUDGET,
    search_index: bool = False,
) -> IngestSummary:
    """Parse files into the database, committed in groups of files (see GROUP_FILES); unchanged files are
    skipped. ``progress`` is called for each file once its outcome is stored.

    Paths are stored absolute, so the same file given relatively and absolutely is one file. ``search_index``
    makes the corpus keep the search index of the texts (see corpus.search.enabled), from these files on."""
    summary = IngestSummary()
    lex_version = load_lexicon(lexicon).version
    with Store(db) as store:
        if search_index and not store.search_index:
            search.enable(store.con)  # indexes what is stored already, before any worker starts: every thread
            store.search_index = True
        # One DuckDB thread from here on: ingest's inserts are small and the workers use every core; DuckDB's own
        # threads only spun beside them (measured: the writer's CPU per report fell by a third).
        store.con.execute("SET threads = 1")
        todo: list[tuple[str, str, int]] = []
        found: list[tuple[str, str, int]] = []  # (path, sha256, size) of files not yet looked up in the database
        seen: set[str] = set()
        for given in expand_paths(paths):
            path = os.path.abspath(given)
            if path in seen:  # named twice (a folder and a file in it): one file
                continue
            seen.add(path)
            summary.files += 1
            reason = None if text_column else manifest_reason(path)
            if reason:
                summary.ignored.append((path, reason))
                if progress:
                    progress(path)
                continue
            try:
                sha, size = file_sha256(path), os.path.getsize(path)
            except OSError as exc:
                summary.failed.append((given, exc.strerror or str(exc)))
                if progress:
                    progress(path)
                continue
            found.append((path, sha, size))
            if len(found) >= SCAN_CHUNK:
                todo += _to_parse(store, found, force, lex_version, summary, progress)
                found = []
        todo += _to_parse(store, found, force, lex_version, summary, progress)
        info = {p: (sha, size) for p, sha, size in todo}
        args = [(p, lexicon, text_column, budget) for p, _, _ in todo]
        if jobs > 1 and len(args) > 1:
            results = run_pool(_parse_file, args, jobs, path_of=lambda a: a[0])  # a killed worker costs one file
            _store_results(store, results, info, lex_version, summary, progress)
        else:
            _store_results(store, map(_parse_file, args), info, lex_version, summary, progress)
        store.link_duplicates()
    return summary


def _to_parse(store: Store, found: list[tuple[str, str, int]], force: bool, lex_version: str, summary: IngestSummary,
              progress: Callable[[str], None] | None) -> list[tuple[str, str, int]]:
    """Those of ``found`` to parse: a file stored whole from the same bytes, parser and lexicon is skipped."""
    known = {} if force or not found else store.file_statuses([path for path, _, _ in found])
    todo = []
    for path, sha, size in found:
        if known.get(path) == (sha, __version__, lex_version):
            summary.skipped += 1
            if progress:
                progress(path)
        else:
            todo.append((path, sha, size))
    return todo


@dataclass
class _Group:
    """Parsed files waiting to be committed together."""

    files: list[FileRows] = field(default_factory=list)
    size: int = 0
    opened: float = 0.0

    def add(self, f: FileRows) -> None:
        if not self.files:
            self.opened = time.monotonic()
        self.files.append(f)
        self.size += f.size

    def full(self) -> bool:
        return (len(self.files) >= GROUP_FILES or self.size >= GROUP_BYTES
                or time.monotonic() - self.opened >= GROUP_SECONDS)


def _store_results(store: Store, results: Iterable, info: dict[str, tuple[str, int]], lex_version: str,
                   summary: IngestSummary, progress: Callable[[str], None] | None) -> None:
    group = _Group()
    for path, rows, errors in results:
        summary.failed += [(path, msg) for msg in errors]
        sha, size = info[path]
        group.add(FileRows(path, sha, size, rows, None if rows else (errors[0] if errors else "no reports")))
        if group.full():
            _write_group(store, group.files, lex_version, summary, progress)
            group = _Group()
    _write_group(store, group.files, lex_version, summary, progress)


def _write_group(store: Store, files: list[FileRows], lex_version: str, summary: IngestSummary,
                 progress: Callable[[str], None] | None) -> None:
    """Commit a group in one transaction; if the database refuses it, write its files again one transaction
    each, so a file it cannot store costs only itself."""
    if not files:
        return
    try:
        done: list[tuple[int, str | None] | None] = list(store.write(files, lex_version))
    except Exception:
        done = [_write_alone(store, f, lex_version, summary) for f in files]
    for f, outcome in zip(files, done):
        if outcome is not None:  # None: refused, already counted as failed
            replaced, copy_of = outcome
            if copy_of:
                summary.copies.append((f.path, copy_of))
            elif replaced:
                summary.updated += len(f.reports)
            else:
                summary.added += len(f.reports)
        if progress:
            progress(f.path)


def _write_alone(store: Store, f: FileRows, lex_version: str, summary: IngestSummary) -> tuple[int, str | None] | None:
    """Write one file in its own transaction; a file the database refuses is recorded as failed (None)."""
    try:
        return store.write([f], lex_version)[0]
    except STORE_REFUSALS as exc:
        msg = f"cannot store: {type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[0]}"
        summary.failed.append((f.path, msg))
        store.write([FileRows(f.path, f.sha, f.size, [], msg)], lex_version)  # stored reports of the path are kept
        return None
