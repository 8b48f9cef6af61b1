"""Rules that make extraction hold on reports the parser was not written against, each pinned on real text
from the development corpus (../shared/corpus/dev): older national reports, scrapes, unusual city reports."""

from __future__ import annotations

import pytest

import govreport
from conftest import SHARED
from govreport.knowledge.lexicon import load_lexicon
from govreport.model import GovreportError
from govreport.parsing.extract import _values_in
from govreport.parsing.normalize import normalize
from govreport.parsing.split import report_kind
from test_extract import values

HEADER = "政府工作报告\n——2024年1月10日在某市第十七届人民代表大会第四次会议上\n"


def targets_of(text: str) -> list[tuple]:
    [report] = govreport.parse_text(text)
    for t in report.targets:
        assert report.text[t.span[0] : t.span[1]] == t.text
    return [(t.indicator, t.measure, t.value, t.unit, t.qualifier) for t in report.targets if t.value is not None]


# --- normalisation of older and scraped texts ---------------------------------------------------------------


def test_flattened_text_regains_its_paragraphs_at_indentation_runs():
    # national_1990.txt: one line per report, paragraphs survive only as runs of U+3000
    raw = ("1990\t\xa01990年政府工作报告\u3000\u3000——１９９０年３月２０日在第七届全国人民代表大会第三次会议上"
           "\u3000\u3000各位代表！\u3000\u3000现在，我代表国务院，向大会作政府工作报告，请予审议。"
           "\u3000\u3000一、一九八九年的回顾\u3000\u3000在中华人民共和国的史册上，１９８９年是很不寻常的一年。") * 3
    doc = normalize(raw)
    assert "\n一、1989年的回顾\n" in doc.text  # a year in Chinese digits is read as digits too
    assert all(raw[o] not in "\n" for o in doc.offsets)


def test_chinese_numeral_figures_become_digits_with_their_largest_unit():
    # national_1958.txt and national_1990.txt
    doc = normalize("工业总产值六百四十三亿七千万元，比去年增长百分之十四点六；原煤一亿五千零七十二万四千吨；"
                    "国内生产总值增长百分之八至九；三四十万人")
    assert doc.text == "工业总产值643.7亿元，比去年增长14.6%；原煤1.50724亿吨；国内生产总值增长8%至9%；三四十万人"
    assert doc.text[doc.text.index("643.7")] == "6" and doc.offsets[doc.text.index("643.7")] == 5


def test_spaced_digits_middle_dot_decimals_and_full_width_thousands_are_read():
    # national_1998.txt ('1 9 9 8 年3 月5 日', '8 ％'), national_1999.txt ('19·5％'), national_1980.txt ('34，250万吨')
    assert normalize("1 9 9 8 年3 月5 日，经济增长8 ％").text == "1998年3月5日，经济增长8%"
    assert normalize("增长19·5％").text == "增长19.5%"
    assert normalize("粮食产量34，250万吨，比上年增加").text == "粮食产量34,250万吨，比上年增加"


def test_stray_line_wrap_spaces_inside_words_are_dropped():
    # national_2004.txt: '经 济增长', '自主 权' at old line-wrap points
    line = ("中央提出今年经 济增长预期目标为7%左右，主要考虑是保持宏观经济政策的连续性和稳定性，"
            "有利于引导各方面把工作重点放到调整结构、提高效益上，扩大企业自主 权。")
    assert "经济增长" in normalize("\n".join([line] * 5)).text


def test_inline_headings_of_a_one_paragraph_report_start_lines():
    # luzhou_2024.docx: the whole report is one paragraph, headings run on after the previous sentence
    text = "各位代表：现在，我代表市人民政府，向大会报告工作。" + "全面完成省下达任务。" * 400 + "一、聚焦抓项目增效益，持续扩大有效投资。"
    assert "\n一、聚焦抓项目增效益" in normalize(text).text


# --- where targets are stated ---------------------------------------------------------------------------


def test_targets_stated_in_a_task_section_are_read():
    # national_1999.txt / national_2004.txt: no 主要预期目标 paragraph; the year's target sits in a task section
    text = (HEADER + "各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2023年工作回顾\n过去一年，生产总值增长7.8%。\n"
            "二、2024年工作安排\n（一）保持经济平稳较快增长\n根据各方面情况，中央提出今年经济增长预期目标为7%左右。"
            "国家计划要求今年的全社会固定资产投资增长8%。\n")
    assert targets_of(text) == [("gdp", "growth", 7, "%", "about"), ("fixed_asset_investment", "growth", 8, "%", "none")]


def test_a_bare_list_of_targets_without_lead_in_is_the_targets_paragraph():
    # mianyang_2024.docx: the paragraph simply starts with the list
    text = (HEADER + "各位代表：现在，我代表市人民政府，向大会报告工作。全年地区生产总值4038.73亿元、同比增长8%。\n"
            "今年政府工作的总体要求是：坚持稳中求进工作总基调。\n"
            "地区生产总值增长7%左右，规上工业增加值增长8%，全社会固定资产投资增长8%，社会消费品零售总额增长9%，"
            "城镇调查失业率控制在5.5%左右，居民消费价格指数涨幅控制在3%左右。\n")
    assert targets_of(text) == [
        ("gdp", "growth", 7, "%", "about"), ("industrial_va", "growth", 8, "%", "none"),
        ("fixed_asset_investment", "growth", 8, "%", "none"), ("retail_sales", "growth", 9, "%", "none"),
        ("unemployment_rate", "rate", 5.5, "%", "about"), ("cpi", "growth", 3, "%", "about"),
    ]


def test_plan_part_without_heading_is_cut_from_the_review():
    # maanshan_2024.docx: only "一、2023年工作回顾"; the plan starts at "做好今年政府工作…" inside it
    text = (HEADER + "各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2023年工作回顾\n"
            "（一）坚持稳中求进\n全年地区生产总值增长6.1%。\n做好今年政府工作的总体要求是：坚持稳中求进。\n"
            "综合考虑，今年全市经济社会发展主要预期目标是：GDP增长7%左右，固定资产投资增长10%左右。\n"
            "（一）坚定不移扩大有效需求\n新建项目100个。\n")
    [report] = govreport.parse_text(text)
    kinds = [(s.level, s.kind) for s in report.sections if s.level == 1]
    assert kinds == [(1, "review"), (1, "plan")]
    assert [(a.indicator, a.value) for a in report.actuals] == [("gdp", 6.1)]
    assert [(t.indicator, t.value, t.qualifier) for t in report.targets] == [
        ("gdp", 7, "about"), ("fixed_asset_investment", 10, "about")]


