"""Odd paths and failing disks (issue 13): each is one line on stderr, the batch goes on, nothing half-written."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import pytest

from conftest import SEEDS

REPORT = SEEDS / "004_fd770ef22fe975fd.txt"
GOVREPORT = [sys.executable, "-m", "govreport"]


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("timeout", 120)
    return subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, **kw)


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = run("parse", str(fifo), str(REPORT), timeout=60)
    assert out.returncode == 0 and "雨山区" in out.stdout
    assert out.stderr.strip() == f"error: {fifo}: a FIFO (named pipe); pipe its content in with `-` instead"


def test_dash_reads_standard_input():
    out = run("parse", "-", input=REPORT.read_text(encoding="utf-8"))
    assert out.returncode == 0, out.stderr
    [record] = [json.loads(line) for line in out.stdout.splitlines()]
    assert record["source"]["path"] == "<stdin>" and record["region"]["name"] == "雨山区"


def test_a_looping_symlink_and_a_broken_one_get_their_own_messages(tmp_path):
    loop, broken = tmp_path / "loop.txt", tmp_path / "broken.txt"
    loop.symlink_to(loop)
    broken.symlink_to(tmp_path / "gone.txt")
    out = run("parse", str(loop), str(broken), str(REPORT))
    assert out.returncode == 0 and "雨山区" in out.stdout
    lines = out.stderr.splitlines()
    assert lines[0] == f"error: {loop}: symbolic link loop (the link points back to itself)"
    assert lines[1].startswith(f"error: {broken}: broken symbolic link (to ") and len(lines) == 2


def test_a_directly_named_unusable_path_is_one_line_and_the_batch_goes_on(tmp_path):
    too_long = str(tmp_path / ("报" * 100 + ".txt"))  # 300 bytes: stat() itself fails
    out = run("parse", too_long, str(REPORT))
    assert out.returncode == 0 and "雨山区" in out.stdout
    assert out.stderr.splitlines() == [f"error: {too_long}: cannot read: file name too long"]


def test_a_full_disk_says_no_space_left():
    out = run("parse", str(REPORT), "-o", "/dev/full")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == "error: /dev/full: cannot write: no space left on device"


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))


def test_a_failed_write_leaves_the_previous_output_whole(tmp_path):
    target = tmp_path / "records.jsonl"
    target.write_text('{"previous": "run"}\n', encoding="utf-8")
    out = subprocess.run([*GOVREPORT, "parse", str(SEEDS), "-o", str(target)], capture_output=True, text=True,
                         timeout=300, preexec_fn=_limit_file_size)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().endswith(f"cannot write: file too large; {target} not changed")
    assert target.read_text(encoding="utf-8") == '{"previous": "run"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl"]  # no temporary file left behind


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (needs root, as on CI containers); skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_ingest_onto_a_full_disk_says_no_space_left_and_keeps_committed_files(tmp_path, tiny_disk):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = REPORT.read_text(encoding="utf-8")
    for i in range(60):  # distinct files, ~3 MB stored in all
        (folder / f"r{i:02d}.txt").write_text(text + f"\n附件{i}\n", encoding="utf-8")
    db = tiny_disk / "corpus.duckdb"
    out = run("ingest", str(folder), "--db", str(db), timeout=300)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == f"error: {db}: no space left on device; files committed so far are kept"
    roomy = tmp_path / "copy"
    roomy.mkdir()
    for f in tiny_disk.iterdir():
        (roomy / f.name).write_bytes(f.read_bytes())
    listed = run("reports", "--db", str(roomy / "corpus.duckdb"))
    assert listed.returncode == 0 and listed.stdout.count("雨山区") >= 1


def test_report_text_passed_as_a_path_is_told_to_use_parse_text():
    from govreport import GovreportError, parse

    text = REPORT.read_text(encoding="utf-8")
    with pytest.raises(GovreportError) as err:
        parse(text)
    message = str(err.value)
    assert "parse_text" in message and "\n" not in message and len(message) < 200
