"""Targets and actuals: what a governed value is, pinned on sentences copied from the real corpus."""

from __future__ import annotations

import pytest

from govreport.parsing.extract import _values_in
from govreport.knowledge.lexicon import load_lexicon

LEX = load_lexicon()


def values(text: str, relations: bool = True) -> list[tuple]:
    out = _values_in(text, 0, len(text), LEX, None, allow_relations=relations)
    for v in out:
        assert text[v.span[0] : v.span[1]] == v.text  # every value is grounded in its exact characters
    return [(v.indicator, v.measure, v.value, v.high, v.unit, v.qualifier) for v in out]


def test_target_paragraph_of_a_district_report():
    # 000_30198e5ba9ff0909.txt (四方台区 2025)
    text = ("地区生产总值同比增长5%左右,粮食产量1亿斤以上,城镇新增就业岗位1000个以上,农林牧渔总产值预计同比增长4.5%,"
            "规上工业增加值同比增长6%,一般公共预算收入同比增长28.2%以上,城乡居民人均可支配收入与经济增长基本同步。")
    assert values(text) == [
        ("gdp", "growth", 5, None, "%", "about"),
        ("grain_output", "level", 1, None, "亿斤", "at_least"),
        ("new_urban_jobs", "level", 1000, None, "个", "at_least"),
        ("agri_output", "growth", 4.5, None, "%", "none"),
        ("industrial_va", "growth", 6, None, "%", "none"),
        ("budget_revenue", "growth", 28.2, None, "%", "at_least"),
        # 城乡居民… with no number holds for urban and rural income alike (the dev gold's convention)
        ("urban_income", "growth", None, None, None, "none"),
        ("rural_income", "growth", None, None, None, "none"),
    ]


def test_respective_list_gives_one_target_per_indicator():
    # 001 part 1 (济南市 2024): 分别增长5.5%左右和6.5%以上
    assert values("城乡居民人均可支配收入分别增长5.5%左右和6.5%以上;") == [
        ("urban_income", "growth", 5.5, None, "%", "about"),
        ("rural_income", "growth", 6.5, None, "%", "at_least"),
    ]


def test_shared_figure_with_jun_applies_to_each_name():
    # hailaer_2016.txt: 城镇常住居民人均可支配收入、农村常住居民人均可支配收入均增长8%
    assert values("城镇常住居民人均可支配收入、农村常住居民人均可支配收入均增长8%；") == [
        ("urban_income", "growth", 8, None, "%", "none"),
        ("rural_income", "growth", 8, None, "%", "none"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("国内生产总值增长6%－6.5%；", ("gdp", "growth", 6, 6.5, "%", "range")),  # national 2019, full-width minus
        ("地区生产总值增长5%—6%,", ("gdp", "growth", 5, 6, "%", "range")),  # 四平市 2020
        ("城镇调查失业率5.5%以下,", ("unemployment_rate", "rate", 5.5, None, "%", "at_most")),  # 商丘市
        ("城镇登记失业率4.5%以内，", ("registered_unemployment_rate", "rate", 4.5, None, "%", "at_most")),
        ("居民消费价格涨幅控制在3%左右;", ("cpi", "growth", 3, None, "%", "about")),
        ("单位地区生产总值能耗下降3.2%。", ("energy_intensity", "decline", 3.2, None, "%", "none")),
        ("粮食产量保持在1.3万亿斤以上。", ("grain_output", "level", 1.3, None, "万亿斤", "at_least")),
        ("研发投入强度达到3.95%，", ("rd_intensity", "rate", 3.95, None, "%", "none")),
        ("一般公共财政预算收入按可比口径增长7.5%;", ("budget_revenue", "growth", 7.5, None, "%", "none")),
        ("农村贫困人口减少1000万以上，", ("poverty_reduction", "level", 1000, None, "万", "at_least")),
    ],
)
def test_single_targets_as_written_in_real_reports(text, expected):
    assert values(text) == [expected]


def test_clause_continuing_the_previous_name_reads_the_level():
    # hailaer_2016.txt: 地区生产总值增长7.5%，达到309亿元
    assert values("地区生产总值增长7.5%，达到309亿元；") == [
        ("gdp", "growth", 7.5, None, "%", "none"),
        ("gdp", "level", 309, None, "亿元", "none"),
    ]


