"""Corpus integrity as a user's download folder tests it: copies, renames, relative paths, manifests, databases
that are not ours, and a database held by `govreport serve`."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import duckdb
import pytest

from govreport.model import GovreportError
from govreport.corpus.store import Store, ingest

GOVREPORT = [sys.executable, "-m", "govreport"]
HAILAR = "hailaer_2016.txt"


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def count(db, sql: str = "SELECT count(*) FROM reports"):
    with Store(db, read_only=True) as store:
        return store.query(sql)[1]


@pytest.fixture()
def downloads(tmp_path, extra_dir):
    """A folder of downloads: one report twice (byte-identical, another name and folder) and another report."""
    folder = tmp_path / "downloads"
    (folder / "again").mkdir(parents=True)
    shutil.copy(extra_dir / HAILAR, folder / HAILAR)
    shutil.copy(extra_dir / HAILAR, folder / "again" / "海拉尔2016.txt")
    shutil.copy(extra_dir / "hailaer_2017.txt", folder / "hailaer_2017.txt")
    return folder


def test_byte_identical_copies_are_stored_once_with_every_path_and_the_batch_goes_on(tmp_path, downloads):
    db = tmp_path / "c.duckdb"
    summary = ingest([downloads], db)
    assert summary.added == 2 and len(summary.copies) == 1 and summary.failed == []
    assert count(db) == [(2,)]
    paths = count(db, "SELECT path FROM files WHERE status = 'ok' ORDER BY path")
    assert {p for (p,) in paths} == {str(downloads / HAILAR), str(downloads / "again" / "海拉尔2016.txt"),
                                     str(downloads / "hailaer_2017.txt")}
    again = ingest([downloads], db)  # a rerun skips all three
    assert (again.skipped, again.failed, count(db)) == (3, [], [(2,)])


def test_changing_one_of_two_copies_keeps_the_other_copys_report(tmp_path, downloads):
    db = tmp_path / "c.duckdb"
    ingest([downloads], db)
    first = downloads / HAILAR
    first.write_bytes(first.read_bytes() + b"\n")
    ingest([downloads], db)
    rows = count(db, "SELECT path FROM reports ORDER BY path")
    assert [p for (p,) in rows] == [str(downloads / "again" / "海拉尔2016.txt"), str(first),
                                    str(downloads / "hailaer_2017.txt")]


def test_a_renamed_file_moves_its_reports_instead_of_failing(tmp_path, downloads):
    db = tmp_path / "c.duckdb"
    ingest([downloads / "hailaer_2017.txt"], db)
    renamed = downloads / "海拉尔区2017.txt"
    (downloads / "hailaer_2017.txt").rename(renamed)
    summary = ingest([renamed], db)
    assert summary.failed == [] and summary.usable
    assert count(db, "SELECT path, record->>'$.source.path' FROM reports") == [(str(renamed), str(renamed))]


def test_relative_and_absolute_paths_are_one_file(tmp_path, downloads, monkeypatch):
    db = tmp_path / "c.duckdb"
    monkeypatch.chdir(downloads)
    ingest([HAILAR], db)
    summary = ingest([downloads / HAILAR], db)
    assert (summary.skipped, summary.added, summary.copies) == (1, 0, [])
    assert count(db, "SELECT path FROM reports") == [(str(downloads / HAILAR),)]


def test_a_manifest_beside_the_reports_is_skipped_and_named(tmp_path, extra_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("MANIFEST.tsv", HAILAR, "guangdong_2026.csv"):  # the csv is a real one-row corpus
        shutil.copy(extra_dir / name, folder / name)
    out = run("ingest", str(folder), "--db", str(tmp_path / "c.duckdb"))
    assert out.returncode == 0, out.stderr
    assert f"skipped: {folder / 'MANIFEST.tsv'}: a table, not report texts" in out.stderr
    assert "2 reports added" in out.stderr and "0 failed" in out.stderr


@pytest.mark.parametrize("args", [["{tmp}/no_such_folder"], ["{extra}/guangdong_2026.csv", "--text-column", "body"],
                                  ["{tmp}/empty_folder"]])
def test_ingest_exits_non_zero_when_nothing_usable_was_ingested(tmp_path, extra_dir, args):
    (tmp_path / "empty_folder").mkdir()
    args = [a.format(tmp=tmp_path, extra=extra_dir) for a in args]
    out = run("ingest", *args, "--db", str(tmp_path / "c.duckdb"))
    assert out.returncode == 1 and "nothing was ingested" in out.stderr and "Traceback" not in out.stderr


def test_a_data_file_or_sqlite_file_as_db_is_refused_in_one_line(tmp_path, extra_dir):
    report = str(extra_dir / HAILAR)
    out = run("ingest", report, "--db", str(tmp_path / "records.jsonl"))
    assert out.returncode == 1 and "records.jsonl" in out.stderr and "not a database" in out.stderr
    assert not (tmp_path / "records.jsonl").exists()
    existing = tmp_path / "old.db"
    existing.write_text('{"a": 1}\n', encoding="utf-8")  # a small text file DuckDB would open as empty
    out = run("ingest", report, "--db", str(existing))
    assert out.returncode == 1 and "not a DuckDB database file" in out.stderr
    assert existing.read_text(encoding="utf-8") == '{"a": 1}\n'
    lite = tmp_path / "notes.db"
    with sqlite3.connect(lite) as con:
        con.execute("CREATE TABLE notes (t TEXT)")
    out = run("ingest", report, "--db", str(lite))
    assert out.returncode == 1 and "SQLite" in out.stderr and "extension" not in out.stderr.lower()
    assert len(out.stderr.strip().splitlines()) == 1


def test_connections_never_install_or_load_extensions(tmp_path):
    with Store(tmp_path / "c.duckdb") as store:
        settings = store.query("SELECT current_setting('autoinstall_known_extensions'),"
                               " current_setting('autoload_known_extensions')")[1]
    assert settings == [(False, False)]


def test_another_programs_duckdb_is_refused_but_an_empty_one_is_used(tmp_path):
    foreign = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE prices (day DATE, price DOUBLE)")
    with pytest.raises(GovreportError, match="another program.*prices"):
        Store(foreign)
    with duckdb.connect(str(foreign), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"prices"}  # nothing of ours was added
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with Store(empty) as store:
        assert store.query("SELECT value FROM meta WHERE key = 'application'")[1] == [("govreport",)]
    Store(empty).close()  # ours now: opens again


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ingest_names_serve_when_serve_holds_the_database(tmp_path, extra_dir):
    db = tmp_path / "c.duckdb"
    ingest([extra_dir / HAILAR], db)
    server = subprocess.Popen([*GOVREPORT, "serve", "--db", str(db), "--port", str(_free_port())],
                              stderr=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()  # serve builds the search index on first use, and says so first
        assert "serving" in (first if "search index" not in first else server.stderr.readline())
        out = run("ingest", str(extra_dir / "hailaer_2017.txt"), "--db", str(db))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert out.returncode == 1 and "govreport serve" in out.stderr and "is an ingest running" not in out.stderr
    time.sleep(0.1)
    assert count(db) == [(1,)]


def test_a_file_named_twice_in_one_ingest_is_read_once(tmp_path, downloads):
    summary = ingest([downloads, downloads / HAILAR], tmp_path / "c.duckdb")
    assert (summary.files, summary.added, summary.updated, len(summary.copies)) == (3, 2, 0, 1)


def test_attention_over_a_folder_with_copies_counts_each_report_once(downloads):
    out = run("attention", str(downloads), "--wide", "--format", "csv")
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert len(out.stdout.splitlines()) == 3 and "same bytes as" in out.stderr  # header + two reports