def test_a_plan_list_announced_by_ru_xia_is_read_line_by_line():
    # national_1980.txt: "1981年国民经济计划主要指标安排如下。" then one line per sector
    text = ("关于1980、1981年国民经济计划安排的报告\n——1980年8月30日在第五届全国人民代表大会第三次会议上\n"
            "各位代表：\n现在，我代表国务院，向大会报告工作。\n二、1981年国民经济计划的任务和主要指标\n"
            "根据上述要求，1981年国民经济计划主要指标安排如下。\n工农业总产值，比1980年预计增长5.5%，其中，农业总产值增长4%。\n"
            "农业，粮食产量34，250万吨，比1980年预计增加1，000万吨。\n能源工业，发电量3，120亿度，比1980年预计增加120亿度。\n")
    assert targets_of(text) == [
        ("gross_output", "growth", 5.5, "%", "none"), ("agri_output", "growth", 4, "%", "none"),
        ("grain_output", "level", 34250, "万吨", "none"), ("electricity_output", "level", 3120, "亿度", "none"),
    ]


# --- how targets are worded -----------------------------------------------------------------------------


def test_economic_growth_without_gdp_is_gdp_growth():
    # henan_2025.docx: 主要预期目标是:经济增长5.5%左右
    assert values("经济增长5.5%左右，规上工业增加值增长7%左右") == [
        ("gdp", "growth", 5.5, None, "%", "about"), ("industrial_va", "growth", 7, None, "%", "about")]


def test_three_sectors_listed_in_one_name_are_paired_in_order():
    # chengdu_2024.docx, qianxinan_2024.docx, ningxia_2026.csv
    assert values("其中第一、第二、第三产业增加值分别增长2%、5.5%和6.5%") == [
        ("agri_va", "growth", 2, None, "%", "none"), ("secondary_va", "growth", 5.5, None, "%", "none"),
        ("services_va", "growth", 6.5, None, "%", "none")]
    assert values("一产、二产、三产增加值分别增长5%左右、5%以上、5%左右") == [
        ("agri_va", "growth", 5, None, "%", "about"), ("secondary_va", "growth", 5, None, "%", "at_least"),
        ("services_va", "growth", 5, None, "%", "about")]


def test_a_qualifier_written_once_after_a_list_applies_to_each_member():
    # linzhi_2024.docx
    assert values("城乡居民人均可支配收入分别增长8.5%和11%左右") == [
        ("urban_income", "growth", 8.5, None, "%", "about"), ("rural_income", "growth", 11, None, "%", "about")]


def test_kong_zhi_zai_without_other_word_is_a_ceiling():
    # national_2006.txt
    assert values("居民消费价格总水平涨幅控制在3%；城镇登记失业率控制在4.6%") == [
        ("cpi", "growth", 3, None, "%", "at_most"), ("registered_unemployment_rate", "rate", 4.6, None, "%", "at_most")]


def test_price_target_written_as_an_index_is_a_rise():
    # luzhou_2024.docx, chengdu_2024.docx: 居民消费价格指数控制在103左右 -> cpi growth 3 about
    assert values("居民消费价格指数控制在103左右") == [("cpi", "growth", 3, None, "%", "about")]


def test_older_plan_vocabulary_has_its_own_codes():
    # national_1990.txt: 国民生产总值 is GNP (not GDP), percentages in Chinese numerals
    text = normalize("国家计划要求今年的国民生产总值比上年增长百分之五，工业总产值增长百分之六，农业总产值增长百分之四").text
    assert values(text) == [("gnp", "growth", 5, None, "%", "none"), ("industrial_output", "growth", 6, None, "%", "none"),
                            ("agri_output", "growth", 4, None, "%", "none")]


# --- what is a report -------------------------------------------------------------------------------------


def test_a_page_of_a_scrape_is_parsed_as_a_fragment_with_a_warning():
    # aba_2024.docx: no title, opening or meeting line; the text starts at "2023年工作回顾"
    body = ("2023年工作回顾\n刚刚过去的2023年，是全面贯彻党的二十大精神的开局之年。全州地区生产总值增长6.5%。"
            + "我们坚持稳中求进，全州经济持续回升向好。" * 40)
    assert report_kind(body) == "fragment"
    [report] = govreport.parse_text(body)
    assert report.kind == "fragment" and any("only part of a report" in w for w in report.warnings)


def test_an_address_without_a_second_sign_is_still_a_full_report():
    # national_1958.txt (Wikisource): no title or date line, "我代表国务院向…会议，提出…的报告"
    text = "各位代表：\n\n我代表国务院向第一届全国人民代表大会第五次会议，提出关于一九五八年度国民经济计划（草案）的报告。\n" + (
        "一九五七年是我国在各个战线上取得伟大胜利的一年。回顾一九五七年，就会使每个人对于我们的前途充满信心。" * 20)
    assert report_kind(text) == "full"


@pytest.mark.parametrize("text", [
    # a news story about a report, and a row of a manifest: not reports
    "新华社北京3月5日电（记者 张三）国务院总理作政府工作报告。报告提出，今年发展主要预期目标是国内生产总值增长5%左右。" * 20,
    "mianyang_2024.docx\t四川省绵阳市\tprefecture\t2024\tdocx\tNo review heading; the targets paragraph has no lead-in",
])
def test_news_and_manifest_rows_are_still_refused(text):
    with pytest.raises(GovreportError, match="not a government work report"):
        govreport.parse_text(text)


def test_a_milestone_passed_is_a_floor_and_the_figures_after_it_still_count():
    # chongqing_2024.docx, anhui_2025.docx
    assert values("地区生产总值迈上3万亿元新台阶、达到30145.79亿元、增长6.1%", relations=False) == [
        ("gdp", "level", 3, None, "万亿元", "at_least"), ("gdp", "level", 30145.79, None, "亿元", "none"),
        ("gdp", "growth", 6.1, None, "%", "none")]
    assert values("经济总量跨上5万亿元台阶", relations=False) == [("gdp", "level", 5, None, "万亿元", "at_least")]


def test_page_numbers_inside_a_sentence_are_dropped():
    # zaozhuang_2024.docx: "全市地区生产总值增长6.4%，一 — 1 — 般公共预算收入增长7.2%"; dates keep their dashes
    assert normalize("增长6.4%，一 — 1 — 般公共预算收入增长7.2%，2023-12-05，1—3月").text == \
        "增长6.4%，一般公共预算收入增长7.2%，2023-12-05，1—3月"


def test_targets_of_a_1990s_report_are_read_from_its_plan_prose():
    # national_1992.txt: the targets are one sentence of the plan part, continued two sentences later
    text = ("1992年政府工作报告\n——1992年3月20日在第七届全国人民代表大会第五次会议上\n各位代表：\n"
            "现在，我代表国务院，向大会作政府工作报告，请予审议。\n一、1991年的回顾\n去年国民生产总值增长7%。\n"
            "二、1992年的主要任务\n今年计划要求，在保持社会总需求与总供给基本平衡的基础上，国民生产总值增长百分之六，"
            "全社会固定资产投资增长百分之八。投资要符合产业政策，避免盲目发展和重复建设。社会商品零售总额增长百分之十二点三，"
            "货币发行和新增信贷规模与去年大体持平，零售物价上涨幅度控制在百分之六以内。\n")
    assert targets_of(text) == [
        ("gnp", "growth", 6, "%", "none"), ("fixed_asset_investment", "growth", 8, "%", "none"),
        ("retail_sales", "growth", 12.3, "%", "none"), ("retail_price_index", "growth", 6, "%", "at_most")]


