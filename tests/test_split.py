"""Splitting files into reports: compilations, tables of contents, repeats, truncation, non-reports."""

from __future__ import annotations

import pytest

import govreport
from govreport.model import GovreportError
from govreport.parsing.split import contents_entries, looks_like_report, split_reports


def test_compilation_yields_each_report_it_holds(seeds_dir):
    reports = govreport.parse(seeds_dir / "001_856a73ee7808871b.txt")
    assert [r.source.part for r in reports] == [1, 2, 3, 4, 5, 6, 7]
    assert all(r.source.parts == 7 for r in reports)
    assert [r.title for r in reports] == [f"2024年{c}政府工作报告" for c in
                                          ("济南市", "沈阳市", "福州市", "本溪市", "盘锦市", "商丘市", "内江市")]
    # each report starts at its own title, not inside the table of contents
    assert all(r.text.startswith(r.title) for r in reports)


def test_table_of_contents_names_every_absent_report(seeds_dir):
    text = (seeds_dir / "001_856a73ee7808871b.txt").read_text(encoding="utf-8")
    assert len(contents_entries(text)) == 23
    last = govreport.parse(seeds_dir / "001_856a73ee7808871b.txt")[-1]
    absent = [w for w in last.warnings if w.startswith("listed in the table of contents but absent")]
    assert len(absent) == 16
    assert any("三明市" in w for w in absent) and any("无锡市锡山区" in w for w in absent)
    assert not any("济南市" in w for w in absent)


def test_cut_off_last_report_is_flagged_truncated(seeds_dir):
    reports = govreport.parse(seeds_dir / "001_856a73ee7808871b.txt")
    assert reports[-1].truncated and any("truncated" in w for w in reports[-1].warnings)
    assert not any(r.truncated for r in reports[:-1])


def test_repeated_scraped_text_is_one_report_with_a_warning(seeds_dir):
    body = (seeds_dir / "002_8433e2247a81c5a0.txt").read_text(encoding="utf-8")
    reports = govreport.parse_text(body + "\n" + body + "\n" + body)
    assert len(reports) == 1
    assert any("repeats itself (3 copies" in w for w in reports[0].warnings)
    assert len(reports[0].text) < len(body) * 1.2


def test_news_story_about_a_report_is_not_a_report():
    news = ("新华社北京3月5日电 十四届全国人大三次会议5日上午在人民大会堂开幕。国务院总理李强作政府工作报告时表示，"
            "今年发展主要预期目标是：国内生产总值增长5%左右。代表们认为，报告实事求是、鼓舞人心。" * 3)
    assert not looks_like_report(news)
    with pytest.raises(GovreportError, match="not a government work report"):
        govreport.parse_text(news, "news.txt")


def test_single_report_keeps_its_header(seeds_dir):
    text = (seeds_dir / "003_401dacb1b1eb60f9.txt").read_text(encoding="utf-8")
    parts, warnings = split_reports(text)
    assert parts == [(0, len(text))] and warnings == []
