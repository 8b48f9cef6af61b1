"""Extraction scans each zone once per pattern and hands the matches out per clause (issue 13): every clause must
get exactly what a scan of that clause alone finds, also where a match runs over a clause edge."""

from __future__ import annotations

from govreport.knowledge.lexicon import load_lexicon
from govreport.parsing.extract import CLAUSE_BREAK, _pieces, _Scan

LEX = load_lexicon()


def per_clause_both_ways(text: str) -> list[tuple[list, list]]:
    scan = _Scan(LEX.quantity_pattern, text, 0, len(text))
    return [([m.span() for m in scan.within(a, b)], [m.span() for m in LEX.quantity_pattern.finditer(text, a, b)])
            for a, b in _pieces(text, 0, len(text), CLAUSE_BREAK)]


def test_zone_matches_handed_to_clauses_are_those_of_a_clause_scan():
    # 000_30198e5ba9ff0909.txt (四方台区 2025)
    text = "新签约项目9个,签约额30.33亿元,投资亿元以上项目6个,预计实现利用内资7.5亿元,同比增长44.2%。"
    for got, alone in per_clause_both_ways(text):
        assert got == alone
    assert sum(len(got) for got, _ in per_clause_both_ways(text)) == 5


def test_a_quantity_broken_over_a_line_is_rescanned_in_its_clause():
    # the same report with a hard line break between number and unit, and a comma that is not a thousands comma:
    # the zone scan reads "5.6\n亿元" and "1,2345" as one match each, a clause scan cannot
    text = "完成全社会固定资产投资5.6\n亿元,同比增长10%。粮食产量1,2345万斤。"
    pairs = per_clause_both_ways(text)
    assert [got for got, _ in pairs] == [alone for _, alone in pairs]
    assert [got for got, _ in pairs][0] == [(11, 14)]  # "5.6" alone: its unit is on the next line