def test_a_year_in_chinese_digits_dates_a_sentence_like_arabic_digits():
    # national_1959.txt: 在一九五八年十一月的会议上讨论了一九五九年的任务，提出了钢产量1800万吨 — the last year governs
    text = normalize("在一九五八年十一月召开的会议上，曾经讨论了一九五九年发展国民经济的主要任务和方针，提出了钢产量1800万吨").text
    from govreport.parsing.extract import _values_in
    from test_extract import LEX
    got = [(v.indicator, v.value) for v in _values_in(text, 0, len(text), LEX, None, allow_relations=True, year=1959)]
    assert got == [("steel_output", 1800)]
    assert _values_in(text, 0, len(text), LEX, None, allow_relations=True, year=1960) == []


def test_a_plan_report_of_the_1950s_gives_its_planned_figures_not_its_comparison_bases():
    # national_1958.txt / national_1959.txt (figures in Chinese numerals, planned with 拟定为, compared with 比…的)
    text = normalize("一九五八年的工业总产值，拟定为六百四十三亿七千万元（按一九五七年不变价格计算），比一九五七年预计数增加"
                     "八十一亿九千万元，增长百分之十四点六。例如，钢产量拟定为624.8万吨，将比1957年增长19.2%。"
                     "一九五九年的工农业总产值将比一九五八年的2050亿元增长40%，达到2870亿元。").text
    from govreport.parsing.extract import _values_in
    from test_extract import LEX
    got = [(v.indicator, v.measure, v.value, v.unit) for v in _values_in(text, 0, len(text), LEX, None,
                                                                        allow_relations=True, year=1958)]
    assert got == [("industrial_output", "level", 643.7, "亿元"), ("industrial_output", "growth", 14.6, "%"),
                   ("steel_output", "level", 624.8, "万吨"), ("steel_output", "growth", 19.2, "%")]


def test_a_report_in_traditional_characters_is_read_as_simplified_with_its_offsets_kept():
    # national_1954_wikisource.txt: 們/國/會 throughout
    text = ("各位代表：\n我們第一屆全國人民代表大會第一次會議，已經光榮地完成了一件歷史性的工作。現在，我代表中央人民政府作工作報告。"
            "過去一年，全國工業總產值比上年增長百分之十七。我們要繼續努力，保證今年國家計劃的完成。" * 12)
    [report] = govreport.parse_text(text)
    assert "我们第一届全国人民代表大会" in report.text and report.region.name == "中国"
    assert any("traditional characters" in w for w in report.warnings)
    k = report.text.index("们")
    assert text[report.offsets[k]] == "們"  # the span still points at the character as written


def test_newspaper_page_jumps_are_dropped():
    # xizang_2026.csv (a newspaper scrape): "…提供了行动指南。（下转第四版）（紧接第一版） 我们坚持人民至上"
    assert normalize("提供了行动指南。（下转第四版）（紧接第一版） 我们坚持人民至上，（上接第二版）最大限度").text == \
        "提供了行动指南。我们坚持人民至上，最大限度"


def test_runs_of_respective_figures_follow_one_name_and_a_rate_then_level_chain():
    # linzhi_2024.docx, fujian_2025.docx, yunnan_2025.docx, beijing_2024.docx
    assert values("城乡居民人均可支配收入分别完成47125元、25913元、分别增长8.5%、11%", relations=False) == [
        ("urban_income", "level", 47125, None, "元", "none"), ("rural_income", "level", 25913, None, "元", "none"),
        ("urban_income", "growth", 8.5, None, "%", "none"), ("rural_income", "growth", 11, None, "%", "none")]
    assert values("城镇居民、农村居民人均可支配收入分别增长4.6%、6.7%", relations=False) == [
        ("urban_income", "growth", 4.6, None, "%", "none"), ("rural_income", "growth", 6.7, None, "%", "none")]
    assert values("第一、第三产业增加值分别增长2.5%、3.9%", relations=False) == [
        ("agri_va", "growth", 2.5, None, "%", "none"), ("services_va", "growth", 3.9, None, "%", "none")]
    assert values("全市地区生产总值增长5.2%、约4.4万亿元", relations=False) == [
        ("gdp", "growth", 5.2, None, "%", "none"), ("gdp", "level", 4.4, None, "万亿元", "about")]


def test_guarantee_and_stretch_is_coded_as_the_guaranteed_figure():
    # liangshan_2024.docx: 地区生产总值增速“保8争9” (GUIDE: 保X争Y codes X)
    assert values("地区生产总值增速“保8争9”，规上工业增加值增长11%以上") == [
        ("gdp", "growth", 8, None, "%", "none"), ("industrial_va", "growth", 11, None, "%", "at_least")]


def test_a_report_without_a_meeting_date_says_whether_its_header_states_one():
    # mianyang_2024.docx starts at 各位代表 (no date line); a scrape's publication stamp is not a meeting date
    body = "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n一、2023年工作回顾\n过去一年，地区生产总值增长6%。\n"
    [bare] = govreport.parse_text(body)
    assert bare.meeting_date is None and any(w.startswith("no meeting date: the text has no date line") for w in bare.warnings)
    [stamped] = govreport.parse_text("发布时间：2024-03-26\n2024年3月26日 来源：市政府网\n" + body)
    assert any("a date in the header was not taken" in w for w in stamped.warnings)


# --- actuals: how review figures are written -----------------------------------------------------------------


def test_respective_growth_after_each_name_had_its_own_level_pairs_them_in_order():
    # national_2006.txt, zhumadian_2013.txt
    text = "城镇居民人均可支配收入达到10493元，农村居民人均纯收入达到3255元，扣除价格因素，分别增长9.6%和6.2%。"
    assert values(text, relations=False)[2:] == [
        ("urban_income", "growth", 9.6, None, "%", "none"), ("rural_income", "growth", 6.2, None, "%", "none")]
    text = "城镇居民人均可支配收入17671元、农民人均纯收入6599元，分别增长11.9%和13.7%。"
    assert values(text, relations=False)[2:] == [
        ("urban_income", "growth", 11.9, None, "%", "none"), ("rural_income", "growth", 13.7, None, "%", "none")]


def test_respective_figures_are_not_paired_when_a_member_had_two_figures_or_an_unnamed_neighbour():
    # zhumadian_2010.txt: 14.5% is 一般预算收入's growth and 32.2% the expenditure's, not 地方财政总收入's
    text = "地方财政总收入51.2亿元，增长11.1%，其中一般预算收入29.3亿元、支出143.6亿元，分别增长14.5%和32.2%。"
    assert values(text, relations=False) == [
        ("budget_revenue_total", "level", 51.2, None, "亿元", "none"),
        ("budget_revenue_total", "growth", 11.1, None, "%", "none"),
        ("budget_revenue", "level", 29.3, None, "亿元", "none")]