def test_level_and_growth_chained_by_dunhao():
    # 001 part 1 (济南市): 完成一般公共预算收入1060.8亿元、增长6%
    assert values("完成一般公共预算收入1060.8亿元、增长6%,税收占比75.22%", relations=False) == [
        ("budget_revenue", "level", 1060.8, None, "亿元", "none"),
        ("budget_revenue", "growth", 6, None, "%", "none"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "进出口整体通关时间提速15%。",  # 001 part 7: not a trade figure
        "城镇新增就业、失业人员再就业人数分别达1141和1704人,",  # 000: the list has a member the lexicon lacks
        "第一产业、规模以上工业、服务业增加值分别增长4.2%、9.4%、",  # 001 part 7: unrecognised list members
        "金融机构本外币存贷款余额分别达到2.76万亿元、2.86万亿元,",  # one name, two figures: 存款 and 贷款
        "海洋生产总值突破2万亿元,",  # not GDP
        "工业总产值和增加值连续两年实现20%以上的增速;",  # a multi-year statement
        "固定资产投资项目150个,",  # a count of projects is not an investment amount
    ],
)
def test_ambiguous_or_foreign_figures_are_not_read(text):
    assert [v for v in values(text, relations=False) if v[2] is not None] == []


@pytest.mark.parametrize(
    "text",
    [
        "地区生产总值年均增长7.1%,",  # a five-year average, not the review year's growth
        "圆满完成地区生产总值增长6%的预期目标。",  # last year's target quoted in the review
    ],
)
def test_averages_and_quoted_goals_are_not_actuals(text):
    assert values(text, relations=False) == []


def test_share_of_gdp_names_read_as_rates():
    # 2010s-style wording: the R&D share is a rate, and the 地区生产总值 inside it is not a GDP figure
    assert values("全社会研究与试验发展经费支出占地区生产总值比重达到2.5%。") == [
        ("rd_intensity", "rate", 2.5, None, "%", "none")
    ]


def test_really_growth_and_per_mille_targets():
    # zhumadian 2009/2013: 人口自然增长率 targets are written in per mille
    text = "城镇居民人均可支配收入和农民人均纯收入分别实际增长8%和9%；人口自然增长率控制在6‰以内；"
    assert values(text) == [
        ("urban_income", "growth", 8, None, "%", "none"),
        ("rural_income", "growth", 9, None, "%", "none"),
        ("population_growth_rate", "rate", 6, None, "‰", "at_most"),
    ]


def test_a_gdp_target_the_report_does_not_set_is_noted_not_invented():
    # national 2020 report (delivered 2020-05-22): no growth target, and it says so
    text = (
        "政府工作报告\n——2020年5月22日在第十三届全国人民代表大会第三次会议上\n国务院总理 李克强\n各位代表：\n"
        "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n一、2019年和今年以来工作回顾\n"
        "过去一年，国内生产总值增长6.1%。\n二、今年发展主要目标和下一阶段工作总体部署\n"
        "今年发展主要目标是：城镇新增就业900万人以上，城镇调查失业率6%左右；居民消费价格涨幅3.5%左右；"
        "进出口促稳提质，国际收支基本平衡；居民收入增长与经济增长基本同步。\n"
        "需要说明的是，我们没有提出全年经济增速具体目标，主要因为全球疫情和经贸形势不确定性很大。\n"
    )
    import govreport

    r = govreport.parse_text(text)[0]
    gdp = [v for v in r.targets if v.indicator == "gdp"]
    assert len(gdp) == 1 and gdp[0].value is None and gdp[0].relation == "not_set"
    assert gdp[0].text == "没有提出全年经济增速具体目标"
    assert any("sets no GDP growth target" in w for w in r.warnings)
    assert [(v.indicator, v.value) for v in r.targets if v.value is not None] == [
        ("new_urban_jobs", 900), ("unemployment_rate", 6), ("cpi", 3.5)
    ]
    assert r.region.name == "中国" and (r.review_year, r.plan_year) == (2019, 2020)


def test_five_year_goals_paragraph_is_not_taken_for_the_annual_targets():
    # first year of a five-year plan (郴州市 2011 style): the 十二五 goals come first, then this year's
    import govreport

    text = (
        "政府工作报告\n——2011年1月10日在某市第四届人民代表大会第六次会议上\n各位代表：\n"
        "现在，我代表市人民政府向大会报告工作，请予审议。\n一、2010年工作回顾\n过去一年，全市生产总值增长14.5%。\n"
        "二、“十二五”时期的主要目标\n主要预期目标是：到2015年，全市生产总值2240亿元，年均增长13%以上，人均生产总值超过4万元。\n"
        "三、2011年工作安排\n主要预期目标是：地区生产总值增长14%，全社会固定资产投资增长25%。\n"
    )
    report = govreport.parse_text(text)[0]
    assert [(v.indicator, v.value) for v in report.targets if v.value is not None] == [
        ("gdp", 14), ("fixed_asset_investment", 25)
    ]
    assert (report.review_year, report.plan_year) == (2010, 2011)


def test_continuation_with_a_modifier_keeps_the_indicator():
    # county style: 全县生产总值增长12%，力争达到95亿元
    assert values("全县生产总值增长12%，力争达到95亿元；") == [
        ("gdp", "growth", 12, None, "%", "none"),
        ("gdp", "level", 95, None, "亿元", "none"),
    ]
