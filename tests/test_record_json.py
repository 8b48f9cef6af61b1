"""The record the corpus stores (Report.to_json) is byte for byte what json.dumps writes of Report.to_dict."""

from __future__ import annotations

import json
from pathlib import Path

import govreport

SAMPLE = Path(govreport.__file__).parent / "sample"


def test_to_json_writes_the_same_record_as_dumping_to_dict():
    reports = [r for path in sorted(SAMPLE.glob("*.txt"))[:2] for r in govreport.parse(path)]
    assert reports and any(r.targets for r in reports)
    for report in reports:
        for with_text in (False, True):
            want = json.dumps(report.to_dict(include_text=with_text), ensure_ascii=False, default=str)
            assert report.to_json(include_text=with_text) == want
        assert "offsets" not in json.loads(report.to_json())