def test_asides_and_parts_of_the_year_do_not_end_the_running_subject():
    # national_1995.txt, wuhan_2024.docx, fangchenggang_2024.docx
    assert values("国内生产总值达到43800亿元，按可比价格计算，比上年增长11.8%。", relations=False) == [
        ("gdp", "level", 43800, None, "亿元", "none"), ("gdp", "growth", 11.8, None, "%", "none")]
    assert values("经济增速逐季回升，一季度增长4.5%，上半年增长5%，前三季度增长5.5%，全年增长5.7%。", relations=False) == [
        ("gdp", "growth", 5.7, None, "%", "none")]
    text = ("居民人均可支配收入、城镇居民人均可支配收入、农村居民人均可支配收入三项增速分别为5.7%、4.5%和7.6%，均排全区第一，"
            "总量分别为33893元、42291元和21460元。")
    assert values(text, relations=False)[3:] == [
        ("resident_income", "level", 33893, None, "元", "none"), ("urban_income", "level", 42291, None, "元", "none"),
        ("rural_income", "level", 21460, None, "元", "none")]


def test_negative_growth_asides_in_a_chain_and_a_floor_after_a_rate():
    # qianxinan_2024.docx, mianyang_2024.docx, neimenggu_2025.docx
    assert values("固定资产投资增长-3.8%、增速排全省第5位", relations=False) == [
        ("fixed_asset_investment", "growth", -3.8, None, "%", "none")]
    assert values("地区生产总值4038.73亿元、同比增长（以下简称增长）8%", relations=False) == [
        ("gdp", "level", 4038.73, None, "亿元", "none"), ("gdp", "growth", 8, None, "%", "none")]
    assert values("预计地区生产总值增长6%左右、突破2.6万亿元", relations=False) == [
        ("gdp", "growth", 6, None, "%", "about"), ("gdp", "level", 2.6, None, "万亿元", "at_least")]


def test_a_result_held_to_a_figure_has_no_ceiling_qualifier():
    # national_2011.txt: "居民消费价格涨幅控制在3.3%" reports last year's CPI; as a target it would be at most 3.3%
    text = HEADER + ("一、2023年工作回顾\n过去一年，地区生产总值增长5.2%，居民消费价格涨幅控制在3.3%。\n"
                     "二、2024年工作安排\n主要预期目标是：地区生产总值增长5%左右，居民消费价格涨幅控制在3%。\n")
    [report] = govreport.parse_text(text)
    assert [(v.indicator, v.value, v.qualifier) for v in report.actuals] == [("gdp", 5.2, "none"), ("cpi", 3.3, "none")]
    assert [(v.indicator, v.value, v.qualifier) for v in report.targets] == [("gdp", 5, "about"), ("cpi", 3, "at_most")]


def test_a_five_year_review_gives_the_level_the_period_ended_on():
    # national_2011.txt: the level with its average growth, and the level reached 从…到; not the average itself
    text = ("政府工作报告\n——2011年3月5日在第十一届全国人民代表大会第四次会议上\n"
            "一、“十一五”时期国民经济和社会发展的回顾\n“十一五”时期是我国发展进程中极不平凡的五年。"
            "国内生产总值达到39.8万亿元，年均增长11.2%，财政收入从3.16万亿元增加到8.31万亿元。城镇新增就业5771万人。\n"
            "二、2011年的工作\n过去一年，国内生产总值增长10.3%。今年经济社会发展的主要预期目标是：国内生产总值增长8%左右。\n")
    [report] = govreport.parse_text(text)
    assert report.review_year == 2010
    got = {(v.indicator, v.measure, v.value, v.unit) for v in report.actuals}
    assert {("gdp", "level", 39.8, "万亿元"), ("budget_revenue", "level", 8.31, "万亿元"), ("gdp", "growth", 10.3, "%")} <= got
    assert not {v for v in got if v[2] in (11.2, 5771, 3.16)}


def test_a_higher_governments_figure_is_not_the_reports_own():
    # zhumadian_2016.txt: a city report quoting the province's revenue expectation in its targets paragraph
    text = "一般公共预算收入预期增长8.5%。今年，全省财政收入预期增长7%，低于经济增长1个百分点。"
    lex = load_lexicon()
    read = [(v.indicator, v.value) for v in _values_in(text, 0, len(text), lex, None, allow_relations=True,
                                                        foreign=lex.higher_scopes["prefecture"])]
    assert read == [("budget_revenue", 8.5)]
    assert lex.higher_scopes["province"] == ("全国", "我国")  # a province report's 全省 is its own


def test_older_reviews_compare_with_the_year_before_and_more_than_figures_are_floors():
    # national_1980.txt, national_1997.txt, national_1989.txt
    assert values("1979年农业总产值比1978年增长8.6%。", relations=False) == []  # no year given: 1978 may not be 上年
    from govreport.parsing.extract import _values_in as read
    text = "1979年农业总产值比1978年增长8.6%。人口自然增长率由上年的1.2%下降到1.17%。"
    got = [(v.indicator, v.measure, v.value) for v in read(text, 0, len(text), load_lexicon(), None,
                                                         allow_relations=False, year=1979)]
    assert got == [("agri_output", "growth", 8.6), ("population_growth_rate", "rate", 1.17)]
    assert values("国内生产总值达到67700多亿元", relations=False) == [("gdp", "level", 67700, None, "亿元", "at_least")]
    assert values("粮食减产2.2%，棉花减产1.1%", relations=False) == [
        ("grain_output", "decline", 2.2, None, "%", "none"), ("cotton_output", "decline", 1.1, None, "%", "none")]


def test_a_paragraph_comparing_with_an_earlier_base_year_gives_no_review_figures():
    # national_1955.txt: outside a review section, two-year growth rates after "比1952年" are not 1954's
    from govreport.parsing.extract import _stated_actuals

    text = ("政府工作报告\n——1955年7月5日在第一届全国人民代表大会第二次会议上\n"
            "在工业生产方面：两个年度计划都超额完成，1954年工业总产值比1952年增长了53.7%；重要产品的产量都有显著增长，"
            "如铁增长56%，钢增长65%。\n在农业生产方面：1954年粮食产量达到3390亿斤。\n")
    [report] = govreport.parse_text(text)
    assert report.review_year == 1954
    assert [(v.indicator, v.value) for v in _stated_actuals(report, load_lexicon(), [])] == [("grain_output", 3390)]


def test_a_plan_figure_after_its_comparison_base_counts_and_the_base_does_not():
    # national_1959.txt: 2050亿元 and 548亿元 are 1958's figures, the bases of the 1959 plan's growth
    lex = load_lexicon()
    text = "1959年的工农业总产值将比1958年的2050亿元增长40%。计划规定1959年的社会商品零售总额将达到650亿元，比1958年的548亿元增长19%。"
    got = [(v.indicator, v.measure, v.value) for v in _values_in(text, 0, len(text), lex, None, allow_relations=True,
                                                                   year=1959)]
    assert got == [("gross_output", "growth", 40), ("retail_sales", "level", 650), ("retail_sales", "growth", 19)]
    # a base that is not the year before gives a growth over several years: nothing
    text = "1959年的工农业总产值将比1957年的1241亿元增长131%。"
    assert _values_in(text, 0, len(text), lex, None, allow_relations=True, year=1959) == []


