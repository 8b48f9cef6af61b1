"""Ingest commits parsed files in groups, one transaction per group: a group is stored whole or not at all, a
SIGKILL loses at most the group being written (a rerun redoes it), and a file the database refuses costs only
itself, not the rest of its group."""

from __future__ import annotations

import subprocess
import sys

import pytest

import govreport
from govreport.corpus import store as store_module
from govreport.corpus.store import Store, ingest

SEED = "004_fd770ef22fe975fd.txt"


@pytest.fixture()
def folder(tmp_path, seeds_dir):
    """Ten distinct reports (one real report, its speaker renamed per file, so each has its own bytes)."""
    out = tmp_path / "in"
    out.mkdir()
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    for i in range(10):
        (out / f"r{i:02d}.txt").write_text(text.replace("马鑫", f"马鑫{i}"), encoding="utf-8")
    return out


def stored(db, sql: str):
    with Store(db, read_only=True) as store:
        return store.query(sql)[1]


def test_a_file_the_database_refuses_costs_only_itself_and_the_rest_of_its_group_is_stored(tmp_path, folder,
                                                                                          monkeypatch):
    bad = folder / "r03.txt"
    text = bad.read_text(encoding="utf-8")
    assert "固定资产投资增长7%" in text
    bad.write_text(text.replace("固定资产投资增长7%", "固定资产投资增长12345678901234567890%"), encoding="utf-8")
    # With the plausibility guard off the 20-digit typo reaches the database, which refuses the file's rows
    # (no DOUBLE column takes an integer >= 2^63 through pyarrow): a real refusal, inside a group of ten.
    monkeypatch.setattr(govreport.parsing.validate, "check_report", lambda report: None)
    monkeypatch.setattr(store_module, "GROUP_SECONDS", 1e9, raising=False)  # one group of ten
    db = tmp_path / "c.duckdb"
    summary = ingest([folder], db)
    assert [path for path, _ in summary.failed] == [str(bad)]
    assert "cannot store" in summary.failed[0][1] and "\n" not in summary.failed[0][1]
    assert summary.added == 9
    assert stored(db, "SELECT count(*), count(DISTINCT path) FROM reports") == [(9, 9)]
    assert stored(db, "SELECT path, status FROM files WHERE status <> 'ok'") == [(str(bad), "error")]
    monkeypatch.undo()  # the guard back: a rerun stores the refused file (its value dropped with a warning)
    again = ingest([folder], db)
    assert (again.added, again.skipped, again.failed) == (1, 9, [])
    assert stored(db, "SELECT count(*) FROM reports") == [(10,)]


KILLED_INGEST = """
import os, signal, sys
from govreport.corpus import store
store.GROUP_FILES, store.GROUP_SECONDS = 4, 1e9
folder, db, when = sys.argv[1:]
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)
if when == "before-commit":  # the second group's rows are written, its COMMIT not yet reached
    write, calls = store.Store._write, []
    def write_then_die(self, *args):
        done = write(self, *args)
        calls.append(1)
        if len(calls) == 2:
            die()
        return done
    store.Store._write = write_then_die
store.ingest([folder], db, progress=die if when == "after-commit" else None)
"""


@pytest.mark.parametrize("when", ["after-commit", "before-commit"])
def test_a_sigkill_loses_at_most_the_group_being_written_and_a_rerun_adds_the_rest(tmp_path, folder, when):
    db = tmp_path / "c.duckdb"
    killed = subprocess.run([sys.executable, "-c", KILLED_INGEST, str(folder), str(db), when],
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    # exactly the first group of four is stored, each file whole (no value without its report)
    assert stored(db, "SELECT count(*) FROM files WHERE status = 'ok'") == [(4,)]
    assert stored(db, "SELECT count(*) FROM reports") == [(4,)]
    assert stored(db, "SELECT count(*) FROM targets WHERE report_id NOT IN (SELECT report_id FROM reports)") == [(0,)]
    rerun = subprocess.run([sys.executable, "-m", "govreport", "ingest", str(folder), "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "6 reports added" in rerun.stderr and "4 files skipped" in rerun.stderr
    assert stored(db, "SELECT count(*), count(DISTINCT report_id) FROM reports") == [(10, 10)]
    expected = len(govreport.parse(folder / "r00.txt")[0].targets)
    assert stored(db, "SELECT min(c), max(c) FROM (SELECT count(*) c FROM targets GROUP BY report_id)") == [
        (expected, expected)]
