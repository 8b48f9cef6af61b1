"""Hostile input shapes (issue 13) must cost linear time.

No test here measures speed: each runs one adversarial report under a CPU-time alarm far above what linear code
needs (a linear parser does these sizes in well under a second) and far below what the exponential or
quadratic code paths take (tens of seconds), so the test pins the complexity class, not a machine's speed.
The shapes come from bench/bench_adversarial.py, which prints seconds per MB for each of them.

"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from govreport import parse_text
from govreport.parsing.workers import OverBudget, time_budget

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_adversarial import build  # noqa: E402


def _parses_within(text: str, seconds: int) -> None:
    overtime = None
    try:
        with time_budget(seconds, cpu=True):  # CPU time: other processes on a busy CI machine do not count
            reports = parse_text(text)
    except OverBudget as exc:  # reported without the deep regex frames (pytest cannot render some of them)
        overtime = str(exc)
    if overtime:
        pytest.fail(f"parse_text of {len(text)} characters: {overtime}", pytrace=False)
    assert reports and reports[0].text


def test_filler_of_24_ambiguous_words_parses_within_3s() -> None:
    text = build("backtrack", 0)
    assert text.count("达到") == 24
    _parses_within(text, 3)


def test_half_megabyte_sentence_of_growth_clauses_parses_within_5s() -> None:
    _parses_within(build("sentence", 0.5), 5)


def test_names_and_numbers_without_commas_parse_within_5s() -> None:
    _parses_within(build("pairs", 0.4), 5)


def test_thousands_of_heading_lines_parse_within_5s() -> None:
    _parses_within(build("headings", 1.0), 5)


def test_long_enumeration_of_counted_items_parses_within_5s() -> None:
    """Each item used to rescan its sentence (commitment words, period words, earlier items): 0.3 MB took ~50 s."""
    _parses_within(build("list", 0.3), 5)


def test_a_review_of_semicolon_clauses_without_a_full_stop_parses_within_12s() -> None:
    """Each clause used to look back to the text's last 。 for its 预计: quadratic (60,000 clauses, 0.8 MB: ~20 s of
    look-back alone); bounded now, the parse takes a few seconds like any other 1 MB shape."""
    header = "政府工作报告\n——2024年1月10日在某市第十七届人民代表大会第四次会议上\n各位代表：\n一、2023年工作回顾\n"
    plan = "\n二、2024年工作安排\n今年主要预期目标是：地区生产总值增长6%左右。\n"
    _parses_within(header + "预计全年地区生产总值增长5%；" * 60_000 + plan, 12)