def test_a_term_review_dated_from_its_first_year_reviews_the_last_year():
    # a five-year review whose heading runs into "2007年以来，…": the review year is the term's last, and the
    # levels it reached count for it when the report gives them nowhere else
    from conftest import SHARED

    [report] = govreport.parse(SHARED / "corpus" / "dev" / "city" / "zhumadian_2012.txt")
    assert (report.review_year, report.plan_year) == (2011, 2012)
    assert report.sections[0].kind == "review" and report.sections[0].scope == "five_year"
    got = {(v.indicator, v.value) for v in report.actuals}
    assert {("grain_output", 136.97), ("urbanization_rate", 31.54)} <= got
    assert not any(v.indicator == "new_urban_jobs" for v in report.actuals)  # 五年新增: a total over the period


def test_a_full_width_point_after_a_spaced_digit_is_a_decimal_point():
    # national_1998.txt (hprc): digits are spaced throughout, "去年经济增长8 ．8%"
    assert normalize("去年经济增长8 ．8%，商品零售价格涨幅为0 ．8%").text == "去年经济增长8.8%，商品零售价格涨幅为0.8%"


def test_a_target_stated_as_the_goal_of_this_years_policy_is_read():
    # national_1995.txt: no 今年 in the sentence, a comparison clause before the figure
    text = HEADER + ("一、2023年工作回顾\n过去一年，地区生产总值增长5.2%。\n二、2024年工作安排\n"
                     "坚决控制物价上涨幅度。宏观调控的目标是，确保物价上涨幅度比去年有明显回落，力争控制在15%左右。\n")
    assert ("retail_price_index", "growth", 15, "%", "about") in targets_of(text)
    # a goal of another year is not this year's
    text = HEADER + ("一、2023年工作回顾\n过去一年，地区生产总值增长5.2%。\n二、2024年工作安排\n"
                     "到2035年的目标是，地区生产总值增长一倍，常住人口城镇化率达到70%。\n")
    assert targets_of(text) == []


def test_targets_without_a_number_are_read_from_their_families_of_phrases():
    # chizhou_2023.docx, guigang-style endings, fujian_2025.docx, yinchuan_2024.docx
    got = values("粮食产量、单位国内生产总值能耗降低率完成省下达年度目标任务。")
    assert [(c, m) for c, m, *_ in got] == [("grain_output", "level"), ("energy_intensity", "level")]
    assert [c for c, *_ in values("主要污染物排放完成自治区下达的目标任务")] == ["pollutant_emissions"]
    assert values("单位地区生产总值能耗保持下降") == [("energy_intensity", "decline", None, None, None, "none")]
    assert [c for c, *_ in values("城镇调查失业率控制在自治区下达目标内")] == ["unemployment_rate"]
    # a compound read whole keeps its single code
    assert values("进出口平稳增长") == [("trade", "growth", None, None, None, "none")]


def test_energy_and_emission_targets_named_together_or_inside_their_phrase():
    # chongqing_2024.docx, huhehaote_2024.docx, xianning_2024.docx
    assert [c for c, *_ in values("节能减排降碳指标完成国家下达的目标任务。")] == [
        "energy_intensity", "pollutant_emissions", "carbon_intensity"]
    assert [c for c, *_ in values("完成自治区下达的节能减排目标。")] == ["energy_intensity", "pollutant_emissions"]
    assert [c for c, *_ in values("完成省定节能减排目标任务。")] == ["energy_intensity", "pollutant_emissions"]
    assert values("完成节能减排。") == []  # no target word after the name: not a target


def test_a_growth_target_relative_to_the_province_is_qualitative_and_keeps_a_figure_after_it():
    # deyang_2024.docx, luzhou_2024.docx
    assert values("地区生产总值增速高于省平1个百分点、7%左右；") == [
        ("gdp", "growth", None, None, None, "none"), ("gdp", "growth", 7, None, "%", "about")]
    assert values("地区生产总值增速高于全省0.5个百分点左右；") == [("gdp", "growth", None, None, None, "none")]
    assert [c for c, *_ in values("城镇、农村常住居民人均可支配收入增幅高于全省平均；")] == ["urban_income", "rural_income"]


def test_ocr_letters_inside_a_percentage_are_read_as_digits():
    # zhumadian_2003.txt: "国内生产总值增长1O%", "社会消费品零售总额增长lO.5%"
    assert normalize("国内生产总值增长1O%，社会消费品零售总额增长lO.5%").text == "国内生产总值增长10%，社会消费品零售总额增长10.5%"
    assert normalize("COVID-19%与Iol%").text == "COVID-19%与Iol%"  # Latin words and runs without a digit stay


def test_a_planned_growth_over_an_earlier_base_year_is_not_the_plan_years_target():
    # national_1957.txt: "农业总产值比1952年将增长26%" is the first five-year plan's growth, not 1957's
    lex = load_lexicon()
    text = "农业总产值比1952年将增长26%。"
    assert _values_in(text, 0, len(text), lex, None, allow_relations=True, year=1957) == []
    text = "工农业总产值比1980年预计增长5.5%。"  # national_1980.txt, the 1981 plan: over the year before
    assert [v.value for v in _values_in(text, 0, len(text), lex, None, allow_relations=True, year=1981)] == [5.5]


def test_a_year_in_chinese_digits_without_nian_still_dates_its_sentence():
    # national_1958.txt: "以粮食和棉花的产量来说，一九五八粮食的指标为3920亿斤，比上一年增加220亿斤，增长5.9%"
    assert normalize("一九五八粮食的指标为3920亿斤").text == "1958年粮食的指标为3920亿斤"
    assert normalize("一九五八万").text == "一九五八万"  # a numeral, not a year
    lex = load_lexicon()
    text = "1958年粮食的指标为3920亿斤，比上一年增加220亿斤，增长5.9%。"
    assert [(v.indicator, v.measure, v.value) for v in _values_in(text, 0, len(text), lex, None, allow_relations=True,
                                                                    year=1958)] == [
        ("grain_output", "level", 3920), ("grain_output", "growth", 5.9)]
    assert _values_in(text, 0, len(text), lex, None, allow_relations=False, year=1957) == []  # not 1957's result


def test_a_five_year_part_inside_a_review_of_the_year_gives_no_review_figures():
    # shandong_2026.csv: "2025年及“十四五”时期工作回顾" — after "五年来，…" the —— bullets sum up five years
    from conftest import SHARED

    [report] = govreport.parse(SHARED / "corpus" / "dev" / "province" / "shandong_2026.csv")
    got = {(v.indicator, v.measure, v.value) for v in report.actuals}
    assert ("carbon_intensity", "decline", 20.5) not in got  # 碳排放强度下降20.5%: over five years
    assert ("resident_income", "growth", 34.3) not in got
    assert any(v.indicator == "gdp" for v in report.actuals)  # the year's own figures stay
    # yunnan_2026.csv: "这五年，…" first, then "各位代表！刚刚过去的2025年，…完成地区生产总值32765亿元、增长4.1%"
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "province" / "yunnan_2026.csv")
    assert ("gdp", "level", 32765) in {(v.indicator, v.measure, v.value) for v in report.actuals}


