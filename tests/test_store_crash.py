"""An ingest killed half-way (SIGKILL) leaves a consistent database; running it again finishes the job."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import govreport
from govreport.corpus.store import Store


def test_sigkill_mid_ingest_then_rerun_loses_and_duplicates_nothing(tmp_path, seeds_dir):
    corpus = tmp_path / "in"
    corpus.mkdir()
    text = (seeds_dir / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8")
    n = 150
    for i in range(n):  # distinct files (and texts), so each is its own report
        (corpus / f"r{i:03d}.txt").write_text(text.replace("马鑫", f"马鑫{i}"), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    cmd = [sys.executable, "-m", "govreport", "ingest", str(corpus), "--db", str(db)]
    for delay in (1.0, 2.5, 0.5, 5.0):  # kill mid-run; retry with another delay if the kill came too early/late
        db.unlink(missing_ok=True)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not (db.exists() and os.path.getsize(db) > 0):
            time.sleep(0.05)  # the database exists: the writer holds it (readers are locked out until it stops)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store(db, read_only=True) as store:
            files = store.query("SELECT count(*) FROM files")[1][0][0]
            reports = store.query("SELECT count(*) FROM reports")[1][0][0]
            orphans = store.query(
                "SELECT count(*) FROM targets WHERE report_id NOT IN (SELECT report_id FROM reports)")[1][0][0]
        if 0 < files < n:
            break
    assert 0 < files < n and reports == files and orphans == 0  # every committed file is whole
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*), count(DISTINCT report_id) FROM reports")[1] == [(n, n)]
        per_report = store.query("SELECT min(c), max(c) FROM (SELECT count(*) c FROM targets GROUP BY report_id)")[1]
        expected = len(govreport.parse(corpus / "r000.txt")[0].targets)
        assert per_report == [(expected, expected)]  # no target stored twice
    assert f"{n - files} reports added" in rerun.stderr and f"{files} files skipped" in rerun.stderr
    shutil.rmtree(corpus)
