"""Tasks, quantified commitments, achievements and livelihood projects, pinned on real report text."""

from __future__ import annotations

import pytest

import govreport
from govreport.analysis.promises import match_promises, similarity
from govreport.parsing.numbers import find_numbers, parse_number


@pytest.mark.parametrize("written, value", [("7000", 7000), ("1,234.5", 1234.5), ("1.2万", 12000), ("三十二", 32),
                                            ("两千亿", 2e11), ("一百零五", 105), ("十", 10), ("两千", 2000)])
def test_numbers_as_written(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["三四十", "七八万", "一九八九"])
def test_guesses_and_digit_by_digit_years_are_no_number(written):
    # "三四十个" is about thirty or forty, not 40; 一九八九 is a year read digit by digit
    assert parse_number(written) is None


def test_slogans_are_never_read_as_numbers():
    text = "坚持三农工作重中之重，共建一带一路，落实两个确保，编制十四五规划，开工新建改扩建幼儿园三十二所"
    found = [(w, v) for _s, _e, v, w in find_numbers(text)]
    assert found == [("三十二", 32)]


@pytest.fixture(scope="module")
def jiangyuan(seeds_dir):
    return govreport.parse(seeds_dir / "002_8433e2247a81c5a0.txt")[0]


def test_plan_commitments_carry_action_object_number_and_strength(jiangyuan):
    found = {(c.action, c.object, c.value, c.unit, c.qualifier): c for c in jiangyuan.commitments}
    c = found[("签约", "项目", 20, "个", "at_least")]  # 力争签约项目20个以上
    assert (c.strength_word, c.strength) == ("力争", 3)
    assert jiangyuan.text[c.span[0] : c.span[1]] == c.text == "签约项目20个以上"
    assert all(c.part == "plan" for c in jiangyuan.commitments)
    assert not any(c.object in ("以上", "项目") and c.value == 500 for c in jiangyuan.commitments)  # 500万元以上重点项目


def test_review_achievements_are_kept_apart(jiangyuan):
    found = {(a.action, a.object, a.value, a.unit) for a in jiangyuan.achievements}
    assert ("组建", "重大项目工作专班", 31, "个") in found
    assert ("改造", "保障性租赁住房", 213, "套") in found
    assert all(a.part == "review" for a in jiangyuan.achievements)


def test_tasks_are_ranked_with_themes(jiangyuan, seeds_dir):
    plan = [t for t in jiangyuan.tasks if t.part == "plan"]
    assert [t.heading[:6] for t in plan[:2]] == ["聚焦产业体系", "聚焦项目建设"]
    assert [t.rank for t in plan] == list(range(1, 9))
    assert "environment" in plan[5].themes and plan[6].themes[0] == "livelihood"
    sifangtai = govreport.parse(seeds_dir / "000_30198e5ba9ff0909.txt")[0]
    review = [t for t in sifangtai.tasks if t.part == "review"]
    assert review[0].heading == "坚定不移兴产业、强支撑,发展基础更加夯实" and len(review) == 8


def test_livelihood_count_from_the_attachment(extra_dir):
    report = govreport.parse(extra_dir / "guangdong_2025.docx")[0]
    assert report.livelihood is not None and report.livelihood.count == 10
    assert "十件民生实事" in report.livelihood.text
    items = report.livelihood.items
    assert len(items) == 10 and items[-1]["title"] == "为青少年提供更加普惠专业的心理健康服务"
    assert all(report.text[i["span"][0] : i["span"][1]] == i["title"] for i in items)


def test_promises_match_next_years_results(extra_dir):
    plan = govreport.parse(extra_dir / "hailaer_2016.txt")[0]
    review = govreport.parse(extra_dir / "hailaer_2017.txt")[0]
    rows = {(r["action"], r["object"]): r for r in match_promises(plan, review)}
    jobs = rows[("新增", "就业")]
    assert (jobs["promised"], jobs["achieved"], jobs["confidence"]) == (5300, 6790, 1.0)
    assert "6790" in jobs["result"]


def test_similarity_needs_the_same_unit():
    from govreport.model import Commitment

    a = Commitment("新建", "5G基站", 7000, "个", "7000")
    b = Commitment("建成", "5G基站", 7100, "个", "7100")
    c = Commitment("建成", "5G基站", 7.1, "千个", "7.1")
    assert similarity(a, b) > 0.8 and similarity(a, c) == 0.0