def test_a_level_risen_to_is_a_level_and_a_threshold_for_counting_is_no_value():
    # nanchong_2024.docx, shaanxi_2025.docx
    assert values("常住人口城镇化率增至52.83%", relations=False) == [("urbanization_rate", "rate", 52.83, None, "%", "none")]
    assert values("生产总值超200亿元县（区）达26个", relations=False) == []
    assert values("投资超10亿元的项目达40个", relations=False) == []
    assert values("进出口超1000万元企业69家", relations=False) == []  # zhumadian_2021.txt, found by govreport flags


def test_a_scrape_that_repeats_only_its_title_and_first_sentence_at_the_end_is_one_report():
    # sichuan_2026.csv: after the 名词解释 and page links, the title and the opening sentence once more
    from conftest import SHARED

    reports = govreport.parse(SHARED / "corpus" / "dev" / "province" / "sichuan_2026.csv")
    assert len(reports) == 1 and reports[0].source.parts == 1
    assert any("repeats itself" in w for w in reports[0].warnings)
    assert any(t.indicator == "gdp" for t in reports[0].targets)


def test_a_space_after_a_decimal_point_inside_a_percentage_is_dropped():
    # rizhao_2024.docx: "预计全年地区生产总值增长5. 5%以上"; a list marker before a year stays
    assert normalize("预计全年地区生产总值增长5. 5%以上").text == "预计全年地区生产总值增长5.5%以上"
    assert normalize("1. 2023年工作回顾").text == "1. 2023年工作回顾"


def test_more_families_of_targets_without_a_number():
    # panzhihua_2024.docx, guigang_2024.docx, laibin_2024.docx, qingdao_2024.docx
    assert [c for c, *_ in values("节能减排完成省定目标任务，生态环境质量稳定改善。")] == [
        "energy_intensity", "pollutant_emissions", "environment_quality"]
    assert values("一般公共预算收入与上年基本持平") == [("budget_revenue", "level", None, None, None, "none")]
    assert values("粮食产量只增不减") == [("grain_output", "growth", None, None, None, "none")]
    got = values("全面完成节能减排降碳和环境质量改善约束性指标。")
    assert [(c, m) for c, m, *_ in got] == [("energy_intensity", "level"), ("pollutant_emissions", "level"),
                                            ("carbon_intensity", "level"), ("environment_quality", "level")]


def test_a_heading_run_into_its_first_sentence_starts_a_line_and_the_years_part_is_read():
    # zhumadian_2023.txt: "一、过去五年工作回顾刚刚过去的2022年，…全年GDP达到3257.4亿元，年均增长6.3%"
    assert normalize("一、过去五年工作回顾刚刚过去的2022年，面对").text == "一、过去五年工作回顾\n刚刚过去的2022年，面对"
    assert normalize("一、全面深化改革开放任务十分繁重，").text == "一、全面深化改革开放任务十分繁重，"
    from conftest import SHARED

    [report] = govreport.parse(SHARED / "corpus" / "dev" / "city" / "zhumadian_2023.txt")
    assert ("gdp", "level", 3257.4) in {(v.indicator, v.measure, v.value) for v in report.actuals}
    # zhumadian_2017.txt: the plan part's "全年新增城镇就业5万人" is this year's plan, not last year's result
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "city" / "zhumadian_2017.txt")
    assert not any(v.indicator == "new_urban_jobs" and v.value == 5 for v in report.actuals)


def test_a_users_lexicon_extends_the_reading_rules_as_well_as_the_names(tmp_path):
    # the words that keep a subject running are data: a user adds the aside their reports use
    text = "地区生产总值达到500亿元，据快报统计，比上年增长6%。"
    assert values(text, relations=False) == [("gdp", "level", 500, None, "亿元", "none")]
    user = tmp_path / "my.toml"
    user.write_text('version = "my-1"\n[context]\naside_clauses = ["据快报统计"]\n', encoding="utf-8")
    lex = load_lexicon(str(user))
    got = [(v.indicator, v.measure, v.value) for v in _values_in(text, 0, len(text), lex, None, allow_relations=False)]
    assert got == [("gdp", "level", 500), ("gdp", "growth", 6)]


def national(year: int, body: str) -> str:
    """A State Council report of ``year`` around ``body`` (its plan part)."""
    return (f"{year}年政府工作报告\n——{year}年3月20日在第七届全国人民代表大会第二次会议上\n各位代表：\n"
            f"现在，我代表国务院，向大会作政府工作报告，请予审议。\n一、{year - 1}年的回顾\n去年国民生产总值增长7%。\n"
            f"二、{year}年的主要任务\n{body}\n")


def test_items_of_an_older_plan_list_headed_by_a_sector_word_give_its_one_figure():
    # national_1980.txt (the 1981 plan, 主要指标安排如下): the heading word names the item's only figure in its unit
    text = national(1981, "1981年国民经济计划主要指标安排如下。\n钢产量3,500万吨，水泥7,800万吨。\n"
                          "基本建设，国家预算内直接安排的投资，加上部门和地方的自筹投资、国内银行贷款、利用外资进行的建设等，"
                          "总的投资额控制在550亿元左右。\n对外贸易，进出口总额559亿元，比1980年预计增加42亿元。\n"
                          "劳动就业，在城镇安排600万人。\n计划生育，人口自然增长率为1%。")
    got = targets_of(text)
    assert ("capital_construction_investment", "level", 550, "亿元", "about") in got
    assert ("new_urban_jobs", "level", 600, "万人", "none") in got
    assert ("trade", "level", 559, "亿元", "none") in got


def test_a_heading_item_with_two_figures_in_its_unit_or_a_change_gives_nothing():
    text = national(1981, "1981年国民经济计划主要指标安排如下。\n钢产量3,500万吨，水泥7,800万吨。\n"
                          "基本建设，中央投资300亿元，地方投资250亿元。\n劳动就业，城镇安置人数比上年减少100万人。")
    assert [t[0] for t in targets_of(text)] == ["steel_output"]


def test_a_cut_over_the_year_before_is_a_decline_in_percent_and_in_money():
    # national_1989.txt (治理整顿): no 主要预期目标 paragraph; the year's decisions are cuts
    text = national(1989, "国务院已经决定：今年全社会固定资产投资规模要比上年压缩920亿元，减少21%；其中，全民所有制单位投资"
                          "规模压缩510亿元，减少19%。\n今年的全国社会集团购买力，要在1988年水平的基础上压缩20%。")
    assert targets_of(text) == [("fixed_asset_investment", "decline", 920, "亿元", "none"),
                                ("fixed_asset_investment", "decline", 21, "%", "none"),
                                ("group_purchasing_power", "decline", 20, "%", "none")]
    earlier = national(1989, "今年的全国社会集团购买力，要在1985年水平的基础上压缩20%。")  # not over the year before
    assert targets_of(earlier) == []
    # a count of people lifted out of poverty is no decline in money (national_1999.txt)
    assert targets_of(national(1999, "今年要力争农村贫困人口再减少1000万以上，国内生产总值增长7%左右。")) == [
        ("gdp", "growth", 7, "%", "about")]


