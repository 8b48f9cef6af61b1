"""`govreport parse` as a user runs it: formats, directories, jobs, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from conftest import EXTRA, SEEDS

GOVREPORT = [sys.executable, "-m", "govreport"]


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVREPORT, *args], capture_output=True, text=True, timeout=300, **kw)


def test_jsonl_is_the_default_when_piped_and_spans_are_exact():
    out = run("parse", str(SEEDS / "004_fd770ef22fe975fd.txt"))
    assert out.returncode == 0, out.stderr
    [record] = [json.loads(line) for line in out.stdout.splitlines()]
    assert record["region"]["name"] == "雨山区" and record["plan_year"] == 2025
    for v in record["targets"] + record["actuals"]:
        assert record["text"][v["span"][0] : v["span"][1]] == v["text"]


def test_json_table_and_output_file(tmp_path):
    out = run("parse", str(SEEDS / "003_401dacb1b1eb60f9.txt"), "--format", "json", "--no-text")
    data = json.loads(out.stdout)
    assert len(data) == 1 and "text" not in data[0] and data[0]["kind"] == "abridged"
    table = run("parse", str(SEEDS / "003_401dacb1b1eb60f9.txt"), "--format", "table")
    assert "四平市" in table.stdout and "main targets" in table.stdout
    target = tmp_path / "records.jsonl"
    written = run("parse", str(SEEDS), "-o", str(target))
    assert written.returncode == 0 and len(target.read_text(encoding="utf-8").splitlines()) == 11


def test_jobs_give_the_same_records_in_the_same_order():
    one = run("parse", str(SEEDS), str(EXTRA), "--no-text", "--jobs", "1")
    two = run("parse", str(SEEDS), str(EXTRA), "--no-text", "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 19


@pytest.fixture()
def bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "news.txt").write_text(
        "新华社北京3月5日电（记者 张三）十四届全国人大三次会议5日上午在人民大会堂开幕。国务院总理李强作政府工作报告。"
        "报告提出，今年发展主要预期目标是国内生产总值增长5%左右。代表们表示，报告鼓舞人心。\n" * 5, encoding="utf-8")
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a zip file")
    with zipfile.ZipFile(tmp_path / "nodoc.docx", "w") as zf:
        zf.writestr("hello.txt", "no document here")
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "big.txt").write_text("政府工作报告" * 4000, encoding="utf-8")
    return tmp_path


def test_bad_inputs_give_one_line_errors_and_the_batch_goes_on(bad_inputs):
    good = SEEDS / "002_8433e2247a81c5a0.txt"
    out = run("parse", str(bad_inputs), str(good), str(bad_inputs / "missing.txt"), "--max-bytes", "50000")
    assert out.returncode == 0
    assert len(out.stdout.splitlines()) == 1 and "江源区" in out.stdout
    errors = out.stderr.strip().splitlines()
    assert "Traceback" not in out.stderr
    for name, words in [("empty.txt", "empty"), ("binary.txt", "binary"), ("news.txt", "not a government work report"),
                        ("corrupt.docx", "corrupt docx"), ("nodoc.docx", "corrupt docx"), ("corrupt.pdf", "PDF"),
                        ("big.txt", "too large"), ("missing.txt", "no such file")]:
        assert any(name in e and words in e for e in errors), (name, errors)
    strict = run("parse", str(bad_inputs / "empty.txt"), str(good), "--strict")
    assert strict.returncode == 1
    nothing = run("parse", str(bad_inputs / "empty.txt"))
    assert nothing.returncode == 1


def test_csv_corpus_keeps_row_metadata(tmp_path):
    out = run("parse", str(EXTRA / "guangdong_2026.csv"), "--no-text")
    [record] = [json.loads(line) for line in out.stdout.splitlines()]
    assert record["source"]["row"] == 1 and record["source"]["meta"]["province"] == "广东省"
    assert record["region"]["name"] == "广东省" and record["plan_year"] == 2026
    missing = run("parse", str(EXTRA / "guangdong_2026.csv"), "--text-column", "body")
    assert missing.returncode == 1 and "no column 'body'" in missing.stderr


def test_user_lexicon_adds_an_indicator(tmp_path, seeds_dir):
    lexicon = tmp_path / "mine.toml"
    lexicon.write_text('version = "t1"\n[[indicator]]\ncode = "tourism_visitors"\nlabel = "接待游客"\n'
                       'names = ["接待游客"]\nunit = "万人次"\n', encoding="utf-8")
    out = run("parse", str(seeds_dir / "003_401dacb1b1eb60f9.txt"), "--no-text", "--lexicon", str(lexicon))
    record = json.loads(out.stdout)
    assert "+t1" in record["versions"]["lexicon"]  # the record says which lexicon read it
    found = [a for a in record["actuals"] if a["indicator"] == "tourism_visitors"]
    assert found and found[0]["unit"] == "万人次"
    broken = tmp_path / "broken.toml"
    broken.write_text("names = [", encoding="utf-8")
    bad = run("parse", str(seeds_dir / "003_401dacb1b1eb60f9.txt"), "--lexicon", str(broken))
    assert bad.returncode == 1 and "broken.toml" in bad.stderr and "Traceback" not in bad.stderr
