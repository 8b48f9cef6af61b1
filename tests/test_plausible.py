"""Impossible numbers and dates (issue 13) become warnings: the value is dropped, the file still parses,
ingests and serialises as strict JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SEEDS
from govreport.parsing.pipeline import parse_text
from govreport.corpus.store import Store, ingest

REPORT = (SEEDS / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8")
TWENTY = "12345678901234567890"  # >= 2^63: no int64 column holds it
HUGE = "9" * 320  # float("9"*320) is inf


def with_number(digits: str) -> str:
    assert "GDP增长6%" in REPORT and "固定资产投资增长7%" in REPORT
    return REPORT.replace("GDP增长6%", f"GDP达到{digits}亿元", 1).replace("固定资产投资增长7%", f"固定资产投资增长{digits}%", 1)


def _strict(constant: str) -> None:
    raise ValueError(f"non-standard JSON constant {constant}")


@pytest.mark.parametrize("digits", [TWENTY, HUGE])
def test_a_number_no_double_holds_exactly_is_dropped_with_a_warning(digits):
    [report] = parse_text(with_number(digits))
    investment = [v for v in report.targets if v.name == "固定资产投资"]
    assert investment and investment[0].value is None and digits in investment[0].text
    assert any("implausible target value dropped" in w for w in report.warnings)
    assert [v.value for v in report.targets if v.name == "社会消费品零售总额"] == [6]  # the rest is kept
    json.loads(json.dumps(report.to_dict()), parse_constant=_strict)


def test_parse_output_is_strict_json_for_a_309_digit_number(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(with_number(HUGE), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "govreport", "parse", str(path)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    [record] = [json.loads(line, parse_constant=_strict) for line in out.stdout.splitlines()]
    assert any("implausible" in w for w in record["warnings"])


def test_a_twenty_digit_target_still_ingests(tmp_path):
    path = tmp_path / "typo.txt"
    path.write_text(with_number(TWENTY), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    summary = ingest([path], db)
    assert summary.failed == [] and summary.added == 1
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT name, value FROM targets WHERE name = '固定资产投资'")
        assert rows == [("固定资产投资", None)]
        _, [(n,)] = store.query("SELECT count(*) FROM targets WHERE value IS NOT NULL")
        assert n > 3


def test_a_twenty_digit_month_is_a_warning_not_a_crash():
    assert "2024年12月23日" in REPORT
    [report] = parse_text(REPORT.replace("2024年12月23日", f"2024年{'1' * 20}月23日", 1))
    assert report.meeting_date is None and any("implausible date" in w for w in report.warnings)
    assert report.targets  # the body is still read


def test_a_twenty_digit_congress_term_is_dropped():
    assert "第十五届" in REPORT
    [report] = parse_text(REPORT.replace("第十五届", f"第{TWENTY}届", 1))
    assert report.congress.term is None and any("implausible congress term" in w for w in report.warnings)