def test_a_short_list_of_aims_goes_on_in_the_next_paragraphs_target_sentence():
    # national_1998.txt: two aims in the 主要目标 paragraph, the investment target in the next paragraph
    text = national(1998, "今年国民经济宏观调控的主要目标是：经济增长速度8%，商品零售价格涨幅控制在3%以内。这体现了稳中求进的精神。\n"
                          "投资规模的适度增长，是国民经济持续快速健康发展的一个重要条件。今年全社会固定资产投资预定增长10%或者更多"
                          "一些。投资要重点用于加强农林水利建设。\n"
                          "社会商品零售总额今年预定增长12%。")  # two paragraphs on: not the list's
    assert targets_of(text) == [("gdp", "growth", 8, "%", "none"), ("retail_price_index", "growth", 3, "%", "at_most"),
                                ("fixed_asset_investment", "growth", 10, "%", "at_least")]


def test_a_planned_growth_rate_raised_from_this_years_estimate_is_the_plan_years_target():
    # national_1981.txt (delivered in November 1981: 今年 is the base year, the plan is for 1982)
    text = national(1982, "1982年的计划，要求工农业总产值的增长速度由今年预计的3%提高到4%，并在执行中争取达到5%。"
                          "国民收入也安排为比今年增长4%左右。")
    assert targets_of(text) == [("gross_output", "growth", 4, "%", "none"), ("national_income", "growth", 4, "%", "about")]


def test_common_spellings_of_known_indicators_are_read():
    # city reports of 2024 (nantong, huaian, shaoxing, dezhou, aba, yueyang, weihai): one indicator, many spellings
    text = (HEADER + "今年主要预期目标是：全社会研发投入占地区生产总值比重2.85%以上，研发支出占地区生产总值比重2.2%以上，"
            "全社会研发（R&D）经费支出占GDP比重3.2%左右，货物进出口增长6%左右，地方财政一般公共预算收入增长7%以上，"
            "注册外资实际到账增长10%以上，粮食综合生产能力稳定在70万吨以上，建筑业总产值增长7%以上。\n")
    assert targets_of(text) == [
        ("rd_intensity", "rate", 2.85, "%", "at_least"), ("rd_intensity", "rate", 2.2, "%", "at_least"),
        ("rd_intensity", "rate", 3.2, "%", "about"), ("trade", "growth", 6, "%", "about"),
        ("budget_revenue", "growth", 7, "%", "at_least"), ("fdi", "growth", 10, "%", "at_least"),
        ("grain_output", "level", 70, "万吨", "at_least"), ("construction_output", "growth", 7, "%", "at_least")]


def test_a_lexicon_name_with_alternatives_in_braces_stands_for_every_spelling():
    from govreport.knowledge.lexicon import expand_forms
    assert expand_forms("{全社会|}研发{投入|经费}占GDP比重") == [
        "全社会研发投入占GDP比重", "全社会研发经费占GDP比重", "研发投入占GDP比重", "研发经费占GDP比重"]
    assert expand_forms("粮食产量") == ["粮食产量"]


def test_ocr_ren_for_ru_in_income_names_and_per_mille_in_chinese_numerals_are_read():
    # zhumadian_2007.txt ('农民人均纯收人'), national_1979.txt ('千分之十')
    assert normalize("农民人均纯收人增长5%，被征收人，千分之十左右，千分之五至千分之六").text == \
        "农民人均纯收入增长5%，被征收人，10‰左右，5‰至6‰"


def test_a_sentence_on_what_the_plan_year_will_reach_is_a_target_of_a_report_without_a_list():
    # national_1957.txt: no 主要指标 list; the plan year's figures are stated with 将
    text = national(1957, "1957年的工业总产值比1956年将增长4.5%，达到603亿元。1957年的农业总产值比1956年将增长4.9%，"
                          "达到611亿元。")
    assert targets_of(text) == [("industrial_output", "growth", 4.5, "%", "none"),
                                ("industrial_output", "level", 603, "亿元", "none"),
                                ("agri_output", "growth", 4.9, "%", "none"), ("agri_output", "level", 611, "亿元", "none")]


def test_work_goals_after_the_list_and_spelled_out_slogans_are_not_targets():
    # zhumadian_2010.txt ("围绕上述…主要目标…实现“三个突破”：地区生产总值突破1000亿元"), chongzuo_2024.docx ("“7个100”即…")
    after = (HEADER + "今年经济社会发展的主要目标是：生产总值增长12%，城镇固定资产投资增长30%。围绕上述总体要求和主要目标，"
             "我们必须实现“三个突破”：地区生产总值突破1000亿元，城镇固定资产投资总额突破500亿元。\n")
    assert targets_of(after) == [("gdp", "growth", 12, "%", "none"), ("fixed_asset_investment", "growth", 30, "%", "none")]
    slogan = (HEADER + "今年我市经济社会发展的主要预期目标是：地区生产总值增长6.5%左右；一般公共预算收入增长5%；"
              "力争实现“7个100”具体工作目标，“7个100”即地区生产总值比增100亿元以上，财政收入超过100亿元；"
              "城镇调查失业率控制在5.5%以内。\n")
    assert targets_of(slogan) == [("gdp", "growth", 6.5, "%", "about"), ("budget_revenue", "growth", 5, "%", "none"),
                                  ("unemployment_rate", "rate", 5.5, "%", "at_most")]


def test_a_headerless_national_report_is_dated_by_the_session_its_opening_names():
    # no title or date line (a Wikisource copy, in traditional characters); the opening names its session
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "national" / "national_1954_wikisource.txt")
    assert report.region.name == "中国"
    assert (report.congress.term, report.congress.session) == (1, 1)
    assert report.meeting_date == "1954-09-23" and report.speaker.name == "周恩来"
    assert report.plan_year == 1954  # from the session table, as the copy with a header has it


def test_a_list_member_that_drops_the_shared_head_is_its_own_indicator():
    # wuzhou_2024.docx: "规上工业总产值、增加值分别增长15%、12%"; a member whose head + ending is no name stays unread
    text = HEADER + "今年主要预期目标是：地区生产总值增长8%，规上工业总产值、增加值分别增长15%、12%。\n"
    assert targets_of(text) == [("gdp", "growth", 8, "%", "none"), ("industrial_output", "growth", 15, "%", "none"),
                                ("industrial_va", "growth", 12, "%", "none")]
    odd = HEADER + "今年主要预期目标是：地区生产总值增长8%，规上工业总产值、利润分别增长15%、12%。\n"
    assert targets_of(odd) == [("gdp", "growth", 8, "%", "none")]


