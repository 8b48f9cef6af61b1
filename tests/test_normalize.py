"""Normalisation keeps an exact offset map while fixing what real reports contain."""

from __future__ import annotations

import pytest

from govreport.parsing.normalize import join_broken_lines, normalize


def check_map(raw: str, doc) -> None:
    assert len(doc.offsets) == len(doc.text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    assert all(0 <= o < len(raw) for o in doc.offsets)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("国内生产总值增长６．５％左右", "国内生产总值增长6.5%左右"),  # full-width digits and ％
        ("四 平 市 政 府 工 作 报 告(摘要)", "四平市政府工作报告(摘要)"),  # 003: spaced-out heading
        ("四方台区人民政府区长 刘 鹏", "四方台区人民政府区长 刘 鹏"),  # a two-character name stays
        ("——2015年3月5日在第十二届全国人民代表大会第三次会议上国务院总理<U+00A0>李克强",  # national_2015 artefact
         "——2015年3月5日在第十二届全国人民代表大会第三次会议上国务院总理 李克强"),
        ("各位代表：<U+200D>\r\r\n现在", "各位代表：\n现在"),  # CR CR LF and a zero-width joiner
        ("⻄部地区", "西部地区"),  # radical look-alike
        ("\u3000\u3000一、2024年工作回顾", "一、2024年工作回顾"),  # ideographic indent
    ],
)
def test_character_fixes(raw, expected):
    doc = normalize(raw)
    assert doc.text == expected
    check_map(raw, doc)


def test_html_fragment_becomes_lines(extra_dir):
    raw = (extra_dir / "national_2019_html.txt").read_text(encoding="utf-8")
    doc = normalize(raw)
    check_map(raw, doc)
    assert doc.text.startswith("各位代表：\n") and doc.text[:20].split()[1].startswith("现在，我代表国务院")
    assert "<" not in doc.text and "国内生产总值增长6%－6.5%" in doc.text and not doc.text.endswith("]")


def test_unchanged_characters_point_at_themselves(seeds_dir):
    raw = (seeds_dir / "003_401dacb1b1eb60f9.txt").read_text(encoding="utf-8")
    doc = join_broken_lines(normalize(raw))
    check_map(raw, doc)
    assert all(raw[o] == ch for ch, o in zip(doc.text, doc.offsets) if ch not in " \n")


def test_hard_breaks_inside_sentences_are_joined(extra_dir):
    import csv

    csv.field_size_limit(10**9)
    with open(extra_dir / "guangdong_2026.csv", encoding="utf-8-sig") as fh:
        raw = next(csv.DictReader(fh))["full_text"]
    doc = join_broken_lines(normalize(raw))
    assert "今年经济社会发展的主要预期目标是：地区生产总值增长4.5%—5%" in doc.text  # was split over 3 lines
    assert "PM2.5" in doc.text
    assert "\n一、2025年和“十四五”时期工作回顾\n" in doc.text  # headings stay on their own lines


def test_headings_and_titles_are_not_joined():
    raw = "2024年济南市政府工作报告\n2024年1月10日在济南市第十八届人民代表大会第三次会议上\n各位代表:\n现在,我代表市人民政府\n一、2023年工作回顾\n过去一年"
    assert join_broken_lines(normalize(raw)).text == raw.replace("市人民政府\n", "市人民政府\n")


def test_date_line_broken_before_the_meeting_is_joined(seeds_dir):
    raw = "——2024年12月28日在白山市江源区第十届人民代表大会\n第四次会议上\n白山市江源区人民政府区长 潘国强\n各位代表:\n"
    text = join_broken_lines(normalize(raw)).text
    assert text.startswith("——2024年12月28日在白山市江源区第十届人民代表大会第四次会议上\n白山市")


def test_a_web_pages_frame_lines_are_dropped_but_not_a_long_line_starting_alike():
    from govreport.parsing.normalize import normalize
    doc = normalize("首页 > 政务公开 > 政府工作报告\n字号：大 中 小\n来源：市政府办公室\n政府工作报告\n各位代表：\n正文。\n"
                    "责任编辑：王五\n版权所有：某市人民政府办公室　网站标识码：1234000001\n")
    assert doc.text == "来源：市政府办公室\n政府工作报告\n各位代表：\n正文。"
    flat = "当前位置：" + "首页 政务信息 " + "正文" * 100  # a flattened scrape: one long line is the whole report
    assert normalize(flat).text.endswith("正文")


def test_a_number_cut_by_a_hard_wrap_is_joined_and_a_three_digit_year_is_no_date():
    import govreport
    text = ("1989年政府工作报告坚决贯彻治理整顿和深化改革的方针——1\n989年3月20日在第七届全国人民代表大会第二次会议上\n"
            "国务院总理李鹏\n各位代表：\n现在，我代表国务院向大会作政府工作报告。\n一、1988年的回顾\n去年国民生产总值增长11.2%。\n"
            "二、1989年的任务\n今年国民生产总值计划增长7.5%。\n")
    [report] = govreport.parse_text(text)
    assert report.meeting_date == "1989-03-20"


def test_a_line_break_inserted_after_a_glued_heading_keeps_the_offset_map_in_order():
    # found by the fuzz test: the inserted break mapped to the heading's first character
    from govreport.parsing.normalize import normalize
    doc = normalize("一、工作回顾0000，")
    assert doc.text == "一、工作回顾\n0000，"
    assert list(doc.offsets) == sorted(doc.offsets) and doc.offsets[6] == 5
