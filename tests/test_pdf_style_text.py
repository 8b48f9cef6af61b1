"""PDF-style text (hard line breaks every N characters) must give the same record as the flowing text."""

from __future__ import annotations

import pytest

import govreport

SEEDS = ["000_30198e5ba9ff0909.txt", "001_856a73ee7808871b.txt", "002_8433e2247a81c5a0.txt",
         "003_401dacb1b1eb60f9.txt", "004_fd770ef22fe975fd.txt"]


def wrap(text: str, width: int) -> str:
    return "\n".join(
        "\n".join(line[i : i + width] for i in range(0, len(line), width)) if len(line) > width else line
        for line in text.split("\n")
    )


def summary(report) -> tuple:
    return (
        report.region.name, report.meeting_date, report.plan_year, report.speaker.name,
        [(v.indicator, v.measure, v.value, v.high, v.qualifier) for v in report.targets],
        sorted((v.indicator, v.measure, v.value) for v in report.actuals),
    )


@pytest.mark.parametrize("width", [33, 40])
@pytest.mark.parametrize("name", SEEDS)
def test_hard_wrapped_report_reads_like_the_original(seeds_dir, name, width):
    text = (seeds_dir / name).read_text(encoding="utf-8")
    flowing = govreport.parse_text(text)
    wrapped = govreport.parse_text(wrap(text, width))
    assert [summary(r) for r in wrapped] == [summary(r) for r in flowing]


def test_wrapped_spans_still_point_at_their_evidence(seeds_dir):
    text = wrap((seeds_dir / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8"), 33)
    report = govreport.parse_text(text)[0]
    for v in report.targets + report.actuals:
        start, end = report.source_span(v.span)
        assert text[start:end].replace("\n", "") == v.text