def test_more_targets_without_a_number_positive_growth_a_reasonable_level_and_six_word_compounds():
    # shanxi_2026.csv, shandong_2026.csv, tianjin_2025.docx
    text = (HEADER + "今年经济社会发展主要目标是：地区生产总值增长5%，进出口总额争取实现正增长，居民消费价格保持合理水平，"
            "节能减排减污降碳完成国家下达目标。\n")
    [report] = govreport.parse_text(text)
    assert sorted(t.indicator for t in report.targets if t.value is None) == [
        "carbon_intensity", "cpi", "energy_intensity", "pollutant_emissions", "trade"]


def test_figures_of_the_targets_paragraph_that_no_indicator_governs_are_named_in_a_warning():
    # chuzhou_2024.docx, qinzhou_2024.docx: indicators the lexicon lacks; the stretch half of a pair is no miss
    text = (HEADER + "今年主要预期目标是：地区生产总值增长8%、力争9%，人才资源总量超90万人，港口货物吞吐量增长10%，"
            "城乡居民人均可支配收入分别增长8%和9%左右。\n")
    [report] = govreport.parse_text(text)
    assert [t.indicator for t in report.targets] == ["gdp", "urban_income", "rural_income"]
    [warning] = [w for w in report.warnings if "not read as targets" in w]
    assert warning == ("2 figure(s) in the main-targets paragraph not read as targets (check them by hand): "
                       "'人才资源总量超90万人'; '港口货物吞吐量增长10%'")


def test_review_figures_urban_rural_pairs_rate_changes_estimates_and_rivals():
    # dazhou_2024.docx, shaoxing_2024.docx, bengbu_2024.docx, wuhu_2024.docx, henan_2026.csv
    text = (HEADER + "各位代表：\n一、2023年工作回顾\n过去一年，地区生产总值4800亿元左右（预计数，下同），增长5.6%，比上年提高3.6个百分点；"
            "城乡居民人均可支配收入增长4.7%和7.3%，均高于全省平均水平；城镇和农村居民人均可支配收入80392元、48825元。"
            "城镇新增就业603.7万人。城镇新增就业121.7万人。\n二、2024年工作安排\n今年主要预期目标是：地区生产总值增长6%左右。\n")
    [report] = govreport.parse_text(text)
    got = [(a.indicator, a.measure, a.value, a.unit, a.estimated) for a in report.actuals]
    assert got == [("gdp", "level", 4800, "亿元", True), ("gdp", "growth", 5.6, "%", True),
                   ("urban_income", "growth", 4.7, "%", True), ("rural_income", "growth", 7.3, "%", True),
                   ("urban_income", "level", 80392, "元", True), ("rural_income", "level", 48825, "元", True),
                   ("new_urban_jobs", "level", 603.7, "万人", True), ("new_urban_jobs", "level", 121.7, "万人", True)]  # 下同: the paragraph
    assert ("review figures disagree for new_urban_jobs level: '城镇新增就业603.7万人', '城镇新增就业121.7万人' "
            "(check them by hand)") in report.warnings
    assert not any("disagree for gdp" in w for w in report.warnings)


def test_a_figure_of_part_of_the_year_counts_only_without_a_full_year_figure():
    # huanggang_2024.docx: "前三季度，GDP增长6.5%，…。预计全年GDP增长7%左右"; chizhou_2023.docx: only 前三季度 figures
    both = (HEADER + "各位代表：\n一、2023年工作回顾\n过去一年，成绩显著。前三季度，GDP增长6.5%，连续9个季度高于全省。"
            "预计全年GDP增长7%左右。前三季度，固定资产投资增长15.2%。\n二、2024年工作安排\n今年主要预期目标是：地区生产总值增长6%左右。\n")
    [report] = govreport.parse_text(both)
    assert [(a.indicator, a.value, a.scope) for a in report.actuals] == [
        ("gdp", 7, "year"), ("fixed_asset_investment", 15.2, "part_year")]


def test_a_five_year_part_opened_by_guo_qu_de_wu_nian_gives_end_levels_not_period_totals():
    # henan_2026.csv: "过去的五年极不寻常。…生产总值6.66万亿元…城镇新增就业603.7万人" before "刚刚过去的2025年…"
    text = ("政府工作报告\n——2026年1月20日在河南省第十四届人民代表大会第五次会议上\n各位代表：\n"
            "一、“十四五”时期和2025年工作回顾\n过去的五年极不寻常。我们稳中求进，经济社会发展取得新成就。\n"
            "综合实力稳步提升。生产总值6.66万亿元，常住人口城镇化率60%。\n"
            "民生福祉不断增进。城镇新增就业603.7万人，居民人均可支配收入年均增长6%。\n"
            "刚刚过去的2025年很不平凡。全省生产总值增长5.6%，城镇新增就业121.7万人。\n"
            "二、2026年工作安排\n今年主要预期目标是：地区生产总值增长5%左右。\n")
    [report] = govreport.parse_text(text)
    got = {(a.indicator, a.measure, a.value) for a in report.actuals}
    assert ("gdp", "level", 6.66) in got and ("urbanization_rate", "rate", 60) in got
    assert ("new_urban_jobs", "level", 121.7) in got and ("new_urban_jobs", "level", 603.7) not in got


def test_older_targets_without_a_number_about_money_and_the_balance_of_payments():
    # national_1992.txt, national_2008.txt
    text = (HEADER + "今年的主要预期目标是：国内生产总值增长8%左右，货币发行和新增信贷规模与去年大体持平，"
            "国际收支状况有所改善。\n")
    [report] = govreport.parse_text(text)
    assert [t.indicator for t in report.targets if t.value is None] == ["money_supply", "balance_of_payments"]


def test_a_local_report_that_stops_after_its_review_is_marked_truncated():
    # rizhao_2024.docx: the file holds the review only (no plan part, no closing call)
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "city" / "rizhao_2024.docx")
    assert report.truncated
    assert "report appears truncated: it ends after the review, with no plan part and no closing" in report.warnings


def test_the_next_periods_targets_in_a_five_year_part_are_no_review_figures():
    # beijing_2026.csv: "“十四五”时期发展成就和“十五五”时期主要目标任务" holds both; the 十五五 indicators are aims
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "province" / "beijing_2026.csv")
    assert not any(a.indicator == "labor_productivity" and a.value == 58 for a in report.actuals)


def test_list_members_named_only_inside_a_shared_target_without_a_number():
    # beijing_2024.docx/2025: "生态环境质量、能源、水资源等指标达到国家要求"; a bare 能源 beside a figure is no value
    text = (HEADER + "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，能源增长3%，"
            "生态环境质量、能源、水资源等指标达到国家要求。\n")
    [report] = govreport.parse_text(text)
    assert [t.indicator for t in report.targets if t.value is None] == ["environment_quality", "energy_intensity", "water_use"]
    assert [t.indicator for t in report.targets if t.value is not None] == ["gdp"]
