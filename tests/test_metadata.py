"""Metadata read from the text itself: region, date, congress, speaker, review and plan years."""

from __future__ import annotations

import pytest

import govreport
from conftest import corpus_path, load_gold

GOLD = load_gold()


def _record(doc: str, part: int):
    return govreport.parse(corpus_path(doc))[max(part, 1) - 1]


@pytest.mark.parametrize("gold", GOLD, ids=[f"{g['doc']}#{g['part']}" for g in GOLD])
def test_metadata_matches_the_gold_record(gold):
    r = _record(gold["doc"], gold["part"])
    got = {
        "region": r.region.name, "parent": r.region.prefecture, "province": r.region.province,
        "level": r.region.level, "meeting_date": r.meeting_date, "review_year": r.review_year,
        "plan_year": r.plan_year, "speaker": r.speaker.name, "session": r.congress.text,
    }
    assert got == {k: gold[k] for k in got}


def test_title_year_does_not_decide_the_plan_year(seeds_dir):
    # 四方台区: titled 2024, delivered 2025-01-04, reviews 2024 and plans 2025
    r = govreport.parse(seeds_dir / "000_30198e5ba9ff0909.txt")[0]
    assert r.title == "2024年四方台区政府工作报告"
    assert (r.meeting_date, r.review_year, r.plan_year) == ("2025-01-04", 2024, 2025)


def test_december_meeting_plans_the_next_year(seeds_dir):
    # 雨山区: titled 2025, delivered 2024-12-23
    r = govreport.parse(seeds_dir / "004_fd770ef22fe975fd.txt")[0]
    assert (r.meeting_date, r.review_year, r.plan_year) == ("2024-12-23", 2024, 2025)


def test_abridged_report_is_marked_and_spaced_heading_read(seeds_dir):
    r = govreport.parse(seeds_dir / "003_401dacb1b1eb60f9.txt")[0]
    assert r.kind == "abridged"
    assert r.speaker.name == "郭灵计" and r.speaker.title == "市长"
    assert (r.congress.term, r.congress.session) == (8, 5)


def test_chinese_numeral_date_and_short_congress_form():
    text = (
        "政府工作报告\n——二〇二三年一月十二日在淮阴区十八届人大二次会议上\n淮阴区人民政府代区长 王 某\n各位代表：\n"
        "现在，我代表区人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n过去一年，全区地区生产总值增长4.1%。\n"
    )
    r = govreport.parse_text(text)[0]
    assert r.meeting_date == "2023-01-12"
    assert (r.congress.term, r.congress.session) == (18, 2)
    assert (r.speaker.name, r.speaker.title) == ("王某", "代区长")
    assert (r.review_year, r.plan_year) == (2022, 2023)


def test_five_year_review_is_kept_apart(extra_dir):
    r = govreport.parse(extra_dir / "hailaer_2016.txt")[0]
    assert r.review_year == 2015 and r.plan_year == 2016
    assert r.five_year == {"name": "十二五", "start": 2011, "end": 2015, "role": "review"}
