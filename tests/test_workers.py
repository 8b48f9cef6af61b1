"""`--jobs N` batches survive a killed worker, and workers do not outlive a killed parent (issue 13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import SEEDS
from govreport.parsing.batch import _parse_one
from govreport.parsing.workers import run_pool

FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


def parse_or_die(args: tuple) -> tuple:
    """A worker job that is SIGKILLed (as the OOM killer does) when given the file named ``oom.txt``."""
    if args[0].endswith("oom.txt"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _parse_one(args)


def test_a_killed_worker_costs_its_file_only_and_results_keep_input_order(tmp_path):
    poison = tmp_path / "oom.txt"
    poison.write_text(Path(FILES[0]).read_text(encoding="utf-8"), encoding="utf-8")
    paths = FILES[:3] + [str(poison)] + FILES[3:]
    args = [(p, None, None, 64 << 20, False, 0) for p in paths]
    results = list(run_pool(parse_or_die, args, 2, path_of=lambda a: a[0]))
    assert [r[0] for r in results] == paths
    for path, reports, errors in results:
        if path == str(poison):
            assert reports == [] and len(errors) == 1 and "oom.txt" in errors[0] and "killed" in errors[0]
        else:
            assert reports and not errors


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("\nState:\t")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_workers_exit_when_the_parent_is_killed(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("\n".join(Path(f).read_text(encoding="utf-8") for f in FILES) * 40, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "govreport", "parse", "--jobs", "2", "--no-text", str(big),
                             FILES[0]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(proc.pid)
            time.sleep(0.1)
        assert workers, "no worker processes started"
        time.sleep(0.5)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "workers outlived their killed parent"
    finally:
        for w in _children(proc.pid) | workers:
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass


def _slow_report(tmp_path: Path) -> Path:
    """An 8 MB report: several seconds even for linear code, so a 1 s budget always runs out."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_adversarial import build

    path = tmp_path / "slow.txt"
    path.write_text(build("pairs", 8.0), encoding="utf-8")
    return path


def test_a_file_over_its_time_budget_is_one_line_and_the_batch_goes_on(tmp_path):
    slow = _slow_report(tmp_path)
    out = subprocess.run([sys.executable, "-m", "govreport", "parse", str(slow), FILES[0], "--time-budget", "1"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0
    assert out.stderr.strip() == (f"error: {slow}: took longer than 1 s (time budget; raise it with --time-budget);"
                                  " file skipped")
    assert len(out.stdout.splitlines()) == 1


def test_ingest_skips_a_file_over_its_time_budget_and_stores_the_rest(tmp_path):
    from govreport.corpus.store import Store, ingest

    slow = _slow_report(tmp_path)
    summary = ingest([slow, FILES[0]], tmp_path / "c.duckdb", budget=1)
    assert summary.added == 1 and [p for p, _ in summary.failed] == [str(slow)]
    assert "time budget" in summary.failed[0][1]
    with Store(tmp_path / "c.duckdb", read_only=True) as store:
        assert store.query("SELECT count(*) FROM reports")[1] == [(1,)]


def _oom_score(_: object) -> tuple:
    return Path("/proc/self/oom_score_adj").read_text().strip(), [], []


def test_workers_are_offered_first_to_the_oom_killer():
    [(score, _, _)] = list(run_pool(_oom_score, ["x"], 2, path_of=str))
    assert score == "500"
