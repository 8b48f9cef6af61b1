"""Extraction scans each zone once per pattern and hands the matches out per clause (issue 13): every clause must
get exactly what a scan of that clause alone finds, also where a match runs over a clause edge."""

from __future__ import annotations

import re

from govreport.knowledge.lexicon import load_lexicon
from govreport.parsing.commitments import _scan_start
from govreport.parsing.extract import CLAUSE_BREAK, _name_finder, _pieces
from govreport.parsing.scan import regex_spans, span_zone

LEX = load_lexicon()


def per_clause_both_ways(text: str, find) -> list[tuple[list, list]]:
    scan = span_zone(find, text, 0, len(text))
    return [(scan.within(a, b), find(text, a, b)) for a, b in _pieces(text, 0, len(text), CLAUSE_BREAK)]


def test_zone_matches_handed_to_clauses_are_those_of_a_clause_scan():
    # 000_30198e5ba9ff0909.txt (四方台区 2025)
    text = "新签约项目9个,签约额30.33亿元,投资亿元以上项目6个,预计实现利用内资7.5亿元,同比增长44.2%。"
    pairs = per_clause_both_ways(text, regex_spans(LEX.quantity_pattern))
    assert [got for got, _ in pairs] == [alone for _, alone in pairs]
    assert sum(len(got) for got, _ in pairs) == 5


def test_a_match_broken_over_a_line_is_rescanned_in_its_clause():
    # the same report with a hard line break between number and unit, and a comma that is not a thousands comma:
    # a zone scan reads "5.6\n亿元" and "1,2345" as one match each, a clause scan cannot
    text = "完成全社会固定资产投资5.6\n亿元,同比增长10%。粮食产量1,2345万斤。"
    pairs = per_clause_both_ways(text, regex_spans(LEX.quantity_pattern))
    assert [got for got, _ in pairs] == [alone for _, alone in pairs]
    assert pairs[0][0] == [(11, 14)]  # "5.6" alone: its unit is on the next line


def test_names_are_found_as_the_name_pattern_finds_them_leftmost_longest():
    # 000_30198e5ba9ff0909.txt: 农林牧渔总产值 and 农林牧渔业现价总产值 hold shorter names; the longest one wins
    text = ("预计地区生产总值增长1.5%、农林牧渔总产值增长4%、固定资产投资增长10%、社会消费品零售总额增长3.5%,"
            "农林牧渔业现价总产值同比增长4%,城乡居民人均可支配收入与经济增长基本同步。")
    want = [m.span() for m in LEX.name_pattern.finditer(text)]
    assert _name_finder(LEX)(text, 0, len(text)) == want
    assert _name_finder(LEX)(text, 2, len(text) - 5) == [m.span() for m in LEX.name_pattern.finditer(text, 2, len(text) - 5)]
    assert len(want) >= 5


def test_livelihood_scan_does_not_start_inside_a_number_broken_from_its_counter_word():
    # a plan line of 000_30198e5ba9ff0909.txt with a hard break between 十 and 件 (PDF-style text)
    text = "二、2025年工作安排\n今年，我们将继续办好十\n件民生实事，兑现对群众的承诺。"
    start = _scan_start(text, text.index("件"))
    assert start == text.index("今年")  # not the line starting with 件: the match began on the line before
    assert start <= text.index("十")


def test_a_first_character_lookahead_finds_what_the_plain_pattern_finds(seeds_dir):
    # the relation phrases, the targets paragraph and the plan year are scanned over whole reports with a
    # lookahead on their first characters (fast_start): the same matches, groups included, over real reports
    from govreport.parsing.metadata import YEAR_PLAN
    from govreport.parsing.sections import TARGETS_PARA

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))[:6]]
    found = 0
    for fast in (LEX.relation_pattern, TARGETS_PARA, YEAR_PLAN):
        inner = re.fullmatch(r"\(\?=\[[^\]]+\]\)\(\?:(.*)\)", fast.pattern, re.S)
        assert inner is not None  # the lookahead is there
        plain = re.compile(inner.group(1), fast.flags)
        for text in texts:
            want = [(m.span(), m.groups()) for m in plain.finditer(text)]
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == want
            found += len(want)
    assert found > 20


def test_no_first_characters_are_guessed_for_negated_classes_case_folding_or_an_empty_match():
    from govreport.knowledge.lexicon import fast_start

    for source in ("(?i)gdp", "(?:增长)?", r"[^，]+增长", r"\b增长", "(?m)^增长", r"(?<=\d)%"):
        assert fast_start(source).pattern == source
    assert fast_start("(?:完成|实现)?目标").pattern == "(?=[完实目])(?:(?:完成|实现)?目标)"
    assert fast_start(r"(?:\d+|[一-九]+)件").pattern == r"(?=[\d一-九])(?:(?:\d+|[一-九]+)件)"
