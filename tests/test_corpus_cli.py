"""The corpus commands as a user meets them, including a locked or foreign database and bad filters."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from govreport.corpus.store import Store

GOVREPORT = [sys.executable, "-m", "govreport"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def db(tmp_path_factory, extra_dir):
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("hailaer_2016.txt", "hailaer_2017.txt", "guangdong_2025.docx", "guangdong_2026.csv"):
        shutil.copy(extra_dir / name, folder / name)
    path = folder / "c.duckdb"
    out = run("ingest", str(folder), "--db", str(path), "--jobs", "2")
    assert out.returncode == 0 and "4 reports added" in out.stderr
    return path


def test_reports_show_sql_and_tables(db, tmp_path):
    listed = run("reports", "--db", str(db), "--format", "jsonl", "--region", "海拉尔区")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2
    rid = listed.stdout.split('"report_id": "')[1].split('"')[0]
    shown = run("show", rid, "--db", str(db))
    assert "海拉尔区" in shown.stdout and "地区生产总值" in shown.stdout
    sql = run("sql", "SELECT count(*) AS n FROM targets", "--db", str(db), "--format", "csv")
    assert sql.stdout.splitlines()[0] == "n" and int(sql.stdout.splitlines()[1]) > 20
    out = tmp_path / "track.xlsx"
    assert run("track", "--db", str(db), "-i", "gdp", "-o", str(out)).returncode == 0 and out.stat().st_size > 0
    wide = run("panel", "--db", str(db), "--wide", "--format", "csv")
    assert "gdp_growth_target" in wide.stdout.splitlines()[0]


def test_writes_are_refused_and_bad_filters_are_one_line_errors(db):
    write = run("sql", "DELETE FROM targets", "--db", str(db))
    assert write.returncode == 1 and "read-only" in write.stderr and "Traceback" not in write.stderr
    bad = run("panel", "--db", str(db), "-i", "no_such_indicator")
    assert bad.returncode == 1 and "unknown indicator" in bad.stderr
    region = run("track", "--db", str(db), "-r", "火星市")
    assert region.returncode == 1 and "no such region" in region.stderr
    missing = run("show", "nope-1", "--db", str(db))
    assert missing.returncode == 1 and "no report" in missing.stderr


def test_locked_and_foreign_databases(db, tmp_path, seeds_dir):
    with Store(db):  # another process holds the database for writing
        locked = run("ingest", str(seeds_dir / "002_8433e2247a81c5a0.txt"), "--db", str(db))
    assert locked.returncode == 1 and "locked" in locked.stderr and "Traceback" not in locked.stderr
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("these are my notes", encoding="utf-8")
    out = run("ingest", str(seeds_dir / "002_8433e2247a81c5a0.txt"), "--db", str(foreign))
    assert out.returncode == 1 and "notes.duckdb" in out.stderr and "Traceback" not in out.stderr
    assert foreign.read_text(encoding="utf-8") == "these are my notes"  # nothing was overwritten
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM reports")[1][0][0] == 4
